// A record straight from the receiver keeps its body as bytes until something reads bodyBase64
// (issue 14 item 6): the store writes its line from the bytes, the line is byte for byte the one a
// plain record gives, and everything that reads the record sees the same record as before.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { describe, it } from 'node:test';
import {
  CAPTURED_BODY_MIN_BYTES,
  capturedBodyOf,
  withBody,
  withCapturedBody,
  withChanges,
} from '../../src/core/capturedBody';
import type { DeliveryInput } from '../../src/core/store/types';
import {
  decodeLine,
  encodeLine,
  encodeStoreLine,
  packLines,
  STORE_FORMAT_VERSION,
  StreamedPutLine,
} from '../../src/core/store/lineCodec';
import { aDelivery } from './builders';
import { useStoreFixtures } from './storeFixtures';

const { tempDir, open } = useStoreFixtures('hooklens-captured-body-');

/** Bytes whose whole-body base64 conversions are counted (the pieces the line encoder makes are not). */
function countingBytes(bytes: Buffer): { bytes: Buffer; wholeConversions: () => number } {
  let whole = 0;
  const toString = bytes.toString.bind(bytes);
  Object.defineProperty(bytes, 'toString', {
    value: (encoding?: BufferEncoding, start?: number, end?: number): string => {
      if (encoding === 'base64' && start === undefined) whole++;
      return toString(encoding, start, end);
    },
  });
  return { bytes, wholeConversions: () => whole };
}

function capturedDelivery(id: string, body: Buffer): DeliveryInput {
  const fields: Record<string, unknown> = { ...aDelivery(id, { bodySize: body.length }) };
  delete fields.bodyBase64;
  return withCapturedBody(fields, body) as DeliveryInput;
}

describe('records with a captured body', () => {
  for (const size of [0, 1, 2, 3, 255, 256, 49_151, 49_152, 49_153, 300_001]) {
    it(`encode to the same line as a plain record (${size} bytes)`, () => {
      const body = randomBytes(size);
      const captured = { ...capturedDelivery('d1', body), seq: 1 };
      const lazy = withChanges(capturedDelivery('d1', body), { seq: 1 });
      const plain = JSON.parse(JSON.stringify(lazy)) as typeof captured;
      const lazyLine = encodeLine({ op: 'put', v: STORE_FORMAT_VERSION, record: lazy as never });
      const plainLine = encodeLine({ op: 'put', v: STORE_FORMAT_VERSION, record: plain });
      assert.equal(lazyLine.toString('latin1'), plainLine.toString('latin1'));
      const decoded = decodeLine(lazyLine, 0, lazyLine.length - 1);
      assert.equal(decoded.kind, 'op');
      assert.ok(decoded.kind === 'op' && decoded.op.op === 'put');
      assert.equal(decoded.op.record.bodyBase64, body.toString('base64'));
      assert.equal(captured.bodyBase64, body.toString('base64'));
    });
  }

  it('a large body is queued as a streamed line whose pieces are the plain line', () => {
    const body = randomBytes(1024 * 1024 + 7);
    const lazy = withChanges(capturedDelivery('d5', body), { seq: 5 });
    const plain = JSON.parse(JSON.stringify(lazy)) as typeof lazy;
    const line = encodeStoreLine({ op: 'put', v: STORE_FORMAT_VERSION, record: lazy as never });
    assert.ok(line instanceof StreamedPutLine, 'not held as one buffer');
    const plainLine = encodeLine({ op: 'put', v: STORE_FORMAT_VERSION, record: plain as never });
    assert.equal(line.length, plainLine.length);
    // Each write is copied out before the next is made: the scratch is reused. Small scratches
    // split the head, the base64 and the tail across writes; a line may also share one.
    const small = Buffer.from('{"crc":"00000000","op":"clear","v":1}\n');
    for (const size of [4, 7, 1000, 65_536, 1024 * 1024]) {
      const writes: Buffer[] = [];
      for (const chunk of packLines([small, line, small], Buffer.alloc(size))) {
        assert.ok(chunk.length <= Math.max(size, small.length));
        writes.push(Buffer.from(chunk));
      }
      assert.ok(
        Buffer.concat(writes).equals(Buffer.concat([small, plainLine, small])),
        `packed with a ${size}-byte scratch`,
      );
      if (size === 1000) assert.ok(writes.length > 100, 'many writes through a small scratch');
    }
    assert.ok(line.whole().equals(plainLine));
  });

  it('withBody keeps only a large body as bytes; a small one is base64 at once', () => {
    const small = withBody({ id: 's' }, Buffer.alloc(CAPTURED_BODY_MIN_BYTES - 1, 1));
    assert.equal(capturedBodyOf(small), undefined);
    assert.equal(typeof Object.getOwnPropertyDescriptor(small, 'bodyBase64')?.value, 'string');
    const large = withBody({ id: 'l' }, Buffer.alloc(CAPTURED_BODY_MIN_BYTES, 1));
    assert.ok(capturedBodyOf(large));
    assert.equal(large.bodyBase64, Buffer.alloc(CAPTURED_BODY_MIN_BYTES, 1).toString('base64'));
  });

  it('read as a plain record: spread, JSON, deep equality', () => {
    const body = Buffer.from('{"hello":"world"}');
    const record = capturedDelivery('d2', body);
    const plain = {
      ...aDelivery('d2', { bodySize: body.length }),
      bodyBase64: body.toString('base64'),
    };
    assert.deepEqual(JSON.parse(JSON.stringify(record)), JSON.parse(JSON.stringify(plain)));
    assert.deepEqual({ ...record }, { ...plain, bodyBase64: body.toString('base64') });
    assert.ok(Object.keys(record).includes('bodyBase64'));
  });

  it('withChanges keeps the body as bytes, unless the body itself changes', () => {
    const { bytes, wholeConversions } = countingBytes(Buffer.from('x'.repeat(1000)));
    const record = capturedDelivery('d3', bytes);
    const changed = withChanges(record, { headline: 'hi' });
    assert.equal(capturedBodyOf(changed), bytes);
    assert.equal(changed.headline, 'hi');
    assert.equal(wholeConversions(), 0, 'no base64 text made by withChanges');
    const replaced = withChanges(record, { bodyBase64: 'eXk=' });
    assert.equal(capturedBodyOf(replaced), undefined);
    assert.equal(replaced.bodyBase64, 'eXk=');
    assert.equal(wholeConversions(), 0);
  });

  it('the store saves it without making base64 text of the body, and reads back the same bytes', async () => {
    const dir = await tempDir();
    const store = await open(dir);
    const random = randomBytes(2 * 1024 * 1024);
    const expected = random.toString('base64');
    const { bytes, wholeConversions } = countingBytes(random);
    const stored = await store.put(capturedDelivery('d4', bytes));
    assert.equal(wholeConversions(), 0, 'put and its commit never read bodyBase64');
    assert.equal(stored.seq, 1);
    assert.equal(stored.bodyBase64, expected);
    assert.equal(wholeConversions(), 1, 'reading bodyBase64 makes the text once');
    await store.close();
    const reopened = await open(dir);
    const read = await reopened.get('d4');
    assert.equal(read?.bodyBase64, expected);
  });
});
