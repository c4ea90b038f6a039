// Loads code generation on demand. In the packaged extension and CLI it is its own bundle,
// dist/generator.js, so its type-inference library is read from disk only when the user generates
// (activation stays fast; bench/activation.ts checks). From source (tests), the module itself.
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import type * as Generator from './index';
import type { GenerationTarget } from './model';
import { summarizeGeneration, type GenerationOutcome } from './outcome';
import type { GenerationRecord, ModelOptions } from './samples';

export type GeneratorModule = typeof Generator;

const bundledPath = (): string => join(__dirname, 'generator.js');

export async function loadGenerator(): Promise<GeneratorModule> {
  const bundled = bundledPath();
  if (existsSync(bundled)) return createRequire(__filename)(bundled) as GeneratorModule;
  // A variable, so the bundler leaves this import alone instead of inlining the generator.
  const fromSource = './index';
  return (await import(fromSource)) as GeneratorModule;
}

/** Memory a generation may use before its thread is stopped (the extension host keeps going). */
const WORKER_HEAP_MB = 1024;

/**
 * Generates on a worker thread (the bundled generator), so inference over many samples never
 * blocks the caller's event loop; `signal` stops it. From source, where there is no bundle, it
 * runs in this thread instead. `bundled` is the generator bundle's path (tests name dist's).
 */
export async function generateOffThread(
  records: readonly GenerationRecord[],
  target: GenerationTarget,
  options: ModelOptions,
  signal?: AbortSignal,
  bundled: string = bundledPath(),
): Promise<GenerationOutcome> {
  if (!existsSync(bundled)) {
    const generator = await loadGenerator();
    try {
      return {
        ok: true,
        summary: summarizeGeneration(await generator.generateHandlerCode(records, target, options)),
      };
    } catch (error) {
      return {
        ok: false,
        message: (error as Error).message,
        userError: error instanceof generator.GenerationError,
      };
    }
  }
  return new Promise((resolve) => {
    const worker = new Worker(bundled, {
      workerData: { kind: 'hooklens-generate', records, target, options },
      resourceLimits: { maxOldGenerationSizeMb: WORKER_HEAP_MB },
    });
    let settled = false;
    const finish = (outcome: GenerationOutcome): void => {
      if (settled) return;
      settled = true;
      signal?.removeEventListener('abort', abort);
      void worker.terminate();
      resolve(outcome);
    };
    const abort = (): void =>
      finish({ ok: false, message: 'Generation was cancelled.', userError: true });
    signal?.addEventListener('abort', abort);
    if (signal?.aborted) abort();
    worker.once('message', (outcome: GenerationOutcome) => finish(outcome));
    worker.once('error', (error: Error & { code?: string }) =>
      finish({
        ok: false,
        message:
          error.code === 'ERR_WORKER_OUT_OF_MEMORY'
            ? `Generating from these deliveries needed more than ${WORKER_HEAP_MB} MB; select fewer or smaller deliveries.`
            : `Code generation failed: ${error.message}`,
        userError: error.code === 'ERR_WORKER_OUT_OF_MEMORY',
      }),
    );
    worker.once('exit', (code) =>
      finish({
        ok: false,
        message: `Code generation stopped unexpectedly (exit ${code}).`,
        userError: false,
      }),
    );
  });
}
