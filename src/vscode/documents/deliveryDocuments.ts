import * as vscode from 'vscode';
import { comparedDocument } from '../../core/compare/canonicalJson';
import type { DeliveryRecord } from '../../core/delivery';
import { safeFileName } from '../../core/export/fileNames';
import { DisposableOwner } from '../dispose';
import { displayLocale } from '../../core/displayLocale';

export const BODY_SCHEME = 'hooklens-delivery';
export const COMPARE_SCHEME = 'hooklens-compare';
const DELIVERY_ID = /^[A-Za-z0-9_-]{1,64}$/;
const utf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * Read-only documents over stored deliveries (W-08): the raw body exactly as received
 * (`hooklens-delivery:/<id>/<event>.json`) and the canonical, formatted form the compare view
 * diffs (`hooklens-compare:/<id>/<event>.json?mask=1`). Virtual documents never prompt to save
 * and never write into the workspace.
 */
export class DeliveryDocuments
  extends DisposableOwner
  implements vscode.TextDocumentContentProvider
{
  private readonly changed = this.register(new vscode.EventEmitter<vscode.Uri>());
  readonly onDidChange = this.changed.event;

  constructor(private readonly load: (id: string) => Promise<DeliveryRecord | undefined>) {
    super();
    this.register(vscode.workspace.registerTextDocumentContentProvider(BODY_SCHEME, this));
    this.register(vscode.workspace.registerTextDocumentContentProvider(COMPARE_SCHEME, this));
  }

  async provideTextDocumentContent(uri: vscode.Uri): Promise<string> {
    const id = uri.path.split('/')[1] ?? '';
    if (!DELIVERY_ID.test(id)) return vscode.l10n.t('This is not a HookLens delivery address.');
    const record = await this.load(id);
    if (!record) {
      return vscode.l10n.t('Delivery {0} is no longer stored (it was deleted or aged out).', id);
    }
    const bytes = Buffer.from(record.bodyBase64, 'base64');
    if (uri.scheme === COMPARE_SCHEME) {
      return comparedDocument(record, {
        maskVolatile: new URLSearchParams(uri.query).get('mask') === '1',
      });
    }
    try {
      return utf8.decode(bytes);
    } catch {
      const note = vscode.l10n.t(
        'The body ({0} bytes) is not UTF-8 text. Its bytes, base64:',
        bytes.length,
      );
      return `${note}\n\n${record.bodyBase64}\n`;
    }
  }

  /** Opens the raw body read-only, in JSON mode when it parsed as JSON. */
  async openBody(record: DeliveryRecord): Promise<void> {
    const document = await vscode.workspace.openTextDocument(bodyUri(record));
    await vscode.window.showTextDocument(document, { preview: true });
  }

  /** VS Code's diff editor over the two deliveries' canonical JSON, older on the left. */
  async compare(left: DeliveryRecord, right: DeliveryRecord, mask: boolean): Promise<void> {
    const [older, newer] = left.seq <= right.seq ? [left, right] : [right, left];
    await vscode.commands.executeCommand(
      'vscode.diff',
      compareUri(older, mask),
      compareUri(newer, mask),
      mask
        ? vscode.l10n.t('{0} ↔ {1} (timestamps and ids masked)', label(older), label(newer))
        : `${label(older)} ↔ ${label(newer)}`,
      { preview: true },
    );
  }
}

function bodyUri(record: DeliveryRecord): vscode.Uri {
  return vscode.Uri.from({
    scheme: BODY_SCHEME,
    path: `/${record.id}/${fileStem(record)}.${record.parseError === null ? 'json' : 'txt'}`,
  });
}

function compareUri(record: DeliveryRecord, mask: boolean): vscode.Uri {
  return vscode.Uri.from({
    scheme: COMPARE_SCHEME,
    path: `/${record.id}/${fileStem(record)}.json`,
    query: mask ? 'mask=1' : '',
  });
}

function fileStem(record: DeliveryRecord): string {
  return safeFileName(record.event ?? 'body', 'body');
}

function label(record: DeliveryRecord): string {
  const time = new Date(record.receivedAt).toLocaleTimeString(displayLocale());
  // The id's tail tells apart two deliveries of the same event in the same second.
  return `${(record.event ?? vscode.l10n.t('delivery')).slice(0, 40)} ${time} ·${record.id.slice(-4)}`;
}
