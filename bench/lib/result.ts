// What every benchmark returns, so `npm run bench` can print one verdict line per target and
// write one Markdown table for the README. Ratios against a baseline measured in the same run
// are the point: absolute times on shared machines drift.

/** One measured figure, e.g. { label: 'hooklens req/s', value: 8123, unit: 'req/s' }. */
export interface Figure {
  readonly label: string;
  readonly value: number;
  readonly unit: string;
}

/** One target from issue 7 and whether this run met it. */
export interface Verdict {
  /** The target as the issue states it, e.g. 'hooklens/bare req/s >= 0.35'. */
  readonly target: string;
  /** The measured value the target is about (a ratio, ms, MB...). */
  readonly measured: number;
  readonly unit: string;
  readonly met: boolean;
  /** When missed or notable: what the run showed (kept short; details go in `notes`). */
  readonly note?: string;
}

export interface BenchResult {
  /** e.g. '1. Ingest' — the number matches issue 7's list. */
  readonly name: string;
  readonly figures: readonly Figure[];
  readonly verdicts: readonly Verdict[];
  /** Free-form lines printed after the figures (what was measured, how, caveats). */
  readonly notes?: readonly string[];
}

export type Benchmark = () => Promise<BenchResult>;
