// A per-minute series as one line of text, for the CLI's `stats` and the Health view.

const BARS = '▁▂▃▄▅▆▇█';

/** One character per minute; `·` for a minute without deliveries, so it is not mistaken for one. */
export function sparkline(series: readonly number[]): string {
  const max = Math.max(0, ...series);
  return series
    .map((count) =>
      count <= 0 || max === 0 ? '·' : BARS[Math.max(0, Math.ceil((count / max) * BARS.length) - 1)],
    )
    .join('');
}
