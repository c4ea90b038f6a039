import type { DeliveryRecord } from '../core/delivery';
import type { ExportedDelivery } from '../core/export/exportRecord';
import { presentVerdict } from '../shared/verdicts';
import { toSingleLine } from '../shared/visibleText';

/** One readable line per delivery: time, status, verdict, event, method and path, session, id. */
export function deliveryLine(record: DeliveryRecord): string {
  const time = record.receivedAt.slice(11, 23);
  const status = record.response?.status ?? '---';
  const verdict = toSingleLine(presentVerdict(record.verification.verdict).cli, 30).padEnd(15);
  const event = toSingleLine(record.event ?? '(no event)', 40).padEnd(20);
  const target = toSingleLine(`${record.method} ${record.url}`, 60);
  const session = record.sessionId ? `  session ${toSingleLine(record.sessionId, 40)}` : '';
  const duplicate = record.duplicateOf ? `  retry of ${record.duplicateOf}` : '';
  const parse = record.parseError ? '  (body not JSON)' : '';
  return `${time}  ${status}  ${verdict} ${event} ${target}${session}${duplicate}${parse}  ${record.id}`;
}

/**
 * The same line as `deliveryLine`, for a delivery in the export shape (what `hooklens tail`
 * receives): the status shown is the latest attempt's when there is one, as the export has it.
 */
export function exportedDeliveryLine(delivery: ExportedDelivery): string {
  // Every field goes through toSingleLine: this text came over a socket, not from our own store.
  const time = toSingleLine(delivery.receivedAt.slice(11, 23), 12);
  const status = typeof delivery.status === 'number' ? delivery.status : '---';
  const verdict = toSingleLine(presentVerdict(delivery.verification.verdict).cli, 30).padEnd(15);
  const event = toSingleLine(delivery.event ?? '(no event)', 40).padEnd(20);
  const target = toSingleLine(`${delivery.method} ${delivery.path}`, 60);
  const session = delivery.sessionId ? `  session ${toSingleLine(delivery.sessionId, 40)}` : '';
  const duplicate = delivery.duplicateOf
    ? `  retry of ${toSingleLine(delivery.duplicateOf, 40)}`
    : '';
  const parse = delivery.parseError ? '  (body not JSON)' : '';
  return `${time}  ${status}  ${verdict} ${event} ${target}${session}${duplicate}${parse}  ${toSingleLine(delivery.id, 40)}`;
}

/** What changed, after an updated delivery's line: `  updated: replay 200 (2 attempts)`. */
export function attemptsNote(attempts: {
  readonly count: number;
  readonly latestKind: string | null;
  readonly latestStatus: number | null;
  readonly latestError: string | null;
}): string {
  if (attempts.count === 0) return '  updated';
  const outcome =
    attempts.latestStatus !== null
      ? String(attempts.latestStatus)
      : `failed${attempts.latestError ? ` (${toSingleLine(attempts.latestError, 80)})` : ''}`;
  const plural = attempts.count === 1 ? 'attempt' : 'attempts';
  const kind = toSingleLine(attempts.latestKind ?? 'attempt', 20);
  return `  updated: ${kind} ${outcome} (${attempts.count} ${plural})`;
}

/** A path as the user could paste it into a shell (single-quoted when it needs to be). */
export function shellWord(text: string): string {
  return /^[\w./~:@%+=,-]+$/.test(text) ? text : `'${text.replace(/'/g, `'\\''`)}'`;
}
