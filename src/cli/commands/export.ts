// `hooklens export`: stored deliveries as NDJSON (one object per line), one JSON array, or HAR 1.2.
import { stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import type { DeliveryRecord } from '../../core/delivery';
import { exportChunks, writeExportFile } from '../../core/export/exportDocument';
import { exportFileName, type ExportFormat } from '../../core/export/fileNames';
import type { DeliveryStoreBackend } from '../../core/store/backend';
import type { DeliverySummary } from '../../core/store/types';
import { toSingleLine } from '../../shared/visibleText';
import { CliFailure, UsageError, type CliIo } from '../io';
import { DATABASE_ENV_HELP, openStoreSource, STORE_SOURCE_PARSE_OPTIONS } from '../storeSource';

export const EXPORT_HELP = `Usage: hooklens export --store DIR [--format ndjson|json|har] [options]

Writes stored deliveries, oldest first. Authorization, Cookie and Set-Cookie values are
redacted; the configured secret is never written (it is redacted when a delivery is captured).
NDJSON and JSON bodies are text, or base64 with "bodyEncoding": "base64" when they are not UTF-8.
HAR 1.2 has one entry per delivery, with HookLens's fields (verdict, event, session) in "_hooklens".

Options:
  --store DIR            Delivery store folder (required, or --database-env)
${DATABASE_ENV_HELP}
  --format FORMAT        ndjson (default), json (one array) or har (HAR 1.2)
  --ids ID,ID            Only these deliveries (see the ids in an NDJSON export)
  --out FILE             Write to FILE instead of stdout; a folder gets a dated file name. The
                         file is readable by you only (mode 0600), like the store
  --keep-authorization   Keep Authorization values (tokens) as captured instead of redacting them

Exporting only reads the store: it never changes it, even while a receiver writes to it. The
exit status is 0 only when every byte was written; when the reader of stdout closes the pipe
early (| head) export stops at once with status 141.
`;

const FORMATS: readonly ExportFormat[] = ['ndjson', 'json', 'har'];

export async function exportCommand(args: readonly string[], io: CliIo): Promise<number> {
  const { values } = parseArgs({
    args: [...args],
    options: {
      ...STORE_SOURCE_PARSE_OPTIONS,
      format: { type: 'string', default: 'ndjson' },
      ids: { type: 'string' },
      out: { type: 'string' },
      'keep-authorization': { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
    strict: true,
    allowPositionals: false,
  });
  if (values.help) {
    io.stdout(EXPORT_HELP);
    return 0;
  }
  const format = FORMATS.find((candidate) => candidate === values.format);
  if (format === undefined) {
    throw new UsageError(
      `--format must be ndjson or json (HookLens records) or har (HAR 1.2), not '${toSingleLine(values.format, 40)}'.`,
    );
  }
  const ids = parseIds(values.ids);
  const keepAuthorization = values['keep-authorization'];

  // Only reads: never changes the store, whoever owns it (or nobody).
  const store = await openStoreSource(values, 'read');
  try {
    const summaries = selectedSummaries(store, ids);
    const outPath = values.out === undefined ? undefined : await outputPath(values.out, format);
    let exported = 0;
    async function* records(): AsyncGenerator<DeliveryRecord> {
      for (const summary of summaries) {
        // Deleted or aged out since the list was read: nothing to export for it.
        const record = await store.get(summary.id);
        if (!record) continue;
        exported++;
        yield record;
      }
    }
    const duplicateCounts = new Map(
      summaries.map((summary) => [summary.id, summary.duplicateCount]),
    );
    const chunks = exportChunks(records(), format, { keepAuthorization, duplicateCounts });
    if (outPath === undefined) {
      // Waiting while stdout is backed up keeps a large export from piling up in memory; a
      // closed or failing stdout stops the export at once (OutputError).
      for await (const text of chunks) await io.output.writeAndWait(text);
      return 0;
    }
    try {
      await writeExportFile(outPath, chunks);
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      throw new CliFailure(`Cannot write ${outPath}: ${reason}`);
    }
    io.stderr(`exported ${exported} deliveries to ${outPath}\n`);
    return 0;
  } finally {
    await store.close();
  }
}

export function parseIds(raw: string | undefined): string[] | undefined {
  if (raw === undefined) return undefined;
  const ids = raw
    .split(',')
    .map((id) => id.trim())
    .filter((id) => id !== '');
  if (ids.length === 0) throw new UsageError('--ids needs at least one delivery id.');
  return [...new Set(ids)];
}

/** Oldest first; with `ids`, only those, and every one of them must be stored. */
export function selectedSummaries(
  store: DeliveryStoreBackend,
  ids: string[] | undefined,
): DeliverySummary[] {
  const all = [...store.summaries()].reverse();
  if (ids === undefined) return all;
  const missing = ids.filter((id) => store.summary(id) === undefined);
  if (missing.length > 0) {
    const shown = missing.slice(0, 5).map((id) => toSingleLine(id, 64));
    throw new CliFailure(
      `No delivery with id ${shown.join(', ')}${missing.length > 5 ? ` (and ${missing.length - 5} more)` : ''} in the ${store.location}. Nothing was exported.`,
    );
  }
  const wanted = new Set(ids);
  return all.filter((summary) => wanted.has(summary.id));
}

/** `--out` naming a folder writes a dated file inside it. */
async function outputPath(out: string, format: ExportFormat): Promise<string> {
  const path = resolve(out);
  const info = await stat(path).catch(() => undefined);
  return info?.isDirectory() ? join(path, exportFileName(format, new Date())) : path;
}
