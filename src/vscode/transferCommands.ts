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

/** The format pick's rows, said when the pick is shown; a format's name is the same everywhere. */
function formatItems(): Array<{ label: string; detail: string; format: ExportFormat }> {
  const item = (label: string, detail: string, format: ExportFormat) => ({
    label,
    detail,
    format,
  });
  return [
    item(
      'NDJSON',
      vscode.l10n.t('One HookLens delivery per line: easy to grep, diff, and import back.'),
      'ndjson',
    ),
    item('JSON', vscode.l10n.t('One array of HookLens deliveries.'), 'json'),
    item(
      'HAR 1.2',
      vscode.l10n.t('HTTP Archive: opens in browser dev tools, Insomnia, Charles, HTTP Toolkit.'),
      'har',
    ),
  ];
}

/** The save dialog's file types, named by their formats' own names. */
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
      await vscode.window.showInformationMessage(
        vscode.l10n.t('HookLens: there are no deliveries to export.'),
      );
      return;
    }
    const allIds = [...all].reverse().map((summary) => summary.id);
    const partial = selectedIds.length > 0 && selectedIds.length < all.length;
    const title = vscode.l10n.t('HookLens: Export Deliveries');
    const chosen = await runFlow<ExportChoice>(
      [
        {
          // Only a selection that is not everything leaves something to choose.
          applies: () => partial,
          run: async (state, at) => {
            const items = [
              {
                label: vscode.l10n.t('Selected deliveries ({0})', selectedIds.length),
                selected: true,
              },
              { label: vscode.l10n.t('All deliveries ({0})', all.length), selected: false },
            ];
            const result = await pickStep(at, {
              title,
              placeholder: vscode.l10n.t('Which deliveries'),
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
            const formats = formatItems();
            const active = formats.find((item) => item.format === state.format);
            const result = await pickStep(at, {
              title,
              placeholder: vscode.l10n.t('Format'),
              items: formats,
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
                label: vscode.l10n.t('Redact Authorization'),
                detail: vscode.l10n.t(
                  'Recommended: tokens become "Bearer [redacted]". The secret is never exported.',
                ),
                keep: false,
              },
              {
                label: vscode.l10n.t('Keep Authorization tokens'),
                detail: vscode.l10n.t(
                  'For replaying elsewhere. Tokens may still be valid: treat the file as sensitive.',
                ),
                keep: true,
              },
            ];
            const result = await pickStep(at, {
              title,
              placeholder: vscode.l10n.t('Authorization headers'),
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
      title,
      saveLabel: vscode.l10n.t('Export'),
      filters: FILTERS[chosen.format],
      ...(folder ? { defaultUri: vscode.Uri.joinPath(folder, name) } : {}),
    });
    if (!target) return;
    try {
      const count = await vscode.window.withProgress(
        {
          location: vscode.ProgressLocation.Notification,
          title: vscode.l10n.t('HookLens: exporting…'),
        },
        () => this.write(target, ids, chosen.format, chosen.keepAuthorization),
      );
      const openFile = vscode.l10n.t('Open File');
      const action = await vscode.window.showInformationMessage(
        count === 1
          ? vscode.l10n.t('HookLens: exported 1 delivery to {0}.', target.fsPath)
          : vscode.l10n.t('HookLens: exported {0} deliveries to {1}.', count, target.fsPath),
        openFile,
      );
      if (action === openFile) await vscode.window.showTextDocument(target);
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      this.log.error(`Export to ${target.toString()} failed: ${reason}`);
      await vscode.window.showErrorMessage(
        vscode.l10n.t('HookLens: the export failed: {0}', reason),
      );
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
      await vscode.window.showErrorMessage(
        vscode.l10n.t('HookLens: the delivery store is not open.'),
      );
      return;
    }
    const [file] =
      (await vscode.window.showOpenDialog({
        title: vscode.l10n.t('HookLens: Import Deliveries'),
        openLabel: vscode.l10n.t('Import'),
        canSelectMany: false,
        filters: {
          [vscode.l10n.t('Deliveries (NDJSON, JSON, HAR)')]: ['ndjson', 'jsonl', 'json', 'har'],
        },
      })) ?? [];
    if (!file) return;
    const name = file.path.split('/').pop() ?? file.toString();
    try {
      const { size } = await vscode.workspace.fs.stat(file);
      if (size > MAX_IMPORT_FILE_BYTES) {
        throw new ImportError(
          vscode.l10n.t(
            '{0} is {1} MiB; HookLens imports files of up to {2} MiB.',
            name,
            Math.round(size / 1048576),
            MAX_IMPORT_FILE_BYTES / 1048576,
          ),
        );
      }
      const text = Buffer.from(await vscode.workspace.fs.readFile(file)).toString('utf8');
      const analyser = await this.receiver.currentAnalyser();
      const result = await vscode.window.withProgress(
        {
          location: vscode.ProgressLocation.Notification,
          title: vscode.l10n.t('HookLens: importing {0}…', name),
        },
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
      await vscode.window.showErrorMessage(
        vscode.l10n.t('HookLens: nothing was imported. {0}', reason),
      );
    }
  }

  private async reportImport(name: string, result: ImportResult): Promise<void> {
    for (const skip of result.skipped) {
      this.log.warn(
        `Import ${name}: skipped ${skip.entry !== undefined ? `entry ${skip.entry} ` : ''}at line ${skip.line}: ${toSingleLine(skip.reason, 300)}`,
      );
    }
    const imported = result.records.length;
    const format = result.format.toUpperCase();
    const parts = [
      imported === 1
        ? vscode.l10n.t('imported 1 delivery from {0} ({1})', name, format)
        : vscode.l10n.t('imported {0} deliveries from {1} ({2})', imported, name, format),
      ...(result.duplicates > 0
        ? [vscode.l10n.t('{0} already stored (skipped as duplicates)', result.duplicates)]
        : []),
      ...(result.skipped.length > 0
        ? [
            vscode.l10n.t(
              '{0} could not be read (see the log for line numbers)',
              result.skipped.length,
            ),
          ]
        : []),
    ];
    const message = vscode.l10n.t('HookLens: {0}.', parts.join('; '));
    if (result.skipped.length > 0) {
      const showLogs = vscode.l10n.t('Show Logs');
      const action = await vscode.window.showWarningMessage(message, showLogs);
      if (action === showLogs) this.log.show(true);
    } else {
      await vscode.window.showInformationMessage(message);
    }
  }
}
