// Provider summaries: a delivery from GitHub, Stripe, Slack, Twilio, Shopify, Standard Webhooks,
// GitLab, Discord or Meta as a person reads it, built from the generic blocks of shared/detail.ts
// (fields, transcript, timeline, raw, note). The webview renders blocks without knowing the
// provider, so adding one is a reader here and a line in READERS. Every read is defensive (see
// ./payloadRead): a summary shows what the payload has, and a missing or odd field is left out.
// Labels, block titles and notes are in the editor's language (@vscode/l10n, English in the CLI);
// the headline stays English: it is stored with the delivery at capture (headline.ts), shared
// through team stores and exports, and read by agents. Payload text is never translated.
import * as l10n from '@vscode/l10n';
import type {
  ProviderSummaryView,
  SummaryBlock,
  SummaryField,
  SummaryFieldId,
  SummaryFormat,
  SummaryIcon,
  SummaryMessage,
  SummaryTimelineItem,
} from '../../shared/detail';
import { providerLabel } from '../providers/registry';
import { at, clip, flag, isObject, jsonText, listOf, nonEmpty, text } from './payloadRead';

/** What a summary may read besides the parsed body. */
export interface SummaryContext {
  /** A form body's fields in order (the parsed body is then the fields, or a `payload` JSON). */
  readonly form?: ReadonlyArray<readonly [string, string]> | null;
  /** The request headers as stored (credentials redacted). */
  readonly headers?: ReadonlyArray<readonly [string, string]>;
}

/** Longest field value shown; the Request tab has the whole body. */
const MAX_FIELD_CHARS = 4000;
/** Longest raw block shown. */
const MAX_RAW_CHARS = 32 * 1024;
/** Timeline items and line items listed; the count says how many there were. */
const MAX_ITEMS = 100;

interface Input {
  readonly body: unknown;
  readonly event: string | null;
  /** A header's first value, trimmed; null when absent or blank. */
  header(name: string): string | null;
  /** A form field's first value, else the same key of a flat JSON body. */
  field(name: string): string | null;
}

interface Summary {
  readonly icon: SummaryIcon;
  readonly headline: string | null;
  readonly blocks: ReadonlyArray<SummaryBlock | null>;
}

type Reader = (input: Input) => Summary | null;

const READERS: ReadonlyMap<string, Reader> = new Map<string, Reader>([
  ['github', github],
  ['stripe', stripe],
  ['slack', slack],
  ['twilio', twilio],
  ['shopify', shopify],
  ['standard-webhooks', standardWebhooks],
  ['gitlab', gitlab],
  ['discord', discord],
  ['meta', meta],
]);

/** The summary of a delivery from a provider that has one, or null. Never throws. */
export function providerSummary(
  provider: string,
  body: unknown,
  event: string | null,
  context: SummaryContext = {},
): ProviderSummaryView | null {
  const reader = READERS.get(provider);
  if (reader === undefined) return null;
  try {
    const summary = reader(inputOf(body, event, context));
    if (summary === null) return null;
    const blocks = summary.blocks.filter((block): block is SummaryBlock => block !== null);
    if (blocks.length === 0 && summary.headline === null) return null;
    return {
      kind: 'summary',
      provider,
      label: providerLabel(provider),
      icon: summary.icon,
      headline: summary.headline === null ? null : clip(oneLine(summary.headline), 300),
      blocks,
    };
  } catch {
    // Nothing above should throw; a summary is an extra, never a reason the panel fails.
    return null;
  }
}

function inputOf(body: unknown, event: string | null, context: SummaryContext): Input {
  const headers = context.headers ?? [];
  const form = context.form ?? null;
  return {
    body,
    event,
    header(name) {
      const lower = name.toLowerCase();
      const found = headers.find(([key]) => key.toLowerCase() === lower)?.[1];
      return found === undefined || found.trim() === '' ? null : found.trim();
    },
    field(name) {
      if (form !== null) {
        const value = form.find(([key]) => key === name)?.[1];
        if (value !== undefined) return value === '' ? null : value;
      }
      return nonEmpty(at(body, name));
    },
  };
}

// Block builders: rows with a null value are left out, and a block with no rows is null.

type Row = readonly [
  label: string,
  value: string | null,
  format?: SummaryFormat,
  id?: SummaryFieldId,
];

function fieldsOf(rows: readonly Row[]): SummaryField[] {
  return rows.flatMap(([label, value, format, id]) =>
    value === null
      ? []
      : [
          {
            label,
            value: clip(value, MAX_FIELD_CHARS),
            ...(format === undefined || format === 'text' ? {} : { format }),
            ...(id === undefined ? {} : { id }),
          },
        ],
  );
}

function fields(title: string | null, rows: readonly Row[]): SummaryBlock | null {
  const list = fieldsOf(rows);
  return list.length === 0 ? null : { kind: 'fields', title, fields: list };
}

function transcript(
  title: string | null,
  messages: ReadonlyArray<SummaryMessage | null>,
): SummaryBlock | null {
  const list = messages.filter((message): message is SummaryMessage => message !== null);
  return list.length === 0 ? null : { kind: 'transcript', title, messages: list };
}

function message(
  role: SummaryMessage['role'],
  speaker: string | null,
  said: string | null,
  time: string | null = null,
): SummaryMessage | null {
  return said === null ? null : { role, speaker, text: clip(said, MAX_FIELD_CHARS), time };
}

function timeline(
  title: string,
  source: unknown,
  item: (value: unknown) => SummaryTimelineItem | null,
): SummaryBlock | null {
  if (!Array.isArray(source) || source.length === 0) return null;
  const items = listOf(source, MAX_ITEMS).flatMap((value) => {
    const read = item(value);
    return read === null ? [] : [read];
  });
  if (items.length === 0) return null;
  return {
    kind: 'timeline',
    title,
    items,
    total: source.length > items.length ? source.length : null,
  };
}

function raw(title: string, value: unknown): SummaryBlock | null {
  if (value === undefined || value === null) return null;
  const shown = typeof value === 'string' ? value : jsonText(value);
  return shown === null || shown === ''
    ? null
    : { kind: 'raw', title, text: clip(shown, MAX_RAW_CHARS) };
}

function note(tone: 'info' | 'warning', said: string | null): SummaryBlock | null {
  return said === null ? null : { kind: 'note', tone, text: clip(said, MAX_FIELD_CHARS) };
}

// Value helpers.

function oneLine(value: string): string {
  return value.replace(/\s+/g, ' ').trim();
}

function firstLine(value: string | null): string | null {
  if (value === null) return null;
  const line = value.split(/\r?\n/, 1)[0]?.trim() ?? '';
  return line === '' ? null : line;
}

function yesNo(value: boolean | null): string | null {
  return value === null ? null : value ? l10n.t('Yes') : l10n.t('No');
}

function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}

/** Unix seconds ("1700000000" or Slack's "1700000000.000100") as ISO 8601, else as written. */
function unixTime(value: unknown): string | null {
  const written = text(value);
  if (written === null) return null;
  if (!/^\d{1,12}(\.\d+)?$/.test(written.trim())) return written;
  const date = new Date(Number(written) * 1000);
  return Number.isNaN(date.getTime()) ? written : date.toISOString();
}

function joined(values: ReadonlyArray<string | null>, separator = ', '): string | null {
  const present = values.filter((value): value is string => value !== null && value !== '');
  return present.length === 0 ? null : present.join(separator);
}

/** `refs/heads/main` → `main`, `refs/tags/v1` → `v1`. */
function shortRef(ref: string | null): string | null {
  if (ref === null) return null;
  return ref.replace(/^refs\/(heads|tags)\//, '');
}

function shortSha(sha: string | null): string | null {
  return sha !== null && /^[0-9a-f]{40}$/i.test(sha) ? sha.slice(0, 7) : sha;
}

/** Stripe's currencies without minor units, and those with three (stripe.com/docs/currencies). */
const ZERO_DECIMAL = new Set([
  'bif',
  'clp',
  'djf',
  'gnf',
  'jpy',
  'kmf',
  'krw',
  'mga',
  'pyg',
  'rwf',
  'ugx',
  'vnd',
  'vuv',
  'xaf',
  'xof',
  'xpf',
]);
const THREE_DECIMAL = new Set(['bhd', 'jod', 'kwd', 'omr', 'tnd']);

/** An amount in minor units with its currency: `1234`, `usd` → `12.34 USD`. Exact, any size. */
export function formatMinorUnits(amount: string | null, currency: string | null): string | null {
  if (amount === null) return null;
  const match = /^(-?)(\d{1,40})$/.exec(amount.trim());
  const code = currency?.trim().toLowerCase() ?? null;
  if (match === null || code === null || !/^[a-z]{3}$/.test(code)) {
    return joined([amount, currency?.toUpperCase() ?? null], ' ');
  }
  const [, sign = '', digits = ''] = match;
  const decimals = ZERO_DECIMAL.has(code) ? 0 : THREE_DECIMAL.has(code) ? 3 : 2;
  const padded = digits.padStart(decimals + 1, '0');
  const whole = padded.slice(0, padded.length - decimals).replace(/^0+(?=\d)/, '');
  const grouped = whole.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  const fraction = decimals === 0 ? '' : `.${padded.slice(padded.length - decimals)}`;
  return `${sign}${grouped}${fraction} ${code.toUpperCase()}`;
}

/** A decimal amount as Shopify writes it (`"199.00"`) with its currency. */
function decimalAmount(amount: string | null, currency: string | null): string | null {
  if (amount === null) return null;
  return joined([amount, currency], ' ');
}

// GitHub (docs.github.com/webhooks/webhook-events-and-payloads).

function github(input: Input): Summary {
  const body = input.body;
  const name = input.header('x-github-event') ?? input.event?.split('.')[0] ?? null;
  const action = nonEmpty(at(body, 'action'));
  const repository = nonEmpty(at(body, 'repository', 'full_name'));
  const login = nonEmpty(at(body, 'sender', 'login'));
  const common = fields(null, [
    [l10n.t('Event'), name],
    [l10n.t('Action'), action],
    [l10n.t('Repository'), repository, 'text', 'repository'],
    [l10n.t('Ref'), nonEmpty(at(body, 'ref'))],
    [l10n.t('Sender'), login],
    [l10n.t('Delivery'), input.header('x-github-delivery'), 'code'],
    [l10n.t('Hook ID'), input.header('x-github-hook-id') ?? nonEmpty(at(body, 'hook_id')), 'code'],
  ]);
  const specific = githubEvent(name, body, login, action);
  return {
    icon: specific.icon,
    headline: specific.headline ?? joined([name, action], ' '),
    blocks: [common, ...specific.blocks],
  };
}

function githubEvent(
  name: string | null,
  body: unknown,
  login: string | null,
  action: string | null,
): Summary {
  switch (name) {
    case 'push':
      return githubPush(body, login);
    case 'pull_request':
    case 'pull_request_review':
    case 'pull_request_review_comment':
      return githubPullRequest(body, action);
    case 'issues':
    case 'issue_comment':
      return githubIssue(body, action);
    case 'release': {
      const release = at(body, 'release');
      const tag = nonEmpty(at(release, 'tag_name'));
      return {
        icon: 'github',
        headline: joined(
          [`Release ${nonEmpty(at(release, 'name')) ?? tag ?? ''}`.trim(), action],
          ' ',
        ),
        blocks: [
          fields(l10n.t('Release'), [
            [l10n.t('Tag'), tag, 'code'],
            [l10n.t('Name'), nonEmpty(at(release, 'name'))],
            [l10n.t('Author'), nonEmpty(at(release, 'author', 'login'))],
            [l10n.t('Draft'), yesNo(flag(at(release, 'draft')))],
            [l10n.t('Pre-release'), yesNo(flag(at(release, 'prerelease')))],
            [l10n.t('Published'), nonEmpty(at(release, 'published_at')), 'time'],
            [l10n.t('Notes'), nonEmpty(at(release, 'body')), 'multiline'],
          ]),
        ],
      };
    }
    case 'workflow_run':
    case 'workflow_job':
    case 'check_run':
    case 'check_suite': {
      const run = at(body, name);
      const title = nonEmpty(at(run, 'name')) ?? nonEmpty(at(run, 'app', 'name')) ?? name;
      const conclusion = nonEmpty(at(run, 'conclusion'));
      const status = nonEmpty(at(run, 'status'));
      return {
        icon: 'github',
        headline: `${title}: ${conclusion ?? status ?? action ?? name}`,
        blocks: [
          fields(l10n.t('Run'), [
            [l10n.t('Name'), nonEmpty(at(run, 'name'))],
            [l10n.t('Status'), status],
            [l10n.t('Conclusion'), conclusion],
            [l10n.t('Branch'), nonEmpty(at(run, 'head_branch'))],
            [l10n.t('Commit'), shortSha(nonEmpty(at(run, 'head_sha'))), 'code'],
            [l10n.t('Run number'), nonEmpty(at(run, 'run_number'))],
            [l10n.t('Triggered by'), nonEmpty(at(run, 'event'))],
            [
              l10n.t('Started'),
              nonEmpty(at(run, 'run_started_at') ?? at(run, 'started_at')),
              'time',
            ],
            [l10n.t('Completed'), nonEmpty(at(run, 'completed_at')), 'time'],
          ]),
        ],
      };
    }
    case 'ping':
      return {
        icon: 'bell',
        headline: 'GitHub checks the webhook (ping)',
        blocks: [
          fields(l10n.t('Ping'), [
            [l10n.t('Zen'), nonEmpty(at(body, 'zen'))],
            [l10n.t('Hook ID'), nonEmpty(at(body, 'hook_id')), 'code'],
            [l10n.t('Events'), joined(listOf(at(body, 'hook', 'events')).map(nonEmpty))],
          ]),
        ],
      };
    case 'create':
    case 'delete': {
      const refType = nonEmpty(at(body, 'ref_type'));
      const ref = nonEmpty(at(body, 'ref'));
      return {
        icon: 'github',
        headline: joined([login, name === 'create' ? 'created' : 'deleted', refType, ref], ' '),
        blocks: [],
      };
    }
    default:
      return { icon: 'github', headline: null, blocks: [] };
  }
}

function githubPush(body: unknown, login: string | null): Summary {
  const commits = at(body, 'commits');
  const count = Array.isArray(commits) ? commits.length : null;
  const ref = nonEmpty(at(body, 'ref'));
  const branch = shortRef(ref);
  const who = nonEmpty(at(body, 'pusher', 'name')) ?? login ?? 'Someone';
  const deleted = flag(at(body, 'deleted')) === true;
  const created = flag(at(body, 'created')) === true;
  const headline = deleted
    ? `${who} deleted ${branch ?? 'a ref'}`
    : count === null
      ? `${who} pushed to ${branch ?? 'a ref'}`
      : `${who} pushed ${plural(count, 'commit')} to ${branch ?? 'a ref'}${created ? ' (new)' : ''}`;
  const head = at(body, 'head_commit');
  return {
    icon: 'repo-push',
    headline,
    blocks: [
      fields(l10n.t('Push'), [
        [l10n.t('Commits'), count === null ? null : String(count)],
        [l10n.t('Head commit'), nonEmpty(at(head, 'message')), 'multiline'],
        [l10n.t('Head commit ID'), shortSha(nonEmpty(at(head, 'id'))), 'code'],
        [l10n.t('Head author'), nonEmpty(at(head, 'author', 'name'))],
        [l10n.t('Before'), shortSha(nonEmpty(at(body, 'before'))), 'code'],
        [l10n.t('After'), shortSha(nonEmpty(at(body, 'after'))), 'code'],
        [l10n.t('Created'), yesNo(flag(at(body, 'created')))],
        [l10n.t('Deleted'), yesNo(flag(at(body, 'deleted')))],
        [l10n.t('Forced'), yesNo(flag(at(body, 'forced')))],
        [l10n.t('Compare'), nonEmpty(at(body, 'compare')), 'code'],
      ]),
      timeline(l10n.t('Commits'), commits, (commit) => {
        const said = nonEmpty(at(commit, 'message'));
        const id = shortSha(nonEmpty(at(commit, 'id')));
        if (said === null && id === null) return null;
        return {
          title: firstLine(said) ?? id ?? '',
          time: nonEmpty(at(commit, 'timestamp')),
          detail: joined(
            [
              nonEmpty(at(commit, 'author', 'name')) ?? nonEmpty(at(commit, 'author', 'username')),
              id,
            ],
            ' · ',
          ),
          fields: fieldsOf([
            [l10n.t('Added'), countOf(at(commit, 'added'))],
            [l10n.t('Removed'), countOf(at(commit, 'removed'))],
            [l10n.t('Modified'), countOf(at(commit, 'modified'))],
          ]),
        };
      }),
    ],
  };
}

function countOf(value: unknown): string | null {
  return Array.isArray(value) && value.length > 0 ? String(value.length) : null;
}

function githubPullRequest(body: unknown, action: string | null): Summary {
  const pull = at(body, 'pull_request');
  const number = nonEmpty(at(pull, 'number')) ?? nonEmpty(at(body, 'number'));
  const title = nonEmpty(at(pull, 'title'));
  const merged = flag(at(pull, 'merged')) === true;
  const state = merged ? 'merged' : nonEmpty(at(pull, 'state'));
  const review = at(body, 'review');
  const comment = at(body, 'comment');
  return {
    icon: 'git-pull-request',
    headline: `PR #${number ?? '?'}${action === null ? '' : ` ${action}`}${title === null ? '' : `: ${title}`}`,
    blocks: [
      fields(l10n.t('Pull request'), [
        [l10n.t('Title'), title],
        [l10n.t('Number'), number === null ? null : `#${number}`],
        [l10n.t('State'), state],
        [l10n.t('Draft'), yesNo(flag(at(pull, 'draft')))],
        [l10n.t('Author'), nonEmpty(at(pull, 'user', 'login'))],
        [
          l10n.t('Branches'),
          joined([nonEmpty(at(pull, 'head', 'ref')), nonEmpty(at(pull, 'base', 'ref'))], ' → '),
        ],
        [l10n.t('Commits'), nonEmpty(at(pull, 'commits'))],
        [l10n.t('Changed files'), nonEmpty(at(pull, 'changed_files'))],
        [
          l10n.t('Lines'),
          nonEmpty(at(pull, 'additions')) === null
            ? null
            : `+${text(at(pull, 'additions'))} −${text(at(pull, 'deletions')) ?? '?'}`,
        ],
        [l10n.t('Merged by'), nonEmpty(at(pull, 'merged_by', 'login'))],
        [l10n.t('Link'), nonEmpty(at(pull, 'html_url')), 'code'],
      ]),
      fields(l10n.t('Review'), [
        [l10n.t('State'), nonEmpty(at(review, 'state'))],
        [l10n.t('Reviewer'), nonEmpty(at(review, 'user', 'login'))],
      ]),
      transcript(l10n.t('Said'), [
        message('user', nonEmpty(at(review, 'user', 'login')), nonEmpty(at(review, 'body'))),
        message(
          'user',
          nonEmpty(at(comment, 'user', 'login')),
          nonEmpty(at(comment, 'body')),
          nonEmpty(at(comment, 'created_at')),
        ),
      ]),
      raw(l10n.t('Description'), nonEmpty(at(pull, 'body'))),
    ],
  };
}

function githubIssue(body: unknown, action: string | null): Summary {
  const issue = at(body, 'issue');
  const number = nonEmpty(at(issue, 'number'));
  const title = nonEmpty(at(issue, 'title'));
  const comment = at(body, 'comment');
  return {
    icon: 'issues',
    headline: `Issue #${number ?? '?'}${action === null ? '' : ` ${action}`}${title === null ? '' : `: ${title}`}`,
    blocks: [
      fields(l10n.t('Issue'), [
        [l10n.t('Title'), title],
        [l10n.t('Number'), number === null ? null : `#${number}`],
        [l10n.t('State'), nonEmpty(at(issue, 'state'))],
        [l10n.t('Author'), nonEmpty(at(issue, 'user', 'login'))],
        [
          l10n.t('Labels'),
          joined(listOf(at(issue, 'labels')).map((label) => nonEmpty(at(label, 'name')))),
        ],
        [l10n.t('Link'), nonEmpty(at(issue, 'html_url')), 'code'],
      ]),
      transcript(l10n.t('Comment'), [
        message(
          'user',
          nonEmpty(at(comment, 'user', 'login')),
          nonEmpty(at(comment, 'body')),
          nonEmpty(at(comment, 'created_at')),
        ),
      ]),
    ],
  };
}

// Stripe (docs.stripe.com/api/events/object).

function stripe(input: Input): Summary {
  const body = input.body;
  const type = nonEmpty(at(body, 'type')) ?? input.event;
  const object = at(body, 'data', 'object');
  const objectType = nonEmpty(at(object, 'object'));
  const currency = nonEmpty(at(object, 'currency'));
  const money = (key: string): string | null => formatMinorUnits(text(at(object, key)), currency);
  const amount = money('amount') ?? money('amount_total') ?? money('amount_due');
  const status = nonEmpty(at(object, 'status'));
  const livemode = flag(at(body, 'livemode'));
  const customer = at(object, 'customer');
  const error =
    nonEmpty(at(object, 'last_payment_error', 'message')) ??
    nonEmpty(at(object, 'failure_message'));
  return {
    icon: 'credit-card',
    headline: joined([type, amount, status], ' · '),
    blocks: [
      livemode === true ? note('warning', l10n.t('A live-mode event: real money moved.')) : null,
      note('warning', error === null ? null : l10n.t('Payment error: {0}', error)),
      fields(null, [
        [l10n.t('Type'), type],
        [l10n.t('Event ID'), nonEmpty(at(body, 'id')), 'code'],
        [l10n.t('Created'), unixTime(at(body, 'created')), 'time'],
        [l10n.t('Mode'), livemode === null ? null : livemode ? l10n.t('Live') : l10n.t('Test')],
        [l10n.t('API version'), nonEmpty(at(body, 'api_version'))],
        [
          l10n.t('Request'),
          nonEmpty(at(body, 'request', 'id')) ?? nonEmpty(at(body, 'request')),
          'code',
        ],
      ]),
      fields(objectType === null ? l10n.t('Object') : l10n.t('Object: {0}', objectType), [
        [l10n.t('Type'), objectType],
        [l10n.t('ID'), nonEmpty(at(object, 'id')), 'code'],
        [l10n.t('Amount'), amount],
        [l10n.t('Amount received'), money('amount_received')],
        [l10n.t('Amount paid'), money('amount_paid')],
        [l10n.t('Amount captured'), money('amount_captured')],
        [l10n.t('Amount refunded'), money('amount_refunded')],
        [l10n.t('Status'), status],
        [l10n.t('Customer'), nonEmpty(customer) ?? nonEmpty(at(customer, 'id')), 'code'],
        [
          l10n.t('Email'),
          nonEmpty(at(object, 'customer_email')) ??
            nonEmpty(at(object, 'receipt_email')) ??
            nonEmpty(at(object, 'customer_details', 'email')) ??
            nonEmpty(at(object, 'email')),
        ],
        [l10n.t('Description'), nonEmpty(at(object, 'description'))],
        [l10n.t('Payment intent'), nonEmpty(at(object, 'payment_intent')), 'code'],
        [l10n.t('Subscription'), nonEmpty(at(object, 'subscription')), 'code'],
        [l10n.t('Invoice'), nonEmpty(at(object, 'invoice')), 'code'],
        [l10n.t('Created'), unixTime(at(object, 'created')), 'time'],
      ]),
      raw(l10n.t('Changed (previous values)'), at(body, 'data', 'previous_attributes')),
    ],
  };
}

// Slack: Events API, interactivity (a form's `payload` JSON) and slash commands (a form).

function slack(input: Input): Summary {
  const body = input.body;
  const type = nonEmpty(at(body, 'type'));
  const command = input.field('command');
  if (type === null && command !== null) return slackCommand(input, command);
  if (type === 'url_verification') {
    return {
      icon: 'bell',
      headline: 'Slack checks the request URL (url_verification)',
      blocks: [
        note(
          'info',
          l10n.t(
            'Slack sends this once when the Request URL is saved; HookLens answered it with the challenge.',
          ),
        ),
      ],
    };
  }
  if (type === 'event_callback') {
    const event = at(body, 'event');
    const eventType = joined([nonEmpty(at(event, 'type')), nonEmpty(at(event, 'subtype'))], '/');
    const channel = nonEmpty(at(event, 'channel')) ?? nonEmpty(at(event, 'item', 'channel'));
    const user =
      nonEmpty(at(event, 'user')) ??
      nonEmpty(at(event, 'username')) ??
      nonEmpty(at(event, 'bot_id'));
    const isBot = nonEmpty(at(event, 'bot_id')) !== null;
    return {
      icon: 'comment-discussion',
      headline: joined(
        [eventType, channel === null ? null : `in ${channel}`, user === null ? null : `by ${user}`],
        ' ',
      ),
      blocks: [
        fields(null, [
          [l10n.t('Event type'), eventType],
          [l10n.t('Channel'), channel, 'code'],
          [l10n.t('Channel type'), nonEmpty(at(event, 'channel_type'))],
          [l10n.t('User'), user, 'code'],
          [l10n.t('Reaction'), nonEmpty(at(event, 'reaction'))],
          [l10n.t('Thread'), unixTime(at(event, 'thread_ts')), 'time'],
          [l10n.t('Team'), nonEmpty(at(body, 'team_id')), 'code'],
          [l10n.t('App'), nonEmpty(at(body, 'api_app_id')), 'code'],
          [l10n.t('Event ID'), nonEmpty(at(body, 'event_id')), 'code'],
          [l10n.t('Event time'), unixTime(at(body, 'event_time')), 'time'],
        ]),
        transcript(l10n.t('Message'), [
          message(
            isBot ? 'assistant' : 'user',
            user,
            nonEmpty(at(event, 'text')),
            unixTime(at(event, 'ts')),
          ),
        ]),
      ],
    };
  }
  if (type !== null) {
    // Interactivity: block_actions, view_submission, shortcut, message_action, …
    const user =
      nonEmpty(at(body, 'user', 'username')) ??
      nonEmpty(at(body, 'user', 'name')) ??
      nonEmpty(at(body, 'user', 'id'));
    const actions = listOf(at(body, 'actions'), MAX_ITEMS);
    return {
      icon: 'comment-discussion',
      headline: joined([type, user === null ? null : `by ${user}`], ' '),
      blocks: [
        fields(null, [
          [l10n.t('Type'), type],
          [l10n.t('User'), user],
          [
            l10n.t('Channel'),
            nonEmpty(at(body, 'channel', 'name')) ?? nonEmpty(at(body, 'channel', 'id')),
          ],
          [
            l10n.t('Team'),
            nonEmpty(at(body, 'team', 'domain')) ?? nonEmpty(at(body, 'team', 'id')),
          ],
          [
            l10n.t('Callback ID'),
            nonEmpty(at(body, 'callback_id')) ?? nonEmpty(at(body, 'view', 'callback_id')),
            'code',
          ],
          [l10n.t('Trigger ID'), nonEmpty(at(body, 'trigger_id')), 'code'],
        ]),
        fields(
          actions.length === 0 ? null : l10n.t('Actions'),
          actions.map(
            (action, index) =>
              [
                nonEmpty(at(action, 'action_id')) ?? l10n.t('Action {0}', index + 1),
                nonEmpty(at(action, 'value')) ??
                  nonEmpty(at(action, 'selected_option', 'value')) ??
                  nonEmpty(at(action, 'type')),
              ] as const,
          ),
        ),
      ],
    };
  }
  return { icon: 'comment-discussion', headline: null, blocks: [] };
}

function slackCommand(input: Input, command: string): Summary {
  const said = input.field('text');
  const user = input.field('user_name') ?? input.field('user_id');
  return {
    icon: 'terminal',
    headline: `${user ?? 'Someone'} ran ${joined([command, said], ' ') ?? command}`,
    blocks: [
      fields(null, [
        [l10n.t('Command'), command, 'code'],
        [l10n.t('Text'), said],
        [l10n.t('User'), joined([input.field('user_name'), input.field('user_id')], ' · ')],
        [
          l10n.t('Channel'),
          joined([input.field('channel_name'), input.field('channel_id')], ' · '),
        ],
        [l10n.t('Team'), joined([input.field('team_domain'), input.field('team_id')], ' · ')],
        [l10n.t('Response URL'), input.field('response_url'), 'code'],
        [l10n.t('Trigger ID'), input.field('trigger_id'), 'code'],
      ]),
      transcript(l10n.t('Command'), [message('user', user, joined([command, said], ' '))]),
    ],
  };
}

// Twilio: messaging and voice webhooks and status callbacks (form fields, PascalCase).

function twilio(input: Input): Summary {
  const field = input.field.bind(input);
  const from = field('From');
  const to = field('To');
  const said = field('Body');
  const messageStatus = field('MessageStatus') ?? field('SmsStatus');
  const callStatus = field('CallStatus');
  const isCall = callStatus !== null || field('CallSid') !== null;
  const media = Number(field('NumMedia') ?? '0');
  const mediaRows: Row[] = [];
  for (let index = 0; Number.isInteger(media) && index < Math.min(media, 10); index++) {
    mediaRows.push([
      field(`MediaContentType${index}`) ?? l10n.t('Media {0}', index + 1),
      field(`MediaUrl${index}`),
      'code',
    ]);
  }
  const error = joined([field('ErrorCode'), field('ErrorMessage')], ': ');
  const route = joined([from, to], ' → ');
  return {
    icon: isCall ? 'call-incoming' : 'device-mobile',
    headline: isCall
      ? joined([`Call ${route ?? ''}`.trim(), callStatus], ': ')
      : joined([`Message ${route ?? ''}`.trim(), messageStatus], ': '),
    blocks: [
      note('warning', error === null ? null : l10n.t('Error {0}', error)),
      fields(null, [
        [l10n.t('From'), from],
        [l10n.t('To'), to],
        [l10n.t('Body'), said, 'multiline'],
        [l10n.t('Status'), isCall ? callStatus : messageStatus],
        [l10n.t('Direction'), field('Direction')],
        [l10n.t('Duration'), field('CallDuration') ?? field('Duration')],
        [l10n.t('Speech'), field('SpeechResult')],
        [l10n.t('Digits'), field('Digits')],
        [
          l10n.t('From (place)'),
          joined([field('FromCity'), field('FromState'), field('FromCountry')]),
        ],
        [l10n.t('Message SID'), field('MessageSid') ?? field('SmsSid'), 'code'],
        [l10n.t('Call SID'), field('CallSid'), 'code'],
        [l10n.t('Account SID'), field('AccountSid'), 'code'],
        [l10n.t('Recording'), field('RecordingUrl'), 'code'],
        [l10n.t('API version'), field('ApiVersion')],
      ]),
      fields(mediaRows.length === 0 ? null : l10n.t('Media'), mediaRows),
      isCall ? null : transcript(l10n.t('Message'), [message('user', from, said)]),
    ],
  };
}

// Shopify (shopify.dev/docs/api/webhooks): the topic is in X-Shopify-Topic.

function shopify(input: Input): Summary {
  const body = input.body;
  const topic = input.header('x-shopify-topic') ?? input.event;
  const common = fields(null, [
    [l10n.t('Topic'), topic, 'code'],
    [l10n.t('Shop'), input.header('x-shopify-shop-domain')],
    [l10n.t('API version'), input.header('x-shopify-api-version')],
    [l10n.t('Triggered'), input.header('x-shopify-triggered-at'), 'time'],
    [
      l10n.t('Webhook ID'),
      input.header('x-shopify-webhook-id') ?? input.header('x-shopify-event-id'),
      'code',
    ],
  ]);
  const resource = topic?.split('/')[0] ?? null;
  if (resource === 'orders' || resource === 'draft_orders' || resource === 'checkouts') {
    const currency = nonEmpty(at(body, 'currency'));
    const total = decimalAmount(nonEmpty(at(body, 'total_price')), currency);
    const name = nonEmpty(at(body, 'name'));
    const financial = nonEmpty(at(body, 'financial_status'));
    const customer = at(body, 'customer');
    const items = at(body, 'line_items');
    const itemRows = listOf(items, MAX_ITEMS).map((item, index) => {
      const quantity = nonEmpty(at(item, 'quantity'));
      const title =
        nonEmpty(at(item, 'title')) ?? nonEmpty(at(item, 'name')) ?? l10n.t('Item {0}', index + 1);
      return [
        quantity === null ? title : `${quantity} × ${title}`,
        decimalAmount(nonEmpty(at(item, 'price')), currency) ?? '',
      ] as const;
    });
    return {
      icon: 'package',
      headline: joined(
        [`Order ${name ?? nonEmpty(at(body, 'id')) ?? ''}`.trim(), total, financial],
        ' · ',
      ),
      blocks: [
        common,
        fields(l10n.t('Order'), [
          [l10n.t('Name'), name],
          [l10n.t('Number'), nonEmpty(at(body, 'order_number')) ?? nonEmpty(at(body, 'number'))],
          [l10n.t('ID'), nonEmpty(at(body, 'id')), 'code'],
          [l10n.t('Total'), total],
          [l10n.t('Subtotal'), decimalAmount(nonEmpty(at(body, 'subtotal_price')), currency)],
          [l10n.t('Tax'), decimalAmount(nonEmpty(at(body, 'total_tax')), currency)],
          [l10n.t('Financial status'), financial],
          [l10n.t('Fulfillment status'), nonEmpty(at(body, 'fulfillment_status'))],
          [l10n.t('Email'), nonEmpty(at(body, 'email')) ?? nonEmpty(at(body, 'contact_email'))],
          [
            l10n.t('Customer'),
            joined(
              [nonEmpty(at(customer, 'first_name')), nonEmpty(at(customer, 'last_name'))],
              ' ',
            ),
          ],
          [l10n.t('Created'), nonEmpty(at(body, 'created_at')), 'time'],
          [l10n.t('Cancelled'), nonEmpty(at(body, 'cancelled_at')), 'time'],
          [l10n.t('Cancel reason'), nonEmpty(at(body, 'cancel_reason'))],
        ]),
        fields(Array.isArray(items) ? l10n.t('Line items ({0})', items.length) : null, itemRows),
      ],
    };
  }
  const title =
    nonEmpty(at(body, 'title')) ??
    nonEmpty(at(body, 'name')) ??
    joined([nonEmpty(at(body, 'first_name')), nonEmpty(at(body, 'last_name'))], ' ');
  return {
    icon: 'package',
    headline: joined([topic, title], ': '),
    blocks: [
      common,
      fields(resource === null ? null : resource.replace(/_/g, ' '), [
        [l10n.t('Title'), title],
        [l10n.t('ID'), nonEmpty(at(body, 'id')), 'code'],
        [l10n.t('Email'), nonEmpty(at(body, 'email'))],
        [l10n.t('Vendor'), nonEmpty(at(body, 'vendor'))],
        [l10n.t('Type'), nonEmpty(at(body, 'product_type'))],
        [l10n.t('Status'), nonEmpty(at(body, 'status')) ?? nonEmpty(at(body, 'state'))],
        [l10n.t('Variants'), countOf(at(body, 'variants'))],
        [l10n.t('Orders'), nonEmpty(at(body, 'orders_count'))],
        [l10n.t('Domain'), nonEmpty(at(body, 'domain'))],
        [l10n.t('Updated'), nonEmpty(at(body, 'updated_at')), 'time'],
      ]),
    ],
  };
}

// Standard Webhooks (standardwebhooks.com): `{type, timestamp, data}`.

function standardWebhooks(input: Input): Summary {
  const body = input.body;
  const type = nonEmpty(at(body, 'type')) ?? nonEmpty(at(body, 'event_type')) ?? input.event;
  const data = at(body, 'data');
  const dataId = nonEmpty(at(data, 'id')) ?? nonEmpty(at(data, 'object', 'id'));
  return {
    icon: 'bell',
    headline: joined([type, dataId], ' · '),
    blocks: [
      fields(null, [
        [l10n.t('Type'), type, 'code'],
        [l10n.t('Data ID'), dataId, 'code'],
        [l10n.t('Timestamp'), nonEmpty(at(body, 'timestamp')), 'time'],
        [l10n.t('Webhook ID'), input.header('webhook-id') ?? input.header('svix-id'), 'code'],
        [
          l10n.t('Sent'),
          unixTime(input.header('webhook-timestamp') ?? input.header('svix-timestamp')),
          'time',
        ],
      ]),
      isObject(data) || Array.isArray(data) ? raw(l10n.t('Data'), data) : null,
    ],
  };
}

// GitLab (docs.gitlab.com/user/project/integrations/webhook_events).

function gitlab(input: Input): Summary {
  const body = input.body;
  const kind = nonEmpty(at(body, 'object_kind')) ?? nonEmpty(at(body, 'event_name')) ?? input.event;
  const project = nonEmpty(at(body, 'project', 'path_with_namespace'));
  const user = nonEmpty(at(body, 'user_name')) ?? nonEmpty(at(body, 'user', 'username'));
  const attributes = at(body, 'object_attributes');
  if (kind === 'push' || kind === 'tag_push') {
    const count = nonEmpty(at(body, 'total_commits_count'));
    const ref = shortRef(nonEmpty(at(body, 'ref')));
    return {
      icon: 'repo-push',
      headline: `${user ?? 'Someone'} pushed ${count === null ? '' : `${plural(Number(count), 'commit')} `}to ${ref ?? 'a ref'}`,
      blocks: [
        fields(null, [
          [l10n.t('Event'), kind],
          [l10n.t('Project'), project],
          [l10n.t('Ref'), nonEmpty(at(body, 'ref'))],
          [l10n.t('User'), user],
          [l10n.t('Commits'), count],
          [l10n.t('Before'), shortSha(nonEmpty(at(body, 'before'))), 'code'],
          [l10n.t('After'), shortSha(nonEmpty(at(body, 'after'))), 'code'],
        ]),
        timeline(l10n.t('Commits'), at(body, 'commits'), (commit) => {
          const said = nonEmpty(at(commit, 'message')) ?? nonEmpty(at(commit, 'title'));
          if (said === null) return null;
          return {
            title: firstLine(said) ?? said,
            time: nonEmpty(at(commit, 'timestamp')),
            detail: joined(
              [nonEmpty(at(commit, 'author', 'name')), shortSha(nonEmpty(at(commit, 'id')))],
              ' · ',
            ),
            fields: [],
          };
        }),
      ],
    };
  }
  const iid = nonEmpty(at(attributes, 'iid'));
  const title = nonEmpty(at(attributes, 'title')) ?? nonEmpty(at(attributes, 'name'));
  const action = nonEmpty(at(attributes, 'action'));
  return {
    icon: kind === 'merge_request' ? 'git-pull-request' : kind === 'issue' ? 'issues' : 'bell',
    headline: joined([kind, iid === null ? null : `!${iid}`, action, title], ' '),
    blocks: [
      fields(null, [
        [l10n.t('Event'), kind],
        [l10n.t('Project'), project],
        [l10n.t('User'), user],
        [l10n.t('Title'), title],
        [l10n.t('Number'), iid],
        [l10n.t('Action'), action],
        [l10n.t('State'), nonEmpty(at(attributes, 'state')) ?? nonEmpty(at(attributes, 'status'))],
        [
          l10n.t('Branches'),
          joined(
            [nonEmpty(at(attributes, 'source_branch')), nonEmpty(at(attributes, 'target_branch'))],
            ' → ',
          ),
        ],
        [l10n.t('Link'), nonEmpty(at(attributes, 'url')), 'code'],
      ]),
      transcript(l10n.t('Note'), [
        kind === 'note' ? message('user', user, nonEmpty(at(attributes, 'note'))) : null,
      ]),
    ],
  };
}

// Discord interactions (discord.com/developers/docs/interactions/receiving-and-responding).

/** Interaction types as the headline names them (English, like every headline). */
const DISCORD_TYPES: Readonly<Record<string, string>> = {
  '1': 'Ping',
  '2': 'Application command',
  '3': 'Message component',
  '4': 'Autocomplete',
  '5': 'Modal submit',
};

/** The same for the Type field, in the editor's language. */
function discordTypeLabel(type: string): string {
  switch (type) {
    case '1':
      return l10n.t('Ping');
    case '2':
      return l10n.t('Application command');
    case '3':
      return l10n.t('Message component');
    case '4':
      return l10n.t('Autocomplete');
    case '5':
      return l10n.t('Modal submit');
    default:
      return l10n.t('Type {0}', type);
  }
}

function discord(input: Input): Summary {
  const body = input.body;
  const type = nonEmpty(at(body, 'type'));
  const typeName = type === null ? null : (DISCORD_TYPES[type] ?? `Type ${type}`);
  const command = nonEmpty(at(body, 'data', 'name'));
  const user =
    nonEmpty(at(body, 'member', 'user', 'username')) ?? nonEmpty(at(body, 'user', 'username'));
  const options = listOf(at(body, 'data', 'options'), MAX_ITEMS);
  return {
    icon: type === '1' ? 'bell' : 'terminal',
    headline:
      type === '1'
        ? 'Discord checks the endpoint (PING)'
        : joined(
            [
              typeName,
              command === null ? null : `/${command}`,
              user === null ? null : `by ${user}`,
            ],
            ' ',
          ),
    blocks: [
      fields(null, [
        [l10n.t('Type'), type === null ? null : discordTypeLabel(type)],
        [l10n.t('Command'), command === null ? null : `/${command}`, 'code'],
        [l10n.t('Custom ID'), nonEmpty(at(body, 'data', 'custom_id')), 'code'],
        [l10n.t('User'), user],
        [l10n.t('Guild'), nonEmpty(at(body, 'guild_id')), 'code'],
        [l10n.t('Channel'), nonEmpty(at(body, 'channel_id')), 'code'],
        [l10n.t('Interaction ID'), nonEmpty(at(body, 'id')), 'code'],
      ]),
      fields(
        options.length === 0 ? null : l10n.t('Options'),
        options.map(
          (option, index) =>
            [
              nonEmpty(at(option, 'name')) ?? l10n.t('Option {0}', index + 1),
              text(at(option, 'value')) ?? jsonText(at(option, 'value')),
            ] as const,
        ),
      ),
    ],
  };
}

// Meta (developers.facebook.com/docs/graph-api/webhooks): WhatsApp Cloud API changes, Messenger
// and Instagram messaging, other objects' field changes. Each entry may batch several events.

function meta(input: Input): Summary {
  const body = input.body;
  const object = nonEmpty(at(body, 'object'));
  const entries = listOf(at(body, 'entry'), MAX_ITEMS);
  const messages: Array<SummaryMessage | null> = [];
  const statuses: Row[] = [];
  const changed: Row[] = [];
  for (const entry of entries) {
    for (const change of listOf(at(entry, 'changes'), MAX_ITEMS)) {
      const field = nonEmpty(at(change, 'field'));
      const value = at(change, 'value');
      const names = new Map(
        listOf(at(value, 'contacts'), MAX_ITEMS).map(
          (contact) =>
            [nonEmpty(at(contact, 'wa_id')), nonEmpty(at(contact, 'profile', 'name'))] as const,
        ),
      );
      const whatsappMessages = listOf(at(value, 'messages'), MAX_ITEMS);
      for (const item of whatsappMessages) {
        const from = nonEmpty(at(item, 'from'));
        const type = nonEmpty(at(item, 'type'));
        messages.push(
          message(
            'user',
            joined([names.get(from) ?? null, from], ' · '),
            nonEmpty(at(item, 'text', 'body')) ??
              nonEmpty(at(item, 'button', 'text')) ??
              nonEmpty(at(item, 'interactive', 'button_reply', 'title')) ??
              (type === null ? null : `(${type})`),
            unixTime(at(item, 'timestamp')),
          ),
        );
      }
      for (const status of listOf(at(value, 'statuses'), MAX_ITEMS)) {
        statuses.push([
          nonEmpty(at(status, 'recipient_id')) ?? l10n.t('Message'),
          joined([nonEmpty(at(status, 'status')), unixTime(at(status, 'timestamp'))], ' · '),
        ]);
      }
      if (whatsappMessages.length === 0 && !Array.isArray(at(value, 'statuses'))) {
        changed.push([field ?? l10n.t('Change'), text(value) ?? jsonText(value), 'multiline']);
      }
    }
    for (const event of listOf(at(entry, 'messaging'), MAX_ITEMS)) {
      messages.push(
        message(
          'user',
          nonEmpty(at(event, 'sender', 'id')),
          nonEmpty(at(event, 'message', 'text')) ??
            nonEmpty(at(event, 'postback', 'title')) ??
            (at(event, 'read') === undefined ? null : l10n.t('(read)')),
          unixTime(at(event, 'timestamp')),
        ),
      );
    }
  }
  const said = messages.filter((item) => item !== null).length;
  return {
    icon: 'comment-discussion',
    headline: joined(
      [
        input.event ?? object,
        said === 0 ? null : plural(said, 'message'),
        statuses.length === 0 ? null : plural(statuses.length, 'status update'),
      ],
      ' · ',
    ),
    blocks: [
      fields(null, [
        [l10n.t('Object'), object, 'code'],
        [l10n.t('Event'), input.event],
        [l10n.t('Entries'), entries.length === 0 ? null : String(entries.length)],
        [l10n.t('Account'), nonEmpty(at(entries[0], 'id')), 'code'],
        [
          l10n.t('Business number'),
          nonEmpty(
            at(
              listOf(at(entries[0], 'changes'), 1)[0],
              'value',
              'metadata',
              'display_phone_number',
            ),
          ),
        ],
      ]),
      transcript(l10n.t('Messages'), messages),
      fields(statuses.length === 0 ? null : l10n.t('Statuses'), statuses),
      fields(changed.length === 0 ? null : l10n.t('Changes'), changed),
    ],
  };
}
