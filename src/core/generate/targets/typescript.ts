// TypeScript target: quicktype's types (or Zod schemas), a framework-neutral handler core that
// verifies, parses and dispatches, a node:http or Express server around it, and a node:test file
// that replays the embedded samples through a real server. Needs only Node's own modules, plus
// express (and zod) when chosen.
import { inferTypes, payloadTypeName } from '../inference';
import { commentText, tsString } from '../literals';
import type { EventModel, GeneratedFile, GenerationTarget, HandlerModel } from '../model';
import {
  describeVerification,
  environmentLines,
  redeliverySample,
  sampleHeaders,
  usesPublicUrl,
  wireBody,
} from '../verification/shared';
import {
  tsEventName,
  tsHandshakeAfter,
  tsHandshakeBefore,
  tsHandshakeImports,
  tsDeliveryLog,
  tsTestSigning,
  tsVerification,
} from '../verification/typescript';
import {
  comment,
  describeEventKey,
  eventCommentLines,
  hasTopLevelPayload,
  headerLines,
  pointerTokens,
  TS_NODE_REFERENCE,
  TS_PACKAGE_JSON,
  usesUnsafeIntegers,
} from './shared';

export async function typescriptFiles(
  model: HandlerModel,
  target: GenerationTarget,
): Promise<GeneratedFile[]> {
  const types = await inferTypes(model, target.zod ? 'typescript-zod' : 'typescript');
  const express = target.framework === 'express';
  const next = target.framework === 'nextjs';
  return [
    {
      name: 'webhookTypes.ts',
      languageId: 'typescript',
      content: `${comment('//', headerLines(model, target.zod ? 'Zod schemas and types for each webhook event.' : 'Types for each webhook event.'))}\n\n${types.source}`,
    },
    { name: 'webhookHandler.ts', languageId: 'typescript', content: handlerFile(model, target) },
    next
      ? { name: 'route.ts', languageId: 'typescript', content: routeFile(model) }
      : { name: 'server.ts', languageId: 'typescript', content: serverFile(model, express) },
    {
      name: 'webhookHandler.test.ts',
      languageId: 'typescript',
      content: testFile(model, target.framework),
    },
    { name: 'package.json', languageId: 'json', content: TS_PACKAGE_JSON },
  ];
}

function handlerName(event: EventModel): string {
  return `on${event.stem}`;
}

function typeRef(event: EventModel): string {
  return `Payloads.${payloadTypeName(event)}`;
}

function handlerFile(model: HandlerModel, target: GenerationTarget): string {
  const express = target.framework === 'express';
  const next = target.framework === 'nextjs';
  const bigIntegers = usesUnsafeIntegers(model);
  const union = model.events
    .map(
      (event) => `  | { readonly name: ${tsString(event.name)}; readonly body: ${typeRef(event)} }`,
    )
    .join('\n');
  const signatures = model.events
    .map((event) =>
      event.reply === 'watson_payload'
        ? `  /** Returns the payload to send back as \`{ "payload": ... }\`. */\n  ${handlerName(event)}(body: ${typeRef(event)}): unknown | Promise<unknown>;`
        : `  ${handlerName(event)}(body: ${typeRef(event)}): void | Promise<void>;`,
    )
    .join('\n');
  const stubs = model.events.map((event) => stub(event)).join('\n\n');
  const cases = model.events
    .map((event) => {
      const value = target.zod
        ? `validated(Payloads.${payloadTypeName(event)}Schema, body)`
        : `body as ${typeRef(event)}`;
      return event.reply === 'watson_payload'
        ? `    case ${tsString(event.name)}:\n      return { payload: await handlers.${handlerName(event)}(${value}) };`
        : `    case ${tsString(event.name)}:\n      await handlers.${handlerName(event)}(${value});\n      return undefined;`;
    })
    .join('\n');
  const eventRead =
    model.eventKey.kind === 'pointer'
      ? `valueAt(body, [${pointerTokens(model.eventKey.pointer).map(tsString).join(', ')}])`
      : model.eventKey.kind === 'header'
        ? `header(headers, ${tsString(model.eventKey.name)})`
        : 'eventName(body, headers)';
  const profile = model.verification;
  const verification = tsVerification(profile);
  const cryptoImports = [
    ...new Set([...verification.cryptoImports, ...tsHandshakeImports(profile)]),
  ].sort((a, b) => a.localeCompare(b));
  const imports = [
    `import { ${cryptoImports.join(', ')} } from 'node:crypto';`,
    express
      ? `import express from 'express';`
      : next
        ? ''
        : `import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';`,
    target.zod ? `import type { z } from 'zod';` : '',
    target.zod
      ? `import * as Payloads from './webhookTypes.js';`
      : `import type * as Payloads from './webhookTypes.js';`,
  ].filter((line) => line !== '');

  return `${comment('//', headerLines(model, `Webhook handler: ${describeVerification(profile)}, parses the body and dispatches each event to its typed function.`))}
${TS_NODE_REFERENCE}
${imports.join('\n')}

/** Every event the captured deliveries showed, keyed on ${describeEventKey(model.eventKey)}. */
export type WebhookEvent =
${union};

export interface WebhookHandlers {
${signatures}
  /** An event the samples did not show (or a body without an event name). */
  onUnknownEvent(name: string | undefined, body: unknown): void | Promise<void>;
}

/** Your code goes here: one function per event. */
export const handlers: WebhookHandlers = {
${stubs}

  onUnknownEvent(name) {
    console.warn(\`webhook: no handler for event \${JSON.stringify(name)}\`);
  },
};

export interface WebhookOptions {
  /** WEBHOOK_SECRET: the ${commentText(`${profile.label} ${profile.secretNoun}`, 80)}. */
  readonly secret: string;
  /** WEBHOOK_SECRET_PREVIOUS: secrets being rotated out, accepted too until you remove them. */
  readonly previousSecrets?: readonly string[];
  readonly handlers?: WebhookHandlers;
  /** Where handled delivery ids are remembered (default: the last 10 000, in memory). */
  readonly deliveries?: DeliveryLog;${verification.options}
  /** Seconds since 1970; a parameter so tests can fix the time. */
  readonly now?: () => number;
}

export type RequestHeaders = Readonly<Record<string, string | string[] | undefined>>;

export interface WebhookRequest {
  readonly method: string | undefined;
  /** Path and query as received. */
  readonly url: string;
  readonly headers: RequestHeaders;
  /** The raw bytes: the signature covers them, never a re-serialisation. */
  readonly body: Buffer;
}

export interface WebhookReply {
  readonly status: number;
  /** JSON, or the text itself when contentType is given. */
  readonly body: unknown;
  readonly contentType?: string;
}

export const MAX_BODY_BYTES = 5 * 1024 * 1024;
${profile.twiml ? `\n/** What Twilio expects back from a message or call webhook: TwiML that does nothing. */\nconst EMPTY_TWIML = '<?xml version="1.0" encoding="UTF-8"?><Response></Response>';\n` : ''}
/** The whole request path, framework-free: verify, parse, dispatch, answer. */
export async function handleWebhook(request: WebhookRequest, options: WebhookOptions): Promise<WebhookReply> {
${tsHandshakeBefore(profile)}  if (request.method !== 'POST') return { status: 405, body: { error: 'Send webhooks with POST.' } };
  const now = options.now ? options.now() : Date.now() / 1000;
  const verification = ${verification.call};
  if (!verification.ok) return { status: 401, body: { error: verification.reason } };
  let body: unknown;
  try {
    body = ${profile.forms ? 'parseBody(request)' : `${bigIntegers ? 'parseJsonKeepingBigIntegers' : 'JSON.parse'}(request.body.toString('utf8'))`};
  } catch {
    return { status: 400, body: { error: ${profile.forms ? "'The body is not JSON or a form.'" : "'The body is not JSON.'"} } };
  }
${tsHandshakeAfter(profile)}${profile.batch ? batchDispatch(profile.label, target.zod) : singleDispatch(profile.twiml, target.zod)}
}
${profile.forms ? parseBodyFunction(bigIntegers) : ''}
/** Calls the event's typed function; what it returns is the reply body (undefined: \`{ ok: true }\`). */
export async function dispatchWebhookEvent(
  body: unknown,
  headers: RequestHeaders,
  handlers: WebhookHandlers,
): Promise<unknown> {
  ${model.eventKey.kind === 'pointer' ? 'void headers;\n  ' : ''}const name = ${eventRead};
  switch (name) {
${cases}
    default:
      await handlers.onUnknownEvent(name, body);
      return undefined;
  }
}
${target.zod ? zodHelpers() : ''}
${model.eventKey.kind === 'pointer' ? VALUE_AT : ''}${model.eventKey.kind === 'provider' ? tsEventName(model.eventKey.rules, profile.handshakes.length > 0) : ''}${bigIntegers ? bigIntegerParser() : ''}
${verification.code}${tsDeliveryLog(profile)}
${express ? expressAdapter() : next ? webRequestAdapter() : nodeAdapter()}
`;
}

function singleDispatch(twiml: boolean, zod: boolean): string {
  return `  // A redelivery of one already handled is answered, not handled twice.
  const deliveries = options.deliveries ?? DEFAULT_DELIVERY_LOG;
  const deliveryId = webhookDeliveryId(body, request.headers);
  if (deliveryId !== undefined && (await deliveries.seen(deliveryId))) return ${duplicateReply(twiml)};
  ${zod ? `try {\n    const answer = await dispatchWebhookEvent(body, request.headers, options.handlers ?? handlers);\n    if (deliveryId !== undefined) await deliveries.remember(deliveryId);\n    return ${replyExpression(twiml)};\n  } catch (error) {\n    if (error instanceof SchemaMismatch) return { status: 400, body: { error: error.message } };\n    throw error;\n  }` : `const answer = await dispatchWebhookEvent(body, request.headers, options.handlers ?? handlers);\n  if (deliveryId !== undefined) await deliveries.remember(deliveryId);\n  return ${replyExpression(twiml)};`}`;
}

/** A batch (SendGrid): each event dispatched on its own; one already handled is skipped. */
function batchDispatch(label: string, zod: boolean): string {
  const loop = `for (const event of body) {
    const deliveryId = webhookDeliveryId(event, request.headers);
    if (deliveryId !== undefined && (await deliveries.seen(deliveryId))) continue;
    await dispatchWebhookEvent(event, request.headers, options.handlers ?? handlers);
    if (deliveryId !== undefined) await deliveries.remember(deliveryId);
    handled++;
  }`;
  return `  if (!Array.isArray(body)) return { status: 400, body: { error: ${tsString(`${label} posts a JSON array of events.`)} } };
  // Each event on its own; one already handled (a retried batch repeats its events) is skipped.
  const deliveries = options.deliveries ?? DEFAULT_DELIVERY_LOG;
  let handled = 0;
  ${zod ? `try {\n    ${loop.replace(/\n/g, '\n  ')}\n  } catch (error) {\n    if (error instanceof SchemaMismatch) return { status: 400, body: { error: error.message } };\n    throw error;\n  }` : loop}
  return { status: 200, body: { ok: true, events: body.length, handled } };`;
}

function duplicateReply(twiml: boolean): string {
  return twiml
    ? "{ status: 200, body: EMPTY_TWIML, contentType: 'text/xml; charset=utf-8' }"
    : '{ status: 200, body: { ok: true, duplicate: true } }';
}

function replyExpression(twiml: boolean): string {
  return twiml
    ? "answer === undefined ? { status: 200, body: EMPTY_TWIML, contentType: 'text/xml; charset=utf-8' } : { status: 200, body: answer }"
    : '{ status: 200, body: answer ?? { ok: true } }';
}

function parseBodyFunction(bigIntegers: boolean): string {
  const parseJson = bigIntegers ? 'parseJsonKeepingBigIntegers' : 'JSON.parse';
  return `
/**
 * JSON, or a form (application/x-www-form-urlencoded): a \`payload\` field holding JSON is the
 * document (Slack interactivity, GitHub's form type), else the fields (first value of each).
 */
function parseBody(request: WebhookRequest): unknown {
  const text = request.body.toString('utf8');
  if (!isForm(request.headers)) return ${parseJson}(text);
  const fields = new URLSearchParams(text);
  const payload = fields.get('payload');
  if (payload !== null) {
    try {
      const parsed: unknown = ${parseJson}(payload);
      if (typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)) return parsed;
    } catch {
      // Not JSON: the fields, below.
    }
  }
  const object: Record<string, string> = Object.create(null) as Record<string, string>;
  for (const [name, value] of fields) if (!(name in object)) object[name] = value;
  return { ...object };
}

function isForm(headers: RequestHeaders): boolean {
  return (header(headers, 'content-type') ?? '').split(';')[0]?.trim().toLowerCase() === 'application/x-www-form-urlencoded';
}
`;
}

function stub(event: EventModel): string {
  const lines = comment('//', eventCommentLines(event), '  ');
  const body =
    event.reply === 'watson_payload'
      ? hasTopLevelPayload(event)
        ? `    // Change the payload here; what you return is sent back as { "payload": ... }.\n    return body.payload;`
        : `    void body;\n    return {};`
      : `    console.log(${tsString(`webhook: ${event.name}`)});\n    void body;`;
  return `${lines}\n  ${handlerName(event)}(body) {\n${body}\n  },`;
}

function zodHelpers(): string {
  return `
class SchemaMismatch extends Error {}

/** The body checked against the schema the samples produced; a mismatch answers 400. */
function validated<T extends z.ZodTypeAny>(schema: T, body: unknown): z.infer<T> {
  const result = schema.safeParse(body);
  if (!result.success) {
    const issue = result.error.issues[0];
    throw new SchemaMismatch(\`The body does not match the captured shape at \${issue ? issue.path.join('.') || '(root)' : '(root)'}: \${issue?.message ?? 'invalid'}\`);
  }
  return result.data;
}
`;
}

function bigIntegerParser(): string {
  return `
/**
 * JSON.parse with one change: integers beyond 2^53, which JSON.parse would silently round, arrive
 * as strings of their exact digits (the types say string for them).
 */
export function parseJsonKeepingBigIntegers(text: string): unknown {
  const quoted = text.replace(/"(?:[^"\\\\]|\\\\.)*"|-?\\d+(?:\\.\\d+)?(?:[eE][+-]?\\d+)?/g, (token) =>
    /^-?\\d+$/.test(token) && !Number.isSafeInteger(Number(token)) ? \`"\${token}"\` : token,
  );
  return JSON.parse(quoted);
}
`;
}

function nodeAdapter(): string {
  return `/** A node:http server that answers every request through handleWebhook. */
export function createWebhookServer(options: WebhookOptions): Server {
  if (options.secret === '') throw new Error('The webhook secret is empty: set WEBHOOK_SECRET to the secret the sender signs with.');
  return createServer((request: IncomingMessage, response: ServerResponse) => {
    const chunks: Buffer[] = [];
    let size = 0;
    request.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        send(response, { status: 413, body: { error: 'The body is too large.' } });
        request.destroy();
      } else chunks.push(chunk);
    });
    request.on('end', () => {
      handleWebhook({ method: request.method, url: request.url ?? '/', headers: request.headers, body: Buffer.concat(chunks) }, options).then(
        (reply) => send(response, reply),
        (error: unknown) => {
          console.error('webhook: handler failed', error);
          send(response, { status: 500, body: { error: 'The handler failed.' } });
        },
      );
    });
  });
}

function send(response: ServerResponse, reply: WebhookReply): void {
  if (response.headersSent) return;
  if (reply.contentType !== undefined) response.writeHead(reply.status, { 'content-type': reply.contentType }).end(String(reply.body));
  else response.writeHead(reply.status, { 'content-type': 'application/json' }).end(JSON.stringify(reply.body));
}`;
}

function expressAdapter(): string {
  return `/** An Express app that answers every request on any path through handleWebhook. */
export function createWebhookApp(options: WebhookOptions): express.Express {
  if (options.secret === '') throw new Error('The webhook secret is empty: set WEBHOOK_SECRET to the secret the sender signs with.');
  const app = express();
  // The raw bytes, whatever the content type: the signature covers them, not a re-serialisation.
  app.use(express.raw({ type: () => true, limit: MAX_BODY_BYTES }));
  app.use((request: express.Request, response: express.Response, next: express.NextFunction) => {
    const body = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
    handleWebhook({ method: request.method, url: request.originalUrl, headers: request.headers, body }, options).then(
      (reply) =>
        reply.contentType !== undefined
          ? response.status(reply.status).type(reply.contentType).send(String(reply.body))
          : response.status(reply.status).json(reply.body),
      next,
    );
  });
  return app;
}`;
}

function webRequestAdapter(): string {
  return `/**
 * The web-standard Request → Response path (Next.js App Router route handlers, and any runtime
 * with fetch's Request): the raw bytes from arrayBuffer() (the signature covers them, never a
 * re-decoded text), the path and query as received, the headers in lower case.
 */
export async function handleWebRequest(request: Request, options: WebhookOptions): Promise<Response> {
  if (options.secret === '') {
    return Response.json({ error: 'The webhook secret is empty: set WEBHOOK_SECRET to the secret the sender signs with.' }, { status: 500 });
  }
  if (Number(request.headers.get('content-length') ?? 0) > MAX_BODY_BYTES) {
    return Response.json({ error: 'The body is too large.' }, { status: 413 });
  }
  const body = Buffer.from(await request.arrayBuffer());
  if (body.length > MAX_BODY_BYTES) return Response.json({ error: 'The body is too large.' }, { status: 413 });
  const url = new URL(request.url);
  const headers: Record<string, string> = {};
  request.headers.forEach((value, name) => {
    headers[name] = value;
  });
  // URL-bound signatures need the host the sender called; a Request built from a URL has none.
  headers['host'] ??= url.host;
  try {
    const reply = await handleWebhook({ method: request.method, url: url.pathname + url.search, headers, body }, options);
    return reply.contentType !== undefined
      ? new Response(String(reply.body), { status: reply.status, headers: { 'content-type': reply.contentType } })
      : Response.json(reply.body, { status: reply.status });
  } catch (error) {
    console.error('webhook: handler failed', error);
    return Response.json({ error: 'The handler failed.' }, { status: 500 });
  }
}`;
}

/** The Next.js App Router route: app/api/webhooks/route.ts, next to the other generated files. */
function routeFile(model: HandlerModel): string {
  const profile = model.verification;
  const extra = [
    ...(profile.handshakes.includes('meta_subscribe')
      ? ["verifyToken: process.env['VERIFY_TOKEN'] ?? ''"]
      : []),
    ...(usesPublicUrl(profile) ? ["publicBaseUrl: process.env['WEBHOOK_PUBLIC_URL']"] : []),
  ];
  const meta = profile.handshakes.includes('meta_subscribe');
  return `${comment('//', [
    ...headerLines(model, 'Next.js App Router route handler for the webhook.'),
    'Put this folder at app/api/webhooks/ (hooklens generate --framework nextjs --out app/api/webhooks),',
    'so this file is app/api/webhooks/route.ts and the sender posts to https://your-app/api/webhooks.',
    ...environmentLines(profile),
    'Run: WEBHOOK_SECRET=... npx next dev. Test: npx tsc, then node --test out/webhookHandler.test.js.',
  ])}
${TS_NODE_REFERENCE}
import { handleWebRequest, type WebhookOptions } from './webhookHandler.js';

// node:crypto verifies the signature: the Node.js runtime, not the Edge one.
export const runtime = 'nodejs';

/** Read on every request, so a changed environment needs no rebuild and imports need no secret. */
function options(): WebhookOptions {
  const previous = process.env['WEBHOOK_SECRET_PREVIOUS'] ?? '';
  return { secret: process.env['WEBHOOK_SECRET'] ?? '', previousSecrets: previous === '' ? [] : [previous]${extra.map((entry) => `, ${entry}`).join('')} };
}

export async function POST(req: Request): Promise<Response> {
  return handleWebRequest(req, options());
}
${
  meta
    ? `
/** Meta checks the endpoint with a GET carrying hub.challenge and your verify token. */
export async function GET(req: Request): Promise<Response> {
  return handleWebRequest(req, options());
}
`
    : ''
}`;
}

function serverFile(model: HandlerModel, express: boolean): string {
  const profile = model.verification;
  const extra = [
    ...(profile.handshakes.includes('meta_subscribe')
      ? ["verifyToken: process.env['VERIFY_TOKEN'] ?? ''"]
      : []),
    ...(usesPublicUrl(profile) ? ["publicBaseUrl: process.env['WEBHOOK_PUBLIC_URL']"] : []),
  ];
  const options = `{ secret, previousSecrets${extra.map((entry) => `, ${entry}`).join('')} }`;
  return `${comment('//', headerLines(model, `Runs the webhook handler. ${environmentLines(profile).join(' ')}`))}
${TS_NODE_REFERENCE}
import { ${express ? 'createWebhookApp' : 'createWebhookServer'} } from './webhookHandler.js';

const secret = process.env['WEBHOOK_SECRET'] ?? '';
if (secret === '') {
  console.error(${tsString(`Set WEBHOOK_SECRET to the ${profile.label} ${profile.secretNoun}.`)});
  process.exit(1);
}
// Secret rotation: the secret being retired, accepted too until you remove it.
const previousSecrets = [process.env['WEBHOOK_SECRET_PREVIOUS'] ?? ''].filter((value) => value !== '');
const port = Number(process.env['PORT'] ?? 3000);
${express ? `createWebhookApp(${options}).listen(port, '127.0.0.1', () => {` : `createWebhookServer(${options}).listen(port, '127.0.0.1', () => {`}
  console.log(\`Webhook handler listening on http://127.0.0.1:\${port}\`);
});
`;
}

function testFile(model: HandlerModel, framework: GenerationTarget['framework']): string {
  const express = framework === 'express';
  const next = framework === 'nextjs';
  const samples = model.events
    .flatMap((event) =>
      event.embedded.map(
        (sample) =>
          `  { event: ${tsString(event.name)}, handler: ${tsString(handlerName(event))}, body: ${tsString(wireBody(sample))}, headers: { ${sampleHeaders(
            model,
            event,
            sample,
          )
            .map(([name, value]) => `${tsString(name.toLowerCase())}: ${tsString(value)}`)
            .join(', ')} } },`,
      ),
    )
    .join('\n');
  const spies = model.events
    .map(
      (event) =>
        `    ${handlerName(event)}: (body) => { reached.push(${tsString(handlerName(event))}); return handlers.${handlerName(event)}(body); },`,
    )
    .join('\n');
  const signing = tsTestSigning(model.verification);
  const create = express
    ? 'createWebhookApp'
    : next
      ? 'handleWebRequest, type WebhookOptions'
      : 'createWebhookServer';
  return `${comment('//', headerLines(model, `Replays the captured samples (tokens and secrets removed) through a real server, signed ${model.verification.label}'s way: each must reach its typed function; tampered, stale and wrongly signed deliveries get 401.`))}
${TS_NODE_REFERENCE}
import assert from 'node:assert/strict';
import { ${signing.cryptoImports.join(', ')} } from 'node:crypto';
${next ? '' : "import type { AddressInfo } from 'node:net';\n"}import { ${next ? 'test' : 'after, before, test'} } from 'node:test';
${next ? "import { POST } from './route.js';\n" : ''}import { ${create}, handlers, MemoryDeliveryLog, type WebhookHandlers } from './webhookHandler.js';

${signing.code}

const SAMPLES: ReadonlyArray<{ event: string; handler: keyof WebhookHandlers; body: string; headers: Record<string, string> }> = [
${samples}
];

const reached: string[] = [];
/** The handled delivery ids; cleared where a test sends a sample again on purpose. */
const deliveries = new MemoryDeliveryLog();
const spies: WebhookHandlers = {
  ...handlers,
${spies}
};

${
  next
    ? `// No server: each request is a web-standard Request handed to the route's code, as Next.js does.
const url = 'http://localhost:3000/api/webhooks';
const options: WebhookOptions = { secret: TEST_SECRET, previousSecrets: [PREVIOUS_SECRET], deliveries, ${signing.serverOptions}handlers: spies };
/** fetch, answered by handleWebRequest in this process instead of over the network. */
const fetch = (input: string, init?: RequestInit): Promise<Response> => handleWebRequest(new Request(input, init), options);
`
    : `let url = '';
let close: () => void = () => undefined;

before(async () => {
  const server = ${create}({ secret: TEST_SECRET, previousSecrets: [PREVIOUS_SECRET], deliveries, ${signing.serverOptions}handlers: spies }).listen(0, '127.0.0.1');
  await new Promise<void>((resolve) => server.once('listening', () => resolve()));
  url = \`http://127.0.0.1:\${(server.address() as AddressInfo).port}/webhook\`;
  close = () => server.close();
});

after(() => close());
`
}
async function post(body: string, headers: Record<string, string>): Promise<{ status: number; text: string }> {
  const response = await fetch(url, { method: 'POST', headers, body });
  return { status: response.status, text: await response.text() };
}

for (const sample of SAMPLES) {
  test(\`\${sample.event} sample reaches \${String(sample.handler)}\`, async () => {
    reached.length = 0;
    deliveries.clear();
    const signed = signRequest(sample.body, url);
    const { status, text } = await post(signed.body, { ...sample.headers, ...signed.headers });
    assert.equal(status, 200, text);
    assert.deepEqual(reached, [sample.handler]);
  });
}

${signing.cases}
${redeliveryTest(model)}${next ? routeTest() : ''}`;
}

/** route.ts's own POST, configured from the environment as Next.js runs it. */
function routeTest(): string {
  return `
test('route.ts: POST reads WEBHOOK_SECRET and answers a signed delivery 200, a forged one 401', async () => {
  process.env['WEBHOOK_SECRET'] = TEST_SECRET;
  delete process.env['WEBHOOK_SECRET_PREVIOUS'];
  const sample = SAMPLES[0]!;
  const signed = signRequest(sample.body, url);
  const headers = { ...sample.headers, ...signed.headers };
  const genuine = await POST(new Request(url, { method: 'POST', headers, body: signed.body }));
  assert.equal(genuine.status, 200, await genuine.text());
  const forged = signRequest(sample.body, url, OTHER_SECRET);
  const refused = await POST(new Request(url, { method: 'POST', headers: { ...sample.headers, ...forged.headers }, body: forged.body }));
  assert.equal(refused.status, 401, await refused.text());
});
`;
}

function redeliveryTest(model: HandlerModel): string {
  const chosen = redeliverySample(model);
  if (chosen === undefined) return '';
  const extra = chosen.header
    ? `${tsString(chosen.header[0])}: ${tsString(chosen.header[1])}, `
    : '';
  return `
test(${tsString(`a redelivery (same ${model.verification.deliveryId.map((source) => (source.from === 'header' ? source.name : source.tokens.join('.'))).join(' / ')}) is answered 200 without reaching its function again`)}, async () => {
  reached.length = 0;
  deliveries.clear();
  const sample = SAMPLES[${chosen.index}]!;
  const signed = signRequest(sample.body, url);
  const headers = { ...sample.headers, ${extra}...signed.headers };
  const first = await post(signed.body, headers);
  const again = await post(signed.body, headers);
  assert.equal(first.status, 200, first.text);
  assert.equal(again.status, 200, again.text);
  assert.deepEqual(reached, [sample.handler]);
});
`;
}

const VALUE_AT = `/** Own properties only, so a hostile key such as "__proto__" never reaches Object.prototype. */
function valueAt(value: unknown, path: readonly string[]): string | undefined {
  let current: unknown = value;
  for (const key of path) {
    if (typeof current !== 'object' || current === null || !Object.prototype.hasOwnProperty.call(current, key)) return undefined;
    current = (current as Record<string, unknown>)[key];
  }
  return typeof current === 'string' ? current : undefined;
}

`;
