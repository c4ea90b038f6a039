// TypeScript snippets for verification, event names and handshakes, keyed by the profile's scheme
// family: the handler target splices in one `verifyWebhook`, one `eventName` and the handshake
// answers; the test target splices in the matching `signRequest`. node:crypto only, raw bytes,
// constant-time comparisons.
import { tsString } from '../literals';
import type { NameRule, NameSource } from '../model';
import type { SchemeFamily, SignedPart, TimestampSpec, VerificationProfile } from './profile';
import {
  hasTimestamp,
  previousTestSecretFor,
  staleSeconds,
  testSecretFor,
  usesPublicUrl,
} from './shared';

export interface TsVerification {
  /** Names to import from node:crypto. */
  readonly cryptoImports: readonly string[];
  /** `verifyWebhook` and its helpers. */
  readonly code: string;
  /** The call, with `request`, `options` and `now` in scope. */
  readonly call: string;
  /** Extra WebhookOptions fields (with their doc comments), indented by two. */
  readonly options: string;
}

const DIGEST_BYTES = { sha1: 20, sha256: 32, sha512: 64 } as const;

export function tsVerification(profile: VerificationProfile): TsVerification {
  const family = profile.family;
  const url = usesPublicUrl(profile);
  const options = [
    url
      ? '  /** The public origin the sender calls (https://abc.ngrok.app), when a proxy rewrites Host. */\n  readonly publicBaseUrl?: string;'
      : '',
    profile.handshakes.includes('meta_subscribe')
      ? "  /** The verify token typed in Meta's webhook settings (answers the subscription GET). */\n  readonly verifyToken?: string;"
      : '',
  ]
    .filter((line) => line !== '')
    .join('\n');
  const call = `verifyWithSecrets([options.secret, ...(options.previousSecrets ?? [])], (secret) => verifyWebhook(request, secret, now${url ? ', options.publicBaseUrl' : ''}))`;
  const body = familyCode(profile, family);
  // Ed25519 compares nothing itself: no constant-time helper to leave unused.
  const compares =
    family.kind !== 'ed25519' &&
    family.kind !== 'ecdsa' &&
    !(family.kind === 'standard-webhooks' && family.asymmetric);
  return {
    cryptoImports: [...new Set([...(compares ? ['timingSafeEqual'] : []), ...body.imports])].sort(),
    code: `${compares ? COMMON : COMMON.slice(0, COMMON.indexOf('/** Constant-time'))}\n${body.code}${url ? `\n${CANDIDATE_URLS}` : ''}`,
    call,
    options: options === '' ? '' : `\n${options}`,
  };
}

const COMMON = `export type Verification =
  | { readonly ok: true }
  | { readonly ok: false; readonly reason: string };

function fail(reason: string): Verification {
  return { ok: false, reason };
}

/**
 * Secret rotation: the current secret (WEBHOOK_SECRET), then each previous one
 * (WEBHOOK_SECRET_PREVIOUS); the first that verifies wins, else the current secret's reason.
 */
function verifyWithSecrets(secrets: readonly string[], verify: (secret: string) => Verification): Verification {
  let first: Verification | undefined;
  for (const secret of secrets.filter((candidate) => candidate !== '')) {
    const result = verify(secret);
    if (result.ok) return result;
    first ??= result;
  }
  return first ?? fail('No secret is configured.');
}

/** A header's first value (Node gives header names in lower case). */
function header(headers: RequestHeaders, name: string): string | undefined {
  const value = headers[name.toLowerCase()];
  return Array.isArray(value) ? value[0] : value;
}

/** Constant-time comparison; different lengths never match. */
function safeEqual(a: Buffer, b: Buffer): boolean {
  return a.length === b.length && timingSafeEqual(a, b);
}
`;

interface FamilyCode {
  readonly imports: readonly string[];
  readonly code: string;
}

function familyCode(profile: VerificationProfile, family: SchemeFamily): FamilyCode {
  switch (family.kind) {
    case 'jwt':
      return jwtCode(family.secretMatch);
    case 'template':
      return templateCode(profile, family);
    case 'timestamped-header':
      return timestampedCode(profile, family);
    case 'standard-webhooks':
      return family.asymmetric
        ? standardWebhooksEd25519Code(family.toleranceSeconds)
        : standardWebhooksCode(family.toleranceSeconds);
    case 'twilio':
      return twilioCode();
    case 'shared-token':
      return {
        imports: [],
        code: `/** ${profile.label} sends the secret token itself in ${family.header}: compared in constant time. */
export function verifyWebhook(request: WebhookRequest, secret: string, nowSeconds: number): Verification {
  void nowSeconds;
  if (secret === '') return fail('No secret is configured.');
  const token = header(request.headers, ${tsString(family.header)});
  if (token === undefined) return fail(${tsString(`The ${family.header} header is missing.`)});
  if (!safeEqual(Buffer.from(token, 'utf8'), Buffer.from(secret.trim(), 'utf8'))) {
    return fail(${tsString(`The ${family.header} header does not match the secret token.`)});
  }
  return { ok: true };
}
`,
      };
    case 'ecdsa':
      return {
        imports: ['createPublicKey', 'type KeyObject', 'verify as verifySignature'],
        code: `/**
 * ${profile.label}: ${family.header} is the base64 of a DER ECDSA P-256 / SHA-256 signature of
 * ${family.timestampHeader} followed by the raw body, checked with the verification key (base64 DER
 * public key, MFkw…). ${profile.label}'s own library applies no timestamp tolerance; neither does this.
 */
export function verifyWebhook(request: WebhookRequest, secret: string, nowSeconds: number): Verification {
  void nowSeconds;
  const signature = header(request.headers, ${tsString(family.header)})?.trim();
  const timestamp = header(request.headers, ${tsString(family.timestampHeader)})?.trim();
  if (!signature || !timestamp) return fail(${tsString(`The ${family.header} or ${family.timestampHeader} header is missing.`)});
  let key: KeyObject;
  try {
    key = createPublicKey({ key: Buffer.from(secret.replace(/\\s+/g, ''), 'base64'), format: 'der', type: 'spki' });
  } catch {
    return fail('WEBHOOK_SECRET is not a verification key (the base64 DER public key, MFkw…).');
  }
  if (key.asymmetricKeyType !== 'ec') return fail('WEBHOOK_SECRET is not an ECDSA verification key.');
  let verified = false;
  try {
    const signed = Buffer.concat([Buffer.from(timestamp, 'utf8'), request.body]);
    verified = verifySignature('sha256', signed, { key, dsaEncoding: 'der' }, Buffer.from(signature, 'base64'));
  } catch {
    verified = false;
  }
  return verified ? { ok: true } : fail('The signature does not verify with the verification key: the body changed, or the key is not this account\\'s.');
}
`,
      };
    case 'ed25519':
      return {
        imports: ['createPublicKey', 'verify as verifySignature'],
        code: `/** ${profile.label}: Ed25519 over ${family.timestampHeader} + the raw body, with the application's public key (hex). */
export function verifyWebhook(request: WebhookRequest, secret: string, nowSeconds: number): Verification {
  void nowSeconds;
  const publicKey = secret.trim();
  if (!/^[0-9a-fA-F]{64}$/.test(publicKey)) return fail('WEBHOOK_SECRET is not a public key of 64 hex digits.');
  const signature = header(request.headers, ${tsString(family.header)})?.trim();
  const timestamp = header(request.headers, ${tsString(family.timestampHeader)})?.trim();
  if (signature === undefined || timestamp === undefined) return fail(${tsString(`The ${family.header} or ${family.timestampHeader} header is missing.`)});
  if (!/^[0-9a-fA-F]{128}$/.test(signature)) return fail(${tsString(`${family.header} is not 128 hex digits.`)});
  const key = createPublicKey({
    key: { kty: 'OKP', crv: 'Ed25519', x: Buffer.from(publicKey, 'hex').toString('base64url') },
    format: 'jwk',
  });
  const signed = Buffer.concat([Buffer.from(timestamp, 'utf8'), request.body]);
  if (!verifySignature(null, signed, key, Buffer.from(signature, 'hex'))) {
    return fail('The signature does not verify with the public key.');
  }
  return { ok: true };
}
`,
      };
  }
}

function jwtCode(secretMatch: boolean): FamilyCode {
  return {
    imports: ['createHmac'],
    code: `/** The JWT in Authorization${secretMatch ? ', or the secret itself (the samples sent it that way)' : ''}. */
export function verifyWebhook(request: WebhookRequest, secret: string, nowSeconds: number): Verification {
  const authorization = header(request.headers, 'authorization');
${
  secretMatch
    ? `  // The sender was set up to send the secret as the header, which HookLens accepted as secret_match.
  const bare = (authorization ?? '').trim().replace(/^bearer\\s+/i, '');
  if (secret !== '' && safeEqual(Buffer.from(bare, 'utf8'), Buffer.from(secret, 'utf8'))) return { ok: true };
`
    : ''
}  const result = verifyWebhookToken(authorization, secret, nowSeconds);
  return result.ok ? { ok: true } : fail(result.reason);
}

export type TokenVerification =
  | { readonly ok: true; readonly claims: Readonly<Record<string, unknown>> }
  | { readonly ok: false; readonly reason: string };

/**
 * The checks HookLens makes: the token from Authorization (bare, as Watson sends it, or after
 * "Bearer"), HS256 only, the signature compared in constant time, then exp, nbf and iat.
 */
export function verifyWebhookToken(
  authorization: string | undefined,
  secret: string,
  nowSeconds: number,
  toleranceSeconds = 60,
): TokenVerification {
  if (secret === '') return { ok: false, reason: 'No secret is configured.' };
  const value = authorization?.trim();
  if (!value) return { ok: false, reason: 'The Authorization header is missing.' };
  const token = /^bearer\\s+/i.test(value) ? value.replace(/^bearer\\s+/i, '') : value;
  const parts = token.split('.');
  if (parts.length !== 3 || !parts.every((part) => /^[A-Za-z0-9_-]*$/.test(part))) {
    return { ok: false, reason: 'The Authorization header does not hold a JWT.' };
  }
  const [encodedHeader, encodedClaims, encodedSignature] = parts as [string, string, string];
  const tokenHeader = decodeJsonPart(encodedHeader);
  if (tokenHeader === undefined) return { ok: false, reason: 'The token header is not valid JSON.' };
  if (tokenHeader['alg'] !== 'HS256') return { ok: false, reason: \`The token uses \${JSON.stringify(tokenHeader['alg'])}; only HS256 is accepted.\` };
  const expected = createHmac('sha256', secret).update(\`\${encodedHeader}.\${encodedClaims}\`).digest();
  if (!safeEqual(Buffer.from(encodedSignature, 'base64url'), expected)) {
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
`,
  };
}

function decodeLine(family: {
  encoding: 'hex' | 'base64';
  algorithm: keyof typeof DIGEST_BYTES;
}): string {
  const bytes = DIGEST_BYTES[family.algorithm];
  return family.encoding === 'hex'
    ? `/^[0-9a-fA-F]{${bytes * 2}}$/.test(encoded) ? Buffer.from(encoded, 'hex') : undefined`
    : `/^[A-Za-z0-9+/]+={0,2}$/.test(encoded) && Buffer.from(encoded, 'base64').length === ${bytes} ? Buffer.from(encoded, 'base64') : undefined`;
}

function secondsExpression(unit: TimestampSpec['unit']): string {
  switch (unit) {
    case 'seconds':
      return `/^\\d{1,12}$/.test(timestampText) ? Number(timestampText) : undefined`;
    case 'milliseconds':
      return `/^\\d{1,16}$/.test(timestampText) ? Number(timestampText) / 1000 : undefined`;
    case 'rfc3339':
      return `/^\\d{4}-\\d{2}-\\d{2}[Tt]\\d{2}:\\d{2}:\\d{2}(\\.\\d{1,9})?([Zz]|[+-]\\d{2}:\\d{2})$/.test(timestampText) ? Date.parse(timestampText) / 1000 : undefined`;
  }
}

function freshnessChecks(
  spec: { toleranceSeconds: number; future: boolean },
  name: string,
): string {
  return `  if (nowSeconds - seconds > ${spec.toleranceSeconds}) {
    return fail(\`${name} is \${Math.round(nowSeconds - seconds)} s old; more than ${spec.toleranceSeconds} s is refused (a replay?).\`);
  }
${
  spec.future
    ? `  if (seconds - nowSeconds > ${spec.toleranceSeconds}) return fail(${tsString(`${name} is more than ${spec.toleranceSeconds} s in the future.`)});\n`
    : ''
}`;
}

function partExpression(part: SignedPart): string {
  switch (part.kind) {
    case 'literal':
      return tsString(part.text);
    case 'body':
      return 'request.body';
    case 'timestamp':
      return 'timestampText';
    case 'id':
      return 'id';
    case 'url':
      return 'url';
  }
}

function templateCode(
  profile: VerificationProfile,
  family: Extract<SchemeFamily, { kind: 'template' }>,
): FamilyCode {
  const main = family.headers[0]!;
  const lines: string[] = [];
  lines.push(`/** The headers that may carry ${profile.label}'s signature; the first present is read. */
const SIGNATURE_HEADERS: readonly string[] = [${family.headers.map((name) => tsString(name.toLowerCase())).join(', ')}];
`);
  if (family.timestamp?.bodyField !== undefined) {
    lines.push(`/** A top-level field of the JSON body as text (a number or a string), if there is one. */
function bodyField(body: Buffer, name: string): string | undefined {
  try {
    const parsed: unknown = JSON.parse(body.toString('utf8'));
    if (typeof parsed !== 'object' || parsed === null || !Object.prototype.hasOwnProperty.call(parsed, name)) return undefined;
    const value = (parsed as Record<string, unknown>)[name];
    return typeof value === 'number' || typeof value === 'string' ? String(value) : undefined;
  } catch {
    return undefined;
  }
}
`);
  }
  const url = family.parts.some((part) => part.kind === 'url');
  let body = `export function verifyWebhook(request: WebhookRequest, secret: string, nowSeconds: number${url ? ', publicBaseUrl?: string' : ''}): Verification {
  if (secret === '') return fail('No secret is configured.');
  const value = SIGNATURE_HEADERS.map((name) => header(request.headers, name)).find((found) => found !== undefined)?.trim();
  if (!value) return fail(${tsString(`The ${main} header is missing.`)});
`;
  if (family.prefix !== '') {
    body += `  if (!value.toLowerCase().startsWith(${tsString(family.prefix.toLowerCase())})) return fail(${tsString(`The ${main} header does not start with ${family.prefix}.`)});
`;
  }
  body += `  const encoded = value.slice(${family.prefix.length});
  const given = ${decodeLine(family)};
  if (given === undefined) return fail(${tsString(`The ${main} header is not ${family.prefix}followed by the ${family.encoding} of an HMAC-${family.algorithm.toUpperCase()}.`)});
`;
  if (family.timestamp !== undefined) {
    const spec = family.timestamp;
    const fromHeader =
      spec.header === undefined
        ? "''"
        : `(header(request.headers, ${tsString(spec.header)}) ?? '').trim()`;
    const read =
      spec.bodyField !== undefined
        ? `bodyField(request.body, ${tsString(spec.bodyField)}) ?? ${fromHeader}`
        : fromHeader;
    const name = spec.bodyField ?? spec.header ?? 'timestamp';
    body += `  const timestampText = ${read};
  const seconds = ${secondsExpression(spec.unit)};
  if (seconds === undefined) return fail(${tsString(`The ${name} timestamp is missing or not ${spec.unit === 'rfc3339' ? 'an RFC 3339 time' : `a Unix time in ${spec.unit}`}.`)});
${freshnessChecks(spec, `The ${name} timestamp`)}`;
  }
  if (family.idHeader !== undefined) {
    body += `  const id = (header(request.headers, ${tsString(family.idHeader)}) ?? '').trim();
  if (id === '') return fail(${tsString(`The ${family.idHeader} header is missing.`)});
`;
  }
  const digest = `createHmac(${tsString(family.algorithm)}, secret)${family.parts.map((part) => `.update(${partExpression(part)})`).join('')}.digest()`;
  body += url
    ? `  for (const url of candidateUrls(request, publicBaseUrl)) {
    if (safeEqual(given, ${digest})) return { ok: true };
  }
  return fail(${tsString(`${main} does not match for any URL tried: the body changed, the secret is not ${profile.label}'s, or the public URL differs (set WEBHOOK_PUBLIC_URL).`)});
}
`
    : `  if (!safeEqual(given, ${digest})) {
    return fail(${tsString(`${main} does not match: the body changed, or the secret is not the ${profile.label} ${profile.secretNoun}.`)});
  }
  return { ok: true };
}
`;
  lines.push(
    `/** ${profile.label}: ${main} = ${family.prefix}${family.encoding}(HMAC-${family.algorithm.toUpperCase()}(secret, ${family.parts.map(describePart).join(' + ')})). */\n${body}`,
  );
  return { imports: ['createHmac'], code: lines.join('\n') };
}

function describePart(part: SignedPart): string {
  return part.kind === 'literal'
    ? JSON.stringify(part.text)
    : part.kind === 'body'
      ? 'raw body'
      : part.kind;
}

function timestampedCode(
  profile: VerificationProfile,
  family: Extract<SchemeFamily, { kind: 'timestamped-header' }>,
): FamilyCode {
  const { header: name, timestampKey: t, signatureKey: v } = family;
  return {
    imports: ['createHmac'],
    code: `/**
 * ${profile.label}: ${name} = ${t}=<unix seconds>${family.itemSeparator}${v}=<hex>[${family.itemSeparator}${v}=…], each ${v} an HMAC-SHA256 of
 * "{${t}}${family.contentSeparator}{raw body}" keyed with the secret exactly as given${profile.provider === 'stripe' ? ' (the whole whsec_… string)' : ''}. Every
 * ${v} is tried (there are several while a secret rolls); other keys are ignored.
 */
export function verifyWebhook(request: WebhookRequest, secret: string, nowSeconds: number): Verification {
  if (secret === '') return fail('No secret is configured.');
  const value = header(request.headers, ${tsString(name)});
  if (value === undefined) return fail(${tsString(`The ${name} header is missing.`)});
  let timestampText: string | undefined;
  const signatures: Buffer[] = [];
  for (const item of value.split(${tsString(family.itemSeparator)})) {
    const equals = item.indexOf('=');
    if (equals < 0) continue;
    const key = item.slice(0, equals).trim();
    const text = item.slice(equals + 1).trim();
    if (key === ${tsString(t)}) timestampText = text;
    else if (key === ${tsString(v)} && /^[0-9a-fA-F]{64}$/.test(text)) signatures.push(Buffer.from(text, 'hex'));
  }
  if (timestampText === undefined || !/^\\d{1,12}$/.test(timestampText)) return fail(${tsString(`${name} has no ${t}= timestamp.`)});
  if (signatures.length === 0) return fail(${tsString(`${name} has no ${v}= signature.`)});
  const expected = createHmac('sha256', secret).update(\`\${timestampText}${family.contentSeparator}\`).update(request.body).digest();
  if (!signatures.some((signature) => safeEqual(signature, expected))) {
    return fail(${tsString(`No ${v} signature in ${name} matches: the body changed, or the secret is not the ${profile.label} ${profile.secretNoun}.`)});
  }
  const seconds = Number(timestampText);
${freshnessChecks({ toleranceSeconds: family.toleranceSeconds, future: false }, `The ${name} timestamp`)}  return { ok: true };
}
`,
  };
}

function standardWebhooksCode(tolerance: number): FamilyCode {
  return {
    imports: ['createHmac'],
    code: `/**
 * Standard Webhooks (and Svix, which uses svix-* header names): webhook-signature holds
 * "v1,<base64>" entries separated by spaces, each an HMAC-SHA256 of "{id}.{timestamp}.{raw body}"
 * keyed with the base64 after "whsec_" in the secret. ±${tolerance} s.
 */
export function verifyWebhook(request: WebhookRequest, secret: string, nowSeconds: number): Verification {
  const prefix = header(request.headers, 'webhook-signature') === undefined && header(request.headers, 'svix-signature') !== undefined ? 'svix' : 'webhook';
  const id = header(request.headers, \`\${prefix}-id\`)?.trim();
  const timestampText = header(request.headers, \`\${prefix}-timestamp\`)?.trim();
  const signatures = header(request.headers, \`\${prefix}-signature\`);
  if (id === undefined || timestampText === undefined || signatures === undefined) {
    return fail(\`The \${prefix}-id, \${prefix}-timestamp or \${prefix}-signature header is missing.\`);
  }
  const key = Buffer.from(secret.trim().replace(/^v1,/, '').replace(/^whsec_/, ''), 'base64');
  if (key.length === 0) return fail('WEBHOOK_SECRET is not whsec_ followed by base64.');
  if (!/^\\d{1,12}$/.test(timestampText)) return fail(\`\${prefix}-timestamp is not a Unix time in seconds.\`);
  const seconds = Number(timestampText);
${freshnessChecks({ toleranceSeconds: tolerance, future: true }, 'The timestamp')}  const expected = createHmac('sha256', key).update(\`\${id}.\${timestampText}.\`).update(request.body).digest();
  for (const entry of signatures.split(' ')) {
    const comma = entry.indexOf(',');
    if (comma < 0 || entry.slice(0, comma) !== 'v1') continue;
    if (safeEqual(Buffer.from(entry.slice(comma + 1), 'base64'), expected)) return { ok: true };
  }
  return fail('No v1 signature matches: the body changed, or the secret is not this endpoint\\'s signing secret.');
}
`,
  };
}

function standardWebhooksEd25519Code(tolerance: number): FamilyCode {
  return {
    imports: ['createPublicKey', 'verify as verifySignature'],
    code: `/**
 * Standard Webhooks, asymmetric (and Svix, which uses svix-* header names): webhook-signature holds
 * "v1a,<base64>" entries separated by spaces, each an Ed25519 signature of
 * "{id}.{timestamp}.{raw body}", checked with the public key after "whpk_" in the secret. ±${tolerance} s.
 */
export function verifyWebhook(request: WebhookRequest, secret: string, nowSeconds: number): Verification {
  const prefix = header(request.headers, 'webhook-signature') === undefined && header(request.headers, 'svix-signature') !== undefined ? 'svix' : 'webhook';
  const id = header(request.headers, \`\${prefix}-id\`)?.trim();
  const timestampText = header(request.headers, \`\${prefix}-timestamp\`)?.trim();
  const signatures = header(request.headers, \`\${prefix}-signature\`);
  if (id === undefined || timestampText === undefined || signatures === undefined) {
    return fail(\`The \${prefix}-id, \${prefix}-timestamp or \${prefix}-signature header is missing.\`);
  }
  const raw = secret.trim();
  const publicKey = raw.startsWith('whpk_') ? Buffer.from(raw.slice('whpk_'.length), 'base64') : Buffer.alloc(0);
  if (publicKey.length !== 32) return fail('WEBHOOK_SECRET is not whpk_ followed by the base64 of a 32-byte Ed25519 public key.');
  if (!/^\\d{1,12}$/.test(timestampText)) return fail(\`\${prefix}-timestamp is not a Unix time in seconds.\`);
  const seconds = Number(timestampText);
${freshnessChecks({ toleranceSeconds: tolerance, future: true }, 'The timestamp')}  const key = createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x: publicKey.toString('base64url') }, format: 'jwk' });
  const signed = Buffer.concat([Buffer.from(\`\${id}.\${timestampText}.\`), request.body]);
  for (const entry of signatures.split(' ')) {
    const comma = entry.indexOf(',');
    if (comma < 0 || entry.slice(0, comma) !== 'v1a') continue;
    const signature = Buffer.from(entry.slice(comma + 1), 'base64');
    if (signature.length === 64 && verifySignature(null, signed, key, signature)) return { ok: true };
  }
  return fail('No v1a signature verifies: the body changed, or the key is not this endpoint\\'s public key.');
}
`,
  };
}

function twilioCode(): FamilyCode {
  return {
    imports: ['createHash', 'createHmac'],
    code: `/**
 * Twilio: X-Twilio-Signature = base64(HMAC-SHA1(Auth Token, public URL + each form parameter's
 * name and value, sorted by name)). A JSON body is signed through bodySHA256 in the URL instead.
 */
export function verifyWebhook(request: WebhookRequest, secret: string, nowSeconds: number, publicBaseUrl?: string): Verification {
  void nowSeconds;
  if (secret === '') return fail('No secret is configured.');
  const value = header(request.headers, 'x-twilio-signature')?.trim();
  if (!value) return fail('The X-Twilio-Signature header is missing.');
  const given = Buffer.from(value, 'base64');
  const query = request.url.includes('?') ? request.url.slice(request.url.indexOf('?') + 1) : '';
  const bodyHash = new URLSearchParams(query).get('bodySHA256');
  let params: Array<[string, string]> = [];
  if (bodyHash !== null) {
    const actual = createHash('sha256').update(request.body).digest('hex');
    if (!safeEqual(Buffer.from(actual), Buffer.from(bodyHash.toLowerCase()))) return fail('The body does not match bodySHA256 in the URL.');
  } else if (isForm(request.headers)) {
    params = [...new URLSearchParams(request.body.toString('utf8'))];
  }
  const byName = new Map<string, string[]>();
  for (const [name, text] of params) byName.set(name, [...(byName.get(name) ?? []), text]);
  let signed = '';
  for (const name of [...byName.keys()].sort()) {
    for (const text of [...new Set(byName.get(name))].sort()) signed += name + text;
  }
  for (const url of candidateUrls(request, publicBaseUrl)) {
    if (safeEqual(given, createHmac('sha1', secret).update(url + signed).digest())) return { ok: true };
  }
  return fail('X-Twilio-Signature does not match for any URL tried: the body changed, the Auth Token differs, or the public URL differs (set WEBHOOK_PUBLIC_URL).');
}
`,
  };
}

const CANDIDATE_URLS = `/**
 * The URLs the sender may have signed: the configured public origin, then the Host header's
 * (X-Forwarded-Host/-Proto when a proxy sets them), each as is, with and without the default port.
 */
function candidateUrls(request: WebhookRequest, publicBaseUrl: string | undefined): string[] {
  const origins: string[] = [];
  if (publicBaseUrl) origins.push(publicBaseUrl.replace(/\\/+$/, ''));
  const host = header(request.headers, 'x-forwarded-host') ?? header(request.headers, 'host');
  if (host) {
    const proto = header(request.headers, 'x-forwarded-proto')?.split(',')[0]?.trim();
    if (proto === 'http' || proto === 'https') origins.push(\`\${proto}://\${host}\`);
    origins.push(\`https://\${host}\`, \`http://\${host}\`);
  }
  const urls: string[] = [];
  for (const origin of origins) {
    const url = origin + request.url;
    const match = /^(https?):\\/\\/([^/?#]*)/i.exec(url);
    urls.push(url);
    if (match && !/:\\d+$/.test(match[2] ?? '')) {
      urls.push(\`\${match[0]}:\${match[1]?.toLowerCase() === 'https' ? 443 : 80}\${url.slice(match[0].length)}\`);
    }
    urls.push(url.replace(/^(https?:\\/\\/[^/?#:]*):\\d+/i, '$1'));
  }
  return [...new Set(urls)];
}
`;

/** `eventName(body, headers)`: the provider's event name, as HookLens named the samples. */
export function tsEventName(rules: readonly NameRule[], handshakes: boolean): string {
  const source = (item: NameSource): string =>
    item.from === 'header'
      ? `header(headers, ${tsString(item.name)})`
      : `textAt(body, [${item.tokens.map(tsString).join(', ')}])`;
  const firstOf = (sources: readonly NameSource[]): string =>
    sources.length === 0 ? 'undefined' : sources.map(source).join(' ?? ');
  const blocks = rules.map((rule) => {
    const inner: string[] = [];
    const main =
      rule.constant !== undefined ? tsString(rule.constant) : firstOf(rule.sources ?? []);
    inner.push(`const main = ${main};`);
    if (rule.suffix) {
      inner.push(`const suffix = ${firstOf(rule.suffix.sources)};`);
      inner.push(
        `if (main !== undefined) return suffix === undefined ? ${rule.prefix ? `${tsString(rule.prefix)} + main` : 'main'} : \`${rule.prefix ?? ''}\${main}${rule.suffix.separator}\${suffix}\`;`,
      );
    } else {
      inner.push(
        `if (main !== undefined) return ${rule.prefix ? `${tsString(rule.prefix)} + main` : 'main'};`,
      );
    }
    const guard = rule.guard
      ? `if (${source(rule.guard.source)} === ${tsString(rule.guard.equals)}) `
      : '';
    return `  ${guard}{\n${inner.map((line) => `    ${line}`).join('\n')}\n  }`;
  });
  const readsBody =
    handshakes ||
    rules.some((rule) =>
      [
        ...(rule.sources ?? []),
        ...(rule.suffix?.sources ?? []),
        ...(rule.guard ? [rule.guard.source] : []),
      ].some((item) => item.from === 'body'),
    );
  return `/** The event name, read the way HookLens named the samples. */
function eventName(body: unknown, headers: RequestHeaders): string | undefined {
${readsBody ? '' : '  void body;\n'}${blocks.join('\n')}
  return undefined;
}
${readsBody ? TEXT_AT : ''}`;
}

const TEXT_AT = `
/** A string (or a whole number, as text) at the path; own properties only. */
function textAt(value: unknown, path: readonly string[]): string | undefined {
  let current: unknown = value;
  for (const key of path) {
    if (typeof current !== 'object' || current === null || !Object.prototype.hasOwnProperty.call(current, key)) return undefined;
    current = (current as Record<string, unknown>)[key];
  }
  if (typeof current === 'string') return current === '' ? undefined : current;
  return typeof current === 'number' && Number.isSafeInteger(current) ? String(current) : undefined;
}
`;

/** Statements answering handshakes that come before the POST check (Meta's subscription GET). */
export function tsHandshakeBefore(profile: VerificationProfile): string {
  if (!profile.handshakes.includes('meta_subscribe')) return '';
  return `  // Meta checks the endpoint with an unsigned GET carrying the verify token you chose.
  if (request.method === 'GET') {
    const query = new URLSearchParams(request.url.includes('?') ? request.url.slice(request.url.indexOf('?') + 1) : '');
    if (query.get('hub.mode') !== 'subscribe') return { status: 405, body: { error: 'Send webhooks with POST.' } };
    const token = query.get('hub.verify_token') ?? '';
    const expected = options.verifyToken ?? '';
    if (expected === '' || !safeEqual(Buffer.from(token, 'utf8'), Buffer.from(expected, 'utf8'))) {
      return { status: 403, body: { error: 'The verify token does not match VERIFY_TOKEN.' } };
    }
    return { status: 200, body: query.get('hub.challenge') ?? '', contentType: 'text/plain; charset=utf-8' };
  }
`;
}

/** Statements answering signed handshakes, after verification and parsing (`body` in scope). */
export function tsHandshakeAfter(profile: VerificationProfile): string {
  const out: string[] = [];
  for (const handshake of profile.handshakes) {
    if (handshake === 'slack_url_verification') {
      out.push(`  // Slack checks the Events API URL with a signed url_verification: echo the challenge.
  if (textAt(body, ['type']) === 'url_verification') return { status: 200, body: { challenge: textAt(body, ['challenge']) ?? '' } };`);
    } else if (handshake === 'discord_ping') {
      out.push(`  // Discord's PING (type 1), signed like every interaction: answer PONG.
  if (textAt(body, ['type']) === '1') return { status: 200, body: { type: 1 } };`);
    } else if (handshake === 'zoom_url_validation') {
      out.push(`  // Zoom validates the endpoint: plainToken back with its HMAC-SHA256 (hex) under the secret.
  if (textAt(body, ['event']) === 'endpoint.url_validation') {
    const plainToken = textAt(body, ['payload', 'plainToken']) ?? '';
    return { status: 200, body: { plainToken, encryptedToken: createHmac('sha256', options.secret).update(plainToken).digest('hex') } };
  }`);
    } else if (handshake === 'twitch_verification') {
      out.push(`  // Twitch confirms the subscription: answer the challenge as plain text.
  if (header(request.headers, 'twitch-eventsub-message-type') === 'webhook_callback_verification') {
    return { status: 200, body: textAt(body, ['challenge']) ?? '', contentType: 'text/plain; charset=utf-8' };
  }`);
    }
  }
  return out.length === 0 ? '' : `${out.join('\n')}\n`;
}

/** Extra crypto imports the handshakes need. */
export function tsHandshakeImports(profile: VerificationProfile): string[] {
  return profile.handshakes.includes('zoom_url_validation') ? ['createHmac'] : [];
}

// ---------------------------------------------------------------------------------------------
// The generated test: signing the provider's way, in TypeScript.

export interface TsTestSigning {
  readonly cryptoImports: readonly string[];
  /** Declarations: the test secret (or key pair) and `signRequest`. */
  readonly code: string;
  /** Extra handler options the test server needs (verifyToken), as `key: value, `. */
  readonly serverOptions: string;
  /** Test cases beyond the samples: tampered, wrong secret, stale, handshakes. */
  readonly cases: string;
}

export function tsTestSigning(profile: VerificationProfile): TsTestSigning {
  const family = profile.family;
  const imports = new Set<string>(['createHmac']);
  let secretDecl = `/** A test-only secret; the samples are signed with it here, never with yours. */
const TEST_SECRET = ${tsString(testSecretFor(family))};
const OTHER_SECRET = ${tsString(family.kind === 'standard-webhooks' ? `whsec_${Buffer.from('not-the-secret').toString('base64')}` : 'not-the-secret')};
/** The secret being rotated out (WEBHOOK_SECRET_PREVIOUS): still accepted. */
const PREVIOUS_SECRET = ${tsString(previousTestSecretFor(family))};`;
  let signBody: string;
  switch (family.kind) {
    case 'jwt':
      signBody = `  const encode = (value: unknown): string => Buffer.from(JSON.stringify(value)).toString('base64url');
  const unsigned = \`\${encode({ alg: 'HS256', typ: 'JWT' })}.\${encode({ iat: nowSeconds, exp: nowSeconds + 300 })}\`;
  return { body, headers: { authorization: \`\${unsigned}.\${createHmac('sha256', secret).update(unsigned).digest('base64url')}\` } };`;
      break;
    case 'template': {
      const spec = family.timestamp;
      const stamp =
        spec === undefined
          ? ''
          : spec.unit === 'seconds'
            ? `  const timestampText = String(nowSeconds);\n`
            : spec.unit === 'milliseconds'
              ? `  const timestampText = String(nowSeconds * 1000);\n`
              : `  const timestampText = new Date(nowSeconds * 1000).toISOString();\n`;
      const bodyRewrite =
        spec?.bodyField !== undefined
          ? `  // The timestamp travels in the signed body: bring it up to date.\n  body = body.replace(/"${spec.bodyField}":\\s*\\d+/, \`"${spec.bodyField}":\${timestampText}\`);\n`
          : '';
      const id = family.idHeader !== undefined ? `  const id = randomUUID();\n` : '';
      if (family.idHeader !== undefined) imports.add('randomUUID');
      const url = family.parts.some((part) => part.kind === 'url');
      const parts = family.parts
        .map((part) =>
          part.kind === 'literal'
            ? `.update(${tsString(part.text)})`
            : part.kind === 'body'
              ? '.update(body)'
              : part.kind === 'timestamp'
                ? '.update(timestampText)'
                : part.kind === 'id'
                  ? '.update(id)'
                  : '.update(url)',
        )
        .join('');
      const headers = [
        `${tsString(family.headers[0]!.toLowerCase())}: ${tsString(family.prefix)} + createHmac(${tsString(family.algorithm)}, secret)${parts}.digest(${tsString(family.encoding)})`,
        ...(spec?.header !== undefined
          ? [`${tsString(spec.header.toLowerCase())}: timestampText`]
          : []),
        ...(family.idHeader !== undefined
          ? [`${tsString(family.idHeader.toLowerCase())}: id`]
          : []),
      ];
      signBody = `${stamp}${bodyRewrite}${id}${url ? '' : '  void url;\n'}  return { body, headers: { ${headers.join(', ')} } };`;
      break;
    }
    case 'timestamped-header':
      signBody = `  void url;
  const signature = createHmac('sha256', secret).update(\`\${nowSeconds}${family.contentSeparator}\`).update(body).digest('hex');
  return { body, headers: { ${tsString(family.header.toLowerCase())}: \`${family.timestampKey}=\${nowSeconds}${family.itemSeparator}${family.signatureKey}=\${signature}\` } };`;
      break;
    case 'standard-webhooks':
      if (family.asymmetric) {
        imports.delete('createHmac');
        imports.add('generateKeyPairSync');
        imports.add('sign as signBytes');
        imports.add('type KeyObject');
        secretDecl = `/** Test-only key pairs: the handler gets each public key as WEBHOOK_SECRET would hold it (whpk_…). */
const KEYS: Record<string, KeyObject> = {};
function newKey(): string {
  const pair = generateKeyPairSync('ed25519');
  const name = \`whpk_\${Buffer.from(pair.publicKey.export({ format: 'jwk' }).x ?? '', 'base64url').toString('base64')}\`;
  KEYS[name] = pair.privateKey;
  return name;
}
const TEST_SECRET = newKey();
const OTHER_SECRET = newKey();
/** The key being rotated out (WEBHOOK_SECRET_PREVIOUS holds its public key): still accepted. */
const PREVIOUS_SECRET = newKey();`;
        signBody = `  void url;
  const id = \`msg_\${nowSeconds}\`;
  const signature = signBytes(null, Buffer.concat([Buffer.from(\`\${id}.\${nowSeconds}.\`), Buffer.from(body)]), KEYS[secret]!).toString('base64');
  return { body, headers: { 'webhook-id': id, 'webhook-timestamp': String(nowSeconds), 'webhook-signature': \`v1a,\${signature}\` } };`;
        break;
      }
      signBody = `  void url;
  const id = \`msg_\${nowSeconds}\`;
  const key = Buffer.from(secret.replace(/^whsec_/, ''), 'base64');
  const signature = createHmac('sha256', key).update(\`\${id}.\${nowSeconds}.\`).update(body).digest('base64');
  return { body, headers: { 'webhook-id': id, 'webhook-timestamp': String(nowSeconds), 'webhook-signature': \`v1,\${signature}\` } };`;
      break;
    case 'twilio':
      signBody = `  void nowSeconds;
  // A form's parameters are signed; a JSON body (the test's "not JSON" one included) signs the URL only.
  const params = [...new URLSearchParams(/^\\s*[[{]/.test(body) ? '' : body)].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const signed = url + params.map(([name, value]) => name + value).join('');
  return { body, headers: { 'x-twilio-signature': createHmac('sha1', secret).update(signed).digest('base64') } };`;
      break;
    case 'shared-token':
      imports.delete('createHmac');
      signBody = `  void nowSeconds;
  void url;
  return { body, headers: { ${tsString(family.header.toLowerCase())}: secret } };`;
      break;
    case 'ecdsa':
      imports.delete('createHmac');
      imports.add('generateKeyPairSync');
      imports.add('sign as signBytes');
      imports.add('type KeyObject');
      secretDecl = `/** Test-only P-256 key pairs: the handler gets each public key as WEBHOOK_SECRET would hold it (base64 DER). */
const KEYS: Record<string, KeyObject> = {};
function newKey(): string {
  const pair = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const name = pair.publicKey.export({ type: 'spki', format: 'der' }).toString('base64');
  KEYS[name] = pair.privateKey;
  return name;
}
const TEST_SECRET = newKey();
const OTHER_SECRET = newKey();
/** The key being rotated out (WEBHOOK_SECRET_PREVIOUS holds its public key): still accepted. */
const PREVIOUS_SECRET = newKey();`;
      signBody = `  void url;
  const timestamp = String(nowSeconds);
  const signature = signBytes('sha256', Buffer.concat([Buffer.from(timestamp), Buffer.from(body)]), KEYS[secret]!).toString('base64');
  return { body, headers: { ${tsString(family.header.toLowerCase())}: signature, ${tsString(family.timestampHeader.toLowerCase())}: timestamp } };`;
      break;
    case 'ed25519':
      imports.delete('createHmac');
      imports.add('generateKeyPairSync');
      imports.add('sign as signBytes');
      imports.add('type KeyObject');
      secretDecl = `/** A test-only key pair: the handler gets its public key as WEBHOOK_SECRET would hold it. */
const TEST_KEYS = generateKeyPairSync('ed25519');
const OTHER_KEYS = generateKeyPairSync('ed25519');
const TEST_SECRET = Buffer.from(TEST_KEYS.publicKey.export({ format: 'jwk' }).x ?? '', 'base64url').toString('hex');
const KEYS: Record<string, KeyObject> = { [TEST_SECRET]: TEST_KEYS.privateKey };
const OTHER_SECRET = 'other';
KEYS[OTHER_SECRET] = OTHER_KEYS.privateKey;
/** The key being rotated out (WEBHOOK_SECRET_PREVIOUS holds its public key): still accepted. */
const PREVIOUS_KEYS = generateKeyPairSync('ed25519');
const PREVIOUS_SECRET = Buffer.from(PREVIOUS_KEYS.publicKey.export({ format: 'jwk' }).x ?? '', 'base64url').toString('hex');
KEYS[PREVIOUS_SECRET] = PREVIOUS_KEYS.privateKey;`;
      signBody = `  void url;
  const timestamp = String(nowSeconds);
  const signature = signBytes(null, Buffer.concat([Buffer.from(timestamp), Buffer.from(body)]), KEYS[secret]!).toString('hex');
  return { body, headers: { ${tsString(family.header.toLowerCase())}: signature, ${tsString(family.timestampHeader.toLowerCase())}: timestamp } };`;
      break;
  }
  const code = `${secretDecl}

/** The body and the headers that sign it ${profile.label}'s way (url: the URL it is posted to). */
function signRequest(body: string, url: string, secret: string = TEST_SECRET, nowSeconds: number = Math.floor(Date.now() / 1000)): { body: string; headers: Record<string, string> } {
${signBody}
}`;
  const cases: string[] = [];
  const first = 'SAMPLES[0]!';
  // A JWT or a shared token does not cover the body: only signatures over it can catch tampering.
  if (family.kind !== 'shared-token' && family.kind !== 'jwt') {
    cases.push(`test('a tampered body is refused with 401', async () => {
  reached.length = 0;
  const signed = signRequest(${first}.body, url);
  const { status } = await post(\`\${signed.body} \`, { ...${first}.headers, ...signed.headers });
  assert.equal(status, 401);
  assert.deepEqual(reached, []);
});`);
  }
  cases.push(`test('a delivery signed with another ${family.kind === 'ed25519' ? 'key' : 'secret'} is refused with 401', async () => {
  reached.length = 0;
  const signed = signRequest(${first}.body, url, OTHER_SECRET);
  const { status } = await post(signed.body, { ...${first}.headers, ...signed.headers });
  assert.equal(status, 401);
  assert.deepEqual(reached, []);
});`);
  cases.push(`test('a delivery signed with the previous ${family.kind === 'ed25519' ? 'key' : 'secret'} (WEBHOOK_SECRET_PREVIOUS) is accepted while it rotates', async () => {
  reached.length = 0;
  deliveries.clear();
  const signed = signRequest(${first}.body, url, PREVIOUS_SECRET);
  const { status, text } = await post(signed.body, { ...${first}.headers, ...signed.headers });
  assert.equal(status, 200, text);
  assert.deepEqual(reached, [${first}.handler]);
});`);
  if (hasTimestamp(family)) {
    cases.push(`test('a stale delivery (timestamp ${staleSeconds(family)} s old) is refused with 401', async () => {
  const signed = signRequest(${first}.body, url, TEST_SECRET, Math.floor(Date.now() / 1000) - ${staleSeconds(family)});
  const { status } = await post(signed.body, { ...${first}.headers, ...signed.headers });
  assert.equal(status, 401);
});`);
  }
  if (family.kind === 'jwt') {
    cases.push(`test('a token with "Bearer " in front is accepted', async () => {
  const signed = signRequest(${first}.body, url);
  const { status } = await post(signed.body, { ...${first}.headers, authorization: \`Bearer \${signed.headers['authorization']}\` });
  assert.equal(status, 200);
});`);
    if (family.secretMatch) {
      cases.push(`test('the secret itself as Authorization is accepted (the samples came that way)', async () => {
  const { status } = await post(${first}.body, { ...${first}.headers, authorization: TEST_SECRET });
  assert.equal(status, 200);
});`);
    }
  }
  cases.push(`test('a signed body that is not JSON is refused with 400', async () => {
  const signed = signRequest('{not json', url);
  const { status } = await post(signed.body, { ...signed.headers, 'content-type': 'application/json' });
  assert.equal(status, 400);
});`);
  for (const handshake of profile.handshakes) cases.push(tsHandshakeTest(handshake));
  return {
    cryptoImports: [...imports].sort((a, b) =>
      a.replace('type ', '').localeCompare(b.replace('type ', '')),
    ),
    code,
    serverOptions: profile.handshakes.includes('meta_subscribe')
      ? "verifyToken: 'hooklens-test-verify-token', "
      : '',
    cases: cases.join('\n\n'),
  };
}

function tsHandshakeTest(handshake: VerificationProfile['handshakes'][number]): string {
  switch (handshake) {
    case 'slack_url_verification':
      return `test("Slack's url_verification is answered with its challenge", async () => {
  const signed = signRequest('{"token":"t","challenge":"hooklens-challenge","type":"url_verification"}', url);
  const { status, text } = await post(signed.body, { ...signed.headers, 'content-type': 'application/json' });
  assert.equal(status, 200);
  assert.deepEqual(JSON.parse(text), { challenge: 'hooklens-challenge' });
});`;
    case 'discord_ping':
      return `test("Discord's PING is answered with PONG", async () => {
  const signed = signRequest('{"id":"1","application_id":"2","type":1,"version":1}', url);
  const { status, text } = await post(signed.body, { ...signed.headers, 'content-type': 'application/json' });
  assert.equal(status, 200);
  assert.deepEqual(JSON.parse(text), { type: 1 });
});`;
    case 'zoom_url_validation':
      return `test("Zoom's endpoint.url_validation is answered with the encrypted token", async () => {
  const signed = signRequest('{"payload":{"plainToken":"qgg8vlvZRS6UYooatFL8Aw"},"event_ts":1654503849680,"event":"endpoint.url_validation"}', url);
  const { status, text } = await post(signed.body, { ...signed.headers, 'content-type': 'application/json' });
  assert.equal(status, 200);
  assert.deepEqual(JSON.parse(text), { plainToken: 'qgg8vlvZRS6UYooatFL8Aw', encryptedToken: createHmac('sha256', TEST_SECRET).update('qgg8vlvZRS6UYooatFL8Aw').digest('hex') });
});`;
    case 'twitch_verification':
      return `test("Twitch's webhook_callback_verification is answered with the challenge", async () => {
  const signed = signRequest('{"challenge":"pogchamp-kappa-360noscope-vohiyo","subscription":{"type":"channel.follow"}}', url);
  const { status, text } = await post(signed.body, { ...signed.headers, 'content-type': 'application/json', 'twitch-eventsub-message-type': 'webhook_callback_verification' });
  assert.equal(status, 200);
  assert.equal(text, 'pogchamp-kappa-360noscope-vohiyo');
});`;
    case 'meta_subscribe':
      return `test("Meta's subscription GET is answered with hub.challenge when the verify token matches", async () => {
  const ok = await fetch(\`\${url}?hub.mode=subscribe&hub.verify_token=hooklens-test-verify-token&hub.challenge=1158201444\`);
  assert.equal(ok.status, 200);
  assert.equal(await ok.text(), '1158201444');
  const wrong = await fetch(\`\${url}?hub.mode=subscribe&hub.verify_token=wrong&hub.challenge=1158201444\`);
  assert.equal(wrong.status, 403);
});`;
  }
}

// ---------------------------------------------------------------------------------------------
// Redeliveries: the provider's delivery id, and where the handled ones are remembered.

function describeSources(sources: readonly NameSource[]): string {
  return sources
    .map((source) =>
      source.from === 'header' ? source.name : `the body's ${source.tokens.join('.')}`,
    )
    .join(', or ');
}

/** What the handler says about duplicates, for comments. */
export function deliveryIdSentence(profile: VerificationProfile): string {
  return profile.deliveryId.length === 0
    ? `${profile.label} sends no delivery id, so every delivery is handled.`
    : `The delivery id is ${describeSources(profile.deliveryId)}.`;
}

/** DeliveryLog, MemoryDeliveryLog and webhookDeliveryId. */
export function tsDeliveryLog(profile: VerificationProfile): string {
  const sources = profile.deliveryId;
  const readsBody = sources.some((source) => source.from === 'body');
  const readsHeaders = sources.some((source) => source.from === 'header');
  const reads = sources.map((source) =>
    source.from === 'header'
      ? `header(headers, ${tsString(source.name)})`
      : `idAt(body, [${source.tokens.map(tsString).join(', ')}])`,
  );
  return `
/**
 * Where deliveries already handled are remembered, so a redelivery (senders retry until they see
 * a 2xx, and may deliver one event twice) is answered 200 without running your code again.
 * ${deliveryIdSentence(profile)}
 * MemoryDeliveryLog keeps the last ids in this process only (lost on restart, not shared between
 * instances): pass your own through WebhookOptions.deliveries to use your store (a Redis SET NX,
 * a table with a unique key).
 */
export interface DeliveryLog {
  seen(id: string): boolean | Promise<boolean>;
  remember(id: string): void | Promise<void>;
}

/** The last \`capacity\` delivery ids handled, in memory; the oldest is forgotten first. */
export class MemoryDeliveryLog implements DeliveryLog {
  private readonly ids = new Set<string>();
  private readonly capacity: number;

  constructor(capacity = 10_000) {
    this.capacity = capacity;
  }

  seen(id: string): boolean {
    return this.ids.has(id);
  }

  remember(id: string): void {
    this.ids.add(id);
    for (const oldest of this.ids) {
      if (this.ids.size <= this.capacity) break;
      this.ids.delete(oldest);
    }
  }

  clear(): void {
    this.ids.clear();
  }
}

const DEFAULT_DELIVERY_LOG = new MemoryDeliveryLog();

/** The provider's delivery id, the same on every redelivery; undefined when it sends none. */
export function webhookDeliveryId(body: unknown, headers: RequestHeaders): string | undefined {
${readsBody ? '' : '  void body;\n'}${readsHeaders ? '' : '  void headers;\n'}${
    reads.length === 0
      ? '  return undefined;'
      : `  for (const id of [${reads.join(', ')}]) if (id !== undefined && id.trim() !== '') return id.trim();\n  return undefined;`
  }
}
${
  readsBody
    ? `
/** A string or number at the path (own properties only), as text. */
function idAt(value: unknown, path: readonly string[]): string | undefined {
  let current: unknown = value;
  for (const key of path) {
    if (typeof current !== 'object' || current === null || !Object.prototype.hasOwnProperty.call(current, key)) return undefined;
    current = (current as Record<string, unknown>)[key];
  }
  return typeof current === 'string' || typeof current === 'number' ? String(current) : undefined;
}
`
    : ''
}`;
}
