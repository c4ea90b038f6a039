export interface CliIo {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Resolves when the user asks the process to stop (SIGINT/SIGTERM). */
  readonly stopRequested: Promise<string>;
}

/** A usage mistake: printed with a pointer to --help, exit code 2. */
export class UsageError extends Error {}

/** A failure the user can act on: printed as is, exit code 1. */
export class CliFailure extends Error {}

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
