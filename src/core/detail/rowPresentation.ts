// What a Deliveries row and a group row say: pure, so the words are tested without VS Code and the
// tree only maps them to TreeItems. A row leads with what tells it apart (its headline, else its
// event), then the status the sender was answered, what went wrong on the way to the handler, and
// a short time that survives a narrow side bar. The icon is the worse of verification and
// delivery; the tooltip says both facts once each. The words are in the editor's language
// through @vscode/l10n (English in the CLI); payload text (headlines, events, URLs) stays as it is.
import * as l10n from '@vscode/l10n';
import type { GroupBy } from '../deliveries/deliveryView';
import { endpointOf } from '../deliveries/deliveryView';
import { providerLabel } from '../providers/registry';
import type { DeliverySummary } from '../store/types';
import { isFailedVerdict, presentVerdict, SIMULATED_FAILURE } from '../../shared/verdicts';
import { toSingleLine } from '../../shared/visibleText';
import {
  deliveryOutcome,
  failsToReachHandler,
  outcomeFactsOfSummary,
  type DeliveryOutcome,
} from './outcome';
import { deliveriesCount } from '../../shared/words';
import { displayLocale } from '../displayLocale';

export type RowTone = 'ok' | 'warning' | 'error';

export interface RowPresentation {
  readonly label: string;
  readonly description: string;
  /** A codicon name. */
  readonly icon: string;
  readonly tone: RowTone;
  /** Plain text, one fact per line ("Event: push"). */
  readonly tooltip: string;
  /** The same facts for a Markdown hover: labels bold, every value escaped (see hoverMarkdown). */
  readonly hover: readonly HoverLine[];
  readonly accessibilityLabel: string;
  readonly outcome: DeliveryOutcome;
}

export interface RowOptions {
  /** The tree's grouping: under event groups a row does not repeat the event. */
  readonly groupBy: GroupBy;
  readonly now: number;
}

export function presentRow(summary: DeliverySummary, options: RowOptions): RowPresentation {
  const outcome = deliveryOutcome(outcomeFactsOfSummary(summary));
  const verdict = presentVerdict(summary.verdict);
  const verdictFailed = isFailedVerdict(summary.verdict);
  const received = Date.parse(summary.receivedAt);
  const headline = summary.headline?.trim() ? summary.headline : null;
  const what = summary.event ?? `${summary.method} ${endpointOf(summary.url)}`;
  // Under an event group the group says the event: a row without a headline shows its time.
  const timeIsLabel = headline === null && options.groupBy === 'event' && summary.event !== null;
  const label = headline ?? (timeIsLabel ? clockTime(received, true) : what);
  const replays = summary.replayCount;
  const route = summary.route;
  const description = [
    String(outcome.status ?? '—'),
    outcome.words,
    // Which handler it went to, when a route chose it (a chosen answer says so in its words).
    route?.kind === 'forward' ? `→ ${toSingleLine(route.name, 24)}` : null,
    // A failed verdict the icon already shows; its word helps when colours do not.
    verdictFailed && !outcome.failed ? verdict.words : null,
    replays > 0 ? `↻${replays}` : null,
    summary.duplicateOf ? l10n.t('sender retry') : null,
    timeIsLabel ? null : shortTime(received, options.now),
  ]
    .filter((part): part is string => part !== null)
    .join(' · ');
  // A failure answered on purpose (failure simulation, a route's 4xx/5xx) is not counted as
  // failed, but the row must not wear the verdict's check or "not verified" icon either.
  const chosenFailure =
    outcome.kind === 'chosen' && outcome.status !== null && outcome.status >= 400;
  const [icon, tone]: [string, RowTone] = verdictFailed
    ? [verdict.icon, 'error']
    : outcome.failed
      ? ['warning', 'error']
      : chosenFailure
        ? [SIMULATED_FAILURE.icon, 'error']
        : [verdict.icon, verdict.severity === 'ok' ? 'ok' : 'warning'];
  const hover = [
    { text: headline ?? what },
    { label: l10n.t('Event'), text: summary.event ?? '—' },
    { label: l10n.t('Endpoint'), text: `${summary.method} ${summary.url}` },
    { label: l10n.t('Sender'), text: providerLabel(summary.sender) },
    { label: l10n.t('Received'), text: new Date(received).toLocaleString(displayLocale()) },
    {
      label: l10n.t('Answered'),
      text:
        summary.timeMs === null || summary.attemptCount > 0
          ? String(outcome.status ?? '—')
          : l10n.t('{0} in {1}', outcome.status ?? '—', formatMs(summary.timeMs)),
    },
    { label: l10n.t('Delivery'), text: outcome.sentence },
    route ? routeHoverLine(route) : null,
    { label: l10n.t('Verification'), text: `${verdict.label}. ${summary.verdictReason}` },
    summary.sessionId ? { label: l10n.t('Session'), text: summary.sessionId } : null,
    replays > 0 ? { label: l10n.t('Replays'), text: String(replays) } : null,
    summary.duplicateCount > 0
      ? { label: l10n.t('Sender retries'), text: String(summary.duplicateCount) }
      : null,
    summary.duplicateOf ? { text: l10n.t("The sender's retry of {0}", summary.duplicateOf) } : null,
    { label: l10n.t('Delivery ID'), text: summary.id },
  ]
    .filter((line): line is HoverLine => line !== null)
    .map((line) => ({ ...line, text: toSingleLine(line.text, 300) }));
  const tooltip = hover.map(plainHoverLine).join('\n');
  const accessibilityLabel = [
    headline ?? what,
    headline === null ? null : summary.event,
    l10n.t('status {0}', outcome.status ?? l10n.t('none')),
    outcome.words,
    verdict.words,
    l10n.t('received {0}', new Date(received).toLocaleTimeString(displayLocale())),
  ]
    .filter((part): part is string => part !== null)
    .join(', ');
  return { label, description, icon, tone, tooltip, hover, accessibilityLabel, outcome };
}

/** One fact of a row's hover: a label ("Event") and its value, or a line of its own. */
export interface HoverLine {
  readonly label?: string;
  readonly text: string;
}

function plainHoverLine(line: HoverLine): string {
  return line.label === undefined ? line.text : `${line.label}: ${line.text}`;
}

/**
 * A hover's lines as Markdown: labels bold, every value escaped so payload text stays text (no
 * links, emphasis, headings or HTML). Shown in a MarkdownString that is not trusted, so even a
 * link that got through could not run a command.
 */
export function hoverMarkdown(lines: readonly HoverLine[]): string {
  return lines
    .map((line) =>
      line.label === undefined
        ? escapeMarkdownText(line.text)
        : `**${escapeMarkdownText(line.label)}:** ${escapeMarkdownText(line.text)}`,
    )
    .join('  \n');
}

/**
 * Text that Markdown shows as it is: every ASCII punctuation character backslash-escaped
 * (CommonMark allows it for each), which also breaks up `http://` and `www.` so nothing is
 * turned into a link, and line breaks folded to spaces.
 */
export function escapeMarkdownText(text: string): string {
  return text.replace(/[\r\n]+/g, ' ').replace(/[!-/:-@[-`{-~]/g, '\\$&');
}

/** The tooltip's line on the route a delivery took or the answer chosen for it. */
export function routeLine(route: NonNullable<DeliverySummary['route']>): string {
  return plainHoverLine(routeHoverLine(route));
}

function routeHoverLine(route: NonNullable<DeliverySummary['route']>): HoverLine {
  switch (route.kind) {
    case 'forward':
      return {
        label: l10n.t('Route'),
        text: `${route.name} → ${route.target ?? l10n.t('its handler')}`,
      };
    case 'answer':
      return {
        label: l10n.t('Route'),
        text: route.delayMs
          ? l10n.t(
              '{0} answered {1} after {2} ms (chosen answer)',
              route.name,
              route.status ?? '—',
              route.delayMs,
            )
          : l10n.t('{0} answered {1} (chosen answer)', route.name, route.status ?? '—'),
      };
    default:
      return {
        text: route.note ?? l10n.t('Failure simulation answered {0}', route.status ?? '—'),
      };
  }
}

export interface GroupPresentation {
  readonly label: string;
  readonly description: string;
  readonly icon: string;
  /** `error` when a delivery in it failed. */
  readonly tone: RowTone | null;
  readonly tooltip: string;
  readonly failed: number;
}

export function presentGroup(
  group: { readonly key: string; readonly label: string },
  deliveries: readonly DeliverySummary[],
  groupBy: Exclude<GroupBy, 'none'>,
): GroupPresentation {
  const failed = deliveries.filter(
    (summary) => isFailedVerdict(summary.verdict) || failsToReachHandler(summary),
  ).length;
  const count = deliveriesCount(deliveries.length);
  const providers = [...new Set(deliveries.map((summary) => summary.sender))];
  const provider = providers.length === 1 ? providerLabel(providers[0] ?? '') : null;
  const newest = deliveries[0] ? Date.parse(deliveries[0].receivedAt) : Number.NaN;
  const baseIcon =
    groupBy === 'session' ? 'comment-discussion' : groupBy === 'event' ? 'symbol-event' : 'link';
  const label =
    groupBy === 'session' && group.key !== 'none'
      ? l10n.t('Session {0}', shortId(group.label))
      : group.label;
  const description = [
    failed > 0 ? l10n.t('{0} failed', failed) : null,
    count,
    groupBy === 'session' ? provider : null,
    groupBy === 'session' && !Number.isNaN(newest) ? clockTime(newest, false) : null,
  ]
    .filter((part): part is string => part !== null)
    .join(' · ');
  const title =
    groupBy === 'session'
      ? l10n.t('Session')
      : groupBy === 'event'
        ? l10n.t('Event')
        : l10n.t('Endpoint');
  return {
    label,
    description,
    icon: failed > 0 ? 'warning' : baseIcon,
    tone: failed > 0 ? 'error' : null,
    tooltip: [
      `${title}: ${group.label}`,
      provider === null ? null : l10n.t('Sender: {0}', provider),
      count,
      failed > 0 ? l10n.t('{0} failed (rejected, or did not reach your handler)', failed) : null,
    ]
      .filter((line): line is string => line !== null)
      .map((line) => toSingleLine(line, 300))
      .join('\n'),
    failed,
  };
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A session id people can tell apart at a glance: a UUID's first block, a long number's end. */
export function shortId(id: string): string {
  if (UUID.test(id)) return id.slice(0, 8);
  if (/^\d{12,}$/.test(id)) return `…${id.slice(-6)}`;
  return id.length <= 24 ? id : `${id.slice(0, 23)}…`;
}

/** "now", "5m", "3h", then the date: short enough for a 180 px side bar. */
export function shortTime(receivedMs: number, nowMs: number): string {
  if (Number.isNaN(receivedMs)) return '';
  const seconds = Math.round((nowMs - receivedMs) / 1000);
  if (seconds < 45) return seconds < -60 ? clockTime(receivedMs, false) : l10n.t('now');
  if (seconds < 3600) return l10n.t('{0}m', Math.max(1, Math.round(seconds / 60)));
  if (seconds < 24 * 3600) return l10n.t('{0}h', Math.round(seconds / 3600));
  return new Date(receivedMs).toLocaleDateString(displayLocale(), {
    month: 'short',
    day: 'numeric',
  });
}

export function clockTime(ms: number, withSeconds: boolean): string {
  return new Date(ms).toLocaleTimeString(displayLocale(), {
    hour: 'numeric',
    minute: '2-digit',
    ...(withSeconds ? { second: '2-digit' } : {}),
  });
}

function formatMs(ms: number): string {
  return ms < 10 ? `${ms.toFixed(1)} ms` : `${Math.round(ms)} ms`;
}
