// `hooklens stats`: delivery health over a time window (the seed's "performance analysis"), from
// the store's summaries alone: no record is read from disk.
import { parseArgs } from 'node:util';
import {
  formatHealthWindow,
  HealthTracker,
  MAX_HEALTH_ROWS,
  parseHealthWindow,
  type HealthRow,
  type HealthSnapshot,
} from '../../core/health/healthTracker';
import { toSingleLine } from '../../shared/visibleText';
import { UsageError, type CliIo } from '../io';
import { openStoreSource, STORE_SOURCE_PARSE_OPTIONS } from '../storeSource';
import { sparkline } from '../../core/health/sparkline';

export const STATS_HELP = `Usage: hooklens stats --store DIR [--window 5m|15m|1h|24h|all] [--json]

Delivery health over a time window: deliveries per minute, verdict counts, how many forwards
your handler took (2xx), and per event and per endpoint the count, p50/p95/max time taken and
error rate, and per route when routes or failure simulation took deliveries (see
listen --route). Status and time taken are the latest attempt's when a delivery has attempts, else
the receiver's answer; an error is a status outside 2xx or no answer. Percentiles are exact,
nearest-rank. A forward counts by its latest try. Only the store's index is read (no bodies),
and the store is never changed.

Options:
  --store DIR    Delivery store folder (required, or --database-env)
  --database-env NAME  The team store on PostgreSQL: NAME is the environment variable holding
                 its URL (postgres://USER:PASSWORD@HOST:5432/hooklens?sslmode=require)
  --window W     5m, 15m, 1h, 24h or all (default all); any whole number with s, m, h or d
                 also works (90m, 7d). A window ends now and excludes its exact start.
  --json         One JSON object (the health snapshot) instead of tables
`;

const KEY_WIDTH = 48;

export async function statsCommand(args: readonly string[], io: CliIo): Promise<number> {
  const { values } = parseArgs({
    args: [...args],
    options: {
      ...STORE_SOURCE_PARSE_OPTIONS,
      window: { type: 'string', default: 'all' },
      json: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
    strict: true,
    allowPositionals: false,
  });
  if (values.help) {
    io.stdout(STATS_HELP);
    return 0;
  }
  const window = parseHealthWindow(values.window);
  if (window === undefined) {
    throw new UsageError(
      `--window must be 5m, 15m, 1h, 24h, all, or a whole number with s, m, h or d (up to 365d), not '${toSingleLine(values.window, 40)}'.`,
    );
  }
  // Only reads: never changes the store, whoever owns it (or nobody).
  const store = await openStoreSource(values, 'read');
  let snapshot: HealthSnapshot;
  try {
    const tracker = new HealthTracker();
    tracker.seed(store.summaries());
    snapshot = tracker.snapshot(window);
  } finally {
    await store.close();
  }
  io.stdout(values.json ? `${JSON.stringify(snapshot)}\n` : formatSnapshot(snapshot));
  return 0;
}

/** The readable report: a header with the totals, then one table per event and per endpoint. */
export function formatSnapshot(snapshot: HealthSnapshot): string {
  const label = formatHealthWindow(snapshot.window);
  const span =
    snapshot.window === 'all'
      ? snapshot.from === null
        ? 'all stored'
        : `all stored (${snapshot.from} – ${snapshot.to})`
      : `last ${label} (${snapshot.from ?? ''} – ${snapshot.to})`;
  const lines = [`Delivery health, ${span}`];
  if (snapshot.total === 0) {
    lines.push(
      snapshot.window === 'all'
        ? 'The store has no deliveries.'
        : `No deliveries in the last ${label}.`,
      '',
    );
    return lines.join('\n');
  }
  const { forwards, overall } = snapshot;
  const forwardText =
    forwards.attempted === 0
      ? 'not forwarded'
      : `forwards ${forwards.succeeded} of ${forwards.attempted} took 2xx (${percent(forwards.successRate)})`;
  lines.push(
    `${snapshot.total} ${snapshot.total === 1 ? 'delivery' : 'deliveries'}, ${snapshot.perMinute.rate.toFixed(2)}/min, ` +
      `errors ${percent(overall.errorRate)}, p50 ${ms(overall.p50)} ms, p95 ${ms(overall.p95)} ms, ` +
      `max ${ms(overall.max)} ms, ${forwardText}`,
  );
  const verdicts = Object.entries(snapshot.verdicts)
    .filter(([, count]) => count > 0)
    .map(([verdict, count]) => `${verdict} ${count}`);
  lines.push(
    `Verdicts: ${verdicts.join(', ')} (${snapshot.failedVerifications} failed verification)`,
  );
  const series = snapshot.perMinute.series;
  lines.push(
    `Per minute, last ${series.length} min (max ${Math.max(...series)}): ${sparkline(series)}`,
  );
  lines.push('', ...table('EVENT', snapshot.byEvent, '(no event)', 'events'));
  lines.push('', ...table('ENDPOINT', snapshot.byEndpoint, '', 'endpoints'));
  // Older snapshots (a newer HookLens's --json read back) may lack it.
  const byRoute = snapshot.byRoute ?? [];
  if (byRoute.length > 0) lines.push('', ...table('ROUTE', byRoute, '(no route)', 'routes'));
  lines.push('');
  return lines.join('\n');
}

function table(
  title: string,
  rows: readonly HealthRow[],
  noneLabel: string,
  plural: string,
): string[] {
  const labels = rows.map((row) =>
    row.kind === 'key'
      ? toSingleLine(row.key ?? '', KEY_WIDTH)
      : row.kind === 'none'
        ? noneLabel
        : `(${row.keyCount} other ${plural})`,
  );
  const width = Math.max(title.length, ...labels.map((label) => label.length));
  const header = [
    title.padEnd(width),
    'COUNT'.padStart(7),
    'P50 MS'.padStart(9),
    'P95 MS'.padStart(9),
    'MAX MS'.padStart(9),
    'ERRORS'.padStart(8),
  ].join(' ');
  const body = rows.map((row, i) =>
    [
      (labels[i] ?? '').padEnd(width),
      String(row.count).padStart(7),
      ms(row.p50).padStart(9),
      ms(row.p95).padStart(9),
      ms(row.max).padStart(9),
      percent(row.errorRate).padStart(8),
    ].join(' '),
  );
  const note =
    rows.at(-1)?.kind === 'others'
      ? [`(the ${MAX_HEALTH_ROWS} busiest ${plural} are listed; the rest are folded together)`]
      : [];
  return [header, ...body, ...note];
}

function ms(value: number | null): string {
  if (value === null) return '-';
  return Number.isInteger(value) ? String(value) : value.toFixed(1);
}

function percent(rate: number | null): string {
  return rate === null ? '-' : `${(rate * 100).toFixed(1)}%`;
}
