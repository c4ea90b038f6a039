import type { DeliveryOverview, Verdict } from '../../src/shared/model';
import { h, icon } from './dom';

const VERDICT_ICON: Record<Verdict, string> = {
  verified: 'pass',
  invalid_signature: 'error',
  expired: 'history',
  not_yet_valid: 'watch',
  missing_token: 'circle-slash',
  malformed_token: 'warning',
  wrong_algorithm: 'shield',
  secret_match: 'key',
  no_secret: 'unlock',
};

function row(label: string, value: string | null): HTMLElement {
  return h('tr', {}, h('th', { scope: 'row' }, label), h('td', {}, value ?? '—'));
}

export function renderOverview(delivery: DeliveryOverview): HTMLElement {
  const verdictClass = delivery.verdict === 'verified' ? 'ok' : 'problem';
  return h(
    'section',
    { class: 'overview' },
    h(
      'header',
      {},
      h('h1', {}, delivery.event ?? 'Unknown event'),
      h(
        'p',
        { class: `verdict ${verdictClass}` },
        icon(VERDICT_ICON[delivery.verdict]),
        ` ${delivery.verdictReason}`,
      ),
    ),
    h(
      'table',
      { class: 'fields' },
      h(
        'tbody',
        {},
        row('Webhook ID', delivery.id),
        row('Session ID', delivery.sessionId),
        row('Event', delivery.event),
        row('Endpoint', delivery.endpoint),
        row('HTTP Status', delivery.httpStatus === null ? null : String(delivery.httpStatus)),
        row('Time Taken', delivery.timeTakenMs === null ? null : `${delivery.timeTakenMs} ms`),
        row('Retry Count', String(delivery.retryCount)),
        row('Created Date', new Date(delivery.createdAt).toLocaleString()),
        row('Sender', delivery.sender),
      ),
    ),
  );
}

export function renderEmpty(message: string): HTMLElement {
  return h('section', { class: 'empty' }, icon('inbox'), h('p', {}, message));
}
