// The entry of dist/generator.js. Loaded with require() it is the generator module; started as a
// worker thread (generateOffThread) it generates once from its workerData and posts the outcome,
// so type inference over many samples never blocks the extension host's event loop.
import { isMainThread, parentPort, workerData } from 'node:worker_threads';
import { generateHandlerCode, GenerationError } from './index';
import type { GenerationTarget } from './model';
import { summarizeGeneration, type GenerationOutcome } from './outcome';
import type { GenerationRecord, ModelOptions } from './samples';

export * from './index';

export interface GenerationJob {
  readonly kind: 'hooklens-generate';
  readonly records: readonly GenerationRecord[];
  readonly target: GenerationTarget;
  readonly options: ModelOptions;
}

function isJob(value: unknown): value is GenerationJob {
  return (
    typeof value === 'object' &&
    value !== null &&
    (value as { kind?: unknown }).kind === 'hooklens-generate'
  );
}

if (!isMainThread && parentPort && isJob(workerData)) {
  const port = parentPort;
  const job = workerData;
  generateHandlerCode(job.records, job.target, job.options).then(
    (code) =>
      port.postMessage({
        ok: true,
        summary: summarizeGeneration(code),
      } satisfies GenerationOutcome),
    (error: unknown) =>
      port.postMessage({
        ok: false,
        message: error instanceof Error ? error.message : String(error),
        userError: error instanceof GenerationError,
      } satisfies GenerationOutcome),
  );
}
