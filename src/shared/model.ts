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
  /** An open string: a newer HookLens may store verdicts this one does not know. */
  readonly verdict: string;
  readonly verdictReason: string;
  readonly sender: string;
}
