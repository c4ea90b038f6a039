// H-10: deciding whether a captured body is JSON, and saying why not, without throwing.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseBody, parseJsonBody } from '../../src/core/receiver/bodyText';

const bytes = (text: string): Buffer => Buffer.from(text, 'utf8');

function parseError(body: Uint8Array, contentType?: string): string {
  const parsed = parseJsonBody(body, contentType);
  assert.equal(parsed.ok, false);
  return parsed.ok ? '' : parsed.error;
}

describe('parseJsonBody (H-10)', () => {
  it('parses a Watson message_logged body', () => {
    const parsed = parseJsonBody(
      bytes('{"event":{"name":"message_logged"},"payload":{"log_id":"x"}}'),
      'application/json',
    );
    assert.deepEqual(parsed, {
      ok: true,
      json: { event: { name: 'message_logged' }, payload: { log_id: 'x' } },
    });
  });

  it('empty body: not JSON, says it is empty', () => {
    assert.match(parseError(Buffer.alloc(0), 'application/json'), /empty/);
  });

  it('a UTF-8 byte-order mark is not part of the text: the JSON after it parses', () => {
    assert.deepEqual(
      parseJsonBody(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), bytes('{"a":1}')]), undefined),
      { ok: true, json: { a: 1 } },
    );
  });

  it('a declared charset is honoured: ISO-8859-1 bytes decode to the same JSON', () => {
    const latin1 = Buffer.from('{"name":"Zoë"}', 'latin1');
    const parsed = parseJsonBody(latin1, 'application/json; charset=ISO-8859-1');
    assert.deepEqual(parsed, { ok: true, json: { name: 'Zoë' }, charset: 'iso-8859-1' });
    // Read as UTF-8, the same bytes are invalid.
    assert.equal(parseJsonBody(latin1, 'application/json').ok, false);
  });

  it('an unknown declared charset is a clear parse error, not an exception', () => {
    assert.match(parseError(bytes('{}'), 'application/json; charset=klingon'), /charset klingon/);
  });

  it('form bodies become fields, and a JSON payload= field becomes the document', () => {
    assert.deepEqual(
      parseBody(
        bytes('To=%2B15551234567&Body=Hi+there&Body=again'),
        'application/x-www-form-urlencoded',
      ),
      {
        ok: true,
        json: { To: '+15551234567', Body: 'Hi there' },
        form: [
          ['To', '+15551234567'],
          ['Body', 'Hi there'],
          ['Body', 'again'],
        ],
      },
    );
    const github = parseBody(
      bytes(`payload=${encodeURIComponent('{"zen":"Keep it logically awesome."}')}`),
      'application/x-www-form-urlencoded',
    );
    assert.deepEqual(github.ok && github.json, { zen: 'Keep it logically awesome.' });
    // A form field named __proto__ stays a plain field.
    const hostile = parseBody(bytes('__proto__=x&a=1'), 'application/x-www-form-urlencoded');
    assert.ok(hostile.ok);
    assert.equal(Object.getPrototypeOf(hostile.json), Object.prototype);
    assert.equal((hostile.json as Record<string, unknown>).a, '1');
  });

  it('invalid UTF-8 (lone continuation byte, overlong, truncated sequence) is refused', () => {
    for (const invalid of [
      [0x7b, 0x22, 0x80, 0x22, 0x7d], // {"\x80"}
      [0x7b, 0x22, 0xc0, 0xaf, 0x22, 0x7d], // overlong "/"
      [0x7b, 0x22, 0xe2, 0x82, 0x22, 0x7d], // truncated 3-byte sequence
    ]) {
      assert.match(parseError(Buffer.from(invalid)), /not valid UTF-8/);
    }
  });

  it('an escaped NUL inside a JSON string parses; a raw NUL byte is not JSON', () => {
    const escaped = parseJsonBody(bytes('{"text":"a\\u0000b"}'), 'application/json');
    assert.deepEqual(escaped, { ok: true, json: { text: 'a\u0000b' } });
    const raw = Buffer.from('{"text":"a\u0000b"}', 'utf8');
    assert.equal(raw.includes(0), true);
    assert.match(parseError(raw, 'application/json'), /not JSON/);
    assert.match(parseError(Buffer.from([0x00, 0x00])), /not JSON/);
  });

  it('text/plain that is not JSON names the Content-Type in the reason', () => {
    assert.match(
      parseError(bytes('hello there'), 'text/plain'),
      /not JSON \(Content-Type: text\/plain\)/,
    );
  });

  it('JSON sent as text/plain still parses (the bytes decide, not the header)', () => {
    assert.deepEqual(parseJsonBody(bytes('{"a":1}'), 'text/plain'), { ok: true, json: { a: 1 } });
  });

  it('multipart and invalid JSON are refused without throwing', () => {
    const multipart =
      '--b\r\nContent-Disposition: form-data; name="metadata"\r\n\r\n{"session_id":"s"}\r\n--b--\r\n';
    assert.match(parseError(bytes(multipart), 'multipart/form-data; boundary=b'), /not JSON/);
    for (const invalid of ['{', '{"a":}', "{'a':1}", '[1,]', 'undefined', '   ']) {
      assert.match(parseError(bytes(invalid)), /not JSON/, invalid);
    }
  });

  it('a long Content-Type is cut in the reason', () => {
    const reason = parseError(bytes('x'), `text/plain; ${'p'.repeat(10_000)}`);
    assert.ok(reason.length < 400, `reason is ${reason.length} characters`);
  });

  it('H-14: big integers, -0 and 1e400 parse (the raw bytes are kept elsewhere)', () => {
    const parsed = parseJsonBody(
      bytes('{"id":12345678901234567891,"z":-0,"huge":1e400}'),
      undefined,
    );
    assert.equal(parsed.ok, true);
    const json = (parsed.ok ? parsed.json : {}) as Record<string, number>;
    assert.equal(json.huge, Infinity);
    assert.ok(Object.is(json.z, -0));
  });

  it('scalars are JSON too', () => {
    assert.deepEqual(parseJsonBody(bytes('"str"'), undefined), { ok: true, json: 'str' });
    assert.deepEqual(parseJsonBody(bytes('null'), undefined), { ok: true, json: null });
  });
});
