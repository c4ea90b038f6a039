// Checks generated code with the real toolchains: tsc --strict and node --test for TypeScript (and
// tsc under `tsc --init`'s defaults in a CommonJS and an ESM package), py_compile, mypy --strict
// and unittest (FastAPI's TestClient) for Python, gofmt, go vet and go test for Go.
// `npm test` installs Python's and Go's from Debian (scripts/install-toolchains.sh); where one is
// missing the check is skipped with the reason, never passed silently.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { appendFile, copyFile, mkdir, readdir, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { root } from './listenProcess';

export interface Run {
  readonly status: number | null;
  readonly output: string;
}

export function run(
  command: string,
  args: readonly string[],
  cwd: string,
  env: Record<string, string> = {},
): Run {
  // NODE_TEST_CONTEXT would make a child `node --test` report to this runner instead of stdout.
  const inherited = { ...process.env };
  delete inherited['NODE_TEST_CONTEXT'];
  const result = spawnSync(command, args, {
    cwd,
    env: { ...inherited, ...env },
    encoding: 'utf8',
    timeout: 180_000,
  });
  return {
    status: result.status,
    output: `${result.stdout ?? ''}${result.stderr ?? ''}${result.error ? String(result.error) : ''}`,
  };
}

/**
 * Compiles every .ts file with --strict as ES modules (the generated package.json makes the folder
 * ESM; express, zod and @types come from the repo's node_modules).
 */
export async function compileTypescript(dir: string): Promise<Run> {
  const files = (await readdir(dir))
    .filter((name) => name.endsWith('.ts'))
    .map((name) => join(dir, name));
  return run(
    process.execPath,
    [
      join(root, 'node_modules', 'typescript', 'bin', 'tsc'),
      '--strict',
      '--noUnusedLocals',
      '--outDir',
      join(dir, 'out'),
      '--module',
      'nodenext',
      '--moduleResolution',
      'nodenext',
      '--target',
      'es2022',
      '--types',
      'node',
      '--skipLibCheck',
      ...files,
    ],
    root,
  );
}

export function runTypescriptTests(dir: string): Run {
  return run(
    process.execPath,
    ['--test', '--test-reporter=tap', join(dir, 'out', 'webhookHandler.test.js')],
    dir,
  );
}

const PYTHONS = ['/usr/bin/python3', 'python3'];

/** An interpreter that has FastAPI, PyJWT and httpx, or undefined. */
export function pythonWithFastapi(): string | undefined {
  return PYTHONS.find(
    (python) => run(python, ['-c', 'import fastapi, jwt, httpx'], root).status === 0,
  );
}

export function anyPython(): string | undefined {
  return PYTHONS.find((python) => run(python, ['--version'], root).status === 0);
}

/** Debian's golang-github-golang-jwt-jwt-dev: the module source, usable offline through `replace`. */
const GO_JWT_SOURCE = '/usr/share/gocode/src/github.com/golang-jwt/jwt';

export function goToolchain(): string | undefined {
  if (run('go', ['version'], root).status !== 0) return 'go is not installed';
  if (!existsSync(join(GO_JWT_SOURCE, 'go.mod'))) return `golang-jwt is not at ${GO_JWT_SOURCE}`;
  return undefined;
}

/** gofmt -l, go vet and go test, offline: go.mod gets a replace for the local golang-jwt. */
export async function checkGo(dir: string): Promise<{ gofmt: Run; vet: Run; test: Run }> {
  await appendFile(
    join(dir, 'go.mod'),
    `\nreplace github.com/golang-jwt/jwt/v4 => ${GO_JWT_SOURCE}\n`,
  );
  const env = { GOFLAGS: '-mod=mod', GOPROXY: 'off', GO111MODULE: 'on' };
  return {
    gofmt: run('gofmt', ['-l', '.'], dir),
    vet: run('go', ['vet', './...'], dir, env),
    test: run('go', ['test', './...'], dir, env),
  };
}

/**
 * A new package as a user would start one, `npm init` style (`type` commonjs or module) with the
 * tsconfig.json `tsc --init` writes, the generated files in its `webhooks/` folder: compiled with
 * `tsc -p .` (no flags of HookLens's), then the compiled test run. node_modules is the repo's.
 */
export async function compileInTscInitPackage(
  generated: string,
  packageDir: string,
  type: 'commonjs' | 'module',
): Promise<{ init: Run; compiled: Run; tested: Run }> {
  await mkdir(join(packageDir, 'webhooks'), { recursive: true });
  await writeFile(
    join(packageDir, 'package.json'),
    `${JSON.stringify({ name: `tsc-init-${type}`, version: '1.0.0', type }, null, 2)}\n`,
  );
  await symlink(join(root, 'node_modules'), join(packageDir, 'node_modules'), 'dir');
  for (const name of await readdir(generated)) {
    if (name.endsWith('.ts') || name === 'package.json') {
      await copyFile(join(generated, name), join(packageDir, 'webhooks', name));
    }
  }
  const tsc = join(root, 'node_modules', 'typescript', 'bin', 'tsc');
  const init = run(process.execPath, [tsc, '--init'], packageDir);
  const compiled = run(process.execPath, [tsc, '-p', '.'], packageDir);
  const tested = run(
    process.execPath,
    ['--test', '--test-reporter=tap', join('webhooks', 'webhookHandler.test.js')],
    packageDir,
  );
  return { init, compiled, tested };
}

/** Debian's python3-mypy, or undefined. */
export function pythonWithMypy(): string | undefined {
  return PYTHONS.find((python) => run(python, ['-m', 'mypy', '--version'], root).status === 0);
}

/** mypy --strict over `files` in dir, by default every .py file (FastAPI and PyJWT ship types). */
export async function mypyStrict(
  python: string,
  dir: string,
  files?: readonly string[],
): Promise<Run> {
  const checked = files ?? (await readdir(dir)).filter((name) => name.endsWith('.py'));
  return run(python, ['-m', 'mypy', '--strict', '--no-error-summary', ...checked], dir, {
    MYPY_CACHE_DIR: join(dir, '.mypy_cache'),
  });
}
