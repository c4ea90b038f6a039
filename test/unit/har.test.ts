// HAR 1.2 export: every field the spec requires, redaction, and a round trip through import that
// gives back the same bytes, method, URL and headers.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { describe, it } from 'node:test';
import type { DeliveryRecord } from '../../src/core/delivery';
import { redactHeaders } from '../../src/core/export/exportRecord';
import { harText, toHar, type HookLensEntry } from '../../src/core/export/har';
import { parseImport } from '../../src/core/export/importRecords';
import { aDelivery, anAttempt } from './builders';

/**
 * The HAR 1.2 spec's required fields and types (http://www.softwareishard.com/blog/har-12-spec/).
 * Returns every problem found, as "path: problem"; empty means valid.
 */
function harProblems(har: unknown): string[] {
  const problems: string[] = [];
  const check = (ok: boolean, path: string, problem: string): void => {
    if (!ok) problems.push(`${path}: ${problem}`);
  };
  const isObject = (value: unknown): value is Record<string, unknown> =>
    typeof value === 'object' && value !== null && !Array.isArray(value);
  const isNumber = (value: unknown): value is number =>
    typeof value === 'number' && Number.isFinite(value);
  const isoDate = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;
  const nameValues = (value: unknown, path: string): void => {
    check(Array.isArray(value), path, 'must be an array');
    if (!Array.isArray(value)) return;
    value.forEach((item: unknown, index) => {
      check(isObject(item), `${path}[${index}]`, 'must be an object');
      if (!isObject(item)) return;
      check(typeof item.name === 'string', `${path}[${index}].name`, 'must be a string');
      check(typeof item.value === 'string', `${path}[${index}].value`, 'must be a string');
    });
  };
  /** Custom fields must start with an underscore; the rest must be the spec's. */
  const onlyKnown = (value: Record<string, unknown>, known: string[], path: string): void => {
    for (const key of Object.keys(value)) {
      check(known.includes(key) || key.startsWith('_'), `${path}.${key}`, 'is not a HAR 1.2 field');
    }
  };

  check(isObject(har), 'har', 'must be an object');
  if (!isObject(har)) return problems;
  const log = har.log;
  check(isObject(log), 'log', 'must be an object');
  if (!isObject(log)) return problems;
  onlyKnown(log, ['version', 'creator', 'browser', 'pages', 'entries', 'comment'], 'log');
  check(log.version === '1.2', 'log.version', 'must be "1.2"');
  const creator = log.creator;
  check(isObject(creator), 'log.creator', 'must be an object');
  if (isObject(creator)) {
    check(typeof creator.name === 'string', 'log.creator.name', 'must be a string');
    check(typeof creator.version === 'string', 'log.creator.version', 'must be a string');
  }
  check(Array.isArray(log.entries), 'log.entries', 'must be an array');
  if (!Array.isArray(log.entries)) return problems;
  log.entries.forEach((entry: unknown, index) => {
    const at = `log.entries[${index}]`;
    check(isObject(entry), at, 'must be an object');
    if (!isObject(entry)) return;
    onlyKnown(
      entry,
      [
        'pageref',
        'startedDateTime',
        'time',
        'request',
        'response',
        'cache',
        'timings',
        'serverIPAddress',
        'connection',
        'comment',
      ],
      at,
    );
    check(
      typeof entry.startedDateTime === 'string' && isoDate.test(entry.startedDateTime),
      `${at}.startedDateTime`,
      'must be an ISO 8601 date',
    );
    check(isNumber(entry.time) && entry.time >= 0, `${at}.time`, 'must be a number ≥ 0');
    check(isObject(entry.cache), `${at}.cache`, 'must be an object');

    const request = entry.request;
    check(isObject(request), `${at}.request`, 'must be an object');
    if (isObject(request)) {
      const path = `${at}.request`;
      onlyKnown(
        request,
        [
          'method',
          'url',
          'httpVersion',
          'cookies',
          'headers',
          'queryString',
          'postData',
          'headersSize',
          'bodySize',
          'comment',
        ],
        path,
      );
      check(typeof request.method === 'string', `${path}.method`, 'must be a string');
      check(
        typeof request.url === 'string' && /^https?:\/\/[^/]+\//.test(request.url),
        `${path}.url`,
        'must be an absolute URL',
      );
      check(typeof request.httpVersion === 'string', `${path}.httpVersion`, 'must be a string');
      check(Array.isArray(request.cookies), `${path}.cookies`, 'must be an array');
      nameValues(request.headers, `${path}.headers`);
      nameValues(request.queryString, `${path}.queryString`);
      check(isNumber(request.headersSize), `${path}.headersSize`, 'must be a number');
      check(isNumber(request.bodySize), `${path}.bodySize`, 'must be a number');
      if (request.postData !== undefined) {
        const postData = request.postData;
        check(isObject(postData), `${path}.postData`, 'must be an object');
        if (isObject(postData)) {
          check(
            typeof postData.mimeType === 'string',
            `${path}.postData.mimeType`,
            'must be a string',
          );
          check(
            typeof postData.text === 'string' || Array.isArray(postData.params),
            `${path}.postData`,
            'needs text or params',
          );
        }
      }
    }

    const response = entry.response;
    check(isObject(response), `${at}.response`, 'must be an object');
    if (isObject(response)) {
      const path = `${at}.response`;
      check(isNumber(response.status), `${path}.status`, 'must be a number');
      check(typeof response.statusText === 'string', `${path}.statusText`, 'must be a string');
      check(typeof response.httpVersion === 'string', `${path}.httpVersion`, 'must be a string');
      check(Array.isArray(response.cookies), `${path}.cookies`, 'must be an array');
      nameValues(response.headers, `${path}.headers`);
      check(typeof response.redirectURL === 'string', `${path}.redirectURL`, 'must be a string');
      check(isNumber(response.headersSize), `${path}.headersSize`, 'must be a number');
      check(isNumber(response.bodySize), `${path}.bodySize`, 'must be a number');
      const content = response.content;
      check(isObject(content), `${path}.content`, 'must be an object');
      if (isObject(content)) {
        check(isNumber(content.size), `${path}.content.size`, 'must be a number');
        check(typeof content.mimeType === 'string', `${path}.content.mimeType`, 'must be a string');
      }
    }

    const timings = entry.timings;
    check(isObject(timings), `${at}.timings`, 'must be an object');
    if (isObject(timings)) {
      for (const phase of ['send', 'wait', 'receive']) {
        const value = timings[phase];
        check(isNumber(value) && value >= 0, `${at}.timings.${phase}`, 'is required, ≥ 0');
      }
      for (const phase of ['blocked', 'dns', 'connect', 'ssl']) {
        const value = timings[phase];
        check(
          value === undefined || (isNumber(value) && value >= -1),
          `${at}.timings.${phase}`,
          'must be -1 or ≥ 0',
        );
      }
      const total = ['blocked', 'dns', 'connect', 'send', 'wait', 'receive']
        .map((phase) => timings[phase])
        .filter((value): value is number => isNumber(value) && value >= 0)
        .reduce((sum, value) => sum + value, 0);
      check(entry.time === total, `${at}.time`, `must equal the sum of the timings (${total})`);
    }
  });
  return problems;
}

const sha256 = (bytes: Buffer): string => createHash('sha256').update(bytes).digest('hex');
const TOKEN = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ3YXRzb24ifQ.c2lnbmF0dXJl';

function stored(id: string, overrides: Parameters<typeof aDelivery>[1] = {}): DeliveryRecord {
  return { ...aDelivery(id, overrides), seq: 1 };
}

function binaryDelivery(id: string): DeliveryRecord {
  const bytes = Buffer.from([0xff, 0xfe, 0x00, 0x01, 0x7f]);
  return stored(id, {
    headers: [
      ['Host', '127.0.0.1:7878'],
      ['Content-Type', 'application/octet-stream'],
    ],
    bodyBase64: bytes.toString('base64'),
    bodySha256: sha256(bytes),
    bodySize: bytes.length,
    parseError: 'The body is not valid UTF-8 text.',
  });
}

const records: DeliveryRecord[] = [
  stored('har1', {
    url: '/hooks/watson?env=dev&tag=a%20b&tag=c',
    headers: [
      ['Host', '127.0.0.1:7878'],
      ['User-Agent', 'IBM-Watson/1.0'],
      ['Content-Type', 'application/json'],
      ['Authorization', TOKEN],
      ['Cookie', 'session=abc'],
      ['X-Dup', 'one'],
      ['X-Dup', 'two'],
    ],
    response: {
      status: 401,
      headers: [
        ['Content-Type', 'application/json; charset=utf-8'],
        ['Set-Cookie', 'sid=xyz'],
      ],
      body: '{"error":"unauthorized"}',
      timeMs: 2.5,
    },
    attempts: [
      anAttempt(200, 12, { target: 'http://user:pass@127.0.0.1:3000/hook', kind: 'replay' }),
    ],
    duplicateOf: null,
  }),
  binaryDelivery('har2'),
  stored('har3', {
    url: '/x',
    headers: [['Host', 'evil host\u00ad/"<script>']],
    bodyBase64: Buffer.from('\ufeff{"bom":true}').toString('base64'),
    bodySize: Buffer.byteLength('\ufeff{"bom":true}'),
    response: null,
  }),
  stored('har4', { bodyBase64: '', bodySize: 0, bodySha256: sha256(Buffer.alloc(0)) }),
];

describe('toHar', () => {
  const har = toHar(records, { duplicateCounts: new Map([['har1', 2]]) });
  const entries = har.log.entries as HookLensEntry[];

  it('has every field HAR 1.2 requires, and only underscore custom fields', () => {
    assert.deepEqual(harProblems(JSON.parse(JSON.stringify(har))), []);
    assert.equal(entries.length, records.length);
    assert.equal(har.log.creator.name, 'HookLens');
  });

  it('the request is what the sender sent: method, absolute URL from Host, headers, query', () => {
    const [first] = entries;
    assert.equal(first?.request.method, 'POST');
    assert.equal(first?.request.url, 'http://127.0.0.1:7878/hooks/watson?env=dev&tag=a%20b&tag=c');
    assert.deepEqual(first?.request.queryString, [
      { name: 'env', value: 'dev' },
      { name: 'tag', value: 'a b' },
      { name: 'tag', value: 'c' },
    ]);
    assert.deepEqual(
      first?.request.headers.filter((header) => header.name === 'X-Dup'),
      [
        { name: 'X-Dup', value: 'one' },
        { name: 'X-Dup', value: 'two' },
      ],
    );
    assert.equal(first?.startedDateTime, records[0]?.receivedAt);
    assert.equal(entries[2]?.request.url, 'http://localhost/x', 'a Host that is not a host name');
  });

  it('credentials are redacted by default; keepAuthorization keeps only Authorization', () => {
    const text = JSON.stringify(har);
    assert.ok(!text.includes(TOKEN));
    assert.ok(!text.includes('session=abc'));
    assert.ok(!text.includes('sid=xyz'));
    const kept = JSON.stringify(toHar(records, { keepAuthorization: true }));
    assert.ok(kept.includes(TOKEN));
    assert.ok(!kept.includes('session=abc'), 'Cookie stays redacted');
  });

  it('the body: text when UTF-8 (BOM kept), base64 with encoding otherwise, none when empty', () => {
    const [first, binary, bom, empty] = entries;
    assert.equal(first?.request.postData?.mimeType, 'application/json');
    assert.equal(
      first?.request.postData?.text,
      Buffer.from(records[0]?.bodyBase64 ?? '', 'base64').toString(),
    );
    assert.deepEqual(binary?.request.postData, {
      mimeType: 'application/octet-stream',
      text: records[1]?.bodyBase64,
      encoding: 'base64',
    });
    assert.equal(bom?.request.postData?.text, '\ufeff{"bom":true}');
    assert.equal(empty?.request.postData, undefined);
    assert.equal(empty?.request.bodySize, 0);
  });

  it('the response is what the sender was answered; none is status 0', () => {
    const [first, , none] = entries;
    assert.equal(first?.response.status, 401);
    assert.equal(first?.response.statusText, 'Unauthorized');
    assert.equal(first?.response.content.text, '{"error":"unauthorized"}');
    assert.equal(first?.response.content.mimeType, 'application/json; charset=utf-8');
    assert.equal(first?.time, 2.5);
    assert.equal(first?.timings.wait, 2.5);
    assert.equal(none?.response.status, 0);
  });

  it('_hooklens carries the verdict, event, session, sender and an attempts summary', () => {
    const fields = entries[0]?._hooklens;
    assert.equal(fields?.id, 'har1');
    assert.equal(fields?.verdict, 'verified');
    assert.equal(fields?.event, 'message_logged');
    assert.equal(fields?.sessionId, 'session-1');
    assert.equal(fields?.sender, 'watson');
    assert.equal(fields?.retryCount, 3, 'one replay and two sender retries');
    assert.deepEqual(fields?.attempts, [
      {
        kind: 'replay',
        at: '2025-06-01T10:05:00.000Z',
        target: 'http://127.0.0.1:3000/hook',
        tokenMode: 'original',
        status: 200,
        timeMs: 12,
        error: null,
      },
    ]);
    assert.ok(!JSON.stringify(har).includes('user:pass'), 'credentials in a target are dropped');
  });

  it('harText writes the same document, one entry at a time', async () => {
    let text = '';
    for await (const piece of harText(records, { duplicateCounts: new Map([['har1', 2]]) })) {
      text += piece;
    }
    assert.deepEqual(JSON.parse(text), JSON.parse(JSON.stringify(har)));
    let empty = '';
    for await (const piece of harText([])) empty += piece;
    assert.deepEqual(JSON.parse(empty), {
      log: { version: '1.2', creator: har.log.creator, entries: [] },
    });
  });
});

describe('HAR round trip: export, then import', () => {
  function roundTrip(keepAuthorization: boolean) {
    const text = JSON.stringify(toHar(records, { keepAuthorization }), null, 2);
    const result = parseImport(text, { fileName: 'deliveries.har' });
    assert.equal(result.format, 'har');
    assert.deepEqual(result.skipped, []);
    assert.equal(result.records.length, records.length);
    return result.records;
  }

  it('keeps body bytes (SHA-256), method, URL and headers; Authorization stays redacted', () => {
    const imported = roundTrip(false);
    imported.forEach((record, index) => {
      const original = records[index] as DeliveryRecord;
      const bytes = Buffer.from(original.bodyBase64, 'base64');
      assert.equal(record.bodySha256, sha256(bytes), original.id);
      assert.equal(record.bodyBase64, original.bodyBase64);
      assert.equal(record.method, original.method);
      assert.equal(record.url, original.url);
      assert.equal(record.id, original.id);
      assert.equal(record.receivedAt, original.receivedAt);
      // Only credentials differ, and only by being redacted: the rest is header for header.
      assert.deepEqual(record.headers, redactHeaders(original.headers));
      assert.equal(record.headers.length, original.headers.length);
      for (const [name, value] of record.headers) {
        if (/^(authorization|cookie)$/i.test(name)) assert.match(value, /\[redacted\]$/);
      }
    });
  });

  it('with keepAuthorization the token comes back too', () => {
    const imported = roundTrip(true);
    assert.deepEqual(
      imported[0]?.headers.find(([name]) => name === 'Authorization'),
      ['Authorization', TOKEN],
    );
  });

  it('the verdict and response come back; sender and event are derived again from the body', () => {
    const [first] = roundTrip(false);
    assert.equal(first?.verification.verdict, 'verified');
    assert.match(first?.verification.reason ?? '', /^Imported from deliveries\.har; /);
    assert.equal(first?.response?.status, 401);
    assert.equal(first?.response?.body, '{"error":"unauthorized"}');
    // The builder's body is {"id","text"}: a generic JSON webhook, whatever the record claimed.
    assert.equal(first?.sender, 'generic');
  });
});
