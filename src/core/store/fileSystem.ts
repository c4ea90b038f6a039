// The few file-system calls the store makes, behind an interface so tests can inject ENOSPC or
// EIO on exactly the call they mean (D-05, D-07) and count fdatasync calls (group commit).
import * as fsp from 'node:fs/promises';

export interface FileInfo {
  readonly size: number;
  /** 0 once the file was unlinked while still open: the store folder was deleted (D-06). */
  readonly nlink: number;
  readonly ino: number;
  readonly mtimeMs: number;
}

export interface StoreFileHandle {
  /** Writes from the handle's current position (segments are opened for append). */
  write(data: Uint8Array, offset: number, length: number): Promise<number>;
  read(target: Uint8Array, offset: number, length: number, position: number): Promise<number>;
  datasync(): Promise<void>;
  truncate(length: number): Promise<void>;
  stat(): Promise<FileInfo>;
  close(): Promise<void>;
}

/** `r` read, `a` append, `ax` append to a file that must not exist, `w` replace, `wx` create. */
export type OpenFlags = 'r' | 'a' | 'ax' | 'w' | 'wx';

export interface StoreFileSystem {
  open(path: string, flags: OpenFlags): Promise<StoreFileHandle>;
  readFile(path: string): Promise<Buffer>;
  /** Not durable: used for the lock file only. */
  writeFile(path: string, data: string): Promise<void>;
  rename(from: string, to: string): Promise<void>;
  link(existing: string, newPath: string): Promise<void>;
  unlink(path: string): Promise<void>;
  mkdir(path: string): Promise<void>;
  readdir(path: string): Promise<string[]>;
  stat(path: string): Promise<FileInfo>;
  /** fsync a directory so a created, renamed or deleted entry survives power loss. */
  syncDirectory(path: string): Promise<void>;
}

class NodeFileHandle implements StoreFileHandle {
  constructor(private readonly handle: fsp.FileHandle) {}

  async write(data: Uint8Array, offset: number, length: number): Promise<number> {
    const { bytesWritten } = await this.handle.write(data, offset, length);
    return bytesWritten;
  }

  async read(target: Uint8Array, offset: number, length: number, position: number) {
    const { bytesRead } = await this.handle.read(target, offset, length, position);
    return bytesRead;
  }

  datasync(): Promise<void> {
    return this.handle.datasync();
  }

  truncate(length: number): Promise<void> {
    return this.handle.truncate(length);
  }

  async stat(): Promise<FileInfo> {
    return toFileInfo(await this.handle.stat());
  }

  close(): Promise<void> {
    return this.handle.close();
  }
}

function toFileInfo(stats: {
  size: number;
  nlink: number;
  ino: number;
  mtimeMs: number;
}): FileInfo {
  return { size: stats.size, nlink: stats.nlink, ino: stats.ino, mtimeMs: stats.mtimeMs };
}

export const nodeFileSystem: StoreFileSystem = {
  async open(path, flags) {
    return new NodeFileHandle(await fsp.open(path, flags, 0o600));
  },
  readFile: (path) => fsp.readFile(path),
  writeFile: (path, data) => fsp.writeFile(path, data, { encoding: 'utf8', mode: 0o600 }),
  rename: (from, to) => fsp.rename(from, to),
  link: (existing, newPath) => fsp.link(existing, newPath),
  unlink: (path) => fsp.unlink(path),
  async mkdir(path) {
    await fsp.mkdir(path, { recursive: true, mode: 0o700 });
  },
  readdir: (path) => fsp.readdir(path),
  async stat(path) {
    return toFileInfo(await fsp.stat(path));
  },
  async syncDirectory(path) {
    // Windows cannot open a directory for fsync, and NTFS does not need it: skip there.
    if (process.platform === 'win32') {
      return;
    }
    const handle = await fsp.open(path, 'r');
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
  },
};

/** Writes all of `data`, looping over short writes (a full disk can accept part of a buffer). */
export async function writeFully(handle: StoreFileHandle, data: Uint8Array): Promise<void> {
  let offset = 0;
  while (offset < data.length) {
    const written = await handle.write(data, offset, data.length - offset);
    if (written <= 0) {
      throw Object.assign(new Error('The disk accepted no bytes.'), { code: 'EIO' });
    }
    offset += written;
  }
}

/** Creates or replaces `path` with `data` and fdatasyncs it before returning. */
export async function writeFileDurably(
  fs: StoreFileSystem,
  path: string,
  data: Uint8Array,
): Promise<void> {
  const handle = await fs.open(path, 'w');
  try {
    await writeFully(handle, data);
    await handle.datasync();
  } finally {
    await handle.close();
  }
}

/** Reads `length` bytes at `position`, or fewer if the file is shorter. */
export async function readRange(
  fs: StoreFileSystem,
  path: string,
  position: number,
  length: number,
): Promise<Buffer> {
  const handle = await fs.open(path, 'r');
  try {
    const buffer = Buffer.allocUnsafe(length);
    let filled = 0;
    while (filled < length) {
      const read = await handle.read(buffer, filled, length - filled, position + filled);
      if (read === 0) {
        break;
      }
      filled += read;
    }
    return buffer.subarray(0, filled);
  } finally {
    await handle.close();
  }
}
