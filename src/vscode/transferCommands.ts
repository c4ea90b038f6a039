import * as vscode from 'vscode';
import type { DeliveryRecord } from '../core/delivery';
import { exportChunks, writeExportFile } from '../core/export/exportDocument';
import { exportFileName, type ExportFormat } from '../core/export/fileNames';
import {
  ImportError,
  importIntoStore,
  MAX_IMPORT_FILE_BYTES,
  type ImportResult,
} from '../core/export/importRecords';
import { toSingleLine } from '../shared/visibleText';
import { pickStep, type PickResult } from './multiStep';
import type { ReceiverController } from './receiverController';
import { runFlow, type StepOutcome } from './stepFlow';

const FORMATS: ReadonlyArray<{ label: string; detail: string; format: ExportFormat }> = [
  {
    label: 'NDJSON',
    detail: 'One HookLens delivery per line: easy to grep, diff, and import back.',
    format: 'ndjson',
  },
  { label: 'JSON', detail: 'One array of HookLens deliveries.', format: 'json' },
  {
    label: 'HAR 1.2',
    detail: 'HTTP Archive: opens in browser dev tools, Insomnia, Charles, HTTP Toolkit.',
    format: 'har',
  },
];

const FILTERS: Record<ExportFormat, Record<string, string[]>> = {
  ndjson: { NDJSON: ['ndjson', 'jsonl'] },
  json: { JSON: ['json'] },
  har: { 'HTTP Archive': ['har'] },
};

/** What the Export steps have chosen so far. */
interface ExportChoice {
  readonly selectedOnly: boolean;
  readonly format: ExportFormat;
  readonly keepAuthorization: boolean;
}

/** A pick that did not choose a row ends the step: Back goes back, anything else cancels. */
function stop<S>(result: PickResult<unknown>): StepOutcome<S> {
  return result.kind === 'back' ? result : { kind: 'cancel' };
}

/** Export (JSON, NDJSON, HAR) and import (NDJSON, JSON, HAR) between the store and files. */
export class TransferCommands {
  constructor(
    private readonly receiver: ReceiverController,
    private readonly log: vscode.LogOutputChannel,
  ) {}

  async export(selectedIds: readonly string[]): Promise<void> {
    await this.receiver.ready;
    const all = this.receiver.deliveries;
    if (all.length === 0) {
      await vscode.window.showInformationMessage('HookLens: there are no deliveries to export.');
      return;
    }
    const allIds = [...all].reverse().map((summary) => summary.id);
    const partial = selectedIds.length > 0 && selectedIds.length < all.length;
    const title = 'HookLens: Export Deliveries';
    const chosen = await runFlow<ExportChoice>(
      [
        {
          // Only a selection that is not everything leaves something to choose.
          applies: () => partial,
          run: async (state, at) => {
            const items = [
              { label: `Selected deliveries (${selectedIds.length})`, selected: true },
              { label: `All deliveries (${all.length})`, selected: false },
            ];
            const result = await pickStep(at, {
              title,
              placeholder: 'Which deliveries',
              items,
              ...(state.selectedOnly ? {} : { active: items[1] }),
            });
            if (result.kind !== 'picked') return stop(result);
            return {
              kind: 'next',
              state: { ...state, selectedOnly: result.items[0]?.selected ?? true },
            };
          },
        },
        {
          run: async (state, at) => {
            const active = FORMATS.find((item) => item.format === state.format);
            const result = await pickStep(at, {
              title,
              placeholder: 'Format',
              items: FORMATS,
              ...(active ? { active } : {}),
            });
            if (result.kind !== 'picked') return stop(result);
            return {
              kind: 'next',
              state: { ...state, format: result.items[0]?.format ?? 'ndjson' },
            };
          },
        },
        {
          run: async (state, at) => {
            const items = [
              {
                label: 'Redact Authorization',
                detail:
                  'Recommended: tokens become "Bearer [redacted]". The secret is never exported.',
                keep: false,
              },
              {
                label: 'Keep Authorization tokens',
                detail:
                  'For replaying elsewhere. Tokens may still be valid: treat the file as sensitive.',
                keep: true,
              },
            ];
            const result = await pickStep(at, {
              title,
              placeholder: 'Authorization headers',
              items,
              ...(state.keepAuthorization ? { active: items[1] } : {}),
            });
            if (result.kind !== 'picked') return stop(result);
            return {
              kind: 'next',
              state: { ...state, keepAuthorization: result.items[0]?.keep ?? false },
            };
          },
        },
      ],
      { selectedOnly: partial, format: 'ndjson', keepAuthorization: false },
    );
    if (!chosen) return;
    const ids = partial && chosen.selectedOnly ? selectedIds : allIds;
    const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
    const name = exportFileName(chosen.format, new Date());
    const target = await vscode.window.showSaveDialog({
      title: 'HookLens: Export Deliveries',
      saveLabel: 'Export',
      filters: FILTERS[chosen.format],
      ...(folder ? { defaultUri: vscode.Uri.joinPath(folder, name) } : {}),
    });
    if (!target) return;
    try {
      const count = await vscode.window.withProgress(
        { location: vscode.ProgressLocation.Notification, title: 'HookLens: exporting…' },
        () => this.write(target, ids, chosen.format, chosen.keepAuthorization),
      );
      const action = await vscode.window.showInformationMessage(
        `HookLens: exported ${count} ${count === 1 ? 'delivery' : 'deliveries'} to ${target.fsPath}.`,
        'Open File',
      );
      if (action === 'Open File') await vscode.window.showTextDocument(target);
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      this.log.error(`Export to ${target.toString()} failed: ${reason}`);
      await vscode.window.showErrorMessage(`HookLens: the export failed: ${reason}`);
    }
  }

  private async write(
    target: vscode.Uri,
    ids: readonly string[],
    format: ExportFormat,
    keepAuthorization: boolean,
  ): Promise<number> {
    let count = 0;
    const receiver = this.receiver;
    async function* records(): AsyncGenerator<DeliveryRecord> {
      for (const id of ids) {
        const record = await receiver.get(id);
        if (!record) continue; // Deleted while exporting: export what is still there.
        count++;
        yield record;
      }
    }
    const duplicateCounts = new Map(
      ids.map((id) => [id, this.receiver.summary(id)?.duplicateCount ?? 0]),
    );
    const chunks = exportChunks(records(), format, { keepAuthorization, duplicateCounts });
    if (target.scheme === 'file') {
      // Streamed (a store of hundreds of megabytes never becomes one string), and readable by
      // the user only, like the store: an export can hold live tokens.
      await writeExportFile(target.fsPath, chunks);
    } else {
      const parts: string[] = [];
      for await (const chunk of chunks) parts.push(chunk);
      await vscode.workspace.fs.writeFile(target, Buffer.from(parts.join(''), 'utf8'));
    }
    return count;
  }

  async import(): Promise<void> {
    await this.receiver.ready;
    const store = this.receiver.deliveryStore;
    if (!store) {
      await vscode.window.showErrorMessage('HookLens: the delivery store is not open.');
      return;
    }
    const [file] =
      (await vscode.window.showOpenDialog({
        title: 'HookLens: Import Deliveries',
        openLabel: 'Import',
        canSelectMany: false,
        filters: { 'Deliveries (NDJSON, JSON, HAR)': ['ndjson', 'jsonl', 'json', 'har'] },
      })) ?? [];
    if (!file) return;
    const name = file.path.split('/').pop() ?? file.toString();
    try {
      const { size } = await vscode.workspace.fs.stat(file);
      if (size > MAX_IMPORT_FILE_BYTES) {
        throw new ImportError(
          `${name} is ${Math.round(size / 1048576)} MiB; HookLens imports files of up to ${MAX_IMPORT_FILE_BYTES / 1048576} MiB.`,
        );
      }
      const text = Buffer.from(await vscode.workspace.fs.readFile(file)).toString('utf8');
      const analyser = await this.receiver.currentAnalyser();
      const result = await vscode.window.withProgress(
        { location: vscode.ProgressLocation.Notification, title: `HookLens: importing ${name}…` },
        () =>
          importIntoStore(store, text, {
            fileName: name,
            analyser,
          }),
      );
      await this.reportImport(name, result);
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      this.log.error(`Import of ${file.toString()} failed: ${reason}`);
      await vscode.window.showErrorMessage(`HookLens: nothing was imported. ${reason}`);
    }
  }

  private async reportImport(name: string, result: ImportResult): Promise<void> {
    for (const skip of result.skipped) {
      this.log.warn(
        `Import ${name}: skipped ${skip.entry !== undefined ? `entry ${skip.entry} ` : ''}at line ${skip.line}: ${toSingleLine(skip.reason, 300)}`,
      );
    }
    const parts = [
      `imported ${result.records.length} ${result.records.length === 1 ? 'delivery' : 'deliveries'} from ${name} (${result.format.toUpperCase()})`,
      ...(result.duplicates > 0
        ? [`${result.duplicates} already stored (skipped as duplicates)`]
        : []),
      ...(result.skipped.length > 0
        ? [`${result.skipped.length} could not be read (see the log for line numbers)`]
        : []),
    ];
    const message = `HookLens: ${parts.join('; ')}.`;
    if (result.skipped.length > 0) {
      const action = await vscode.window.showWarningMessage(message, 'Show Logs');
      if (action === 'Show Logs') this.log.show(true);
    } else {
      await vscode.window.showInformationMessage(message);
    }
  }
}
