// Single writer per store (D-09): `store.lock` is created with O_EXCL and holds who owns the store.
// The owner rewrites it every `heartbeatMs`; a lock whose pid is dead (same host) or whose
// heartbeat is older than `staleAfterMs` may be taken over. Taking over moves the stale file
// aside with an atomic rename and checks it moved the file it judged, so two windows racing for a
// stale lock cannot both win.
import { randomUUID } from 'node:crypto';
import * as os from 'node:os';
import * as path from 'node:path';
import { errnoCode } from './errors';
import type { StoreFileSystem } from './fileSystem';
import { LOCK_FILE } from './segments';
import type { LockInfo } from './types';

export interface LockOptions {
  readonly heartbeatMs: number;
  readonly staleAfterMs: number;
  readonly now: () => number;
}

export type AcquireOutcome =
  | {
      readonly acquired: true;
      /** The stale lock that was taken over, `'unreadable'` if it had no valid content. */
      readonly replaced: LockInfo | 'unreadable' | null;
    }
  | { readonly acquired: false; readonly holder: LockInfo | null };

interface LockSnapshot {
  readonly raw: string;
  readonly info: LockInfo | null;
  readonly mtimeMs: number;
}

export class StoreLock {
  readonly path: string;
  private readonly ownerId = randomUUID();
  private readonly startedAt: string;
  private timer: NodeJS.Timeout | undefined;
  private beating: Promise<void> | null = null;
  private owned = false;
  /** When (by `now()`) we last wrote or confirmed the lock as ours. */
  private confirmedAt = 0;

  constructor(
    private readonly fs: StoreFileSystem,
    dir: string,
    private readonly options: LockOptions,
    /** Called when a heartbeat finds someone else's lock in our place. */
    private readonly onLost: (holder: LockInfo | null) => void,
  ) {
    this.path = path.join(dir, LOCK_FILE);
    this.startedAt = new Date(options.now()).toISOString();
  }

  get isOwned(): boolean {
    return this.owned;
  }

  /**
   * Before a write: true if the lock is still ours. Free while our last heartbeat is recent
   * enough that nobody can have judged the lock stale; after a long pause (the process was
   * suspended, the machine slept, the event loop stalled) it reads the lock first, so a process
   * that lost its lock finds out before it writes, not at its next heartbeat.
   */
  async confirm(): Promise<boolean> {
    if (!this.owned) {
      return false;
    }
    const { heartbeatMs, staleAfterMs } = this.options;
    const safeFor = Math.max(staleAfterMs - heartbeatMs, staleAfterMs / 2);
    if (this.options.now() - this.confirmedAt < safeFor) {
      return true;
    }
    await this.heartbeat();
    return this.owned;
  }

  async acquire(): Promise<AcquireOutcome> {
    let replaced: LockInfo | 'unreadable' | null = null;
    // A few rounds: each lost race (file vanished, or moved aside by someone else) retries.
    for (let round = 0; round < 5; round++) {
      const createdAt = this.options.now();
      if (await this.createExclusive()) {
        this.owned = true;
        this.confirmedAt = createdAt;
        this.startHeartbeat();
        return { acquired: true, replaced };
      }
      const current = await this.readSnapshot(this.path);
      if (!current) {
        continue;
      }
      if (this.isLive(current)) {
        return { acquired: false, holder: current.info };
      }
      if (await this.moveAside(current)) {
        replaced = current.info ?? 'unreadable';
      }
    }
    return { acquired: false, holder: null };
  }

  /** Removes the lock if it is still ours. */
  async release(): Promise<void> {
    this.stopHeartbeat();
    await this.beating; // A beat in flight would otherwise write the lock back after us.
    if (!this.owned) {
      return;
    }
    this.owned = false;
    const current = await this.readSnapshot(this.path);
    if (current?.info?.ownerId === this.ownerId) {
      await this.fs.unlink(this.path).catch(() => undefined);
    }
  }

  /** Stops heartbeats without touching the file (the store is going away or lost the lock). */
  stopHeartbeat(): void {
    if (this.timer) {
      clearInterval(this.timer);
      this.timer = undefined;
    }
  }

  /** One heartbeat: confirm the lock is still ours and refresh `heartbeatAt`. */
  heartbeat(): Promise<void> {
    if (!this.owned) {
      return Promise.resolve();
    }
    // One at a time; a caller arriving mid-beat waits for that beat's verdict.
    this.beating ??= this.beat().finally(() => {
      this.beating = null;
    });
    return this.beating;
  }

  private async beat(): Promise<void> {
    try {
      const checkedAt = this.options.now();
      const current = await this.readSnapshot(this.path);
      if (!this.owned) {
        return;
      }
      if (!current) {
        // Someone deleted the lock file; we still own the store, so put it back.
        if (await this.createExclusive()) {
          this.confirmedAt = checkedAt;
        } else {
          this.lose((await this.readSnapshot(this.path))?.info ?? null);
        }
        return;
      }
      if (current.info?.ownerId !== this.ownerId) {
        this.lose(current.info);
        return;
      }
      // Write aside and rename over, so a reader never sees a half-written lock.
      const temp = `${this.path}.${this.ownerId}.tmp`;
      await this.fs.writeFile(temp, this.content());
      await this.fs.rename(temp, this.path);
      this.confirmedAt = checkedAt;
    } catch {
      // A missed heartbeat is harmless; the next one retries. Write failures surface via commits.
    }
  }

  private lose(holder: LockInfo | null): void {
    this.owned = false;
    this.stopHeartbeat();
    this.onLost(holder);
  }

  private startHeartbeat(): void {
    this.stopHeartbeat();
    this.timer = setInterval(() => void this.heartbeat(), this.options.heartbeatMs);
    // The heartbeat alone must not keep a CLI or test process alive.
    this.timer.unref();
  }

  private content(): string {
    const info: LockInfo = {
      pid: process.pid,
      hostname: os.hostname(),
      startedAt: this.startedAt,
      heartbeatAt: new Date(this.options.now()).toISOString(),
      ownerId: this.ownerId,
    };
    return `${JSON.stringify(info)}\n`;
  }

  private async createExclusive(): Promise<boolean> {
    let handle;
    try {
      handle = await this.fs.open(this.path, 'wx');
    } catch (error) {
      if (errnoCode(error) === 'EEXIST') {
        return false;
      }
      throw error;
    }
    try {
      const data = Buffer.from(this.content(), 'utf8');
      await handle.write(data, 0, data.length);
    } finally {
      await handle.close();
    }
    return true;
  }

  private isLive(snapshot: LockSnapshot): boolean {
    const now = this.options.now();
    const info = snapshot.info;
    if (!info) {
      // Unreadable (being created right now, or garbage): judge by the file's age alone.
      return now - snapshot.mtimeMs < this.options.staleAfterMs;
    }
    const age = now - Date.parse(info.heartbeatAt);
    if (!(age < this.options.staleAfterMs)) {
      return false;
    }
    // Another host's pid means nothing here: a fresh heartbeat is all we can go by.
    return info.hostname !== os.hostname() || isProcessAlive(info.pid);
  }

  /** Renames the stale lock away; true if what we moved is the lock we judged stale. */
  private async moveAside(judged: LockSnapshot): Promise<boolean> {
    const aside = `${this.path}.${this.ownerId}.stale`;
    try {
      await this.fs.rename(this.path, aside);
    } catch (error) {
      if (errnoCode(error) === 'ENOENT') {
        return false;
      }
      throw error;
    }
    const moved = await this.readSnapshot(aside);
    if (moved?.raw === judged.raw) {
      await this.fs.unlink(aside).catch(() => undefined);
      return true;
    }
    // We raced and moved a lock someone created a moment ago: put it back (link fails if yet
    // another lock appeared; then that owner's heartbeat notices and steps down).
    await this.fs.link(aside, this.path).catch(() => undefined);
    await this.fs.unlink(aside).catch(() => undefined);
    return false;
  }

  private async readSnapshot(file: string): Promise<LockSnapshot | null> {
    try {
      const [buffer, stat] = await Promise.all([this.fs.readFile(file), this.fs.stat(file)]);
      const raw = buffer.toString('utf8');
      return { raw, info: parseLockInfo(raw), mtimeMs: stat.mtimeMs };
    } catch (error) {
      if (errnoCode(error) === 'ENOENT') {
        return null;
      }
      throw error;
    }
  }
}

export function parseLockInfo(raw: string): LockInfo | null {
  try {
    const value: unknown = JSON.parse(raw);
    if (typeof value !== 'object' || value === null) {
      return null;
    }
    const v = value as Record<string, unknown>;
    if (
      typeof v.pid === 'number' &&
      typeof v.hostname === 'string' &&
      typeof v.startedAt === 'string' &&
      typeof v.heartbeatAt === 'string'
    ) {
      return {
        pid: v.pid,
        hostname: v.hostname,
        startedAt: v.startedAt,
        heartbeatAt: v.heartbeatAt,
        // Optional so a lock written by hand (or an older build) is still understood.
        ownerId: typeof v.ownerId === 'string' ? v.ownerId : '',
      };
    }
  } catch {
    // Not JSON: unreadable.
  }
  return null;
}

function isProcessAlive(pid: number): boolean {
  if (!Number.isSafeInteger(pid) || pid <= 0) {
    return false;
  }
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to someone else.
    return errnoCode(error) === 'EPERM';
  }
}
