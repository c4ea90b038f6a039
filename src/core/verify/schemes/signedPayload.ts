// The shape most webhook schemes share: one or more signatures in a header, an optional
// timestamp, a keyed digest over bytes built from the request. Each scheme file describes its
// header, its bytes and its key; this file checks them the same way for all, never throws, and
// words the verdict so it names the header and what was checked.
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { Verification, VerificationSection } from '../../delivery';
import type { RequestFacts } from '../../providers/requestFacts';
import { toSingleLine } from '../../../shared/visibleText';
import { verification, type SchemeContext, type SchemeSecret } from '../scheme';

/** Longer signature headers are refused unread: no real scheme comes near this. */
export const MAX_SIGNATURE_HEADER_CHARS = 8192;

export type DigestAlgorithm = 'sha1' | 'sha256' | 'sha512';

/** What a scheme read from the request before any secret is used. */
export type SignatureRead =
  | { readonly kind: 'missing'; readonly reason: string }
  | { readonly kind: 'malformed'; readonly reason: string }
  | {
      readonly kind: 'present';
      /** Candidate signatures (several during key rotation); any match verifies. */
      readonly signatures: readonly Buffer[];
      /** Seconds since the epoch, when the scheme signs a timestamp. */
      readonly timestampSeconds?: number;
      /** Rows for the Auth tab (the header as received, the timestamp). */
      readonly rows: ReadonlyArray<readonly [string, string]>;
    };

export type PresentSignature = Extract<SignatureRead, { kind: 'present' }>;

export interface SignedPayloadSpec {
  readonly schemeId: string;
  /** The header the reasons name ("X-Hub-Signature-256"). */
  readonly headerName: string;
  read(request: RequestFacts): SignatureRead;
  /**
   * The signatures this secret would have produced for this request (one per URL variant for
   * URL-bound schemes), or a string saying why the secret cannot be used as this scheme's key.
   */
  expected?(
    request: RequestFacts,
    read: PresentSignature,
    secret: string,
    context: SchemeContext,
  ): readonly Buffer[] | string;
  /** For public-key schemes: whether a signature verifies under this key (or why the key is unusable). */
  matches?(
    request: RequestFacts,
    read: PresentSignature,
    secret: string,
    context: SchemeContext,
  ): boolean | string;
  /** Default tolerance for the timestamp, when the scheme has one. */
  readonly toleranceSeconds?: number;
  /** Also refuse timestamps this far in the future (Standard Webhooks checks both ways). */
  readonly checkFuture?: boolean;
  /** A sentence on what was signed, for the Auth tab ("the timestamp, a dot and the raw body"). */
  readonly signedContent: string;
}

export function verifySignedPayload(
  spec: SignedPayloadSpec,
  request: RequestFacts,
  secrets: readonly SchemeSecret[],
  context: SchemeContext,
): Verification {
  try {
    return check(spec, request, secrets, context);
  } catch {
    return verification(
      spec.schemeId,
      'malformed_signature',
      `${spec.headerName} could not be checked.`,
    );
  }
}

function check(
  spec: SignedPayloadSpec,
  request: RequestFacts,
  secrets: readonly SchemeSecret[],
  context: SchemeContext,
): Verification {
  const read = spec.read(request);
  const provider = context.providerLabel;
  const secretHint = `set a ${provider} secret to check it`;
  if (read.kind !== 'present') {
    if (secrets.length === 0) {
      return verification(
        spec.schemeId,
        'no_secret',
        `No ${provider} secret is configured, so nothing was verified; besides, ${lowerFirst(read.reason)}`,
      );
    }
    const verdict = read.kind === 'missing' ? 'missing_signature' : 'malformed_signature';
    return verification(spec.schemeId, verdict, read.reason);
  }
  const tolerance = context.toleranceSeconds ?? spec.toleranceSeconds;
  const rows: Array<readonly [string, string]> = [...read.rows];
  if (read.timestampSeconds !== undefined) {
    rows.push(['Timestamp age', describeAge(read.timestampSeconds, context.nowMs)]);
    if (tolerance !== undefined) rows.push(['Tolerance', `${tolerance} s`]);
  }
  rows.push(['Signed content', spec.signedContent]);
  const details = (matched?: string): VerificationSection[] => [
    {
      title: 'Signature',
      rows: matched === undefined ? rows : [...rows, ['Matched secret', matched]],
    },
  ];
  if (secrets.length === 0) {
    return verification(
      spec.schemeId,
      'no_secret',
      `A ${provider} signature is present (${spec.headerName}); ${secretHint}.`,
      { details: details() },
    );
  }
  const unusable: string[] = [];
  let matched: SchemeSecret | undefined;
  for (const secret of secrets) {
    const result = secretMatches(spec, request, read, secret.value, context);
    if (typeof result === 'string') {
      unusable.push(`the secret labelled ${quote(secret.label)} ${result}`);
      continue;
    }
    if (result) {
      matched = secret;
      break;
    }
  }
  if (matched === undefined) {
    const trimmed = secrets.find((secret) => {
      const value = secret.value.trim();
      if (value === secret.value || value === '') return false;
      return secretMatches(spec, request, read, value, context) === true;
    });
    const which =
      secrets.length === 1
        ? `the ${provider} secret`
        : `any of the ${secrets.length} ${provider} secrets`;
    const reason =
      trimmed !== undefined
        ? `${spec.headerName} matches the ${provider} secret labelled ${quote(trimmed.label)} only without the whitespace at its start or end: remove that whitespace from the configured secret.`
        : unusable.length === secrets.length
          ? `${spec.headerName} could not be checked: ${unusable.join('; ')}.`
          : `${spec.headerName} does not match ${which}: the body or the signed headers changed after signing, or the sender uses another secret.`;
    return verification(spec.schemeId, 'invalid_signature', reason, { details: details() });
  }
  const name =
    secrets.length > 1
      ? `the ${provider} secret labelled ${quote(matched.label)}`
      : `the ${provider} secret`;
  const matchedSecret = matched.label;
  if (read.timestampSeconds !== undefined && tolerance !== undefined) {
    const ageSeconds = Math.floor(context.nowMs / 1000) - read.timestampSeconds;
    if (ageSeconds > tolerance) {
      return verification(
        spec.schemeId,
        'expired',
        `${spec.headerName} matches ${name}, but its timestamp is ${ageSeconds} s old, tolerance ${tolerance} s (a replayed or delayed delivery).`,
        { matchedSecret, details: details(matchedSecret) },
      );
    }
    if (spec.checkFuture === true && -ageSeconds > tolerance) {
      return verification(
        spec.schemeId,
        'not_yet_valid',
        `${spec.headerName} matches ${name}, but its timestamp is ${-ageSeconds} s in the future, tolerance ${tolerance} s (check the clocks).`,
        { matchedSecret, details: details(matchedSecret) },
      );
    }
  }
  const freshness =
    read.timestampSeconds === undefined
      ? ''
      : `, timestamp ${describeAge(read.timestampSeconds, context.nowMs)}`;
  return verification(
    spec.schemeId,
    'verified',
    `${spec.headerName} matches ${name}${freshness}.`,
    { matchedSecret, details: details(matchedSecret) },
  );
}

function secretMatches(
  spec: SignedPayloadSpec,
  request: RequestFacts,
  read: PresentSignature,
  secret: string,
  context: SchemeContext,
): boolean | string {
  if (spec.matches) return spec.matches(request, read, secret, context);
  const expected = spec.expected?.(request, read, secret, context) ?? [];
  if (typeof expected === 'string') return expected;
  return expected.some((candidate) => read.signatures.some((sig) => safeEqual(sig, candidate)));
}

export function hmac(
  algorithm: DigestAlgorithm,
  key: Buffer | string,
  ...parts: ReadonlyArray<Buffer | string>
): Buffer {
  const mac = createHmac(algorithm, key);
  for (const part of parts) mac.update(part);
  return mac.digest();
}

// timingSafeEqual throws on a length mismatch; the length is not the secret part.
export function safeEqual(a: Buffer, b: Buffer): boolean {
  return a.length === b.length && timingSafeEqual(a, b);
}

const HEX = /^[0-9a-fA-F]+$/;
const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;

/** Strict hex: undefined for anything else (Buffer.from would silently stop at a bad digit). */
export function fromHex(text: string): Buffer | undefined {
  return text.length % 2 === 0 && HEX.test(text) ? Buffer.from(text, 'hex') : undefined;
}

/** Strict base64 (standard alphabet, padded or not). */
export function fromBase64(text: string): Buffer | undefined {
  return BASE64.test(text) && text.length % 4 !== 1 ? Buffer.from(text, 'base64') : undefined;
}

/** A header value for the Auth tab: one line, cut short. */
export function shown(value: string, max = 120): string {
  return toSingleLine(value, max);
}

/** A single header value, or why there is not exactly one usable value. */
export function singleHeader(
  request: RequestFacts,
  name: string,
  providerLabel: string,
):
  | { readonly ok: true; readonly value: string }
  | { readonly ok: false; readonly kind: 'missing' | 'malformed'; readonly reason: string } {
  const values = request.headerValues(name);
  if (values.length === 0) {
    return {
      ok: false,
      kind: 'missing',
      reason: `The request has no ${name} header, so nothing shows that ${providerLabel} sent it.`,
    };
  }
  if (values.length > 1) {
    return {
      ok: false,
      kind: 'malformed',
      reason: `The request has ${values.length} ${name} headers; ${providerLabel} sends exactly one.`,
    };
  }
  const value = (values[0] ?? '').trim();
  if (value === '') return { ok: false, kind: 'malformed', reason: `The ${name} header is empty.` };
  if (value.length > MAX_SIGNATURE_HEADER_CHARS) {
    return {
      ok: false,
      kind: 'malformed',
      reason: `The ${name} header is ${value.length} characters long, far more than any signature.`,
    };
  }
  return { ok: true, value };
}

/** Unix seconds from a header, or why not. */
export function unixSeconds(text: string, name: string): number | string {
  if (!/^\d{1,12}$/.test(text.trim()))
    return `The ${name} value ${quote(shown(text, 40))} is not a Unix time in seconds.`;
  return Number(text.trim());
}

export function describeAge(timestampSeconds: number, nowMs: number): string {
  const age = Math.floor(nowMs / 1000) - timestampSeconds;
  const when = new Date(timestampSeconds * 1000);
  const iso = Number.isNaN(when.getTime()) ? String(timestampSeconds) : when.toISOString();
  return age >= 0 ? `${iso} (${age} s ago)` : `${iso} (${-age} s in the future)`;
}

export function quote(text: string): string {
  return `"${toSingleLine(text, 60)}"`;
}

function lowerFirst(reason: string): string {
  return reason.startsWith('The ') ? `the ${reason.slice(4)}` : reason;
}
