// Issue 16, "Find": the body index behind `body:` terms. What a term means (words, prefixes,
// `path=value` on JSON and form bodies, and the mistakes refused), the index over a real local
// store following adds, deletes, evictions and clears, its answers against the direct scan, and
// the search using it (and saying so while it is still being built).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { BodyIndex, type BodyIndexSource } from '../../src/core/deliveries/bodyIndex';
import {
  bodySearchNote,
  indexHoldsTerms,
  ownHolds,
  searchBodies,
} from '../../src/core/deliveries/bodySearch';
import {
  analyseBody,
  analysisMatches,
  MAX_ANALYSED_BYTES,
  parseBodyTerm,
  pathHash,
  type BodyQuery,
} from '../../src/core/deliveries/bodyTerms';
import { parseFilter } from '../../src/core/deliveries/deliveryView';
import { Emitter } from '../../src/core/store/emitter';
import type { DeliveryInput, StoreChangeEvent } from '../../src/core/store/types';
import { aGenericDelivery, bodyFields } from './builders';
import { useStoreFixtures } from './storeFixtures';

const fixtures = useStoreFixtures('hooklens-body-index-');

function query(term: string): BodyQuery {
  const parsed = parseBodyTerm(term);
  if ('error' in parsed) throw new Error(parsed.error);
  return parsed;
}

function json(value: unknown): Uint8Array {
  return Buffer.from(JSON.stringify(value));
}

function holds(body: Uint8Array | string, term: string, contentType?: string): boolean {
  const bytes = typeof body === 'string' ? Buffer.from(body) : body;
  return analysisMatches(analyseBody({ bytes, contentType }), query(term));
}

function withBody(id: string, body: string, contentType = 'application/json'): DeliveryInput {
  return aGenericDelivery(id, {
    headers: [['Content-Type', contentType]],
    ...bodyFields(body),
  });
}

const STRIPE = {
  id: 'evt_1NG8Du2eZvKYlo2C',
  type: 'charge.failed',
  livemode: false,
  data: {
    object: {
      amount: 2000,
      currency: 'usd',
      customer: null,
      failure_code: 'card_declined',
      metadata: { order_id: '6735' },
      refunds: { data: [{ amount: 500 }, { amount: 700 }] },
      fee: 2.5,
    },
  },
};

describe('body: terms', () => {
  it('reads words and path=value, and refuses malformed paths with a hint', () => {
    assert.deepEqual(parseBodyTerm('Card Declined'), {
      kind: 'words',
      text: 'Card Declined',
      words: ['card', 'declined'],
    });
    assert.deepEqual(parseBodyTerm('data.object.amount=2000.0'), {
      kind: 'path',
      text: 'data.object.amount=2000.0',
      path: 'data.object.amount',
      values: ['2000.0', '2000'],
      hashes: [pathHash('data.object.amount', '2000.0'), pathHash('data.object.amount', '2000')],
    });
    assert.notEqual(pathHash('a', 'b=c'), pathHash('a', 'bc'));
    assert.ok(Number.isSafeInteger(pathHash('data.object.amount', '2000')));
    // Spaces before the "=": words, not a path.
    assert.equal((parseBodyTerm('a b=c') as BodyQuery).kind, 'words');
    const error = (term: string): string => {
      const parsed = parseBodyTerm(term);
      assert.ok('error' in parsed, term);
      return parsed.error;
    };
    assert.match(error('=2000'), /say which key before “=”/);
    assert.match(
      error('items[0].price=5'),
      /arrays need no index: items\.price=5 matches any element/,
    );
    assert.match(error('data..amount=1'), /empty key/);
    assert.match(error('.amount=1'), /empty key/);
    assert.match(error('data.amount='), /say which value after “=”/);
    assert.match(error('---'), /no letters or digits/);
  });

  it('the filter shows a malformed path as its mistake', () => {
    const filter = parseFilter('provider:stripe body:items[0].price=5');
    assert.equal(filter.bodyTerms.length, 0);
    assert.match(filter.errors[0] ?? '', /arrays need no index/);
    assert.deepEqual(parseFilter('body:data.object.amount=2000').errors, []);
  });

  it('words: case-insensitive, a prefix is enough, all words needed in any order', () => {
    const body = json(STRIPE);
    assert.ok(holds(body, 'DECLINED'));
    assert.ok(holds(body, 'decl'));
    assert.ok(holds(body, 'card_declined'));
    assert.ok(holds(body, 'declined card'));
    assert.ok(!holds(body, 'declined paypal'));
    assert.ok(!holds(body, 'eclined'), 'the middle of a word is not a prefix');
  });

  it('path=value: nested keys, numbers, booleans, null, arrays transparent, strings as numbers', () => {
    const body = json(STRIPE);
    assert.ok(holds(body, 'data.object.amount=2000'));
    assert.ok(holds(body, 'data.object.amount=2000.00'), 'the same number written another way');
    assert.ok(!holds(body, 'data.object.amount=200'), 'a value is compared whole');
    assert.ok(holds(body, 'DATA.Object.Currency=USD'), 'keys and values case-insensitive');
    assert.ok(holds(body, 'livemode=false'));
    assert.ok(holds(body, 'data.object.customer=null'));
    assert.ok(holds(body, 'data.object.fee=2.5'));
    assert.ok(holds(body, 'data.object.refunds.data.amount=700'), 'any element of an array');
    assert.ok(holds(body, 'data.object.metadata.order_id=6735'), 'a string "6735" matches =6735');
    assert.ok(!holds(body, 'data.object=2000'), 'an object has no value of its own');
    assert.ok(!holds(body, 'amount=2000'), 'paths start at the top');
    const github = json({ repository: { full_name: 'octocat/Hello' }, commits: [{ id: 'a1' }] });
    assert.ok(holds(github, 'repository.full_name=octocat/hello'));
    assert.ok(holds(json([{ id: 7 }, { id: 8 }]), 'id=8'), 'a top-level array');
    const long = json({ message: 'word '.repeat(40) });
    assert.ok(!holds(long, `message=${'word '.repeat(40).trim()}`), 'long strings: words only');
    assert.ok(holds(long, 'word'));
  });

  it('bodies that are not JSON: words only; form bodies: fields are top-level keys', () => {
    assert.ok(holds('<xml>amount=2000</xml>', 'amount 2000'));
    assert.ok(!holds('<xml>amount=2000</xml>', 'amount=2000'));
    assert.ok(!holds('{"broken": ', 'broken=1'));
    const form = 'AccountSid=AC123&CallStatus=completed&Duration=42';
    assert.ok(holds(form, 'callstatus=completed', 'application/x-www-form-urlencoded'));
    assert.ok(holds(form, 'duration=42', 'application/x-www-form-urlencoded'));
    // JSON sent as text/plain still has paths.
    assert.ok(holds('{"a":{"b":true}}', 'a.b=true', 'text/plain'));
  });

  it('a body longer than the analysis reads is partial', () => {
    const big = json({ blob: 'z '.repeat(MAX_ANALYSED_BYTES), tail: 'needle' });
    const analysis = analyseBody({ bytes: big });
    assert.equal(analysis.partial, true);
    assert.ok(analysisMatches(analysis, query('tail=needle')), 'its paths are all parsed');
  });
});

/** A source over a store that counts how often the index gave the event loop a turn. */
async function openStore(options: { maxDeliveries?: number } = {}) {
  const dir = await fixtures.tempDir();
  return fixtures.open(dir, options);
}

function ready(index: BodyIndex): Promise<void> {
  if (index.progress.ready) return Promise.resolve();
  return new Promise((resolve) => {
    const subscription = index.onDidBecomeReady(() => {
      subscription.dispose();
      resolve();
    });
  });
}

function indexed(index: BodyIndex, id: string): Promise<void> {
  if (index.coverage(id) !== 'missing') return Promise.resolve();
  return new Promise((resolve) => {
    const subscription = index.onDidIndex((ids) => {
      if (!ids.includes(id)) return;
      subscription.dispose();
      resolve();
    });
  });
}

/** The next time the index takes `id` (again). */
function nextIndexOf(index: BodyIndex, id: string): Promise<void> {
  return new Promise((resolve) => {
    const subscription = index.onDidIndex((done) => {
      if (!done.includes(id)) return;
      subscription.dispose();
      resolve();
    });
  });
}

const ids = (set: ReadonlySet<string>): string[] => [...set].sort();

describe('the body index over a store', () => {
  it('indexes what is stored, in chunks that yield, and answers words, prefixes and paths', async () => {
    const store = await openStore();
    for (let n = 0; n < 40; n++) {
      await store.put(
        withBody(
          `d${n}`,
          JSON.stringify({
            type: n % 2 === 0 ? 'charge.succeeded' : 'charge.failed',
            data: { object: { amount: n * 100, currency: n % 3 === 0 ? 'eur' : 'usd' } },
            note: n === 7 ? 'Refund requested by Ünïcode customer' : 'ok',
          }),
        ),
      );
    }
    let turns = 0;
    const index = new BodyIndex(store, {
      segmentSize: 8,
      readBatch: 4,
      sliceMs: 0,
      yieldTurn: () => {
        turns++;
        return new Promise((resolve) => setImmediate(resolve));
      },
    });
    assert.equal(index.progress.ready, false, 'not ready before it starts');
    index.start();
    await ready(index);
    assert.ok(turns >= 10, `gave the event loop a turn between chunks (${turns})`);
    assert.deepEqual(index.progress, { indexed: 40, total: 40, ready: true });
    assert.equal(index.segmentCount, 5);
    assert.deepEqual(ids(index.query(query('data.object.amount=700'))), ['d7']);
    assert.deepEqual(ids(index.query(query('refund'))), ['d7']);
    assert.deepEqual(ids(index.query(query('ünï'))), ['d7'], 'a prefix, any letters');
    assert.equal(index.query(query('charge failed')).size, 20);
    assert.equal(index.query(query('data.object.currency=EUR')).size, 14);
    assert.equal(index.query(query('charge.fail')).size, 20);
    assert.equal(index.query(query('nothing')).size, 0);
    // The summary's words are indexed too (its path, /webhook), so a search needs only the index.
    assert.equal(index.query(query('webhook')).size, 40);
    assert.equal(index.coverage('d7'), 'full');
    assert.ok(index.memoryBytes > 0);
    index.dispose();
  });

  it('follows new deliveries, deletes, evictions and a clear', async () => {
    const store = await openStore({ maxDeliveries: 10 });
    const index = new BodyIndex(store, { segmentSize: 4 });
    index.start();
    const put = async (id: string, word: string): Promise<void> => {
      await store.put(withBody(id, JSON.stringify({ word })));
      await indexed(index, id);
    };
    for (let n = 0; n < 10; n++) await put(`e${n}`, n < 5 ? 'alpha' : 'beta');
    assert.equal(index.query(query('alpha')).size, 5);
    await store.delete(['e1', 'e2', 'e3']);
    assert.deepEqual(ids(index.query(query('alpha'))), ['e0', 'e4']);
    assert.equal(index.coverage('e1'), 'missing');
    // Over the store's limit of 10: the oldest (e0, e4) are evicted and forgotten.
    for (let n = 10; n < 15; n++) await put(`e${n}`, 'gamma');
    assert.equal(store.size, 10);
    assert.deepEqual(ids(index.query(query('alpha'))), []);
    assert.equal(index.query(query('gamma')).size, 5);
    assert.equal(index.progress.indexed, 10);
    await store.clear();
    assert.equal(index.query(query('gamma')).size, 0);
    assert.deepEqual(index.progress, { indexed: 0, total: 0, ready: true });
    await put('after', 'delta');
    assert.deepEqual(ids(index.query(query('delta'))), ['after']);
    index.dispose();
  });

  it('answers as the direct scan does, over varied bodies and after compaction', async () => {
    const store = await openStore();
    const bodies = new Map<string, string>();
    const words = ['invoice', 'paid', 'failed', 'octocat', 'hello', 'push', 'merge', 'card'];
    for (let n = 0; n < 120; n++) {
      const body =
        n % 10 === 9
          ? `plain text ${words[n % words.length]} number ${n}`
          : JSON.stringify({
              kind: words[n % words.length],
              repository: { full_name: `octocat/repo${n % 4}` },
              items: [{ qty: n % 3 }, { qty: (n + 1) % 3 }],
              flag: n % 2 === 0,
              amount: n * 10,
              text: `${words[(n * 3) % words.length]} ${words[(n * 5) % words.length]}`,
            });
      bodies.set(`v${n}`, body);
      await store.put(withBody(`v${n}`, body));
    }
    const index = new BodyIndex(store, { segmentSize: 16 });
    index.start();
    await ready(index);
    // Deleting most of a few segments compacts them.
    const gone = [...bodies.keys()].filter((_, n) => n % 4 !== 0 && n < 64);
    await store.delete(gone);
    for (const id of gone) bodies.delete(id);
    const terms = [
      'invoice',
      'oct',
      'octocat repo2',
      'repository.full_name=octocat/repo1',
      'items.qty=2',
      'flag=true',
      'amount=1000',
      'plain number',
      'card paid',
    ];
    for (const term of terms) {
      const expected = [...bodies]
        .filter(([, body]) => holds(body, term))
        .map(([id]) => id)
        .sort();
      assert.deepEqual(ids(index.query(query(term))), expected, term);
    }
    index.dispose();
  });

  it('a body the store cannot read is not waited for, and is asked again when the store answers', async () => {
    const changes = new Emitter<StoreChangeEvent>();
    let failing = true;
    const record = withBody('x1', '{"a":"needle"}');
    const source: BodyIndexSource = {
      summaries: () => [],
      summary: () => undefined,
      get: (id) =>
        failing
          ? Promise.reject(new Error('the team database is unreachable'))
          : Promise.resolve({ ...record, id, seq: 1 }),
      onDidChange: changes.event,
    };
    const index = new BodyIndex(source);
    index.start();
    changes.fire({ added: ['x1'], updated: [], deleted: [], cleared: false });
    await ready(index);
    assert.equal(index.coverage('x1'), 'missing');
    failing = false;
    const done = indexed(index, 'x1');
    changes.fire({ added: ['x2'], updated: [], deleted: [], cleared: false });
    await done;
    assert.deepEqual(ids(index.query(query('a=needle'))), ['x1', 'x2']);
    index.dispose();
  });
});

describe('the body search with the index', () => {
  it('uses the index for what it holds, reads the rest, and says the index is being built', async () => {
    const store = await openStore();
    for (let n = 0; n < 6; n++) {
      await store.put(
        withBody(`s${n}`, JSON.stringify({ status: n === 1 || n === 4 ? 'declined' : 'ok' })),
      );
    }
    const index = new BodyIndex(store);
    // Not started: nothing indexed, every body is read.
    const read: string[] = [];
    const readBody = async (id: string): Promise<string | undefined> => {
      read.push(id);
      const stored = await store.get(id);
      return stored ? Buffer.from(stored.bodyBase64, 'base64').toString('utf8') : undefined;
    };
    const before = await searchBodies(store.summaries(), ['status=declined'], readBody, {
      limit: 100,
      timeBudgetMs: 10_000,
      index,
    });
    assert.deepEqual(ids(before.matches), ['s1', 's4']);
    assert.equal(before.read, 6);
    assert.match(
      bodySearchNote(before),
      /^The body index is still being built \(0 of 6 deliveries\); the others were read directly\.$/,
    );
    index.start();
    await ready(index);
    read.length = 0;
    const after = await searchBodies(store.summaries(), ['status=declined'], readBody, {
      limit: 100,
      timeBudgetMs: 10_000,
      index,
    });
    assert.deepEqual(ids(after.matches), ['s1', 's4']);
    assert.deepEqual(read, [], 'no body read');
    assert.equal(after.indexed, 6);
    assert.equal(bodySearchNote(after), '');
    index.dispose();
  });

  it('a filter in force asks the index about each arrival, new or sealed', async () => {
    const store = await openStore();
    const index = new BodyIndex(store, { segmentSize: 2 });
    index.start();
    for (const [id, repository] of [
      ['p1', 'octocat/hello'],
      ['p2', 'octocat/other'],
      ['p3', 'octocat/hello'],
    ] as const) {
      await store.put(withBody(id, JSON.stringify({ repository: { full_name: repository } })));
      await indexed(index, id);
    }
    const summary = (id: string) => {
      const found = store.summary(id);
      assert.ok(found);
      return found;
    };
    const terms = ['repository.full_name=octocat/hello'];
    // p1 and p2 are sealed in a segment; p3 is still in the open one.
    assert.equal(index.segmentCount, 1);
    assert.equal(indexHoldsTerms(summary('p1'), terms, index), true);
    assert.equal(indexHoldsTerms(summary('p2'), terms, index), false);
    assert.equal(indexHoldsTerms(summary('p3'), terms, index), true);
    assert.equal(indexHoldsTerms(summary('p3'), [...terms, 'octocat'], index), true);
    assert.equal(indexHoldsTerms(summary('p3'), [...terms, 'nothing'], index), false);
    // A batch of arrivals asks the whole index once per term for sealed deliveries.
    const cache = new Map<string, ReadonlySet<string>>();
    assert.equal(indexHoldsTerms(summary('p1'), terms, index, cache), true);
    assert.equal(indexHoldsTerms(summary('p2'), terms, index, cache), false);
    assert.deepEqual([...cache.keys()], ['path:repository.full_name=octocat/hello']);
    // The summary's own words count as before (the id is one of them).
    assert.equal(indexHoldsTerms(summary('p2'), ['p2'], index), true);
    await store.delete(['p3']);
    assert.equal(index.holds('p3', query('octocat')), undefined);
    index.dispose();
  });
});

/** A stored delivery whose body is `body`, sent to `url`. */
function bodyAt(id: string, body: string, url: string): DeliveryInput {
  return { ...withBody(id, body), url };
}

describe('the body index keeps up with changed bodies (review fixes)', () => {
  it('a body replaced by another of the same size is indexed again', async () => {
    const store = await openStore();
    const index = new BodyIndex(store, { segmentSize: 2 });
    index.start();
    await store.put(withBody('d1', '{"status":"aaaa"}'));
    await indexed(index, 'd1');
    // Sealed into a segment, so the old words are not only in the open one.
    await store.put(withBody('d2', '{"status":"other"}'));
    await indexed(index, 'd2');
    await ready(index);
    await store.put(withBody('d1', '{"status":"bbbb"}'));
    // Read again to compare: not ready (and d1 not answered by the index) until then.
    assert.equal(index.coverage('d1'), 'missing');
    await ready(index);
    assert.deepEqual(ids(index.query(query('status=bbbb'))), ['d1']);
    assert.deepEqual(ids(index.query(query('status=aaaa'))), []);
    assert.deepEqual(ids(index.query(query('bbbb'))), ['d1']);
    // Answered by the index alone: no body is read.
    const readBody = (): Promise<undefined> => Promise.resolve(undefined);
    const found = await searchBodies(store.summaries(), ['status=bbbb'], readBody, {
      limit: 100,
      timeBudgetMs: 1000,
      index,
    });
    assert.deepEqual(ids(found.matches), ['d1']);
    index.dispose();
  });

  it('an update of the same body (a new attempt) is read again and still found', async () => {
    const changes = new Emitter<StoreChangeEvent>();
    const record = { ...withBody('u1', '{"a":"same"}'), seq: 1 };
    let reads = 0;
    const source: BodyIndexSource = {
      summaries: () => [],
      summary: () => undefined,
      get: (id) => {
        reads++;
        return Promise.resolve({ ...record, id });
      },
      onDidChange: changes.event,
    };
    const index = new BodyIndex(source);
    index.start();
    changes.fire({ added: ['u1'], updated: [], deleted: [], cleared: false });
    await indexed(index, 'u1');
    const rechecked = nextIndexOf(index, 'u1');
    changes.fire({ added: [], updated: ['u1'], deleted: [], cleared: false });
    assert.equal(index.progress.ready, false);
    await ready(index);
    await rechecked;
    assert.equal(reads, 2, 'read again to compare its sha');
    assert.deepEqual(ids(index.query(query('a=same'))), ['u1']);
    assert.equal(index.coverage('u1'), 'full');
    assert.deepEqual(index.progress, { indexed: 1, total: 1, ready: true });
    index.dispose();
  });

  it('a change arriving while that body is being read wins over the read', async () => {
    const changes = new Emitter<StoreChangeEvent>();
    const started = new Emitter<string>();
    let body = '{"v":"old"}';
    const held: (() => void)[] = [];
    let hold = true;
    const source: BodyIndexSource = {
      summaries: () => [],
      summary: () => undefined,
      get: (id) => {
        // The body as it is when the read starts; the answer comes when the test lets it.
        const record = { ...withBody(id, body), seq: 1 };
        started.fire(id);
        if (!hold) return Promise.resolve(record);
        return new Promise((resolve) => held.push(() => resolve(record)));
      },
      onDidChange: changes.event,
    };
    const nextRead = (): Promise<void> =>
      new Promise((resolve) => {
        const subscription = started.event(() => {
          subscription.dispose();
          resolve();
        });
      });
    const index = new BodyIndex(source);
    index.start();
    let reading = nextRead();
    changes.fire({ added: ['r1'], updated: [], deleted: [], cleared: false });
    await reading;
    // Deleted and stored again with another body while the first read is in flight.
    changes.fire({ added: [], updated: [], deleted: ['r1'], cleared: false });
    body = '{"v":"new"}';
    changes.fire({ added: ['r1'], updated: [], deleted: [], cleared: false });
    hold = false;
    const done = ready(index);
    for (const release of held.splice(0)) release();
    await done;
    assert.deepEqual(ids(index.query(query('v=new'))), ['r1']);
    assert.deepEqual(ids(index.query(query('v=old'))), []);

    // An indexed body updated twice (same size) while the first update's read is in flight.
    hold = true;
    reading = nextRead();
    changes.fire({ added: [], updated: ['r1'], deleted: [], cleared: false });
    await reading;
    body = '{"v":"nw2"}';
    changes.fire({ added: [], updated: ['r1'], deleted: [], cleared: false });
    hold = false;
    const changed = ready(index);
    for (const release of held.splice(0)) release();
    await changed;
    assert.deepEqual(ids(index.query(query('v=nw2'))), ['r1']);
    assert.deepEqual(ids(index.query(query('v=new'))), []);
    index.dispose();
  });

  it('summary words match the same way before and after the index is ready', async () => {
    const store = await openStore();
    await store.put(bodyAt('d1', '{"a":1}', '/webhooks/stripe'));
    await store.put(bodyAt('d2', '{"card":"declined"}', '/hooks'));
    const readBody = async (id: string): Promise<string | undefined> => {
      const stored = await store.get(id);
      return stored ? Buffer.from(stored.bodyBase64, 'base64').toString('utf8') : undefined;
    };
    const terms: string[][] = [['hooks'], ['stripe declined'], ['stripe card'], ['ebhook']];
    const search = async (term: string[], index?: BodyIndex): Promise<string[]> =>
      ids(
        (
          await searchBodies(store.summaries(), term, readBody, {
            limit: 100,
            timeBudgetMs: 1000,
            ...(index ? { index } : {}),
          })
        ).matches,
      );
    const before = await Promise.all(terms.map((term) => search(term)));
    assert.deepEqual(before, [['d1', 'd2'], [], [], ['d1']]);
    const index = new BodyIndex(store);
    index.start();
    await ready(index);
    const after = await Promise.all(terms.map((term) => search(term, index)));
    assert.deepEqual(after, before);
    // A word in the summary and another in the body: both paths find it.
    const mixed = await search(['hooks declined']);
    assert.deepEqual(mixed, ['d2']);
    assert.deepEqual(await search(['hooks declined'], index), ['d2']);
    // A filter in force answers the same for an arrival.
    const summary = store.summary('d1');
    assert.ok(summary);
    assert.equal(indexHoldsTerms(summary, ['hooks'], index), true);
    assert.equal(indexHoldsTerms(summary, ['hooks a'], index), true);
    // Anywhere in the summary's text, whatever its case.
    assert.equal(ownHolds({ ...summary, url: '/WebHooks/Stripe' }, 'hooks'), true);
    assert.equal(ownHolds(summary, 'declined'), false);
    index.dispose();
  });

  it('the id table stays bounded over many add and evict cycles', async () => {
    const store = await openStore({ maxDeliveries: 20 });
    const index = new BodyIndex(store, { segmentSize: 8 });
    index.start();
    for (let n = 0; n < 400; n++) {
      await store.put(withBody(`c${n}`, JSON.stringify({ n })));
      await indexed(index, `c${n}`);
    }
    assert.equal(store.size, 20);
    assert.equal(index.progress.indexed, 20);
    assert.ok(index.idSlots <= 2 * 20 + 8, `id slots: ${index.idSlots}`);
    assert.deepEqual(ids(index.query(query('n=399'))), ['c399']);
    assert.deepEqual(ids(index.query(query('n=10'))), []);
    index.dispose();
  });
});
