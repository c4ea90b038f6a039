import * as vscode from 'vscode';
import { providerById, providerLabel } from '../core/providers/registry';
import type { ConfiguredSecret } from '../core/secrets/secretRing';
import { DisposableOwner } from './dispose';

/** The default JWT secret (Watson, Rapida, generic), as it has always been stored. */
const SECRET_KEY = 'hooklens.secret';
/** Provider secrets: a JSON list of ConfiguredSecret, in the keychain like the default one. */
const PROVIDER_SECRETS_KEY = 'hooklens.providerSecrets';

/**
 * The one place that touches the secrets: the default JWT secret and the providers' secrets. They
 * live in VS Code's SecretStorage (the OS keychain), never in settings, logs, the store or the
 * webview. `onDidChange` also fires when another window changes them.
 */
export class SecretStore extends DisposableOwner {
  private readonly changed = this.register(new vscode.EventEmitter<void>());
  readonly onDidChange = this.changed.event;

  constructor(private readonly storage: vscode.SecretStorage) {
    super();
    this.register(
      storage.onDidChange((event) => {
        if (event.key === SECRET_KEY || event.key === PROVIDER_SECRETS_KEY) this.changed.fire();
      }),
    );
  }

  async get(): Promise<string | undefined> {
    const value = await this.storage.get(SECRET_KEY);
    return value === undefined || value === '' ? undefined : value;
  }

  async set(secret: string): Promise<void> {
    await this.storage.store(SECRET_KEY, secret);
  }

  async clear(): Promise<void> {
    await this.storage.delete(SECRET_KEY);
  }

  /** Every configured secret: the default JWT secret (provider null) first, then providers'. */
  async getAll(): Promise<ConfiguredSecret[]> {
    const secret = await this.get();
    // Not translated: the label is stored data, matched by the CLI and other windows.
    const all: ConfiguredSecret[] =
      secret === undefined ? [] : [{ provider: null, label: 'current', value: secret }];
    return [...all, ...(await this.providerSecrets())];
  }

  /** The secrets set for providers, skipping any entry a hand edit or older version broke. */
  async providerSecrets(): Promise<ConfiguredSecret[]> {
    const text = await this.storage.get(PROVIDER_SECRETS_KEY);
    if (text === undefined || text === '') return [];
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      return [];
    }
    if (!Array.isArray(parsed)) return [];
    return parsed.filter(isConfiguredSecret);
  }

  /** Adds a provider secret, replacing one with the same provider, label and role. */
  async addProviderSecret(secret: ConfiguredSecret): Promise<void> {
    const others = (await this.providerSecrets()).filter(
      (existing) =>
        !(
          existing.provider === secret.provider &&
          existing.label === secret.label &&
          (existing.role ?? 'signing') === (secret.role ?? 'signing')
        ),
    );
    await this.storage.store(PROVIDER_SECRETS_KEY, JSON.stringify([...others, secret]));
  }

  async removeProviderSecret(
    secret: Pick<ConfiguredSecret, 'provider' | 'label' | 'role'>,
  ): Promise<void> {
    const kept = (await this.providerSecrets()).filter(
      (existing) =>
        !(
          existing.provider === secret.provider &&
          existing.label === secret.label &&
          (existing.role ?? 'signing') === (secret.role ?? 'signing')
        ),
    );
    await this.storage.store(PROVIDER_SECRETS_KEY, JSON.stringify(kept));
  }

  async clearAll(): Promise<void> {
    await this.storage.delete(SECRET_KEY);
    await this.storage.delete(PROVIDER_SECRETS_KEY);
  }

  /** What is configured, without the values: for lists, the log and the status bar. */
  async entries(): Promise<SecretEntry[]> {
    return (await this.getAll()).map(entryOf);
  }

  /** Removes one secret: the default one (provider null) or a provider's. */
  async remove(entry: SecretEntry): Promise<void> {
    if (entry.provider === null) await this.clear();
    else await this.removeProviderSecret(entry);
  }
}

/** A configured secret as the UI may show it: never its value. */
export interface SecretEntry {
  readonly provider: string | null;
  readonly label: string;
  readonly pathPrefix?: string;
  readonly role: 'signing' | 'verify-token';
}

export function entryOf(secret: ConfiguredSecret): SecretEntry {
  return {
    provider: secret.provider,
    label: secret.label,
    ...(secret.pathPrefix === undefined ? {} : { pathPrefix: secret.pathPrefix }),
    role: secret.role ?? 'signing',
  };
}

/** The providers the default secret (provider null) verifies: those signed with a JWT. */
export const DEFAULT_SECRET_PROVIDERS = ['watson', 'rapida', 'generic'] as const;

/** "Watson Assistant, Rapida and Generic webhook": who the default secret verifies, for the user. */
export function defaultSecretOwners(): string {
  const labels = DEFAULT_SECRET_PROVIDERS.map((id) => providerById(id)?.label ?? id);
  return vscode.l10n.t('{0} and {1}', labels.slice(0, -1).join(', '), labels.at(-1) ?? '');
}

/** One secret in English for the log: "GitHub secret 'current'", "Stripe secret 'B' for /b". */
export function describeEntry(entry: SecretEntry): string {
  const where = entry.pathPrefix === undefined ? '' : ` for ${entry.pathPrefix}`;
  if (entry.provider === null) {
    const labels = DEFAULT_SECRET_PROVIDERS.map((id) => providerById(id)?.label ?? id);
    return `default JWT secret (${labels.slice(0, -1).join(', ')} and ${labels.at(-1) ?? ''})`;
  }
  const what = entry.role === 'verify-token' ? 'verify token' : 'secret';
  return `${providerLabel(entry.provider)} ${what} '${entry.label}'${where}`;
}

/** The same secret in words for the user, in the display language. */
export function entryText(entry: SecretEntry): string {
  if (entry.provider === null)
    return vscode.l10n.t('default JWT secret ({0})', defaultSecretOwners());
  const provider = providerLabel(entry.provider);
  const verifyToken = entry.role === 'verify-token';
  if (entry.pathPrefix === undefined) {
    return verifyToken
      ? vscode.l10n.t("{0} verify token '{1}'", provider, entry.label)
      : vscode.l10n.t("{0} secret '{1}'", provider, entry.label);
  }
  return verifyToken
    ? vscode.l10n.t("{0} verify token '{1}' for {2}", provider, entry.label, entry.pathPrefix)
    : vscode.l10n.t("{0} secret '{1}' for {2}", provider, entry.label, entry.pathPrefix);
}

/** Which providers have a secret, in one short line: "JWT (Watson, …), GitHub, Stripe ×2". */
export function summariseEntries(entries: readonly SecretEntry[]): string {
  const counts = new Map<string, number>();
  for (const entry of entries) {
    if (entry.role !== 'signing') continue;
    const name =
      entry.provider === null
        ? `JWT (${DEFAULT_SECRET_PROVIDERS.map((id) => providerById(id)?.label ?? id).join(', ')})`
        : providerLabel(entry.provider);
    counts.set(name, (counts.get(name) ?? 0) + 1);
  }
  return [...counts].map(([name, count]) => (count > 1 ? `${name} ×${count}` : name)).join(', ');
}

function isConfiguredSecret(value: unknown): value is ConfiguredSecret {
  if (typeof value !== 'object' || value === null) return false;
  const entry = value as Record<string, unknown>;
  return (
    typeof entry.provider === 'string' &&
    typeof entry.label === 'string' &&
    typeof entry.value === 'string' &&
    entry.value !== '' &&
    (entry.pathPrefix === undefined || typeof entry.pathPrefix === 'string') &&
    (entry.role === undefined || entry.role === 'signing' || entry.role === 'verify-token')
  );
}
