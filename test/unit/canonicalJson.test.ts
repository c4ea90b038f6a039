// Canonical JSON for the compare view: sorted keys, exact numbers, masking, and bodies that are
// not JSON (or absurdly deep) shown as they are.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  canonicalize,
  canonicalJson,
  comparedDocument,
  MAX_CANONICAL_DEPTH,
} from '../../src/core/compare/canonicalJson';
import { aDelivery } from './builders';

const plain = { maskVolatile: false } as const;
const masked = { maskVolatile: true } as const;

describe('canonicalJson', () => {
  it('sorts keys at every level, indents by two spaces, ends with a newline', () => {
    assert.equal(
      canonicalJson('{"b":{"y":1,"x":[{"d":1,"c":2}]},"a":true}', plain),
      [
        '{',
        '  "a": true,',
        '  "b": {',
        '    "x": [',
        '      {',
        '        "c": 2,',
        '        "d": 1',
        '      }',
        '    ],',
        '    "y": 1',
        '  }',
        '}',
        '',
      ].join('\n'),
    );
  });

  it('orders integer-like keys as text too (JavaScript objects would put them first)', () => {
    const text = canonicalJson('{"b":1,"10":2,"9":3,"a":4,"":5}', plain);
    assert.deepEqual(
      text
        .split('\n')
        .filter((line) => line.startsWith('  '))
        .map((line) => line.trim().split(':')[0]),
      ['""', '"10"', '"9"', '"a"', '"b"'],
    );
  });

  it('keeps every number exactly as written', () => {
    const text = canonicalJson(
      '{"big":12345678901234567890123,"one":1.0,"exp":1e3,"Exp":1E+2,"neg":-0.0,"tiny":5e-324,"pi":3.141592653589793238462643}',
      plain,
    );
    for (const number of [
      '12345678901234567890123',
      '1.0',
      '1e3',
      '1E+2',
      '-0.0',
      '5e-324',
      '3.141592653589793238462643',
    ]) {
      assert.ok(text.includes(`: ${number}`), `${number} in\n${text}`);
    }
  });

  it('the same document with another key order or spacing gives the same text', () => {
    const a = canonicalJson('{"x":{"b":[1,2],"a":"s"},"y":null}', plain);
    const b = canonicalJson('{ "y" : null ,\n "x" : { "a" : "s", "b" : [ 1 , 2 ] } }', plain);
    assert.equal(a, b);
    assert.equal(canonicalJson(a, plain), a, 'canonical text is a fixed point');
  });

  it('strings keep their meaning (escapes, Unicode, a __proto__ key is just data)', () => {
    const source =
      '{"__proto__":{"polluted":true},"s":"line\\nquote\\"\\u00e9😀\\u2028","e":"\\ud800"}';
    const text = canonicalJson(source, plain);
    assert.deepEqual(JSON.parse(text), JSON.parse(source));
    assert.equal(({} as Record<string, unknown>).polluted, undefined);
  });

  it('empty containers and top-level scalars', () => {
    assert.equal(canonicalJson('{"a":[],"b":{}}', plain), '{\n  "a": [],\n  "b": {}\n}\n');
    assert.equal(canonicalJson('[]', plain), '[]\n');
    assert.equal(canonicalJson(' 42 ', plain), '42\n');
    assert.equal(canonicalJson('"text"', plain), '"text"\n');
  });

  it('a body that is not JSON comes back exactly as it was, with the reason', () => {
    for (const body of ['', 'hello', '{"a":1', '{"a":1} trailing', 'a=1&b=2', '\ufeff{"a":1}']) {
      assert.equal(canonicalJson(body, plain), body);
      const result = canonicalize(body, plain);
      assert.equal(result.ok, false);
      if (!result.ok) assert.match(result.reason, /not JSON/);
    }
  });

  it('a key repeated with different values is compared as written, not silently dropped', () => {
    const body = '{"a":1,"a":2}';
    assert.equal(canonicalJson(body, plain), body);
  });

  it('deep nesting does not crash: past the limit the text is returned with a reason', () => {
    const deep = `${'['.repeat(100_000)}${']'.repeat(100_000)}`;
    assert.equal(canonicalJson(deep, plain), deep);
    const result = canonicalize(deep, plain);
    assert.equal(result.ok, false);
    if (!result.ok) assert.match(result.reason, /nested 100000 levels/);
    const atLimit = `${'['.repeat(MAX_CANONICAL_DEPTH)}${']'.repeat(MAX_CANONICAL_DEPTH)}`;
    assert.equal(canonicalize(atLimit, plain).ok, true);
    // Brackets inside strings do not count.
    assert.equal(canonicalize(`{"s":"${'['.repeat(10_000)}"}`, plain).ok, true);
  });

  describe('masking volatile fields', () => {
    const body = JSON.stringify({
      event: { name: 'message_logged' },
      id: 'evt_123',
      log_id: 'L1',
      request_id: 42,
      sessionId: 'S1',
      userID: 'U1',
      'x-request-id': 'r1',
      uuid_looking: 'f47ac10b-58cc-4372-a567-0e02b2c3d479',
      iat: 1700000000,
      exp: 1700003600,
      nbf: 1700000000,
      created: 1700000000123,
      created_at: '2025-05-14T15:03:02.511Z',
      updatedAt: '2025-05-14',
      request_timestamp: '2025-05-14T15:03:02.511+02:00',
      somewhere: '2025-05-14 15:03:02Z',
      ts: '1355517523.000005',
      // Not volatile: these stay.
      paid: 5,
      valid: true,
      format: 'json',
      response_time: 123,
      count: 1700000000,
      nothing_id: null,
      text: 'What is my checking balance?',
      nested: { id: { kind: 'object ids are walked into, not replaced' } },
    });

    it('replaces timestamps and ids with placeholders', () => {
      const result = JSON.parse(canonicalJson(body, masked)) as Record<string, unknown>;
      for (const key of ['id', 'log_id', 'request_id', 'sessionId', 'userID', 'x-request-id']) {
        assert.equal(result[key], '<id>', key);
      }
      assert.equal(result.uuid_looking, '<id>');
      for (const key of [
        'iat',
        'exp',
        'nbf',
        'created',
        'created_at',
        'updatedAt',
        'request_timestamp',
        'somewhere',
        'ts',
      ]) {
        assert.equal(result[key], '<timestamp>', key);
      }
    });

    it('leaves meaningful values alone', () => {
      const result = JSON.parse(canonicalJson(body, masked)) as Record<string, unknown>;
      assert.equal(result.paid, 5);
      assert.equal(result.valid, true);
      assert.equal(result.format, 'json');
      assert.equal(result.response_time, 123);
      assert.equal(result.count, 1700000000, 'an epoch-sized number under a plain key');
      assert.equal(result.nothing_id, null, 'a missing id stays visibly missing');
      assert.deepEqual(result.event, { name: 'message_logged' });
      assert.deepEqual(result.nested, { id: { kind: 'object ids are walked into, not replaced' } });
    });

    it('two deliveries of the same event differ only in what is not masked', () => {
      const first =
        '{"payload":{"log_id":"A","request_timestamp":"2025-05-14T15:03:02.511Z","text":"hi"}}';
      const retry =
        '{"payload":{"text":"hi","log_id":"B","request_timestamp":"2025-05-14T15:04:09.001Z"}}';
      assert.equal(canonicalJson(first, masked), canonicalJson(retry, masked));
      assert.notEqual(canonicalJson(first, plain), canonicalJson(retry, plain));
    });
  });
});

describe('comparedDocument', () => {
  const record = aDelivery('cmp1', {
    url: '/hooks/watson?env=dev',
    headers: [
      ['X-Request-Id', 'req-9'],
      ['content-type', 'application/json'],
      ['Authorization', 'Bearer eyJ.secret-token.sig'],
      ['Date', 'Wed, 14 May 2025 15:03:02 GMT'],
      ['Webhook-Signature', 'v1,abc'],
      ['Accept', '*/*'],
    ],
    bodyBase64: Buffer.from('{"b":2,"a":1}').toString('base64'),
  });

  it('is the canonical body alone by default', () => {
    assert.equal(comparedDocument(record, plain), '{\n  "a": 1,\n  "b": 2\n}\n');
  });

  it('with headers: request line, headers sorted by name with credentials redacted, then the body', () => {
    assert.equal(
      comparedDocument(record, { maskVolatile: false, includeHeaders: true }),
      [
        'POST /hooks/watson?env=dev',
        'Accept: */*',
        'Authorization: Bearer [redacted]',
        'content-type: application/json',
        'Date: Wed, 14 May 2025 15:03:02 GMT',
        'Webhook-Signature: v1,abc',
        'X-Request-Id: req-9',
        '',
        '{\n  "a": 1,\n  "b": 2\n}\n',
      ].join('\n'),
    );
  });

  it('masking also covers volatile headers', () => {
    const text = comparedDocument(record, { maskVolatile: true, includeHeaders: true });
    assert.match(text, /^Date: <timestamp>$/m);
    assert.match(text, /^X-Request-Id: <id>$/m);
    assert.match(text, /^Webhook-Signature: <signature>$/m);
    assert.doesNotMatch(text, /secret-token/);
  });

  it('a body that is not UTF-8 is shown as base64 with its size', () => {
    const binary = aDelivery('cmp2', {
      bodyBase64: Buffer.from([0xff, 0xfe, 0x00]).toString('base64'),
    });
    assert.match(
      comparedDocument(binary, plain),
      /^The body \(3 bytes\) is not UTF-8 text.*\n\/\/4A\n$/,
    );
  });
});
