// `hooklens export`: every stored delivery as NDJSON (one object per line) or one JSON array.
import { createWriteStream } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { exportDelivery } from '../../core/export/exportRecord';
import { DeliveryStore } from '../../core/store/deliveryStore';
import { CliFailure, UsageError, type CliIo } from '../io';

export const EXPORT_HELP = `Usage: hooklens export --store DIR [--format ndjson|json] [--out FILE]

Writes every stored delivery, oldest first. Authorization values are redacted; bodies are text,
or base64 with "bodyEncoding": "base64" when they are not UTF-8.
`;

export async function exportCommand(args: readonly string[], io: CliIo): Promise<number> {
  const { values } = parseArgs({
    args: [...args],
    options: {
      store: { type: 'string' },
      format: { type: 'string', default: 'ndjson' },
      out: { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
    },
    strict: true,
    allowPositionals: false,
  });
  if (values.help) {
    io.stdout(EXPORT_HELP);
    return 0;
  }
  if (values.store === undefined) throw new UsageError('--store DIR is required.');
  if (values.format !== 'ndjson' && values.format !== 'json') {
    throw new UsageError(
      `--format must be ndjson or json, not '${values.format}' (HAR arrives with import/export).`,
    );
  }
  // Opening a store another process owns is fine: this only reads (viewer mode).
  const store = await DeliveryStore.open(resolve(values.store));
  try {
    const out = values.out === undefined ? undefined : createWriteStream(resolve(values.out));
    const write = (text: string): void => {
      if (out) out.write(text);
      else io.stdout(text);
    };
    const summaries = [...store.summaries()].reverse();
    if (values.format === 'json') write('[');
    let first = true;
    for (const summary of summaries) {
      const record = await store.get(summary.id);
      if (!record) continue;
      const line = JSON.stringify(exportDelivery(record, summary.duplicateCount));
      if (values.format === 'json') {
        write(`${first ? '\n' : ',\n'}  ${line}`);
      } else {
        write(`${line}\n`);
      }
      first = false;
    }
    if (values.format === 'json') write(first ? ']\n' : '\n]\n');
    if (out) {
      await new Promise<void>((done, fail) =>
        out.end((error?: Error | null) => (error ? fail(new CliFailure(error.message)) : done())),
      );
      io.stderr(`exported ${summaries.length} deliveries to ${resolve(values.out ?? '')}\n`);
    }
    return 0;
  } finally {
    await store.close();
  }
}
