// Errors the store reports to its callers. Messages are sentences a user can act on; `code`
// is for code (the receiver maps any StoreWriteError to 503 + Retry-After).

/** Why a write was refused or failed. Node's errno code, or one of the store's own codes. */
export type StoreErrorCode =
  | 'ENOSPC'
  | 'EIO'
  | 'EROFS'
  | 'EACCES'
  | 'EPERM'
  | 'ENOENT'
  | 'NOT_OWNER'
  | 'READ_ONLY'
  | 'CLOSED'
  | (string & {});

/** A write op was not persisted. Nothing rejected with this error was acknowledged as stored. */
export class StoreWriteError extends Error {
  override readonly name = 'StoreWriteError';

  constructor(
    message: string,
    readonly code: StoreErrorCode,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** A stored line could not be read back (damaged on disk after it was indexed). */
export class StoreReadError extends Error {
  override readonly name = 'StoreReadError';
}

export function errnoCode(error: unknown): string | undefined {
  if (typeof error === 'object' && error !== null && 'code' in error) {
    const code = error.code;
    return typeof code === 'string' ? code : undefined;
  }
  return undefined;
}

/** Turns a failed file-system call during a commit into the error every waiting op receives. */
export function toStoreWriteError(error: unknown, storeDir: string): StoreWriteError {
  if (error instanceof StoreWriteError) {
    return error;
  }
  const code = errnoCode(error) ?? 'EUNKNOWN';
  return new StoreWriteError(describeWriteFailure(code, storeDir, error), code, { cause: error });
}

function describeWriteFailure(code: string, storeDir: string, error: unknown): string {
  switch (code) {
    case 'ENOSPC':
    case 'EDQUOT':
      return `The disk is full: HookLens could not save the delivery in ${storeDir}. Free some space; saving resumes on its own.`;
    case 'EIO':
      return `The disk reported an I/O error while HookLens saved the delivery in ${storeDir}. The delivery was not stored.`;
    case 'EROFS':
      return `The file system holding ${storeDir} is read-only, so HookLens cannot save deliveries.`;
    case 'EACCES':
    case 'EPERM':
      return `HookLens has no permission to write in ${storeDir}, so it cannot save deliveries.`;
    case 'ENOENT':
      return `The store folder ${storeDir} was removed while HookLens was running, so deliveries cannot be saved. Reopen the store to recreate it.`;
    default: {
      const detail = error instanceof Error ? error.message : String(error);
      return `HookLens could not save the delivery in ${storeDir}: ${detail}`;
    }
  }
}
