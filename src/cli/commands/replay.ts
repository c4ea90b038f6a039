// `hooklens replay`: send stored deliveries again to a handler, with the original token or a fresh
// one signed with the secret, and record each as an attempt on the delivery.
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { DEFAULT_FORWARD_TIMEOUT_MS } from '../../core/forward/forwarder';
import { parseTargetUrl } from '../../core/forward/outbound';
import {
  DEFAULT_REPLAY_CONCURRENCY,
  replayMany,
  type ReplayOutcome,
} from '../../core/forward/replay';
import { checkSecret } from '../../core/secrets/secretPolicy';
import { DeliveryStore } from '../../core/store/deliveryStore';
import { toSingleLine } from '../../shared/visibleText';
import { CliFailure, parseIntegerOption, UsageError, type CliIo } from '../io';

export const REPLAY_HELP = `Usage: hooklens replay <id>... --store DIR [--to URL] [--fresh-token] [options]

Sends stored deliveries again (exact body bytes, original headers) and records each as an
attempt on its delivery. Exits 0 when every handler answer was 2xx, 1 otherwise.

Options:
  --store DIR         Delivery store folder (required)
  --to URL            Handler URL (default: $HOOKLENS_FORWARD_TO)
  --fresh-token       Replace Authorization with a fresh HS256 token (original claims, new
                      iat/exp) signed with the secret, and add X-Replay: true
  --secret-env NAME   Environment variable holding the secret (default HOOKLENS_SECRET)
  --timeout S         Seconds to wait for each answer (default ${DEFAULT_FORWARD_TIMEOUT_MS / 1000})
  --concurrency N     Replays in flight at once (default ${DEFAULT_REPLAY_CONCURRENCY}, max 32)
  --json              One JSON object per attempt instead of readable lines
`;

export async function replayCommand(args: readonly string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseArgs({
    args: [...args],
    options: {
      store: { type: 'string' },
      to: { type: 'string' },
      'fresh-token': { type: 'boolean', default: false },
      'secret-env': { type: 'string', default: 'HOOKLENS_SECRET' },
      timeout: { type: 'string' },
      concurrency: { type: 'string' },
      json: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
    strict: true,
    allowPositionals: true,
  });
  if (values.help) {
    io.stdout(REPLAY_HELP);
    return 0;
  }
  if (values.store === undefined) throw new UsageError('--store DIR is required.');
  if (positionals.length === 0) {
    throw new UsageError('Name at least one delivery id (see `hooklens export` for the ids).');
  }
  const rawTarget = values.to ?? io.env.HOOKLENS_FORWARD_TO;
  if (rawTarget === undefined) {
    throw new UsageError('--to URL is required (or set $HOOKLENS_FORWARD_TO).');
  }
  const target = parseTargetUrl(rawTarget);
  if (!target.ok) throw new UsageError(`--to: ${target.error}`);
  const timeoutMs =
    (parseIntegerOption('timeout', values.timeout, 1, 600) ?? DEFAULT_FORWARD_TIMEOUT_MS / 1000) *
    1000;
  const concurrency =
    parseIntegerOption('concurrency', values.concurrency, 1, 32) ?? DEFAULT_REPLAY_CONCURRENCY;
  let secret: string | undefined;
  if (values['fresh-token']) {
    const secretEnv = values['secret-env'];
    secret = io.env[secretEnv];
    if (secret === undefined) {
      throw new CliFailure(`--fresh-token needs the secret in $${secretEnv}, which is not set.`);
    }
    const check = checkSecret(secret);
    if (!check.ok) throw new CliFailure(`$${secretEnv}: ${check.error}`);
  }

  const store = await DeliveryStore.open(resolve(values.store));
  try {
    const unknown = positionals.filter((id) => store.summary(id) === undefined);
    if (unknown.length > 0) {
      throw new CliFailure(
        `Not in the store: ${unknown.map((id) => toSingleLine(id, 40)).join(', ')}`,
      );
    }
    if (store.mode !== 'owner') {
      io.stderr(
        `warning: ${store.mode === 'viewer' ? 'another HookLens owns this store' : 'the store is read-only'}; replays are sent but not recorded as attempts.\n`,
      );
    }
    const result = await replayMany(store, positionals, {
      target: target.url,
      tokenMode: values['fresh-token'] ? 'fresh' : 'original',
      secret,
      timeoutMs,
      concurrency,
      onProgress: ({ outcome, failure }) => {
        if (outcome)
          io.stdout(values.json ? `${jsonLine(outcome)}\n` : `${readableLine(outcome)}\n`);
        if (failure) io.stderr(`${failure.deliveryId}: ${failure.message}\n`);
      },
    });
    const delivered = result.outcomes.filter(
      ({ attempt }) => attempt.status !== null && attempt.status >= 200 && attempt.status < 300,
    ).length;
    io.stderr(`replayed ${result.outcomes.length}: ${delivered} answered 2xx.\n`);
    return delivered === positionals.length ? 0 : 1;
  } finally {
    await store.close();
  }
}

function readableLine({ deliveryId, attempt, recorded }: ReplayOutcome): string {
  const status = attempt.status === null ? 'failed' : String(attempt.status);
  const token = attempt.tokenMode === 'fresh' ? '  fresh token' : '';
  const error = attempt.error ? `  ${toSingleLine(attempt.error, 160)}` : '';
  const note = recorded ? '' : '  (not recorded)';
  return `${deliveryId}  ${status}  ${attempt.timeMs ?? '-'} ms  ${attempt.target}${token}${error}${note}`;
}

function jsonLine({ deliveryId, attempt, recorded }: ReplayOutcome): string {
  return JSON.stringify({
    deliveryId,
    recorded,
    attemptId: attempt.id,
    target: attempt.target,
    tokenMode: attempt.tokenMode,
    status: attempt.status,
    timeMs: attempt.timeMs,
    error: attempt.error,
  });
}
