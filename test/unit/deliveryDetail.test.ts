import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { buildDeliveryDetail, displayedBody } from '../../src/core/detail/deliveryDetail';
import { DEFAULT_MAX_INLINE_BODY_BYTES } from '../../src/shared/detail';
import { anAttempt } from './builders';
import { aRecordWithBody, aSenderRecord, watsonMessageLogged } from './detailBuilders';

const options = { duplicateCount: 0, pinned: false };

describe('buildDeliveryDetail: overview', () => {
  it('has the seed columns, with status and time from the latest attempt', () => {
    const record = aRecordWithBody('{"a":1}', {
      attempts: [
        anAttempt(502, 40, { id: 'f1', kind: 'forward' }),
        anAttempt(201, 12, { id: 'r1', kind: 'replay' }),
      ],
    });
    const { overview } = buildDeliveryDetail(record, { duplicateCount: 2, pinned: true });
    assert.deepEqual(overview, {
      id: 'd_01',
      sessionId: 'session-1',
      event: 'message_logged',
      endpoint: 'POST /webhook?x=1',
      httpStatus: 201,
      timeTakenMs: 12,
      // One replay plus two sender retries (duplicates).
      retryCount: 3,
      createdAt: '2025-06-01T10:00:00.000Z',
      verdict: 'verified',
      verdictReason: 'Signature and time claims are valid.',
      sender: 'watson',
    });
  });

  it("uses the response's status and time when there are no attempts", () => {
    const detail = buildDeliveryDetail(aRecordWithBody('{}'), options);
    assert.equal(detail.overview.httpStatus, 200);
    assert.equal(detail.overview.timeTakenMs, 3);
    assert.equal(detail.overview.retryCount, 0);
  });

  it('has no status when the latest attempt failed, like the tree', () => {
    const record = aRecordWithBody('{}', { attempts: [anAttempt(null, null)] });
    const { overview } = buildDeliveryDetail(record, options);
    assert.equal(overview.httpStatus, null);
    assert.equal(overview.timeTakenMs, null);
  });

  it('passes pinned, duplicateOf and the duplicate count through', () => {
    const record = aRecordWithBody('{}', { duplicateOf: 'd_00' });
    const detail = buildDeliveryDetail(record, { duplicateCount: 4, pinned: true });
    assert.equal(detail.pinned, true);
    assert.equal(detail.duplicateOf, 'd_00');
    assert.equal(detail.duplicateCount, 4);
  });
});

describe('buildDeliveryDetail: request', () => {
  it('redacts Authorization, Proxy-Authorization and Cookie, and says a token was sent', () => {
    const token = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ3YXRzb24ifQ.c2lnbmF0dXJl';
    const record = aRecordWithBody('{}', {
      headers: [
        ['Content-Type', 'application/json; charset=utf-8'],
        ['authorization', `Bearer ${token}`],
        ['Proxy-Authorization', 'Basic dXNlcjpwYXNz'],
        ['Cookie', 'session=secret-cookie'],
        ['X-Custom', 'kept'],
      ],
    });
    const detail = buildDeliveryDetail(record, options);
    assert.deepEqual(detail.request.headers, [
      ['Content-Type', 'application/json; charset=utf-8'],
      ['authorization', 'Bearer [redacted]'],
      ['Proxy-Authorization', 'Basic [redacted]'],
      ['Cookie', '[redacted]'],
      ['X-Custom', 'kept'],
    ]);
    assert.equal(detail.request.contentType, 'application/json; charset=utf-8');
    assert.equal(detail.auth.tokenPresent, true);
    const posted = JSON.stringify(detail);
    for (const secret of [token, 'dXNlcjpwYXNz', 'secret-cookie']) {
      assert.ok(!posted.includes(secret), `${secret} must not reach the webview`);
    }
  });

  it('says when no token was sent', () => {
    const record = aRecordWithBody('{}', { headers: [['Content-Type', 'application/json']] });
    assert.equal(buildDeliveryDetail(record, options).auth.tokenPresent, false);
  });

  it('keeps big numbers exactly as received in the body text', () => {
    const body = '{"id":12345678901234567890123,"amount":0.10000000000000000555}';
    const detail = buildDeliveryDetail(aRecordWithBody(body), options);
    assert.equal(detail.request.bodyText, body);
    assert.equal(detail.request.bodyEncoding, 'utf8');
    assert.equal(detail.request.truncated, false);
  });

  it('truncates a 10 MB body to a bounded raw preview, with no sender view', () => {
    const filler = 'x'.repeat(10 * 1024 * 1024);
    const body = JSON.stringify({ ...watsonMessageLogged(), filler });
    const record = aRecordWithBody(body);
    const detail = buildDeliveryDetail(record, options);
    assert.equal(detail.request.truncated, true);
    assert.equal(detail.request.bodySize, Buffer.byteLength(body));
    assert.ok(detail.request.bodyText.length <= DEFAULT_MAX_INLINE_BODY_BYTES);
    assert.ok(body.startsWith(detail.request.bodyText));
    assert.equal(detail.request.bodyEncoding, 'utf8');
    assert.equal(detail.senderView, null);
    // The whole message the host posts stays small.
    assert.ok(JSON.stringify(detail).length < DEFAULT_MAX_INLINE_BODY_BYTES + 16 * 1024);
  });

  it('honours a smaller inline limit and never splits a multi-byte character', () => {
    const detail = buildDeliveryDetail(aRecordWithBody('"ééé"'), {
      ...options,
      maxInlineBodyBytes: 4,
    });
    // '"' + 'é' is 3 bytes; the next 'é' would need bytes 4 and 5.
    assert.equal(detail.request.bodyText, '"é');
    assert.equal(detail.request.truncated, true);
    assert.equal(detail.request.bodySize, 8);
  });

  it('sends a non-UTF-8 body as base64', () => {
    const bytes = Uint8Array.from([0xff, 0xfe, 0x00, 0x41]);
    const record = aRecordWithBody(bytes, { parseError: 'The body is not valid UTF-8 text.' });
    const detail = buildDeliveryDetail(record, options);
    assert.equal(detail.request.bodyEncoding, 'base64');
    assert.equal(detail.request.bodyText, Buffer.from(bytes).toString('base64'));
    assert.equal(detail.request.bodySize, 4);
    assert.equal(detail.request.parseError, 'The body is not valid UTF-8 text.');
  });

  it('cuts a large non-UTF-8 body to a bounded base64 preview', () => {
    const bytes = Buffer.alloc(100_000, 0xff);
    const shown = displayedBody(bytes.toString('base64'), 1000);
    assert.equal(shown.bodyEncoding, 'base64');
    assert.equal(shown.truncated, true);
    assert.equal(shown.bodySize, 100_000);
    assert.equal(Buffer.from(shown.bodyText, 'base64').length, 1000);
  });

  it('keeps a byte-order mark visible instead of dropping it', () => {
    const shown = displayedBody(Buffer.from('\uFEFF{}').toString('base64'), 1000);
    assert.equal(shown.bodyText, '\uFEFF{}');
  });

  it('handles an empty body', () => {
    const detail = buildDeliveryDetail(aRecordWithBody(''), options);
    assert.equal(detail.request.bodyText, '');
    assert.equal(detail.request.bodySize, 0);
    assert.equal(detail.request.truncated, false);
  });
});

describe('buildDeliveryDetail: response, auth and attempts', () => {
  it('maps every attempt, and the latest forward is the handler response', () => {
    const response = {
      status: 200,
      headers: [['X-Handler', 'yes']] as const,
      body: 'ok',
      timeMs: 7,
    };
    const captured = aRecordWithBody('{}').bodySha256;
    const record = aRecordWithBody('{}', {
      attempts: [
        anAttempt(500, 30, { id: 'f1', kind: 'forward', sentBodySha256: 'other' }),
        anAttempt(200, 7, { id: 'f2', kind: 'forward', sentBodySha256: captured, response }),
        anAttempt(200, 9, { id: 'r1', kind: 'replay', tokenMode: 'fresh', bodyEdited: true }),
        anAttempt(null, null, { id: 'r2', kind: 'replay', tokenMode: 'none' }),
      ],
    });
    const detail = buildDeliveryDetail(record, options);
    assert.deepEqual(
      detail.attempts.map((attempt) => [
        attempt.id,
        attempt.kind,
        attempt.status,
        attempt.tokenMode,
        attempt.bodyEdited,
        attempt.sentBodyIdentical,
        attempt.error,
      ]),
      [
        ['f1', 'forward', 500, 'original', false, false, null],
        ['f2', 'forward', 200, 'original', false, true, null],
        ['r1', 'replay', 200, 'fresh', true, null, null],
        ['r2', 'replay', null, 'none', false, null, 'connect ECONNREFUSED 127.0.0.1:3000'],
      ],
    );
    assert.equal(detail.forward?.id, 'f2');
    assert.deepEqual(detail.forward?.response, {
      status: 200,
      headers: [['X-Handler', 'yes']],
      body: 'ok',
      timeMs: 7,
    });
    assert.deepEqual(detail.response, { status: 200, headers: [], body: '', timeMs: 3 });
  });

  it('has no forward without forward attempts, and no response before one was sent', () => {
    const record = aRecordWithBody('{}', { response: null, attempts: [anAttempt(200, 1)] });
    const detail = buildDeliveryDetail(record, options);
    assert.equal(detail.forward, null);
    assert.equal(detail.response, null);
  });

  it("passes the verification's decoded header and claims, and omits them when absent", () => {
    const verified = aRecordWithBody('{}', {
      verification: {
        verdict: 'expired',
        reason: 'The token expired 5 minutes ago.',
        header: { alg: 'HS256', typ: 'JWT' },
        claims: { sub: 'watson', exp: 1_700_000_000 },
      },
    });
    assert.deepEqual(buildDeliveryDetail(verified, options).auth, {
      verdict: 'expired',
      reason: 'The token expired 5 minutes ago.',
      tokenPresent: true,
      header: { alg: 'HS256', typ: 'JWT' },
      claims: { sub: 'watson', exp: 1_700_000_000 },
    });
    const bare = buildDeliveryDetail(aRecordWithBody('{}'), options).auth;
    assert.ok(!('header' in bare) && !('claims' in bare));
  });
});

describe('buildDeliveryDetail: sender view', () => {
  it('is built for a recognised sender whose body parsed', () => {
    const detail = buildDeliveryDetail(
      aSenderRecord(watsonMessageLogged(), 'watson', 'message_logged'),
      options,
    );
    assert.equal(detail.senderView?.kind, 'watson-message');
  });

  it('is null when the body did not parse at capture, or the sender has no view', () => {
    const broken = aRecordWithBody('{"event":{"name":"message_logged"},', {
      parseError: 'The body is not JSON',
    });
    assert.equal(buildDeliveryDetail(broken, options).senderView, null);
    const generic = aSenderRecord(watsonMessageLogged(), 'generic', 'message_logged');
    assert.equal(buildDeliveryDetail(generic, options).senderView, null);
  });
});
