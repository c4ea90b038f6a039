// Code generation in core (journey 7, catalogue C-01 to C-06): the model built from deliveries,
// type merging field by field, safety of names and literals, redaction, determinism, and
// snapshots of what quicktype renders. Compiling and running the output is in test/cli/generate.
import assert from 'node:assert/strict';
import { runInNewContext } from 'node:vm';
import { describe, it } from 'node:test';
import ts from 'typescript';
import { generateHandlerCode, GenerationError, resolveTarget } from '../../src/core/generate/index';
import { commentText, goString, pythonString, tsString } from '../../src/core/generate/literals';
import { pascalStem, snakeFromStem, uniqueStems } from '../../src/core/generate/names';
import { CONFIDENT_SAMPLES } from '../../src/core/generate/inference';
import { buildHandlerModel, MAX_SAMPLE_DEPTH } from '../../src/core/generate/samples';
import { fixStructTags } from '../../src/core/generate/targets/go';
import { renameCollidingTypes } from '../../src/core/generate/typeNames';
import { signToken } from '../../src/core/verify/sign';
import { recordFromBody, templateRecords } from './generateFixtures';
import { HOSTILE_EVENT, hostileBody } from './generateHostile';
import { assertSnapshot } from './snapshot';

const TS_NODE = resolveTarget('typescript', 'node');
const ALL_TARGETS = [
  TS_NODE,
  resolveTarget('typescript', 'express', true),
  resolveTarget('python', 'fastapi'),
  resolveTarget('go', 'nethttp'),
];

function watsonRecords() {
  return [
    ...templateRecords('watson.message_logged', 3),
    ...templateRecords('watson.cdr_logged', 2),
    ...templateRecords('watson.message_received', 1),
    ...templateRecords('watson.message_processed', 1),
  ];
}

function rapidaRecords() {
  return [
    ...templateRecords('rapida.conversation.begin', 2),
    ...templateRecords('rapida.conversation.completed', 2),
    ...templateRecords('rapida.conversation.failed', 1),
  ];
}

/** Only the lines quicktype rendered (after HookLens's three-line header). */
function typesOf(content: string): string {
  return content.split('\n').slice(4).join('\n');
}

describe('names from event names', () => {
  it('become PascalCase stems, never syntax', () => {
    assert.equal(pascalStem('message_logged'), 'MessageLogged');
    assert.equal(pascalStem('conversation.completed'), 'ConversationCompleted');
    assert.equal(pascalStem('invoice.paymentFailed'), 'InvoicePaymentFailed');
    assert.equal(pascalStem('2fa.enabled'), 'Event2faEnabled');
    assert.equal(pascalStem('"; process.exit(1); //'), 'ProcessExit1');
    assert.equal(pascalStem('😀'), 'Unnamed');
    assert.equal(pascalStem('x'.repeat(10_000)).length, 60);
    assert.equal(snakeFromStem('CdrLogged2'), 'cdr_logged2');
  });

  it('stay distinct when two names give the same stem, and avoid reserved stems', () => {
    assert.deepEqual(uniqueStems(['a.b', 'a_b', 'A-B']), ['AB', 'AB2', 'AB3']);
    assert.deepEqual(uniqueStems(['unknown.event'], ['UnknownEvent']), ['UnknownEvent2']);
  });
});

describe('string literals and comments from payload text (C-02)', () => {
  const hostile = [
    'x"; process.exit(1); //',
    '*/ evil() /*',
    '`${process.env.HOME}`',
    'line\u2028separator\u2029',
    'back\\slash\nnew line\r\ttab\0nul',
    'emoji \u{1F600} and lone \uD800 surrogate',
  ];

  it('tsString evaluates back to the same text', () => {
    for (const text of hostile) assert.equal(runInNewContext(tsString(text)), text);
  });

  it('python and Go literals are printable ASCII with every quote escaped', () => {
    for (const text of hostile) {
      for (const literal of [pythonString(text), goString(text)]) {
        // eslint-disable-next-line no-control-regex -- the point: no control character gets through
        assert.match(literal, /^"(?:[^"\\\x00-\x1f\x7f-\uffff]|\\.)*"$/u);
      }
    }
    assert.equal(pythonString('\u{1F600}'), '"\\U0001f600"');
    assert.equal(goString('\uD800'), '"\\ufffd"');
  });

  it('comment text cannot close a block comment or break a line', () => {
    for (const text of hostile) {
      const safe = commentText(text);
      assert.doesNotMatch(safe, /\*\/|[\r\n\u2028\u2029]/);
    }
    assert.equal(commentText('x'.repeat(500), 20).length, 20);
  });
});

describe('the model built from deliveries', () => {
  it('dispatches Watson on /event/name, Rapida on /event, generic on its pointer or header', () => {
    assert.deepEqual(buildHandlerModel(watsonRecords()).eventKey, {
      kind: 'pointer',
      pointer: '/event/name',
    });
    assert.deepEqual(buildHandlerModel(rapidaRecords()).eventKey, {
      kind: 'pointer',
      pointer: '/event',
    });
    const stripe = recordFromBody(
      '{"type":"invoice.paid","id":"evt_1"}',
      'invoice.paid',
      'generic',
    );
    assert.deepEqual(buildHandlerModel([stripe]).eventKey, { kind: 'pointer', pointer: '/type' });
    const custom = recordFromBody('{"meta":{"kind":"a.b"}}', 'a.b', 'generic');
    assert.deepEqual(buildHandlerModel([custom], { genericEventPointer: '/meta/kind' }).eventKey, {
      kind: 'pointer',
      pointer: '/meta/kind',
    });
    const github = recordFromBody('{"action":"opened"}', 'pull_request', 'generic', [
      ['X-GitHub-Event', 'pull_request'],
    ]);
    assert.deepEqual(buildHandlerModel([github]).eventKey, {
      kind: 'header',
      name: 'x-github-event',
    });
  });

  it('refuses to mix senders that name events in different places', () => {
    assert.throws(
      () => buildHandlerModel([...watsonRecords(), ...rapidaRecords()]),
      (error: unknown) =>
        error instanceof GenerationError &&
        /different senders \(watson ×7, rapida ×5\).*hooklens generate --provider watson/.test(
          error.message,
        ),
    );
  });

  it('groups by event, sorted, with the sender reply each expects', () => {
    const model = buildHandlerModel(watsonRecords());
    assert.deepEqual(
      model.events.map((event) => [event.name, event.stem, event.samples.length, event.reply]),
      [
        ['cdr_logged', 'CdrLogged', 2, 'acknowledge'],
        ['message_logged', 'MessageLogged', 3, 'acknowledge'],
        ['message_processed', 'MessageProcessed', 1, 'watson_payload'],
        ['message_received', 'MessageReceived', 1, 'watson_payload'],
      ],
    );
  });

  it('leaves out bodies it cannot use, each with a reason', () => {
    const deep = `${'['.repeat(10_000)}${']'.repeat(10_000)}`;
    const model = buildHandlerModel([
      recordFromBody('{"type":"ok"}', 'ok', 'generic'),
      recordFromBody('not json', 'ok', 'generic'),
      recordFromBody('{"type":"x"}', null, 'generic'),
      recordFromBody(`{"type":"ok","deep":${deep}}`, 'ok', 'generic'),
      recordFromBody(Buffer.from([0x7b, 0xff, 0x7d]), 'ok', 'generic'),
      recordFromBody('[1,2]', 'ok', 'generic'),
    ]);
    assert.equal(model.usedDeliveries, 1);
    assert.deepEqual(
      model.skipped.map((skip) => skip.reason),
      [
        'A delivery body is not JSON.',
        'A delivery without an event name cannot be dispatched.',
        `A delivery body nests 10001 levels deep; HookLens generates code for up to ${MAX_SAMPLE_DEPTH} levels.`,
        'A delivery body is not JSON.',
        'A delivery body is not a JSON object.',
      ],
    );
  });

  it('C-06: a 10k-deep body alone ends with a clear message, not a crash', async () => {
    const deep = `{"type":"deep","x":${'{"a":'.repeat(10_000)}1${'}'.repeat(10_000)}}`;
    await assert.rejects(
      generateHandlerCode([recordFromBody(deep, 'deep', 'generic')], TS_NODE),
      (error: unknown) =>
        error instanceof GenerationError && /nests 10001 levels deep/.test(error.message),
    );
    await assert.rejects(generateHandlerCode([], TS_NODE), /Select at least one delivery/);
  });

  it('summarises each field: types seen and whether every sample has it', () => {
    const model = buildHandlerModel([
      recordFromBody('{"type":"t","a":1,"b":"x","list":[1]}', 't', 'generic'),
      recordFromBody('{"type":"t","a":"one","list":["s",null]}', 't', 'generic'),
    ]);
    const fields = Object.fromEntries(model.events[0]!.fields.map((field) => [field.path, field]));
    assert.deepEqual(fields['a'], { path: 'a', types: ['number', 'string'], optional: false });
    assert.deepEqual(fields['b'], { path: 'b', types: ['string'], optional: true });
    assert.deepEqual(fields['list[]'], {
      path: 'list[]',
      types: ['null', 'number', 'string'],
      optional: false,
    });
  });
});

describe('types merged across samples (journey 7)', () => {
  const bodies = [
    `{"type":"order.updated","id":1,"amount":10,"status":"paid","note":null,"items":[{"sku":"a","qty":1}],"when":"2026-01-01T00:00:00Z","big":9007199254740993}`,
    `{"type":"order.updated","id":2,"amount":"ten","status":"open","coupon":"X","items":[{"sku":"b","price":2.5}],"tags":[],"when":"2026-01-02T00:00:00Z","big":1}`,
    `{"type":"order.updated","id":3,"amount":12.5,"status":"void","items":[],"tags":["a",1],"when":"2026-01-03","big":2}`,
  ];
  // Enough distinct samples for fields seen in all of them to be required (CONFIDENT_SAMPLES);
  // below that every field is optional and nullable (test/unit/generateTypes.test.ts).
  const records = () =>
    Array.from({ length: CONFIDENT_SAMPLES }, (_, index) =>
      recordFromBody(
        bodies[index % bodies.length]!.replace(/"id":\d+/, `"id":${index + 1}`),
        'order.updated',
        'generic',
      ),
    );

  it('TypeScript: optional when missing, unions for mixed types, null-only unknown, arrays merged, dates and statuses stay strings, big integers not plain numbers', async () => {
    const types = (await generateHandlerCode(records(), TS_NODE)).files[0]!.content;
    const field = (name: string): string | undefined =>
      types
        .split('\n')
        .map((line) => line.trim().replace(/\s+/g, ' '))
        .find((line) => line.startsWith(`${name}:`) || line.startsWith(`${name}?:`));
    assert.equal(field('id'), 'id: number;');
    assert.equal(field('amount'), 'amount: number | string;');
    assert.equal(field('status'), 'status: string;', 'no enum guessed from three values');
    assert.equal(field('note'), 'note?: unknown;', 'null in every sample says nothing of the type');
    assert.equal(field('coupon'), 'coupon?: string;');
    assert.equal(field('tags'), 'tags?: Array<number | string>;');
    assert.equal(field('items'), 'items: Item[];');
    assert.equal(field('qty'), 'qty?: number;');
    assert.equal(field('price'), 'price?: number;');
    assert.equal(field('when'), 'when: string;', 'dates stay strings');
    assert.equal(field('big'), 'big: number | string;', '2^53 + 1 arrives as a string of digits');
    const handler = (await generateHandlerCode(records(), TS_NODE)).files[1]!.content;
    assert.match(handler, /parseJsonKeepingBigIntegers\(request\.body/);
  });

  it('Python keeps big integers as int, Go as int64 (both hold 2^53 + 1 exactly)', async () => {
    const python = (await generateHandlerCode(records(), resolveTarget('python', 'fastapi')))
      .files[0]!.content;
    assert.match(python, /^ {4}big: int$/m);
    assert.match(python, /^ {4}coupon: Optional\[str\] = None$/m);
    const go = (await generateHandlerCode(records(), resolveTarget('go', 'nethttp'))).files[0]!
      .content;
    assert.match(go, /^\tBig +int64 +`json:"big"`$/m);
    assert.match(go, /^\tCoupon +\*string +`json:"coupon,omitempty"`$/m);
  });

  it('C-04: 100 samples with mixed arrays, nulls, empty arrays and optional fields give the same code in any order', async () => {
    const many = Array.from({ length: 100 }, (_, index) =>
      recordFromBody(
        JSON.stringify({
          type: 'mixed',
          n: index,
          ...(index % 3 === 0 ? { maybe: index % 2 === 0 ? null : 'text' } : {}),
          list: index % 4 === 0 ? [] : [index, `s${index}`],
          nested: index % 5 === 0 ? { deep: [{ v: index }] } : { deep: [] },
        }),
        'mixed',
        'generic',
        undefined,
        `01mix${String(index).padStart(4, '0')}`,
      ),
    );
    const shuffled = [...many].sort(
      (a, b) => (a.bodyBase64.length % 7) - (b.bodyBase64.length % 7) || (a.id < b.id ? 1 : -1),
    );
    for (const target of ALL_TARGETS) {
      const first = await generateHandlerCode(many, target);
      const second = await generateHandlerCode(shuffled, target);
      assert.deepEqual(
        second.files.map((file) => file.content),
        first.files.map((file) => file.content),
        `${target.language}/${target.framework}`,
      );
    }
    const types = (await generateHandlerCode(many, TS_NODE)).files[0]!.content;
    assert.match(types, /maybe\?: *null \| string;/);
    assert.match(types, /list: *Array<number \| string>;/);
  });
});

describe('hostile payloads (C-01 to C-03)', () => {
  const records = () =>
    [0, 1, 2].map((variant) => recordFromBody(hostileBody(variant), HOSTILE_EVENT, 'generic'));

  it('C-02: no payload text becomes a statement: the TypeScript output parses, and calls only what HookLens wrote', async () => {
    for (const target of [TS_NODE, resolveTarget('typescript', 'express', true)]) {
      const code = await generateHandlerCode(records(), target);
      for (const file of code.files.filter((generated) => generated.name.endsWith('.ts'))) {
        const source = ts.createSourceFile(
          file.name,
          file.content,
          ts.ScriptTarget.ES2022,
          true,
          ts.ScriptKind.TS,
        );
        const diagnostics = (source as unknown as { parseDiagnostics: ts.Diagnostic[] })
          .parseDiagnostics;
        assert.deepEqual(
          diagnostics.map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n')),
          [],
          file.name,
        );
        const calls: string[] = [];
        const visit = (node: ts.Node): void => {
          if (ts.isCallExpression(node)) calls.push(node.expression.getText(source));
          if (ts.isIdentifier(node) && /^(evil|rm)$/.test(node.text))
            calls.push(`identifier ${node.text}`);
          ts.forEachChild(node, visit);
        };
        visit(source);
        // server.ts exits once, on purpose, when WEBHOOK_SECRET is unset; nothing else may.
        const exits = calls.filter((call) => call === 'process.exit').length;
        assert.equal(exits, file.name === 'server.ts' ? 1 : 0, `${file.name} calls process.exit`);
        assert.ok(
          !calls.some((call) => /evil|identifier/.test(call)),
          `${file.name}: ${calls.filter((call) => /evil|identifier/.test(call)).join(', ')}`,
        );
      }
    }
  });

  it('C-01: keys that are not identifiers are quoted in TypeScript and mapped by name in Python', async () => {
    const typesTs = (await generateHandlerCode(records(), TS_NODE)).files[0]!.content;
    for (const key of [
      '"a-b"',
      '"1abc"',
      '""',
      '" "',
      '"x\\"; process.exit(1); //"',
      '"*/ evil() /*"',
      '"`backtick`"',
      '"${process.env}"',
    ]) {
      assert.ok(typesTs.includes(`${key}`), `TypeScript types quote ${key}`);
    }
    assert.ok(
      typesTs.includes(`${'k'.repeat(10_000)}?:`),
      'the 10,000-character key is kept whole',
    );
    assert.match(
      typesTs,
      /^ +__proto__\??: +Proto( \| null)?;$/m,
      'a "__proto__" key is an ordinary property in a type',
    );
    const python = (await generateHandlerCode(records(), resolveTarget('python', 'fastapi')))
      .files[0]!.content;
    assert.match(python, /obj\.get\("x\\"; process\.exit\(1\); \/\/"\)/);
  });

  it('C-01: Go struct tags with a backtick become quoted strings, and unmappable keys are noted', () => {
    const fixed = fixStructTags(
      'type Data struct {\n\tBacktick string `json:"`x`"`\n\tEmpty    string `json:""`\n\tFine     string `json:"a-b"`\n}',
    );
    assert.equal(
      fixed,
      [
        '// Backtick: encoding/json cannot map the key "`x`" by tag; read it from the raw JSON.',
        '// Empty: encoding/json cannot map the key "" by tag; read it from the raw JSON.',
        'type Data struct {',
        '\tBacktick string "json:\\"`x`\\""',
        '\tEmpty    string `json:""`',
        '\tFine     string `json:"a-b"`',
        '}',
      ].join('\n'),
    );
  });

  it('C-03: "__proto__", "constructor" and "toString" keys leave Object.prototype alone', async () => {
    for (const target of ALL_TARGETS) await generateHandlerCode(records(), target);
    assert.equal(({} as Record<string, unknown>)['polluted'], undefined);
    assert.equal(typeof ({} as { toString: unknown }).toString, 'function');
    const model = buildHandlerModel(records());
    assert.ok(Object.hasOwn(model.events[0]!.samples[0]!.value as object, 'type'));
    const data = (model.events[0]!.samples[0]!.value as Record<string, Record<string, unknown>>)[
      'data'
    ]!;
    assert.ok(Object.hasOwn(data, '__proto__'), '"__proto__" stays an own key');
    assert.equal(Object.getPrototypeOf(data), Object.prototype);
  });
});

describe('secrets and tokens never reach generated code', () => {
  it('drops JWTs and configured secrets from the embedded samples in every language', async () => {
    const secret = 'super-secret-value-0123456789';
    const token = signToken(secret, { sub: 'x' });
    const body = JSON.stringify({
      type: 'leak',
      token,
      bearer: `Bearer ${token}`,
      note: `the secret is ${secret}`,
    });
    const records = [recordFromBody(body, 'leak', 'generic', [['Authorization', token]])];
    for (const target of ALL_TARGETS) {
      const code = await generateHandlerCode(records, target, { secrets: [secret] });
      for (const file of code.files) {
        assert.ok(!file.content.includes(token.split('.')[2]!), `${file.name} holds the token`);
        assert.ok(!file.content.includes(secret), `${file.name} holds the secret`);
      }
      assert.ok(code.files.some((file) => file.content.includes('token removed by HookLens')));
    }
  });
});

describe('generated files', () => {
  it('each target writes the files it promises', async () => {
    const names = await Promise.all(
      ALL_TARGETS.map(async (target) =>
        (await generateHandlerCode(watsonRecords(), target)).files.map((file) => file.name),
      ),
    );
    assert.deepEqual(names, [
      [
        'webhookTypes.ts',
        'webhookHandler.ts',
        'server.ts',
        'webhookHandler.test.ts',
        'package.json',
      ],
      [
        'webhookTypes.ts',
        'webhookHandler.ts',
        'server.ts',
        'webhookHandler.test.ts',
        'package.json',
      ],
      ['webhook_types.py', 'webhook_handler.py', 'test_webhook_handler.py', 'requirements.txt'],
      ['webhook_types.go', 'handler.go', 'main.go', 'handler_test.go', 'go.mod'],
    ]);
  });

  it('Next.js writes an App Router route.ts (POST over the raw bytes, the Node.js runtime) instead of server.ts', async () => {
    const code = await generateHandlerCode(watsonRecords(), resolveTarget('typescript', 'nextjs'));
    assert.deepEqual(
      code.files.map((file) => file.name),
      [
        'webhookTypes.ts',
        'webhookHandler.ts',
        'route.ts',
        'webhookHandler.test.ts',
        'package.json',
      ],
    );
    const route = code.files[2]!.content;
    assert.match(route, /^export async function POST\(req: Request\): Promise<Response> \{$/m);
    assert.match(route, /^export const runtime = 'nodejs';$/m);
    assert.match(route, /app\/api\/webhooks\/route\.ts/);
    // Next.js allows only its route fields as exports of a route file.
    const exported = [...route.matchAll(/^export (?:async )?(?:function|const) (\w+)/gm)].map(
      (match) => match[1],
    );
    assert.deepEqual(exported, ['runtime', 'POST']);
    const handler = code.files[1]!.content;
    assert.match(handler, /await request\.arrayBuffer\(\)/);
    assert.doesNotMatch(handler, /node:http|express/);
    const test = code.files[3]!.content;
    assert.match(test, /import \{ POST \} from '\.\/route\.js';/);
  });

  it('Flask reads the raw body with request.get_data() and says how to run it', async () => {
    const code = await generateHandlerCode(watsonRecords(), resolveTarget('python', 'flask'));
    assert.deepEqual(
      code.files.map((file) => file.name),
      ['webhook_types.py', 'webhook_handler.py', 'test_webhook_handler.py', 'requirements.txt'],
    );
    const handler = code.files[1]!.content;
    assert.match(
      handler,
      /^from flask import Flask, Response, jsonify, request as flask_request$/m,
    );
    assert.match(
      handler,
      /flask_request\.get_data\(cache=False, as_text=False, parse_form_data=False\)/,
    );
    assert.match(
      handler,
      /^# Run: WEBHOOK_SECRET=\.\.\. flask --app webhook_handler run --port 3000$/m,
    );
    assert.match(handler, /^async def handle_webhook\(/m);
    assert.doesNotMatch(handler, /fastapi|uvicorn/i);
    assert.doesNotMatch(code.files[2]!.content, /fastapi|httpx/i);
    assert.match(code.files[3]!.content, /^flask>=2\.2$/m);
    assert.doesNotMatch(code.files[3]!.content, /fastapi|uvicorn|httpx/);
  });

  it('resolveTarget names what is offered when asked for something else', () => {
    assert.throws(() => resolveTarget('rust', undefined), /typescript, python or go, not "rust"/);
    assert.throws(
      () => resolveTarget('python', 'express'),
      /For python HookLens offers fastapi or flask, not "express"/,
    );
    assert.throws(
      () => resolveTarget('typescript', 'remix'),
      /For typescript HookLens offers node or express or nextjs, not "remix"/,
    );
    assert.deepEqual(resolveTarget('python', 'flask'), {
      language: 'python',
      framework: 'flask',
      zod: false,
    });
    assert.deepEqual(resolveTarget('typescript', 'nextjs', true), {
      language: 'typescript',
      framework: 'nextjs',
      zod: true,
    });
    assert.throws(
      () => resolveTarget('go', 'nethttp', true),
      /Zod schemas are a TypeScript option/,
    );
    assert.deepEqual(resolveTarget('typescript', undefined), {
      language: 'typescript',
      framework: 'node',
      zod: false,
    });
  });

  // What quicktype renders is pinned: an upgrade that changes users' types fails here.
  for (const [name, records] of [
    ['watson', watsonRecords],
    ['rapida', rapidaRecords],
  ] as const) {
    it(`snapshots: ${name} samples in every target`, async () => {
      for (const target of ALL_TARGETS) {
        const code = await generateHandlerCode(records(), target);
        const label = `${target.language}-${target.framework}${target.zod ? '-zod' : ''}`;
        assertSnapshot(`generate/${name}-${label}-types.txt`, typesOf(code.files[0]!.content));
        assertSnapshot(`generate/${name}-${label}-handler.txt`, code.files[1]!.content);
      }
    });
  }
});

describe("names for quicktype's colliding types", () => {
  it('come from the one event or the one parent that uses them; keys and strings are left alone', () => {
    const source = [
      'export interface MessageLoggedPayload {',
      '    request:  Request;',
      '    response: Response;',
      '}',
      '',
      'export interface Request {',
      '    context: PurpleContext;',
      '    PurpleContext?: string;',
      '    "FluffyContext": number;',
      '}',
      '',
      'export interface Response {',
      '    context: FluffyContext;',
      '}',
      '',
      'export interface PurpleContext {',
      '    a: string;',
      '}',
      '',
      'export interface FluffyContext {',
      '    b: string;',
      '}',
      '',
    ].join('\n');
    const renamed = renameCollidingTypes(
      source,
      'typescript',
      new Map([['MessageLoggedPayload', 'MessageLogged']]),
    );
    assert.match(renamed, /context: RequestContext;/);
    assert.match(renamed, /context: ResponseContext;/);
    assert.match(renamed, /export interface RequestContext \{/);
    assert.match(renamed, /export interface ResponseContext \{/);
    assert.match(renamed, /PurpleContext\?: string;/, 'a property key is payload text');
    assert.match(renamed, /"FluffyContext": number;/, 'a quoted key is payload text');
  });
});
