import { PRODUCT_NAME, PRODUCT_VERSION } from '../core/productInfo';

/** Commands the CLI will run, in the order the README lists them; `ready` marks what works today. */
const COMMANDS: ReadonlyArray<{ name: string; summary: string; ready: boolean }> = [
  {
    name: 'listen',
    summary: 'Run the receiver: one line per delivery (--json for NDJSON), forward to your handler',
    ready: false,
  },
  { name: 'tail', summary: 'Follow a running receiver’s live stream', ready: false },
  {
    name: 'send',
    summary: 'Send a signed sample event (Watson, Rapida) or a captured delivery',
    ready: false,
  },
  {
    name: 'replay',
    summary: 'Send stored deliveries again, with the original token or a fresh one',
    ready: false,
  },
  { name: 'export', summary: 'Export stored deliveries as JSON, NDJSON or HAR', ready: false },
  { name: 'generate', summary: 'Write typed handler code from stored deliveries', ready: false },
];

export function helpText(): string {
  const width = Math.max(...COMMANDS.map((command) => command.name.length));
  const lines = COMMANDS.map(
    (command) =>
      `  ${command.name.padEnd(width)}  ${command.summary}${command.ready ? '' : ' (not available yet)'}`,
  );
  return [
    `${PRODUCT_NAME} ${PRODUCT_VERSION}: capture, verify, inspect and replay webhooks.`,
    '',
    'Usage: hooklens <command> [options]',
    '',
    'Commands:',
    ...lines,
    '',
    'Options:',
    '  -h, --help     Show this help',
    '  -v, --version  Show the version',
    '',
  ].join('\n');
}

export interface CliIo {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
}

/** Runs the CLI and returns the process exit code (0 ok, 1 failure, 2 usage error). */
export function runCli(argv: readonly string[], io: CliIo): number {
  const [first] = argv;
  if (first === undefined || first === '-h' || first === '--help' || first === 'help') {
    io.stdout(helpText());
    return first === undefined ? 2 : 0;
  }
  if (first === '-v' || first === '--version') {
    io.stdout(`${PRODUCT_VERSION}\n`);
    return 0;
  }
  const command = COMMANDS.find((candidate) => candidate.name === first);
  if (!command) {
    io.stderr(`hooklens: unknown command '${first}'. Run 'hooklens --help' for the list.\n`);
    return 2;
  }
  io.stderr(`hooklens ${command.name}: not available in this version yet.\n`);
  return 1;
}

if (require.main === module) {
  process.exitCode = runCli(process.argv.slice(2), {
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
  });
}
