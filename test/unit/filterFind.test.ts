// Issue 16, "Find" and "keys": the Filter quick pick's parsing and suggestions, the bounded body
// search, and n / Shift+N stepping through failed deliveries, all in core without VS Code.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { bodySearchNote, searchBodies } from '../../src/core/deliveries/bodySearch';
import {
  displayOrder,
  matchesFilter,
  parseFilter,
  stepToFailed,
  tokenizeFilter,
} from '../../src/core/deliveries/deliveryView';
import { collectFacets, suggestFilter } from '../../src/core/deliveries/filterSuggestions';
import type { DeliverySummary } from '../../src/core/store/types';
import { aSummary } from './builders';

function summary(id: string, overrides: Partial<DeliverySummary> = {}): DeliverySummary {
  return aSummary(id, { sender: 'stripe', event: 'payment_intent.succeeded', ...overrides });
}

const ok = summary('d1', { headline: '$12.00 USD succeeded' });
const rejected = summary('d2', {
  verdict: 'bad_signature',
  status: 401,
  sender: 'github',
  event: 'push',
});
const handlerDown = summary('d3', {
  sender: 'github',
  event: 'push',
  status: null,
  senderStatus: 502,
  attemptCount: 1,
  forward: { status: null, timeMs: null, ok: false },
});
const okGithub = summary('d4', { sender: 'github', event: 'push' });
const store = [ok, rejected, handlerDown, okGithub];

describe('the filter text', () => {
  it('tokenizes keys, quoted values and words, and keeps URLs as words', () => {
    const tokens = tokenizeFilter('event:push body:"card declined" http://x/y "two words"');
    assert.deepEqual(
      tokens.map((token) => [token.key, token.value]),
      [
        ['event', 'push'],
        ['body', 'card declined'],
        [null, 'http://x/y'],
        [null, 'two words'],
      ],
    );
  });

  it('says what is wrong instead of dropping it', () => {
    assert.match(parseFilter('stauts:4xx').errors[0] ?? '', /“stauts:” is not a filter key/);
    assert.match(parseFilter('status:abc').errors[0] ?? '', /not a status: use 401, 4xx or none/);
    assert.match(parseFilter('event:').errors[0] ?? '', /needs a value, e.g. event:push/);
    assert.match(parseFilter('verdict:nope').errors[0] ?? '', /not a verdict/);
    assert.match(parseFilter('body:"card').errors[0] ?? '', /quote is not closed/);
    assert.match(parseFilter('is:slow').errors[0] ?? '', /only is:failed/);
    assert.deepEqual(parseFilter('verdict:failed status:4xx provider:Stripe').errors, []);
    // A verdict a newer HookLens wrote is fine when the store holds it.
    assert.deepEqual(parseFilter('verdict:odd', { knownVerdicts: ['odd'] }).errors, []);
  });

  it('filters by provider, is:failed, headline words and body matches', () => {
    const pick = (text: string, bodies?: ReadonlySet<string>): string[] =>
      store.filter((item) => matchesFilter(item, parseFilter(text), bodies)).map((item) => item.id);
    assert.deepEqual(pick('provider:github'), ['d2', 'd3', 'd4']);
    assert.deepEqual(pick('is:failed'), ['d2', 'd3']);
    assert.deepEqual(pick('provider:github is:failed status:none'), ['d3']);
    assert.deepEqual(pick('succeeded usd'), ['d1']);
    // body: terms wait for the body search; with its answer they narrow.
    assert.deepEqual(pick('body:declined'), ['d1', 'd2', 'd3', 'd4']);
    assert.deepEqual(pick('body:declined', new Set(['d4'])), ['d4']);
  });
});

describe('the Filter quick pick items', () => {
  const facets = collectFacets(store);

  it('counts what the store holds', () => {
    assert.equal(facets.total, 4);
    assert.equal(facets.failed, 2);
    assert.deepEqual(
      [...facets.providers],
      [
        ['stripe', 1],
        ['github', 3],
      ],
    );
    assert.equal(facets.statusClasses.get('4xx'), 1);
    assert.equal(facets.statusClasses.get('none'), 1);
  });

  it('offers facets and Clear Filter on an empty box', () => {
    const items = suggestFilter('', facets, { current: 'is:failed' });
    assert.equal(items[0]?.kind, 'clear');
    assert.equal(items[0]?.value, '');
    const labels = items.map((item) => item.label);
    for (const wanted of [
      'is:failed',
      'status:4xx',
      'verdict:failed',
      'provider:github',
      'event:push',
    ])
      assert.ok(labels.includes(wanted), `${wanted} in ${labels.join(', ')}`);
  });

  it('shows the mistake as the first item, with completions after it', () => {
    const items = suggestFilter('status:9', facets, { current: '' });
    assert.equal(items[0]?.kind, 'error');
    assert.match(items[0]?.description ?? '', /not a status/);
    const bad = suggestFilter('verdikt:failed', facets, { current: '' });
    assert.equal(bad[0]?.kind, 'error');
  });

  it('completes the token being typed and counts the typed filter', () => {
    const items = suggestFilter('provider:git', facets, { current: '', summaries: store });
    assert.equal(items[0]?.kind, 'apply');
    assert.match(items[0]?.description ?? '', /0 of 4 deliveries/);
    const completion = items.find((item) => item.kind === 'complete');
    assert.equal(completion?.label, 'provider:github');
    assert.equal(completion?.value, 'provider:github ');
    assert.match(completion?.description ?? '', /3 deliveries/);

    // A bare word: keys and values that start with it, and a body search for it.
    const word = suggestFilter('is:failed pu', facets, { current: '', summaries: store });
    assert.match(word[0]?.description ?? '', /Apply · 2 of 4/);
    assert.ok(
      word.some((item) => item.label === 'event:push' && item.value === 'is:failed event:push '),
    );
    const body = word.find((item) => item.kind === 'body');
    assert.equal(body?.value, 'is:failed body:pu ');
    // A key offers its values.
    const key = suggestFilter('st', facets, { current: '' });
    assert.ok(key.some((item) => item.label === 'status:'));
    assert.ok(key.some((item) => item.label === 'provider:stripe'));
  });

  it('does not suggest a token already typed', () => {
    const items = suggestFilter('is:failed ', facets, { current: '' });
    assert.ok(!items.some((item) => item.kind === 'complete' && item.label === 'is:failed'));
  });
});

describe('the body search', () => {
  const many = Array.from({ length: 50 }, (_, index) =>
    summary(`b${index}`, { headline: index === 40 ? 'card declined' : 'ok' }),
  );

  it('matches the summary words first, then reads bodies up to the limit and says so', async () => {
    const read: string[] = [];
    const result = await searchBodies(
      many,
      ['declined'],
      (id) => {
        read.push(id);
        return Promise.resolve(id === 'b3' ? '{"error":"Card DECLINED"}' : '{}');
      },
      { limit: 10, timeBudgetMs: 10_000 },
    );
    assert.deepEqual([...result.matches].sort(), ['b3', 'b40']);
    assert.equal(result.read, 10);
    assert.deepEqual(
      read,
      many.slice(0, 10).map((item) => item.id),
    );
    assert.equal(result.stopped, 'limit');
    assert.equal(result.unread, 39);
    assert.match(bodySearchNote(result), /stopped after 10 bodies: 39 older bodies not searched/);
  });

  it('stops on cancellation and on its time budget', async () => {
    let cancelled = false;
    const cancelledResult = await searchBodies(
      many,
      ['x'],
      () => {
        cancelled = true;
        return Promise.resolve('');
      },
      { limit: 100, timeBudgetMs: 10_000, isCancelled: () => cancelled },
    );
    assert.equal(cancelledResult.stopped, 'cancelled');
    assert.equal(cancelledResult.read, 1);
    let clock = 0;
    const timed = await searchBodies(
      many,
      ['x'],
      () => {
        clock += 100;
        return Promise.resolve('x');
      },
      { limit: 100, timeBudgetMs: 250, now: () => clock },
    );
    assert.equal(timed.stopped, 'time');
    assert.equal(timed.read, 3);
    assert.match(bodySearchNote(timed), /time limit/);
    const all = await searchBodies(many.slice(0, 3), ['x'], () => Promise.resolve('x'), {
      limit: 100,
      timeBudgetMs: 1000,
    });
    assert.equal(all.stopped, null);
    assert.equal(bodySearchNote(all), '');
  });
});

describe('n / Shift+N: the next and previous failed delivery', () => {
  it('steps through failed ones in the order shown, wrapping around', () => {
    assert.equal(stepToFailed(store, undefined, 1)?.id, 'd2');
    assert.equal(stepToFailed(store, 'd2', 1)?.id, 'd3');
    assert.equal(stepToFailed(store, 'd3', 1)?.id, 'd2');
    assert.equal(stepToFailed(store, undefined, -1)?.id, 'd3');
    assert.equal(stepToFailed(store, 'd2', -1)?.id, 'd3');
    assert.equal(stepToFailed(store, 'd4', -1)?.id, 'd3');
    assert.equal(stepToFailed([ok, okGithub], undefined, 1), undefined);
    assert.equal(stepToFailed([rejected], 'd2', 1)?.id, 'd2');
  });

  it('follows the grouped order of the tree', () => {
    // Grouped by event: push's group (its newest, d4, is the newest) first, then stripe's.
    const order = displayOrder([okGithub, ok, rejected, handlerDown], 'event').map(
      (item) => item.id,
    );
    assert.deepEqual(order, ['d4', 'd2', 'd3', 'd1']);
  });
});
