// One analysis of a request, shared by the receiver and import: parse the body, find the
// provider, recognise the event, verify with the provider's scheme and secrets, keep secrets out
// of what is stored, and compute the key that spots the same delivery twice.
import { createHash } from 'node:crypto';
import type { Verification } from '../delivery';
import type { Provider, ProviderAnswer, Recognition } from '../providers/provider';
import { detectProvider } from '../providers/registry';
import {
  requestFacts,
  type HeaderPairs,
  type RequestFacts,
  type RequestInput,
} from '../providers/requestFacts';
import { secretRedactor, type SecretRedactor } from '../secrets/redaction';
import { SECRET_REDACTION } from '../secrets/secretPolicy';
import { SecretRing, type ConfiguredSecret } from '../secrets/secretRing';
import { DEFAULT_GENERIC_POINTERS, type GenericPointers } from '../senders/recognise';
import type { VerifierOptions } from '../verify/jwtVerifier';
import { schemeById } from '../verify/schemes';
import type { GenericHmacConfig } from '../verify/schemes/genericHmac';

export interface AnalysisSettings {
  readonly secrets: SecretRing;
  readonly pointers: GenericPointers;
  readonly jwt?: VerifierOptions;
  /** The public URL senders call (a tunnel's), for URL-bound schemes (Twilio). */
  readonly publicBaseUrl?: string;
  /** Set to verify a sender not listed with the generic HMAC scheme. */
  readonly genericHmac?: GenericHmacConfig;
}

export const DEFAULT_ANALYSIS_SETTINGS: AnalysisSettings = {
  secrets: new SecretRing(),
  pointers: DEFAULT_GENERIC_POINTERS,
};

export interface Analysis {
  readonly facts: RequestFacts;
  readonly provider: Provider;
  readonly recognition: Recognition;
  readonly verification: Verification;
  /** The headers to store: secrets and credential headers redacted. */
  readonly headers: HeaderPairs;
  /** The path and query to store, secrets redacted. */
  readonly url: string;
  readonly bodySha256: string;
  readonly parseError: string | null;
  readonly dedupeKey: string;
  /** The provider's own answer (a handshake, Watson's echo), when it has one. */
  readonly answer: ProviderAnswer | undefined;
  /**
   * True when the provider checked an unsigned handshake itself (Meta's verify token): its own
   * answer (the challenge, or 403) then stands whatever the verdict.
   */
  readonly handshakeChecked: boolean;
}

/** A prepared analyser: builds the redactor once per settings, not once per delivery. */
export class RequestAnalyser {
  private readonly redactor: SecretRedactor;

  constructor(readonly settings: AnalysisSettings) {
    this.redactor = secretRedactor(settings.secrets.values());
  }

  analyse(input: RequestInput, nowMs: number, deliveryId: string): Analysis {
    const facts = requestFacts(input);
    const context = {
      pointers: this.settings.pointers,
      ...(this.settings.genericHmac ? { genericHmacHeader: this.settings.genericHmac.header } : {}),
    };
    const provider = detectProvider(facts, context);
    const recognised = provider.recognise(facts, context);
    const isDocument =
      (typeof facts.json === 'object' && facts.json !== null) || recognised.event !== null;
    const sender = provider.id === 'generic' && !isDocument ? 'unknown' : provider.id;
    const recognition: Recognition = { sender, ...recognised };
    const scheme = schemeById(provider.scheme);
    const secrets = this.settings.secrets.signingSecrets(
      provider.id,
      facts.url,
      provider.scheme === 'jwt',
    );
    const handshake = provider.handshakeVerification?.(
      facts,
      this.settings.secrets.verifyTokens(provider.id),
    );
    const verification: Verification = handshake
      ? { ...handshake, scheme: 'handshake' }
      : scheme
        ? scheme.verify(facts, secrets, {
            nowMs,
            providerLabel: provider.label,
            ...(this.settings.jwt ? { jwt: this.settings.jwt } : {}),
            ...(this.settings.publicBaseUrl ? { publicBaseUrl: this.settings.publicBaseUrl } : {}),
            ...(this.settings.genericHmac
              ? { config: { genericHmac: this.settings.genericHmac } }
              : {}),
          })
        : {
            verdict: 'no_secret',
            reason: `HookLens has no scheme ${provider.scheme} to check ${provider.label}.`,
          };
    const bodySha256 = createHash('sha256').update(input.body).digest('hex');
    const alwaysRedact = scheme?.credentialHeaders ?? [];
    const headers =
      verification.verdict === 'secret_match'
        ? this.redactor.headers(redactAuthorization(input.headers), alwaysRedact)
        : this.redactor.headers(input.headers, alwaysRedact);
    // The sender's own event id, when it has one, is the key: the token's (decoded and hashed
    // for every delivery before) is needed only without it.
    const dedupeKey =
      recognition.senderEventId !== null
        ? `sender:${recognition.sender}:${recognition.senderEventId}`
        : bodyDedupeKey(bodySha256, provider.scheme, scheme?.dedupeToken?.(facts));
    return {
      facts,
      provider,
      recognition,
      verification,
      headers,
      url: this.redactor.url(input.url),
      bodySha256,
      parseError: facts.parsed.ok ? null : facts.parsed.error,
      dedupeKey,
      handshakeChecked: handshake !== undefined,
      answer: provider.answer?.(facts, recognition, {
        id: deliveryId,
        verifyTokens: this.settings.secrets.verifyTokens(provider.id),
        signingSecrets: [...secrets].sort(
          (a, b) =>
            Number(b.label === verification.matchedSecret) -
            Number(a.label === verification.matchedSecret),
        ),
      }),
    };
  }

  /** True when the text carries a configured secret (import uses it on imported headers). */
  carriesSecret(value: string): boolean {
    return this.redactor.carriesSecret(value);
  }
}

function bodyDedupeKey(bodySha256: string, schemeId: string, token: string | undefined): string {
  const tokenPart =
    token === undefined
      ? 'no-token'
      : schemeId === 'jwt'
        ? token
        : createHash('sha256').update(`${schemeId}:${token}`).digest('hex');
  return `body:${bodySha256}:${tokenPart}`;
}

// secret_match means an Authorization value is the secret, perhaps in a form the redactor's
// substring rules would miss for a short secret: redact every Authorization value.
function redactAuthorization(headers: HeaderPairs): HeaderPairs {
  return headers.map(([name, value]) =>
    name.toLowerCase() === 'authorization' ? [name, SECRET_REDACTION] : [name, value],
  );
}

/** An analyser with these secrets and otherwise default settings (tests, benchmarks, import). */
export function analyserWithSecrets(
  secrets: readonly ConfiguredSecret[],
  settings: Partial<Omit<AnalysisSettings, 'secrets'>> = {},
): RequestAnalyser {
  return new RequestAnalyser({
    ...DEFAULT_ANALYSIS_SETTINGS,
    ...settings,
    secrets: new SecretRing(secrets),
  });
}
