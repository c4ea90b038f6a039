// Child process of benchmark 4: opens a large store as a restarted extension would, computes what
// the Deliveries tree shows first, and prints one JSON line with the time and the memory it took.
// Run as: node --import tsx --expose-gc bench/lib/storeScaleChild.ts <storeDir> <maxDeliveries>
import { setImmediate as nextTurn } from 'node:timers/promises';
import { endpointOf, groupDeliveries } from '../../src/core/deliveries/deliveryView';
import { retryCount } from '../../src/core/export/exportRecord';
import { Ingestor } from '../../src/core/receiver/ingest';
import { DeliveryStore } from '../../src/core/store/deliveryStore';
import type { DeliverySummary } from '../../src/core/store/types';
import { toSingleLine } from '../../src/shared/visibleText';

/** deliveriesTree.ts PAGE_SIZE (that module imports vscode, so it cannot be loaded here). */
const PAGE_SIZE = 200;

export interface StoreScaleChildResult {
  readonly deliveries: number;
  readonly openMs: number;
  readonly summariesMs: number;
  readonly firstPageMs: number;
  readonly totalMs: number;
  readonly groups: number;
  readonly rows: number;
  readonly rssIdle: number;
  readonly rssAfter: number;
  readonly heapIdle: number;
  readonly heapAfter: number;
  /** V8's committed heap (used + free pages it keeps), to tell V8 from native memory in RSS. */
  readonly heapTotalIdle: number;
  readonly heapTotalAfter: number;
  readonly rssPeak: number;
  readonly gcExposed: boolean;
  /** `new Ingestor(store)` rebuilds its duplicate map from every summary when the receiver starts. */
  readonly ingestorMs: number;
}

/** Collects what can be collected so RSS and heap reflect live data, not garbage. */
async function settle(): Promise<void> {
  const gc = (globalThis as { gc?: () => void }).gc;
  for (let i = 0; i < 3; i++) {
    gc?.();
    await nextTurn();
  }
}

/**
 * What DeliveriesTree renders first with the default group-by 'session': the root page of groups
 * and, because groups open expanded, each shown group's first page of rows with their labels.
 */
function firstPage(
  store: DeliveryStore,
  summaries: readonly DeliverySummary[],
): { groups: number; rows: string[] } {
  const groups = groupDeliveries(summaries, 'session');
  const rows: string[] = [];
  for (const group of groups.slice(0, PAGE_SIZE)) {
    rows.push(`${toSingleLine(group.label, 80)} ${group.deliveries.length}`);
    for (const { id } of group.deliveries.slice(0, PAGE_SIZE)) {
      const summary = store.summary(id);
      if (!summary) continue;
      const label =
        summary.event === null ? `${summary.method} ${endpointOf(summary.url)}` : summary.event;
      const description = [
        summary.status ?? '—',
        summary.timeMs === null ? undefined : `${summary.timeMs} ms`,
        retryCount(summary) > 0 ? `↻${retryCount(summary)}` : undefined,
        new Date(summary.receivedAt).toLocaleTimeString(),
      ]
        .filter((part) => part !== undefined)
        .join(' · ');
      rows.push(`${toSingleLine(label, 80)} ${description}`);
    }
  }
  return { groups: groups.length, rows };
}

async function main(): Promise<void> {
  const [dir, maxText] = process.argv.slice(2);
  if (!dir || !maxText) throw new Error('usage: storeScaleChild.ts <storeDir> <maxDeliveries>');
  const maxDeliveries = Number(maxText);

  await settle();
  const idle = process.memoryUsage();
  const start = performance.now();
  const store = await DeliveryStore.open(dir, { maxDeliveries, maxBytes: 8 * 1024 ** 3 });
  const opened = performance.now();
  const summaries = store.summaries();
  const summarised = performance.now();
  const page = firstPage(store, summaries);
  const shown = performance.now();
  const rssPeak = process.resourceUsage().maxRSS * 1024;

  await settle();
  const after = process.memoryUsage();

  const ingestorStart = performance.now();
  const ingestor = new Ingestor(store, { policy: 'reject' });
  const ingestorMs = performance.now() - ingestorStart;
  ingestor.dispose();

  const result: StoreScaleChildResult = {
    deliveries: summaries.length,
    openMs: opened - start,
    summariesMs: summarised - opened,
    firstPageMs: shown - summarised,
    totalMs: shown - start,
    groups: page.groups,
    rows: page.rows.length,
    rssIdle: idle.rss,
    rssAfter: after.rss,
    heapIdle: idle.heapUsed,
    heapAfter: after.heapUsed,
    heapTotalIdle: idle.heapTotal,
    heapTotalAfter: after.heapTotal,
    rssPeak,
    gcExposed: typeof (globalThis as { gc?: unknown }).gc === 'function',
    ingestorMs,
  };
  await store.close();
  process.stdout.write(`${JSON.stringify(result)}\n`);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
  process.exit(1);
});
