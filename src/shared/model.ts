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

export { VERDICTS, isFailedVerdict, type Verdict } from './verdicts';

/** Did the delivery reach the developer's handler? (core/detail/outcome.ts reads it.) */
export interface OutcomeView {
  /** `delivered`, `pending`, `handler-down`, `handler-timeout`, `handler-error`, … (open). */
  readonly kind: string;
  /** True when it did not reach the handler (forward or latest replay failed, or a 5xx). */
  readonly failed: boolean;
  /** Two or three words after the status ("handler down"); null when all is well. */
  readonly words: string | null;
  readonly sentence: string;
}

/** The seed's "Log Overview" columns, plus what HookLens adds, for one delivery. */
export interface DeliveryOverview {
  readonly id: string;
  readonly sessionId: string | null;
  readonly event: string | null;
  /** One line on what the delivery says, when its body gives one (see core/detail/headline). */
  readonly headline: string | null;
  readonly endpoint: string;
  /** What the sender was answered (the handler's answer when forwarding); replays never change it. */
  readonly httpStatus: number | null;
  /** How long the sender waited for that answer. */
  readonly timeTakenMs: number | null;
  /** The sender's own retries (later deliveries that repeat this one); replays are not retries. */
  readonly retryCount: number;
  /** The developer's replays. */
  readonly replayCount: number;
  readonly outcome: OutcomeView;
  readonly createdAt: string;
  /** An open string: a newer HookLens may store verdicts this one does not know. */
  readonly verdict: string;
  readonly verdictReason: string;
  readonly sender: string;
}
