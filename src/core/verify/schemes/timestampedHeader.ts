// The Stripe-style family of one header carrying a timestamp and one or more hex HMAC-SHA256
// signatures over the timestamp, a separator and the raw body: Mux and Calendly
// (`t=<unix s>,v1=<hex>`, signed `{t}.{body}`) and Paddle Billing (`ts=<unix s>;h1=<hex>`,
// signed `{ts}:{body}`). Every listed signature is tried (several during a key rotation); other
// keys in the header (a `v0`, Paddle's `h2`) are ignored, as the providers' SDKs do.
import type { RequestFacts } from '../../providers/requestFacts';
import type { VerificationScheme } from '../scheme';
import { replaceHeaders } from './headers';
import {
  fromHex,
  hmac,
  shown,
  singleHeader,
  unixSeconds,
  verifySignedPayload,
  type SignatureRead,
  type SignedPayloadSpec,
} from './signedPayload';

export interface TimestampedHeaderOptions {
  readonly schemeId: string;
  /** The header, as the provider's docs spell it ("Mux-Signature"). */
  readonly header: string;
  /** The provider's name, for "Mux sends exactly one". */
  readonly provider: string;
  /** Between the header's key=value items. */
  readonly itemSeparator: ',' | ';';
  readonly timestampKey: string;
  readonly signatureKey: string;
  /** Between the timestamp and the raw body in the signed bytes. */
  readonly contentSeparator: string;
  readonly toleranceSeconds: number;
}

type Parsed =
  | { readonly ok: false; readonly reason: string }
  | { readonly ok: true; readonly timestamp: string; readonly signatures: Buffer[] };

function parse(options: TimestampedHeaderOptions, value: string): Parsed {
  const { header, timestampKey, signatureKey } = options;
  let timestamp: string | undefined;
  const signatures: Buffer[] = [];
  for (const item of value.split(options.itemSeparator)) {
    const equals = item.indexOf('=');
    if (equals < 0) continue;
    const key = item.slice(0, equals).trim();
    const text = item.slice(equals + 1).trim();
    if (key === timestampKey) {
      if (timestamp !== undefined) {
        return { ok: false, reason: `${header} has more than one ${timestampKey}= timestamp.` };
      }
      timestamp = text;
    } else if (key === signatureKey) {
      const bytes = fromHex(text);
      if (bytes === undefined || bytes.length !== 32) {
        return {
          ok: false,
          reason: `${header} has a ${signatureKey}= signature that is not 64 hex digits (an HMAC-SHA256).`,
        };
      }
      signatures.push(bytes);
    }
  }
  if (timestamp === undefined) {
    return {
      ok: false,
      reason: `${header} has no ${timestampKey}= timestamp (${options.provider} sends ${example(options)}).`,
    };
  }
  if (signatures.length === 0) {
    return {
      ok: false,
      reason: `${header} has no ${signatureKey}= signature (${options.provider} sends ${example(options)}).`,
    };
  }
  return { ok: true, timestamp, signatures };
}

function example(options: TimestampedHeaderOptions): string {
  return `${options.timestampKey}=<unix seconds>${options.itemSeparator}${options.signatureKey}=<hex>`;
}

function specFor(options: TimestampedHeaderOptions): SignedPayloadSpec {
  const { header, provider } = options;
  return {
    schemeId: options.schemeId,
    headerName: header,
    toleranceSeconds: options.toleranceSeconds,
    signedContent: `the ${options.timestampKey}= timestamp, "${options.contentSeparator}" and the raw body`,
    read(request): SignatureRead {
      const value = singleHeader(request, header, provider);
      if (!value.ok) return value;
      const parsed = parse(options, value.value);
      if (!parsed.ok) return { kind: 'malformed', reason: parsed.reason };
      const seconds = unixSeconds(parsed.timestamp, `${header} ${options.timestampKey}=`);
      if (typeof seconds === 'string') return { kind: 'malformed', reason: seconds };
      return {
        kind: 'present',
        signatures: parsed.signatures,
        timestampSeconds: seconds,
        rows: [[header, shown(value.value)]],
      };
    },
    expected(request: RequestFacts, read, secret) {
      // The timestamp exactly as sent (digits, perhaps with leading zeros) is what was signed.
      const parsed = parse(options, request.header(header)?.trim() ?? '');
      const timestamp = parsed.ok ? parsed.timestamp : String(read.timestampSeconds);
      return [hmac('sha256', secret, `${timestamp}${options.contentSeparator}`, request.body)];
    },
  };
}

export function timestampedHeaderScheme(options: TimestampedHeaderOptions): VerificationScheme {
  const spec = specFor(options);
  return {
    id: options.schemeId,
    verify: (request, secrets, context) => verifySignedPayload(spec, request, secrets, context),
    sign(input, secret, context) {
      const t = Math.floor(context.nowMs / 1000);
      const signature = hmac(
        'sha256',
        secret.value,
        `${t}${options.contentSeparator}`,
        input.body,
      ).toString('hex');
      const value = `${options.timestampKey}=${t}${options.itemSeparator}${options.signatureKey}=${signature}`;
      return { headers: replaceHeaders(input.headers, [[options.header, value]]) };
    },
    dedupeToken: (request) => request.header(options.header),
  };
}
