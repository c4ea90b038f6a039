// Issue 16's pure parts: a delivery's headline (stored at capture, shown as the row's label), its
// outcome (did it reach the handler?) apart from its verdict, and what rows and group rows say.
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import {
  headlineOfRecord,
  headlineOfView,
  MAX_HEADLINE_CHARS,
} from '../../src/core/detail/headline';
import {
  deliveryOutcome,
  failsToReachHandler,
  outcomeFactsOfSummary,
  type OutcomeFacts,
} from '../../src/core/detail/outcome';
import {
  presentGroup,
  escapeMarkdownText,
  hoverMarkdown,
  presentRow,
  shortId,
  shortTime,
} from '../../src/core/detail/rowPresentation';
import { analyserWithSecrets } from '../../src/core/analysis/analyseRequest';
import { Ingestor } from '../../src/core/receiver/ingest';
import { DeliveryStore } from '../../src/core/store/deliveryStore';
import { summarize } from '../../src/core/store/deliveryIndex';
import type { DeliverySummary } from '../../src/core/store/types';
import type { DeliveryRecord } from '../../src/core/delivery';
import type { ProviderSummaryView } from '../../src/shared/detail';
import { aDelivery, anAttempt, aSummary } from './builders';
import {
  aSenderRecord,
  rapida,
  watsonCdr,
  watsonMessageLogged,
  watsonPreMessage,
} from './detailBuilders';
import {
  aProviderRecord,
  GITHUB_SECRET,
  githubPush,
  STRIPE_SECRET,
  stripePaymentIntent,
} from './providerRecords';

const NOW = Date.parse('2025-06-01T10:05:00.000Z');
const LOCATION = { segment: 1, offset: 0, length: 1 };

function summaryOf(record: DeliveryRecord, duplicateCount = 0): DeliverySummary {
  return summarize(record, LOCATION, duplicateCount);
}

function aRecord(overrides: Parameters<typeof aDelivery>[1] = {}): DeliveryRecord {
  return { ...aDelivery('d_01', overrides), seq: 1 };
}

describe('headline: one line on what a delivery says', () => {
  it('GitHub: who pushed what where, with the repository', () => {
    const record = aProviderRecord({
      provider: 'github',
      headers: [
        ['Content-Type', 'application/json'],
        ['X-GitHub-Event', 'push'],
        ['X-GitHub-Delivery', '72d3162e-cc78-11e3-81ab-4c9367dc0958'],
      ],
      body: JSON.stringify(githubPush()),
      signWith: GITHUB_SECRET,
    });
    assert.equal(headlineOfRecord(record), 'octocat pushed 2 commits to main · octo-org/hello');
  });

  it('finds the repository by its field id, whatever its label says', () => {
    const view = (label: string, id?: 'repository'): ProviderSummaryView => ({
      kind: 'summary',
      provider: 'github',
      label: 'GitHub',
      icon: 'repo-push',
      headline: 'octocat pushed 2 commits to main',
      blocks: [
        {
          kind: 'fields',
          title: null,
          fields: [{ label, value: 'octo-org/hello', ...(id ? { id } : {}) }],
        },
      ],
    });
    // A translated label (capture runs in the editor, in its language).
    assert.equal(
      headlineOfView(view('Repositorium', 'repository')),
      'octocat pushed 2 commits to main · octo-org/hello',
    );
    assert.equal(headlineOfView(view('Repository')), 'octocat pushed 2 commits to main');
  });

  it('Stripe: the type, the amount in its currency, the status', () => {
    const record = aProviderRecord({
      provider: 'stripe',
      headers: [['Content-Type', 'application/json']],
      body: JSON.stringify(stripePaymentIntent()),
      signWith: STRIPE_SECRET,
    });
    assert.equal(headlineOfRecord(record), 'payment_intent.succeeded · 1,234.56 USD · succeeded');
  });

  it('Watson: what the user said and the top intent; a call by its numbers and length', () => {
    assert.equal(
      headlineOfRecord(aSenderRecord(watsonMessageLogged(), 'watson', 'message_logged')),
      '“What is my checking balance?” → #check_balance',
    );
    assert.equal(
      headlineOfRecord(aSenderRecord(watsonCdr(), 'watson', 'cdr_logged')),
      '+18885550456 → +18005550123 · 18 s · assistant_hangup',
    );
    assert.equal(
      headlineOfRecord(aSenderRecord(watsonPreMessage(), 'watson', 'message_received')),
      '“support”',
    );
  });

  it("Rapida: the transcript's first line; none before anyone spoke", () => {
    assert.equal(
      headlineOfRecord(
        aSenderRecord(rapida('conversation.completed'), 'rapida', 'conversation.completed'),
      ),
      '“Hi, I want to book an appointment”',
    );
    assert.equal(
      headlineOfRecord(aSenderRecord(rapida('conversation.begin'), 'rapida', 'conversation.begin')),
      null,
    );
  });

  it('is null for a body that is not JSON, too large, or from a sender with no view', () => {
    assert.equal(headlineOfRecord(aRecord({ parseError: 'not JSON' })), null);
    assert.equal(headlineOfRecord(aRecord({ bodySize: 10 * 1024 * 1024 })), null);
    assert.equal(headlineOfRecord(aRecord({ sender: 'generic', event: 'x' })), null);
  });

  it('is one line, cut to a row, with hostile text kept as text', () => {
    const body = watsonMessageLogged();
    const payload = body.payload as { request: { input: { text: string } } };
    payload.request.input.text = `line one\nline two <script>${'x'.repeat(300)}`;
    const headline = headlineOfRecord(aSenderRecord(body, 'watson', 'message_logged'));
    assert.ok(headline !== null);
    assert.ok(headline.length <= MAX_HEADLINE_CHARS);
    assert.match(headline, /^“line one line two <script>x+…$/);
    assert.equal(headlineOfView(null), null);
  });

  it('is stored on the record at capture, and summaries carry it', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'hooklens-headline-'));
    const store = await DeliveryStore.open(dir);
    after(async () => {
      await store.close();
      await rm(dir, { recursive: true, force: true });
    });
    const ingestor = new Ingestor(store, {
      policy: 'reject',
      analyser: () => analyserWithSecrets([]),
    });
    const body = Buffer.from(JSON.stringify(watsonMessageLogged()));
    const { record } = await ingestor.ingest({
      receivedAtMs: NOW,
      startedAt: process.hrtime.bigint(),
      method: 'POST',
      url: '/webhooks/watson',
      headers: [
        ['Host', '127.0.0.1:7878'],
        ['Content-Type', 'application/json'],
      ],
      remoteAddress: '127.0.0.1',
      body,
    });
    const expected = '“What is my checking balance?” → #check_balance';
    assert.equal(record?.headline, expected);
    assert.equal(store.summary(record?.id ?? '')?.headline, expected);
    ingestor.dispose();
  });
});

describe('outcome: did the delivery reach the handler?', () => {
  const facts = (overrides: Partial<OutcomeFacts>): OutcomeFacts => ({
    senderStatus: 200,
    forward: null,
    replay: null,
    ...overrides,
  });

  it('answered by HookLens, or taken by the handler: delivered', () => {
    assert.equal(deliveryOutcome(facts({})).kind, 'delivered');
    assert.equal(deliveryOutcome(facts({})).failed, false);
    const taken = deliveryOutcome(facts({ forward: { status: 204, timeMs: 3, ok: true } }));
    assert.deepEqual([taken.kind, taken.failed, taken.words], ['delivered', false, null]);
  });

  it('a handler that is down, slow or failing fails the delivery, in words', () => {
    const down = deliveryOutcome(
      facts({ senderStatus: 502, forward: { status: null, timeMs: null, ok: false } }),
    );
    assert.deepEqual(
      [down.kind, down.failed, down.status, down.words],
      ['handler-down', true, 502, 'handler down'],
    );
    const slow = deliveryOutcome(
      facts({ senderStatus: 504, forward: { status: null, timeMs: null, ok: false } }),
    );
    assert.deepEqual([slow.kind, slow.words], ['handler-timeout', 'handler timed out']);
    const failing = deliveryOutcome(
      facts({ senderStatus: 500, forward: { status: 500, timeMs: 4, ok: false } }),
    );
    assert.deepEqual([failing.kind, failing.words], ['handler-error', 'handler error']);
    const refusing = deliveryOutcome(
      facts({ senderStatus: 404, forward: { status: 404, timeMs: 4, ok: false } }),
    );
    assert.deepEqual([refusing.kind, refusing.failed], ['handler-rejected', true]);
  });

  it('a later replay that reached the handler recovers it; a failed replay fails a good one', () => {
    const recovered = deliveryOutcome(
      facts({
        senderStatus: 502,
        forward: { status: null, timeMs: null, ok: false },
        replay: { status: 200, timeMs: 5, ok: true },
      }),
    );
    assert.deepEqual(
      [recovered.kind, recovered.failed, recovered.status, recovered.words],
      ['recovered', false, 502, 'replayed 200'],
    );
    const replayFailed = deliveryOutcome(
      facts({ replay: { status: null, timeMs: null, ok: false } }),
    );
    assert.deepEqual(
      [replayFailed.kind, replayFailed.failed, replayFailed.status, replayFailed.words],
      ['replay-failed', true, 200, 'replay failed'],
    );
  });

  it('failsToReachHandler says what the whole outcome says, in every case', () => {
    const attempts = [
      null,
      { status: 204, timeMs: 3, ok: true },
      { status: 502, timeMs: 3, ok: false },
      { status: null, timeMs: null, ok: false },
    ];
    const routes = [
      null,
      { name: 'slow', kind: 'answer' as const },
      { name: 'sim', kind: 'simulated' as const },
      { name: 'api', kind: 'forward' as const },
    ];
    let cases = 0;
    const seen = new Set<boolean>();
    for (const status of [null, 200, 401, 503]) {
      for (const forward of attempts) {
        for (const replay of attempts) {
          for (const route of routes) {
            const summary = aSummary(`d${cases++}`, {
              status,
              senderStatus: status,
              attemptCount: (forward ? 1 : 0) + (replay ? 1 : 0),
              forward,
              replay,
              route,
            } as Partial<DeliverySummary>);
            const expected = deliveryOutcome(outcomeFactsOfSummary(summary)).failed;
            assert.equal(failsToReachHandler(summary), expected, JSON.stringify(summary));
            seen.add(expected);
          }
        }
      }
    }
    assert.equal(cases, 256);
    assert.deepEqual([...seen].sort(), [false, true]);
  });

  it('a 5xx without a forward fails; no answer yet is pending', () => {
    assert.equal(deliveryOutcome(facts({ senderStatus: 503 })).kind, 'server-error');
    assert.equal(deliveryOutcome(facts({ senderStatus: null })).kind, 'pending');
  });
});

describe('rows: what a Deliveries row says', () => {
  const options = { groupBy: 'session' as const, now: NOW };

  it('leads with the headline, then the sender status and a short time', () => {
    const record = aRecord({ headline: '“What is my balance?” → #check_balance' });
    const row = presentRow(summaryOf(record), options);
    assert.equal(row.label, '“What is my balance?” → #check_balance');
    assert.equal(row.description, '200 · 5m');
    assert.deepEqual([row.icon, row.tone], ['pass', 'ok']);
    assert.match(row.accessibilityLabel, /message_logged, status 200, verified, received /);
  });

  it('falls back to the event for older records without a headline', () => {
    assert.equal(presentRow(summaryOf(aRecord()), options).label, 'message_logged');
    const generic = aRecord({ event: null, url: '/hooks/x?token=1' });
    assert.equal(presentRow(summaryOf(generic), options).label, 'POST /hooks/x');
  });

  it('a handler that is down: 502 · handler down, a warning icon, never a green check', () => {
    const record = aRecord({
      response: { status: 502, headers: [], body: '', timeMs: 8 },
      attempts: [anAttempt(null, null, { kind: 'forward' })],
    });
    const row = presentRow(summaryOf(record), options);
    assert.equal(row.description, '502 · handler down · 5m');
    assert.deepEqual([row.icon, row.tone, row.outcome.failed], ['warning', 'error', true]);
    assert.match(row.tooltip, /Delivery: Your handler could not be reached/);
    assert.match(row.tooltip, /Verification: Verified\./);
  });

  it('the hover is Markdown with bold labels in which payload text stays text', () => {
    const hostile =
      '[click](command:workbench.action.terminal.new) **bold** <b>x</b> http://evil.example www.evil.example `code` # heading';
    const record = aRecord({ headline: hostile, url: '/hook?next=http://evil.example' });
    const row = presentRow(summaryOf(record), options);
    const markdown = hoverMarkdown(row.hover);
    assert.match(markdown, /^\S.* {2}\n\*\*Event:\*\* message\\_logged {2}\n/);
    assert.match(markdown, /\*\*Delivery ID:\*\* /);
    // Every punctuation character of payload text is escaped: no link, emphasis, HTML or autolink.
    const headlineLine = markdown.split('  \n')[0] ?? '';
    assert.equal(headlineLine.replace(/\\(.)/g, '$1'), hostile, 'unescaped, it is the text itself');
    assert.doesNotMatch(headlineLine, /(^|[^\\])[[\]()*<>`#:]/, 'no unescaped punctuation');
    assert.match(markdown, /http\\:\\\/\\\/evil\\\.example/);
    // The plain tooltip says the same facts.
    assert.match(row.tooltip, /^\[click\]\(command:/);
    assert.equal(row.hover.length, row.tooltip.split('\n').length);
    assert.equal(escapeMarkdownText('a\nb\r\nc'), 'a b c');
  });

  it('a replay is its own count and never replaces the sender status or time', () => {
    const record = aRecord({ attempts: [anAttempt(500, 22, { kind: 'replay' })] });
    const row = presentRow(summaryOf(record, 2), options);
    assert.equal(row.description, '200 · replay 500 · ↻1 · 5m');
    assert.match(row.tooltip, /Answered: 200\n/);
    assert.match(row.tooltip, /Replays: 1\nSender retries: 2/);
  });

  it('a failed verdict keeps its own icon and says so in words', () => {
    const record = aRecord({
      verification: { verdict: 'invalid_signature', reason: 'The signature does not match.' },
      response: { status: 401, headers: [], body: '', timeMs: 1 },
    });
    const row = presentRow(summaryOf(record), options);
    assert.equal(row.description, '401 · invalid signature · 5m');
    assert.deepEqual([row.icon, row.tone], ['error', 'error']);
  });

  it('under an event group, a row without a headline shows its time, not the event again', () => {
    const row = presentRow(summaryOf(aRecord()), { groupBy: 'event', now: NOW });
    assert.notEqual(row.label, 'message_logged');
    assert.match(row.label, /\d{1,2}:\d{2}:\d{2}/);
    assert.equal(row.description, '200');
  });

  it('short times fit a narrow side bar', () => {
    assert.equal(shortTime(NOW - 10_000, NOW), 'now');
    assert.equal(shortTime(NOW - 5 * 60_000, NOW), '5m');
    assert.equal(shortTime(NOW - 3 * 3600_000, NOW), '3h');
    assert.ok(shortTime(NOW - 3 * 86400_000, NOW).length <= 6);
  });
});

describe('group rows', () => {
  it('a session: a short readable id, the failed count first, the provider', () => {
    const ok = summaryOf(aRecord({ sessionId: 'b263cb6f-0d62-4b01-a28e-1743ff54d28d' }));
    const failed = summaryOf({
      ...aRecord({
        sessionId: 'b263cb6f-0d62-4b01-a28e-1743ff54d28d',
        response: { status: 502, headers: [], body: '', timeMs: 8 },
        attempts: [anAttempt(null, null, { kind: 'forward' })],
      }),
      id: 'd_02',
    });
    const group = presentGroup(
      { key: 's:b263cb6f', label: 'b263cb6f-0d62-4b01-a28e-1743ff54d28d' },
      [failed, ok],
      'session',
    );
    assert.equal(group.label, 'Session b263cb6f');
    assert.match(group.description, /^1 failed · 2 deliveries · Watson Assistant · /);
    assert.deepEqual([group.icon, group.tone, group.failed], ['warning', 'error', 1]);
    assert.match(group.tooltip, /Session: b263cb6f-0d62-4b01-a28e-1743ff54d28d/);
  });

  it('an event group says its count and no provider', () => {
    const group = presentGroup(
      { key: 'e:message_logged', label: 'message_logged' },
      [summaryOf(aRecord())],
      'event',
    );
    assert.deepEqual(
      [group.label, group.description, group.icon],
      ['message_logged', '1 delivery', 'symbol-event'],
    );
  });

  it('short ids: a UUID by its first block, a long number by its end', () => {
    assert.equal(shortId('dc8b16c2-c76c-4ab7-9e3e-4984f0a1b2c3'), 'dc8b16c2');
    assert.equal(shortId('2157896541299991234'), '…991234');
    assert.equal(shortId('session-alpha'), 'session-alpha');
  });
});
