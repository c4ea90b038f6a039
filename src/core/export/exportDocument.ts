// One export, three formats, written in chunks so a large store never sits in memory as a single
// string. The CLI and the extension both write exports through this.
import { open } from 'node:fs/promises';
import type { DeliveryRecord } from '../delivery';
import { exportDelivery, type ExportOptions } from './exportRecord';
import type { ExportFormat } from './fileNames';
import { harText } from './har';

export interface ExportDocumentOptions extends ExportOptions {
  /** How many stored deliveries repeat each one (the sender's retries), by delivery id. */
  readonly duplicateCounts?: ReadonlyMap<string, number>;
}

export async function* exportChunks(
  records: AsyncIterable<DeliveryRecord> | Iterable<DeliveryRecord>,
  format: ExportFormat,
  options: ExportDocumentOptions = {},
): AsyncGenerator<string> {
  if (format === 'har') {
    yield* harText(records, options);
    return;
  }
  if (format === 'json') yield '[';
  let first = true;
  for await (const record of records) {
    const line = JSON.stringify(
      exportDelivery(record, options.duplicateCounts?.get(record.id) ?? 0, options),
    );
    yield format === 'json' ? `${first ? '\n' : ',\n'}  ${line}` : `${line}\n`;
    first = false;
  }
  if (format === 'json') yield first ? ']\n' : '\n]\n';
}

/** Exports are readable by their owner only, like the store: they hold captured headers. */
export const EXPORT_FILE_MODE = 0o600;

const WRITE_CHUNK_CHARS = 64 * 1024;

/**
 * Writes an export file readable by its owner only (0600, like the store): an export holds
 * captured headers and bodies, and with `keepAuthorization` live tokens. A file that already
 * exists is emptied and made 0600 before anything is written to it. Chunks are written as they
 * come, so a large export never sits in memory whole.
 */
export async function writeExportFile(
  path: string,
  chunks: AsyncIterable<string> | Iterable<string>,
): Promise<void> {
  const handle = await open(path, 'w', EXPORT_FILE_MODE);
  try {
    await handle.chmod(EXPORT_FILE_MODE); // `mode` above applies only to a file it creates.
    // Chunks are one delivery each: gather them into writes of about 64 KiB.
    let pending: string[] = [];
    let pendingLength = 0;
    const flush = async (): Promise<void> => {
      const data = Buffer.from(pending.join(''), 'utf8');
      pending = [];
      pendingLength = 0;
      for (let written = 0; written < data.length;) {
        written += (await handle.write(data, written, data.length - written)).bytesWritten;
      }
    };
    for await (const chunk of chunks) {
      pending.push(chunk);
      pendingLength += chunk.length;
      if (pendingLength >= WRITE_CHUNK_CHARS) await flush();
    }
    await flush();
  } finally {
    await handle.close();
  }
}
