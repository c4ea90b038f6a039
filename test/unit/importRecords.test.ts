// Import from NDJSON, JSON and HAR: what is derived again, what is kept from the file, duplicates,
// and hostile or broken files (bad lines reported by number, the rest still imported).
import { analyserWithSecrets } from '../../src/core/analysis/analyseRequest';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { describe, it } from 'node:test';
import type { DeliveryRecord } from '../../src/core/delivery';
import { exportDelivery } from '../../src/core/export/exportRecord';
import { toHar } from '../../src/core/export/har';
import {
  elementLines,
  ImportError,
  importIntoStore,
  MAX_IMPORT_BODY_BYTES,
  MAX_IMPORT_FILE_BYTES,
  parseImport,
} from '../../src/core/export/importRecords';
import { aDelivery } from './builders';
import { useStoreFixtures } from './storeFixtures';

const fixtures = useStoreFixtures('hooklens-import-');
const sha256 = (bytes: Buffer): string => createHash('sha256').update(bytes).digest('hex');
const options = { fileName: 'deliveries.ndjson' };

function watsonBody(logId: string): string {
  return JSON.stringify({
    event: { name: 'message_logged' },
    payload: { log_id: logId, session_id: `session-${logId}`, text: 'hello' },
  });
}

function stored(id: string, overrides: Parameters<typeof aDelivery>[1] = {}): DeliveryRecord {
  return { ...aDelivery(id, overrides), seq: 1 };
}

function watsonRecord(id: string, logId = `log-${id}`): DeliveryRecord {
  const body = Buffer.from(watsonBody(logId));
  return stored(id, {
    bodyBase64: body.toString('base64'),
    bodySha256: sha256(body),
    bodySize: body.length,
  });
}

function ndjson(records: readonly DeliveryRecord[]): string {
  return records.map((record) => `${JSON.stringify(exportDelivery(record))}\n`).join('');
}

/** One valid export line as an object, to break in a test. */
function exportedLine(id: string): Record<string, unknown> {
  return { ...exportDelivery(watsonRecord(id)) };
}

describe('parseImport: NDJSON (hooklens export)', () => {
  it('reads each line back into a delivery, deriving hash, sender, event and session again', () => {
    const line = {
      ...exportedLine('n1'),
      bodySha256: '0'.repeat(64),
      sender: 'rapida',
      event: 'made_up',
      sessionId: 'made-up',
    };
    const result = parseImport(`${JSON.stringify(line)}\n`, options);
    assert.equal(result.format, 'ndjson');
    assert.deepEqual(result.skipped, []);
    const [record] = result.records;
    const bytes = Buffer.from(watsonBody('log-n1'));
    assert.equal(record?.id, 'n1');
    assert.equal(record?.bodyBase64, bytes.toString('base64'));
    assert.equal(record?.bodySha256, sha256(bytes), 'recomputed, not taken from the file');
    assert.equal(record?.bodySize, bytes.length);
    assert.equal(record?.sender, 'watson');
    assert.equal(record?.event, 'message_logged');
    assert.equal(record?.sessionId, 'session-log-n1');
    assert.equal(record?.senderEventId, 'log-n1');
    assert.equal(record?.dedupeKey, 'sender:watson:log-n1');
    assert.equal(record?.parseError, null);
    assert.equal(record?.receivedAt, '2025-06-01T10:00:00.000Z');
    assert.deepEqual(record?.attempts, []);
    assert.deepEqual(record?.response, { status: 200, headers: [], body: '', timeMs: 3 });
  });

  it('keeps the verdict from the file, labelled as imported and not verified again', () => {
    const [record] = parseImport(ndjson([watsonRecord('n2')]), options).records;
    assert.equal(record?.verification.verdict, 'verified');
    assert.equal(
      record?.verification.reason,
      'Imported from deliveries.ndjson; not verified again. At capture: Signature and time claims are valid.',
    );
  });

  it('without a valid verdict: missing_token when there is no Authorization, else no_secret', () => {
    const unsigned = {
      ...exportedLine('n3'),
      headers: [['Content-Type', 'application/json']],
      verification: { verdict: 'totally_fine', reason: 'trust me' },
    };
    const signed = { ...exportedLine('n4'), verification: undefined };
    const result = parseImport(`${JSON.stringify(unsigned)}\n${JSON.stringify(signed)}\n`, options);
    assert.equal(result.records[0]?.verification.verdict, 'missing_token');
    assert.equal(result.records[1]?.verification.verdict, 'no_secret');
    assert.match(result.records[0]?.verification.reason ?? '', /the file has no verdict/);
  });

  it('base64 bodies come back byte for byte; a BOM in a text body is kept', () => {
    const bytes = Buffer.from([0xff, 0x00, 0xfe, 0x0a]);
    const binary = stored('n5', {
      bodyBase64: bytes.toString('base64'),
      bodySha256: sha256(bytes),
      bodySize: bytes.length,
    });
    const bomText = Buffer.from('\ufeff{"a":1}');
    const bom = stored('n6', { bodyBase64: bomText.toString('base64'), bodySize: bomText.length });
    const result = parseImport(ndjson([binary, bom]), options);
    assert.equal(result.records[0]?.bodyBase64, bytes.toString('base64'));
    assert.ok(result.records[0]?.parseError);
    assert.equal(result.records[1]?.bodyBase64, bomText.toString('base64'));
  });

  it('keeps safe ids and gives fresh ones to missing or unsafe ids', () => {
    const lines = [
      { ...exportedLine('keep_me-1') },
      { ...exportedLine('x'), id: '../../etc/passwd' },
      { ...exportedLine('x'), id: undefined },
      { ...exportedLine('x'), id: 'a'.repeat(65) },
    ];
    const result = parseImport(lines.map((line) => JSON.stringify(line)).join('\n'), options);
    const ids = result.records.map((record) => record.id);
    assert.equal(ids[0], 'keep_me-1');
    for (const id of ids.slice(1)) assert.match(id, /^[0-9a-z]{19}$/);
    assert.equal(new Set(ids).size, 4);
  });

  it('an id repeated in the file is a duplicate, not a second delivery', () => {
    const text = ndjson([watsonRecord('d1'), watsonRecord('d1'), watsonRecord('d2')]);
    const result = parseImport(text, options);
    assert.deepEqual(
      result.records.map((record) => record.id),
      ['d1', 'd2'],
    );
    assert.equal(result.duplicates, 1);
  });

  it('reports malformed lines with their numbers and imports the rest (CRLF, blank lines)', () => {
    const good = JSON.stringify(exportedLine('g1'));
    const lines = [
      good, // 1
      '{"broken": ', // 2
      '', // 3 (blank: ignored)
      JSON.stringify({ ...exportedLine('g2'), method: 42 }), // 4
      '[1, 2, 3]', // 5
      JSON.stringify({ ...exportedLine('g3'), path: 'no-slash' }), // 6
      JSON.stringify({ ...exportedLine('g4'), headers: { 'Content-Type': 'x' } }), // 7
      JSON.stringify({ ...exportedLine('g5'), headers: [['X-Evil', 'a\r\nInjected: 1']] }), // 8
      JSON.stringify({ ...exportedLine('g6'), body: 'not base64!', bodyEncoding: 'base64' }), // 9
      JSON.stringify({ ...exportedLine('g7'), body: 12 }), // 10
      JSON.stringify({ ...exportedLine('g8'), bodyEncoding: 'latin1' }), // 11
      JSON.stringify({ ...exportedLine('g9'), headers: [['Bad Name', 'x']] }), // 12
      JSON.stringify(exportedLine('g10')), // 13
    ];
    const result = parseImport(lines.join('\r\n'), options);
    assert.deepEqual(
      result.records.map((record) => record.id),
      ['g1', 'g10'],
    );
    assert.deepEqual(
      result.skipped.map((skip) => skip.line),
      [2, 4, 5, 6, 7, 8, 9, 10, 11, 12],
    );
    const reasons = result.skipped.map((skip) => skip.reason);
    assert.match(reasons[0] ?? '', /not valid JSON/);
    assert.match(reasons[1] ?? '', /method/);
    assert.match(reasons[2] ?? '', /not a JSON object/);
    assert.match(reasons[3] ?? '', /"path" must be a request path/);
    assert.match(reasons[4] ?? '', /"headers" must be a list/);
    assert.match(reasons[5] ?? '', /line break/);
    assert.match(reasons[6] ?? '', /not valid base64/);
    assert.match(reasons[7] ?? '', /"body" must be a string/);
    assert.match(reasons[8] ?? '', /"bodyEncoding"/);
    assert.match(reasons[9] ?? '', /header name/);
  });

  it('the JSON array export imports too, with line numbers of bad items', () => {
    const text = JSON.stringify(
      [exportedLine('j1'), { ...exportedLine('j2'), method: null }, exportedLine('j3')],
      null,
      2,
    );
    const result = parseImport(text, options);
    assert.equal(result.format, 'json');
    assert.deepEqual(
      result.records.map((record) => record.id),
      ['j1', 'j3'],
    );
    assert.equal(result.skipped.length, 1);
    assert.equal(result.skipped[0]?.entry, 2);
    const line = result.skipped[0]?.line ?? 0;
    assert.equal(text.split('\n')[line - 1], '  {', 'the line where item 2 starts');
  });

  it('an empty file imports nothing, without an error', () => {
    for (const text of ['', '\n\n', '\ufeff']) {
      const result = parseImport(text, options);
      assert.deepEqual([result.records, result.skipped, result.duplicates], [[], [], 0]);
    }
  });
});

describe('parseImport: HAR', () => {
  it('reads HookLens HAR entries, using _hooklens for id, verdict and reason', () => {
    const har = toHar([watsonRecord('h1'), watsonRecord('h2')]);
    const result = parseImport(JSON.stringify(har), { fileName: 'x.har' });
    assert.equal(result.format, 'har');
    assert.deepEqual(
      result.records.map((record) => [record.id, record.verification.verdict, record.event]),
      [
        ['h1', 'verified', 'message_logged'],
        ['h2', 'verified', 'message_logged'],
      ],
    );
  });

  it('reads a browser-style HAR without _hooklens', () => {
    const har = {
      log: {
        version: '1.2',
        creator: { name: 'Browser', version: '1' },
        entries: [
          {
            startedDateTime: '2025-07-01T12:00:00.000+02:00',
            time: 40,
            request: {
              method: 'POST',
              url: 'https://api.example.com/v1/hooks?x=1#frag',
              httpVersion: 'HTTP/2',
              headers: [
                { name: ':authority', value: 'api.example.com' },
                { name: 'content-type', value: 'application/json' },
                { name: 'authorization', value: 'Bearer abc.def.ghi' },
              ],
              queryString: [],
              cookies: [],
              postData: {
                mimeType: 'application/json',
                text: '{"type":"invoice.paid","id":"evt_1"}',
              },
              headersSize: -1,
              bodySize: 36,
            },
            response: {
              status: 204,
              statusText: 'No Content',
              headers: [{ name: 'x-served-by', value: 'edge' }],
              content: { size: 2, mimeType: 'text/plain', text: 'b2s=', encoding: 'base64' },
            },
            cache: {},
            timings: { send: 0, wait: 40, receive: 0 },
          },
          {
            startedDateTime: '2025-07-01T12:00:01.000Z',
            time: 1,
            request: {
              method: 'POST',
              url: '/form',
              headers: [{ name: 'Content-Type', value: 'application/x-www-form-urlencoded' }],
              postData: {
                mimeType: 'application/x-www-form-urlencoded',
                params: [
                  { name: 'a', value: '1 2' },
                  { name: 'b', value: 'é&' },
                ],
              },
            },
            response: { status: 0 },
          },
        ],
      },
    };
    const result = parseImport(JSON.stringify(har), { fileName: 'browser.har' });
    assert.deepEqual(result.skipped, []);
    const [api, form] = result.records;
    assert.equal(api?.url, '/v1/hooks?x=1');
    assert.equal(api?.receivedAt, '2025-07-01T10:00:00.000Z');
    assert.deepEqual(api?.headers, [
      ['content-type', 'application/json'],
      ['authorization', 'Bearer abc.def.ghi'],
    ]);
    assert.equal(api?.event, 'invoice.paid');
    assert.equal(api?.sender, 'generic');
    assert.equal(api?.verification.verdict, 'no_secret');
    assert.deepEqual(api?.response, {
      status: 204,
      headers: [['x-served-by', 'edge']],
      body: 'ok',
      timeMs: 40,
    });
    assert.match(api?.id ?? '', /^[0-9a-z]{19}$/);
    assert.equal(Buffer.from(form?.bodyBase64 ?? '', 'base64').toString(), 'a=1+2&b=%C3%A9%26');
    assert.equal(form?.response, null);
    assert.equal(form?.verification.verdict, 'missing_token');
  });

  it('reports bad entries with the line they start on and imports the others', () => {
    const good = toHar([watsonRecord('e1')]).log.entries[0];
    const har = {
      log: {
        version: '1.2',
        creator: { name: 'x', version: '1' },
        entries: [
          good,
          { ...good, request: 'nope' },
          { ...good, request: { ...good?.request, method: 'GET /x' } },
          {
            ...good,
            request: {
              ...good?.request,
              postData: { mimeType: 'multipart/form-data', params: [{ name: 'f', fileName: 'a' }] },
            },
            _hooklens: { id: 'e4' },
          },
          { ...good, _hooklens: { id: 'e5' } },
        ],
      },
    };
    const text = JSON.stringify(har, null, 2);
    const result = parseImport(text, { fileName: 'x.har' });
    assert.deepEqual(
      result.records.map((record) => record.id),
      ['e1', 'e5'],
    );
    assert.deepEqual(
      result.skipped.map((skip) => skip.entry),
      [2, 3, 4],
    );
    const lines = text.split('\n');
    for (const skip of result.skipped)
      assert.equal(lines[skip.line - 1], '      {', `${skip.line}`);
    assert.match(result.skipped[0]?.reason ?? '', /"request" is missing or not an object/);
    assert.match(result.skipped[1]?.reason ?? '', /HTTP method/);
    assert.match(result.skipped[2]?.reason ?? '', /byte for byte/);
  });

  it('a HAR without log.entries is refused as a whole', () => {
    assert.throws(
      () => parseImport('{"log":{"version":"1.2"}}', { fileName: 'x.har' }),
      (error: unknown) =>
        error instanceof ImportError && /no "log.entries" list/.test(error.message),
    );
  });
});

describe('parseImport: hostile and broken files', () => {
  it('a file that is not JSON or NDJSON is refused with the line of the first error', () => {
    assert.throws(
      () => parseImport('hello world', options),
      /deliveries\.ndjson is not a HookLens export .* does not start with/,
    );
    const brokenHar = '{\n  "log": {\n    "entries": [\n      { "request": } \n    ]\n  }\n}';
    assert.throws(
      () => parseImport(brokenHar, { fileName: 'broken.har' }),
      (error: unknown) =>
        error instanceof ImportError &&
        /^broken\.har is not valid JSON or NDJSON: .*\(line 4, column \d+\)\.$/.test(error.message),
    );
  });

  it('a damaged first line costs only that line', () => {
    const text = `\u0000garbage\n${JSON.stringify(exportedLine('after'))}\n`;
    const result = parseImport(text, options);
    assert.deepEqual(
      result.records.map((record) => record.id),
      ['after'],
    );
    assert.deepEqual(
      result.skipped.map((skip) => skip.line),
      [1],
    );
  });

  it('refuses a file over 256 MiB as a whole, saying so', () => {
    const huge = `{"a":"${'x'.repeat(MAX_IMPORT_FILE_BYTES)}"}`;
    assert.throws(
      () => parseImport(huge, options),
      (error: unknown) =>
        error instanceof ImportError && /imports files of up to 256 MiB/.test(error.message),
    );
  });

  it('refuses a body over 25 MiB for that entry only', () => {
    const big = { ...exportedLine('big'), body: 'x'.repeat(MAX_IMPORT_BODY_BYTES + 1) };
    const bigBase64 = {
      ...exportedLine('big64'),
      body: 'A'.repeat(Math.ceil(((MAX_IMPORT_BODY_BYTES + 3) * 4) / 3 / 4) * 4),
      bodyEncoding: 'base64',
    };
    const text = [big, bigBase64, exportedLine('small')]
      .map((line) => JSON.stringify(line))
      .join('\n');
    const result = parseImport(text, options);
    assert.deepEqual(
      result.records.map((record) => record.id),
      ['small'],
    );
    assert.deepEqual(
      result.skipped.map((skip) => skip.line),
      [1, 2],
    );
    for (const skip of result.skipped) assert.match(skip.reason, /over 25 MiB are not imported/);
  });

  it('__proto__ and constructor keys are data: no prototype pollution, fields not confused', () => {
    const line =
      '{"__proto__":{"polluted":true,"method":"POST"},"constructor":{"prototype":{"polluted":true}},' +
      '"path":"/p","body":"{\\"__proto__\\":{\\"polluted\\":true}}","headers":[["__proto__","x"]]}';
    const noMethod = '{"__proto__":{"method":"POST"},"path":"/p","body":"{}"}';
    const result = parseImport(`${line}\n${noMethod}\n`, options);
    assert.equal(({} as Record<string, unknown>).polluted, undefined);
    assert.equal(Object.prototype.hasOwnProperty.call(Object.prototype, 'polluted'), false);
    assert.equal(result.skipped.length, 2, 'method only inside __proto__ does not count');
    assert.match(result.skipped[0]?.reason ?? '', /method/);
  });

  it('wrong types everywhere are reported, never thrown', () => {
    const values: unknown[] = [
      null,
      'string',
      42,
      true,
      { method: 'POST', path: '/p', body: '{}', headers: 'Content-Type: x' },
      { method: 'POST', path: '/p', body: '{}', headers: [['a']] },
      { method: 'POST', path: '/p', body: '{}', headers: [[1, 2]] },
      { method: 'POST', path: ['/p'], body: '{}' },
      { method: 'POST', path: '/p q', body: '{}' },
      { method: 'POST', path: '/p', body: { text: 'x' } },
      { method: 'x'.repeat(40), path: '/p', body: '{}' },
    ];
    const result = parseImport(values.map((value) => JSON.stringify(value)).join('\n'), options);
    assert.equal(result.records.length, 0);
    assert.equal(result.skipped.length, values.length);
  });

  it('odd but valid values import with safe defaults', () => {
    const line = {
      method: 'POST',
      path: '/p',
      body: '{}',
      receivedAt: 'not a date',
      remoteAddress: 'a\u202eb\nc',
      verification: { verdict: 'verified', reason: 'x'.repeat(10_000) },
      status: 'two hundred',
      duplicateOf: 'missing-elsewhere',
    };
    const now = Date.parse('2025-09-09T09:09:09.000Z');
    const [record] = parseImport(JSON.stringify(line), { ...options, now: () => now }).records;
    assert.equal(record?.receivedAt, '2025-09-09T09:09:09.000Z');
    assert.equal(record?.remoteAddress, 'a\\u202Eb\\nc');
    assert.ok((record?.verification.reason.length ?? 0) < 500);
    assert.equal(record?.response, null);
    assert.deepEqual(record?.headers, []);
  });

  it('a deeply nested body imports (kept raw); a deeply nested line is reported', () => {
    const deepBody = `${'['.repeat(50_000)}${']'.repeat(50_000)}`;
    const lines = [
      JSON.stringify({ ...exportedLine('deep'), body: deepBody }),
      `${'['.repeat(50_000)}${']'.repeat(50_000)}`,
    ];
    const result = parseImport(lines.join('\n'), options);
    assert.equal(result.records[0]?.bodySize, deepBody.length);
    assert.deepEqual(
      result.skipped.map((skip) => skip.line),
      [2],
    );
  });

  it('issue 14.9: a header value HTTP cannot carry (\\x01, \\x7f, U+202E) is refused with its line, the rest imported', () => {
    const lines = [
      exportedLine('ok1'),
      { ...exportedLine('bad1'), headers: [['X-A', 'a\u0001b']] },
      { ...exportedLine('bad2'), headers: [['X-B', 'a\u007fb']] },
      { ...exportedLine('bad3'), headers: [['X-C', 'evil\u202Etxt.exe']] },
      { ...exportedLine('ok2'), headers: [['X-Latin', 'café']] },
    ];
    const result = parseImport(lines.map((line) => JSON.stringify(line)).join('\n'), options);
    assert.deepEqual(
      result.records.map((record) => record.id),
      ['ok1', 'ok2'],
    );
    assert.deepEqual(
      result.skipped.map((skip) => skip.line),
      [2, 3, 4],
    );
    assert.match(result.skipped[0]?.reason ?? '', /X-A contains U\+0001, which HTTP cannot carry/);
    assert.match(result.skipped[1]?.reason ?? '', /U\+007F/);
    assert.match(result.skipped[2]?.reason ?? '', /U\+202E/);
  });

  it('a header carrying the configured secret is stored redacted', () => {
    const line = {
      ...exportedLine('s1'),
      headers: [['Authorization', 'Bearer the-secret-value-123']],
    };
    const [record] = parseImport(JSON.stringify(line), {
      ...options,
      analyser: analyserWithSecrets([
        { provider: null, label: 'current', value: 'the-secret-value-123' },
      ]),
    }).records;
    assert.ok(!JSON.stringify(record).includes('the-secret-value-123'));
    assert.match(record?.headers[0]?.[1] ?? '', /redacted by HookLens/);
  });
});

describe('elementLines', () => {
  it('finds the line each element of the array at a path starts on', () => {
    const text =
      '{\n "log": {\n  "x": [1,\n2],\n  "entries": [\n   {"a": "[{"},\n   [],\n   3\n  ]\n }\n}';
    assert.deepEqual(elementLines(text, ['log', 'entries']), [6, 7, 8]);
    assert.deepEqual(elementLines('[\n1,\n"a\\"]",\n{}\n]', []), [2, 3, 4]);
  });
});

describe('importIntoStore', () => {
  it('stores new deliveries, then skips them all as duplicates on a second import', async () => {
    const store = await fixtures.open(await fixtures.tempDir());
    const text = ndjson([watsonRecord('s1'), watsonRecord('s2'), watsonRecord('s3')]);
    const first = await importIntoStore(store, text, options);
    assert.deepEqual(
      first.records.map((record) => record.id),
      ['s1', 's2', 's3'],
    );
    assert.equal(first.duplicates, 0);
    assert.equal(store.size, 3);
    const again = await importIntoStore(store, text, options);
    assert.equal(again.records.length, 0);
    assert.equal(again.duplicates, 3);
    assert.equal(store.size, 3);
    const read = await store.get('s2');
    assert.equal(read?.event, 'message_logged');
  });

  it('the same body, method and URL under another id is a duplicate too', async () => {
    const store = await fixtures.open(await fixtures.tempDir());
    await importIntoStore(store, ndjson([watsonRecord('c1', 'same-log')]), options);
    const result = await importIntoStore(store, ndjson([watsonRecord('c2', 'same-log')]), options);
    assert.equal(result.duplicates, 1);
    assert.equal(result.records.length, 0);
    const other = await importIntoStore(
      store,
      ndjson([stored('c3', { ...watsonRecord('c3', 'same-log'), url: '/other' })]),
      options,
    );
    assert.equal(other.records.length, 1, 'another URL is another delivery');
  });

  it('keeps duplicateOf only when it names a delivery that is stored or imported with it', async () => {
    const store = await fixtures.open(await fixtures.tempDir());
    const original = watsonRecord('o1');
    const retry = stored('o2', { ...watsonRecord('o2'), url: '/retry', duplicateOf: 'o1' });
    const orphan = stored('o3', { ...watsonRecord('o3'), duplicateOf: 'gone' });
    const result = await importIntoStore(store, ndjson([original, retry, orphan]), options);
    assert.deepEqual(
      result.records.map((record) => [record.id, record.duplicateOf]),
      [
        ['o1', null],
        ['o2', 'o1'],
        ['o3', null],
      ],
    );
  });

  it('refuses a store that another process owns, and imports nothing', async () => {
    const dir = await fixtures.tempDir();
    const owner = await fixtures.open(dir);
    const viewer = await fixtures.open(dir);
    assert.equal(viewer.mode, 'viewer');
    await assert.rejects(
      importIntoStore(viewer, ndjson([watsonRecord('v1')]), options),
      (error: unknown) =>
        error instanceof ImportError && /in use by another HookLens process/.test(error.message),
    );
    assert.equal(owner.size, 0);
  });
});
