// Signing sample events the way their sender does, through the provider's verification scheme:
// the same `scheme.sign` a fresh-signature replay uses. What a scheme's signature consists of
// (which headers, whether it carries a timestamp) is learnt by signing a request and looking at
// what changed, so a new scheme needs nothing here.
import { generateKeyPairSync, sign as signBytes } from 'node:crypto';
import {
  signingContext,
  signingIdentity,
  signingSecretFor,
  signingRing,
  type SigningIdentity,
  type SigningSettings,
} from '../forward/replay';
import type { HeaderPairs } from '../providers/requestFacts';
import type { SchemeContext, SchemeSecret, SignInput } from '../verify/scheme';
import { defaultRandom, type RandomSource } from './random';

/** How far back an "expired" signature's timestamp lies: twice the usual 5-minute tolerance. */
export const EXPIRED_SIGNATURE_AGE_MS = 10 * 60 * 1000;

/**
 * A secret every scheme accepts as a key (Standard Webhooks wants `whsec_` and base64): what a
 * scheme is probed with, and the shape of the wrong secret a bad signature is made with.
 */
function keyLike(bytes: Buffer): string {
  return `whsec_${bytes.toString('base64')}`;
}
const PROBE_SECRET: SchemeSecret = { label: 'probe', value: keyLike(Buffer.alloc(32, 0x5a)) };

/** Discord's headers: its scheme cannot sign, so they are named here for bad signatures. */
const ED25519_HEADERS = ['X-Signature-Ed25519', 'X-Signature-Timestamp'] as const;

export interface EventSigning {
  readonly identity: SigningIdentity;
  /** False for public-key schemes (Discord): only the sender holds the key. */
  readonly canSign: boolean;
  /** Lower-case names of the headers the scheme writes (signature, timestamp, token). */
  readonly signatureHeaders: ReadonlySet<string>;
  /** True when the signature depends on the time (a timestamp, a JWT's iat and exp). */
  readonly timestamped: boolean;
}

function probe(
  identity: SigningIdentity,
  input: SignInput,
  context: SchemeContext,
): Pick<EventSigning, 'signatureHeaders' | 'timestamped'> {
  const sign = identity.scheme.sign;
  if (sign === undefined) {
    return {
      signatureHeaders: new Set(
        identity.scheme.id === 'discord' ? ED25519_HEADERS.map((name) => name.toLowerCase()) : [],
      ),
      timestamped: false,
    };
  }
  const before = new Map(input.headers.map(([name, value]) => [name.toLowerCase(), value]));
  const signedAt = (nowMs: number): HeaderPairs => {
    try {
      return sign(input, PROBE_SECRET, { ...context, nowMs }).headers;
    } catch {
      return input.headers;
    }
  };
  const now = signedAt(context.nowMs);
  const later = signedAt(context.nowMs + 3_600_000);
  const names = new Set<string>();
  for (const [name, value] of now) {
    if (before.get(name.toLowerCase()) !== value) names.add(name.toLowerCase());
  }
  const laterValues = new Map(later.map(([name, value]) => [name.toLowerCase(), value]));
  const timestamped = now.some(([name, value]) => laterValues.get(name.toLowerCase()) !== value);
  return { signatureHeaders: names, timestamped };
}

/**
 * A Standard Webhooks scheme picks its header family (`webhook-*` or `svix-*`) from the
 * signature header; a sample from a Svix sender carries only its `svix-id`, so an empty
 * `svix-signature` marks the family until signing replaces it.
 */
function withSignatureFamily(identity: SigningIdentity, headers: HeaderPairs): HeaderPairs {
  if (identity.scheme.id !== 'standard-webhooks') return headers;
  const has = (name: string): boolean => headers.some(([key]) => key.toLowerCase() === name);
  return has('svix-id') && !has('svix-signature') && !has('webhook-signature')
    ? [...headers, ['svix-signature', '']]
    : headers;
}

export interface SignableRequest {
  readonly sender: string;
  readonly method: string;
  /** Path and query the request goes to (Twilio signs the URL). */
  readonly url: string;
  readonly headers: HeaderPairs;
  readonly body: Buffer;
}

/** How `request` is signed: its provider's scheme (the generic one for a sender unknown here). */
export function eventSigning(
  request: SignableRequest,
  signing: SigningSettings | undefined,
  nowMs: number,
): EventSigning {
  const identity = signingIdentity(request.sender) ?? genericIdentity();
  const context = probeContext(identity, signing, nowMs);
  return {
    identity,
    canSign: identity.scheme.sign !== undefined,
    ...probe(identity, signInput(identity, request), context),
  };
}

function genericIdentity(): SigningIdentity {
  const identity = signingIdentity('generic');
  if (identity === undefined) throw new Error('The generic provider has no scheme.');
  return identity;
}

function probeContext(
  identity: SigningIdentity,
  signing: SigningSettings | undefined,
  nowMs: number,
): SchemeContext {
  // A URL-bound scheme needs some public URL to sign at all; the probe only compares headers.
  return signingContext(
    identity,
    { secrets: [], ...signing, publicBaseUrl: signing?.publicBaseUrl ?? 'http://localhost' },
    nowMs,
  );
}

function signInput(identity: SigningIdentity, request: SignableRequest): SignInput {
  return {
    method: request.method,
    url: request.url,
    headers: withSignatureFamily(identity, request.headers),
    body: request.body,
  };
}

/** The request without the headers its scheme signs with. */
export function withoutSignature(request: SignableRequest, how: EventSigning): HeaderPairs {
  return request.headers.filter(([name]) => !how.signatureHeaders.has(name.toLowerCase()));
}

/** The configured secret this request would be signed with, if any. */
export function secretForEvent(
  request: SignableRequest,
  how: EventSigning,
  signing: SigningSettings | undefined,
  secret?: string,
): SchemeSecret | undefined {
  return signingSecretFor(signingRing(signing, secret), how.identity, request.url);
}

/** The request's headers signed with `secret` at `nowMs`; throws the scheme's own complaint. */
export function signedHeaders(
  request: SignableRequest,
  how: EventSigning,
  secret: SchemeSecret,
  signing: SigningSettings | undefined,
  nowMs: number,
): HeaderPairs {
  const sign = how.identity.scheme.sign;
  if (sign === undefined) throw new Error(how.identity.scheme.cannotSign ?? 'cannot sign');
  return sign(
    signInput(how.identity, request),
    secret,
    signingContext(how.identity, signing, nowMs),
  ).headers;
}

/** A secret that is certainly not `real`: random, shaped so that every scheme takes it. */
export function wrongSecret(
  real: string | undefined,
  random: RandomSource = defaultRandom,
): SchemeSecret {
  let value = keyLike(Buffer.from(random(32)));
  if (value === real) value = keyLike(Buffer.alloc(32, 0xa5));
  return { label: 'wrong', value };
}

/**
 * An Ed25519 signature made with a throwaway key (Discord's scheme), which no configured public
 * key verifies: what Discord itself sends to check that an endpoint refuses bad signatures.
 */
export function throwawayEd25519Headers(request: SignableRequest, nowMs: number): HeaderPairs {
  const { privateKey } = generateKeyPairSync('ed25519');
  const timestamp = String(Math.floor(nowMs / 1000));
  const signature = signBytes(
    null,
    Buffer.concat([Buffer.from(timestamp), request.body]),
    privateKey,
  );
  const [signatureHeader, timestampHeader] = ED25519_HEADERS;
  const lower = new Set(ED25519_HEADERS.map((name) => name.toLowerCase()));
  return [
    ...request.headers.filter(([name]) => !lower.has(name.toLowerCase())),
    [signatureHeader, signature.toString('hex')],
    [timestampHeader, timestamp],
  ];
}
