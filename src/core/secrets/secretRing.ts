// The configured secrets, per provider: several per provider (rotation, two apps), each optionally
// bound to a path prefix (two Stripe accounts on /a and /b). A secret without a provider is the
// default JWT secret (`--secret-env NAME`, the extension's first secret), used by the providers
// verified with the JWT scheme (Watson, Rapida, generic).
import type { SchemeSecret } from '../verify/scheme';

export interface ConfiguredSecret {
  /** A provider id, or null for the default JWT secret. */
  readonly provider: string | null;
  /** A name for the UI ("current", "previous", "account B"); never the secret itself. */
  readonly label: string;
  readonly value: string;
  /** Only deliveries whose path starts with this prefix use this secret. */
  readonly pathPrefix?: string;
  /** `verify-token`: Meta's subscription verify token, not a signing secret. */
  readonly role?: 'signing' | 'verify-token';
}

export class SecretRing {
  private readonly cache = new Map<string, readonly SchemeSecret[]>();

  constructor(readonly secrets: readonly ConfiguredSecret[] = []) {}

  /**
   * The signing secrets for a delivery of `provider` to `path`: the provider's own, those bound to
   * the longest matching prefix first; plus the default secret for JWT-scheme providers. The same
   * array comes back for the same answer, so schemes can cache prepared keys on it.
   */
  signingSecrets(provider: string, path: string, usesDefault: boolean): readonly SchemeSecret[] {
    const indexes: number[] = [];
    this.secrets.forEach((secret, index) => {
      if ((secret.role ?? 'signing') !== 'signing') return;
      const forProvider = secret.provider === provider || (usesDefault && secret.provider === null);
      if (!forProvider) return;
      if (secret.pathPrefix !== undefined && !pathMatches(path, secret.pathPrefix)) return;
      indexes.push(index);
    });
    // Path-bound secrets first: /a's secret is tried before an unbound one.
    indexes.sort(
      (a, b) =>
        (this.secrets[b]?.pathPrefix?.length ?? -1) - (this.secrets[a]?.pathPrefix?.length ?? -1) ||
        a - b,
    );
    const key = indexes.join(',');
    let cached = this.cache.get(key);
    if (cached === undefined) {
      cached = indexes.map((index) => {
        const secret = this.secrets[index] as ConfiguredSecret;
        return { label: secret.label, value: secret.value };
      });
      this.cache.set(key, cached);
    }
    return cached;
  }

  verifyTokens(provider: string): readonly string[] {
    return this.secrets
      .filter((secret) => secret.provider === provider && secret.role === 'verify-token')
      .map((secret) => secret.value);
  }

  /** Every configured value, for keeping them out of the store. */
  values(): readonly string[] {
    return this.secrets.map((secret) => secret.value);
  }

  get size(): number {
    return this.secrets.length;
  }

  providers(): ReadonlySet<string | null> {
    return new Set(this.secrets.map((secret) => secret.provider));
  }
}

function pathMatches(path: string, prefix: string): boolean {
  const pathOnly = path.split('?')[0] ?? path;
  if (!pathOnly.startsWith(prefix)) return false;
  // "/a" matches "/a" and "/a/x", not "/ab".
  return (
    prefix.endsWith('/') || pathOnly.length === prefix.length || pathOnly[prefix.length] === '/'
  );
}
