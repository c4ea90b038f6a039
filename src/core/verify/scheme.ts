// A verification scheme: how one family of senders signs a delivery, how to check it, and how
// to sign it again for a replay. One file per scheme under ./schemes, listed in ./schemes/index.
import type { Verification, VerificationSection } from '../delivery';
import type { HeaderPairs, RequestFacts } from '../providers/requestFacts';
import type { VerifierOptions } from './jwtVerifier';

/** A configured secret as a scheme sees it: a label for the UI and the value. */
export interface SchemeSecret {
  readonly label: string;
  readonly value: string;
}

export interface SchemeContext {
  /** The clock to judge timestamps by. */
  readonly nowMs: number;
  /** The provider's name for reasons ("GitHub"). */
  readonly providerLabel: string;
  /** The provider's own timestamp tolerance, when it has one. */
  readonly toleranceSeconds?: number;
  /** The public URL the sender calls (a tunnel's), for URL-bound schemes such as Twilio's. */
  readonly publicBaseUrl?: string;
  /** The JWT scheme's options (algorithms, clock tolerance). */
  readonly jwt?: VerifierOptions;
  /** Scheme-specific settings (the generic HMAC scheme's header, algorithm, …). */
  readonly config?: Readonly<Record<string, unknown>>;
}

export interface SignInput {
  readonly method: string;
  readonly url: string;
  readonly headers: HeaderPairs;
  readonly body: Buffer;
  /** What verification found at capture (a JWT's claims to keep, for one). */
  readonly previous?: Verification;
}

export interface VerificationScheme {
  readonly id: string;
  /** Never throws. With no secrets, says what is there and which secret would check it. */
  verify(
    request: RequestFacts,
    secrets: readonly SchemeSecret[],
    context: SchemeContext,
  ): Verification;
  /**
   * The request's headers with a fresh signature (and timestamp) made with `secret`; undefined
   * when the scheme cannot be signed by anyone but the sender (public-key schemes).
   */
  readonly sign?: (
    input: SignInput,
    secret: SchemeSecret,
    context: SchemeContext,
  ) => { readonly headers: HeaderPairs };
  /** Why `sign` is absent, for the user ("Discord signs with its private key"). */
  readonly cannotSign?: string;
  /**
   * A stable token for spotting the same delivery twice when the sender gives no event id (the
   * signature, never a secret); undefined when there is none.
   */
  dedupeToken?(request: RequestFacts): string | undefined;
  /** Headers that carry a credential (not a signature) and are redacted in exports. */
  readonly credentialHeaders?: readonly string[];
}

/** Builds a Verification without undefined fields (the store writes plain JSON). */
export function verification(
  scheme: string,
  verdict: string,
  reason: string,
  extra: {
    readonly matchedSecret?: string | undefined;
    readonly details?: readonly VerificationSection[] | undefined;
  } = {},
): Verification {
  return {
    verdict,
    reason,
    scheme,
    ...(extra.matchedSecret === undefined ? {} : { matchedSecret: extra.matchedSecret }),
    ...(extra.details === undefined || extra.details.length === 0
      ? {}
      : { details: extra.details }),
  };
}
