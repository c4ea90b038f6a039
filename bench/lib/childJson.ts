// Runs a measuring script in a fresh Node process and reads its one-line JSON answer, so what it
// measures (RSS, cold start) is not disturbed by whatever the benchmark runner already loaded.
import { spawn } from 'node:child_process';
import { resolve } from 'node:path';

/** The repository root: children run from here so `--import tsx` resolves. */
export const REPO_ROOT = resolve(__dirname, '..', '..');

export interface ChildOptions {
  /** Extra Node flags, e.g. `--expose-gc`. */
  readonly nodeArgs?: readonly string[];
  /** Run a TypeScript file through tsx (true) or plain Node (false). Default true. */
  readonly tsx?: boolean;
  readonly timeoutMs?: number;
}

/**
 * Spawns `node [--import tsx] <nodeArgs> <script...>` and parses the last stdout line as JSON.
 * Rejects with the child's stderr when it fails, so a broken measurement never reads as a figure.
 */
export function runJsonChild<T>(script: readonly string[], options: ChildOptions = {}): Promise<T> {
  const args = [...(options.tsx === false ? [] : ['--import', 'tsx']), ...(options.nodeArgs ?? [])];
  return new Promise<T>((resolvePromise, reject) => {
    const child = spawn(process.execPath, [...args, ...script], {
      cwd: REPO_ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
      timeout: options.timeoutMs ?? 120_000,
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code, signal) => {
      const last = stdout.trim().split('\n').at(-1) ?? '';
      if (code !== 0) {
        reject(
          new Error(
            `child ${script.join(' ')} exited with ${signal ?? code}: ${stderr.trim().slice(-2000)}`,
          ),
        );
        return;
      }
      try {
        resolvePromise(JSON.parse(last) as T);
      } catch {
        reject(
          new Error(`child ${script.join(' ')} printed no JSON result: ${last.slice(0, 500)}`),
        );
      }
    });
  });
}

export function median(values: readonly number[]): number {
  return percentile(values, 50);
}

/** Nearest-rank percentile (p in 0..100); NaN for no values. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.min(sorted.length, Math.max(1, Math.ceil((p / 100) * sorted.length)));
  return sorted[rank - 1] ?? Number.NaN;
}

export function round(value: number, digits = 1): number {
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
}

export const MB = 1_000_000;
