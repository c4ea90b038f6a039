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
import { fieldsTable, h, icon, muted, note, presentRows, section } from './dom';
import { localTime, millis, yesNo } from './format';

/** The tab's label for a view. */
export function senderTabLabel(view: SenderView): string {
  switch (view.kind) {
    case 'summary':
      return typeof view.label === 'string' && view.label !== '' ? view.label : 'Summary';
    case 'watson-cdr':
      return 'Call';
    case 'rapida':
      return 'Transcript';
    default:
      return 'Conversation';
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
          : `${block.title} (${block.total === null ? block.items.length : `first ${block.items.length} of ${block.total}`})`,
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
          message.speaker ?? (role === 'user' ? 'User' : role === 'assistant' ? 'Bot' : 'Unknown'),
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
      { class: 'conversation', 'aria-label': 'Conversation turn' },
      userBubble(turn.userText, turn.messageType),
      understanding(turn.intents, turn.entities),
      assistantBubble(turn.replies),
    ),
    section(
      'Log',
      fieldsTable(
        presentRows([
          ['Log ID', view.logId],
          ['Session ID', view.sessionId],
          ['Assistant ID', view.assistantId],
          ['Skill ID', view.skillId],
          ['Snapshot', view.snapshot],
          ['Language', view.language],
          ['Request time', time(view.requestTimestamp)],
          ['Response time', time(view.responseTimestamp)],
        ]),
      ),
    ),
  );
}

function watsonMessageReceived(view: WatsonMessageReceivedView): HTMLElement {
  return h(
    'div',
    { class: 'tab-content sender-view' },
    note('info', 'Pre-message webhook: the message request before the assistant processes it.'),
    h(
      'ol',
      { class: 'conversation', 'aria-label': 'Message request' },
      userBubble(view.userText, view.messageType),
    ),
    section(
      'Request',
      fieldsTable(
        presentRows([
          ['Session ID', view.sessionId],
          ['User ID', view.userId],
          ['Turn count', view.turnCount],
          ['Message type', view.messageType],
          ['Source', view.sourceType],
        ]),
      ),
    ),
  );
}

function watsonMessageProcessed(view: WatsonMessageProcessedView): HTMLElement {
  return h(
    'div',
    { class: 'tab-content sender-view' },
    note('info', "Post-message webhook: the assistant's response before it reaches the user."),
    h(
      'ol',
      { class: 'conversation', 'aria-label': 'Message response' },
      understanding(view.intents, view.entities),
      assistantBubble(view.replies),
    ),
    section(
      'Response',
      fieldsTable(
        presentRows([
          ['Session ID', view.sessionId],
          ['User ID', view.userId],
          ['Turn count', view.turnCount],
        ]),
      ),
    ),
  );
}

function userBubble(text: string | null, messageType: string | null): HTMLElement {
  return h(
    'li',
    { class: 'bubble user' },
    h('span', { class: 'speaker' }, icon('account'), 'User'),
    text === null
      ? muted(messageType === null ? 'No text.' : `No text (message type ${messageType}).`)
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
          h('span', { class: 'caption' }, 'Intents'),
          h(
            'ul',
            { class: 'chips' },
            ...intents.map((intent) =>
              h(
                'li',
                { class: 'chip' },
                h('span', { class: 'name' }, `#${intent.intent}`),
                intent.confidence === null
                  ? null
                  : h('span', { class: 'confidence' }, intent.confidence),
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
          h('span', { class: 'caption' }, 'Entities'),
          h(
            'ul',
            { class: 'chips' },
            ...entities.map((entity) =>
              h(
                'li',
                { class: 'chip' },
                h('span', { class: 'name' }, `@${entity.entity}`),
                entity.value === null ? null : h('span', { class: 'value' }, entity.value),
                entity.confidence === null
                  ? null
                  : h('span', { class: 'confidence' }, entity.confidence),
                entity.location === null
                  ? null
                  : h('span', { class: 'location' }, `chars ${entity.location}`),
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
    h('span', { class: 'speaker' }, icon('hubot'), 'Assistant'),
    replies.length === 0
      ? muted('No replies.')
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
                ? h('span', { class: 'muted-inline' }, ` sends “${option.value}”`)
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
          ? muted('No search results.')
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
            ? 'Reply without a response type'
            : `Reply of type ${item.responseType}`,
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
      h('strong', {}, from ?? 'Unknown caller'),
      h('span', { class: 'arrow', 'aria-hidden': 'true' }, '→'),
      h('strong', {}, to ?? 'Unknown number'),
    ),
    view.failureOccurred === true
      ? note(
          'error',
          'The call failed.',
          view.failureDetails === null ? '' : ` ${view.failureDetails}`,
        )
      : null,
    section(
      'Call',
      fieldsTable(
        presentRows([
          ['From', view.fromUri],
          ['To', view.toUri],
          ['Primary phone number', view.primaryPhoneNumber],
          ['Start', time(view.startTimestamp)],
          ['End', time(view.stopTimestamp)],
          ['Duration', millis(view.durationMs)],
          ['End reason', view.endReason],
          ['Direction', view.outbound === null ? null : view.outbound ? 'Outbound' : 'Inbound'],
          ['Failure', yesNo(view.failureOccurred)],
          ['Failure details', view.failureDetails],
          ['Transfer', yesNo(view.transferOccurred)],
          ['Active calls', view.activeCalls],
          ['INVITE arrival', time(view.inviteArrivalTimestamp)],
          ['Setup time', millis(view.setupMs)],
          ['SIP Call-ID', view.sipCallId],
          ['SIP trunk call id', view.sipTrunkCallId],
          ['Global session ID', view.globalSessionId],
        ]),
      ),
    ),
    maxResponse(view),
    network(view.inboundStream, view.outboundStream),
    section(
      `Warnings and errors (${view.warnings.length})`,
      view.warnings.length === 0
        ? muted('None.')
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
      : section('Injected custom data', h('pre', { class: 'raw' }, view.injectedCustomData)),
    section(
      `Timeline (${view.turns.length} turn${view.turns.length === 1 ? '' : 's'})`,
      view.turns.length === 0
        ? muted('No turns.')
        : h('ol', { class: 'timeline' }, ...view.turns.map(cdrTurn)),
    ),
  );
}

function maxResponse(view: WatsonCdrView): HTMLElement | null {
  const rows = presentRows([
    ['Assistant', millis(view.maxResponseMs.assistant)],
    ['Text to speech', millis(view.maxResponseMs.textToSpeech)],
    ['Speech to text', millis(view.maxResponseMs.speechToText)],
  ]);
  return rows.length === 0 ? null : section('Max response times', fieldsTable(rows));
}

function network(
  inbound: CdrStreamStats | null,
  outbound: CdrStreamStats | null,
): HTMLElement | null {
  if (!inbound && !outbound) return null;
  const rows: ReadonlyArray<readonly [string, (stats: CdrStreamStats) => string | null]> = [
    ['Average jitter', (stats) => millis(stats.averageJitter)],
    ['Maximum jitter', (stats) => millis(stats.maximumJitter)],
    ['Packets lost', (stats) => packetLoss(stats)],
    ['Packets sent', (stats) => stats.packetsTransmitted],
    ['Name', (stats) => stats.canonicalName],
    ['Tool', (stats) => (stats.toolName === '' ? null : stats.toolName)],
  ];
  return section(
    'Network (RTP)',
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
          h('th', { scope: 'col' }, 'Inbound'),
          h('th', { scope: 'col' }, 'Outbound'),
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
    ? `${stats.packetsLost} (${((lost / sent) * 100).toFixed(1)} %)`
    : stats.packetsLost;
}

function cdrTurn(turn: CdrTurn, index: number): HTMLElement {
  const bargeIns = turn.responses.filter((response) => response.bargeIn === true).length;
  return h(
    'li',
    { class: 'turn' },
    h(
      'div',
      { class: 'turn-head' },
      h('span', { class: 'turn-number' }, `${index + 1}`),
      h('strong', {}, turn.requestType ?? 'Unknown request'),
      turn.startTimestamp === null
        ? null
        : h('span', { class: 'muted-inline' }, localTime(turn.startTimestamp)),
      bargeIns > 0 ? h('span', { class: 'tag warn' }, icon('debug-pause'), 'Barge-in') : null,
    ),
    fieldsTable(
      presentRows([
        ['Assistant response', millis(turn.assistantResponseMs)],
        ['Speech to text', millis(turn.requestResponseMs)],
        ['Confidence', turn.requestConfidence],
        ['Log ID', turn.logId],
        ['Session ID', turn.sessionId],
      ]),
    ),
    turn.responses.length === 0
      ? null
      : h(
          'ul',
          { class: 'turn-responses' },
          ...turn.responses.map((response) =>
            h(
              'li',
              {},
              h('code', {}, response.type ?? 'unknown'),
              response.responseMs === null
                ? null
                : h('span', { class: 'muted-inline' }, ` ${millis(response.responseMs) ?? ''}`),
              response.bargeIn === true ? h('span', { class: 'tag warn' }, 'barge-in') : null,
            ),
          ),
        ),
  );
}

function rapida(view: RapidaView): HTMLElement {
  return h(
    'div',
    { class: 'tab-content sender-view' },
    fieldsTable(
      presentRows([
        ['Event', view.event],
        ['Assistant ID', view.assistantId],
        ['Assistant version', view.assistantVersion],
        ['Conversation ID', view.conversationId],
      ]),
    ),
    section(
      `Transcript (${view.messages.length})`,
      view.messages.length === 0
        ? muted('No messages in this delivery.')
        : transcriptList(
            view.messages.map((message) => ({
              role:
                message.role === 'user'
                  ? 'user'
                  : message.role === 'assistant'
                    ? 'assistant'
                    : 'other',
              speaker: message.role ?? 'Unknown role',
              text: message.message,
              time: message.time,
            })),
          ),
    ),
    section(
      'Analysis',
      view.analysis === null
        ? muted('No analysis in this delivery.')
        : h('pre', { class: 'raw' }, view.analysis),
    ),
  );
}
