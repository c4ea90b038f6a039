// Which store a command works on: a local folder (--store DIR) or the team store on PostgreSQL
// (--database-env NAME: the connection URL is read from that environment variable, never from a
// flag, so it stays out of shell history and process listings).
import { stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { DeliveryStoreBackend } from '../core/store/backend';
import { DeliveryStore, type StoreOptions } from '../core/store/deliveryStore';
import { connectionUrlProblem } from '../core/store/postgres/connection';
import {
  PostgresDeliveryStore,
  type PostgresStoreOptions,
} from '../core/store/postgres/postgresStore';
import { toSingleLine } from '../shared/visibleText';
import { CliFailure, UsageError } from './io';

export const STORE_SOURCE_PARSE_OPTIONS = {
  store: { type: 'string' },
  'database-env': { type: 'string' },
} as const;

export const DATABASE_ENV_HELP = `  --database-env NAME    Use the team store on PostgreSQL instead of a folder: NAME is the
                         environment variable holding its URL, e.g.
                         postgres://USER:PASSWORD@HOST:5432/hooklens?sslmode=require`;

export interface StoreSourceValues {
  readonly store?: string | undefined;
  readonly 'database-env'?: string | undefined;
}

/** The connection URL named by --database-env, checked; a UsageError says what is wrong. */
export function teamStoreUrl(name: string, env: NodeJS.ProcessEnv = process.env): string {
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) {
    throw new UsageError(
      `--database-env takes the name of an environment variable (like HOOKLENS_DATABASE_URL), not '${toSingleLine(name, 40)}'. Put the connection URL in that variable.`,
    );
  }
  const url = env[name];
  if (url === undefined || url === '') {
    throw new UsageError(
      `The environment variable ${name} is not set. Set it to the team store's URL, e.g. export ${name}='postgres://USER:PASSWORD@HOST:5432/hooklens'.`,
    );
  }
  const problem = connectionUrlProblem(url);
  if (problem !== null) throw new UsageError(`${name}: ${problem}`);
  return url;
}

export function usesTeamStore(values: StoreSourceValues): boolean {
  return values['database-env'] !== undefined;
}

/** Opens the team store; a database that cannot be reached is a clear CliFailure. */
export async function openTeamStore(
  name: string,
  options: PostgresStoreOptions = {},
): Promise<PostgresDeliveryStore> {
  const url = teamStoreUrl(name);
  try {
    return await PostgresDeliveryStore.open(url, options);
  } catch (error) {
    throw new CliFailure(error instanceof Error ? error.message : String(error));
  }
}

/**
 * Opens the store the options name. `read` never changes it (a local folder must exist: reading
 * must not leave an empty store behind a mistyped path). Exactly one of --store and
 * --database-env, unless `defaultDir` stands in for --store.
 */
export async function openStoreSource(
  values: StoreSourceValues,
  access: 'read' | 'write',
  defaults: { readonly defaultDir?: string; readonly local?: StoreOptions } = {},
): Promise<DeliveryStoreBackend> {
  const envName = values['database-env'];
  if (envName !== undefined) {
    if (values.store !== undefined) {
      throw new UsageError('Give --store DIR or --database-env NAME, not both.');
    }
    return openTeamStore(envName, { access });
  }
  const given = values.store ?? defaults.defaultDir;
  if (given === undefined) {
    throw new UsageError('--store DIR is required (or --database-env NAME for the team store).');
  }
  const dir = resolve(given);
  if (access === 'read' && !(await stat(dir).catch(() => null))?.isDirectory()) {
    throw new CliFailure(`No store at ${dir}.`);
  }
  return DeliveryStore.open(dir, { ...defaults.local, access });
}
