// `hooklens import FILE`: deliveries from a HookLens export (NDJSON or JSON) or a HAR file into a
// store. Deliveries already stored are skipped and counted; bad entries are reported by line.
import { readFile, stat } from 'node:fs/promises';
import { basename, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import {
  ImportError,
  MAX_IMPORT_FILE_BYTES,
  parseImport,
  storeImported,
  type ImportSkip,
} from '../../core/export/importRecords';
import { RequestAnalyser } from '../../core/analysis/analyseRequest';
import type { DeliveryInput } from '../../core/store/types';
import type { DeliveryStoreBackend } from '../../core/store/backend';
import { toSingleLine } from '../../shared/visibleText';
import { CliFailure, UsageError, type CliIo } from '../io';
import { openStoreSource, STORE_SOURCE_PARSE_OPTIONS } from '../storeSource';
import {
  VERIFICATION_HELP,
  VERIFICATION_PARSE_OPTIONS,
  verificationSetup,
} from '../verificationOptions';

export const IMPORT_HELP = `Usage: hooklens import FILE --store DIR [--evict-oldest] [--secret-env NAME]

Adds the deliveries in FILE (a hooklens export as NDJSON or JSON, or a HAR file) to the store.
A delivery whose id is already stored, or with the same body, method and URL as a stored one,
is skipped as a duplicate. Imported deliveries keep the verdict they had when captured; they are
not verified again. Entries that cannot be read are reported with their line and skipped; the
rest are imported. Exits 0 when every entry was imported or was a duplicate, 1 otherwise.

The store keeps the limits its owner set (hooklens listen --max-deliveries, else 10,000
deliveries and 512 MiB). When the imported deliveries would not fit, import says how many of the
oldest stored deliveries it would remove and imports nothing, unless --evict-oldest is given.

Options:
  --store DIR         Delivery store folder (required; not while another process owns it)
  --database-env NAME Import into the team store on PostgreSQL instead: NAME is the environment
                      variable holding its URL (postgres://USER:PASSWORD@HOST:5432/hooklens)
  --evict-oldest      Import even when that removes the oldest stored deliveries

Any header or query parameter that carries a configured secret (see --secret-env below) is
stored redacted, and deliveries are recognised with the same providers and pointers as listen.

${VERIFICATION_HELP}`;

/** More than this many skipped entries are summarised, not listed one by one. */
const LISTED_SKIPS = 20;

export async function importCommand(args: readonly string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseArgs({
    args: [...args],
    options: {
      ...STORE_SOURCE_PARSE_OPTIONS,
      'evict-oldest': { type: 'boolean', default: false },
      ...VERIFICATION_PARSE_OPTIONS,
      help: { type: 'boolean', short: 'h', default: false },
    },
    strict: true,
    allowPositionals: true,
  });
  if (values.help) {
    io.stdout(IMPORT_HELP);
    return 0;
  }
  if (positionals.length === 0) throw new UsageError('Name the file to import.');
  if (positionals.length > 1) {
    throw new UsageError(`Import one file at a time (got ${positionals.length}).`);
  }
  const storeValues = { store: values.store, 'database-env': values['database-env'] };
  if (storeValues.store === undefined && storeValues['database-env'] === undefined)
    throw new UsageError('--store DIR is required (or --database-env NAME for the team store).');
  const file = resolve(positionals[0] ?? '');
  const shownFile = toSingleLine(positionals[0] ?? '', 200);

  const { analysis } = verificationSetup(values, io);
  const analyser = new RequestAnalyser(analysis);

  const text = await readImportFile(file, shownFile);
  // Read before the store is opened: a file that cannot be imported leaves no new store behind.
  const parsed = guarded(() =>
    parseImport(text, {
      fileName: basename(file),
      analyser,
    }),
  );
  // Opened without limits: it keeps to the ones recorded in the store and removes nothing at open.
  const store = await openStoreSource(storeValues, 'write');
  try {
    let evicting = 0;
    if (store.mode === 'owner') {
      const plan = store.evictionIfAdded(await newDeliveries(store, parsed.records));
      evicting = plan.evicted.length;
      if (evicting > 0 && !values['evict-oldest']) {
        throw new CliFailure(wouldEvictMessage(store, plan, shownFile));
      }
    }
    const result = await storeImported(store, parsed);
    if (evicting > 0) {
      io.stderr(
        `removed the ${plural(evicting, 'oldest delivery', 'oldest deliveries')} to make room (--evict-oldest; the store keeps at most ${limitText(store.retention)})\n`,
      );
    }
    for (const skip of result.skipped.slice(0, LISTED_SKIPS)) {
      io.stderr(`${shownFile}:${describeSkip(skip)}\n`);
    }
    if (result.skipped.length > LISTED_SKIPS) {
      io.stderr(
        `… and ${result.skipped.length - LISTED_SKIPS} more entries that could not be read\n`,
      );
    }
    const parts = [`imported ${plural(result.records.length, 'delivery', 'deliveries')}`];
    if (result.duplicates > 0) {
      parts.push(`skipped ${plural(result.duplicates, 'duplicate', 'duplicates')}`);
    }
    if (result.skipped.length > 0) {
      parts.push(
        `skipped ${plural(result.skipped.length, 'unreadable entry', 'unreadable entries')}`,
      );
    }
    io.stdout(`${parts.join(', ')} from ${shownFile} (${result.format}) into ${store.location}\n`);
    return result.skipped.length > 0 ? 1 : 0;
  } catch (error) {
    if (error instanceof ImportError) throw new CliFailure(error.message);
    throw error;
  } finally {
    await store.close();
  }
}

/**
 * The deliveries import would add: not stored under their id, and not a stored delivery's body,
 * method and URL again (the duplicate rule `storeImported` applies).
 */
async function newDeliveries(
  store: DeliveryStoreBackend,
  records: readonly DeliveryInput[],
): Promise<DeliveryInput[]> {
  const byShape = new Map<string, string[]>();
  for (const summary of store.summaries()) {
    const key = `${summary.method}\n${summary.bodySize}\n${summary.url}`;
    const ids = byShape.get(key);
    if (ids) ids.push(summary.id);
    else byShape.set(key, [summary.id]);
  }
  const hashes = new Map<string, string | undefined>();
  const fresh: DeliveryInput[] = [];
  for (const record of records) {
    if (store.summary(record.id) !== undefined) continue;
    let same = false;
    for (const id of byShape.get(`${record.method}\n${record.bodySize}\n${record.url}`) ?? []) {
      if (!hashes.has(id)) hashes.set(id, (await store.get(id).catch(() => undefined))?.bodySha256);
      if (hashes.get(id) === record.bodySha256) {
        same = true;
        break;
      }
    }
    if (!same) fresh.push(record);
  }
  return fresh;
}

function wouldEvictMessage(
  store: DeliveryStoreBackend,
  plan: ReturnType<DeliveryStoreBackend['evictionIfAdded']>,
  shownFile: string,
): string {
  const first = plan.evicted[0];
  const last = plan.evicted.at(-1);
  const span = first && last ? `, received ${first.receivedAt} to ${last.receivedAt}` : '';
  const alsoImported =
    plan.addedEvicted > 0
      ? ` (and ${plural(plan.addedEvicted, 'of the imported deliveries', 'of the imported deliveries')} would not be kept either)`
      : '';
  return (
    `Importing ${shownFile} into the ${store.location} would remove the ${plural(plan.evicted.length, 'oldest stored delivery', 'oldest stored deliveries')}${span}${alsoImported}: ` +
    `the store keeps at most ${limitText(store.retention)} and holds ${plural(store.size, 'delivery', 'deliveries')}. ` +
    `Nothing was imported. Run again with --evict-oldest to import and remove them, or give the store a larger limit first (hooklens listen --store DIR --max-deliveries N records it).`
  );
}

function limitText(limits: { readonly maxDeliveries: number; readonly maxBytes: number }): string {
  const mib = Math.round(limits.maxBytes / (1024 * 1024));
  return `${plural(limits.maxDeliveries, 'delivery', 'deliveries')} and ${mib.toLocaleString('en-US')} MiB`;
}

function guarded<T>(read: () => T): T {
  try {
    return read();
  } catch (error) {
    if (error instanceof ImportError) throw new CliFailure(error.message);
    throw error;
  }
}

/** Reads FILE as UTF-8 text, refusing what is missing, not a file, too large or not text. */
async function readImportFile(file: string, shown: string): Promise<string> {
  const info = await stat(file).catch((error: NodeJS.ErrnoException) => {
    throw new CliFailure(
      error.code === 'ENOENT'
        ? `${shown}: no such file.`
        : `${shown}: cannot be read (${error.code ?? error.message}).`,
    );
  });
  if (!info.isFile()) throw new CliFailure(`${shown} is not a file.`);
  if (info.size > MAX_IMPORT_FILE_BYTES) {
    throw new CliFailure(
      `${shown} is ${Math.ceil(info.size / (1024 * 1024))} MiB; HookLens imports files of up to ${MAX_IMPORT_FILE_BYTES / (1024 * 1024)} MiB. Split it and import the parts.`,
    );
  }
  const bytes = await readFile(file).catch((error: NodeJS.ErrnoException) => {
    throw new CliFailure(`${shown}: cannot be read (${error.code ?? error.message}).`);
  });
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new CliFailure(
      `${shown} is not UTF-8 text, so it is not a HookLens export or a HAR file. Nothing was imported.`,
    );
  }
}

function describeSkip(skip: ImportSkip): string {
  const where = skip.line > 0 ? `${skip.line}` : '?';
  const entry = skip.entry === undefined ? '' : ` (entry ${skip.entry})`;
  return `${where}: skipped${entry}: ${skip.reason}`;
}

function plural(count: number, one: string, many: string): string {
  return `${count.toLocaleString('en-US')} ${count === 1 ? one : many}`;
}
