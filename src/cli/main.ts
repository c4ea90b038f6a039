import { PRODUCT_NAME, PRODUCT_VERSION } from '../core/productInfo';
import { exportCommand } from './commands/export';
import { generateCommand } from './commands/generate';
import { importCommand } from './commands/import';
import { listen } from './commands/listen';
import { replayCommand } from './commands/replay';
import { sendCommand } from './commands/send';
import { tail } from './commands/tail';
import { statsCommand } from './commands/stats';
import { CliFailure, UsageError, type CliIo } from './io';

type Run = (args: readonly string[], io: CliIo) => Promise<number>;

/** Commands in the order the README lists them; those without `run` arrive with later versions. */
const COMMANDS: ReadonlyArray<{ name: string; summary: string; run?: Run }> = [
  {
    name: 'listen',
    summary: 'Run the receiver: verify, store, print one line per delivery (--json for NDJSON)',
    run: listen,
  },
  {
    name: 'export',
    summary: 'Export stored deliveries as NDJSON, JSON or HAR 1.2',
    run: exportCommand,
  },
  {
    name: 'import',
    summary: 'Import deliveries from an export (NDJSON, JSON) or a HAR file',
    run: importCommand,
  },
  { name: 'tail', summary: 'Follow a running receiver’s live stream', run: tail },
  {
    name: 'stats',
    summary: 'Delivery health: rate, verdicts, forwards, p50/p95 per event and endpoint',
    run: statsCommand,
  },
  {
    name: 'send',
    summary: 'Send a signed sample event (Watson, Rapida) or a captured delivery',
    run: sendCommand,
  },
  {
    name: 'replay',
    summary: 'Send stored deliveries again, with the original token or a fresh one',
    run: replayCommand,
  },
  {
    name: 'generate',
    summary: 'Write typed handler code from stored deliveries',
    run: generateCommand,
  },
];

export function helpText(): string {
  const width = Math.max(...COMMANDS.map((command) => command.name.length));
  const lines = COMMANDS.map(
    (command) =>
      `  ${command.name.padEnd(width)}  ${command.summary}${command.run ? '' : ' (not available yet)'}`,
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
    '  -h, --help     Show this help (hooklens <command> --help for a command)',
    '  -v, --version  Show the version',
    '',
  ].join('\n');
}

/** Runs the CLI and resolves to the exit code (0 ok, 1 failure, 2 usage error). */
export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  const [first, ...rest] = argv;
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
  if (!command.run) {
    io.stderr(`hooklens ${command.name}: not available in this version yet.\n`);
    return 1;
  }
  try {
    return await command.run(rest, io);
  } catch (error) {
    if (error instanceof UsageError || isParseArgsError(error)) {
      io.stderr(
        `hooklens ${command.name}: ${error.message}\nRun 'hooklens ${command.name} --help' for its options.\n`,
      );
      return 2;
    }
    if (error instanceof CliFailure) {
      io.stderr(`hooklens ${command.name}: ${error.message}\n`);
      return 1;
    }
    throw error;
  }
}

function isParseArgsError(error: unknown): error is Error {
  const code: unknown = error instanceof TypeError ? Reflect.get(error, 'code') : undefined;
  return typeof code === 'string' && code.startsWith('ERR_PARSE_ARGS');
}

if (require.main === module) {
  // `hooklens export | head` closes the pipe early; that is the reader's choice, not an error.
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(0);
    throw error;
  });
  const stopRequested = new Promise<string>((resolve) => {
    process.once('SIGINT', () => resolve('SIGINT'));
    process.once('SIGTERM', () => resolve('SIGTERM'));
  });
  runCli(process.argv.slice(2), {
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
    env: process.env,
    stopRequested,
  }).then(
    (code) => process.exit(code),
    (error: unknown) => {
      process.stderr.write(
        `hooklens: unexpected error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
      );
      process.exit(1);
    },
  );
}
