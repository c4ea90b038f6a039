// The verification options every command that analyses deliveries accepts (listen, import,
// replay): secrets per provider from environment variables, the JWT algorithms and tolerance,
// the generic pointers, the public base URL and the generic HMAC scheme. Parsed in one place so
// the commands and the extension agree.
import { DEFAULT_ANALYSIS_SETTINGS, type AnalysisSettings } from '../core/analysis/analyseRequest';
import { PROVIDERS, providerById } from '../core/providers/registry';
import { checkSecret } from '../core/secrets/secretPolicy';
import { SecretRing, type ConfiguredSecret } from '../core/secrets/secretRing';
import { isValidPointer } from '../core/senders/jsonPointer';
import { isHmacAlgorithm, type HmacAlgorithm } from '../core/verify/hmac';
import { DEFAULT_VERIFIER_OPTIONS } from '../core/verify/jwtVerifier';
import { genericHmacConfig } from '../core/verify/schemes/genericHmac';
import { CliFailure, UsageError, type CliIo } from './io';

export const DEFAULT_SECRET_ENV = 'HOOKLENS_SECRET';

/** `parseArgs` option definitions, spread into each command's own. */
export const VERIFICATION_PARSE_OPTIONS = {
  'secret-env': { type: 'string', multiple: true },
  'verify-token-env': { type: 'string', multiple: true },
  'public-url': { type: 'string' },
  algorithms: { type: 'string' },
  'clock-tolerance': { type: 'string' },
  'event-pointer': { type: 'string' },
  'session-pointer': { type: 'string' },
  'id-pointer': { type: 'string' },
  'generic-hmac': { type: 'string' },
} as const;

export const VERIFICATION_HELP = `Verification:
  --secret-env [PROVIDER:]NAME[@/PATH]
                      Environment variable holding a secret; repeatable. With a provider
                      (${PROVIDERS.filter((p) => p.id !== 'generic')
                        .map((p) => p.id)
                        .join(', ')})
                      it verifies that provider's deliveries; without, it is the JWT secret for
                      Watson, Rapida and generic webhooks (default ${DEFAULT_SECRET_ENV}). @/PATH binds it
                      to deliveries whose path starts with /PATH (two accounts, two paths).
  --verify-token-env meta:NAME  Meta's subscription verify token, for the GET handshake
  --public-url URL    The public URL senders call (a tunnel's), for the URL-bound signatures
                      of Twilio and Square
  --algorithms LIST   JWT algorithms to accept, comma-separated (default HS256)
  --clock-tolerance S Seconds of clock skew allowed for JWT times (default 60)
  --event-pointer P, --session-pointer P, --id-pointer P
                      JSON pointers to a generic webhook's event, session and id
  --generic-hmac JSON The generic HMAC scheme: {"header":"X-Signature","prefix":"sha256=",
                      "algorithm":"sha256","encoding":"hex","template":"{body}"}
`;

interface VerificationValues {
  readonly 'secret-env'?: string[] | undefined;
  readonly 'verify-token-env'?: string[] | undefined;
  readonly 'public-url'?: string | undefined;
  readonly algorithms?: string | undefined;
  readonly 'clock-tolerance'?: string | undefined;
  readonly 'event-pointer'?: string | undefined;
  readonly 'session-pointer'?: string | undefined;
  readonly 'id-pointer'?: string | undefined;
  readonly 'generic-hmac'?: string | undefined;
}

export interface VerificationSetup {
  readonly analysis: AnalysisSettings;
  /** One line for the start-up message: which secrets came from where. */
  readonly summary: string;
}

/** The analysis settings from the options and the environment; mistakes are refused plainly. */
export function verificationSetup(values: VerificationValues, io: CliIo): VerificationSetup {
  const secrets: ConfiguredSecret[] = [];
  const notes: string[] = [];
  const specs = values['secret-env'] ?? [];
  const explicit = specs.length > 0;
  for (const spec of explicit ? specs : [DEFAULT_SECRET_ENV]) {
    const { provider, env, pathPrefix } = parseSecretSpec(spec);
    const value = io.env[env];
    if (value === undefined) {
      if (explicit && provider !== null)
        throw new CliFailure(`$${env} (for ${provider}) is not set.`);
      if (explicit) io.stderr(`warning: $${env} is not set.\n`);
      continue;
    }
    checkValue(provider, env, value, io);
    secrets.push({
      provider,
      label: env,
      value,
      ...(pathPrefix === undefined ? {} : { pathPrefix }),
    });
    notes.push(
      `${provider === null ? 'JWT secret' : `${providerById(provider)?.label ?? provider} secret`} from $${env}${pathPrefix ? ` on ${pathPrefix}` : ''}`,
    );
  }
  for (const spec of values['verify-token-env'] ?? []) {
    const { provider, env } = parseSecretSpec(spec);
    if (provider === null || providerById(provider)?.verifyToken === undefined) {
      throw new UsageError(
        `--verify-token-env takes PROVIDER:NAME for a provider with a verify token (meta), not '${spec}'.`,
      );
    }
    const value = io.env[env];
    if (value === undefined || value === '') throw new CliFailure(`$${env} is not set.`);
    secrets.push({ provider, label: env, value, role: 'verify-token' });
    notes.push(`${provider} verify token from $${env}`);
  }
  const publicBaseUrl = values['public-url'];
  if (publicBaseUrl !== undefined) {
    let url: URL;
    try {
      url = new URL(publicBaseUrl);
    } catch {
      throw new UsageError(`--public-url must be an absolute URL, not '${publicBaseUrl}'.`);
    }
    if (url.protocol !== 'https:' && url.protocol !== 'http:') {
      throw new UsageError('--public-url must be an http or https URL.');
    }
  }
  const pointers = {
    event: pointerOption(
      'event-pointer',
      values['event-pointer'],
      DEFAULT_ANALYSIS_SETTINGS.pointers.event,
    ),
    session: pointerOption(
      'session-pointer',
      values['session-pointer'],
      DEFAULT_ANALYSIS_SETTINGS.pointers.session,
    ),
    id: pointerOption('id-pointer', values['id-pointer'], DEFAULT_ANALYSIS_SETTINGS.pointers.id),
  };
  const genericHmacText = values['generic-hmac'];
  let genericHmac;
  if (genericHmacText !== undefined) {
    let raw: unknown;
    try {
      raw = JSON.parse(genericHmacText);
    } catch {
      throw new UsageError('--generic-hmac must be a JSON object.');
    }
    const parsed = genericHmacConfig(raw);
    if (typeof parsed === 'string') throw new UsageError(`--generic-hmac: ${parsed}`);
    genericHmac = parsed;
  }
  const analysis: AnalysisSettings = {
    secrets: new SecretRing(secrets),
    pointers,
    jwt: {
      algorithms: algorithmsOption(values.algorithms),
      clockToleranceSeconds: toleranceOption(values['clock-tolerance']),
    },
    ...(publicBaseUrl === undefined ? {} : { publicBaseUrl }),
    ...(genericHmac === undefined ? {} : { genericHmac }),
  };
  const summary =
    notes.length === 0
      ? `no secret ($${DEFAULT_SECRET_ENV} is not set): deliveries are not verified`
      : `secrets: ${notes.join(', ')}`;
  return { analysis, summary };
}

/** `NAME`, `stripe:NAME` or `stripe:NAME@/a`. */
export function parseSecretSpec(spec: string): {
  provider: string | null;
  env: string;
  pathPrefix?: string;
} {
  const at = spec.indexOf('@');
  const head = at < 0 ? spec : spec.slice(0, at);
  const pathPrefix = at < 0 ? undefined : spec.slice(at + 1);
  if (pathPrefix !== undefined && !pathPrefix.startsWith('/')) {
    throw new UsageError(`The path after @ in '${spec}' must start with /.`);
  }
  const colon = head.indexOf(':');
  const provider = colon < 0 ? null : head.slice(0, colon).toLowerCase();
  const env = colon < 0 ? head : head.slice(colon + 1);
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(env)) {
    throw new UsageError(`'${env}' is not an environment variable name.`);
  }
  if (provider !== null && providerById(provider) === undefined) {
    throw new UsageError(
      `Unknown provider '${provider}'. Known: ${PROVIDERS.map((p) => p.id).join(', ')}.`,
    );
  }
  return { provider, env, ...(pathPrefix === undefined ? {} : { pathPrefix }) };
}

function checkValue(provider: string | null, env: string, value: string, io: CliIo): void {
  const known = provider === null ? undefined : providerById(provider);
  if (known === undefined || known.scheme === 'jwt') {
    const check = checkSecret(value);
    if (!check.ok) throw new CliFailure(`$${env}: ${check.error}`);
    for (const warning of check.warnings) io.stderr(`warning: $${env}: ${warning}\n`);
    return;
  }
  if (value.trim() === '') throw new CliFailure(`$${env} is empty.`);
  const problem = known.secret.validate?.(value);
  if (problem !== undefined) io.stderr(`warning: $${env}: ${problem}\n`);
}

function pointerOption(name: string, value: string | undefined, fallback: string): string {
  if (value === undefined) return fallback;
  if (!isValidPointer(value)) {
    throw new UsageError(`--${name} must be a JSON pointer such as /type, not '${value}'.`);
  }
  return value;
}

function algorithmsOption(value: string | undefined): readonly HmacAlgorithm[] {
  if (value === undefined) return DEFAULT_VERIFIER_OPTIONS.algorithms;
  const list = value.split(',').map((item) => item.trim().toUpperCase());
  const bad = list.find((item) => !isHmacAlgorithm(item));
  if (bad !== undefined || list.length === 0) {
    throw new UsageError(`--algorithms takes HS256, HS384 and HS512, not '${bad ?? value}'.`);
  }
  return list as HmacAlgorithm[];
}

function toleranceOption(value: string | undefined): number {
  if (value === undefined) return DEFAULT_VERIFIER_OPTIONS.clockToleranceSeconds;
  const seconds = Number(value);
  if (!Number.isInteger(seconds) || seconds < 0 || seconds > 86_400) {
    throw new UsageError(
      `--clock-tolerance must be whole seconds from 0 to 86400, not '${value}'.`,
    );
  }
  return seconds;
}
