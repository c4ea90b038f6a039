// Runs a chosen subset of the end-to-end journeys in the newest VS Code (versions.sh), after the
// whole suite has run in the floor (`npm run test:e2e`). The subset is what a user does first and
// what leans most on VS Code's own UI: activation and the view, a signed delivery in the tree, the
// detail panel (a webview) and its tabs, replay with the handler's answer, Generate Handler (context
// menu, quick picks, editor tabs) and the Health view (a webview view).
//
// Each test is named exactly; the run fails if one of them did not run and pass, so renaming a test
// cannot quietly drop it from the newest VS Code. The tests a test needs before it (starting the
// receiver, capturing deliveries) are in the subset too: the journeys in a file share one window.
//
// HOOKLENS_SKIP_NEWEST_VSCODE=1 skips this run, saying so loudly; otherwise a newest VS Code that is
// not installed fails it.
import { spawn } from 'node:child_process';
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { vsCodeInstall } from './codeServer';

const SUBSET: Record<string, readonly string[]> = {
  'test/e2e/foundation.test.ts': [
    'activates and shows the receiver state in the status bar',
    'opens the HookLens view container with the welcome view offering Start Receiver and Set Secret',
    'sets the secret through the password input box, warning about a weak one first',
    'Generate Handler with nothing captured says what to do first',
  ],
  'test/e2e/capture.test.ts': [
    'starts the receiver from the welcome view and shows its port in the status bar',
    'J-01/J-03: a signed Watson delivery is verified (200), an unsigned one is kept and flagged (401)',
    'opens a delivery in the detail panel with the seed’s overview columns',
    'W-01/W-04/W-05: hostile payload text shows as literal, visible text in the tree and the panel',
  ],
  'test/e2e/inspect.test.ts': [
    'F-01: forwards live deliveries to the handler, byte for byte, and the sender gets its answer',
    'shows every tab of a delivery in the light theme',
    'replays from the panel: the handler gets it again and the new attempt appears live',
  ],
  'test/e2e/simulate.test.ts': [
    'starts the receiver, and `hooklens tail` follows it over the token-protected stream',
    'J-08: Send Test Event sends a signed message_logged in one pick; it arrives verified',
    'a test event with a bad signature is refused (401) and shown',
    'opens the Health view with deliveries per minute by outcome and per-event times',
  ],
  'test/e2e/generate.test.ts': [
    'select three deliveries, generate TypeScript: written into a proposed folder, no red errors',
  ],
  // The Health view is a webview view: its charts, and a click that filters the tree.
  'test/e2e/health.test.ts': [
    'shows an empty state before the first delivery',
    'draws delivered, handler failed and failed verification per minute, and latency per event',
    'a latency row filters the tree by its event',
  ],
  // The team store (issue 18): connect through the password box, follow, replay with "by".
  'test/e2e/teamStore.test.ts': [
    'the listen receiver stores deliveries in the team database',
    'the team store chosen but not connected: the view says so and offers Connect',
    'Connect: a wrong password, then a certificate that cannot be verified: clear errors that never show the password',
    'Connect over TLS (libpq’s sslmode=require: encrypted, certificate not checked)',
    'shows the deliveries the receiver took, and the status bar says team',
    'live: a delivery another receiver takes appears at once (the change feed)',
    'opens one and replays it to the local handler; the Attempts tab says who replayed it',
  ],
};

const ROOT = join(__dirname, '..', '..');

function banner(...lines: string[]): void {
  const rule = '!'.repeat(100);
  process.stderr.write(`\n${rule}\n${lines.map((line) => `!!! ${line}\n`).join('')}${rule}\n\n`);
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** The names of the tests a TAP report says passed (`ok N - name`, not skipped). */
function passedTests(tap: string): Set<string> {
  const passed = new Set<string>();
  for (const match of tap.matchAll(/^\s*ok \d+ - (.*)$/gm)) {
    const line = match[1] ?? '';
    if (/ # (SKIP|TODO)\b/.test(line)) continue;
    passed.add(line.replace(/\\#/g, '#').replace(/\\\\/g, '\\'));
  }
  return passed;
}

async function main(): Promise<number> {
  if (process.env.HOOKLENS_SKIP_NEWEST_VSCODE === '1') {
    banner(
      'HOOKLENS_SKIP_NEWEST_VSCODE=1: the end-to-end journeys did NOT run in the newest VS Code.',
      'Only the floor (VS Code 1.100.3) was tested.',
    );
    return 0;
  }
  let vscodeVersion: string;
  try {
    ({ vscodeVersion } = vsCodeInstall('newest'));
  } catch (error) {
    banner(
      `The newest VS Code is not available: ${(error as Error).message}.`,
      'The journeys must run in it as well as in the floor, so this run FAILS.',
      'To test the floor only on this machine, set HOOKLENS_SKIP_NEWEST_VSCODE=1.',
    );
    return 1;
  }

  const files = Object.keys(SUBSET);
  const names = Object.values(SUBSET).flat();
  const reportDir = join(ROOT, 'test-artifacts', 'e2e', vscodeVersion);
  mkdirSync(reportDir, { recursive: true });
  const tapFile = join(reportDir, 'results.tap');
  process.stdout.write(
    `[e2e] the subset in VS Code ${vscodeVersion} (the newest): ${names.length} tests from ${files.length} files\n`,
  );
  const code = await new Promise<number>((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [
        '--import',
        'tsx',
        '--test',
        '--test-concurrency=1',
        '--test-reporter=spec',
        '--test-reporter-destination=stdout',
        '--test-reporter=tap',
        `--test-reporter-destination=${tapFile}`,
        ...names.map((name) => `--test-name-pattern=^${escapeRegExp(name)}$`),
        ...files,
      ],
      { cwd: ROOT, stdio: 'inherit', env: { ...process.env, HOOKLENS_VSCODE: 'newest' } },
    );
    child.once('error', reject);
    child.once('exit', (exitCode, signal) => resolve(exitCode ?? (signal ? 1 : 0)));
  });

  const passed = passedTests(readFileSync(tapFile, 'utf8'));
  const missing = names.filter((name) => !passed.has(name));
  if (missing.length > 0) {
    banner(
      `In the newest VS Code (${vscodeVersion}) these tests of the subset did not run and pass:`,
      ...missing.map((name) => `  - ${name}`),
      'A failure is shown above; a test that was renamed or removed must be renamed in',
      'scripts/e2e/runNewest.ts too.',
    );
    // The plain closing line: how many of the subset passed in the newest VS Code.
    process.stdout.write(
      `newest: ${names.length - missing.length} passed, ${missing.length} failed\n`,
    );
    return code || 1;
  }
  process.stdout.write(
    `[e2e] all ${names.length} tests of the subset passed in VS Code ${vscodeVersion} (the newest)\n`,
  );
  process.stdout.write(`newest: ${names.length} passed, 0 failed\n`);
  return code;
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
