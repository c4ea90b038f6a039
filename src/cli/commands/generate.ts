// `hooklens generate`: typed handler code (types, handler, server, replay test) from stored
// deliveries, written into a folder. Never overwrites a file unless --force says so.
import { mkdir, stat, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import type { DeliveryRecord } from '../../core/delivery';
import { loadGenerator } from '../../core/generate/loadGenerator';
import { genericHmacConfig, type GenericHmacConfig } from '../../core/verify/schemes/genericHmac';
import { toSingleLine } from '../../shared/visibleText';
import { CliFailure, UsageError, type CliIo } from '../io';
import { DATABASE_ENV_HELP, openStoreSource, STORE_SOURCE_PARSE_OPTIONS } from '../storeSource';
import { parseIds, selectedSummaries } from './export';

export const GENERATE_HELP = `Usage: hooklens generate --store DIR --lang typescript|python|go --out DIR [options]

Writes typed handler code from stored deliveries: types merged across every sample, a handler that
verifies the provider's own signature (GitHub's X-Hub-Signature-256, Stripe-Signature, Standard
Webhooks, Slack, Twilio, Watson's JWT, …), answers its handshakes and dispatches each event to its
own typed function, a server, and a test that replays the samples (tokens and secrets removed),
signed the provider's way, and expects 401 for tampered, stale and wrongly signed deliveries.
One handler serves one provider: with deliveries from several, name one with --provider.

Options:
  --store DIR            Delivery store folder (required, or --database-env)
${DATABASE_ENV_HELP}
  --lang LANG            typescript, python or go (required)
  --framework NAME       typescript: node (default), express or nextjs (an App Router route.ts);
                         python: fastapi (default) or flask; go: nethttp
  --zod                  TypeScript: validate each event with Zod schemas
  --ids ID,ID            Only these deliveries
  --event NAME           Only deliveries of this event (repeatable)
  --provider ID          Only this provider's deliveries (github, stripe, slack, …), when the
                         store holds several
  --include-unverified   Also use deliveries whose verification failed (left out by default)
  --limit N              At most N most recent deliveries per event (default 1000)
  --out DIR              Folder to write into (created if missing; required)
  --force                Overwrite files that already exist there
  --secret-env NAME      Environment variable holding the secret, kept out of the code (default HOOKLENS_SECRET)
  --generic-hmac JSON    The generic HMAC scheme the receiver verified with (as for listen), so the
                         handler checks the same header, prefix, algorithm, encoding and content:
                         {"header":"X-Signature","prefix":"sha256=","algorithm":"sha256",
                         "encoding":"hex","template":"{body}"}
`;

export async function generateCommand(args: readonly string[], io: CliIo): Promise<number> {
  const { values } = parseArgs({
    args: [...args],
    options: {
      ...STORE_SOURCE_PARSE_OPTIONS,
      lang: { type: 'string' },
      framework: { type: 'string' },
      zod: { type: 'boolean', default: false },
      ids: { type: 'string' },
      event: { type: 'string', multiple: true },
      provider: { type: 'string' },
      'include-unverified': { type: 'boolean', default: false },
      limit: { type: 'string', default: '1000' },
      out: { type: 'string' },
      force: { type: 'boolean', default: false },
      'secret-env': { type: 'string', default: 'HOOKLENS_SECRET' },
      'generic-hmac': { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
    },
    strict: true,
    allowPositionals: false,
  });
  if (values.help) {
    io.stdout(GENERATE_HELP);
    return 0;
  }
  if (values.lang === undefined) throw new UsageError('--lang typescript|python|go is required.');
  if (values.out === undefined) throw new UsageError('--out DIR is required.');
  const limit = Number(values.limit);
  if (!Number.isInteger(limit) || limit < 1)
    throw new UsageError('--limit must be a whole number, 1 or more.');
  const generator = await loadGenerator();
  let target;
  try {
    target = generator.resolveTarget(values.lang, values.framework, values.zod);
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const genericHmac = genericHmacOption(values['generic-hmac']);
  const ids = parseIds(values.ids);
  const events = values.event === undefined ? undefined : new Set(values.event);

  // Only reads: never changes the store, whoever owns it (or nobody).
  const store = await openStoreSource(values, 'read');
  const shownStore = values.store ?? store.location;
  const records: DeliveryRecord[] = [];
  const provider = values.provider;
  const otherProviders = new Map<string, number>();
  try {
    const perEvent = new Map<string, number>();
    // selectedSummaries lists oldest first; newest first here, so --limit keeps the most recent.
    for (const summary of selectedSummaries(store, ids).reverse()) {
      if (events !== undefined && (summary.event === null || !events.has(summary.event))) continue;
      if (provider !== undefined && summary.sender !== provider) {
        otherProviders.set(summary.sender, (otherProviders.get(summary.sender) ?? 0) + 1);
        continue;
      }
      const key = summary.event ?? '';
      const count = perEvent.get(key) ?? 0;
      if (count >= limit) continue;
      const record = await store.get(summary.id);
      if (!record) continue;
      perEvent.set(key, count + 1);
      records.push(record);
    }
  } finally {
    await store.close();
  }
  if (records.length === 0 && provider !== undefined) {
    const others = [...otherProviders].map(([id, count]) => `${id} ×${count}`).join(', ');
    throw new CliFailure(
      `No ${toSingleLine(provider, 40)} deliveries in ${shownStore} to generate from${others === '' ? '' : ` (it holds ${others})`}.`,
    );
  }
  if (records.length === 0) {
    throw new CliFailure(
      events === undefined
        ? `No deliveries in ${shownStore} to generate from.`
        : `No deliveries of ${[...events].map((name) => `'${toSingleLine(name, 60)}'`).join(', ')} in ${shownStore}.`,
    );
  }
  const secret = io.env[values['secret-env']];
  let code;
  try {
    code = await generator.generateHandlerCode(records, target, {
      secrets: secret ? [secret] : [],
      includeUnverified: values['include-unverified'],
      ...(genericHmac === undefined ? {} : { genericHmac }),
    });
  } catch (error) {
    if (error instanceof generator.GenerationError) throw new CliFailure(error.message);
    throw error;
  }

  const outDir = resolve(values.out);
  await mkdir(outDir, { recursive: true });
  if (!values.force) {
    const existing = [];
    for (const file of code.files) {
      if (await stat(join(outDir, file.name)).catch(() => undefined)) existing.push(file.name);
    }
    if (existing.length > 0) {
      throw new CliFailure(
        `${existing.join(', ')} already exist in ${outDir}. Nothing was written; use --force to overwrite.`,
      );
    }
  }
  for (const file of code.files) await writeFile(join(outDir, file.name), file.content);
  const eventList = code.model.events
    .map((event) => `${toSingleLine(event.name, 60)} (${event.samples.length})`)
    .join(', ');
  io.stderr(
    `generated ${target.language}/${target.framework}${target.zod ? '+zod' : ''} for ${code.model.verification.label} from ${code.model.usedDeliveries} deliveries: ${eventList}\n`,
  );
  if (code.model.unverified > 0) {
    io.stderr(
      `left out ${code.model.unverified} ${code.model.unverified === 1 ? 'delivery' : 'deliveries'} whose verification failed (--include-unverified uses them)\n`,
    );
  }
  const otherSkips = code.model.skipped.filter(
    (skip) => !skip.reason.startsWith('Its verification failed'),
  );
  for (const skip of otherSkips.slice(0, 10))
    io.stderr(`skipped ${skip.deliveryId}: ${skip.reason}\n`);
  if (otherSkips.length > 10) io.stderr(`skipped ${otherSkips.length - 10} more\n`);
  for (const file of code.files) io.stdout(`${join(outDir, file.name)}\n`);
  return 0;
}

/** `--generic-hmac JSON`, checked as `listen --generic-hmac` checks it. */
function genericHmacOption(text: string | undefined): GenericHmacConfig | undefined {
  if (text === undefined) return undefined;
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    throw new UsageError('--generic-hmac must be a JSON object.');
  }
  const parsed = genericHmacConfig(raw);
  if (typeof parsed === 'string') throw new UsageError(`--generic-hmac: ${parsed}`);
  return parsed;
}
