import * as vscode from 'vscode';
import { DisposableOwner } from './dispose';

import type { ConfiguredSecret } from '../core/secrets/secretRing';

/** The default JWT secret (Watson, Rapida, generic), as it has always been stored. */
const SECRET_KEY = 'hooklens.secret';
/** Provider secrets: a JSON list of ConfiguredSecret, in the keychain like the default one. */
const PROVIDER_SECRETS_KEY = 'hooklens.providerSecrets';

/**
 * The one place that touches the shared secret. It lives in VS Code's SecretStorage (the OS
 * keychain), never in settings, logs, the store or the webview. `onDidChange` also fires when
 * another window changes it.
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
