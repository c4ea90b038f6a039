// Serialisable shapes shared by the extension host, the CLI and the webview. No Node, no vscode.

/** What the receiver is doing, as the status bar, the tree and the CLI show it. */
export type ReceiverState =
  | { readonly kind: 'stopped' }
  | { readonly kind: 'starting'; readonly host: string; readonly port: number }
  | {
      readonly kind: 'listening';
      readonly host: string;
      readonly port: number;
      readonly url: string;
    }
  /** Another VS Code window owns the receiver and the store; this one shows its deliveries. */
  | { readonly kind: 'viewer'; readonly ownerPid: number | null }
  | {
      readonly kind: 'failed';
      readonly host: string;
      readonly port: number;
      /** A sentence a user understands, e.g. "Port 7878 is already in use by another program." */
      readonly message: string;
      /** Node's error code when there is one (EADDRINUSE, EACCES, ...), for choosing actions. */
      readonly code?: string;
    };

/** Every outcome of checking a delivery's Authorization header. */
export const VERDICTS = [
  'verified',
  'invalid_signature',
  'expired',
  'not_yet_valid',
  'missing_token',
  'malformed_token',
  'wrong_algorithm',
  'secret_match',
  'no_secret',
] as const;
export type Verdict = (typeof VERDICTS)[number];

/** Verdicts that authenticate the sender, or cannot because no secret is set. The rest failed. */
const ACCEPTED_VERDICTS: ReadonlySet<string> = new Set<Verdict>([
  'verified',
  'no_secret',
  'secret_match',
]);

/** True for the verdicts the `reject` policy answers with 401. */
export function isFailedVerdict(verdict: string): boolean {
  return !ACCEPTED_VERDICTS.has(verdict);
}

/** The seed's "Log Overview" columns, plus what HookLens adds, for one delivery. */
export interface DeliveryOverview {
  readonly id: string;
  readonly sessionId: string | null;
  readonly event: string | null;
  readonly endpoint: string;
  readonly httpStatus: number | null;
  readonly timeTakenMs: number | null;
  readonly retryCount: number;
  readonly createdAt: string;
  readonly verdict: Verdict;
  readonly verdictReason: string;
  readonly sender: string;
}
