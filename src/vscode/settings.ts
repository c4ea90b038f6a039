import * as vscode from 'vscode';
import type { GroupBy } from '../core/deliveries/deliveryView';
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
  };
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
