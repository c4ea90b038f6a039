// A provider: one sender of webhooks (Watson, GitHub, Stripe, …). It recognises its deliveries,
// names the scheme that authenticates them, and answers its handshakes. One file per provider in
// this folder, listed in ./registry.
import type { GenericPointers } from '../senders/recognise';
import type { SchemeSecret } from '../verify/scheme';
import type { RequestFacts } from './requestFacts';

export interface Recognition {
  /** The provider id (`watson`, `github`, …, `generic`, or `unknown` for a non-JSON body). */
  readonly sender: string;
  readonly event: string | null;
  readonly sessionId: string | null;
  /** The sender's own id for the delivery, stable across its retries, used to spot them. */
  readonly senderEventId: string | null;
}

export interface RecogniseContext {
  readonly pointers: GenericPointers;
  /** The generic HMAC scheme's signature header, when that scheme is configured. */
  readonly genericHmacHeader?: string;
}

/** An answer a provider needs that is not HookLens's receipt (a handshake, Watson's echo). */
export interface ProviderAnswer {
  readonly status: number;
  readonly contentType: string;
  readonly body: string;
  /** True for a handshake: the sender checks the endpoint before sending events. */
  readonly handshake: boolean;
}

/** What kind of secret verifies this provider, for Set Secret and the CLI. */
export interface SecretSpec {
  /** chosen: the developer makes it up; issued: the provider shows it; public-key: not secret. */
  readonly kind: 'chosen' | 'issued' | 'public-key';
  /** What the provider calls it ("Signing Secret", "Auth Token", "Public Key"). */
  readonly noun: string;
  /** Where to find it, one sentence. */
  readonly where: string;
  /** A format problem in a pasted value, or undefined when it looks right. */
  validate?(value: string): string | undefined;
}

export interface Provider {
  /** Stable, lower-case; stored as `sender`, used in `--secret-env PROVIDER:NAME`. */
  readonly id: string;
  readonly label: string;
  /** The id of the verification scheme that authenticates its deliveries. */
  readonly scheme: string;
  readonly secret: SecretSpec;
  /** A second credential some handshakes need (Meta's verify token). */
  readonly verifyToken?: { readonly noun: string; readonly where: string };
  /** True when this request comes from this provider. */
  detect(request: RequestFacts, context: RecogniseContext): boolean;
  recognise(request: RequestFacts, context: RecogniseContext): Omit<Recognition, 'sender'>;
  /**
   * A handshake or acknowledgement this provider expects, when HookLens answers (no forward
   * target); `verifyTokens` are the configured verify tokens (Meta); `signingSecrets` the
   * provider's secrets, the one that verified this request first (Zoom's handshake is an HMAC).
   */
  answer?(
    request: RequestFacts,
    recognition: Recognition,
    context: {
      readonly id: string;
      readonly verifyTokens: readonly string[];
      readonly signingSecrets?: readonly SchemeSecret[];
    },
  ): ProviderAnswer | undefined;
  /**
   * For a handshake the sender does not sign (Meta's subscription GET carries a verify token,
   * not a signature): its own check, used instead of the scheme's. Undefined for anything else.
   */
  handshakeVerification?(
    request: RequestFacts,
    verifyTokens: readonly string[],
  ): { readonly verdict: string; readonly reason: string } | undefined;
  /** A request other than POST that this provider sends (Meta's GET subscription check). */
  acceptsMethod?(method: string, url: string): boolean;
}

export function jsonAnswer(body: unknown, handshake: boolean, status = 200): ProviderAnswer {
  return {
    status,
    contentType: 'application/json; charset=utf-8',
    body: JSON.stringify(body),
    handshake,
  };
}
