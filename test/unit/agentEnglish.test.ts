// The agent tools answer a language model in English even when the editor is German: with the
// German bundle configured (as the extension configures @vscode/l10n at activation), a tool's
// outcome words, outcome sentence and verdict label are English among its English notes and
// field names, while the tree and the panel, asking the same functions, say German.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import * as l10n from '@vscode/l10n';
import type { AgentContext } from '../../src/core/agent/context';
import type { ToolOutcome } from '../../src/core/agent/results';
import { resultText, runAgentTool } from '../../src/core/agent/tools';
import { deliveryOutcome, outcomeFactsOfRecord } from '../../src/core/detail/outcome';
import type { DeliveryInput } from '../../src/core/store/types';
import { presentVerdict } from '../../src/shared/verdicts';
import { aDelivery, anAttempt, bodyFields } from './builders';
import { useStoreFixtures } from './storeFixtures';

const GERMAN = JSON.parse(
  readFileSync(join(__dirname, '..', '..', 'l10n', 'bundle.l10n.de.json'), 'utf8'),
) as Record<string, string>;

const fixtures = useStoreFixtures('hooklens-agent-english-');
const SECRET = 'whsec_agent-english-secret-0123456789';

/** German words the bundle would put into these answers. */
const GERMAN_WORDS = /Handler nicht|Ungültige|Zustellung|Absender|Verifiziert|erneut|wurde/;

const bodyOf = bodyFields;

function data(outcome: ToolOutcome): Record<string, unknown> {
  assert.ok(outcome.ok, outcome.ok ? '' : `${outcome.error.code}: ${outcome.error.message}`);
  return outcome.data;
}

describe('agent tools speak English in a German editor', () => {
  let context: AgentContext;
  /** A forged GitHub delivery whose handler was down: the sender got 502. */
  const forged: DeliveryInput = aDelivery('d1-forged-down', {
    receivedAt: '2025-06-01T10:00:00.000Z',
    sender: 'github',
    event: 'push',
    url: '/webhooks/github',
    ...bodyOf({ ref: 'refs/heads/main' }),
    verification: {
      verdict: 'invalid_signature',
      reason: 'The signature does not match the GitHub secret.',
    },
    response: { status: 502, headers: [], body: '', timeMs: 3 },
    attempts: [anAttempt(null, null, { kind: 'forward' })],
  });

  before(async () => {
    const store = await fixtures.open(await fixtures.tempDir());
    await store.put(forged);
    context = {
      store: () => Promise.resolve(store),
      signing: () =>
        Promise.resolve({ secrets: [{ provider: 'github', label: 'GH', value: SECRET }] }),
      secretValues: () => Promise.resolve([SECRET]),
      forwardTarget: () => new URL('http://127.0.0.1:9/webhooks'),
      configuredTargets: () => [],
      receiverUrl: () => Promise.resolve(undefined),
      send: { allowed: true },
      write: { allowed: false },
      now: () => Date.parse('2025-06-01T10:05:00.000Z'),
    };
    l10n.config({ contents: GERMAN });
  });
  // Module state: English again for whatever runs after in this process.
  after(() => l10n.config({ contents: {} }));

  it('the editor’s own words are German meanwhile (the bundle is in effect)', () => {
    assert.equal(presentVerdict('invalid_signature').label, 'Ungültige Signatur');
    const record = { ...forged, seq: 1 };
    assert.equal(deliveryOutcome(outcomeFactsOfRecord(record)).words, 'Handler nicht erreichbar');
  });

  it('list_deliveries: the outcome words', async () => {
    const outcome = await runAgentTool('list_deliveries', {}, context);
    const [row] = data(outcome).deliveries as Array<Record<string, unknown>>;
    assert.equal(row?.outcome, 'handler down');
    assert.doesNotMatch(resultText('list_deliveries', outcome), GERMAN_WORDS);
  });

  it('get_delivery: the verdict label and the outcome sentence', async () => {
    const outcome = await runAgentTool('get_delivery', { id: 'd1-forged-down' }, context);
    const delivery = data(outcome);
    assert.equal((delivery.verification as { label: string }).label, 'Invalid signature');
    assert.equal(
      (delivery.outcome as { sentence: string }).sentence,
      'Your handler could not be reached; the sender was answered 502.',
    );
    assert.doesNotMatch(resultText('get_delivery', outcome), GERMAN_WORDS);
  });

  it('replay_delivery: the refusal to re-sign a failed delivery names its verdict in English', async () => {
    const outcome = await runAgentTool(
      'replay_delivery',
      { id: 'd1-forged-down', signature: 'fresh' },
      context,
    );
    assert.ok(!outcome.ok);
    assert.equal(outcome.error.code, 'needs-user');
    assert.match(
      outcome.error.message,
      /failed verification when it was captured \(Invalid signature:/,
    );
    assert.doesNotMatch(resultText('replay_delivery', outcome), GERMAN_WORDS);
  });
});
