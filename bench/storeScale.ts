// Benchmark 4, scale of the store: write 100,000 realistic Watson deliveries through the store's
// group commit, then "restart" in a fresh process and measure how long until the Deliveries tree
// can show them and how much RSS that costs above the idle process.
import { createHash } from 'node:crypto';
import { mkdtemp, readdir, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DeliveryRecord } from '../src/core/delivery';
import { dedupeKeyOf, jsonAnswer } from '../src/core/receiver/captured';
import { recognise } from '../src/core/senders/recognise';
import { newDeliveryId } from '../src/core/ids';
import { buildEvent } from '../src/core/simulate/templates';
import { randomUuid, type RandomSource } from '../src/core/simulate/random';
import { DeliveryStore } from '../src/core/store/deliveryStore';
import type { DeliveryInput } from '../src/core/store/types';
import { createVerifier } from '../src/core/verify/jwtVerifier';
import { signToken } from '../src/core/verify/sign';
import { MB, median, round, runJsonChild } from './lib/childJson';
import type { Benchmark, Figure, Verdict } from './lib/result';
import type { StoreScaleChildResult } from './lib/storeScaleChild';

const DELIVERIES = 100_000;
/** Above DELIVERIES so retention never drops any (the setting allows up to 1,000,000). */
const MAX_DELIVERIES = 200_000;
/** Records generated at a time: generation is not timed, and 100,000 at once would be ~300 MB. */
const CHUNK = 5_000;
/** Puts in flight at once: enough for large group commits, bounded like a busy receiver. */
const IN_FLIGHT = 256;
/** Fresh processes that open the store; the median is reported (the first is not special). */
const OPEN_RUNS = 5;
const TARGET_MS = 2_000;
const TARGET_RSS_MB = 150;
const SECRET = 'purple unicorn purple unicorn purple unicorn';
/** Every Nth delivery carries a token signed with another secret: a rejected (401) delivery. */
const BAD_TOKEN_EVERY = 50;

/** Deterministic bytes (mulberry32), so every run writes the same sizes and session shapes. */
function seededRandom(seed: number): RandomSource {
  let state = seed >>> 0;
  const next = (): number => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  };
  return (size) => {
    const bytes = Buffer.allocUnsafe(size);
    for (let i = 0; i < size; i += 4) {
      const value = next();
      for (let j = 0; j < 4 && i + j < size; j++) bytes[i + j] = (value >>> (j * 8)) & 0xff;
    }
    return bytes;
  };
}

/**
 * Makes records shaped as the Ingestor stores them: Watson log, pre- and post-message webhooks
 * with real JWTs and verdicts, spread over conversations of 1 to 10 turns with a few dozen
 * conversations interleaved, as a busy assistant would post them.
 */
class DeliveryFactory {
  private readonly random = seededRandom(7);
  private readonly verifier = createVerifier([{ label: 'current', value: SECRET }]);
  private readonly sessions: { id: string; turnsLeft: number }[] = [];
  private counter = 0;
  private readonly startMs = Date.parse('2025-06-01T09:00:00.000Z');
  bodyBytes = 0;
  sessionCount = 0;

  next(): DeliveryInput {
    const index = this.counter++;
    const nowMs = this.startMs + index * 37;
    const roll = this.randomBelow(100);
    const template =
      roll < 80
        ? 'watson.message_logged'
        : roll < 90
          ? 'watson.message_received'
          : 'watson.message_processed';
    const built = buildEvent(template, { nowMs, random: this.random });
    let text = built.body.toString('utf8');
    const generated = recognise(JSON.parse(text), () => undefined);
    const session = this.session();
    if (generated.sessionId !== null) text = text.split(generated.sessionId).join(session);
    const body = Buffer.from(text, 'utf8');
    const json = JSON.parse(text) as { payload?: unknown };
    const recognition = recognise(json, () => undefined);

    const token = signToken(
      index % BAD_TOKEN_EVERY === 0 ? 'not the secret' : SECRET,
      { sub: 'watson' },
      { nowMs },
    );
    const verification = this.verifier.verify(token, nowMs);
    const accepted = verification.verdict === 'verified';
    const id = newDeliveryId(nowMs);
    const answer = !accepted
      ? jsonAnswer(401, { error: 'unauthorized' })
      : template === 'watson.message_logged'
        ? jsonAnswer(200, { received: true, id })
        : jsonAnswer(200, { payload: json.payload });
    const bodySha256 = createHash('sha256').update(body).digest('hex');
    this.bodyBytes += body.length;
    const record: Omit<DeliveryRecord, 'seq'> = {
      v: 1,
      id,
      receivedAt: new Date(nowMs).toISOString(),
      method: 'POST',
      url: built.path,
      headers: [
        ['Host', '127.0.0.1:7878'],
        ['Content-Type', 'application/json'],
        ['Authorization', token],
        ['Content-Length', String(body.length)],
        ['Connection', 'keep-alive'],
      ],
      remoteAddress: '127.0.0.1',
      bodyBase64: body.toString('base64'),
      bodySha256,
      bodySize: body.length,
      parseError: null,
      sender: recognition.sender,
      event: recognition.event,
      sessionId: recognition.sessionId,
      senderEventId: recognition.senderEventId,
      verification,
      response: {
        status: answer.status,
        headers: answer.headers,
        body: typeof answer.body === 'string' ? answer.body : answer.body.toString('utf8'),
        timeMs: 1 + this.randomBelow(40) / 10,
      },
      attempts: [],
      duplicateOf: null,
      dedupeKey: dedupeKeyOf(recognition, bodySha256, token),
    };
    return record;
  }

  /** One of ~32 live conversations; a finished one is replaced by a new conversation. */
  private session(): string {
    while (this.sessions.length < 32) {
      this.sessions.push({
        id: randomUuid(this.random),
        turnsLeft: 1 + this.randomBelow(10),
      });
      this.sessionCount += 1;
    }
    const slot = this.randomBelow(this.sessions.length);
    const session = this.sessions[slot];
    if (!session) throw new Error('no session');
    session.turnsLeft -= 1;
    if (session.turnsLeft === 0) this.sessions.splice(slot, 1);
    return session.id;
  }

  private randomBelow(bound: number): number {
    return this.random(4).readUInt32BE(0) % bound;
  }
}

async function putAll(store: DeliveryStore, records: readonly DeliveryInput[]): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < records.length) {
      const record = records[next++];
      if (record) await store.put(record);
    }
  };
  await Promise.all(Array.from({ length: IN_FLIGHT }, worker));
}

async function directorySize(dir: string): Promise<number> {
  let total = 0;
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    total += entry.isDirectory() ? await directorySize(path) : (await stat(path)).size;
  }
  return total;
}

export const run: Benchmark = async () => {
  const dir = await mkdtemp(join(tmpdir(), 'hooklens-bench-store-'));
  try {
    const factory = new DeliveryFactory();
    const store = await DeliveryStore.open(dir, {
      maxDeliveries: MAX_DELIVERIES,
      maxBytes: 8 * 1024 ** 3,
    });
    let batches = 0;
    const subscription = store.onDidChange((change) => {
      if (change.added.length > 0) batches += 1;
    });
    let writeMs = 0;
    for (let written = 0; written < DELIVERIES; written += CHUNK) {
      const records = Array.from({ length: Math.min(CHUNK, DELIVERIES - written) }, () =>
        factory.next(),
      );
      const start = performance.now();
      await putAll(store, records);
      writeMs += performance.now() - start;
    }
    subscription.dispose();
    const written = store.size;
    await store.close();
    const diskBytes = await directorySize(dir);

    const runs: StoreScaleChildResult[] = [];
    for (let i = 0; i < OPEN_RUNS; i++) {
      runs.push(
        await runJsonChild<StoreScaleChildResult>(
          [join(__dirname, 'lib', 'storeScaleChild.ts'), dir, String(MAX_DELIVERIES)],
          { nodeArgs: ['--expose-gc'] },
        ),
      );
    }
    const totalMs = median(runs.map((r) => r.totalMs));
    const rssMb = median(runs.map((r) => (r.rssAfter - r.rssIdle) / MB));
    const peakMb = median(runs.map((r) => (r.rssPeak - r.rssIdle) / MB));
    const heapMb = median(runs.map((r) => (r.heapAfter - r.heapIdle) / MB));
    const heapTotalMb = median(runs.map((r) => (r.heapTotalAfter - r.heapTotalIdle) / MB));
    const loaded = Math.min(...runs.map((r) => r.deliveries));
    const first = runs[0];

    const figures: Figure[] = [
      { label: 'deliveries written', value: written, unit: 'deliveries' },
      {
        label: 'write throughput',
        value: Math.round(DELIVERIES / (writeMs / 1000)),
        unit: 'deliveries/s',
      },
      {
        label: 'mean group-commit batch',
        value: round(DELIVERIES / Math.max(1, batches)),
        unit: 'deliveries',
      },
      { label: 'mean body size', value: Math.round(factory.bodyBytes / DELIVERIES), unit: 'B' },
      { label: 'store size on disk', value: round(diskBytes / MB), unit: 'MB' },
      { label: 'deliveries loaded after restart', value: loaded, unit: 'deliveries' },
      { label: 'open → tree first page (median)', value: Math.round(totalMs), unit: 'ms' },
      {
        label: 'phase: DeliveryStore.open',
        value: Math.round(median(runs.map((r) => r.openMs))),
        unit: 'ms',
      },
      {
        label: 'phase: summaries()',
        value: round(median(runs.map((r) => r.summariesMs))),
        unit: 'ms',
      },
      {
        label: 'phase: group by session + first page',
        value: round(median(runs.map((r) => r.firstPageMs))),
        unit: 'ms',
      },
      { label: 'RSS above idle, settled (median)', value: round(rssMb), unit: 'MB' },
      { label: 'RSS above idle, peak during open', value: round(peakMb), unit: 'MB' },
      { label: 'V8 heap used above idle', value: round(heapMb), unit: 'MB' },
      { label: 'V8 heap committed above idle', value: round(heapTotalMb), unit: 'MB' },
      {
        label: 'Ingestor start (dedupe map over all)',
        value: round(median(runs.map((r) => r.ingestorMs))),
        unit: 'ms',
      },
    ];
    const verdicts: Verdict[] = [
      {
        target: 'restart until the tree shows 100,000 deliveries < 2 s',
        measured: Math.round(totalMs),
        unit: 'ms',
        met: totalMs < TARGET_MS && loaded === DELIVERIES,
        ...(loaded === DELIVERIES ? {} : { note: `only ${loaded} of ${DELIVERIES} loaded` }),
      },
      {
        target: 'RSS for 100,000 deliveries < 150 MB above idle',
        measured: round(rssMb),
        unit: 'MB',
        met: rssMb < TARGET_RSS_MB,
        ...(peakMb >= TARGET_RSS_MB ? { note: `peak while opening ${round(peakMb)} MB` } : {}),
      },
    ];
    return {
      name: '4. Scale of the store',
      figures,
      verdicts,
      notes: [
        `${DELIVERIES} Watson deliveries (80% message_logged, 10% each pre/post-message; 1 in ${BAD_TOKEN_EVERY} with a bad token) over ${factory.sessionCount} sessions, put ${IN_FLIGHT} at a time through the group commit (${batches} batches); record generation is not timed.`,
        `Restart: ${OPEN_RUNS} fresh \`node --expose-gc\` processes each time DeliveryStore.open + summaries() + groupDeliveries(…, 'session') and the first 200 groups with their first rows (${first?.groups ?? 0} groups, ${first?.rows ?? 0} rows), as the tree renders expanded groups.`,
        `RSS: after gc, before open vs after the first page with everything still referenced (MB = 10^6 bytes); idle child RSS ${round((first?.rssIdle ?? 0) / MB)} MB${first?.gcExposed ? '' : ' (gc not exposed!)'}. RSS beyond the committed V8 heap is native memory (segment read buffers freed but kept by the allocator).`,
        `Per run (ms): ${runs.map((r) => `${Math.round(r.totalMs)} (open ${Math.round(r.openMs)})`).join(', ')}; RSS MB: ${runs.map((r) => round((r.rssAfter - r.rssIdle) / MB)).join(', ')}.`,
      ],
    };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
};
