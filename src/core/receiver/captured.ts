import { tokenDedupeKey } from '../verify/tokenKey';

/** One request that passed the transport checks, exactly as it arrived. */
export interface CapturedRequest {
  readonly receivedAtMs: number;
  /** process.hrtime.bigint() when the request started, for "time taken". */
  readonly startedAt: bigint;
  readonly method: string;
  readonly url: string;
  /** Node's rawHeaders as pairs: original case and order, duplicates kept. */
  readonly headers: ReadonlyArray<readonly [string, string]>;
  readonly remoteAddress: string;
  /** The body the sender signed: decoded when it came with a Content-Encoding. */
  readonly body: Buffer;
  /** The bytes as they arrived, when a Content-Encoding (gzip, deflate, br) was decoded. */
  readonly encodedBody?: Buffer;
  readonly contentEncoding?: string;
}

/** What the receiver answers the sender. */
export interface ReceiverAnswer {
  readonly status: number;
  readonly headers: ReadonlyArray<readonly [string, string]>;
  /** Text for HookLens's own answers; the handler's exact bytes when forwarding. */
  readonly body: string | Buffer;
}

export function headerValues(headers: CapturedRequest['headers'], name: string): string[] {
  const lower = name.toLowerCase();
  return headers.filter(([key]) => key.toLowerCase() === lower).map(([, value]) => value);
}

/** Authorization as the verifier takes it: absent, the one value, or every value when repeated. */
export function authorizationOf(
  headers: CapturedRequest['headers'],
): string | string[] | undefined {
  const values = headerValues(headers, 'authorization');
  return values.length === 0 ? undefined : values.length === 1 ? values[0] : values;
}

/**
 * What makes two deliveries "the same": the sender's event id when it has one, else the body's
 * hash with the token's signature (J-08: never the raw token string).
 */
export function dedupeKeyOf(
  recognition: { readonly sender: string; readonly senderEventId: string | null },
  bodySha256: string,
  authorization: string | string[] | undefined,
): string {
  return recognition.senderEventId !== null
    ? `sender:${recognition.sender}:${recognition.senderEventId}`
    : `body:${bodySha256}:${tokenDedupeKey(authorization) ?? 'no-token'}`;
}

export function jsonAnswer(
  status: number,
  body: unknown,
  extraHeaders: ReadonlyArray<readonly [string, string]> = [],
): ReceiverAnswer {
  return {
    status,
    headers: [['Content-Type', 'application/json; charset=utf-8'], ...extraHeaders],
    body: JSON.stringify(body),
  };
}

export function elapsedMs(startedAt: bigint): number {
  return Math.round(Number(process.hrtime.bigint() - startedAt) / 1e5) / 10;
}
