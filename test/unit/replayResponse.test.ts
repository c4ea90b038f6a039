// The replay response document (issue 16, "the answer beside the action"): status line, time,
// headers, the body pretty-printed when it is JSON (as JSONC with the header as comments), and a
// summary per delivery when several were replayed.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Attempt } from '../../src/core/delivery';
import {
  formatResponseDocument,
  MAX_LISTED,
  prettyJson,
  statusLine,
} from '../../src/vscode/replay/responseText';
import { english, type L10n } from '../../src/vscode/translation';

function attempt(overrides: Partial<Attempt> = {}): Attempt {
  return {
    id: 'att_1',
    kind: 'replay',
    at: '2026-12-05T02:00:00.000Z',
    target: 'http://localhost:3000/webhooks',
    tokenMode: 'fresh',
    status: 200,
    timeMs: 42,
    error: null,
    response: {
      status: 200,
      headers: [
        ['content-type', 'application/json'],
        ['x-request-id', 'r-7'],
      ],
      body: '{"ok":true,"id":9007199254740993,"items":[],"nested":{"a":[1,"x,y"]}}',
      timeMs: 42,
    },
    ...overrides,
  };
}

const target = 'http://localhost:3000/webhooks';

describe('formatResponseDocument', () => {
  it('one JSON answer: JSONC, the header as comments, the body indented with its digits kept', () => {
    const doc = formatResponseDocument(
      {
        target,
        replayed: [{ deliveryId: 'dlv_1', event: 'message_logged', attempt: attempt() }],
        failures: [],
        cancelled: false,
      },
      english,
    );
    assert.equal(doc.language, 'jsonc');
    const lines = doc.text.split('\n');
    assert.equal(lines[0], '// HTTP 200 OK · 42 ms');
    assert.equal(lines[1], `// ${target} · replay of message_logged (dlv_1)`);
    assert.match(lines[2] ?? '', /^\/\/ Fresh signature · /);
    assert.ok(lines.includes('// content-type: application/json'), doc.text);
    assert.ok(lines.includes('// x-request-id: r-7'), doc.text);
    // The body after the comments is the JSON, pretty-printed, and still the same value.
    const body = lines.filter((line) => !line.startsWith('//')).join('\n');
    assert.match(body, /\{\n {2}"ok": true,\n {2}"id": 9007199254740993,/);
    assert.match(body, /"items": \[\],/);
    assert.match(body, /"nested": \{\n {4}"a": \[\n {6}1,\n {6}"x,y"\n {4}\]/);
    assert.deepEqual(
      JSON.parse(body),
      JSON.parse('{"ok":true,"id":9007199254740993,"items":[],"nested":{"a":[1,"x,y"]}}'),
    );
  });

  it('a text answer or no answer is plain text with the status line', () => {
    const text = formatResponseDocument(
      {
        target,
        replayed: [
          {
            deliveryId: 'dlv_2',
            event: null,
            attempt: attempt({
              tokenMode: 'original',
              bodyEdited: true,
              status: 502,
              response: { status: 502, headers: [], body: 'Bad Gateway', timeMs: 5 },
            }),
          },
        ],
        failures: [],
        cancelled: false,
      },
      english,
    );
    assert.equal(text.language, 'plaintext');
    assert.match(text.text, /^HTTP 502 Bad Gateway · 42 ms\n/);
    assert.match(text.text, /\nhttp:\/\/localhost:3000\/webhooks · replay of dlv_2\n/);
    assert.match(text.text, /Original signature · edited body/);
    assert.match(text.text, /\n\nBad Gateway\n$/);

    const none = formatResponseDocument(
      {
        target,
        replayed: [
          {
            deliveryId: 'dlv_3',
            event: 'push',
            attempt: attempt({ status: null, error: 'connect ECONNREFUSED', response: null }),
            notRecorded: 'not recorded (read-only store)',
          },
        ],
        failures: [],
        cancelled: false,
      },
      english,
    );
    assert.equal(none.language, 'plaintext');
    assert.match(none.text, /No answer after 42 ms: connect ECONNREFUSED/);
    assert.match(none.text, /not recorded \(read-only store\)/);
  });

  it('several deliveries: a count line, a block each, and those not sent', () => {
    const doc = formatResponseDocument(
      {
        target,
        replayed: [
          { deliveryId: 'dlv_1', event: 'a', attempt: attempt() },
          { deliveryId: 'dlv_2', event: 'b', attempt: attempt({ status: 500, response: null }) },
        ],
        failures: [{ deliveryId: 'dlv_3', message: 'no longer stored' }],
        cancelled: true,
      },
      english,
    );
    assert.equal(doc.language, 'plaintext');
    assert.match(doc.text, /^2 of 3 deliveries replayed, 1 answered 2xx \(cancelled/);
    assert.match(doc.text, /── HTTP 200 OK · 42 ms · a \(dlv_1\)\nFresh signature\n\{\n {2}"ok"/);
    assert.match(
      doc.text,
      /── HTTP 500 Internal Server Error · 42 ms · b \(dlv_2\)\nFresh signature/,
    );
    assert.match(doc.text, /── dlv_3: not sent: no longer stored/);
  });

  it(`lists at most ${MAX_LISTED} deliveries and counts the rest`, () => {
    const replayed = Array.from({ length: MAX_LISTED + 3 }, (_, index) => ({
      deliveryId: `dlv_${index}`,
      event: 'e',
      attempt: attempt(),
    }));
    const doc = formatResponseDocument(
      { target, replayed, failures: [], cancelled: false },
      english,
    );
    assert.equal(doc.text.match(/^── /gm)?.length, MAX_LISTED);
    assert.match(doc.text, /… and 3 more/);
  });
});

describe('the response document in another language', () => {
  // A stand-in for vscode.l10n with a bundle: what it translated is marked «…».
  const marked = {
    t: (message: string, ...args: string[]) => `«${english.t(message, ...args)}»`,
  } as L10n;

  it('says its own words through the translation passed in; the protocol and the data stay', () => {
    const one = formatResponseDocument(
      {
        target,
        replayed: [
          {
            deliveryId: 'dlv_1',
            event: null,
            attempt: attempt({ bodyEdited: true, response: null }),
          },
        ],
        failures: [],
        cancelled: false,
      },
      marked,
    );
    const lines = one.text.split('\n');
    // HTTP's reason phrase is the protocol's.
    assert.equal(lines[0], 'HTTP 200 OK · 42 ms');
    assert.equal(lines[1], `«${target} · replay of dlv_1»`);
    assert.match(lines[2] ?? '', /^««Fresh signature» · edited body» · /);
    const many = formatResponseDocument(
      {
        target,
        replayed: [{ deliveryId: 'dlv_1', event: 'a', attempt: attempt({ status: null }) }],
        failures: [{ deliveryId: 'dlv_2', message: 'no longer stored' }],
        cancelled: true,
      },
      marked,
    );
    assert.match(many.text, /^««1 of 2 deliveries replayed, 0 answered 2xx» \(cancelled/);
    assert.match(many.text, /── «No answer after 42 ms: «the request failed»» · a \(dlv_1\)/);
    assert.match(many.text, /«── dlv_2: not sent: no longer stored»/);
  });
});

describe('prettyJson and statusLine', () => {
  it('leaves text that is not one JSON value alone', () => {
    assert.equal(prettyJson('ok'), undefined);
    assert.equal(prettyJson('{"a":1} trailing'), undefined);
    assert.equal(prettyJson(''), undefined);
    assert.equal(prettyJson('"just a string"'), '"just a string"');
    assert.equal(prettyJson('{"q":"a \\" b","e":{}}'), '{\n  "q": "a \\" b",\n  "e": {}\n}');
  });

  it('names the status and says an unknown one by its number', () => {
    assert.equal(statusLine(attempt({ status: 204 }), english), 'HTTP 204 No Content · 42 ms');
    assert.equal(statusLine(attempt({ status: 599, timeMs: null }), english), 'HTTP 599');
  });
});
