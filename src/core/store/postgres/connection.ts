// Connecting to the team store. The connection URL comes from the environment or the editor's
// secret storage; it is never printed: messages name the database, host and user only.
import { Client, Pool, type ClientConfig, type PoolClient, type PoolConfig } from 'pg';

/** The team store's name in messages: "team database hooklens on db.internal:5432 as hl_writer". */
export function describeConnection(connectionString: string): string {
  try {
    const url = new URL(connectionString);
    if (url.protocol !== 'postgres:' && url.protocol !== 'postgresql:') return 'team database';
    const database = decodeURIComponent(url.pathname.replace(/^\//, '')) || 'postgres';
    const host = url.hostname === '' ? (url.searchParams.get('host') ?? 'local socket') : url.host;
    const user = url.username === '' ? '' : ` as ${decodeURIComponent(url.username)}`;
    return `team database ${database} on ${host}${user}`;
  } catch {
    return 'team database';
  }
}

/** Why a connection URL cannot be used, or null. Checked before connecting, so typos read well. */
export function connectionUrlProblem(connectionString: string): string | null {
  const trimmed = connectionString.trim();
  if (trimmed === '') return 'The connection URL is empty.';
  let url: URL;
  try {
    url = new URL(trimmed);
  } catch {
    return 'The connection URL is not a URL. Use postgres://USER:PASSWORD@HOST:PORT/DATABASE (add ?sslmode=require for TLS).';
  }
  if (url.protocol !== 'postgres:' && url.protocol !== 'postgresql:') {
    return `The connection URL must start with postgres:// or postgresql://, not ${url.protocol}//.`;
  }
  return null;
}

const COMMON: ClientConfig = {
  application_name: 'hooklens',
  connectionTimeoutMillis: 5_000,
  // A database that stops answering must not hold a delivery forever: the sender gets 503.
  query_timeout: 15_000,
  keepAlive: true,
};

export function createPool(connectionString: string): Pool {
  const config: PoolConfig = { ...COMMON, connectionString, max: 4, idleTimeoutMillis: 30_000 };
  return new Pool(config);
}

export function createClient(connectionString: string): Client {
  return new Client({ ...COMMON, connectionString });
}

/** A database error's sentence without the connection URL (pg never puts the password in one). */
export function databaseErrorText(error: unknown): string {
  if (error instanceof AggregateError && error.errors.length > 0) {
    return databaseErrorText(error.errors[0]);
  }
  if (error instanceof Error) {
    const code = (error as { code?: unknown }).code;
    if (code === 'ECONNREFUSED')
      return 'the database refused the connection (is PostgreSQL running?)';
    if (code === 'ENOTFOUND') return 'the database host name does not resolve';
    if (code === 'ETIMEDOUT') return 'connecting to the database timed out';
    if (code === '28P01') return 'the password was refused';
    if (code === '3D000') return 'the database does not exist';
    if (
      code === 'DEPTH_ZERO_SELF_SIGNED_CERT' ||
      code === 'SELF_SIGNED_CERT_IN_CHAIN' ||
      code === 'UNABLE_TO_VERIFY_LEAF_SIGNATURE' ||
      code === 'ERR_TLS_CERT_ALTNAME_INVALID'
    ) {
      return `the server's TLS certificate was not accepted (${error.message}). For a private CA add sslrootcert=/path/ca.crt to the URL; to encrypt without verifying the server, uselibpqcompat=true&sslmode=require`;
    }
    if (code === '57P01' || code === '57P03') return 'the database is shutting down or starting up';
    if (error.message !== '') return error.message;
    return typeof code === 'string' ? code : 'unknown database error';
  }
  return String(error);
}

/** Errors that mean "the database cannot be reached now" rather than "this statement is wrong". */
export function isConnectionError(error: unknown): boolean {
  if (error instanceof AggregateError) return true;
  if (!(error instanceof Error)) return false;
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string') {
    // Class 08: connection exception; 57P0x: shutdown; 53300: too many connections.
    if (code.startsWith('08') || code.startsWith('57P') || code === '53300') return true;
    if (/^E[A-Z]+$/.test(code)) return true; // ECONNREFUSED, ECONNRESET, ETIMEDOUT, EPIPE…
  }
  return /Connection terminated|timeout|not queryable|Client has encountered a connection error/i.test(
    error.message,
  );
}

/** A pooled connection while it is checked out, and how to give it back. */
export interface CheckedOut {
  readonly client: PoolClient;
  /** Returns the connection; one that failed is closed instead of reused. */
  readonly release: (failure?: unknown) => void;
}

/**
 * Checks a connection out of the pool. While it is out, pg emits connection failures that
 * arrive between two queries (the server shutting down) as an 'error' event that nobody else
 * listens to: an unhandled one would end the process. It is caught here and the connection
 * is discarded on release.
 */
export async function checkOut(pool: Pool): Promise<CheckedOut> {
  const client = await pool.connect();
  let broken: Error | undefined;
  const onError = (error: Error): void => {
    broken = error;
  };
  client.on('error', onError);
  let released = false;
  return {
    client,
    release: (failure) => {
      if (released) return;
      released = true;
      client.off('error', onError);
      const discard =
        broken ??
        (failure !== undefined && isConnectionError(failure) ? (failure as Error) : undefined);
      client.release(discard);
    },
  };
}
