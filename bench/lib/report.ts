// Printing benchmark results and writing bench/results.md: figures, one verdict line per target,
// and the Markdown table the README includes, with the machine the figures came from.
import * as os from 'node:os';
import type { BenchResult, Figure, Verdict } from './result';

/** A number with sensible precision for its size: 0.523, 12.4, 8123. */
export function formatNumber(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  const magnitude = Math.abs(value);
  if (magnitude >= 100 || Number.isInteger(value)) return Math.round(value).toString();
  if (magnitude >= 10) return value.toFixed(1);
  if (magnitude >= 1) return value.toFixed(2);
  return value.toFixed(3);
}

export function formatValue(value: number, unit: string): string {
  const number = formatNumber(value);
  if (unit === '' || unit === 'x' || unit === 'ratio') return unit === 'x' ? `${number}x` : number;
  return `${number} ${unit}`;
}

export function figureLine(figure: Figure): string {
  return `  ${figure.label}: ${formatValue(figure.value, figure.unit)}`;
}

/** `PASS hooklens/bare req/s >= 0.35: 0.52` or `MISS ...`, with the note after a dash. */
export function verdictLine(verdict: Verdict): string {
  const note = verdict.note ? ` (${verdict.note})` : '';
  return `${verdict.met ? 'PASS' : 'MISS'} ${verdict.target}: ${formatValue(verdict.measured, verdict.unit)}${note}`;
}

export function printResult(result: BenchResult, print: (line: string) => void): void {
  print(`${result.name}`);
  for (const figure of result.figures) print(figureLine(figure));
  for (const note of result.notes ?? []) print(`  - ${note}`);
  for (const verdict of result.verdicts) print(verdictLine(verdict));
}

export interface Machine {
  readonly cpu: string;
  readonly cpuCount: number;
  readonly memoryGiB: number;
  readonly node: string;
  readonly os: string;
}

export function describeMachine(): Machine {
  const cpus = os.cpus();
  return {
    cpu: cpus[0]?.model.trim() ?? 'unknown CPU',
    cpuCount: cpus.length,
    memoryGiB: os.totalmem() / 1024 ** 3,
    node: process.version,
    os: `${os.type()} ${os.release()} (${os.platform()}/${os.arch()})`,
  };
}

/** A table cell: pipes escaped, line breaks flattened. */
function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\s*\n\s*/g, ' ');
}

/** What results.md keeps about one benchmark: its last outcome, when and where. */
export interface StoredOutcome {
  /** Issue 7's number and title, e.g. '1. Ingest'. */
  readonly title: string;
  readonly date: string;
  readonly machine: Machine;
  readonly result?: BenchResult;
  /** Why it did not run (not written yet, failed...), when it did not. */
  readonly notRun?: string;
}

const DATA_START = '<!-- bench-data ';
const DATA_END = ' -->';

/**
 * The outcomes an earlier results.md holds (kept in a comment as JSON), so a run of some
 * benchmarks (`--only`) updates their rows and keeps the others'. [] when there is none.
 */
export function parseStoredOutcomes(markdown: string): StoredOutcome[] {
  const start = markdown.indexOf(DATA_START);
  const end = markdown.indexOf(DATA_END, start + DATA_START.length);
  if (start < 0 || end < 0) return [];
  try {
    const parsed: unknown = JSON.parse(markdown.slice(start + DATA_START.length, end));
    return Array.isArray(parsed) ? (parsed as StoredOutcome[]) : [];
  } catch {
    return [];
  }
}

function machineLine(machine: Machine): string {
  return `${machine.cpuCount} × ${machine.cpu}, ${formatNumber(machine.memoryGiB)} GiB RAM, Node ${machine.node}, ${machine.os}`;
}

/**
 * The results file: one row per target (or one for a benchmark that did not run), then where and
 * when each benchmark ran, then the outcomes as data for the next partial run. Not yet
 * prettier-formatted; run.ts formats it so `npm run format:check` stays green.
 */
export function resultsMarkdown(outcomes: readonly StoredOutcome[]): string {
  const rows = outcomes.flatMap((outcome) =>
    outcome.result
      ? outcome.result.verdicts.map(
          (verdict) =>
            `| ${cell(outcome.title)} | ${cell(verdict.target)} | ${cell(formatValue(verdict.measured, verdict.unit))} | ${verdict.met ? 'met' : `**missed**${verdict.note ? `: ${cell(verdict.note)}` : ''}`} |`,
        )
      : [`| ${cell(outcome.title)} | — | — | ${cell(outcome.notRun ?? 'not run')} |`],
  );
  const runs = new Map<string, string[]>();
  for (const outcome of outcomes) {
    if (!outcome.result) continue;
    const key = `${outcome.date} on ${machineLine(outcome.machine)}`;
    runs.set(key, [...(runs.get(key) ?? []), outcome.title]);
  }
  // JSON never has "--" outside strings; escaping it inside them keeps the comment well formed.
  const data = JSON.stringify(outcomes).replace(/--/g, '-\\u002d');
  return [
    '<!-- Written by `npm run bench` (bench/run.ts); do not edit by hand. -->',
    '',
    '| Benchmark | Target | Measured | Verdict |',
    '| --- | --- | --- | --- |',
    ...rows,
    '',
    ...[...runs].map(([where, titles]) => `${titles.join(', ')}: measured ${where}.`),
    '',
    'Ratios compare measurements made one after another in the same run; absolute figures on a shared machine drift.',
    '',
    `${DATA_START}${data}${DATA_END}`,
    '',
  ].join('\n');
}
