// The live stream's token: random per store, in `<store>/stream.token`, readable only by its user.
// Whoever can read the file may follow the stream, so `hooklens tail` needs no setup beyond
// `--store`, and a browser page or another local user cannot connect.
import { randomBytes } from 'node:crypto';
import { constants } from 'node:fs';
import { open, rename, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { errnoCode } from '../store/errors';

export const STREAM_TOKEN_FILE = 'stream.token';
/** 32 random bytes as base64url: 256 bits, well over the 128 the stream needs. */
const TOKEN_BYTES = 32;
/** What a token read from disk must look like: base64url of at least 128 bits (22 chars). */
const TOKEN_SHAPE = /^[A-Za-z0-9_-]{22,512}$/;
// Never follow a symlink planted in place of the file (its target could be anyone's file).
const NO_FOLLOW = constants.O_NOFOLLOW ?? 0;

export function streamTokenPath(storeDir: string): string {
  return join(storeDir, STREAM_TOKEN_FILE);
}

export function newStreamToken(): string {
  return randomBytes(TOKEN_BYTES).toString('base64url');
}

/**
 * For the process that owns the store: returns the store's token, creating it (mode 600) when it
 * is missing or unusable, and narrowing the file's permissions when they are wider than 600. The
 * same token is reused while the file exists, so running `tail` clients reconnect after a restart.
 */
export async function ensureStreamToken(storeDir: string): Promise<string> {
  const file = streamTokenPath(storeDir);
  const existing = await readToken(file, true);
  if (existing !== undefined) return existing;
  const token = newStreamToken();
  await writeNew(file, token);
  return token;
}

/** For clients (`hooklens tail`): the store's token, or undefined when there is none yet. */
export async function readStreamToken(storeDir: string): Promise<string | undefined> {
  return readToken(streamTokenPath(storeDir), false);
}

/**
 * Reads a token file. An unusable file (a symlink, not a token) counts as missing; for the owner
 * (`repair`) it is removed so a new one can be made, and a file readable by others is narrowed.
 */
async function readToken(file: string, repair: boolean): Promise<string | undefined> {
  let handle;
  try {
    handle = await open(file, constants.O_RDONLY | NO_FOLLOW);
  } catch (error) {
    const code = errnoCode(error);
    if (code === 'ENOENT') return undefined;
    if (code === 'ELOOP' && repair) return removeUnusable(file);
    if (code === 'ELOOP') return undefined;
    throw error;
  }
  let usable: string | undefined;
  try {
    const info = await handle.stat();
    if (!info.isFile()) {
      throw new Error(`${file} is not a file; remove it so HookLens can create the stream token.`);
    }
    const token = info.size <= 1024 ? (await handle.readFile('utf8')).trim() : '';
    if (TOKEN_SHAPE.test(token)) {
      usable = token;
      if (repair && process.platform !== 'win32' && (info.mode & 0o077) !== 0) {
        await handle.chmod(0o600);
      }
    }
  } finally {
    await handle.close();
  }
  if (usable === undefined && repair) return removeUnusable(file);
  return usable;
}

async function writeNew(file: string, token: string): Promise<void> {
  // Created with 'wx' and mode 600, so it is never readable by others, even for an instant; then
  // renamed into place, so a reader never sees a half-written token.
  const temporary = `${file}.${randomBytes(6).toString('hex')}.tmp`;
  const handle = await open(temporary, 'wx', 0o600);
  try {
    await handle.writeFile(`${token}\n`, 'utf8');
    await handle.sync();
    await handle.close();
    await rename(temporary, file);
  } catch (error) {
    await handle.close().catch(() => undefined);
    await unlink(temporary).catch(() => undefined);
    throw error;
  }
}

async function removeUnusable(file: string): Promise<undefined> {
  try {
    await unlink(file);
  } catch (error) {
    if (errnoCode(error) !== 'ENOENT') throw error;
  }
  return undefined;
}
