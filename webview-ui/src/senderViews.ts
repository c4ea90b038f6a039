// Sender views: a delivery as its sender's own tools would show it. Watson message turns read as
// a conversation, a CDR as a call summary with its timeline, Rapida as a transcript, and every
// other provider's summary as generic blocks (fields, transcript, timeline, raw, note) this file
// renders without knowing the provider. Only what the payload has is shown; URLs are text, never
// links.
import {
  isSummaryIcon,
  type CdrStreamStats,
  type CdrTurn,
  type ProviderSummaryView,
  type RapidaView,
  type SummaryBlock,
  type SummaryField,
  type SummaryMessage,
  type SummaryTimelineItem,
  type SenderView,
  type WatsonCdrView,
  type WatsonEntity,
  type WatsonIntent,
  type WatsonMessageProcessedView,
  type WatsonMessageReceivedView,
  type WatsonMessageView,
  type WatsonReply,
} from '../../src/shared/detail';
import * as l10n from '@vscode/l10n';
import { fieldsTable, h, icon, muted, note, presentRows, section } from './dom';
import { localTime, millis, yesNo } from './format';
import { decimal, pageLocale, percent } from './locale';

/** The tab's label for a view. */
export function senderTabLabel(view: SenderView): string {
  switch (view.kind) {
    case 'summary':
      return typeof view.label === 'string' && view.label !== '' ? view.label : l10n.t('Summary');
    case 'watson-cdr':
      return l10n.t('Call');
    case 'rapida':
      return l10n.t('Transcript');
    default:
      return l10n.t('Conversation');
  }
}

export function senderTabIcon(view: SenderView): string {
  // A summary names its icon; only the fixed list is used (the name becomes a class).
  if (view.kind === 'summary') return isSummaryIcon(view.icon) ? view.icon : 'symbol-event';
  return view.kind === 'watson-cdr' ? 'call-incoming' : 'comment-discussion';
}

export function renderSenderView(view: SenderView): HTMLElement {
  switch (view.kind) {
    case 'summary':
      return summary(view);
    case 'watson-message':
      return watsonMessage(view);
    case 'watson-message-received':
      return watsonMessageReceived(view);
    case 'watson-message-processed':
      return watsonMessageProcessed(view);
    case 'watson-cdr':
      return watsonCdr(view);
    case 'rapida':
      return rapida(view);
  }
}

/** A provider summary: its headline, then each block as the block's kind says. */
function summary(view: ProviderSummaryView): HTMLElement {
  const blocks = view.blocks;
  return h(
    'div',
    { class: 'tab-content sender-view summary' },
    typeof view.headline === 'string' ? h('p', { class: 'summary-headline' }, view.headline) : null,
    ...blocks.map(summaryBlock),
  );
}

function summaryBlock(block: SummaryBlock): HTMLElement | null {
  switch (block.kind) {
    case 'fields':
      return titled(block.title, fieldsTable(block.fields.map(summaryRow)));
    case 'transcript':
      return titled(block.title, transcriptList(block.messages));
    case 'timeline':
      return titled(
        block.title === null
          ? null
          : block.total === null
            ? l10n.t('{0} ({1})', block.title, block.items.length)
            : l10n.t('{0} (first {1} of {2})', block.title, block.items.length, block.total),
        h('ol', { class: 'timeline' }, ...block.items.map(timelineItem)),
      );
    case 'raw':
      return section(block.title, h('pre', { class: 'raw', tabindex: '0' }, block.text));
    case 'note':
      return note(block.tone === 'warning' ? 'warning' : 'info', block.text);
    default:
      // A block kind from a newer HookLens: left out, the Request tab has the data.
      return null;
  }
}

function titled(title: string | null, content: HTMLElement): HTMLElement {
  return title === null ? h('div', { class: 'block' }, content) : section(title, content);
}

function summaryRow(field: SummaryField): readonly [string, Node | string] {
  switch (field.format) {
    case 'code':
      return [field.label, h('code', {}, field.value)];
    case 'time':
      return [field.label, localTime(field.value)];
    case 'multiline':
      return [field.label, h('span', { class: 'multiline' }, field.value)];
    default:
      return [field.label, field.value];
  }
}

function timelineItem(item: SummaryTimelineItem, index: number): HTMLElement {
  return h(
    'li',
    { class: 'turn' },
    h(
      'div',
      { class: 'turn-head' },
      h('span', { class: 'turn-number' }, `${index + 1}`),
      h('strong', {}, item.title),
      item.time === null ? null : h('span', { class: 'muted-inline' }, localTime(item.time)),
    ),
    item.detail === null ? null : h('p', { class: 'meta' }, item.detail),
    item.fields.length === 0 ? null : fieldsTable(item.fields.map(summaryRow)),
  );
}

/** Chat bubbles; the class comes from a fixed list, never from the payload's text. */
function transcriptList(messages: readonly SummaryMessage[]): HTMLElement {
  return h(
    'ol',
    { class: 'conversation' },
    ...messages.map((message) => {
      const role =
        message.role === 'user' ? 'user' : message.role === 'assistant' ? 'assistant' : 'other';
      return h(
        'li',
        { class: `bubble ${role}` },
        h(
          'span',
          { class: 'speaker' },
          icon(role === 'user' ? 'account' : role === 'assistant' ? 'hubot' : 'person'),
          message.speaker ??
            (role === 'user'
              ? l10n.t('User')
              : role === 'assistant'
                ? l10n.t('Bot')
                : l10n.t('Unknown')),
          message.time === null
            ? null
            : h('span', { class: 'muted-inline' }, ` · ${localTime(message.time)}`),
        ),
        h('p', { class: 'said' }, message.text),
      );
    }),
  );
}

function time(value: string | null): string | null {
  return value === null ? null : localTime(value);
}

function watsonMessage(view: WatsonMessageView): HTMLElement {
  const { turn } = view;
  return h(
    'div',
    { class: 'tab-content sender-view' },
    h(
      'ol',
      { class: 'conversation', 'aria-label': l10n.t('Conversation turn') },
      userBubble(turn.userText, turn.messageType),
      understanding(turn.intents, turn.entities),
      assistantBubble(turn.replies),
    ),
    section(
      l10n.t('Log'),
      fieldsTable(
        presentRows([
          [l10n.t('Log ID'), view.logId],
          [l10n.t('Session ID'), view.sessionId],
          [l10n.t('Assistant ID'), view.assistantId],
          [l10n.t('Skill ID'), view.skillId],
          [l10n.t('Snapshot'), view.snapshot],
          [l10n.t('Language'), view.language],
          [l10n.t('Request time'), time(view.requestTimestamp)],
          [l10n.t('Response time'), time(view.responseTimestamp)],
        ]),
      ),
    ),
  );
}

function watsonMessageReceived(view: WatsonMessageReceivedView): HTMLElement {
  return h(
    'div',
    { class: 'tab-content sender-view' },
    note(
      'info',
      l10n.t('Pre-message webhook: the message request before the assistant processes it.'),
    ),
    h(
      'ol',
      { class: 'conversation', 'aria-label': l10n.t('Message request') },
      userBubble(view.userText, view.messageType),
    ),
    section(
      l10n.t('Request'),
      fieldsTable(
        presentRows([
          [l10n.t('Session ID'), view.sessionId],
          [l10n.t('User ID'), view.userId],
          [l10n.t('Turn count'), view.turnCount],
          [l10n.t('Message type'), view.messageType],
          [l10n.t('Source'), view.sourceType],
        ]),
      ),
    ),
  );
}

function watsonMessageProcessed(view: WatsonMessageProcessedView): HTMLElement {
  return h(
    'div',
    { class: 'tab-content sender-view' },
    note(
      'info',
      l10n.t("Post-message webhook: the assistant's response before it reaches the user."),
    ),
    h(
      'ol',
      { class: 'conversation', 'aria-label': l10n.t('Message response') },
      understanding(view.intents, view.entities),
      assistantBubble(view.replies),
    ),
    section(
      l10n.t('Response'),
      fieldsTable(
        presentRows([
          [l10n.t('Session ID'), view.sessionId],
          [l10n.t('User ID'), view.userId],
          [l10n.t('Turn count'), view.turnCount],
        ]),
      ),
    ),
  );
}

function userBubble(text: string | null, messageType: string | null): HTMLElement {
  return h(
    'li',
    { class: 'bubble user' },
    h('span', { class: 'speaker' }, icon('account'), l10n.t('User')),
    text === null
      ? muted(
          messageType === null
            ? l10n.t('No text.')
            : l10n.t('No text (message type {0}).', messageType),
        )
      : h('p', { class: 'said' }, text),
  );
}

function understanding(
  intents: readonly WatsonIntent[],
  entities: readonly WatsonEntity[],
): HTMLElement | null {
  if (intents.length === 0 && entities.length === 0) return null;
  return h(
    'li',
    { class: 'understanding' },
    intents.length > 0
      ? h(
          'div',
          {},
          h('span', { class: 'caption' }, l10n.t('Intents')),
          h(
            'ul',
            { class: 'chips' },
            ...intents.map((intent) =>
              h(
                'li',
                { class: 'chip' },
                h('span', { class: 'name' }, `#${intent.intent}`),
                intent.confidence === null ? null : confidenceMeter(intent.confidence),
                intent.skill === null ? null : h('span', { class: 'skill' }, intent.skill),
              ),
            ),
          ),
        )
      : null,
    entities.length > 0
      ? h(
          'div',
          {},
          h('span', { class: 'caption' }, l10n.t('Entities')),
          h(
            'ul',
            { class: 'chips' },
            ...entities.map((entity) =>
              h(
                'li',
                { class: 'chip' },
                h('span', { class: 'name' }, `@${entity.entity}`),
                entity.value === null ? null : h('span', { class: 'value' }, entity.value),
                entity.confidence === null ? null : confidenceMeter(entity.confidence),
                entity.location === null
                  ? null
                  : h('span', { class: 'location' }, l10n.t('chars {0}', entity.location)),
              ),
            ),
          ),
        )
      : null,
  );
}

function assistantBubble(replies: readonly WatsonReply[]): HTMLElement {
  return h(
    'li',
    { class: 'bubble assistant' },
    h('span', { class: 'speaker' }, icon('hubot'), l10n.t('Assistant')),
    replies.length === 0
      ? muted(l10n.t('No replies.'))
      : h('div', { class: 'replies' }, ...replies.map(reply)),
  );
}

function reply(item: WatsonReply): HTMLElement {
  switch (item.type) {
    case 'text':
      return h('p', { class: 'reply said' }, item.text);
    case 'option':
      return h(
        'div',
        { class: 'reply option' },
        item.title === null ? null : h('p', { class: 'said' }, item.title),
        item.description === null ? null : h('p', { class: 'muted' }, item.description),
        h(
          'ul',
          { class: 'options' },
          ...item.options.map((option) =>
            h(
              'li',
              {},
              icon('circle-large-outline'),
              h('span', {}, option.label),
              option.value !== null && option.value !== option.label
                ? h('span', { class: 'muted-inline' }, ` ${l10n.t('sends “{0}”', option.value)}`)
                : null,
            ),
          ),
        ),
      );
    case 'search':
      return h(
        'div',
        { class: 'reply search' },
        item.header === null ? null : h('p', { class: 'said' }, item.header),
        item.results.length === 0
          ? muted(l10n.t('No search results.'))
          : h(
              'ol',
              { class: 'search-results' },
              ...item.results.map((result) =>
                h(
                  'li',
                  {},
                  result.title === null ? null : h('strong', {}, result.title),
                  result.body === null ? null : h('p', {}, result.body),
                  // Text on purpose: a payload URL never becomes something to click.
                  result.url === null ? null : h('code', { class: 'url' }, result.url),
                ),
              ),
            ),
      );
    case 'data':
      return h(
        'div',
        { class: 'reply data' },
        h(
          'span',
          { class: 'caption' },
          item.responseType === null
            ? l10n.t('Reply without a response type')
            : l10n.t('Reply of type {0}', item.responseType),
        ),
        h('pre', { class: 'raw' }, item.json),
      );
  }
}

function watsonCdr(view: WatsonCdrView): HTMLElement {
  const from = view.fromNumber ?? view.fromUri;
  const to = view.toNumber ?? view.toUri;
  return h(
    'div',
    { class: 'tab-content sender-view' },
    h(
      'p',
      { class: 'call-line' },
      icon('call-incoming'),
      h('strong', {}, from ?? l10n.t('Unknown caller')),
      h('span', { class: 'arrow', 'aria-hidden': 'true' }, '→'),
      h('strong', {}, to ?? l10n.t('Unknown number')),
    ),
    view.failureOccurred === true
      ? note(
          'error',
          l10n.t('The call failed.'),
          view.failureDetails === null ? '' : ` ${view.failureDetails}`,
        )
      : null,
    section(
      l10n.t('Call'),
      fieldsTable(
        presentRows([
          [l10n.t('From'), view.fromUri],
          [l10n.t('To'), view.toUri],
          [l10n.t('Primary phone number'), view.primaryPhoneNumber],
          [l10n.t('Start'), time(view.startTimestamp)],
          [l10n.t('End'), time(view.stopTimestamp)],
          [l10n.t('Duration'), millis(view.durationMs)],
          [l10n.t('End reason'), view.endReason],
          [
            l10n.t('Direction'),
            view.outbound === null ? null : view.outbound ? l10n.t('Outbound') : l10n.t('Inbound'),
          ],
          [l10n.t('Failure'), yesNo(view.failureOccurred)],
          [l10n.t('Failure details'), view.failureDetails],
          [l10n.t('Transfer'), yesNo(view.transferOccurred)],
          [l10n.t('Active calls'), view.activeCalls],
          [l10n.t('INVITE arrival'), time(view.inviteArrivalTimestamp)],
          [l10n.t('Setup time'), millis(view.setupMs)],
          [l10n.t('SIP Call-ID'), view.sipCallId],
          [l10n.t('SIP trunk call id'), view.sipTrunkCallId],
          [l10n.t('Global session ID'), view.globalSessionId],
        ]),
      ),
    ),
    network(view.inboundStream, view.outboundStream),
    section(
      l10n.t('Warnings and errors ({0})', view.warnings.length),
      view.warnings.length === 0
        ? muted(l10n.t('None.'))
        : h(
            'ul',
            { class: 'warnings' },
            ...view.warnings.map((warning) =>
              h(
                'li',
                {},
                icon('warning'),
                warning.code === null ? null : h('code', {}, warning.code),
                h('span', {}, warning.message),
              ),
            ),
          ),
    ),
    view.injectedCustomData === null
      ? null
      : section(
          l10n.t('Injected custom data'),
          h('pre', { class: 'raw' }, view.injectedCustomData),
        ),
    turnsTimeline(view),
  );
}

function network(
  inbound: CdrStreamStats | null,
  outbound: CdrStreamStats | null,
): HTMLElement | null {
  if (!inbound && !outbound) return null;
  const rows: ReadonlyArray<readonly [string, (stats: CdrStreamStats) => string | null]> = [
    [l10n.t('Average jitter'), (stats) => millis(stats.averageJitter)],
    [l10n.t('Maximum jitter'), (stats) => millis(stats.maximumJitter)],
    [l10n.t('Packets lost'), (stats) => packetLoss(stats)],
    [l10n.t('Packets sent'), (stats) => stats.packetsTransmitted],
    [l10n.t('Name'), (stats) => stats.canonicalName],
    [l10n.t('Tool'), (stats) => (stats.toolName === '' ? null : stats.toolName)],
  ];
  return section(
    l10n.t('Network (RTP)'),
    h(
      'table',
      { class: 'grid' },
      h(
        'thead',
        {},
        h(
          'tr',
          {},
          h('th', {}, ''),
          h('th', { scope: 'col' }, l10n.t('Inbound')),
          h('th', { scope: 'col' }, l10n.t('Outbound')),
        ),
      ),
      h(
        'tbody',
        {},
        ...rows.map(([label, read]) =>
          h(
            'tr',
            {},
            h('th', { scope: 'row' }, label),
            h('td', {}, (inbound && read(inbound)) ?? '—'),
            h('td', {}, (outbound && read(outbound)) ?? '—'),
          ),
        ),
      ),
    ),
  );
}

function packetLoss(stats: CdrStreamStats): string | null {
  if (stats.packetsLost === null) return null;
  const lost = Number(stats.packetsLost);
  const sent = Number(stats.packetsTransmitted);
  return Number.isFinite(lost) && Number.isFinite(sent) && sent > 0
    ? `${stats.packetsLost} (${percent(lost / sent, true)})`
    : stats.packetsLost;
}

const SVG_NS = 'http://www.w3.org/2000/svg';

function svgElement(tag: string, attributes: Record<string, string | number>): SVGElement {
  const element = document.createElementNS(SVG_NS, tag);
  for (const [name, value] of Object.entries(attributes)) {
    element.setAttribute(name, String(value));
  }
  return element;
}

/** A horizontal bar `fraction` (0..1) of its track, drawn with the page's theme classes. */
function bar(fraction: number, className: string): SVGElement {
  const width = Math.round(Math.max(0, Math.min(1, fraction)) * 100 * 1000) / 1000;
  const chart = svgElement('svg', {
    class: `bar-chart ${className}`,
    viewBox: '0 0 100 6',
    preserveAspectRatio: 'none',
    'aria-hidden': 'true',
  });
  chart.append(
    svgElement('rect', { class: 'bar-track', x: 0, y: 0, width: 100, height: 6 }),
    svgElement('rect', {
      class: 'bar-fill',
      x: 0,
      y: 0,
      // A value above zero never disappears into the track.
      width: width > 0 ? Math.max(width, 1.5) : 0,
      height: 6,
    }),
  );
  return chart;
}

/**
 * A confidence (0..1, as the payload wrote it) as a meter: a bar and its percentage, with the
 * exact value in the accessible text and the tooltip. A value that is not a number in 0..1 stays
 * the text it is.
 */
export function confidenceMeter(value: string): HTMLElement {
  const number = Number(value);
  if (value.trim() === '' || !Number.isFinite(number) || number < 0 || number > 1) {
    return h('span', { class: 'confidence' }, value);
  }
  const shown = percent(number);
  const meter = h(
    'span',
    {
      class: 'confidence meter',
      role: 'meter',
      'aria-valuemin': '0',
      'aria-valuemax': '1',
      'aria-valuenow': String(number),
      'aria-valuetext': l10n.t('{0} confidence ({1})', shown, value),
    },
    bar(number, 'confidence-bar'),
    h('span', { class: 'confidence-value' }, shown),
  );
  meter.title = l10n.t('Confidence {0}', value);
  return meter;
}

/** A time in the payload, as ms since the epoch; null when absent or not a time. */
function epoch(value: string | null): number | null {
  if (value === null) return null;
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? null : ms;
}

function msNumber(text: string | null): number | null {
  if (text === null) return null;
  const value = Number(text);
  return Number.isFinite(value) && value >= 0 ? value : null;
}

/** "+0:05.2" after the call's first moment (its INVITE, else its start). */
function offset(ms: number): string {
  const seconds = Math.abs(ms) / 1000;
  const minutes = Math.floor(seconds / 60);
  const rest = seconds - minutes * 60;
  const secondsText = rest.toLocaleString(pageLocale(), {
    minimumIntegerDigits: 2,
    minimumFractionDigits: 1,
    maximumFractionDigits: 1,
  });
  return `${ms < 0 ? '−' : '+'}${minutes}:${secondsText}`;
}

/** The call's first moment: the INVITE when it came before the start, else the start. */
function callOrigin(view: WatsonCdrView): number | null {
  const invite = epoch(view.inviteArrivalTimestamp);
  const start = epoch(view.startTimestamp);
  if (start === null) return invite;
  return invite !== null && invite <= start ? invite : start;
}

/**
 * The call on one line: the INVITE, the setup until the call started, the call until it ended,
 * and a tick where each turn with a time began. Said in words beside it (and as its label).
 */
function callStrip(view: WatsonCdrView): HTMLElement | null {
  const start = epoch(view.startTimestamp);
  const stop = epoch(view.stopTimestamp);
  const origin = callOrigin(view);
  if (start === null || stop === null || origin === null || stop < start) return null;
  const span = Math.max(1, stop - origin);
  const x = (time: number): number => Math.round(((time - origin) / span) * 1000 * 10) / 10;
  const chart = svgElement('svg', {
    class: 'call-strip',
    viewBox: '0 0 1000 14',
    preserveAspectRatio: 'none',
    role: 'img',
  });
  if (origin < start) {
    chart.append(
      svgElement('rect', { class: 'call-setup', x: 0, y: 4, width: x(start), height: 6 }),
    );
  }
  chart.append(
    svgElement('rect', {
      class: view.failureOccurred === true ? 'call-talk failed' : 'call-talk',
      x: x(start),
      y: 2,
      width: Math.max(1, x(stop) - x(start)),
      height: 10,
    }),
  );
  const ticks = view.turns
    .map((turn) => epoch(turn.startTimestamp))
    .filter((time): time is number => time !== null && time >= origin && time <= stop);
  for (const time of ticks) {
    chart.append(
      svgElement('rect', { class: 'call-tick', x: x(time) - 1.5, y: 0, width: 3, height: 14 }),
    );
  }
  const words = [
    origin < start
      ? l10n.t('INVITE, then {0} s of setup', decimal((start - origin) / 1000, 1, true))
      : null,
    l10n.t('a {0} s call', decimal((stop - start) / 1000, 1, true)),
    ticks.length === 0
      ? null
      : ticks.length === 1
        ? l10n.t('1 turn marked')
        : l10n.t('{0} turns marked', ticks.length),
    view.endReason === null ? null : l10n.t('ended: {0}', view.endReason),
  ].filter((part): part is string => part !== null);
  const sentence = words.join(' · ');
  chart.setAttribute('aria-label', l10n.t('Call timeline: {0}', sentence));
  return h(
    'figure',
    { class: 'call-figure' },
    chart,
    h(
      'figcaption',
      { class: 'call-caption' },
      h('span', {}, localTime(new Date(origin).toISOString())),
      h('span', {}, sentence),
    ),
  );
}

/** One timed step of a turn: a label, a bar against the call's slowest step, and the time. */
function stepRow(label: Node | string, ms: number, text: string, scale: number): HTMLElement {
  return h(
    'li',
    { class: 'step' },
    h('span', { class: 'step-label' }, label),
    bar(scale > 0 ? ms / scale : 0, 'step-bar'),
    h('span', { class: 'step-time' }, text),
  );
}

/**
 * The call as a timeline: the call strip, then each turn in order with its response times as
 * bars on one scale (the slowest step of the call), so a slow turn stands out at a glance. The
 * times stay as text beside each bar.
 */
function turnsTimeline(view: WatsonCdrView): HTMLElement {
  const title =
    view.turns.length === 1
      ? l10n.t('Timeline (1 turn)')
      : l10n.t('Timeline ({0} turns)', view.turns.length);
  const times = view.turns.flatMap((turn) => [
    msNumber(turn.assistantResponseMs),
    msNumber(turn.requestResponseMs),
    ...turn.responses.map((response) => msNumber(response.responseMs)),
  ]);
  const maxima = [
    view.maxResponseMs.assistant,
    view.maxResponseMs.textToSpeech,
    view.maxResponseMs.speechToText,
  ].map(msNumber);
  const scale = Math.max(0, ...[...times, ...maxima].filter((ms): ms is number => ms !== null));
  const origin = callOrigin(view);
  const maxRows = [
    [l10n.t('Assistant'), millis(view.maxResponseMs.assistant)],
    [l10n.t('Text to speech'), millis(view.maxResponseMs.textToSpeech)],
    [l10n.t('Speech to text'), millis(view.maxResponseMs.speechToText)],
  ].filter((row): row is [string, string] => row[1] !== null);
  return section(
    title,
    callStrip(view),
    view.turns.length === 0
      ? muted(l10n.t('No turns.'))
      : h(
          'ol',
          { class: 'timeline call-turns' },
          ...view.turns.map((turn, index) => cdrTurn(turn, index, scale, origin)),
        ),
    maxRows.length === 0
      ? null
      : h(
          'p',
          { class: 'call-maxima' },
          h('span', { class: 'caption' }, `${l10n.t('Slowest in the call:')} `),
          maxRows.map(([label, value]) => `${label} ${value}`).join(' · '),
        ),
  );
}

function cdrTurn(turn: CdrTurn, index: number, scale: number, origin: number | null): HTMLElement {
  const bargeIns = turn.responses.filter((response) => response.bargeIn === true).length;
  const at = epoch(turn.startTimestamp);
  const steps: HTMLElement[] = [];
  const assistant = msNumber(turn.assistantResponseMs);
  if (assistant !== null) {
    steps.push(
      stepRow(l10n.t('Assistant'), assistant, millis(turn.assistantResponseMs) ?? '', scale),
    );
  }
  const speech = msNumber(turn.requestResponseMs);
  if (speech !== null) {
    steps.push(
      stepRow(l10n.t('Speech to text'), speech, millis(turn.requestResponseMs) ?? '', scale),
    );
  }
  const untimed: HTMLElement[] = [];
  for (const response of turn.responses) {
    const label = h(
      'span',
      {},
      h('code', {}, response.type ?? 'unknown'),
      response.bargeIn === true ? h('span', { class: 'tag warn' }, l10n.t('barge-in')) : null,
    );
    const ms = msNumber(response.responseMs);
    if (ms === null) untimed.push(h('li', { class: 'chip' }, label));
    else steps.push(stepRow(label, ms, millis(response.responseMs) ?? '', scale));
  }
  const ids = [
    turn.logId === null ? null : l10n.t('Log ID {0}', turn.logId),
    turn.sessionId === null ? null : l10n.t('Session {0}', turn.sessionId),
  ].filter((part): part is string => part !== null);
  return h(
    'li',
    { class: 'turn' },
    h(
      'div',
      { class: 'turn-head' },
      h('span', { class: 'turn-number' }, `${index + 1}`),
      h('strong', {}, turn.requestType ?? l10n.t('Unknown request')),
      at === null
        ? null
        : h(
            'span',
            { class: 'muted-inline', title: localTime(turn.startTimestamp ?? '') },
            origin === null ? localTime(turn.startTimestamp ?? '') : offset(at - origin),
          ),
      bargeIns > 0
        ? h('span', { class: 'tag warn' }, icon('debug-pause'), l10n.t('Barge-in'))
        : null,
    ),
    steps.length === 0 ? null : h('ul', { class: 'steps' }, ...steps),
    turn.requestConfidence === null
      ? null
      : h(
          'p',
          { class: 'turn-confidence' },
          h('span', { class: 'caption' }, `${l10n.t('Speech confidence')} `),
          confidenceMeter(turn.requestConfidence),
        ),
    untimed.length === 0 ? null : h('ul', { class: 'chips turn-responses' }, ...untimed),
    ids.length === 0 ? null : h('p', { class: 'meta turn-ids' }, ids.join(' · ')),
  );
}

function rapida(view: RapidaView): HTMLElement {
  return h(
    'div',
    { class: 'tab-content sender-view' },
    fieldsTable(
      presentRows([
        [l10n.t('Event'), view.event],
        [l10n.t('Assistant ID'), view.assistantId],
        [l10n.t('Assistant version'), view.assistantVersion],
        [l10n.t('Conversation ID'), view.conversationId],
      ]),
    ),
    section(
      l10n.t('Transcript ({0})', view.messages.length),
      view.messages.length === 0
        ? muted(l10n.t('No messages in this delivery.'))
        : transcriptList(
            view.messages.map((message) => ({
              role:
                message.role === 'user'
                  ? 'user'
                  : message.role === 'assistant'
                    ? 'assistant'
                    : 'other',
              speaker: message.role ?? l10n.t('Unknown role'),
              text: message.message,
              time: message.time,
            })),
          ),
    ),
    section(
      l10n.t('Analysis'),
      view.analysis === null
        ? muted(l10n.t('No analysis in this delivery.'))
        : h('pre', { class: 'raw' }, view.analysis),
    ),
  );
}
