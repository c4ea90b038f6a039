import * as vscode from 'vscode';
import type { DeliveryRecord } from '../../core/delivery';
import { safeFileName } from '../../core/export/fileNames';
import { editableBody } from '../../core/forward/editableBody';
import { DisposableOwner } from '../dispose';

export const EDIT_SCHEME = 'hooklens-edit';
const DELIVERY_ID = /^[A-Za-z0-9_-]{1,64}$/;

/**
 * Edit and replay: a delivery's body as a writable in-memory file (`hooklens-edit:/<id>/…json`),
 * so the user gets a real JSON editor and saving never prompts for a place on disk. The stored
 * delivery is never touched; "Send" replays whatever the editor holds.
 */
export class EditedBodies extends DisposableOwner implements vscode.FileSystemProvider {
  private readonly files = new Map<string, { data: Uint8Array; mtime: number; ctime: number }>();
  private readonly changed = this.register(new vscode.EventEmitter<vscode.FileChangeEvent[]>());
  readonly onDidChangeFile = this.changed.event;

  constructor() {
    super();
    this.register(
      vscode.workspace.registerFileSystemProvider(EDIT_SCHEME, this, { isCaseSensitive: true }),
    );
  }

  /** Opens (or re-opens, keeping earlier edits) the body of `record` for editing. */
  async open(record: DeliveryRecord): Promise<vscode.TextEditor> {
    const uri = editUri(record);
    if (!this.files.has(uri.toString())) {
      const now = Date.now();
      this.files.set(uri.toString(), {
        data: Buffer.from(editableBody(record), 'utf8'),
        mtime: now,
        ctime: now,
      });
    }
    const document = await vscode.workspace.openTextDocument(uri);
    return vscode.window.showTextDocument(document, { preview: false });
  }

  watch(): vscode.Disposable {
    return new vscode.Disposable(() => undefined);
  }

  stat(uri: vscode.Uri): vscode.FileStat {
    const file = this.files.get(uri.toString());
    if (file) {
      return {
        type: vscode.FileType.File,
        ctime: file.ctime,
        mtime: file.mtime,
        size: file.data.length,
      };
    }
    if (this.isDirectory(uri))
      return { type: vscode.FileType.Directory, ctime: 0, mtime: 0, size: 0 };
    throw vscode.FileSystemError.FileNotFound(uri);
  }

  readDirectory(uri: vscode.Uri): Array<[string, vscode.FileType]> {
    const prefix = `${uri.toString().replace(/\/$/, '')}/`;
    return [...this.files.keys()]
      .filter((key) => key.startsWith(prefix))
      .map((key) => [key.slice(prefix.length), vscode.FileType.File]);
  }

  createDirectory(uri: vscode.Uri): void {
    throw vscode.FileSystemError.NoPermissions(uri);
  }

  readFile(uri: vscode.Uri): Uint8Array {
    const file = this.files.get(uri.toString());
    if (!file) throw vscode.FileSystemError.FileNotFound(uri);
    return file.data;
  }

  writeFile(
    uri: vscode.Uri,
    content: Uint8Array,
    options: { readonly create: boolean; readonly overwrite: boolean },
  ): void {
    const key = uri.toString();
    const existing = this.files.get(key);
    // Only the bodies HookLens opened exist here; "Save As" into this scheme is refused.
    if (!existing && !options.create) throw vscode.FileSystemError.FileNotFound(uri);
    if (!existing) throw vscode.FileSystemError.NoPermissions(uri);
    this.files.set(key, { ...existing, data: content, mtime: Date.now() });
    this.changed.fire([{ type: vscode.FileChangeType.Changed, uri }]);
  }

  delete(uri: vscode.Uri): void {
    this.files.delete(uri.toString());
    this.changed.fire([{ type: vscode.FileChangeType.Deleted, uri }]);
  }

  rename(uri: vscode.Uri): void {
    throw vscode.FileSystemError.NoPermissions(uri);
  }

  private isDirectory(uri: vscode.Uri): boolean {
    const prefix = `${uri.toString().replace(/\/$/, '')}/`;
    return uri.path === '/' || [...this.files.keys()].some((key) => key.startsWith(prefix));
  }
}

/** The delivery an edit document belongs to, or undefined for any other document. */
export function deliveryIdOfEditUri(uri: vscode.Uri): string | undefined {
  if (uri.scheme !== EDIT_SCHEME) return undefined;
  const id = uri.path.split('/')[1];
  return id !== undefined && DELIVERY_ID.test(id) ? id : undefined;
}

function editUri(record: DeliveryRecord): vscode.Uri {
  const event = safeFileName(record.event ?? 'body', 'body');
  const extension = record.parseError === null ? 'json' : 'txt';
  return vscode.Uri.from({ scheme: EDIT_SCHEME, path: `/${record.id}/${event}.${extension}` });
}

/** "Send" above the first line of an edit document, next to the editor-title button. */
export class SendEditedBodyLens implements vscode.CodeLensProvider {
  constructor(private readonly describeTarget: () => string) {}

  provideCodeLenses(document: vscode.TextDocument): vscode.CodeLens[] {
    if (deliveryIdOfEditUri(document.uri) === undefined) return [];
    const top = new vscode.Range(0, 0, 0, 0);
    return [
      new vscode.CodeLens(top, {
        title: vscode.l10n.t('$(send) Send edited body to {0}', this.describeTarget()),
        command: 'hooklens.sendEditedBody',
        arguments: [document.uri],
      }),
    ];
  }
}
