import type { DeliveryRecord } from '../core/delivery';
import { toSingleLine } from '../shared/visibleText';

const VERDICT_LABEL: Record<string, string> = {
  verified: 'verified',
  invalid_signature: 'BAD SIGNATURE',
  expired: 'EXPIRED',
  not_yet_valid: 'NOT YET VALID',
  missing_token: 'NO TOKEN',
  malformed_token: 'MALFORMED TOKEN',
  wrong_algorithm: 'WRONG ALGORITHM',
  secret_match: 'secret header',
  no_secret: 'unverified',
};

/** One readable line per delivery: time, status, verdict, event, method and path, session, id. */
export function deliveryLine(record: DeliveryRecord): string {
  const time = record.receivedAt.slice(11, 23);
  const status = record.response?.status ?? '---';
  const verdict = (
    VERDICT_LABEL[record.verification.verdict] ?? record.verification.verdict
  ).padEnd(15);
  const event = toSingleLine(record.event ?? '(no event)', 40).padEnd(20);
  const target = toSingleLine(`${record.method} ${record.url}`, 60);
  const session = record.sessionId ? `  session ${toSingleLine(record.sessionId, 40)}` : '';
  const duplicate = record.duplicateOf ? `  retry of ${record.duplicateOf}` : '';
  const parse = record.parseError ? '  (body not JSON)' : '';
  return `${time}  ${status}  ${verdict} ${event} ${target}${session}${duplicate}${parse}  ${record.id}`;
}
