// A throwaway PostgreSQL cluster for tests and benchmarks: its own data folder and port, the
// HookLens roles from roles.sql, stopped and deleted afterwards. Uses Debian's binaries
// (scripts/postgres/install-postgres.sh); as root, PostgreSQL runs as the `postgres` user.
import { execFile, spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { chmod, chown, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

export interface ThrowawayCluster {
  /** PostgreSQL's major version, e.g. `15`. */
  readonly version: string;
  readonly port: number;
  /** Superuser URL (tests only). */
  readonly adminUrl: string;
  /** The receivers' role, created by roles.sql. */
  readonly writerUrl: string;
  /** The followers' role, created by roles.sql. */
  readonly readerUrl: string;
  /** The CA that signed the server's TLS certificate (for 127.0.0.1 and localhost). */
  readonly caFile: string;
  /** Runs SQL as the superuser in the HookLens database (or the one named). */
  sql(statement: string, database?: string): Promise<string>;
  /** A new empty database with roles.sql's grants, for a test that needs a store of its own. */
  newDatabase(): Promise<{
    readonly name: string;
    readonly writerUrl: string;
    readonly readerUrl: string;
  }>;
  /** Stops the server (fast shutdown); `start()` brings it back on the same port and data. */
  stop(): Promise<void>;
  start(): Promise<void>;
  /** The server's processes now: the postmaster first, then its children (backends, workers). */
  serverPids(): Promise<number[]>;
  /** Stops and deletes everything. */
  destroy(): Promise<void>;
}

const DATABASE = 'hooklens';
const ADMIN = 'hooklens_admin';
const PASSWORDS = { admin: 'admin-pw', writer: 'writer-pw', reader: 'reader-pw' } as const;

function binDir(): string {
  const root = '/usr/lib/postgresql';
  const versions = existsSync(root)
    ? readdirSync(root)
        .filter((name) => existsSync(join(root, name, 'bin', 'initdb')))
        .sort((a, b) => Number(b) - Number(a))
    : [];
  const newest = versions[0];
  if (newest === undefined) {
    throw new Error('PostgreSQL is not installed: run bash scripts/postgres/install-postgres.sh');
  }
  return join(root, newest, 'bin');
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => {
        if (typeof address === 'object' && address !== null) resolve(address.port);
        else reject(new Error('no port'));
      });
    });
  });
}

export async function startThrowawayCluster(): Promise<ThrowawayCluster> {
  const bin = binDir();
  const asRoot = userInfo().uid === 0;
  const dir = await mkdtemp(join(tmpdir(), 'hooklens-pg-'));
  const data = join(dir, 'data');
  const socketDir = dir;
  const pwfile = join(dir, 'pw');
  await writeFile(pwfile, PASSWORDS.admin);
  if (asRoot) {
    const { stdout } = await run('id', ['-u', 'postgres']);
    const { stdout: gid } = await run('id', ['-g', 'postgres']);
    await chown(dir, Number(stdout.trim()), Number(gid.trim()));
    await chown(pwfile, Number(stdout.trim()), Number(gid.trim()));
  }
  const as = (command: string, args: string[]): Promise<{ stdout: string; stderr: string }> =>
    asRoot
      ? run('runuser', ['-u', 'postgres', '--', join(bin, command), ...args], { cwd: dir })
      : run(join(bin, command), args, { cwd: dir });
  await as('initdb', [
    '-D',
    data,
    '-U',
    ADMIN,
    `--pwfile=${pwfile}`,
    '--auth-local=trust',
    '--auth-host=scram-sha-256',
    '-E',
    'UTF8',
    '--locale=C',
    '--no-sync',
  ]);
  // TLS, so `sslmode=verify-full&sslrootcert=…` can be tested: a CA and a server certificate.
  const caFile = join(dir, 'ca.crt');
  const serverKey = join(dir, 'server.key');
  const serverCert = join(dir, 'server.crt');
  await run('openssl', [
    'req',
    '-x509',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-days',
    '2',
    '-subj',
    '/CN=HookLens test CA',
    '-keyout',
    join(dir, 'ca.key'),
    '-out',
    caFile,
  ]);
  await run('openssl', [
    'req',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-subj',
    '/CN=127.0.0.1',
    '-keyout',
    serverKey,
    '-out',
    join(dir, 'server.csr'),
  ]);
  await writeFile(join(dir, 'san.ext'), 'subjectAltName=IP:127.0.0.1,DNS:localhost\n');
  await run('openssl', [
    'x509',
    '-req',
    '-in',
    join(dir, 'server.csr'),
    '-CA',
    caFile,
    '-CAkey',
    join(dir, 'ca.key'),
    '-CAcreateserial',
    '-days',
    '2',
    '-extfile',
    join(dir, 'san.ext'),
    '-out',
    serverCert,
  ]);
  await chmod(serverKey, 0o600);
  if (asRoot) {
    const { stdout } = await run('id', ['-u', 'postgres']);
    const { stdout: gid } = await run('id', ['-g', 'postgres']);
    for (const file of [serverKey, serverCert]) {
      await chown(file, Number(stdout.trim()), Number(gid.trim()));
    }
  }
  const port = await freePort();
  const options = [
    `-p ${port}`,
    `-k ${socketDir}`,
    "-c listen_addresses='127.0.0.1'",
    '-c max_connections=200',
    '-c shared_buffers=128MB',
    '-c ssl=on',
    `-c ssl_cert_file=${serverCert}`,
    `-c ssl_key_file=${serverKey}`,
  ].join(' ');
  const start = async (): Promise<void> => {
    await as('pg_ctl', [
      'start',
      '-D',
      data,
      '-w',
      '-t',
      '60',
      '-l',
      join(dir, 'log'),
      '-o',
      options,
    ]);
  };
  const stop = async (): Promise<void> => {
    await as('pg_ctl', ['stop', '-D', data, '-w', '-t', '60', '-m', 'fast']).catch(() => undefined);
  };
  await start();
  /** psql's arguments to run as the superuser in `database`, stopping at the first error. */
  const psqlArgs = (database: string): string[] => [
    ...['-X', '-q', '-v', 'ON_ERROR_STOP=1', '-h', socketDir, '-p', String(port)],
    ...['-U', ADMIN, '-d', database],
  ];
  const psql = async (database: string, args: string[]): Promise<string> => {
    const { stdout } = await as('psql', [...psqlArgs(database), '-At', ...args]);
    return stdout;
  };
  await psql('postgres', ['-c', `CREATE DATABASE ${DATABASE}`]);
  const roles = await readFile(join(__dirname, 'roles.sql'), 'utf8');
  const runScript = (database: string, script: string): Promise<void> =>
    new Promise<void>((resolve, reject) => {
      const args = [
        ...psqlArgs(database),
        ...[
          '-v',
          `writer_password=${PASSWORDS.writer}`,
          '-v',
          `reader_password=${PASSWORDS.reader}`,
        ],
        ...['-f', '-'],
      ];
      // As root psql runs as postgres: the script goes in on stdin, not as a path it may not read.
      const child = asRoot
        ? spawn('runuser', ['-u', 'postgres', '--', join(bin, 'psql'), ...args], { cwd: dir })
        : spawn(join(bin, 'psql'), args, { cwd: dir });
      let stderr = '';
      child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
      child.on('error', reject);
      child.on('close', (code) =>
        code === 0 ? resolve() : reject(new Error(`psql script failed: ${stderr}`)),
      );
      child.stdin.end(script);
    });
  await runScript(DATABASE, roles);
  // The grants without the role creation (roles are cluster-wide), for more databases.
  const grantsOnly = roles
    .split('\n')
    .filter((line) => !line.startsWith('CREATE ROLE'))
    .join('\n');
  let databases = 0;
  const url = (user: string, password: string): string =>
    `postgres://${user}:${password}@127.0.0.1:${port}/${DATABASE}`;
  let destroyed = false;
  return {
    version: bin.split('/').at(-2) ?? 'unknown',
    port,
    adminUrl: url(ADMIN, PASSWORDS.admin),
    writerUrl: url('hooklens_writer', PASSWORDS.writer),
    readerUrl: url('hooklens_reader', PASSWORDS.reader),
    caFile,
    sql: (statement, database = DATABASE) => psql(database, ['-c', statement]),
    newDatabase: async () => {
      const name = `hooklens_${++databases}`;
      await psql('postgres', ['-c', `CREATE DATABASE ${name}`]);
      await runScript(name, grantsOnly);
      const at = (user: string, password: string): string =>
        `postgres://${user}:${password}@127.0.0.1:${port}/${name}`;
      return {
        name,
        writerUrl: at('hooklens_writer', PASSWORDS.writer),
        readerUrl: at('hooklens_reader', PASSWORDS.reader),
      };
    },
    stop,
    start,
    serverPids: async () => {
      const postmaster = Number(
        (await readFile(join(data, 'postmaster.pid'), 'utf8')).split('\n')[0],
      );
      const children = readdirSync('/proc')
        .filter((name) => /^\d+$/.test(name))
        .filter((pid) => {
          try {
            const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
            return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]) === postmaster;
          } catch {
            return false; // Gone meanwhile.
          }
        })
        .map(Number);
      return [postmaster, ...children];
    },
    destroy: async () => {
      if (destroyed) return;
      destroyed = true;
      await stop();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
