// Schema migrations for the team store: versioned SQL files in ./migrations (copied beside the
// bundle as postgres-migrations/), each applied once, all pending ones in one transaction under an
// advisory lock, so two receivers starting together cannot both migrate.
import { existsSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Pool, PoolClient } from 'pg';
import { checkOut } from './connection';

/** Arbitrary, fixed: the advisory lock every HookLens migration takes. */
const MIGRATION_LOCK = 7_315_420_001;

export interface Migration {
  readonly version: number;
  readonly name: string;
  readonly sql: string;
}

function migrationsDir(): string {
  // From source (tests, tsx): beside this file. From the bundle: dist/postgres-migrations.
  const candidates = [join(__dirname, 'migrations'), join(__dirname, 'postgres-migrations')];
  const found = candidates.find((dir) => existsSync(dir));
  if (found === undefined) {
    throw new Error(
      `HookLens is missing its team store migrations (looked in ${candidates.join(', ')}).`,
    );
  }
  return found;
}

export async function loadMigrations(): Promise<Migration[]> {
  const dir = migrationsDir();
  const migrations: Migration[] = [];
  for (const file of (await readdir(dir)).sort()) {
    const match = /^(\d{4})_([a-z0-9_]+)\.sql$/.exec(file);
    if (!match) continue;
    migrations.push({
      version: Number(match[1]),
      name: match[2] ?? file,
      sql: await readFile(join(dir, file), 'utf8'),
    });
  }
  return migrations;
}

export interface SchemaState {
  /** The highest version applied; 0 for an empty database. */
  readonly version: number;
  /** The highest version this HookLens knows. */
  readonly known: number;
}

async function appliedVersion(client: Pool | PoolClient): Promise<number> {
  const exists = await client.query<{ present: boolean }>(
    "SELECT to_regclass('hooklens_schema_migrations') IS NOT NULL AS present",
  );
  if (exists.rows[0]?.present !== true) return 0;
  const result = await client.query<{ version: number | null }>(
    'SELECT max(version)::int AS version FROM hooklens_schema_migrations',
  );
  return result.rows[0]?.version ?? 0;
}

/** Reads the schema version without changing anything (readers, and writers before migrating). */
export async function schemaState(pool: Pool): Promise<SchemaState> {
  const migrations = await loadMigrations();
  return { version: await appliedVersion(pool), known: migrations.at(-1)?.version ?? 0 };
}

/**
 * Applies the pending migrations in one transaction under an advisory lock. Returns the versions
 * applied (empty when the schema was current). A schema newer than this HookLens is left alone.
 */
export async function migrate(pool: Pool): Promise<number[]> {
  const migrations = await loadMigrations();
  const { client, release } = await checkOut(pool);
  let failure: unknown;
  try {
    await client.query('BEGIN');
    await client.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK]);
    await client.query(`CREATE TABLE IF NOT EXISTS hooklens_schema_migrations (
      version    integer     PRIMARY KEY,
      name       text        NOT NULL,
      applied_at timestamptz NOT NULL DEFAULT now()
    )`);
    const current = await appliedVersion(client);
    const pending = migrations.filter((migration) => migration.version > current);
    for (const migration of pending) {
      await client.query(migration.sql);
      await client.query('INSERT INTO hooklens_schema_migrations (version, name) VALUES ($1, $2)', [
        migration.version,
        migration.name,
      ]);
    }
    await client.query('COMMIT');
    return pending.map((migration) => migration.version);
  } catch (error) {
    failure = error;
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    release(failure);
  }
}
