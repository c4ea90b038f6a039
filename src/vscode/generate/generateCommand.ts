// "Generate Handler": from the selected deliveries (or every delivery of the events the user
// picks), typed handler code in a chosen language and framework, opened as new editor tabs or
// written into a folder. The work is core's (loaded on demand); this is the VS Code dialogue.
import { posix } from 'node:path';
import * as vscode from 'vscode';
import type { DeliveryRecord } from '../../core/delivery';
import { generateOffThread } from '../../core/generate/loadGenerator';
import { providerLabel } from '../../core/providers/registry';
import type { GenerationTarget } from '../../core/generate/model';
import type { GenerationSummary } from '../../core/generate/outcome';
import { toSingleLine } from '../../shared/visibleText';
import type { ReceiverController } from '../receiverController';
import type { SecretStore } from '../secrets';
import { readSettings } from '../settings';

interface TargetItem extends vscode.QuickPickItem {
  readonly target: GenerationTarget;
}

const TARGETS: readonly TargetItem[] = [
  {
    label: 'TypeScript',
    description: 'node:http',
    detail: 'No dependencies: node:crypto verifies the JWT.',
    target: { language: 'typescript', framework: 'node', zod: false },
  },
  {
    label: 'TypeScript',
    description: 'node:http + Zod',
    detail: 'Each event validated by a Zod schema before your function sees it.',
    target: { language: 'typescript', framework: 'node', zod: true },
  },
  {
    label: 'TypeScript',
    description: 'Express',
    detail: 'An Express app reading the raw body (the signature covers the bytes).',
    target: { language: 'typescript', framework: 'express', zod: false },
  },
  {
    label: 'TypeScript',
    description: 'Express + Zod',
    detail: 'Express, with each event validated by a Zod schema.',
    target: { language: 'typescript', framework: 'express', zod: true },
  },
  {
    label: 'TypeScript',
    description: 'Next.js App Router',
    detail: 'A route handler (export async function POST) for app/api/webhooks/route.ts.',
    target: { language: 'typescript', framework: 'nextjs', zod: false },
  },
  {
    label: 'Python',
    description: 'FastAPI + PyJWT',
    detail: 'Dataclasses with from_dict, a FastAPI app and a unittest replay.',
    target: { language: 'python', framework: 'fastapi', zod: false },
  },
  {
    label: 'Python',
    description: 'Flask',
    detail:
      'Dataclasses with from_dict, a Flask app reading request.get_data() and a unittest replay.',
    target: { language: 'python', framework: 'flask', zod: false },
  },
  {
    label: 'Go',
    description: 'net/http + golang-jwt',
    detail: 'Structs, an http.Handler, main.go, go.mod and an httptest replay.',
    target: { language: 'go', framework: 'nethttp', zod: false },
  },
];

/** Per event, at most this many recent deliveries when generating from whole events. */
const PER_EVENT_LIMIT = 1000;
const LAST_TARGET_KEY = 'hooklens.generate.lastTarget';

export class GenerateCommand {
  constructor(
    private readonly receiver: ReceiverController,
    private readonly secrets: SecretStore,
    private readonly state: vscode.Memento,
    private readonly log: vscode.LogOutputChannel,
  ) {}

  async run(selectedIds: readonly string[]): Promise<void> {
    await this.receiver.ready;
    const ids = selectedIds.length > 0 ? selectedIds : await this.pickEvents();
    if (ids === undefined) return;
    const provider = await this.pickProvider(ids);
    if (provider === null) return;
    const target = await this.pickTarget();
    if (!target) return;
    const destination = await vscode.window.showQuickPick(
      [
        {
          label: '$(new-file) Open in new editor tabs',
          detail: 'Untitled tabs named after each file; save them where you like.',
          folder: false,
        },
        {
          label: '$(folder) Write into a folder…',
          detail: 'Files that already exist are only replaced if you agree.',
          folder: true,
        },
      ],
      { title: 'HookLens: Generate Handler', placeHolder: 'Where should the code go?' },
    );
    if (!destination) return;

    const outcome = await vscode.window.withProgress(
      {
        location: vscode.ProgressLocation.Notification,
        title: `HookLens: generating from ${ids.length} ${ids.length === 1 ? 'delivery' : 'deliveries'}…`,
        cancellable: true,
      },
      async (_progress, token) => {
        const records = await this.records(ids);
        const secret = await this.secrets.get();
        const settings = readSettings();
        const abort = new AbortController();
        const cancelled = token.onCancellationRequested(() => abort.abort());
        try {
          // On a worker thread: inference over many samples must not stall the extension host.
          return await generateOffThread(
            records,
            target,
            {
              genericEventPointer: settings.genericPointers.event,
              secrets: secret ? [secret] : [],
              // The generic HMAC scheme the receiver verified with: the handler checks the same.
              ...(settings.genericHmac === undefined ? {} : { genericHmac: settings.genericHmac }),
              ...(provider === undefined ? {} : { provider }),
            },
            abort.signal,
          );
        } finally {
          cancelled.dispose();
        }
      },
    );
    if (!outcome.ok) {
      this.log.warn(`Generate Handler failed: ${outcome.message}`);
      if (outcome.message !== 'Generation was cancelled.') {
        await vscode.window.showErrorMessage(`HookLens: ${outcome.message}`);
      }
      return;
    }
    const code = outcome.summary;
    await this.state.update(LAST_TARGET_KEY, JSON.stringify(target));

    const written = destination.folder
      ? await this.writeToFolder(code)
      : await this.openUntitled(code);
    if (!written) return;
    const skipped = code.skipped.length;
    for (const skip of code.skipped)
      this.log.info(`Generate Handler left out ${skip.deliveryId}: ${skip.reason}`);
    const events = code.events.map((event) => toSingleLine(event.name, 40)).join(', ');
    await vscode.window.showInformationMessage(
      `HookLens: generated ${code.files.length} files for ${code.events.length} ${code.events.length === 1 ? 'event' : 'events'} (${events}) from ${code.usedDeliveries} ${code.usedDeliveries === 1 ? 'delivery' : 'deliveries'}.` +
        (skipped > 0
          ? ` ${skipped} left out (see the HookLens log): ${code.skipped[0]!.reason}`
          : ''),
    );
  }

  /** No selection: pick event types; every recent delivery of them is used. */
  private async pickEvents(): Promise<string[] | undefined> {
    const byEvent = new Map<string, string[]>();
    for (const summary of this.receiver.deliveries) {
      if (summary.event === null) continue;
      const ids = byEvent.get(summary.event) ?? [];
      if (ids.length < PER_EVENT_LIMIT) ids.push(summary.id);
      byEvent.set(summary.event, ids);
    }
    if (byEvent.size === 0) {
      await vscode.window.showInformationMessage(
        'HookLens: capture a delivery with an event name first; handlers are generated from captured deliveries.',
      );
      return undefined;
    }
    const picked = await vscode.window.showQuickPick(
      [...byEvent]
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([event, ids]) => ({
          label: toSingleLine(event, 80),
          description: `${ids.length} ${ids.length === 1 ? 'delivery' : 'deliveries'}`,
          picked: true,
          ids,
        })),
      {
        title: 'HookLens: Generate Handler',
        placeHolder: 'Events to generate types and handlers for',
        canPickMany: true,
      },
    );
    if (!picked || picked.length === 0) return undefined;
    return picked.flatMap((item) => item.ids);
  }

  private async pickTarget(): Promise<GenerationTarget | undefined> {
    const last = this.state.get<string>(LAST_TARGET_KEY);
    const items = TARGETS.map((item) => ({ ...item, picked: false }));
    const lastIndex = items.findIndex((item) => JSON.stringify(item.target) === last);
    if (lastIndex > 0) items.unshift(...items.splice(lastIndex, 1));
    const picked = await vscode.window.showQuickPick(items, {
      title: 'HookLens: Generate Handler',
      placeHolder: 'Language and framework',
      matchOnDescription: true,
    });
    return picked?.target;
  }

  /**
   * One handler verifies one provider: when the deliveries come from several, the user picks one
   * (undefined: only one provider; null: the pick was dismissed).
   */
  private async pickProvider(ids: readonly string[]): Promise<string | undefined | null> {
    const wanted = new Set(ids);
    const counts = new Map<string, number>();
    for (const summary of this.receiver.deliveries) {
      if (wanted.has(summary.id)) counts.set(summary.sender, (counts.get(summary.sender) ?? 0) + 1);
    }
    if (counts.size <= 1) return undefined;
    const picked = await vscode.window.showQuickPick(
      [...counts]
        .sort((a, b) => b[1] - a[1])
        .map(([sender, count]) => ({
          label: providerLabel(sender),
          description: `${count} ${count === 1 ? 'delivery' : 'deliveries'}`,
          sender,
        })),
      {
        title: 'HookLens: Generate Handler',
        placeHolder: 'The deliveries come from several providers; a handler verifies one. Which?',
      },
    );
    return picked ? picked.sender : null;
  }

  private async records(ids: readonly string[]): Promise<DeliveryRecord[]> {
    const records: DeliveryRecord[] = [];
    for (const id of ids) {
      const record = await this.receiver.get(id);
      if (record) records.push(record);
    }
    return records;
  }

  /** Untitled editors named after each file, next to the workspace, so Save suggests the name. */
  private async openUntitled(code: GenerationSummary): Promise<boolean> {
    const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
    const base = folder ? folder.path : '/';
    for (const [index, file] of code.files.entries()) {
      const uri = vscode.Uri.from({ scheme: 'untitled', path: posix.join(base, file.name) });
      const document = await vscode.workspace.openTextDocument(uri);
      const edit = new vscode.WorkspaceEdit();
      edit.replace(uri, new vscode.Range(0, 0, document.lineCount, 0), file.content);
      await vscode.workspace.applyEdit(edit);
      const typed = await vscode.languages.setTextDocumentLanguage(document, file.languageId).then(
        (changed) => changed,
        () => document, // A language VS Code has no support installed for: plain text is fine.
      );
      const editor = await vscode.window.showTextDocument(typed, {
        preview: false,
        preserveFocus: index < code.files.length - 1,
      });
      // Replacing the text leaves the cursor at its end; a reader starts at the top.
      editor.selection = new vscode.Selection(0, 0, 0, 0);
      editor.revealRange(new vscode.Range(0, 0, 0, 0), vscode.TextEditorRevealType.AtTop);
    }
    // The handler is what the user edits first.
    const handler = code.files[1];
    if (handler) {
      const uri = vscode.Uri.from({ scheme: 'untitled', path: posix.join(base, handler.name) });
      await vscode.window.showTextDocument(uri, { preview: false });
    }
    return true;
  }

  private async writeToFolder(code: GenerationSummary): Promise<boolean> {
    const picked = await vscode.window.showOpenDialog({
      canSelectFolders: true,
      canSelectFiles: false,
      canSelectMany: false,
      openLabel: 'Generate Here',
      title: 'HookLens: folder for the generated handler',
      defaultUri: vscode.workspace.workspaceFolders?.[0]?.uri,
    });
    const folder = picked?.[0];
    if (!folder) return false;
    const existing: string[] = [];
    for (const file of code.files) {
      const stat = await Promise.resolve(
        vscode.workspace.fs.stat(vscode.Uri.joinPath(folder, file.name)),
      ).catch(() => undefined);
      if (stat) existing.push(file.name);
    }
    if (existing.length > 0) {
      const answer = await vscode.window.showWarningMessage(
        `${existing.join(', ')} already ${existing.length === 1 ? 'exists' : 'exist'} in ${folder.fsPath}.`,
        {
          modal: true,
          detail: 'Replace them with the generated files? Your changes to them would be lost.',
        },
        'Replace',
      );
      if (answer !== 'Replace') return false;
    }
    try {
      for (const file of code.files) {
        await vscode.workspace.fs.writeFile(
          vscode.Uri.joinPath(folder, file.name),
          Buffer.from(file.content, 'utf8'),
        );
      }
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      this.log.warn(`Generate Handler could not write into ${folder.fsPath}: ${reason}`);
      await vscode.window.showErrorMessage(
        `HookLens: could not write the generated files into ${folder.fsPath}: ${reason}`,
      );
      return false;
    }
    for (const file of code.files) {
      await vscode.window.showTextDocument(vscode.Uri.joinPath(folder, file.name), {
        preview: false,
        preserveFocus: true,
      });
    }
    // The handler is what the user edits first.
    const handler = code.files[1];
    if (handler) {
      await vscode.window.showTextDocument(vscode.Uri.joinPath(folder, handler.name), {
        preview: false,
      });
    }
    return true;
  }
}
