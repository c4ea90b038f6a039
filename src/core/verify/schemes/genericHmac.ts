// Any HMAC sender not listed: the header, an optional prefix (`sha256=`), the digest, the
// encoding, and what is signed, as a template over {body}, {timestamp}, {id} and {url}.
import type { RequestFacts } from '../../providers/requestFacts';
import type { SchemeContext, VerificationScheme } from '../scheme';
import { replaceHeaders } from './headers';
import {
  fromBase64,
  fromHex,
  hmac,
  shown,
  singleHeader,
  unixSeconds,
  verifySignedPayload,
  type DigestAlgorithm,
  type SignatureRead,
  type SignedPayloadSpec,
} from './signedPayload';

export interface GenericHmacConfig {
  readonly header: string;
  /** Text before the signature in the header, such as `sha256=` (matched case-insensitively). */
  readonly prefix: string;
  readonly algorithm: DigestAlgorithm;
  readonly encoding: 'hex' | 'base64';
  /** What is signed: `{body}`, or e.g. `{timestamp}.{body}`, `{id}.{timestamp}.{body}`, `{url}{body}`. */
  readonly template: string;
  readonly timestampHeader?: string;
  readonly idHeader?: string;
  /** Seconds; applies only with a timestamp header. */
  readonly toleranceSeconds?: number;
}

export const DEFAULT_GENERIC_HMAC: GenericHmacConfig = {
  header: 'X-Signature',
  prefix: '',
  algorithm: 'sha256',
  encoding: 'hex',
  template: '{body}',
  toleranceSeconds: 300,
};

const DIGEST_BYTES: Record<DigestAlgorithm, number> = { sha1: 20, sha256: 32, sha512: 64 };

/** The settings as given, or the defaults; a problem is a sentence for the user. */
export function genericHmacConfig(raw: unknown): GenericHmacConfig | string {
  if (raw === undefined || raw === null) return DEFAULT_GENERIC_HMAC;
  if (typeof raw !== 'object') return 'The generic HMAC settings must be an object.';
  const value = { ...DEFAULT_GENERIC_HMAC, ...(raw as Partial<GenericHmacConfig>) };
  if (typeof value.header !== 'string' || !/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(value.header)) {
    return 'The generic HMAC header must be a header name such as X-Signature.';
  }
  if (!['sha1', 'sha256', 'sha512'].includes(value.algorithm)) {
    return 'The generic HMAC algorithm must be sha1, sha256 or sha512.';
  }
  if (value.encoding !== 'hex' && value.encoding !== 'base64') {
    return 'The generic HMAC encoding must be hex or base64.';
  }
  if (typeof value.template !== 'string' || !value.template.includes('{body}')) {
    return 'The generic HMAC template must contain {body}.';
  }
  if (value.template.includes('{timestamp}') && !value.timestampHeader) {
    return 'The generic HMAC template uses {timestamp}, so name the timestamp header too.';
  }
  if (value.template.includes('{id}') && !value.idHeader) {
    return 'The generic HMAC template uses {id}, so name the id header too.';
  }
  return value;
}

function configOf(context: SchemeContext): GenericHmacConfig {
  const parsed = genericHmacConfig(context.config?.genericHmac);
  return typeof parsed === 'string' ? DEFAULT_GENERIC_HMAC : parsed;
}

/** The bytes the template describes for this request. */
export function genericSigningContent(
  config: GenericHmacConfig,
  parts: {
    readonly body: Buffer;
    readonly timestamp?: string;
    readonly id?: string;
    readonly url: string;
  },
): Buffer {
  const chunks: Buffer[] = [];
  for (const piece of config.template.split(/(\{body\}|\{timestamp\}|\{id\}|\{url\})/)) {
    if (piece === '{body}') chunks.push(parts.body);
    else if (piece === '{timestamp}') chunks.push(Buffer.from(parts.timestamp ?? ''));
    else if (piece === '{id}') chunks.push(Buffer.from(parts.id ?? ''));
    else if (piece === '{url}') chunks.push(Buffer.from(parts.url));
    else chunks.push(Buffer.from(piece));
  }
  return Buffer.concat(chunks);
}

function specFor(config: GenericHmacConfig): SignedPayloadSpec {
  return {
    schemeId: 'generic-hmac',
    headerName: config.header,
    ...(config.timestampHeader && config.toleranceSeconds !== undefined
      ? { toleranceSeconds: config.toleranceSeconds }
      : {}),
    signedContent: `${config.template} (${config.algorithm}, ${config.encoding})`,
    read(request: RequestFacts): SignatureRead {
      const header = singleHeader(request, config.header, 'the sender');
      if (!header.ok) return header;
      const value = header.value;
      if (config.prefix && !value.toLowerCase().startsWith(config.prefix.toLowerCase())) {
        return {
          kind: 'malformed',
          reason: `${config.header} does not start with ${config.prefix}.`,
        };
      }
      const encoded = value.slice(config.prefix.length);
      const bytes = config.encoding === 'hex' ? fromHex(encoded) : fromBase64(encoded);
      if (bytes === undefined || bytes.length !== DIGEST_BYTES[config.algorithm]) {
        return {
          kind: 'malformed',
          reason: `${config.header} is not a ${config.encoding} ${config.algorithm} HMAC.`,
        };
      }
      const rows: Array<readonly [string, string]> = [[config.header, shown(value)]];
      let timestampSeconds: number | undefined;
      if (config.timestampHeader) {
        const stamp = singleHeader(request, config.timestampHeader, 'the sender');
        if (!stamp.ok) return { kind: 'malformed', reason: stamp.reason };
        const seconds = unixSeconds(stamp.value, config.timestampHeader);
        if (typeof seconds === 'string') return { kind: 'malformed', reason: seconds };
        timestampSeconds = seconds;
        rows.push([config.timestampHeader, shown(stamp.value)]);
      }
      return {
        kind: 'present',
        signatures: [bytes],
        rows,
        ...(timestampSeconds === undefined ? {} : { timestampSeconds }),
      };
    },
    expected(request, _read, secret) {
      const content = genericSigningContent(config, {
        body: request.body,
        url: request.url,
        ...(config.timestampHeader
          ? { timestamp: request.header(config.timestampHeader)?.trim() ?? '' }
          : {}),
        ...(config.idHeader ? { id: request.header(config.idHeader)?.trim() ?? '' } : {}),
      });
      return [hmac(config.algorithm, secret, content)];
    },
  };
}

export const genericHmacScheme: VerificationScheme = {
  id: 'generic-hmac',
  verify: (request, secrets, context) =>
    verifySignedPayload(specFor(configOf(context)), request, secrets, context),
  sign(input, secret, context) {
    const config = configOf(context);
    const header = (name: string): string | undefined =>
      input.headers.find(([key]) => key.toLowerCase() === name.toLowerCase())?.[1];
    const timestamp = String(Math.floor(context.nowMs / 1000));
    const id = config.idHeader
      ? (header(config.idHeader) ?? `hooklens_${context.nowMs}`)
      : undefined;
    const content = genericSigningContent(config, {
      body: input.body,
      url: input.url,
      timestamp,
      ...(id === undefined ? {} : { id }),
    });
    const digest = hmac(config.algorithm, secret.value, content);
    const replacements: Array<readonly [string, string]> = [
      [config.header, `${config.prefix}${digest.toString(config.encoding)}`],
    ];
    if (config.timestampHeader) replacements.push([config.timestampHeader, timestamp]);
    if (config.idHeader && id !== undefined) replacements.push([config.idHeader, id]);
    return { headers: replaceHeaders(input.headers, replacements) };
  },
};
