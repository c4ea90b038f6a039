import * as vscode from 'vscode';
import type { GroupBy } from '../core/deliveries/deliveryView';
import { DEFAULT_FORWARD_TIMEOUT_MS, MAX_FORWARD_RETRIES } from '../core/forward/forwarder';
import { parseTargetUrl, type ForwardTargetCheck } from '../core/forward/outbound';
import { DEFAULT_REPLAY_CONCURRENCY } from '../core/forward/replay';
import type { VerificationPolicy } from '../core/receiver/ingest';
import type { GenericPointers } from '../core/senders/recognise';
import type { VerifierOptions } from '../core/verify/jwtVerifier';

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
  readonly retention: { readonly maxDeliveries: number; readonly maxBytes: number };
  readonly genericPointers: GenericPointers;
  readonly groupBy: GroupBy;
  /** Undefined when `hooklens.forwardTo` is empty; otherwise the parsed URL or why it is wrong. */
  readonly forwardTo: ForwardTargetCheck | undefined;
  readonly forwardTimeoutMs: number;
  readonly forwardRetries: number;
  readonly replayConcurrency: number;
  readonly maskVolatileOnCompare: boolean;
}

export const SETTINGS_SECTION = 'hooklens';

export function readSettings(): Settings {
  const config = vscode.workspace.getConfiguration(SETTINGS_SECTION);
  const algorithms = config
    .get<string[]>('verification.algorithms', ['HS256'])
    .filter(
      (algorithm): algorithm is 'HS256' | 'HS384' | 'HS512' =>
        algorithm === 'HS256' || algorithm === 'HS384' || algorithm === 'HS512',
    );
  const forwardTo = config.get<string>('forwardTo', '');
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
      maxDeliveries: config.get<number>('retention.maxDeliveries', 10_000),
      maxBytes: config.get<number>('retention.maxMegabytes', 512) * 1024 * 1024,
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
    replayConcurrency: clamp(
      config.get<number>('replay.concurrency', DEFAULT_REPLAY_CONCURRENCY),
      1,
      32,
    ),
    maskVolatileOnCompare: config.get<boolean>('compare.maskVolatileFields', false),
  };
}

/** Settings hold what the user typed; a hand-edited settings.json can hold anything. */
function clamp(value: number, min: number, max: number): number {
  return Number.isFinite(value) ? Math.min(max, Math.max(min, Math.round(value))) : min;
}

/** Settings that need the receiver restarted when they change; the rest apply live. */
export const RECEIVER_RESTART_SETTINGS = [
  'port',
  'host',
  'allowNonLoopbackHost',
  'allowedHosts',
  'maxBodySize',
].map((key) => `${SETTINGS_SECTION}.${key}`);

export async function openSettings(): Promise<void> {
  await vscode.commands.executeCommand('workbench.action.openSettings', '@ext:hooklens.hooklens');
}
