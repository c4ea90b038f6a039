export interface CliIo {
  /**
   * Writes to stdout without waiting. Never throws: once stdout has failed (the reader closed the
   * pipe) the text is dropped, and the process exits non-zero unless the command stops cleanly
   * on it (see `output.failed`). The process waits for everything written to be taken before it
   * exits.
   */
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Resolves when the user asks the process to stop (SIGINT/SIGTERM). */
  readonly stopRequested: Promise<string>;
  /** Stdout itself: backpressure for bulk output, its failure, and live feeds (`LiveLines`). */
  readonly output: CliOutput;
}

/** A usage mistake: printed with a pointer to --help, exit code 2. */
export class UsageError extends Error {}

/** A failure the user can act on: printed as is, exit code 1. */
export class CliFailure extends Error {}

/**
 * Stdout could not be written. `code` is the errno: EPIPE when the reader closed the pipe (as
 * `hooklens export | head` does), else a real failure (EIO, ENOSPC…).
 */
export class OutputError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }

  get readerClosed(): boolean {
    return this.code === 'EPIPE' || this.code === 'ERR_STREAM_DESTROYED';
  }
}

/** What a command's exit status becomes when stdout failed: the reader closed the pipe. */
export const EXIT_READER_CLOSED = 141; // 128 + SIGPIPE, as a shell reports `yes | head`.

/**
 * Stdout as a command needs it. Node writes to a pipe asynchronously and keeps what the pipe has
 * not taken yet in memory; `process.exit` drops that, so every command waits for `finish()`.
 */
export interface CliOutput {
  /** Writes without waiting; dropped once stdout failed. */
  write(text: string): void;
  /** Writes, then waits while stdout is backed up. Rejects with OutputError once stdout failed. */
  writeAndWait(text: string): Promise<void>;
  /** The failure, once stdout failed (null while it works). */
  readonly failure: OutputError | null;
  /** Resolves with the failure when stdout fails; never resolves while it works. */
  readonly failed: Promise<OutputError>;
  /** Characters written but not yet taken by stdout (the pipe's reader). */
  readonly pending: number;
  /** Calls `listener` each time stdout has taken everything it was given after being backed up. */
  onDrain(listener: () => void): void;
  /** Resolves once stdout took everything written so far, or failed (then with the failure). */
  finish(): Promise<OutputError | null>;
}

/** The stream side `StreamOutput` needs: process.stdout, or a test's Writable. */
export interface OutputStream {
  write(text: string, callback: (error?: Error | null) => void): boolean;
  readonly writableLength: number;
  on(event: 'error', listener: (error: Error) => void): unknown;
  on(event: 'drain', listener: () => void): unknown;
}

export class StreamOutput implements CliOutput {
  private failureNow: OutputError | null = null;
  private lastWrite: Promise<void> = Promise.resolve();
  /** Called at every drain. */
  private readonly drainListeners: Array<() => void> = [];
  /** Called at the next drain (or failure) only. */
  private drainWaiters: Array<() => void> = [];
  private signalFailure: (failure: OutputError) => void = () => undefined;
  readonly failed: Promise<OutputError>;

  constructor(private readonly stream: OutputStream) {
    this.failed = new Promise((resolve) => (this.signalFailure = resolve));
    stream.on('error', (error) => this.fail(error));
    stream.on('drain', () => {
      this.wakeWaiters();
      for (const listener of this.drainListeners) listener();
    });
  }

  get failure(): OutputError | null {
    return this.failureNow;
  }

  /** A call, not a property read: TypeScript would keep an earlier check's narrowing across awaits. */
  private failedWith(): OutputError | null {
    return this.failureNow;
  }

  get pending(): number {
    return this.failureNow ? 0 : this.stream.writableLength;
  }

  write(text: string): void {
    this.send(text);
  }

  async writeAndWait(text: string): Promise<void> {
    if (this.failureNow) throw this.failureNow;
    if (this.send(text)) return;
    // Backed up: wait until the reader takes it (the drain) or stdout fails.
    await new Promise<void>((resolve) => this.drainWaiters.push(resolve));
    const failure = this.failedWith();
    if (failure) throw failure;
  }

  onDrain(listener: () => void): void {
    this.drainListeners.push(listener);
  }

  async finish(): Promise<OutputError | null> {
    await Promise.race([this.lastWrite, this.failed]);
    return this.failureNow;
  }

  /** Returns false when stdout is backed up (or failed). */
  private send(text: string): boolean {
    if (this.failureNow || text === '') return this.failureNow === null;
    let ok = true;
    this.lastWrite = new Promise<void>((resolve) => {
      try {
        ok = this.stream.write(text, (error) => {
          if (error) this.fail(error);
          resolve();
        });
      } catch (error) {
        this.fail(error);
        resolve();
      }
    });
    return ok && this.failureNow === null;
  }

  private fail(error: unknown): void {
    if (this.failureNow) return;
    const code =
      typeof error === 'object' &&
      error !== null &&
      'code' in error &&
      typeof error.code === 'string'
        ? error.code
        : 'EIO';
    const detail = error instanceof Error ? error.message : String(error);
    this.failureNow = new OutputError(code, `cannot write to stdout: ${detail}`);
    this.signalFailure(this.failureNow);
    this.wakeWaiters(); // They wait for a drain that will never come.
  }

  private wakeWaiters(): void {
    const waiters = this.drainWaiters;
    this.drainWaiters = [];
    for (const wake of waiters) wake();
  }
}

/** Characters a live feed leaves queued for a stalled reader before it skips lines. */
export const LIVE_BUFFER_CHARS = 4 * 1024 * 1024;

/**
 * Stdout for `listen` and `tail`: a view of the store, not the store. While the reader keeps up,
 * every line is written. When it stalls (`| less`, a paused `jq`), at most `maxBuffered`
 * characters wait in memory; later lines are skipped and counted, and the count is reported on
 * stderr once the reader has caught up (or at `close`). `close` flushes what is queued.
 */
export class LiveLines {
  private skipped = 0;
  private closed = false;
  /**
   * Lines of this turn of the event loop, written together once it ends: a group commit
   * answers many deliveries at once, and one write per line cost `listen --json` a write call
   * (and its bookkeeping) per delivery (issue 15).
   */
  private batch = '';

  constructor(
    private readonly io: Pick<CliIo, 'output' | 'stderr'>,
    private readonly maxBuffered = LIVE_BUFFER_CHARS,
  ) {
    io.output.onDrain(() => this.reportSkipped());
  }

  /** Writes one line (with its newline), or skips it while the reader is stalled. */
  line(text: string): void {
    const output = this.io.output;
    if (this.closed || output.failure) return; // The reader is gone; the command is stopping.
    const pending = output.pending + this.batch.length;
    if (output.pending > 0 && pending + text.length > this.maxBuffered) {
      if (this.skipped === 0) {
        this.io.stderr(
          'stdout is not being read: skipping lines until it is (the deliveries are in the store)\n',
        );
      }
      this.skipped += 1;
      return;
    }
    if (this.batch === '') queueMicrotask(() => this.flush());
    this.batch += text;
  }

  /** Waits until the reader took every queued line (or stdout failed), then reports skips. */
  async close(): Promise<void> {
    this.flush();
    this.closed = true;
    await this.io.output.finish();
    this.reportSkipped();
  }

  private flush(): void {
    const text = this.batch;
    this.batch = '';
    if (text !== '' && !this.io.output.failure) this.io.output.write(text);
  }

  private reportSkipped(): void {
    if (this.skipped === 0) return;
    const count = this.skipped;
    this.skipped = 0;
    this.io.stderr(
      `skipped ${count.toLocaleString('en-US')} ${count === 1 ? 'line' : 'lines'}: stdout is not being read; the deliveries are in the store\n`,
    );
  }
}

export function parseIntegerOption(
  name: string,
  value: string | undefined,
  min: number,
  max: number,
): number | undefined {
  if (value === undefined) return undefined;
  const number = Number(value);
  if (!Number.isInteger(number) || number < min || number > max) {
    throw new UsageError(`--${name} must be a whole number from ${min} to ${max}, not '${value}'.`);
  }
  return number;
}
