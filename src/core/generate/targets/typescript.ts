// TypeScript target: quicktype's types (or Zod schemas), a framework-neutral handler core that
// verifies, parses and dispatches, a node:http or Express server around it, and a node:test file
// that replays the embedded samples through a real server. Needs only Node's own modules, plus
// express (and zod) when chosen.
import { inferTypes, payloadTypeName } from '../inference';
import { tsString } from '../literals';
import type { EventModel, GeneratedFile, GenerationTarget, HandlerModel } from '../model';
import { sampleText } from '../samples';
import {
  comment,
  describeEventKey,
  eventCommentLines,
  hasTopLevelPayload,
  headerLines,
  pointerTokens,
  TEST_SECRET,
  usesUnsafeIntegers,
} from './shared';

export async function typescriptFiles(
  model: HandlerModel,
  target: GenerationTarget,
): Promise<GeneratedFile[]> {
  const types = await inferTypes(model, target.zod ? 'typescript-zod' : 'typescript');
  const express = target.framework === 'express';
  return [
    {
      name: 'webhookTypes.ts',
      languageId: 'typescript',
      content: `${comment('//', headerLines(model, target.zod ? 'Zod schemas and types for each webhook event.' : 'Types for each webhook event.'))}\n\n${types.source}`,
    },
    { name: 'webhookHandler.ts', languageId: 'typescript', content: handlerFile(model, target) },
    { name: 'server.ts', languageId: 'typescript', content: serverFile(model, express) },
    { name: 'webhookHandler.test.ts', languageId: 'typescript', content: testFile(model, express) },
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
      : `headerValue(headers[${tsString(model.eventKey.name)}])`;
  const imports = [
    `import { createHmac, timingSafeEqual } from 'node:crypto';`,
    express
      ? `import express from 'express';`
      : `import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';`,
    target.zod ? `import type { z } from 'zod';` : '',
    target.zod
      ? `import * as Payloads from './webhookTypes';`
      : `import type * as Payloads from './webhookTypes';`,
  ].filter((line) => line !== '');

  return `${comment('//', headerLines(model, `Webhook handler: verifies the JWT, parses the body and dispatches each event to its typed function.`))}
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
  /** The secret the sender signs its JWT with (Watson: the webhook's Secret field). */
  readonly secret: string;
  readonly handlers?: WebhookHandlers;
  /** Clock skew allowed on exp, nbf and iat, as HookLens allows. Default 60 s. */
  readonly clockToleranceSeconds?: number;
  /** Seconds since 1970; a parameter so tests can fix the time. */
  readonly now?: () => number;
}

export interface WebhookReply {
  readonly status: number;
  readonly body: unknown;
}

export const MAX_BODY_BYTES = 5 * 1024 * 1024;

/** The whole request path, framework-free: verify, parse, dispatch, answer. */
export async function handleWebhook(
  request: { readonly method: string | undefined; readonly headers: Readonly<Record<string, string | string[] | undefined>>; readonly body: Buffer },
  options: WebhookOptions,
): Promise<WebhookReply> {
  if (request.method !== 'POST') return { status: 405, body: { error: 'Send webhooks with POST.' } };
  const now = options.now ? options.now() : Date.now() / 1000;
  const verification = verifyWebhookToken(request.headers['authorization'], options.secret, now, options.clockToleranceSeconds ?? 60);
  if (!verification.ok) return { status: 401, body: { error: verification.reason } };
  let body: unknown;
  try {
    body = ${bigIntegers ? 'parseJsonKeepingBigIntegers' : 'JSON.parse'}(request.body.toString('utf8'));
  } catch {
    return { status: 400, body: { error: 'The body is not JSON.' } };
  }
  ${target.zod ? `try {\n    const answer = await dispatchWebhookEvent(body, request.headers, options.handlers ?? handlers);\n    return { status: 200, body: answer ?? { ok: true } };\n  } catch (error) {\n    if (error instanceof SchemaMismatch) return { status: 400, body: { error: error.message } };\n    throw error;\n  }` : `const answer = await dispatchWebhookEvent(body, request.headers, options.handlers ?? handlers);\n  return { status: 200, body: answer ?? { ok: true } };`}
}

/** Calls the event's typed function; what it returns is the reply body (undefined: \`{ ok: true }\`). */
export async function dispatchWebhookEvent(
  body: unknown,
  headers: Readonly<Record<string, string | string[] | undefined>>,
  handlers: WebhookHandlers,
): Promise<unknown> {
  ${model.eventKey.kind === 'header' ? '' : 'void headers;\n  '}const name = ${eventRead};
  switch (name) {
${cases}
    default:
      await handlers.onUnknownEvent(name, body);
      return undefined;
  }
}
${target.zod ? zodHelpers() : ''}
${model.eventKey.kind === 'pointer' ? VALUE_AT : HEADER_VALUE}${bigIntegers ? bigIntegerParser() : ''}
export type Verification =
  | { readonly ok: true; readonly claims: Readonly<Record<string, unknown>> }
  | { readonly ok: false; readonly reason: string };

/**
 * The checks HookLens makes: the token from Authorization (bare, as Watson sends it, or after
 * "Bearer"), HS256 only, the signature compared in constant time, then exp, nbf and iat.
 */
export function verifyWebhookToken(
  authorization: string | string[] | undefined,
  secret: string,
  nowSeconds: number,
  toleranceSeconds = 60,
): Verification {
  if (secret === '') return { ok: false, reason: 'No secret is configured.' };
  const value = (Array.isArray(authorization) ? authorization[0] : authorization)?.trim();
  if (!value) return { ok: false, reason: 'The Authorization header is missing.' };
  const token = /^bearer\\s+/i.test(value) ? value.replace(/^bearer\\s+/i, '') : value;
  const parts = token.split('.');
  if (parts.length !== 3 || !parts.every((part) => /^[A-Za-z0-9_-]*$/.test(part))) {
    return { ok: false, reason: 'The Authorization header does not hold a JWT.' };
  }
  const [encodedHeader, encodedClaims, encodedSignature] = parts as [string, string, string];
  const header = decodeJsonPart(encodedHeader);
  if (header === undefined) return { ok: false, reason: 'The token header is not valid JSON.' };
  if (header['alg'] !== 'HS256') return { ok: false, reason: \`The token uses \${JSON.stringify(header['alg'])}; only HS256 is accepted.\` };
  const expected = createHmac('sha256', secret).update(\`\${encodedHeader}.\${encodedClaims}\`).digest();
  const given = Buffer.from(encodedSignature, 'base64url');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
    return { ok: false, reason: 'The token signature does not match the secret.' };
  }
  const claims = decodeJsonPart(encodedClaims);
  if (claims === undefined) return { ok: false, reason: 'The token claims are not valid JSON.' };
  for (const name of ['exp', 'nbf', 'iat']) {
    if (name in claims && typeof claims[name] !== 'number') return { ok: false, reason: \`The token's \${name} claim is not a number.\` };
  }
  const { exp, nbf, iat } = claims as { exp?: number; nbf?: number; iat?: number };
  if (exp !== undefined && exp <= nowSeconds - toleranceSeconds) return { ok: false, reason: 'The token has expired.' };
  if (nbf !== undefined && nbf > nowSeconds + toleranceSeconds) return { ok: false, reason: 'The token is not valid yet (nbf).' };
  if (iat !== undefined && iat > nowSeconds + toleranceSeconds) return { ok: false, reason: 'The token was issued in the future (iat).' };
  return { ok: true, claims };
}

function decodeJsonPart(part: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

${express ? expressAdapter() : nodeAdapter()}
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
      handleWebhook({ method: request.method, headers: request.headers, body: Buffer.concat(chunks) }, options).then(
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
  response.writeHead(reply.status, { 'content-type': 'application/json' }).end(JSON.stringify(reply.body));
}`;
}

function expressAdapter(): string {
  return `/** An Express app that answers POSTs on any path through handleWebhook. */
export function createWebhookApp(options: WebhookOptions): express.Express {
  if (options.secret === '') throw new Error('The webhook secret is empty: set WEBHOOK_SECRET to the secret the sender signs with.');
  const app = express();
  // The raw bytes, whatever the content type: the signature covers them, not a re-serialisation.
  app.use(express.raw({ type: () => true, limit: MAX_BODY_BYTES }));
  app.use((request: express.Request, response: express.Response, next: express.NextFunction) => {
    const body = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
    handleWebhook({ method: request.method, headers: request.headers, body }, options).then(
      (reply) => response.status(reply.status).json(reply.body),
      next,
    );
  });
  return app;
}`;
}

function serverFile(model: HandlerModel, express: boolean): string {
  return `${comment('//', headerLines(model, 'Runs the webhook handler. WEBHOOK_SECRET holds the secret; PORT the port (default 3000).'))}
import { ${express ? 'createWebhookApp' : 'createWebhookServer'} } from './webhookHandler';

const secret = process.env['WEBHOOK_SECRET'] ?? '';
if (secret === '') {
  console.error('Set WEBHOOK_SECRET to the secret your webhook sender signs with.');
  process.exit(1);
}
const port = Number(process.env['PORT'] ?? 3000);
${express ? `createWebhookApp({ secret }).listen(port, '127.0.0.1', () => {` : `createWebhookServer({ secret }).listen(port, '127.0.0.1', () => {`}
  console.log(\`Webhook handler listening on http://127.0.0.1:\${port}\`);
});
`;
}

function testFile(model: HandlerModel, express: boolean): string {
  const samples = model.events
    .flatMap((event) =>
      event.embedded.map(
        (sample) =>
          `  { event: ${tsString(event.name)}, handler: ${tsString(handlerName(event))}, body: ${tsString(sampleText(sample.value))}, headers: ${eventHeaders(model, event)} },`,
      ),
    )
    .join('\n');
  const spies = model.events
    .map(
      (event) =>
        `    ${handlerName(event)}: (body) => { reached.push(${tsString(handlerName(event))}); return handlers.${handlerName(event)}(body); },`,
    )
    .join('\n');
  return `${comment('//', headerLines(model, 'Replays the captured samples (tokens and secrets removed) through a real server: each must reach its typed function.'))}
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { after, before, test } from 'node:test';
import { ${express ? 'createWebhookApp' : 'createWebhookServer'}, handlers, type WebhookHandlers } from './webhookHandler';

/** A test-only secret; the samples are signed with it here, never with yours. */
const TEST_SECRET = ${tsString(TEST_SECRET)};

const SAMPLES: ReadonlyArray<{ event: string; handler: keyof WebhookHandlers; body: string; headers: Record<string, string> }> = [
${samples}
];

const reached: string[] = [];
const spies: WebhookHandlers = {
  ...handlers,
${spies}
};

let url = '';
let close: () => void = () => undefined;

before(async () => {
  const server = ${express ? "createWebhookApp({ secret: TEST_SECRET, handlers: spies }).listen(0, '127.0.0.1')" : "createWebhookServer({ secret: TEST_SECRET, handlers: spies }).listen(0, '127.0.0.1')"};
  await new Promise<void>((resolve) => server.once('listening', () => resolve()));
  url = \`http://127.0.0.1:\${(server.address() as AddressInfo).port}/webhook\`;
  close = () => server.close();
});

after(() => close());

function sign(secret: string, claims: Record<string, unknown> = {}): string {
  const now = Math.floor(Date.now() / 1000);
  const encode = (value: unknown): string => Buffer.from(JSON.stringify(value)).toString('base64url');
  const unsigned = \`\${encode({ alg: 'HS256', typ: 'JWT' })}.\${encode({ iat: now, exp: now + 300, ...claims })}\`;
  return \`\${unsigned}.\${createHmac('sha256', secret).update(unsigned).digest('base64url')}\`;
}

async function post(body: string, authorization: string, headers: Record<string, string> = {}): Promise<{ status: number; json: unknown }> {
  const response = await fetch(url, { method: 'POST', headers: { ...headers, authorization, 'content-type': 'application/json' }, body });
  return { status: response.status, json: await response.json() };
}

for (const sample of SAMPLES) {
  test(\`\${sample.event} sample reaches \${String(sample.handler)}\`, async () => {
    reached.length = 0;
    const { status } = await post(sample.body, sign(TEST_SECRET), sample.headers);
    assert.equal(status, 200);
    assert.deepEqual(reached, [sample.handler]);
  });
}

test('a token signed with another secret is refused with 401', async () => {
  reached.length = 0;
  const { status } = await post(SAMPLES[0]!.body, sign('not-the-secret'));
  assert.equal(status, 401);
  assert.deepEqual(reached, []);
});

test('an expired token is refused with 401', async () => {
  const { status } = await post(SAMPLES[0]!.body, sign(TEST_SECRET, { exp: Math.floor(Date.now() / 1000) - 3600 }));
  assert.equal(status, 401);
});

test('a token with "Bearer " in front is accepted', async () => {
  const { status } = await post(SAMPLES[0]!.body, \`Bearer \${sign(TEST_SECRET)}\`);
  assert.equal(status, 200);
});

test('a body that is not JSON is refused with 400', async () => {
  const { status } = await post('{not json', sign(TEST_SECRET));
  assert.equal(status, 400);
});

`;
}

/** The header that names the event, when the handler dispatches on one (GitHub-style senders). */
function eventHeaders(model: HandlerModel, event: EventModel): string {
  return model.eventKey.kind === 'header'
    ? `{ ${tsString(model.eventKey.name)}: ${tsString(event.name)} }`
    : '{}';
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

const HEADER_VALUE = `function headerValue(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}
`;
