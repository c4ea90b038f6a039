// `<store>/receiver.json`: where the receiver that owns a store is listening right now, so
// `hooklens tail --store DIR` finds it without being told the port. Written when the receiver
// starts listening, removed when it stops; a file left by a crashed process only points at a
// port nobody answers on, which clients treat as "waiting for the receiver", or at a port another
// process took since: clients never trust the port, they make whatever answers there prove it
// holds the stream token for this run (streamAuth.ts) before sending it anything.
import { randomBytes } from 'node:crypto';
import { readFile, rename, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { errnoCode } from '../store/errors';
import { isRunId } from './streamAuth';

export const RECEIVER_INFO_FILE = 'receiver.json';

export interface ReceiverInfo {
  readonly url: string;
  readonly port: number;
  /** The address the receiver is bound to (`127.0.0.1`, `::1`, …). */
  readonly host: string;
  readonly pid: number;
  readonly startedAt: string;
  /**
   * The stream's run id (`StreamHub.runId`): a client accepts only a receiver of this run there.
   * Absent in files of receivers that do not record it; clients then take the run the peer names.
   */
  readonly runId?: string;
}

export function receiverInfoPath(storeDir: string): string {
  return join(storeDir, RECEIVER_INFO_FILE);
}

/** Records where this process's receiver listens. `pid` and `startedAt` default to now, here. */
export async function writeReceiverInfo(
  storeDir: string,
  info: Pick<ReceiverInfo, 'url' | 'port' | 'host'> & Partial<ReceiverInfo>,
): Promise<ReceiverInfo> {
  const full: ReceiverInfo = {
    url: info.url,
    port: info.port,
    host: info.host,
    pid: info.pid ?? process.pid,
    startedAt: info.startedAt ?? new Date().toISOString(),
    ...(info.runId === undefined ? {} : { runId: info.runId }),
  };
  const file = receiverInfoPath(storeDir);
  // Written aside and renamed, so a reader never sees half a file.
  const temporary = `${file}.${randomBytes(6).toString('hex')}.tmp`;
  try {
    await writeFile(temporary, `${JSON.stringify(full, null, 2)}\n`, { mode: 0o600, flag: 'wx' });
    await rename(temporary, file);
  } catch (error) {
    await unlink(temporary).catch(() => undefined);
    throw error;
  }
  return full;
}

/**
 * Removes the file if it still describes a receiver of this process (`pid`), so a receiver that
 * stops late never deletes the entry of one that started after it.
 */
export async function removeReceiverInfo(storeDir: string, pid = process.pid): Promise<void> {
  const current = await readReceiverInfo(storeDir);
  if (current !== undefined && current.pid !== pid) return;
  try {
    await unlink(receiverInfoPath(storeDir));
  } catch (error) {
    if (errnoCode(error) !== 'ENOENT') throw error;
  }
}

/** The recorded receiver, or undefined when there is none or the file is not one we wrote. */
export async function readReceiverInfo(storeDir: string): Promise<ReceiverInfo | undefined> {
  let text: string;
  try {
    text = await readFile(receiverInfoPath(storeDir), 'utf8');
  } catch (error) {
    if (errnoCode(error) === 'ENOENT') return undefined;
    throw error;
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  return isReceiverInfo(value) ? value : undefined;
}

function isReceiverInfo(value: unknown): value is ReceiverInfo {
  if (typeof value !== 'object' || value === null) return false;
  const info = value as Record<string, unknown>;
  return (
    typeof info.url === 'string' &&
    typeof info.host === 'string' &&
    typeof info.startedAt === 'string' &&
    Number.isInteger(info.port) &&
    (info.port as number) > 0 &&
    (info.port as number) <= 65535 &&
    Number.isInteger(info.pid) &&
    (info.runId === undefined || isRunId(info.runId))
  );
}
