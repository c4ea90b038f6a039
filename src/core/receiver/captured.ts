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
  readonly body: Buffer;
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
