// A delivery's outcome: did it reach the developer's handler? This is a different fact from its
// verification (who sent it), and every surface shows both: a row's icon is the worse of the two,
// its description leads with the status the sender was answered and says when the handler was
// down; the panel's header says "502 · handler down" next to "Verified"; the badge and the status
// bar count failures. Pure, so the tree, the panel, the status bar and tests share one reading.
// The words are in the editor's language through @vscode/l10n (English in the CLI); agent tools
// ask for English (shared/translation.ts).
import * as l10n from '@vscode/l10n';
import type { Translation } from '../../shared/translation';
import type { Attempt, DeliveryRecord, RouteChoice } from '../delivery';
import type { DeliverySummary, ForwardSummary } from '../store/types';

/** What the outcome is read from (a summary or a record give the same facts). */
export interface OutcomeFacts {
  /** What the sender was answered (the handler's answer when forwarding), null before that. */
  readonly senderStatus: number | null;
  /** The latest forward to the handler, null when the delivery was not forwarded. */
  readonly forward: ForwardSummary | null;
  /** The latest replay, null when it was never replayed. */
  readonly replay: ForwardSummary | null;
  /** The route taken or the answer the user chose, when one applied. */
  readonly route?: RouteChoice | null;
}

export type OutcomeKind =
  /** The sender was answered 2xx/3xx/4xx by HookLens, or the handler took it. */
  | 'delivered'
  /** No answer on record: a forward in flight, or its outcome never recorded (HookLens stopped). */
  | 'pending'
  /** Forwarded, and nothing answered: refused, reset or unreachable (the sender got 502). */
  | 'handler-down'
  /** Forwarded, and the handler did not answer in time (the sender got 504). */
  | 'handler-timeout'
  /** Forwarded, and the handler answered 5xx. */
  | 'handler-error'
  /** Forwarded, and the handler answered another non-2xx (a 404 route, its own 401). */
  | 'handler-rejected'
  /** The sender was answered 5xx with no forward (HookLens itself could not take it). */
  | 'server-error'
  /** The latest replay failed (after a delivery that was fine). */
  | 'replay-failed'
  /** The handler failed at first, and a later replay reached it. */
  | 'recovered'
  /** The sender got an answer the user chose (a route's own answer, failure simulation). */
  | 'chosen';

export interface DeliveryOutcome {
  readonly kind: OutcomeKind;
  /** True when the delivery did not reach the handler: counted in badges and the status bar. */
  readonly failed: boolean;
  /** The status to lead with: the sender's, else the latest attempt's. */
  readonly status: number | null;
  /** Two or three words after the status ("handler down"); null when all is well. */
  readonly words: string | null;
  /** One sentence for tooltips and the panel. */
  readonly sentence: string;
}

function isOk(status: number | null): boolean {
  return status !== null && status >= 200 && status < 300;
}

/** The facts from a store summary (hand-written summaries without the newer fields too). */
export function outcomeFactsOfSummary(summary: DeliverySummary): OutcomeFacts {
  return {
    senderStatus:
      summary.senderStatus !== undefined
        ? summary.senderStatus
        : summary.attemptCount === 0
          ? summary.status
          : null,
    forward: summary.forward ?? null,
    replay: summary.replay ?? null,
    route: summary.route ?? null,
  };
}

/** The facts from a stored record. */
export function outcomeFactsOfRecord(record: DeliveryRecord): OutcomeFacts {
  return {
    senderStatus: typeof record.response?.status === 'number' ? record.response.status : null,
    forward: latestOf(record.attempts, 'forward'),
    replay: latestOf(record.attempts, 'replay'),
    route: record.route ?? null,
  };
}

/** The latest attempt of a kind, as a summary; null when there is none. */
export function latestOf(
  attempts: readonly Attempt[],
  kind: Attempt['kind'],
): ForwardSummary | null {
  for (let i = attempts.length - 1; i >= 0; i--) {
    const attempt = attempts[i];
    if (attempt?.kind !== kind) continue;
    const status = typeof attempt.status === 'number' ? attempt.status : null;
    return {
      status,
      timeMs: typeof attempt.timeMs === 'number' ? attempt.timeMs : null,
      ok: isOk(status),
      ...(typeof attempt.at === 'string' ? { at: attempt.at } : {}),
      ...(typeof attempt.target === 'string' ? { target: attempt.target } : {}),
    };
  }
  return null;
}

/** Which case of the outcome applies; the words for it are made only when they are shown. */
type OutcomeCase =
  | 'handler-failed'
  | 'recovered'
  | 'chosen'
  | 'server-error'
  | 'replay-failed'
  | 'pending'
  | 'delivered';

function outcomeCase(facts: OutcomeFacts): OutcomeCase {
  const { forward, replay } = facts;
  if (forward !== null && !forward.ok) return replay?.ok === true ? 'recovered' : 'handler-failed';
  const route = facts.route;
  if (forward === null && route && (route.kind === 'answer' || route.kind === 'simulated')) {
    // Chosen on purpose: shown (so nobody forgets it is on), never counted as a failure.
    return 'chosen';
  }
  const status = facts.senderStatus ?? forward?.status ?? null;
  if (forward === null && status !== null && status >= 500) return 'server-error';
  if (replay !== null && !replay.ok) return 'replay-failed';
  return status === null ? 'pending' : 'delivered';
}

/**
 * The outcome's `failed`, without its words: the tree, the Health view and the replay offer ask
 * it of every stored delivery at each refresh, and making the whole outcome (its sentences) for
 * 100,000 of them took about 40 ms.
 */
export function failsToReachHandler(summary: DeliverySummary): boolean {
  const which = outcomeCase(outcomeFactsOfSummary(summary));
  return which === 'handler-failed' || which === 'server-error' || which === 'replay-failed';
}

/** The outcome, its words in the editor's language or the one `language` says. */
export function deliveryOutcome(
  facts: OutcomeFacts,
  language: Translation = l10n,
): DeliveryOutcome {
  return outcomeIn(facts, language);
}

function outcomeIn(facts: OutcomeFacts, l10n: Translation): DeliveryOutcome {
  const { forward, replay, route } = facts;
  const status = facts.senderStatus ?? forward?.status ?? null;
  switch (outcomeCase(facts)) {
    case 'handler-failed':
    case 'recovered': {
      // outcomeCase: a forward that did not reach the handler.
      const failure = handlerFailure(forward as ForwardSummary, facts.senderStatus, l10n);
      if (replay === null || !replay.ok) return { ...failure, failed: true, status };
      return {
        kind: 'recovered',
        failed: false,
        status,
        words: replay.status === null ? l10n.t('replayed') : l10n.t('replayed {0}', replay.status),
        sentence:
          replay.status === null
            ? l10n.t('{0} A later replay reached it (no status).', failure.sentence)
            : l10n.t('{0} A later replay reached it ({1}).', failure.sentence, replay.status),
      };
    }
    case 'chosen':
      return {
        kind: 'chosen',
        failed: false,
        status,
        words: route?.kind === 'simulated' ? l10n.t('simulated failure') : l10n.t('chosen answer'),
        sentence:
          route?.note ??
          (route?.kind === 'simulated'
            ? l10n.t('Failure simulation answered {0}.', status ?? '—')
            : l10n.t('Route {0} answered {1} by itself.', route?.name ?? '', status ?? '—')),
      };
    case 'server-error':
      return {
        kind: 'server-error',
        failed: true,
        status,
        words: l10n.t('not taken'),
        sentence: l10n.t(
          'The sender was answered {0}: HookLens could not take the delivery.',
          status ?? '—',
        ),
      };
    case 'replay-failed':
      return {
        kind: 'replay-failed',
        failed: true,
        status,
        words:
          replay === null || replay.status === null
            ? l10n.t('replay failed')
            : l10n.t('replay {0}', replay.status),
        sentence:
          replay === null || replay.status === null
            ? l10n.t('The latest replay got no answer: is your handler running?')
            : l10n.t('The latest replay was answered {0}.', replay.status),
      };
    case 'pending':
      // A forwarded delivery is stored before the forward, with no answer yet; the handler's
      // answer and the attempt are recorded after the sender got it (issue 15). Still none: the
      // forward is in flight, or HookLens stopped before recording its outcome.
      return {
        kind: 'pending',
        failed: false,
        status,
        words: l10n.t('forward outcome not recorded'),
        sentence: l10n.t(
          'Forward outcome not recorded: the delivery was stored before it was forwarded, and the answer was not recorded (HookLens stopped first, or the forward is still in flight).',
        ),
      };
    case 'delivered':
      return {
        kind: 'delivered',
        failed: false,
        status,
        words: null,
        sentence:
          forward !== null
            ? l10n.t('Your handler took it ({0}).', forward.status ?? status ?? '—')
            : l10n.t('The sender was answered {0}.', status ?? '—'),
      };
  }
}

function handlerFailure(
  forward: ForwardSummary,
  senderStatus: number | null,
  l10n: Translation,
): Omit<DeliveryOutcome, 'failed' | 'status'> {
  if (forward.status === null) {
    return senderStatus === 504
      ? {
          kind: 'handler-timeout',
          words: l10n.t('handler timed out'),
          sentence: l10n.t('Your handler did not answer in time; the sender was answered 504.'),
        }
      : {
          kind: 'handler-down',
          words: l10n.t('handler down'),
          sentence: l10n.t(
            'Your handler could not be reached; the sender was answered {0}.',
            senderStatus ?? 502,
          ),
        };
  }
  return forward.status >= 500
    ? {
        kind: 'handler-error',
        words: l10n.t('handler error'),
        sentence: l10n.t('Your handler answered {0}.', forward.status),
      }
    : {
        kind: 'handler-rejected',
        words: l10n.t('handler rejected'),
        sentence: l10n.t('Your handler answered {0}, not 2xx.', forward.status),
      };
}
