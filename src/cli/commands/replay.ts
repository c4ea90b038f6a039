// `hooklens replay`: send stored deliveries again to a handler, as captured or with a fresh
// signature made the way their provider signs, and record each as an attempt on the delivery.
import { parseArgs } from 'node:util';
import type { AnalysisSettings } from '../../core/analysis/analyseRequest';
import { DEFAULT_FORWARD_TIMEOUT_MS } from '../../core/forward/forwarder';
import { parseTargetUrl } from '../../core/forward/outbound';
import {
  DEFAULT_REPLAY_CONCURRENCY,
  needsResignConfirmation,
  replayMany,
  signingIdentity,
  signingSecretFor,
  type ReplayOutcome,
} from '../../core/forward/replay';
import { routeReplayTarget } from '../../core/routes/replayTarget';
import type { Route } from '../../core/routes/routeRules';
import type { DeliveryStoreBackend } from '../../core/store/backend';
import type { DeliverySummary } from '../../core/store/types';
import { presentVerdict } from '../../shared/verdicts';
import { toSingleLine } from '../../shared/visibleText';
import { CliFailure, parseIntegerOption, UsageError, type CliIo } from '../io';
import { DATABASE_ENV_HELP, openStoreSource, STORE_SOURCE_PARSE_OPTIONS } from '../storeSource';
import { ROUTE_PARSE_OPTIONS, routesFromOptions } from '../routeOptions';
import {
  DEFAULT_SECRET_ENV,
  VERIFICATION_HELP,
  VERIFICATION_PARSE_OPTIONS,
  verificationSetup,
} from '../verificationOptions';

export const REPLAY_HELP = `Usage: hooklens replay <id>... --store DIR [--to URL] [--route 'MATCH=>TARGET']...
                       [--routes FILE] [--fresh-signature] [options]

Sends stored deliveries again (exact body bytes, original headers) and records each as an
attempt on its delivery. Exits 0 when every handler answer was 2xx, 1 otherwise.

Where each delivery goes: --to URL when given (all of them); else where its route sends it: the
rules given with --route/--routes (as listen takes them, matched again on the stored delivery),
or without any, the route the delivery took when it arrived; else $HOOKLENS_FORWARD_TO. A
delivery whose route answers by itself (answer:STATUS) goes to $HOOKLENS_FORWARD_TO, or needs
--to. The route is recorded on the attempt.

A header HookLens stored redacted because it carried the secret itself (GitLab's X-Gitlab-Token,
an Authorization that was the secret) is sent with the configured secret again.

Options:
  --store DIR         Delivery store folder (required, or --database-env)
${DATABASE_ENV_HELP}
  --to URL            Handler URL for every delivery (default: where its route sends it, else
                      $HOOKLENS_FORWARD_TO)
  --route 'MATCH=>TARGET'
                      A route, as listen takes it (repeatable, in order, first match wins; a
                      value with a comma in double quotes, header.X-Tags="a,b", or as a\\,b)
  --routes FILE       Routes from a JSON file, as listen takes it; used before any --route
  --fresh-signature   Sign each delivery again, now, the way its provider signs: a new
                      timestamp and signature made with the provider's secret (Stripe,
                      GitHub, Standard Webhooks, Slack, Shopify, Twilio…; for Watson and other
                      JWT senders a fresh token with the original claims), plus X-Replay: true.
                      Discord's Ed25519 signature cannot be made by anyone but Discord.
  --fresh-token       The same as --fresh-signature (its older name)
  --resign-failed     With --fresh-signature: also re-sign deliveries whose signature failed
                      verification when they were captured (otherwise they are refused, since a
                      fresh signature would make a forgery look genuine)
  --timeout S         Seconds to wait for each answer (default ${DEFAULT_FORWARD_TIMEOUT_MS / 1000})
  --concurrency N     Replays in flight at once (default ${DEFAULT_REPLAY_CONCURRENCY}, max 32)
  --json              One JSON object per attempt instead of readable lines

${VERIFICATION_HELP}`;

export async function replayCommand(args: readonly string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseArgs({
    args: [...args],
    options: {
      ...STORE_SOURCE_PARSE_OPTIONS,
      to: { type: 'string' },
      ...ROUTE_PARSE_OPTIONS,
      'fresh-signature': { type: 'boolean', default: false },
      'fresh-token': { type: 'boolean', default: false },
      'resign-failed': { type: 'boolean', default: false },
      timeout: { type: 'string' },
      concurrency: { type: 'string' },
      json: { type: 'boolean', default: false },
      ...VERIFICATION_PARSE_OPTIONS,
      help: { type: 'boolean', short: 'h', default: false },
    },
    strict: true,
    allowPositionals: true,
  });
  if (values.help) {
    io.stdout(REPLAY_HELP);
    return 0;
  }
  if (positionals.length === 0) {
    throw new UsageError('Name at least one delivery id (see `hooklens export` for the ids).');
  }
  const given = values.to === undefined ? undefined : parseTargetUrl(values.to);
  if (given && !given.ok) throw new UsageError(`--to: ${given.error}`);
  const rawCatchAll = io.env.HOOKLENS_FORWARD_TO;
  const catchAll =
    rawCatchAll === undefined || rawCatchAll.trim() === ''
      ? undefined
      : parseTargetUrl(rawCatchAll);
  if (catchAll && !catchAll.ok) throw new UsageError(`$HOOKLENS_FORWARD_TO: ${catchAll.error}`);
  const routes = await routesFromOptions(values.routes, values.route);
  if (given && routes.length > 0) {
    throw new UsageError(
      '--to sends every delivery to one URL, so --route/--routes would not be used: give one or the other.',
    );
  }
  const timeoutMs =
    (parseIntegerOption('timeout', values.timeout, 1, 600) ?? DEFAULT_FORWARD_TIMEOUT_MS / 1000) *
    1000;
  const concurrency =
    parseIntegerOption('concurrency', values.concurrency, 1, 32) ?? DEFAULT_REPLAY_CONCURRENCY;
  const fresh = values['fresh-signature'] || values['fresh-token'];
  if (values['resign-failed'] && !fresh) {
    throw new UsageError('--resign-failed goes with --fresh-signature.');
  }
  const { analysis } = verificationSetup(values, io);

  const store = await openStoreSource(values, 'write');
  try {
    const summaries: DeliverySummary[] = [];
    const unknown: string[] = [];
    for (const id of positionals) {
      const summary = store.summary(id);
      if (summary === undefined) unknown.push(id);
      else summaries.push(summary);
    }
    if (unknown.length > 0) {
      throw new CliFailure(
        `Not in the store: ${unknown.map((id) => toSingleLine(id, 40)).join(', ')}`,
      );
    }
    if (fresh) {
      checkFreshSignatures(summaries, analysis, {
        resignFailed: values['resign-failed'],
        explicitSecrets: (values['secret-env'] ?? []).length > 0,
      });
    }
    // Where each goes, decided (and any delivery with nowhere to go said) before anything is sent.
    const batches = await replayBatches(
      store,
      positionals,
      given?.ok ? given.url : undefined,
      routes,
      catchAll?.ok ? catchAll.url : undefined,
    );
    if (store.mode !== 'owner') {
      io.stderr(
        `warning: ${store.mode === 'viewer' ? 'another HookLens owns this store' : 'the store is read-only'}; replays are sent but not recorded as attempts.\n`,
      );
    }
    const outcomes: ReplayOutcome[] = [];
    for (const batch of batches) {
      const result = await replayMany(store, batch.ids, {
        target: batch.target,
        ...(batch.route === undefined ? {} : { route: batch.route }),
        tokenMode: fresh ? 'fresh' : 'original',
        signing: analysis,
        allowResignFailed: values['resign-failed'],
        timeoutMs,
        concurrency,
        onProgress: ({ outcome, failure }) => {
          if (outcome)
            io.stdout(values.json ? `${jsonLine(outcome)}\n` : `${readableLine(outcome)}\n`);
          if (failure) io.stderr(`${failure.deliveryId}: ${failure.message}\n`);
        },
      });
      outcomes.push(...result.outcomes);
    }
    const delivered = outcomes.filter(
      ({ attempt }) => attempt.status !== null && attempt.status >= 200 && attempt.status < 300,
    ).length;
    io.stderr(`replayed ${outcomes.length}: ${delivered} answered 2xx.\n`);
    return delivered === positionals.length ? 0 : 1;
  } finally {
    await store.close();
  }
}

interface ReplayBatch {
  readonly target: URL;
  /** The route whose target this is; undefined for --to and the catch-all. */
  readonly route?: string;
  readonly ids: string[];
}

/**
 * The deliveries grouped by where they go (in the order given): --to for all; else each one's
 * route (the given rules matched again, else the route it took); else the catch-all. Throws a
 * UsageError naming every delivery that has nowhere to go, before anything is sent.
 */
async function replayBatches(
  store: DeliveryStoreBackend,
  ids: readonly string[],
  to: URL | undefined,
  routes: readonly Route[],
  catchAll: URL | undefined,
): Promise<ReplayBatch[]> {
  if (to !== undefined) return [{ target: to, ids: [...ids] }];
  const batches: ReplayBatch[] = [];
  const problems: string[] = [];
  for (const id of ids) {
    const record = await store.get(id);
    if (record === undefined) {
      problems.push(`  ${toSingleLine(id, 40)}: no longer in the store.`);
      continue;
    }
    const routed = routeReplayTarget(record, routes);
    let target: URL | undefined;
    let route: string | undefined;
    if (routed.kind === 'route') {
      target = routed.target;
      route = routed.route;
    } else {
      target = catchAll;
    }
    if (target === undefined) {
      problems.push(
        routed.kind === 'answers'
          ? `  ${id}: its route ${toSingleLine(routed.route, 60)} ${routed.description} by itself, so there is no handler to replay it to.`
          : `  ${id}: ${routes.length > 0 ? 'no --route/--routes rule takes it' : 'it took no route'}.`,
      );
      continue;
    }
    const same = batches.find(
      (batch) => batch.target.href === target.href && batch.route === route,
    );
    if (same) same.ids.push(id);
    else batches.push({ target, ...(route === undefined ? {} : { route }), ids: [id] });
  }
  if (problems.length > 0) {
    // As before routes: with nowhere to send, --to is what the command needs (a usage error).
    throw new UsageError(
      `--to URL is required (or set $HOOKLENS_FORWARD_TO): no route sends ${problems.length === 1 ? 'this delivery' : 'these deliveries'} to a handler, so nothing was replayed.\n${problems.join('\n')}`,
    );
  }
  return batches;
}

/**
 * Refuses, before anything is sent, what cannot get a fresh signature: a provider whose scheme
 * only the sender can sign (Discord), one with no secret configured, and deliveries that failed
 * verification at capture unless --resign-failed says to re-sign them anyway.
 */
function checkFreshSignatures(
  summaries: readonly DeliverySummary[],
  analysis: AnalysisSettings,
  options: { readonly resignFailed: boolean; readonly explicitSecrets: boolean },
): void {
  const problems: string[] = [];
  const failed: DeliverySummary[] = [];
  for (const summary of summaries) {
    const identity = signingIdentity(summary.sender);
    if (identity === undefined) {
      problems.push(
        `${summary.id}: HookLens does not know how ${toSingleLine(summary.sender, 40)} signs; replay it without --fresh-signature.`,
      );
      continue;
    }
    if (identity.scheme.sign === undefined) {
      problems.push(
        `${summary.id}: ${identity.scheme.cannotSign ?? `${identity.label} deliveries cannot be re-signed.`} Replay it without --fresh-signature.`,
      );
      continue;
    }
    if (signingSecretFor(analysis.secrets, identity, summary.url) === undefined) {
      problems.push(
        identity.usesDefaultSecret
          ? options.explicitSecrets
            ? `${summary.id}: --fresh-signature needs the secret (--secret-env NAME), and none of the variables named gives it.`
            : `${summary.id}: --fresh-signature needs the secret in $${DEFAULT_SECRET_ENV}, which is not set.`
          : `${summary.id}: --fresh-signature needs the ${identity.label} ${identity.noun}: give it with --secret-env ${summary.sender}:NAME.`,
      );
      continue;
    }
    if (needsResignConfirmation(summary.verdict) && !options.resignFailed) failed.push(summary);
  }
  if (failed.length > 0) {
    const listed = failed
      .slice(0, 5)
      .map((summary) => `${summary.id} (${presentVerdict(summary.verdict).label})`)
      .join(', ');
    problems.push(
      `${failed.length === 1 ? 'This delivery' : `${failed.length} deliveries`} failed verification when captured: ${listed}${failed.length > 5 ? ', …' : ''}. A fresh signature would make ${failed.length === 1 ? 'it' : 'them'} pass your handler's check although HookLens could not tell ${failed.length === 1 ? 'it' : 'they'} came from the sender. Add --resign-failed to re-sign ${failed.length === 1 ? 'it' : 'them'} anyway, or replay without --fresh-signature.`,
    );
  }
  if (problems.length > 0) throw new CliFailure(problems.join('\n'));
}

function readableLine({ deliveryId, attempt, recorded }: ReplayOutcome): string {
  const status = attempt.status === null ? 'failed' : String(attempt.status);
  const route = attempt.route === undefined ? '' : `  route ${toSingleLine(attempt.route, 60)}`;
  const fresh = attempt.tokenMode === 'fresh' ? '  fresh signature' : '';
  const error = attempt.error ? `  ${toSingleLine(attempt.error, 160)}` : '';
  const note = recorded ? '' : '  (not recorded)';
  return `${deliveryId}  ${status}  ${attempt.timeMs ?? '-'} ms  ${attempt.target}${route}${fresh}${error}${note}`;
}

function jsonLine({ deliveryId, attempt, recorded }: ReplayOutcome): string {
  return JSON.stringify({
    deliveryId,
    recorded,
    attemptId: attempt.id,
    target: attempt.target,
    route: attempt.route ?? null,
    tokenMode: attempt.tokenMode,
    status: attempt.status,
    timeMs: attempt.timeMs,
    error: attempt.error,
  });
}
