// The delivery: everything needed to show a captured request, verify it again and send it again.
// This is the stored record (one JSON line in the store), so every field is plain JSON.

export const DELIVERY_RECORD_VERSION = 1;

/**
 * The provider id (`watson`, `github`, `stripe`, …, `generic`, `unknown`). An open string in the
 * store: a record written by a newer HookLens with a provider this one does not know is kept.
 */
export type SenderKind = string;

/** One titled block of rows for the Auth tab (a scheme's own details). */
export interface VerificationSection {
  readonly title: string;
  readonly rows: ReadonlyArray<readonly [string, string]>;
}

export interface Verification {
  /** An open string; this version writes the ids in shared/verdicts.ts. */
  readonly verdict: string;
  /** One sentence for a person: why this verdict. Never contains the secret or the token. */
  readonly reason: string;
  /** The JWT's decoded protected header, when the token could be decoded at all. */
  readonly header?: Record<string, unknown>;
  /** The JWT's decoded claims, when the token could be decoded at all. */
  readonly claims?: Record<string, unknown>;
  /** The verification scheme that checked it (`jwt`, `stripe`, `hmac-hub`, …); absent before 0.2. */
  readonly scheme?: string;
  /** The label of the configured secret that matched, never the secret. */
  readonly matchedSecret?: string;
  /** What the scheme looked at (signature header, timestamp and its age), for the Auth tab. */
  readonly details?: readonly VerificationSection[];
}

/** What the receiver (or, when forwarding, the developer's handler) answered the sender. */
export interface RecordedResponse {
  readonly status: number;
  readonly headers: ReadonlyArray<readonly [string, string]>;
  /** Response body as text (UTF-8, truncated to a display limit). */
  readonly body: string;
  readonly timeMs: number;
}

export interface Attempt {
  readonly id: string;
  readonly kind: 'forward' | 'replay';
  readonly at: string;
  readonly target: string;
  readonly tokenMode: 'original' | 'fresh' | 'none';
  /** True when the developer edited the body before this replay (edit and replay). */
  readonly bodyEdited?: boolean;
  /** SHA-256 of the body bytes sent, so a forward can be checked byte for byte (F-01). */
  readonly sentBodySha256?: string;
  /** Who replayed it (user@host), in the team store; absent for forwards and local replays. */
  readonly by?: string;
  /** The route whose target this attempt went to; absent for the catch-all forward target. */
  readonly route?: string;
  readonly status: number | null;
  readonly timeMs: number | null;
  readonly error: string | null;
  readonly response: RecordedResponse | null;
}

/**
 * Which route a delivery took, or the answer the user chose for it (a route that answers by
 * itself, failure simulation). Absent when no route applied (the forward target or HookLens's own
 * answer), and in records from before routes.
 */
export interface RouteChoice {
  /** The route's name; `fail-next` or `fail-rate` for failure simulation. */
  readonly name: string;
  /** `forward`: sent to the route's handler. `answer`: the route answered. `simulated`: failed on purpose. */
  readonly kind: 'forward' | 'answer' | 'simulated';
  /** The handler URL, for `forward`. */
  readonly target?: string;
  /** The status chosen, for `answer` and `simulated`. */
  readonly status?: number;
  readonly delayMs?: number;
  /** One sentence for a person, e.g. "Failure simulation: delivery 1 of the next 3 answered 500." */
  readonly note?: string;
}

export interface DeliveryRecord {
  readonly v: typeof DELIVERY_RECORD_VERSION;
  /** Sortable unique id: time-ordered, base32/base36 characters only (safe in paths and URIs). */
  readonly id: string;
  /** Monotonic sequence within the store; ordering never depends on the wall clock (D-11). */
  readonly seq: number;
  readonly receivedAt: string;
  readonly method: string;
  /** Path and query exactly as received. */
  readonly url: string;
  /** Raw header pairs in arrival order (Node's rawHeaders), names with their original case. */
  readonly headers: ReadonlyArray<readonly [string, string]>;
  readonly remoteAddress: string;
  /** The raw body bytes, base64. Parsing happens after capture; these are never re-serialised. */
  readonly bodyBase64: string;
  readonly bodySha256: string;
  readonly bodySize: number;
  /**
   * When the body came with a Content-Encoding (gzip, deflate, br): the coding, and the bytes as
   * they arrived. `bodyBase64` then holds the decoded bytes, which are what the sender signed.
   */
  readonly contentEncoding?: string;
  readonly encodedBodyBase64?: string;
  /** `null` when the body parsed as JSON; otherwise why it did not (kept raw either way). */
  readonly parseError: string | null;
  readonly sender: SenderKind;
  readonly event: string | null;
  readonly sessionId: string | null;
  /** The sender's own id for the event (Watson `payload.log_id`), used to spot sender retries. */
  readonly senderEventId: string | null;
  readonly verification: Verification;
  readonly response: RecordedResponse | null;
  readonly attempts: readonly Attempt[];
  /** Set when this delivery repeats an earlier one (same sender id, or same body and token). */
  readonly duplicateOf: string | null;
  /**
   * What makes two deliveries "the same": the sender's event id when it has one, else the body's
   * hash with the token's signature (J-08: never the raw token string). Null when neither exists.
   */
  readonly dedupeKey: string | null;
  /**
   * One short line on what the delivery says ("“What is my balance?” → #check_balance", "octocat
   * pushed 1 commit to main · octocat/hello"), from its sender view at capture, for the tree's
   * rows. Absent when the body gives none, and in records from before 0.2 (rows show the event).
   */
  readonly headline?: string;
  /** The route it took or the answer chosen for it; see RouteChoice. */
  readonly route?: RouteChoice;
}
