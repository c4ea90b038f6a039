import * as vscode from 'vscode';
import { DisposableOwner } from './dispose';

const SECRET_KEY = 'hooklens.secret';

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
        if (event.key === SECRET_KEY) this.changed.fire();
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
}
