// `npm run bench`: runs issue 7's benchmarks in order, prints each one's figures and one verdict
// line per target, and writes bench/results.md (the table the README includes).
//
//   node --import tsx bench/run.ts [--only ingest,forward]
//
// Names for --only: ingest, forward, extensionHost, storeScale, activation, generation, teamStore,
// bodySearch.
// HOOKLENS_BENCH_DURATION=S shortens the load runs while working on the code.
import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import * as prettier from 'prettier';
import { stopAllServers } from './lib/processes';
import {
  describeMachine,
  parseStoredOutcomes,
  printResult,
  resultsMarkdown,
  type StoredOutcome,
} from './lib/report';
import type { Benchmark } from './lib/result';

interface Entry {
  /** The --only name, which is also the module's file name under bench/. */
  readonly name: string;
  /** Issue 7's number and title, for lines about a benchmark that did not run. */
  readonly title: string;
  /** Set when the benchmark cannot run yet, whatever files exist. */
  readonly notYet?: string;
}

const BENCHMARKS: readonly Entry[] = [
  { name: 'ingest', title: '1. Ingest' },
  { name: 'forward', title: '2. Forwarding overhead' },
  { name: 'extensionHost', title: '3. Extension host under load' },
  { name: 'storeScale', title: '4. Scale of the store' },
  { name: 'activation', title: '5. Activation and size' },
  { name: 'generation', title: '6. Generation' },
  { name: 'teamStore', title: '7. Team store (PostgreSQL)' },
  { name: 'bodySearch', title: '8. Body search' },
];

const benchDir = __dirname;

async function loadBenchmark(entry: Entry): Promise<Benchmark | string> {
  if (entry.notYet) return entry.notYet;
  const file = join(benchDir, `${entry.name}.ts`);
  // The other benchmarks land separately: a missing file is skipped, not an error.
  if (!existsSync(file)) return `not written yet (no bench/${entry.name}.ts)`;
  const module = (await import(file)) as { run?: unknown };
  if (typeof module.run !== 'function') return `bench/${entry.name}.ts exports no run()`;
  return module.run as Benchmark;
}

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: { only: { type: 'string' }, help: { type: 'boolean', short: 'h', default: false } },
    strict: true,
    allowPositionals: false,
  });
  if (values.help) {
    console.log(
      `Usage: node --import tsx bench/run.ts [--only NAME[,NAME]]\nNames: ${BENCHMARKS.map((entry) => entry.name).join(', ')}`,
    );
    return 0;
  }
  const only = values.only
    ?.split(',')
    .map((name) => name.trim())
    .filter((name) => name !== '');
  const unknown = only?.filter((name) => !BENCHMARKS.some((entry) => entry.name === name)) ?? [];
  if (unknown.length > 0) {
    console.error(
      `Unknown benchmark ${unknown.join(', ')}; names: ${BENCHMARKS.map((entry) => entry.name).join(', ')}`,
    );
    return 2;
  }
  const selected = BENCHMARKS.filter((entry) => !only || only.includes(entry.name));

  const machine = describeMachine();
  console.log(
    `HookLens benchmarks on ${machine.cpuCount} × ${machine.cpu}, ${machine.memoryGiB.toFixed(1)} GiB, Node ${machine.node}, ${machine.os}\n`,
  );
  const date = new Date().toISOString().slice(0, 10);
  const outcomes = new Map<string, StoredOutcome>();
  let failed = false;
  for (const entry of selected) {
    const benchmark = await loadBenchmark(entry);
    if (typeof benchmark === 'string') {
      console.log(`${entry.title}: ${benchmark}\n`);
      outcomes.set(entry.title, { title: entry.title, date, machine, notRun: benchmark });
      continue;
    }
    const startedAt = Date.now();
    try {
      const result = await benchmark();
      printResult(result, (line) => console.log(line));
      console.log(`  (${((Date.now() - startedAt) / 1000).toFixed(0)} s)\n`);
      outcomes.set(entry.title, { title: entry.title, date, machine, result });
    } catch (error) {
      failed = true;
      const message = error instanceof Error ? (error.stack ?? error.message) : String(error);
      console.log(`${entry.title}: FAILED\n${message}\n`);
      outcomes.set(entry.title, {
        title: entry.title,
        date,
        machine,
        notRun: `failed: ${firstLine(message)}`,
      });
      await stopAllServers();
    }
  }

  const file = join(benchDir, 'results.md');
  await writeResults(file, outcomes);
  console.log(`Wrote ${file}${only ? ' (rows of benchmarks not run now kept from before)' : ''}`);
  const results = [...outcomes.values()].flatMap((outcome) => outcome.result ?? []);
  const missed = results.flatMap((result) => result.verdicts).filter((verdict) => !verdict.met);
  const notRun = [...outcomes.values()].filter((outcome) => !outcome.result).length;
  console.log(
    `${results.reduce((sum, result) => sum + result.verdicts.length, 0) - missed.length} targets met, ${missed.length} missed${notRun > 0 ? `, ${notRun} not run` : ''}.`,
  );
  return failed ? 1 : 0;
}

/** Rewrites results.md: this run's outcomes, and earlier ones for benchmarks it did not run. */
async function writeResults(file: string, current: ReadonlyMap<string, StoredOutcome>) {
  const previous = parseStoredOutcomes(await readFile(file, 'utf8').catch(() => ''));
  const merged = BENCHMARKS.map(
    (entry) =>
      current.get(entry.title) ??
      previous.find((old) => old.title === entry.title) ?? {
        title: entry.title,
        date: new Date().toISOString().slice(0, 10),
        machine: describeMachine(),
        notRun: entry.notYet ?? 'not run yet',
      },
  );
  const options = (await prettier.resolveConfig(file)) ?? {};
  const markdown = await prettier.format(resultsMarkdown(merged), { ...options, filepath: file });
  await writeFile(file, markdown);
}

function firstLine(text: string): string {
  return text.split('\n', 1)[0] ?? text;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  },
);
