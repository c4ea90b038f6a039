import { PRODUCT_NAME, PRODUCT_VERSION } from '../core/productInfo';
import { exportCommand } from './commands/export';
import { generateCommand } from './commands/generate';
import { importCommand } from './commands/import';
import { listen } from './commands/listen';
import { mcpCommand } from './commands/mcp';
import { replayCommand } from './commands/replay';
import { sendCommand } from './commands/send';
import { tail } from './commands/tail';
import { statsCommand } from './commands/stats';
import {
  CliFailure,
  EXIT_READER_CLOSED,
  OutputError,
  StreamOutput,
  UsageError,
  type CliIo,
} from './io';

type Run = (args: readonly string[], io: CliIo) => Promise<number>;

/**
 * Commands in the order the README lists them; those without `run` arrive with later versions.
 * `live`: its stdout is a feed the reader may close at any time (`| head`): a clean stop.
 */
const COMMANDS: ReadonlyArray<{ name: string; summary: string; run?: Run; live?: boolean }> = [
  {
    name: 'listen',
    summary: 'Run the receiver: verify, store, print one line per delivery (--json for NDJSON)',
    run: listen,
    live: true,
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
  { name: 'tail', summary: 'Follow a running receiver’s live stream', run: tail, live: true },
  {
    name: 'stats',
    summary: 'Delivery health: rate, verdicts, forwards, p50/p95 per event and endpoint',
    run: statsCommand,
  },
  {
    name: 'send',
    summary: 'Send a sample event signed as its provider signs it, or a captured delivery',
    run: sendCommand,
  },
  {
    name: 'replay',
    summary: 'Send stored deliveries again, as captured or with a fresh signature',
    run: replayCommand,
  },
  {
    name: 'generate',
    summary: 'Write typed handler code from stored deliveries',
    run: generateCommand,
  },
  {
    name: 'mcp',
    summary: 'Serve the agent tools over MCP on stdio (for coding agents)',
    run: mcpCommand,
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
    if (error instanceof OutputError) {
      // The reader closing the pipe is its choice (`| head`): stop, quietly, not with 0.
      if (error.readerClosed) return command.live ? 0 : EXIT_READER_CLOSED;
      io.stderr(`hooklens ${command.name}: ${error.message}\n`);
      return 1;
    }
    throw error;
  }
}

/**
 * The exit status once stdout is done: a command that ended well but whose output did not all
 * reach the reader did not succeed. The reader closing a live feed is a clean stop.
 */
export function exitStatus(
  name: string | undefined,
  code: number,
  failure: OutputError | null,
  stderr: (text: string) => void,
): number {
  if (failure === null || code !== 0) return code;
  const command = COMMANDS.find((candidate) => candidate.name === name);
  if (failure.readerClosed) return command?.live ? 0 : EXIT_READER_CLOSED;
  stderr(`hooklens${command ? ` ${command.name}` : ''}: ${failure.message}\n`);
  return 1;
}

function isParseArgsError(error: unknown): error is Error {
  const code: unknown = error instanceof TypeError ? Reflect.get(error, 'code') : undefined;
  return typeof code === 'string' && code.startsWith('ERR_PARSE_ARGS');
}

async function main(): Promise<never> {
  // Writes to a pipe are asynchronous: what the reader has not taken yet waits in memory, and
  // process.exit would drop it. Both streams are waited for below; their errors never throw.
  const output = new StreamOutput(process.stdout);
  const errors = new StreamOutput(process.stderr);
  let stopRequested: Promise<string> | undefined;
  const argv = process.argv.slice(2);
  const io: CliIo = {
    stdout: (text) => output.write(text),
    stderr: (text) => errors.write(text),
    env: process.env,
    // Signal handlers only for the commands that stop on them (listen, tail, send): for the
    // others Ctrl+C keeps its default, an immediate stop.
    get stopRequested() {
      stopRequested ??= new Promise<string>((resolve) => {
        process.once('SIGINT', () => resolve('SIGINT'));
        process.once('SIGTERM', () => resolve('SIGTERM'));
      });
      return stopRequested;
    },
    output,
  };
  let code: number;
  try {
    code = await runCli(argv, io);
  } catch (error) {
    errors.write(
      `hooklens: unexpected error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
    code = 1;
  }
  code = exitStatus(argv[0], code, await output.finish(), io.stderr);
  await errors.finish();
  process.exit(code);
}

if (require.main === module) {
  void main();
}
