// One header holding an HMAC of the raw body and nothing else signed: Typeform
// (`Typeform-Signature: sha256=<base64>`), Vercel (`x-vercel-signature: <hex SHA-1>`) and Linear
// (`Linear-Signature: <hex SHA-256>`, whose timestamp travels inside the signed body). The
// header's encoding is checked strictly, so a hex value where base64 is expected (or the other
// way round) is named as such rather than reported as a wrong secret.
import type { RequestFacts } from '../../providers/requestFacts';
import type { VerificationScheme } from '../scheme';
import { replaceHeaders } from './headers';
import {
  fromBase64,
  fromHex,
  hmac,
  shown,
  singleHeader,
  verifySignedPayload,
  type DigestAlgorithm,
  type SignatureRead,
  type SignedPayloadSpec,
} from './signedPayload';

const DIGEST_BYTES: Record<DigestAlgorithm, number> = { sha1: 20, sha256: 32, sha512: 64 };

/** A timestamp a scheme found for a freshness check, or why it is unusable. */
export type BodyTimestamp =
  | { readonly seconds: number; readonly row: readonly [string, string] }
  | { readonly error: string };

export interface BodyHmacOptions {
  readonly schemeId: string;
  readonly header: string;
  readonly provider: string;
  readonly algorithm: DigestAlgorithm;
  readonly encoding: 'hex' | 'base64';
  /** Text before the digest (`sha256=`), matched case-insensitively; '' for none. */
  readonly prefix: string;
  /** The delivery's timestamp, when the scheme has one; undefined when this request has none. */
  readonly timestamp?: (request: RequestFacts) => BodyTimestamp | undefined;
  readonly toleranceSeconds?: number;
  readonly checkFuture?: boolean;
  readonly signedContent?: string;
}

function describeFormat(options: BodyHmacOptions): string {
  const bytes = DIGEST_BYTES[options.algorithm];
  const digest = `HMAC-${options.algorithm.toUpperCase()}`;
  const encoded =
    options.encoding === 'hex' ? `${bytes * 2} hex digits` : `the base64 of a ${bytes}-byte`;
  const what = options.encoding === 'hex' ? `${encoded} (an ${digest})` : `${encoded} ${digest}`;
  return options.prefix === '' ? what : `${options.prefix} followed by ${what}`;
}

function decode(options: BodyHmacOptions, text: string): Buffer | undefined {
  const bytes = options.encoding === 'hex' ? fromHex(text) : fromBase64(text);
  return bytes !== undefined && bytes.length === DIGEST_BYTES[options.algorithm]
    ? bytes
    : undefined;
}

/** Why a value that failed to decode is wrong, naming the other encoding when it fits that. */
function encodingHint(options: BodyHmacOptions, text: string): string {
  const bytes = DIGEST_BYTES[options.algorithm];
  if (options.encoding === 'base64') {
    const hex = fromHex(text);
    if (hex !== undefined && (hex.length === 20 || hex.length === 32 || hex.length === 64)) {
      return ` It is hex; ${options.provider} sends base64.`;
    }
  } else {
    const base64 = fromBase64(text);
    if (base64 !== undefined && base64.length === bytes && !/^[0-9a-fA-F]+$/.test(text)) {
      return ` It is base64; ${options.provider} sends hex.`;
    }
  }
  return '';
}

function specFor(options: BodyHmacOptions): SignedPayloadSpec {
  const { header, prefix } = options;
  return {
    schemeId: options.schemeId,
    headerName: header,
    ...(options.toleranceSeconds === undefined
      ? {}
      : { toleranceSeconds: options.toleranceSeconds }),
    ...(options.checkFuture === undefined ? {} : { checkFuture: options.checkFuture }),
    signedContent: options.signedContent ?? 'the raw body',
    read(request): SignatureRead {
      const value = singleHeader(request, header, options.provider);
      if (!value.ok) return value;
      if (prefix !== '' && !value.value.toLowerCase().startsWith(prefix.toLowerCase())) {
        return {
          kind: 'malformed',
          reason: `${header} does not start with ${prefix} (${options.provider} sends ${describeFormat(options)}).`,
        };
      }
      const encoded = value.value.slice(prefix.length);
      const bytes = decode(options, encoded);
      if (bytes === undefined) {
        return {
          kind: 'malformed',
          reason: `${header} is not ${describeFormat(options)}.${encodingHint(options, encoded)}`,
        };
      }
      const rows: Array<readonly [string, string]> = [[header, shown(value.value)]];
      const stamp = options.timestamp?.(request);
      if (stamp !== undefined && 'error' in stamp)
        return { kind: 'malformed', reason: stamp.error };
      if (stamp !== undefined) rows.push(stamp.row);
      return {
        kind: 'present',
        signatures: [bytes],
        rows,
        ...(stamp === undefined ? {} : { timestampSeconds: stamp.seconds }),
      };
    },
    expected: (request, _read, secret) => [hmac(options.algorithm, secret, request.body)],
  };
}

export function bodyHmacScheme(options: BodyHmacOptions): VerificationScheme {
  const spec = specFor(options);
  return {
    id: options.schemeId,
    verify: (request, secrets, context) => verifySignedPayload(spec, request, secrets, context),
    sign: (input, secret) => ({
      headers: replaceHeaders(input.headers, [
        [
          options.header,
          `${options.prefix}${hmac(options.algorithm, secret.value, input.body).toString(options.encoding)}`,
        ],
      ]),
    }),
    dedupeToken: (request) => request.header(options.header),
  };
}
