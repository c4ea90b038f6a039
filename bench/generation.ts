// Benchmark 6, generation: 1,000 captured Watson CDR deliveries (cdr_logged, each call's own ids,
// numbers and warnings) to TypeScript types and a handler. Timed the way a user meets it, as
// `hooklens generate` in a fresh process reading a real store; the baseline in the same run is
// that process doing nothing (`hooklens --version`), so the ratio shows what generation adds.
// In-process figures split quicktype's first load from warm runs.
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { generateHandlerCode, resolveTarget } from '../src/core/generate/index';
import type { CapturedRequest } from '../src/core/receiver/captured';
import { Ingestor } from '../src/core/receiver/ingest';
import { buildEvent } from '../src/core/simulate/templates';
import { DeliveryStore } from '../src/core/store/deliveryStore';
import { analyserWithSecrets } from '../src/core/analysis/analyseRequest';
import { signToken } from '../src/core/verify/sign';
import { seededRandom } from '../test/unit/generateFixtures';
import { median, round } from './lib/childJson';
import { cliPath } from './lib/processes';
import type { Benchmark } from './lib/result';

const DELIVERIES = 1000;
const PROCESS_RUNS = 5;
const WARM_RUNS = 5;
const TARGET_MS = 2000;
const SECRET = 'bench-generation-secret-4c1d9e7a2b6f';

const run_ = promisify(execFile);

async function timedProcess(args: readonly string[]): Promise<number> {
  const start = performance.now();
  await run_(process.execPath, [cliPath, ...args], { maxBuffer: 16 * 1024 * 1024 });
  return performance.now() - start;
}

export const run: Benchmark = async () => {
  const work = await mkdtemp(join(tmpdir(), 'hooklens-bench-generate-'));
  try {
    const storeDir = join(work, 'store');
    const store = await DeliveryStore.open(storeDir);
    const ingestor = new Ingestor(store, {
      policy: 'reject',
      analyser: () => analyserWithSecrets([{ provider: null, label: 'current', value: SECRET }]),
    });
    const random = seededRandom('bench-cdr');
    const start = Date.UTC(2026, 10, 23, 8, 0, 0);
    for (let index = 0; index < DELIVERIES; index++) {
      const built = buildEvent('watson.cdr_logged', { nowMs: start + index * 1000, random });
      const request: CapturedRequest = {
        receivedAtMs: start + index * 1000,
        startedAt: process.hrtime.bigint(),
        method: 'POST',
        url: built.path,
        headers: [
          ['Host', '127.0.0.1:7878'],
          ['Authorization', signToken(SECRET, {})],
          ...built.headers.map(([name, value]) => [name, value] as [string, string]),
        ],
        remoteAddress: '127.0.0.1',
        body: built.body,
      };
      await ingestor.ingest(request);
    }
    const records = [];
    for (const summary of store.summaries()) {
      const record = await store.get(summary.id);
      if (record) records.push(record);
    }
    await store.close();

    const target = resolveTarget('typescript', 'node');
    const coldStart = performance.now();
    const first = await generateHandlerCode(records, target);
    const coldMs = performance.now() - coldStart;
    const warm: number[] = [];
    for (let index = 0; index < WARM_RUNS; index++) {
      const begin = performance.now();
      await generateHandlerCode(records, target);
      warm.push(performance.now() - begin);
    }

    const baseline: number[] = [];
    const generated: number[] = [];
    for (let index = 0; index < PROCESS_RUNS; index++) {
      baseline.push(await timedProcess(['--version']));
      const out = join(work, `out-${index}`);
      generated.push(
        await timedProcess(['generate', '--store', storeDir, '--lang', 'typescript', '--out', out]),
      );
    }
    const processMs = median(generated);
    const baselineMs = median(baseline);
    const distinctShapes = new Set(
      first.model.events[0]!.samples.map((sample) => JSON.stringify(sample.value)),
    ).size;
    return {
      name: '6. Generation',
      figures: [
        {
          label: 'hooklens generate, 1,000 CDR deliveries (process, median)',
          value: round(processMs),
          unit: 'ms',
        },
        {
          label: 'hooklens --version (process, median): baseline',
          value: round(baselineMs),
          unit: 'ms',
        },
        { label: 'generate / baseline', value: round(processMs / baselineMs, 2), unit: '×' },
        { label: 'in process, first run (loads quicktype)', value: round(coldMs), unit: 'ms' },
        { label: 'in process, warm (median)', value: round(median(warm)), unit: 'ms' },
      ],
      verdicts: [
        {
          target: `1,000 CDR deliveries to TypeScript < ${TARGET_MS} ms`,
          measured: round(processMs),
          unit: 'ms',
          met: processMs < TARGET_MS,
        },
      ],
      notes: [
        `${first.model.usedDeliveries} deliveries used, ${distinctShapes} distinct bodies, ${first.files.length} files; the process figure includes reading the store and writing the files.`,
      ],
    };
  } finally {
    await rm(work, { recursive: true, force: true });
  }
};
