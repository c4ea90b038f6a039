// `npm start`: builds and packages HookLens, then serves a real VS Code (code-server) with it
// installed and the sample workspace open, and prints the URL. Ctrl+C stops everything it started.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { startCodeServer } from './e2e/codeServer';

async function main(): Promise<void> {
  const root = join(__dirname, '..');
  execFileSync('bash', [join(root, 'scripts/e2e/install-harness.sh')], { stdio: 'inherit' });
  execFileSync('node', [join(root, 'scripts/package.mjs')], { stdio: 'inherit', cwd: root });
  const { version } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
    version: string;
  };
  const port = process.env.PORT ? Number(process.env.PORT) : 8080;
  const server = await startCodeServer({ vsixPath: join(root, `hooklens-${version}.vsix`), port });
  console.log(
    `\nHookLens is running in VS Code at:\n\n  ${server.workbenchUrl}\n\nOpen it in a browser. Press Ctrl+C to stop.\n`,
  );
  let stopping = false;
  const stop = (): void => {
    if (stopping) return;
    stopping = true;
    console.log('\nStopping VS Code…');
    void server.stop().then(() => process.exit(0));
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
