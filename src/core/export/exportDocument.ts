// One export, three formats, written in chunks so a large store never sits in memory as a single
// string. The CLI and the extension both write exports through this.
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
