// Provider summaries: what a GitHub, Stripe, Slack, Twilio, Shopify, Standard Webhooks, GitLab or
// Discord delivery says, as generic blocks; and that no payload, however odd, makes one throw.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import githubExamples from '@octokit/webhooks-examples';
import { formatMinorUnits, providerSummary } from '../../src/core/detail/providerSummaries';
import { senderViewOf, senderViewOfText } from '../../src/core/senders/senderView';
import type { ProviderSummaryView, SummaryBlock, SummaryField } from '../../src/shared/detail';
import {
  githubPullRequest,
  githubPush,
  shopifyOrder,
  stripePaymentIntent,
} from './providerRecords';

type Headers = ReadonlyArray<readonly [string, string]>;

function summaryOf(
  provider: string,
  body: unknown,
  event: string | null = null,
  context: { headers?: Headers; form?: Headers | null } = {},
): ProviderSummaryView {
  const view = providerSummary(provider, body, event, context);
  assert.ok(view, `a ${provider} summary`);
  assert.equal(view.kind, 'summary');
  assert.equal(view.provider, provider);
  return view;
}

/** Every field of every fields block, label → value (the first of a label wins). */
function fieldsOf(view: ProviderSummaryView): Map<string, SummaryField> {
  const map = new Map<string, SummaryField>();
  for (const block of view.blocks) {
    if (block.kind !== 'fields') continue;
    for (const field of block.fields) if (!map.has(field.label)) map.set(field.label, field);
  }
  return map;
}

function value(view: ProviderSummaryView, label: string): string | undefined {
  return fieldsOf(view).get(label)?.value;
}

function blockOf<K extends SummaryBlock['kind']>(
  view: ProviderSummaryView,
  kind: K,
): Extract<SummaryBlock, { kind: K }> {
  const block = view.blocks.find((candidate) => candidate.kind === kind);
  assert.ok(block, `a ${kind} block`);
  return block as Extract<SummaryBlock, { kind: K }>;
}

function formOf(text: string): Headers {
  return [...new URLSearchParams(text)].map(([name, field]) => [name, field] as const);
}

function flatOf(form: Headers): Record<string, string> {
  const flat: Record<string, string> = {};
  for (const [name, field] of form) if (!Object.hasOwn(flat, name)) flat[name] = field;
  return flat;
}

describe('provider summaries: GitHub', () => {
  it('a push: repository, ref, sender, commit count, head commit and the commits as a timeline', () => {
    const view = summaryOf('github', githubPush(), 'push', {
      headers: [
        ['X-GitHub-Event', 'push'],
        ['X-GitHub-Delivery', '72d3162e-cc78-11e3-81ab-4c9367dc0958'],
      ],
    });
    assert.equal(view.label, 'GitHub');
    assert.equal(view.icon, 'repo-push');
    assert.equal(view.headline, 'octocat pushed 2 commits to main');
    assert.equal(value(view, 'Event'), 'push');
    assert.equal(value(view, 'Repository'), 'octo-org/hello');
    assert.equal(value(view, 'Ref'), 'refs/heads/main');
    assert.equal(value(view, 'Sender'), 'octocat');
    assert.equal(value(view, 'Delivery'), '72d3162e-cc78-11e3-81ab-4c9367dc0958');
    assert.equal(value(view, 'Commits'), '2');
    assert.equal(value(view, 'Head commit'), 'Add a test for the parser');
    assert.equal(fieldsOf(view).get('Head commit')?.format, 'multiline');
    const timeline = blockOf(view, 'timeline');
    assert.deepEqual(
      timeline.items.map((item) => [item.title, item.time, item.detail]),
      [
        ['Fix the parser', '2025-06-01T11:58:00+02:00', 'Mona Octocat · 1d1a26e'],
        ['Add a test for the parser', '2025-06-01T11:59:00+02:00', 'Mona Octocat · 0d1a26e'],
      ],
    );
    assert.equal(timeline.total, null);
  });

  it('a pull request: title, number, state, author and branches', () => {
    const view = summaryOf('github', githubPullRequest(), 'pull_request.opened', {
      headers: [['X-GitHub-Event', 'pull_request']],
    });
    assert.equal(view.icon, 'git-pull-request');
    assert.equal(view.headline, 'PR #42 opened: Parse forms');
    assert.equal(value(view, 'Action'), 'opened');
    assert.equal(value(view, 'Title'), 'Parse forms');
    assert.equal(value(view, 'Number'), '#42');
    assert.equal(value(view, 'State'), 'open');
    assert.equal(value(view, 'Author'), 'hubot');
    assert.equal(value(view, 'Branches'), 'forms → main');
    assert.equal(value(view, 'Lines'), '+120 −4');
    const merged = githubPullRequest();
    (merged.pull_request as Record<string, unknown>).merged = true;
    (merged.pull_request as Record<string, unknown>).state = 'closed';
    assert.equal(value(summaryOf('github', merged, 'pull_request.closed'), 'State'), 'merged');
  });

  it('reads the event from the record when the header is gone, and lists at most 100 commits', () => {
    const body = githubPush();
    const commit = (body.commits as unknown[])[0];
    body.commits = Array.from({ length: 250 }, () => commit);
    const view = summaryOf('github', body, 'push');
    assert.equal(view.headline, 'octocat pushed 250 commits to main');
    const timeline = blockOf(view, 'timeline');
    assert.equal(timeline.items.length, 100);
    assert.equal(timeline.total, 250);
  });

  it("summarises every one of GitHub's own example payloads without throwing", () => {
    let count = 0;
    for (const { name, examples } of githubExamples) {
      for (const example of examples) {
        const view = summaryOf('github', example, name, { headers: [['X-GitHub-Event', name]] });
        assert.equal(value(view, 'Event'), name);
        assert.ok(view.headline, `${name} has a headline`);
        count++;
      }
    }
    assert.ok(count > 100, `${count} examples`);
  });
});

describe('provider summaries: Stripe', () => {
  it('type, object type and id, amount in its currency, status and mode', () => {
    const view = summaryOf('stripe', stripePaymentIntent(), 'payment_intent.succeeded');
    assert.equal(view.icon, 'credit-card');
    assert.equal(view.headline, 'payment_intent.succeeded · 1,234.56 USD · succeeded');
    assert.equal(value(view, 'Type'), 'payment_intent.succeeded');
    assert.equal(value(view, 'Event ID'), 'evt_3PQ');
    assert.equal(value(view, 'Mode'), 'Test');
    assert.equal(value(view, 'Created'), '2025-06-01T12:00:00.000Z');
    assert.equal(value(view, 'ID'), 'pi_3PQ');
    assert.equal(value(view, 'Amount'), '1,234.56 USD');
    assert.equal(value(view, 'Amount received'), '1,234.56 USD');
    assert.equal(value(view, 'Status'), 'succeeded');
    assert.equal(value(view, 'Customer'), 'cus_9s6XKzkNRiz8i3');
    assert.equal(value(view, 'Email'), 'jenny@example.com');
    const objectBlock = view.blocks.find(
      (block) => block.kind === 'fields' && block.title === 'Object: payment_intent',
    );
    assert.ok(objectBlock);
    assert.match(blockOf(view, 'raw').text, /"status": "processing"/);
    assert.ok(!view.blocks.some((block) => block.kind === 'note'), 'no live-mode warning');
  });

  it('warns about live mode and a payment error', () => {
    const body = stripePaymentIntent();
    body.livemode = true;
    body.type = 'payment_intent.payment_failed';
    (body.data as { object: Record<string, unknown> }).object.last_payment_error = {
      message: 'Your card was declined.',
    };
    const view = summaryOf('stripe', body);
    assert.equal(value(view, 'Mode'), 'Live');
    const notes = view.blocks.filter((block) => block.kind === 'note').map((block) => block.text);
    assert.deepEqual(notes, [
      'A live-mode event: real money moved.',
      'Payment error: Your card was declined.',
    ]);
  });

  it('formats minor units exactly, by the currency’s decimals', () => {
    assert.equal(formatMinorUnits('123456', 'usd'), '1,234.56 USD');
    assert.equal(formatMinorUnits('5', 'eur'), '0.05 EUR');
    assert.equal(formatMinorUnits('0', 'gbp'), '0.00 GBP');
    assert.equal(formatMinorUnits('-250', 'usd'), '-2.50 USD');
    assert.equal(formatMinorUnits('1234', 'jpy'), '1,234 JPY');
    assert.equal(formatMinorUnits('1234', 'KWD'), '1.234 KWD');
    // Past 2^53: exact, because the payload's digits are kept as text.
    assert.equal(formatMinorUnits('12345678901234567890', 'usd'), '123,456,789,012,345,678.90 USD');
    // Not an integer, or no usable currency: shown as written.
    assert.equal(formatMinorUnits('12.5', 'usd'), '12.5 USD');
    assert.equal(formatMinorUnits('100', null), '100');
    assert.equal(formatMinorUnits('100', '<b>'), '100 <B>');
    assert.equal(formatMinorUnits(null, 'usd'), null);
  });

  it('keeps an amount beyond 2^53 exact when parsed from the body text', () => {
    const body = stripePaymentIntent();
    const text = JSON.stringify(body).replace('"amount":123456', '"amount":12345678901234567890');
    const view = senderViewOfText(text, 'stripe', null);
    assert.ok(view?.kind === 'summary');
    assert.equal(value(view, 'Amount'), '123,456,789,012,345,678.90 USD');
  });
});

describe('provider summaries: Slack', () => {
  it('an Events API message: event type, channel, user and the text as a message', () => {
    const view = summaryOf('slack', {
      type: 'event_callback',
      team_id: 'T061EG9R6',
      api_app_id: 'A0PNCHHK2',
      event_id: 'Ev0PV52K25',
      event_time: 1748779200,
      event: {
        type: 'message',
        channel: 'C024BE91L',
        user: 'U2147483697',
        text: 'Live long and prospect.',
        ts: '1748779200.000200',
        channel_type: 'channel',
      },
    });
    assert.equal(view.headline, 'message in C024BE91L by U2147483697');
    assert.equal(value(view, 'Event type'), 'message');
    assert.equal(value(view, 'Channel'), 'C024BE91L');
    assert.equal(value(view, 'User'), 'U2147483697');
    assert.equal(value(view, 'Event time'), '2025-06-01T12:00:00.000Z');
    const messages = blockOf(view, 'transcript').messages;
    assert.deepEqual(messages, [
      {
        role: 'user',
        speaker: 'U2147483697',
        text: 'Live long and prospect.',
        time: '2025-06-01T12:00:00.000Z',
      },
    ]);
  });

  it('a slash command (a form): command, text, user and channel', () => {
    const form = formOf(
      'token=x&team_id=T0001&team_domain=example&channel_id=C2147483705&channel_name=test&user_id=U2147483697&user_name=Steve&command=%2Fweather&text=94070&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2F1234%2F5678&trigger_id=13345224609.738474920.8088930838d88f008e0',
    );
    const view = summaryOf('slack', flatOf(form), '/weather', { form });
    assert.equal(view.icon, 'terminal');
    assert.equal(view.headline, 'Steve ran /weather 94070');
    assert.equal(value(view, 'Command'), '/weather');
    assert.equal(value(view, 'Text'), '94070');
    assert.equal(value(view, 'User'), 'Steve · U2147483697');
    assert.equal(value(view, 'Channel'), 'test · C2147483705');
    assert.equal(blockOf(view, 'transcript').messages[0]?.text, '/weather 94070');
  });

  it('the URL verification handshake, and an interactivity payload', () => {
    const handshake = summaryOf('slack', {
      type: 'url_verification',
      token: 'x',
      challenge: 'abc',
    });
    assert.equal(blockOf(handshake, 'note').tone, 'info');
    const view = summaryOf('slack', {
      type: 'block_actions',
      user: { id: 'U1', username: 'steve' },
      channel: { id: 'C1', name: 'general' },
      actions: [{ action_id: 'approve', value: 'yes' }, { type: 'button' }],
    });
    assert.equal(view.headline, 'block_actions by steve');
    assert.equal(value(view, 'approve'), 'yes');
    assert.equal(value(view, 'Action 2'), 'button');
  });
});

describe('provider summaries: Twilio', () => {
  it('an incoming SMS: from, to, body, status and the message', () => {
    const form = formOf(
      'ToCountry=US&SmsMessageSid=SM1&NumMedia=1&MediaUrl0=https%3A%2F%2Fapi.twilio.com%2Fm.jpg&MediaContentType0=image%2Fjpeg&SmsSid=SM1&SmsStatus=received&Body=Hello+there%0Asecond+line&To=%2B15557654321&MessageSid=SM1&AccountSid=AC0123456789abcdef0123456789abcdef&From=%2B15551234567&ApiVersion=2010-04-01',
    );
    const view = summaryOf('twilio', flatOf(form), 'message.received', { form });
    assert.equal(view.icon, 'device-mobile');
    assert.equal(view.headline, 'Message +15551234567 → +15557654321: received');
    assert.equal(value(view, 'From'), '+15551234567');
    assert.equal(value(view, 'To'), '+15557654321');
    assert.equal(value(view, 'Body'), 'Hello there\nsecond line');
    assert.equal(value(view, 'Status'), 'received');
    assert.equal(value(view, 'image/jpeg'), 'https://api.twilio.com/m.jpg');
    assert.equal(blockOf(view, 'transcript').messages[0]?.speaker, '+15551234567');
  });

  it('a call status callback, with its error', () => {
    const form = formOf(
      'CallSid=CA1&CallStatus=failed&From=%2B1555&To=%2B1666&Direction=outbound-api&ErrorCode=32009&ErrorMessage=Busy',
    );
    const view = summaryOf('twilio', flatOf(form), 'call.failed', { form });
    assert.equal(view.icon, 'call-incoming');
    assert.equal(view.headline, 'Call +1555 → +1666: failed');
    assert.equal(value(view, 'Status'), 'failed');
    assert.equal(blockOf(view, 'note').text, 'Error 32009: Busy');
    assert.ok(!view.blocks.some((block) => block.kind === 'transcript'));
  });
});

describe('provider summaries: Shopify, Standard Webhooks, GitLab, Discord', () => {
  it('a Shopify order: topic, name, number, total with currency, email, line items', () => {
    const view = summaryOf('shopify', shopifyOrder(), 'orders/create', {
      headers: [
        ['X-Shopify-Topic', 'orders/create'],
        ['X-Shopify-Shop-Domain', 'example.myshopify.com'],
      ],
    });
    assert.equal(view.headline, 'Order #9999 · 403.00 USD · voided');
    assert.equal(value(view, 'Topic'), 'orders/create');
    assert.equal(value(view, 'Shop'), 'example.myshopify.com');
    assert.equal(value(view, 'Name'), '#9999');
    assert.equal(value(view, 'Number'), '1234');
    assert.equal(value(view, 'Total'), '403.00 USD');
    assert.equal(value(view, 'Email'), 'jon@example.com');
    assert.equal(value(view, 'Customer'), 'John Smith');
    assert.equal(value(view, '1 × Aviator sunglasses'), '89.99 USD');
  });

  it('a Shopify product, by its topic', () => {
    const view = summaryOf(
      'shopify',
      { id: 632910392, title: 'Example T-Shirt', vendor: 'Acme', variants: [{}, {}] },
      'products/update',
    );
    assert.equal(view.headline, 'products/update: Example T-Shirt');
    assert.equal(value(view, 'Vendor'), 'Acme');
    assert.equal(value(view, 'Variants'), '2');
  });

  it('Standard Webhooks: type, data id and the data', () => {
    const view = summaryOf(
      'standard-webhooks',
      { type: 'user.created', timestamp: '2025-06-01T12:00:00Z', data: { id: 'user_1', n: 1 } },
      'user.created',
      { headers: [['webhook-id', 'msg_1']] },
    );
    assert.equal(view.headline, 'user.created · user_1');
    assert.equal(value(view, 'Type'), 'user.created');
    assert.equal(value(view, 'Data ID'), 'user_1');
    assert.equal(value(view, 'Webhook ID'), 'msg_1');
    assert.match(blockOf(view, 'raw').text, /"id": "user_1"/);
  });

  it('GitLab push and merge request; Discord command', () => {
    const push = summaryOf('gitlab', {
      object_kind: 'push',
      ref: 'refs/heads/main',
      user_name: 'Jane',
      total_commits_count: 1,
      project: { path_with_namespace: 'group/app' },
      commits: [{ id: 'abc', message: 'Fix\n\nbody', timestamp: '2025-06-01T12:00:00Z' }],
    });
    assert.equal(push.headline, 'Jane pushed 1 commit to main');
    assert.equal(blockOf(push, 'timeline').items[0]?.title, 'Fix');
    const mr = summaryOf('gitlab', {
      object_kind: 'merge_request',
      user: { username: 'jane' },
      object_attributes: { iid: 7, title: 'Add forms', action: 'open', state: 'opened' },
    });
    assert.equal(mr.headline, 'merge_request !7 open Add forms');
    const command = summaryOf('discord', {
      type: 2,
      id: '1',
      data: { name: 'roll', options: [{ name: 'sides', value: 20 }] },
      member: { user: { username: 'wumpus' } },
    });
    assert.equal(command.headline, 'Application command /roll by wumpus');
    assert.equal(value(command, 'sides'), '20');
  });

  it('Meta: WhatsApp messages with the contact name, and status updates', () => {
    const body = {
      object: 'whatsapp_business_account',
      entry: [
        {
          id: '102290129340398',
          changes: [
            {
              field: 'messages',
              value: {
                messaging_product: 'whatsapp',
                metadata: {
                  display_phone_number: '15550783881',
                  phone_number_id: '106540352242922',
                },
                contacts: [{ profile: { name: 'Sheena Nelson' }, wa_id: '16505551234' }],
                messages: [
                  {
                    from: '16505551234',
                    id: 'wamid.1',
                    timestamp: '1748779200',
                    text: { body: 'Does it come in another color?' },
                    type: 'text',
                  },
                  { from: '16505551234', id: 'wamid.2', timestamp: '1748779201', type: 'image' },
                ],
                statuses: [
                  { recipient_id: '16505551234', status: 'read', timestamp: '1748779200' },
                ],
              },
            },
          ],
        },
      ],
    };
    const view = summaryOf('meta', body, 'whatsapp_business_account.messages');
    assert.equal(
      view.headline,
      'whatsapp_business_account.messages · 2 messages · 1 status update',
    );
    assert.equal(value(view, 'Business number'), '15550783881');
    assert.deepEqual(
      blockOf(view, 'transcript').messages.map((item) => [item.speaker, item.text, item.time]),
      [
        [
          'Sheena Nelson · 16505551234',
          'Does it come in another color?',
          '2025-06-01T12:00:00.000Z',
        ],
        ['Sheena Nelson · 16505551234', '(image)', '2025-06-01T12:00:01.000Z'],
      ],
    );
    assert.equal(value(view, '16505551234'), 'read · 2025-06-01T12:00:00.000Z');
    const page = summaryOf('meta', {
      object: 'page',
      entry: [{ id: '1', changes: [{ field: 'feed', value: { item: 'post', verb: 'add' } }] }],
    });
    assert.match(value(page, 'feed') ?? '', /"verb": "add"/);
  });

  it('has no summary for providers without one (generic, unknown, Watson and Rapida keep theirs)', () => {
    for (const provider of ['generic', 'unknown', 'generic-hmac', 'newer-provider']) {
      assert.equal(providerSummary(provider, { type: 'x' }, 'x'), null, provider);
    }
    assert.equal(senderViewOf({ type: 'x' }, 'generic', 'x'), null);
  });
});

describe('provider summaries: hostile and odd input', () => {
  const odd: unknown[] = [
    null,
    undefined,
    42,
    'text',
    [],
    {},
    { action: {}, repository: [], sender: 'x', commits: 'nope', head_commit: 5 },
    { commits: [null, 1, 'x', { message: {} }, { id: 7 }], ref: 42 },
    { pull_request: [], issue: 'x', release: null, workflow_run: 5 },
    { type: {}, data: { object: { amount: {}, currency: 5, customer: { id: [] } } } },
    { type: 'event_callback', event: [] },
    { type: 'event_callback', event: { text: { nested: true }, ts: 'soon', user: 5 } },
    { type: 'block_actions', actions: 'x', user: [] },
    { line_items: 'x', total_price: {}, customer: 5 },
    { data: 'x', timestamp: [] },
    { object_kind: 'push', commits: [null], total_commits_count: 'many' },
    { type: 2, data: { options: [null, { value: { deep: [1, 2] } }] } },
    { object: 5, entry: [null, { changes: 'x', messaging: [null, { message: 5 }] }] },
    {
      entry: [
        { changes: [null, { value: { messages: [null, {}], contacts: 'x', statuses: [5] } }] },
      ],
    },
    JSON.parse(
      '{"__proto__":{"polluted":true},"type":"event_callback","event":{"__proto__":{"text":"x"}},"repository":{"__proto__":{"full_name":"y"}}}',
    ),
  ];
  const providers = [
    'github',
    'stripe',
    'slack',
    'twilio',
    'shopify',
    'standard-webhooks',
    'gitlab',
    'discord',
    'meta',
  ];
  const events = [
    null,
    'push',
    'pull_request.opened',
    'issues',
    'release',
    'ping',
    'orders/create',
  ];

  it('never throws, and reads only own properties', () => {
    for (const provider of providers) {
      for (const body of odd) {
        for (const event of events) {
          assert.doesNotThrow(() => providerSummary(provider, body, event), provider);
          assert.doesNotThrow(() =>
            providerSummary(provider, body, event, {
              headers: [['X-GitHub-Event', 'push']],
              form: [
                ['__proto__', 'x'],
                ['command', '/x'],
                ['NumMedia', '1e9'],
              ],
            }),
          );
        }
      }
    }
    assert.equal(({} as Record<string, unknown>).polluted, undefined);
    const view = providerSummary('github', odd.at(-1), 'push');
    assert.equal(view === null ? undefined : value(view, 'Repository'), undefined);
  });

  it('clips huge strings and keeps the rest', () => {
    const huge = 'x'.repeat(200_000);
    const view = summaryOf('github', { ...githubPush(), head_commit: { message: huge } }, 'push');
    const message = value(view, 'Head commit') ?? '';
    assert.ok(message.length < 5000, `${message.length} characters`);
    assert.match(message, /196000 more characters; the Request tab has all\)$/);
    assert.ok((view.headline ?? '').length <= 400);
    const raw = summaryOf('standard-webhooks', { type: 't', data: { blob: huge } });
    assert.ok(blockOf(raw, 'raw').text.length < 40_000);
  });

  it('gives no view for a body nested deeper than any sender nests', () => {
    const deep = `${'['.repeat(100_000)}${']'.repeat(100_000)}`;
    assert.equal(senderViewOfText(deep, 'github', 'push'), null);
    const deepObject = `{"action":"x","a":${'{"a":'.repeat(5000)}1${'}'.repeat(5000)}}`;
    assert.equal(senderViewOfText(deepObject, 'github', 'push'), null);
  });
});
