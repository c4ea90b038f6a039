// Answers the user chose: a route's own answer (status, headers, a templated body, a delay), and
// failure simulation (fail the next N deliveries, or a percentage, with a chosen status) to see
// how a sender retries, times out or gives up. Every chosen answer is recorded on its delivery.
import * as l10n from '@vscode/l10n';
import type { ChosenAnswer } from './routeRules';

/** What the body template can use, taken from the delivery (its text, never a target). */
export interface AnswerContext {
  readonly id: string;
  readonly event: string | null;
  readonly provider: string;
  /** The parsed JSON body, when it parsed. */
  readonly json: unknown;
}

export interface RenderedAnswer {
  readonly status: number;
  readonly headers: ReadonlyArray<readonly [string, string]>;
  readonly body: string;
  readonly delayMs: number;
}

/**
 * Fills a body template: `{id}`, `{event}`, `{provider}` and `{challenge}` (Slack's
 * url_verification, and any body with a top-level `challenge` string) are inserted JSON-escaped
 * (no quotes added, so `{"challenge":"{challenge}"}` stays valid JSON); `{payload}` is the body's
 * `payload` as JSON (`null` when it has none), so `{"payload":{payload}}` is Watson's echo.
 * Anything else in braces is left as written.
 */
export function fillTemplate(template: string, context: AnswerContext): string {
  const json = typeof context.json === 'object' && context.json !== null ? context.json : undefined;
  const field = (name: string): unknown => (json ? Reflect.get(json, name) : undefined);
  return template.replace(/\{(id|event|provider|challenge|payload)\}/g, (_, name: string) => {
    switch (name) {
      case 'id':
        return escaped(context.id);
      case 'event':
        return escaped(context.event ?? '');
      case 'provider':
        return escaped(context.provider);
      case 'challenge': {
        const challenge = field('challenge');
        return escaped(typeof challenge === 'string' ? challenge : '');
      }
      default: {
        const payload = field('payload');
        return JSON.stringify(payload === undefined ? null : payload);
      }
    }
  });
}

/** The answer as sent: its body filled in, a Content-Type chosen when the rule set none. */
export function renderAnswer(answer: ChosenAnswer, context: AnswerContext): RenderedAnswer {
  const body =
    answer.body === undefined
      ? JSON.stringify({ received: true, id: context.id, answer: 'chosen', status: answer.status })
      : fillTemplate(answer.body, context);
  const hasType = answer.headers.some(([name]) => name.toLowerCase() === 'content-type');
  const type = looksLikeJson(body)
    ? 'application/json; charset=utf-8'
    : 'text/plain; charset=utf-8';
  return {
    status: answer.status,
    headers: hasType ? answer.headers : [['Content-Type', type], ...answer.headers],
    body,
    delayMs: answer.delayMs,
  };
}

function escaped(text: string): string {
  return JSON.stringify(text).slice(1, -1);
}

function looksLikeJson(text: string): boolean {
  const trimmed = text.trim();
  if (!/^[[{]/.test(trimmed)) return false;
  try {
    JSON.parse(trimmed);
    return true;
  } catch {
    return false;
  }
}

// ---- Failure simulation ----

export const DEFAULT_FAILURE_STATUS = 500;
export const MAX_FAIL_NEXT = 1_000_000;

/** Fail the next `count` deliveries, and/or a share of them, with a chosen status. */
export interface FailureSimulation {
  readonly next?: { readonly count: number; readonly status: number };
  readonly rate?: { readonly percent: number; readonly status: number };
}

export type FailureSpecCheck<T> =
  { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: string };

/** `N[:STATUS]`, as `--fail-next` takes it. */
export function parseFailNext(
  text: string,
): FailureSpecCheck<{ readonly count: number; readonly status: number }> {
  const match = /^\s*(\d{1,7})\s*(?::\s*(\d{1,3})\s*)?$/.exec(text);
  const count = match ? Number(match[1]) : Number.NaN;
  if (!match || count < 1 || count > MAX_FAIL_NEXT) {
    return {
      ok: false,
      error: l10n.t(
        "'{0}' is not N[:STATUS]: N is how many deliveries to fail (1 to {1}), e.g. 3 or 3:503",
        text,
        MAX_FAIL_NEXT,
      ),
    };
  }
  const status = statusOf(match[2]);
  return typeof status === 'string'
    ? { ok: false, error: status }
    : { ok: true, value: { count, status } };
}

/** `PERCENT[:STATUS]`, as `--fail-rate` takes it (`25`, `12.5:503`). */
export function parseFailRate(
  text: string,
): FailureSpecCheck<{ readonly percent: number; readonly status: number }> {
  const match = /^\s*(\d{1,3}(?:\.\d{1,3})?)\s*%?\s*(?::\s*(\d{1,3})\s*)?$/.exec(text);
  const percent = match ? Number(match[1]) : Number.NaN;
  if (!match || !(percent > 0) || percent > 100) {
    return {
      ok: false,
      error: l10n.t(
        "'{0}' is not PERCENT[:STATUS]: PERCENT is above 0 and at most 100, e.g. 25 or 25:503",
        text,
      ),
    };
  }
  const status = statusOf(match[2]);
  return typeof status === 'string'
    ? { ok: false, error: status }
    : { ok: true, value: { percent, status } };
}

function statusOf(text: string | undefined): number | string {
  if (text === undefined) return DEFAULT_FAILURE_STATUS;
  const status = Number(text);
  return status >= 400 && status <= 599
    ? status
    : l10n.t('the failure status {0} is out of range: a failure is 400 to 599', text);
}

/** What failure simulation decided for one delivery. */
export interface SimulatedFailure {
  readonly status: number;
  /** `fail-next` or `fail-rate`: the name the delivery's route choice records. */
  readonly name: 'fail-next' | 'fail-rate';
  /** A sentence for the delivery: "Failure simulation: 1 of the next 3 deliveries answered 500." */
  readonly note: string;
}

/** The live state of one simulation: counts down `next`, draws for `rate`. */
export class FailureSimulator {
  private used = 0;

  constructor(
    readonly simulation: FailureSimulation,
    private readonly random: () => number = Math.random,
  ) {}

  /** Deliveries of `next` still to fail. */
  get remaining(): number {
    return Math.max(0, (this.simulation.next?.count ?? 0) - this.used);
  }

  /** True while a delivery may still be failed on purpose. */
  get active(): boolean {
    return this.remaining > 0 || this.simulation.rate !== undefined;
  }

  /** Decides for the next delivery; counts it when it fails by `next`. */
  take(): SimulatedFailure | undefined {
    const next = this.simulation.next;
    if (next && this.used < next.count) {
      this.used++;
      return {
        status: next.status,
        name: 'fail-next',
        note: `Failure simulation: delivery ${this.used} of the next ${next.count} answered ${next.status}.`,
      };
    }
    const rate = this.simulation.rate;
    if (rate && this.random() * 100 < rate.percent) {
      return {
        status: rate.status,
        name: 'fail-rate',
        note: `Failure simulation: answered ${rate.status} (${rate.percent}% of deliveries fail).`,
      };
    }
    return undefined;
  }
}

/** One line for a status bar or a log: "failing the next 3 (500)", "failing 25% (503)". */
export function describeSimulation(simulation: FailureSimulation, remaining?: number): string {
  // In the editor's language (the CLI prints it in English): read by the user, never a model.
  const parts: string[] = [];
  const next = simulation.next;
  if (next) {
    const left = remaining ?? next.count;
    if (left === 1) parts.push(l10n.t('failing the next delivery ({0})', next.status));
    else if (left > 0) parts.push(l10n.t('failing the next {0} ({1})', left, next.status));
  }
  const rate = simulation.rate;
  if (rate) parts.push(l10n.t('failing {0}% ({1})', rate.percent, rate.status));
  const [first, then] = parts;
  return then === undefined ? (first ?? '') : l10n.t('{0}, then {1}', first ?? '', then);
}
