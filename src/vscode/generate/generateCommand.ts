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
import { safeFileName } from '../../core/export/fileNames';
import { toSingleLine } from '../../shared/visibleText';
import { pickStep } from '../multiStep';
import type { ReceiverController } from '../receiverController';
import type { SecretStore } from '../secrets';
import { readSettings } from '../settings';
import { runFlow, type StepOutcome, type StepPosition } from '../stepFlow';

interface TargetItem extends vscode.QuickPickItem {
  readonly target: GenerationTarget;
}

/** One row of the language pick; language and framework names are the same in every language. */
function targetItem(
  label: string,
  description: string,
  detail: string,
  target: GenerationTarget,
): TargetItem {
  return { label, description, detail, target };
}

/** The language pick's rows, said when the pick is shown (the bundle is loaded by then). */
function targetItems(): TargetItem[] {
  return [
    targetItem(
      'TypeScript',
      'node:http',
      vscode.l10n.t('No dependencies: node:crypto verifies the JWT.'),
      { language: 'typescript', framework: 'node', zod: false },
    ),
    targetItem(
      'TypeScript',
      'node:http + Zod',
      vscode.l10n.t('Each event validated by a Zod schema before your function sees it.'),
      { language: 'typescript', framework: 'node', zod: true },
    ),
    targetItem(
      'TypeScript',
      'Express',
      vscode.l10n.t('An Express app reading the raw body (the signature covers the bytes).'),
      { language: 'typescript', framework: 'express', zod: false },
    ),
    targetItem(
      'TypeScript',
      'Express + Zod',
      vscode.l10n.t('Express, with each event validated by a Zod schema.'),
      { language: 'typescript', framework: 'express', zod: true },
    ),
    targetItem(
      'TypeScript',
      'Next.js App Router',
      vscode.l10n.t('A route handler (export async function POST) for app/api/webhooks/route.ts.'),
      { language: 'typescript', framework: 'nextjs', zod: false },
    ),
    targetItem(
      'Python',
      'FastAPI + PyJWT',
      vscode.l10n.t('Dataclasses with from_dict, a FastAPI app and a unittest replay.'),
      { language: 'python', framework: 'fastapi', zod: false },
    ),
    targetItem(
      'Python',
      'Flask',
      vscode.l10n.t(
        'Dataclasses with from_dict, a Flask app reading request.get_data() and a unittest replay.',
      ),
      { language: 'python', framework: 'flask', zod: false },
    ),
    targetItem(
      'Go',
      'net/http + golang-jwt',
      vscode.l10n.t('Structs, an http.Handler, main.go, go.mod and an httptest replay.'),
      { language: 'go', framework: 'nethttp', zod: false },
    ),
  ];
}

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

  /**
   * `selectedIds`: the deliveries the command was run on (a context menu) or the tree's selection.
   * `fromPalette`: run with no arguments, so the event checklist is shown, the selection ticked in
   * it, rather than the selection being used silently.
   */
  async run(
    selectedIds: readonly string[],
    options: { fromPalette?: boolean } = {},
  ): Promise<void> {
    await this.receiver.ready;
    const askEvents = options.fromPalette === true || selectedIds.length === 0;
    const chosen = await runFlow<GenerateChoice>(
      [
        {
          applies: () => askEvents,
          run: (state, at) => this.eventsStep(selectedIds, state, at),
        },
        {
          applies: (state) => this.providerCounts(state.ids).size > 1,
          run: (state, at) => this.providerStep(state, at),
        },
        { run: (state, at) => this.targetStep(state, at) },
        { run: (state, at) => this.destinationStep(state, at) },
      ],
      { ids: askEvents ? [] : selectedIds, destination: 'proposed' },
    );
    if (!chosen?.target) return;
    const { ids, target, provider } = chosen;
    if (ids.length === 0) return;
    let folder: vscode.Uri | undefined;
    if (chosen.destination === 'proposed') folder = chosen.proposed;
    else if (chosen.destination === 'folder') folder = await this.askFolder();
    if (chosen.destination !== 'untitled' && !folder) return;

    const outcome = await vscode.window.withProgress(
      {
        location: vscode.ProgressLocation.Notification,
        title:
          ids.length === 1
            ? vscode.l10n.t('HookLens: generating from 1 delivery…')
            : vscode.l10n.t('HookLens: generating from {0} deliveries…', ids.length),
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
      // Core's words for a cancel: the user cancelled, so nothing is said.
      if (outcome.message !== 'Generation was cancelled.') {
        await vscode.window.showErrorMessage(vscode.l10n.t('HookLens: {0}', outcome.message));
      }
      return;
    }
    const code = outcome.summary;
    await this.state.update(LAST_TARGET_KEY, JSON.stringify(target));

    // A new folder of TypeScript gets a tsconfig.json, so the files compile as generated (Node's
    // ES modules: `.js` in relative imports, a default import of node:assert) wherever it is.
    const tsconfig =
      chosen.destination === 'proposed' &&
      target.language === 'typescript' &&
      !code.files.some((file) => file.name === 'tsconfig.json');
    const written = folder
      ? await this.writeToFolder(code, folder, tsconfig ? [TSCONFIG] : [])
      : await this.openUntitled(code);
    if (!written) return;
    const skipped = code.skipped.length;
    for (const skip of code.skipped)
      this.log.info(`Generate Handler left out ${skip.deliveryId}: ${skip.reason}`);
    const events = code.events.map((event) => toSingleLine(event.name, 40)).join(', ');
    const what =
      code.events.length === 1
        ? vscode.l10n.t('{0} files for 1 event ({1})', code.files.length, events)
        : vscode.l10n.t(
            '{0} files for {1} events ({2})',
            code.files.length,
            code.events.length,
            events,
          );
    const from =
      code.usedDeliveries === 1
        ? vscode.l10n.t('1 delivery')
        : vscode.l10n.t('{0} deliveries', code.usedDeliveries);
    const generated = folder
      ? vscode.l10n.t(
          'HookLens: generated {0} from {1} in {2}/.',
          what,
          from,
          posix.basename(folder.path),
        )
      : vscode.l10n.t('HookLens: generated {0} from {1}.', what, from);
    await vscode.window.showInformationMessage(
      skipped > 0
        ? vscode.l10n.t(
            '{0} {1} left out (see the HookLens log): {2}',
            generated,
            skipped,
            code.skipped[0]!.reason,
          )
        : generated,
    );
  }

  /**
   * The event checklist: every recent delivery of each ticked event is used. The selected
   * deliveries are a row of their own, ticked (and the events unticked) when there is a selection.
   */
  private async eventsStep(
    selectedIds: readonly string[],
    state: GenerateChoice,
    at: StepPosition,
  ): Promise<StepOutcome<GenerateChoice>> {
    const byEvent = new Map<string, string[]>();
    for (const summary of this.receiver.deliveries) {
      if (summary.event === null) continue;
      const ids = byEvent.get(summary.event) ?? [];
      if (ids.length < PER_EVENT_LIMIT) ids.push(summary.id);
      byEvent.set(summary.event, ids);
    }
    if (byEvent.size === 0 && selectedIds.length === 0) {
      await vscode.window.showInformationMessage(
        vscode.l10n.t(
          'HookLens: capture a delivery with an event name first; handlers are generated from captured deliveries.',
        ),
      );
      return { kind: 'cancel' };
    }
    type Item = vscode.QuickPickItem & { readonly ids: readonly string[] };
    const selection: Item[] =
      selectedIds.length === 0
        ? []
        : [
            {
              label:
                selectedIds.length === 1
                  ? vscode.l10n.t('$(selection) The selected delivery')
                  : vscode.l10n.t('$(selection) The {0} selected deliveries', selectedIds.length),
              description: describeEvents(
                selectedIds.map((id) => this.receiver.summary(id)?.event ?? null),
              ),
              ids: selectedIds,
            },
          ];
    const events: Item[] = [...byEvent]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([event, ids]) => ({
        label: toSingleLine(event, 80),
        description:
          ids.length === 1
            ? vscode.l10n.t('1 delivery')
            : vscode.l10n.t('{0} deliveries', ids.length),
        ids,
      }));
    const items = [
      ...selection,
      ...(selection.length > 0 && events.length > 0
        ? [
            {
              label: vscode.l10n.t('By event'),
              kind: vscode.QuickPickItemKind.Separator,
              ids: [],
            },
          ]
        : []),
      ...events,
    ];
    // After Back, what was ticked; at first, the selection, or every event when nothing is selected.
    const ticked =
      state.ticked !== undefined
        ? items.filter((item) => state.ticked?.includes(item.label))
        : selection.length > 0
          ? selection
          : events;
    const result = await pickStep(at, {
      title: vscode.l10n.t('HookLens: Generate Handler'),
      placeholder: vscode.l10n.t('Deliveries to generate types and handlers from'),
      items,
      canPickMany: true,
      selected: ticked,
    });
    if (result.kind !== 'picked') return result.kind === 'back' ? result : { kind: 'cancel' };
    const ids = [...new Set(result.items.flatMap((item) => item.ids))];
    if (ids.length === 0) return { kind: 'back' };
    return {
      kind: 'next',
      state: { ...state, ids, ticked: result.items.map((item) => item.label) },
    };
  }

  private async targetStep(
    state: GenerateChoice,
    at: StepPosition,
  ): Promise<StepOutcome<GenerateChoice>> {
    const last = state.target
      ? JSON.stringify(state.target)
      : this.state.get<string>(LAST_TARGET_KEY);
    const items = targetItems();
    const lastIndex = items.findIndex((item) => JSON.stringify(item.target) === last);
    if (lastIndex > 0) items.unshift(...items.splice(lastIndex, 1));
    const result = await pickStep(at, {
      title: vscode.l10n.t('HookLens: Generate Handler'),
      placeholder: vscode.l10n.t('Language and framework'),
      items,
      matchOnDescription: true,
    });
    if (result.kind !== 'picked') return result.kind === 'back' ? result : { kind: 'cancel' };
    const target = result.items[0]?.target;
    return target ? { kind: 'next', state: { ...state, target } } : { kind: 'back' };
  }

  /** The deliveries' providers, with how many deliveries each. */
  private providerCounts(ids: readonly string[]): Map<string, number> {
    const wanted = new Set(ids);
    const counts = new Map<string, number>();
    for (const summary of this.receiver.deliveries) {
      if (wanted.has(summary.id)) counts.set(summary.sender, (counts.get(summary.sender) ?? 0) + 1);
    }
    return counts;
  }

  /** One handler verifies one provider: when the deliveries come from several, the user picks. */
  private async providerStep(
    state: GenerateChoice,
    at: StepPosition,
  ): Promise<StepOutcome<GenerateChoice>> {
    const items = [...this.providerCounts(state.ids)]
      .sort((a, b) => b[1] - a[1])
      .map(([sender, count]) => ({
        label: providerLabel(sender),
        description:
          count === 1 ? vscode.l10n.t('1 delivery') : vscode.l10n.t('{0} deliveries', count),
        sender,
      }));
    const active = items.find((item) => item.sender === state.provider);
    const result = await pickStep(at, {
      title: vscode.l10n.t('HookLens: Generate Handler'),
      placeholder: vscode.l10n.t(
        'The deliveries come from several providers; a handler verifies one. Which?',
      ),
      items,
      ...(active ? { active } : {}),
    });
    if (result.kind !== 'picked') return result.kind === 'back' ? result : { kind: 'cancel' };
    const provider = result.items[0]?.sender;
    return provider ? { kind: 'next', state: { ...state, provider } } : { kind: 'back' };
  }

  /**
   * Where the files go. First, a new folder in the workspace named after the provider and
   * language: the generated files import each other, which resolves only when they are files
   * side by side (untitled tabs show those imports as errors), and a subfolder of a project finds
   * its node_modules.
   */
  private async destinationStep(
    state: GenerateChoice,
    at: StepPosition,
  ): Promise<StepOutcome<GenerateChoice>> {
    const workspace = vscode.workspace.workspaceFolders?.[0];
    const sender = state.provider ?? [...this.providerCounts(state.ids).keys()][0] ?? 'webhook';
    const proposed =
      workspace && state.target
        ? await freeFolder(workspace.uri, proposedFolderName(sender, state.target.language))
        : undefined;
    type Item = vscode.QuickPickItem & { readonly destination: GenerateChoice['destination'] };
    const items: Item[] = [
      ...(proposed && workspace
        ? [
            {
              label: vscode.l10n.t('$(new-folder) Write into {0}/', posix.basename(proposed.path)),
              description: vscode.l10n.t('in {0}', workspace.name),
              detail: vscode.l10n.t(
                'A new folder: the files resolve each other, and nothing of yours is replaced.',
              ),
              destination: 'proposed' as const,
            },
          ]
        : []),
      {
        label: vscode.l10n.t('$(folder-opened) Write into a folder…'),
        detail: vscode.l10n.t('Files that already exist are only replaced if you agree.'),
        destination: 'folder',
      },
      {
        label: vscode.l10n.t('$(new-file) Open in new editor tabs'),
        detail: vscode.l10n.t(
          'Unsaved tabs: their imports of each other resolve once saved side by side.',
        ),
        destination: 'untitled',
      },
    ];
    const active = items.find((item) => item.destination === state.destination);
    const result = await pickStep(at, {
      title: vscode.l10n.t('HookLens: Generate Handler'),
      placeholder: vscode.l10n.t('Where should the code go?'),
      items,
      ...(active ? { active } : {}),
    });
    if (result.kind !== 'picked') return result.kind === 'back' ? result : { kind: 'cancel' };
    const destination = result.items[0]?.destination ?? 'folder';
    return {
      kind: 'next',
      state: { ...state, destination, ...(proposed ? { proposed } : {}) },
    };
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

  private async askFolder(): Promise<vscode.Uri | undefined> {
    const picked = await vscode.window.showOpenDialog({
      canSelectFolders: true,
      canSelectFiles: false,
      canSelectMany: false,
      openLabel: vscode.l10n.t('Generate Here'),
      title: vscode.l10n.t('HookLens: folder for the generated handler'),
      defaultUri: vscode.workspace.workspaceFolders?.[0]?.uri,
    });
    return picked?.[0];
  }

  /** Writes the files (and `extra` ones, written but not opened) into `folder`. */
  private async writeToFolder(
    code: GenerationSummary,
    folder: vscode.Uri,
    extra: ReadonlyArray<{ readonly name: string; readonly content: string }> = [],
  ): Promise<boolean> {
    const existing: string[] = [];
    for (const file of [...code.files, ...extra]) {
      const stat = await Promise.resolve(
        vscode.workspace.fs.stat(vscode.Uri.joinPath(folder, file.name)),
      ).catch(() => undefined);
      if (stat) existing.push(file.name);
    }
    if (existing.length > 0) {
      const replace = vscode.l10n.t('Replace');
      const answer = await vscode.window.showWarningMessage(
        existing.length === 1
          ? vscode.l10n.t('{0} already exists in {1}.', existing[0] ?? '', folder.fsPath)
          : vscode.l10n.t('{0} already exist in {1}.', existing.join(', '), folder.fsPath),
        {
          modal: true,
          detail: vscode.l10n.t(
            'Replace them with the generated files? Your changes to them would be lost.',
          ),
        },
        replace,
      );
      if (answer !== replace) return false;
    }
    try {
      await vscode.workspace.fs.createDirectory(folder);
      for (const file of [...code.files, ...extra]) {
        await vscode.workspace.fs.writeFile(
          vscode.Uri.joinPath(folder, file.name),
          Buffer.from(file.content, 'utf8'),
        );
      }
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      this.log.warn(`Generate Handler could not write into ${folder.fsPath}: ${reason}`);
      await vscode.window.showErrorMessage(
        vscode.l10n.t(
          'HookLens: could not write the generated files into {0}: {1}',
          folder.fsPath,
          reason,
        ),
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

// Not translated: a file name, and generated code, whose comments are English like the rest of it.
const TSCONFIG = {
  name: 'tsconfig.json',
  content: `// Written by HookLens next to the generated handler: how these files are checked (Node's ES
// modules, strict), so they compile as generated. Fold it into your project's tsconfig if it has one.
{
  "compilerOptions": {
    "target": "ES2022",
    "module": "NodeNext",
    "moduleResolution": "NodeNext",
    "strict": true,
    "noEmit": true,
    "skipLibCheck": true,
    "types": ["node"]
  },
  "include": ["*.ts"]
}
`,
};

/** What the Generate Handler steps have chosen so far. */
interface GenerateChoice {
  readonly ids: readonly string[];
  /** The checklist rows ticked (their labels), so Back shows them ticked again. */
  readonly ticked?: readonly string[];
  readonly provider?: string;
  readonly target?: GenerationTarget;
  readonly destination: 'proposed' | 'folder' | 'untitled';
  readonly proposed?: vscode.Uri;
}

/** `watson-webhook-typescript`: the provider and the language, as a folder name. */
export function proposedFolderName(sender: string, language: string): string {
  return safeFileName(`${sender}-webhook-${language}`.toLowerCase(), 'webhook-handler');
}

/** `name` in `parent`, or `name-2`, `name-3`… when it is taken. */
async function freeFolder(parent: vscode.Uri, name: string): Promise<vscode.Uri> {
  for (let suffix = 1; ; suffix++) {
    const candidate = vscode.Uri.joinPath(parent, suffix === 1 ? name : `${name}-${suffix}`);
    const taken = await Promise.resolve(vscode.workspace.fs.stat(candidate)).then(
      () => true,
      () => false,
    );
    if (!taken) return candidate;
  }
}

/** `message_logged, cdr_logged` for the selection row (at most three named). */
function describeEvents(events: ReadonlyArray<string | null>): string {
  const names = [...new Set(events.map((event) => event ?? vscode.l10n.t('(no event)')))];
  const shown = names.slice(0, 3).map((name) => toSingleLine(name, 40));
  return names.length > 3 ? `${shown.join(', ')} +${names.length - 3}` : shown.join(', ');
}
