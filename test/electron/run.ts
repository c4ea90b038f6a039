// `npm run test:electron`: runs the extension-host suite in a downloaded desktop VS Code via
// @vscode/test-electron, for machines that can reach update.code.visualstudio.com. CI here has
// no such access and runs the code-server suite (test/e2e) instead.
import { join } from 'node:path';
import { runTests } from '@vscode/test-electron';

async function main(): Promise<void> {
  const root = join(__dirname, '..', '..');
  await runTests({
    version: '1.100.3',
    extensionDevelopmentPath: root,
    extensionTestsPath: join(__dirname, 'suite', 'index.js'),
    launchArgs: [
      join(root, 'test', 'fixtures', 'sample-workspace'),
      '--disable-extensions',
      '--disable-workspace-trust',
    ],
  });
}

main().catch((error: unknown) => {
  console.error(
    'The desktop VS Code suite failed (it needs network access to download VS Code):',
    error,
  );
  process.exit(1);
});
