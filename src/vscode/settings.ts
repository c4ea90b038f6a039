import * as vscode from 'vscode';
import type { GroupBy } from '../core/deliveries/deliveryView';
import { DEFAULT_FORWARD_TIMEOUT_MS, MAX_FORWARD_RETRIES } from '../core/forward/forwarder';
import { parseTargetUrl, type ForwardTargetCheck } from '../core/forward/outbound';
import { DEFAULT_REPLAY_CONCURRENCY } from '../core/forward/replay';
import type { VerificationPolicy } from '../core/receiver/ingest';
import { parseRouteList, type Route } from '../core/routes/routeRules';
import type { GenericPointers } from '../core/senders/recognise';
import type { VerifierOptions } from '../core/verify/jwtVerifier';
import { genericHmacConfig, type GenericHmacConfig } from '../core/verify/schemes/genericHmac';
import { SETTINGS_SECTION } from './settingsPlan';
import { storeLocationOf, type StoreLocation } from './store/storeStatus';

export { SETTINGS_SECTION } from './settingsPlan';

/** A typed snapshot of the `hooklens.*` settings, read in one place. */
export interface Settings {
  readonly port: number;
  readonly host: string;
  readonly allowNonLoopbackHost: boolean;
  readonly allowedHosts: readonly string[];
  readonly maxBodyBytes: number;
  readonly autoStart: boolean;
  readonly policy: VerificationPolicy;
  readonly verifier: VerifierOptions;
  /**
   * The retention limits the user set (globally or for the workspace); undefined ones are left to
   * the store, which keeps the limits its owner recorded (a CLI `listen --max-deliveries`, say).
   */
  readonly retention: { readonly maxDeliveries?: number; readonly maxBytes?: number };
  readonly genericPointers: GenericPointers;
  readonly groupBy: GroupBy;
  /** Undefined when `hooklens.forwardTo` is empty; otherwise the parsed URL or why it is wrong. */
  readonly forwardTo: ForwardTargetCheck | undefined;
  readonly forwardTimeoutMs: number;
  readonly forwardRetries: number;
  /** `hooklens.routes`, in order; rules with a problem are left out (and in `problems`). */
  readonly routes: readonly Route[];
  /** The setting's raw JSON: unchanged text keeps the same routes (and their forwarders). */
  readonly routesText: string;
  readonly replayConcurrency: number;
  readonly maskVolatileOnCompare: boolean;
  /** `hooklens.publicBaseUrl` when it is an http(s) URL; the URL senders call (Twilio signs it). */
  readonly publicBaseUrl: string | undefined;
  /** `hooklens.genericHmac` when it is set and valid; undefined turns the generic HMAC sender off. */
  readonly genericHmac: GenericHmacConfig | undefined;
  /**
   * `hooklens.store.location`: `local` (this machine's folder) or `team` (the team store on
   * PostgreSQL; its connection URL is in SecretStorage, never in settings).
   */
  readonly storeLocation: StoreLocation;
  /** Settings that hold a value HookLens cannot use, one sentence each; those values are ignored. */
  readonly problems: readonly string[];
}

export function readSettings(): Settings {
  const config = vscode.workspace.getConfiguration(SETTINGS_SECTION);
  const algorithms = config
    .get<string[]>('verification.algorithms', ['HS256'])
    .filter(
      (algorithm): algorithm is 'HS256' | 'HS384' | 'HS512' =>
        algorithm === 'HS256' || algorithm === 'HS384' || algorithm === 'HS512',
    );
  const forwardTo = config.get<string>('forwardTo', '');
  const problems: string[] = [];
  const publicBaseUrl = publicBaseUrlSetting(config.get<unknown>('publicBaseUrl', ''), problems);
  const genericHmac = genericHmacSetting(config.get<unknown>('genericHmac', null), problems);
  const rawRoutes = config.get<unknown>('routes', []);
  const routes = routesSetting(rawRoutes, problems);
  return {
    port: config.get<number>('port', 7878),
    host: config.get<string>('host', '127.0.0.1').trim(),
    allowNonLoopbackHost: config.get<boolean>('allowNonLoopbackHost', false),
    allowedHosts: config.get<string[]>('allowedHosts', []),
    maxBodyBytes: config.get<number>('maxBodySize', 1024 * 1024),
    autoStart: config.get<boolean>('autoStart', false),
    policy: config.get<string>('verification.policy', 'reject') === 'accept' ? 'accept' : 'reject',
    verifier: {
      algorithms: algorithms.length > 0 ? algorithms : ['HS256'],
      clockToleranceSeconds: Math.max(
        0,
        config.get<number>('verification.clockToleranceSeconds', 60),
      ),
    },
    retention: {
      ...(isSet(config, 'retention.maxDeliveries')
        ? { maxDeliveries: config.get<number>('retention.maxDeliveries', 10_000) }
        : {}),
      ...(isSet(config, 'retention.maxMegabytes')
        ? { maxBytes: config.get<number>('retention.maxMegabytes', 512) * 1024 * 1024 }
        : {}),
    },
    genericPointers: {
      event: config.get<string>('generic.eventPointer', '/type'),
      session: config.get<string>('generic.sessionPointer', ''),
      id: config.get<string>('generic.idPointer', '/id'),
    },
    groupBy: config.get<GroupBy>('deliveries.groupBy', 'session'),
    forwardTo: forwardTo.trim() === '' ? undefined : parseTargetUrl(forwardTo),
    forwardTimeoutMs:
      clamp(
        config.get<number>('forward.timeoutSeconds', DEFAULT_FORWARD_TIMEOUT_MS / 1000),
        1,
        600,
      ) * 1000,
    forwardRetries: clamp(config.get<number>('forward.retries', 0), 0, MAX_FORWARD_RETRIES),
    routes,
    routesText: JSON.stringify(rawRoutes ?? []),
    replayConcurrency: clamp(
      config.get<number>('replay.concurrency', DEFAULT_REPLAY_CONCURRENCY),
      1,
      32,
    ),
    maskVolatileOnCompare: config.get<boolean>('compare.maskVolatileFields', false),
    publicBaseUrl,
    genericHmac,
    storeLocation: storeLocationOf(config.get<unknown>('store.location', 'local')),
    problems,
  };
}

function publicBaseUrlSetting(raw: unknown, problems: string[]): string | undefined {
  if (typeof raw !== 'string' || raw.trim() === '') {
    if (raw !== undefined && raw !== null && typeof raw !== 'string')
      problems.push('hooklens.publicBaseUrl must be a URL such as https://abc123.ngrok.app/.');
    return undefined;
  }
  const text = raw.trim();
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    problems.push(`hooklens.publicBaseUrl is not an absolute URL: ${JSON.stringify(text)}.`);
    return undefined;
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    problems.push('hooklens.publicBaseUrl must be an http or https URL.');
    return undefined;
  }
  return text;
}

/**
 * Null or absent: the generic HMAC sender is off. An object is checked by core's own rules, plus
 * the types a hand-edited settings.json can get wrong; a bad value is reported and ignored.
 */
function genericHmacSetting(raw: unknown, problems: string[]): GenericHmacConfig | undefined {
  if (raw === undefined || raw === null) return undefined;
  if (typeof raw !== 'object' || Array.isArray(raw)) {
    problems.push('hooklens.genericHmac must be an object such as {"header": "X-Signature"}.');
    return undefined;
  }
  const value = raw as Record<string, unknown>;
  for (const key of ['header', 'prefix', 'template', 'timestampHeader', 'idHeader']) {
    if (value[key] !== undefined && typeof value[key] !== 'string') {
      problems.push(`hooklens.genericHmac.${key} must be text.`);
      return undefined;
    }
  }
  const tolerance = value.toleranceSeconds;
  if (
    tolerance !== undefined &&
    (typeof tolerance !== 'number' || !Number.isInteger(tolerance) || tolerance < 0)
  ) {
    problems.push('hooklens.genericHmac.toleranceSeconds must be a whole number of seconds.');
    return undefined;
  }
  const parsed = genericHmacConfig(value);
  if (typeof parsed === 'string') {
    problems.push(`hooklens.genericHmac: ${parsed}`);
    return undefined;
  }
  return parsed;
}

/** `hooklens.routes`: each rule checked by core's own rules; a bad one is said and left out. */
function routesSetting(raw: unknown, problems: string[]): readonly Route[] {
  if (raw === undefined || raw === null) return [];
  if (!Array.isArray(raw)) {
    problems.push(
      'hooklens.routes must be a list of rules such as "provider=stripe=>http://localhost:4242/".',
    );
    return [];
  }
  const parsed = parseRouteList(raw);
  for (const problem of parsed.problems) problems.push(`hooklens.routes: ${problem}.`);
  return parsed.routes;
}

/** True when the user set the value somewhere, rather than leaving the default. */
function isSet(config: vscode.WorkspaceConfiguration, key: string): boolean {
  const inspected = config.inspect(key);
  return (
    inspected?.globalValue !== undefined ||
    inspected?.workspaceValue !== undefined ||
    inspected?.workspaceFolderValue !== undefined
  );
}

/** Settings hold what the user typed; a hand-edited settings.json can hold anything. */
function clamp(value: number, min: number, max: number): number {
  return Number.isFinite(value) ? Math.min(max, Math.max(min, Math.round(value))) : min;
}

export async function openSettings(): Promise<void> {
  await vscode.commands.executeCommand('workbench.action.openSettings', '@ext:hooklens.hooklens');
}
