// A StoreFileSystem wrapper for tests (and for a "simulate disk full" debug command): counts calls
// and fails or pauses chosen calls deterministically, e.g. EIO on the next fdatasync (D-07) or
// ENOSPC on the next write (D-05). No timers, no randomness.
import {
  type FileInfo,
  nodeFileSystem,
  type OpenFlags,
  type StoreFileHandle,
  type StoreFileSystem,
} from './fileSystem';

export type FaultPoint =
  'open' | 'write' | 'datasync' | 'truncate' | 'rename' | 'unlink' | 'syncDirectory' | 'readFile';

interface Fault {
  readonly code: string;
  remaining: number;
  readonly pathIncludes: string | undefined;
}

interface Gate {
  readonly pathIncludes: string | undefined;
  readonly reached: () => void;
  readonly released: Promise<void>;
}

export class FaultInjectingFileSystem implements StoreFileSystem {
  /** How many times each call was made (faulted calls included). */
  readonly calls: Record<FaultPoint, number> = {
    open: 0,
    write: 0,
    datasync: 0,
    truncate: 0,
    rename: 0,
    unlink: 0,
    syncDirectory: 0,
    readFile: 0,
  };
  private readonly faults = new Map<FaultPoint, Fault[]>();
  private readonly gates = new Map<FaultPoint, Gate[]>();

  constructor(private readonly base: StoreFileSystem = nodeFileSystem) {}

  /** The next `times` calls at `point` (on a path containing `pathIncludes`) fail with `code`. */
  failNext(
    point: FaultPoint,
    code: string,
    options: { times?: number; pathIncludes?: string } = {},
  ) {
    const list = this.faults.get(point) ?? [];
    list.push({ code, remaining: options.times ?? 1, pathIncludes: options.pathIncludes });
    this.faults.set(point, list);
  }

  /**
   * Pauses the next call at `point` until `release()`. `reached` resolves when a call is paused,
   * so a test can act "while a batch is syncing" without sleeping.
   */
  pauseNext(point: FaultPoint, options: { pathIncludes?: string } = {}) {
    let reached!: () => void;
    let release!: () => void;
    const reachedPromise = new Promise<void>((resolve) => (reached = resolve));
    const released = new Promise<void>((resolve) => (release = resolve));
    const list = this.gates.get(point) ?? [];
    list.push({ pathIncludes: options.pathIncludes, reached, released });
    this.gates.set(point, list);
    return { reached: reachedPromise, release };
  }

  async open(path: string, flags: OpenFlags): Promise<StoreFileHandle> {
    await this.enter('open', path);
    return new FaultInjectingHandle(this, path, await this.base.open(path, flags));
  }

  async readFile(path: string): Promise<Buffer> {
    await this.enter('readFile', path);
    return this.base.readFile(path);
  }

  writeFile(path: string, data: string): Promise<void> {
    return this.base.writeFile(path, data);
  }

  async rename(from: string, to: string): Promise<void> {
    await this.enter('rename', from);
    return this.base.rename(from, to);
  }

  link(existing: string, newPath: string): Promise<void> {
    return this.base.link(existing, newPath);
  }

  async unlink(path: string): Promise<void> {
    await this.enter('unlink', path);
    return this.base.unlink(path);
  }

  mkdir(path: string): Promise<void> {
    return this.base.mkdir(path);
  }

  readdir(path: string): Promise<string[]> {
    return this.base.readdir(path);
  }

  stat(path: string): Promise<FileInfo> {
    return this.base.stat(path);
  }

  async syncDirectory(path: string): Promise<void> {
    await this.enter('syncDirectory', path);
    return this.base.syncDirectory(path);
  }

  /**
   * Counts the call, then throws if a fault is due, after waiting at a gate if one is set. The
   * fault is chosen on entry, so a fault armed while this call is paused hits the next call.
   */
  async enter(point: FaultPoint, path: string): Promise<void> {
    this.calls[point] += 1;
    const faults = this.faults.get(point) ?? [];
    const fault = faults.find((f) => !f.pathIncludes || path.includes(f.pathIncludes));
    if (fault) {
      fault.remaining -= 1;
      if (fault.remaining <= 0) {
        faults.splice(faults.indexOf(fault), 1);
      }
    }
    const gates = this.gates.get(point) ?? [];
    const gateIndex = gates.findIndex((g) => !g.pathIncludes || path.includes(g.pathIncludes));
    const gate = gateIndex >= 0 ? gates.splice(gateIndex, 1)[0] : undefined;
    if (gate) {
      gate.reached();
      await gate.released;
    }
    if (fault) {
      throw Object.assign(new Error(`${fault.code}: injected fault on ${point} (${path})`), {
        code: fault.code,
      });
    }
  }
}

class FaultInjectingHandle implements StoreFileHandle {
  constructor(
    private readonly fs: FaultInjectingFileSystem,
    private readonly path: string,
    private readonly base: StoreFileHandle,
  ) {}

  async write(data: Uint8Array, offset: number, length: number): Promise<number> {
    await this.fs.enter('write', this.path);
    return this.base.write(data, offset, length);
  }

  read(target: Uint8Array, offset: number, length: number, position: number): Promise<number> {
    return this.base.read(target, offset, length, position);
  }

  async datasync(): Promise<void> {
    await this.fs.enter('datasync', this.path);
    return this.base.datasync();
  }

  async truncate(length: number): Promise<void> {
    await this.fs.enter('truncate', this.path);
    return this.base.truncate(length);
  }

  stat(): Promise<FileInfo> {
    return this.base.stat();
  }

  close(): Promise<void> {
    return this.base.close();
  }
}
