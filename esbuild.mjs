// Builds the bundles: the extension (node, cjs, vscode external), the CLI (node, cjs, with a
// shebang) and the webviews (browser, iife). `--watch` rebuilds on change and runs tsc in watch
// mode beside it; `--production` minifies and drops source maps.
import { spawn } from 'node:child_process';
import { copyFile, mkdir, readdir, readFile, rm } from 'node:fs/promises';
import { dirname } from 'node:path';
import * as esbuild from 'esbuild';

const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');
const pkg = JSON.parse(await readFile(new URL('./package.json', import.meta.url), 'utf8'));

/** Prints "[watch] build started/finished" and errors in the format `$esbuild-watch` matches. */
const problemMatcher = {
  name: 'problem-matcher',
  setup(build) {
    build.onStart(() => console.log('[watch] build started'));
    build.onEnd((result) => {
      for (const { text, location } of result.errors) {
        console.error(`✘ [ERROR] ${text}`);
        if (location) console.error(`    ${location.file}:${location.line}:${location.column}:`);
      }
      console.log('[watch] build finished');
    });
  },
};

const common = {
  bundle: true,
  minify: production,
  sourcemap: !production,
  sourcesContent: false,
  logLevel: 'silent',
  plugins: watch ? [problemMatcher] : [],
  define: { HOOKLENS_VERSION: JSON.stringify(pkg.version) },
};

const builds = [
  {
    ...common,
    entryPoints: ['src/vscode/extension.ts'],
    outfile: 'dist/extension.js',
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    // pg loads pg-native only when asked to; HookLens never asks.
    external: ['vscode', 'pg-native'],
  },
  {
    ...common,
    entryPoints: ['src/cli/main.ts'],
    outfile: 'dist/cli.js',
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    banner: { js: '#!/usr/bin/env node' },
    external: ['pg-native'],
  },
  {
    // Code generation and quicktype-core: loaded by the other two only when the user generates.
    ...common,
    entryPoints: ['src/core/generate/bundle.ts'],
    outfile: 'dist/generator.js',
    platform: 'node',
    format: 'cjs',
    target: 'node20',
  },
  {
    ...common,
    entryPoints: ['webview-ui/src/main.ts'],
    outfile: 'dist/webview/main.js',
    platform: 'browser',
    format: 'iife',
    target: 'es2022',
    loader: { '.css': 'css' },
  },
  {
    // The Health view (a webview view): its own page, sharing src/shared with the extension.
    ...common,
    entryPoints: ['webview-ui/src/healthMain.ts'],
    outfile: 'dist/webview/health.js',
    platform: 'browser',
    format: 'iife',
    target: 'es2022',
  },
];

/** The webview loads codicons from its localResourceRoots, which is dist/webview only. */
async function copyAssets() {
  const assets = [
    ['node_modules/@vscode/codicons/dist/codicon.css', 'dist/webview/codicon.css'],
    ['node_modules/@vscode/codicons/dist/codicon.ttf', 'dist/webview/codicon.ttf'],
    ['webview-ui/src/styles.css', 'dist/webview/styles.css'],
    ['webview-ui/src/health.css', 'dist/webview/health.css'],
    // The team store's schema migrations, read at run time (see core/store/postgres/migrate.ts).
    ...(await readdir('src/core/store/postgres/migrations'))
      .filter((name) => name.endsWith('.sql'))
      .map((name) => [
        `src/core/store/postgres/migrations/${name}`,
        `dist/postgres-migrations/${name}`,
      ]),
  ];
  for (const [from, to] of assets) {
    await mkdir(dirname(to), { recursive: true });
    await copyFile(from, to);
  }
}

// A production build starts clean so no development source map ends up in the package.
if (production) await rm('dist', { recursive: true, force: true });

const contexts = await Promise.all(builds.map((options) => esbuild.context(options)));
await copyAssets();
if (watch) {
  await Promise.all(contexts.map((context) => context.watch()));
  const tsc = spawn(
    'npx',
    ['tsc', '-p', 'tsconfig.json', '--noEmit', '--watch', '--preserveWatchOutput'],
    {
      stdio: 'inherit',
    },
  );
  process.on('SIGINT', () => {
    tsc.kill();
    void Promise.all(contexts.map((context) => context.dispose())).then(() => process.exit(0));
  });
} else {
  const results = await Promise.allSettled(contexts.map((context) => context.rebuild()));
  await Promise.all(contexts.map((context) => context.dispose()));
  const failed = results.filter((result) => result.status === 'rejected');
  if (failed.length > 0) {
    for (const failure of failed) console.error(String(failure.reason));
    process.exit(1);
  }
}
