// Issue 14, items 1, 2, 3, 4 and 7, with real processes and real pipes: read commands never
// change the store and retention belongs to the store; output reaches a slow reader whole and a
// closed pipe gives a defined status; a stalled reader of listen/tail costs bounded memory; a
// listen that lost its lock says so and stops; exports are 0600.
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { chmod, open as openFile, readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { DeliveryStore } from '../../src/core/store/deliveryStore';
import type { DeliveryInput } from '../../src/core/store/types';
import { aGenericDelivery } from '../unit/builders';
import { cleanUp, cliPath, post, runCli, startListen, tempDir } from './listenProcess';

const started = new Map<number, ChildProcess>();

after(async () => {
  for (const [pid, child] of started) {
    if (child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      try {
        process.kill(pid, 'SIGCONT'); // A test that failed may have left it stopped.
        process.kill(pid, 'SIGKILL');
      } catch {
        // Already gone.
      }
      await exited;
    }
  }
  await cleanUp();
});

/** A generic JSON delivery whose body is about `size` bytes. */
function delivery(id: string, size = 200): DeliveryInput {
  const body = Buffer.from(JSON.stringify({ type: 'probe.event', id, pad: 'p'.repeat(size) }));
  return aGenericDelivery(id, {
    bodyBase64: body.toString('base64'),
    bodySha256: createHash('sha256').update(body).digest('hex'),
    bodySize: body.length,
    event: 'probe.event',
  });
}

/** Fills a store in-process, as an owner that set `maxDeliveries` (as listen --max-deliveries does). */
async function fill(
  dir: string,
  ids: readonly string[],
  options: { maxDeliveries?: number; size?: number } = {},
): Promise<void> {
  const store = await DeliveryStore.open(dir, {
    ...(options.maxDeliveries === undefined ? {} : { maxDeliveries: options.maxDeliveries }),
  });
  assert.equal(store.mode, 'owner');
  for (let start = 0; start < ids.length; start += 1_000) {
    await Promise.all(
      ids.slice(start, start + 1_000).map((id) => store.put(delivery(id, options.size))),
    );
  }
  await store.close();
}

/** Every file under `dir`: its path, mode and bytes, as one digest. */
async function folderDigest(dir: string): Promise<string> {
  const hash = createHash('sha256');
  const walk = async (at: string, prefix: string): Promise<void> => {
    const entries = (await readdir(at, { withFileTypes: true })).sort((a, b) =>
      a.name.localeCompare(b.name),
    );
    for (const entry of entries) {
      const full = join(at, entry.name);
      hash.update(`${prefix}${entry.name}\0`);
      if (entry.isDirectory()) await walk(full, `${prefix}${entry.name}/`);
      else hash.update(`${(await stat(full)).mode}\0`).update(await readFile(full));
    }
  };
  await walk(dir, '');
  return hash.digest('hex');
}

async function readStore(dir: string): Promise<DeliveryStore> {
  return DeliveryStore.open(dir, { access: 'read' });
}

/** Resolves once `check()` returns a value; rejects with `what()` after `timeoutMs`. */
async function until<T>(
  check: () => T | undefined,
  what: () => string,
  timeoutMs = 10_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what()}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** `promise`, or a rejection naming `what()` if it has not settled after `timeoutMs`. */
async function within<T>(promise: Promise<T>, timeoutMs: number, what: () => string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`Timed out waiting for ${what()}`)), timeoutMs);
  });
  try {
    return await Promise.race([promise, deadline]);
  } finally {
    clearTimeout(timer);
  }
}

interface PipedCli {
  readonly child: ChildProcess;
  readonly pid: number;
  stderr(): string;
  /** Resolves with the exit code (null if killed by a signal). */
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** Starts reading stdout (nothing is read before) and resolves with all of it at its end. */
  readAll(): Promise<Buffer>;
}

/**
 * Runs the built CLI with stdout on a real pipe that this test does not read until `readAll()`:
 * the reader is stalled until then. stderr is collected as it comes.
 */
function spawnPiped(args: readonly string[], env: Record<string, string> = {}): PipedCli {
  const childEnv: NodeJS.ProcessEnv = { ...process.env, ...env };
  delete childEnv.HOOKLENS_SECRET;
  const child = spawn(process.execPath, [cliPath, ...args], {
    env: childEnv,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const pid = child.pid ?? assert.fail('no pid');
  started.set(pid, child);
  let stderr = '';
  child.stderr?.setEncoding('utf8').on('data', (text: string) => (stderr += text));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  // Collected from the start, but paused: nothing is read until readAll(). (Node resumes a
  // child's stdout when the child exits; the listener keeps those bytes for the test.)
  const out = child.stdout ?? assert.fail('no stdout');
  const chunks: Buffer[] = [];
  out.on('data', (chunk: Buffer) => chunks.push(chunk));
  out.pause();
  const ended = new Promise<Buffer>((resolve, reject) => {
    out.once('end', () => resolve(Buffer.concat(chunks)));
    out.once('error', reject);
  });
  return {
    child,
    pid,
    stderr: () => stderr,
    exited,
    readAll: () => {
      out.resume();
      return ended;
    },
  };
}

function listeningPort(stderr: string): number | undefined {
  const match = /HookLens listening on http:\/\/127\.0\.0\.1:(\d+)\//.exec(stderr);
  return match ? Number(match[1]) : undefined;
}

function skippedTotal(stderr: string): number {
  let total = 0;
  for (const match of stderr.matchAll(
    /skipped ([\d,]+) lines?: stdout is not being read; the deliveries are in the store/g,
  )) {
    total += Number((match[1] ?? '0').replace(/,/g, ''));
  }
  return total;
}

describe('issue 14 item 1: read commands never change the store; retention belongs to the store', () => {
  it('D-12: stats, export and generate leave every byte of a store kept by --max-deliveries 50000 unchanged (10,050 deliveries, above the 10,000 default)', async () => {
    const dir = await tempDir();
    const ids = Array.from({ length: 10_050 }, (_, i) => `keep-${String(i).padStart(5, '0')}`);
    await fill(dir, ids, { maxDeliveries: 50_000 });
    const before = await folderDigest(dir);

    const stats = await runCli(['stats', '--store', dir, '--json']);
    assert.equal(stats.status, 0, stats.stderr);
    assert.equal((JSON.parse(stats.stdout) as { total: number }).total, 10_050);
    assert.equal(await folderDigest(dir), before, 'hooklens stats changed the store');

    const exported = await runCli(['export', '--store', dir, '--ids', 'keep-00000,keep-10049']);
    assert.equal(exported.status, 0, exported.stderr);
    assert.equal(exported.stdout.trim().split('\n').length, 2);
    assert.equal(await folderDigest(dir), before, 'hooklens export changed the store');

    const out = await tempDir();
    const generated = await runCli([
      'generate',
      '--store',
      dir,
      '--lang',
      'typescript',
      '--out',
      out,
      '--limit',
      '3',
    ]);
    assert.equal(generated.status, 0, generated.stderr);
    assert.equal(await folderDigest(dir), before, 'hooklens generate changed the store');

    const store = await readStore(dir);
    assert.equal(store.size, 10_050);
    assert.equal(
      store.summary('keep-00000')?.id,
      'keep-00000',
      'the oldest delivery is still there',
    );
    await store.close();
  });

  it('D-12: listen --max-deliveries is recorded in the store; a later listen without it keeps to it; a smaller one says what it removes before removing it', async () => {
    const dir = await tempDir();
    const first = await startListen(['--store', dir, '--max-deliveries', '150']);
    assert.equal((await post(first.port, JSON.stringify({ type: 'a' }))).status, 200);
    assert.equal((await first.stop()).code, 0);
    let store = await readStore(dir);
    assert.equal(store.retention.recorded?.maxDeliveries, 150);
    await store.close();

    // 120 in all, stored by an owner that sets no limits: it keeps to the recorded 150.
    await fill(
      dir,
      Array.from({ length: 119 }, (_, i) => `r${i}`),
    );
    const plain = await startListen(['--store', dir]);
    assert.equal((await plain.stop()).code, 0);
    assert.doesNotMatch(plain.stderr(), /removes/);
    store = await readStore(dir);
    assert.equal(store.size, 120);
    await store.close();

    const smaller = await startListen(['--store', dir, '--max-deliveries', '100']);
    const stderr = smaller.stderr();
    const notice = stderr.indexOf(
      'holds 120 deliveries (the limits recorded in it are 150 deliveries and 512 MiB); keeping at most 100 deliveries and 512 MiB now removes the 20 oldest deliveries for good.',
    );
    assert.ok(notice >= 0, stderr);
    assert.ok(notice < stderr.indexOf('HookLens listening'), 'said before it started');
    assert.equal((await smaller.stop()).code, 0);
    store = await readStore(dir);
    assert.equal(store.size, 100);
    assert.equal(store.retention.recorded?.maxDeliveries, 100);
    await store.close();
  });

  it('D-12: import into a full store says what it would remove and changes nothing; --evict-oldest imports and removes them', async () => {
    const dir = await tempDir();
    await fill(
      dir,
      Array.from({ length: 100 }, (_, i) => `own-${String(i).padStart(3, '0')}`),
      { maxDeliveries: 100 },
    );
    const source = await tempDir();
    await fill(source, ['in-1', 'in-2', 'in-3']);
    const file = join(await tempDir(), 'three.ndjson');
    const exported = await runCli(['export', '--store', source, '--out', file]);
    assert.equal(exported.status, 0, exported.stderr);
    const before = await folderDigest(dir);

    const refused = await runCli(['import', file, '--store', dir]);
    assert.equal(refused.status, 1, refused.stdout);
    assert.match(refused.stderr, /would remove the 3 oldest stored deliveries, received /);
    assert.match(
      refused.stderr,
      /keeps at most 100 deliveries and 512 MiB and holds 100 deliveries/,
    );
    assert.match(refused.stderr, /Nothing was imported\. Run again with --evict-oldest/);
    assert.equal(await folderDigest(dir), before, 'a refused import changed the store');

    const evicting = await runCli(['import', file, '--store', dir, '--evict-oldest']);
    assert.equal(evicting.status, 0, evicting.stderr);
    assert.match(evicting.stderr, /removed the 3 oldest deliveries to make room/);
    const store = await readStore(dir);
    assert.equal(store.size, 100);
    for (const id of ['in-1', 'in-2', 'in-3', 'own-003']) assert.ok(store.summary(id), id);
    for (const id of ['own-000', 'own-001', 'own-002'])
      assert.equal(store.summary(id), undefined, id);
    await store.close();
  });
});

describe('issue 14 item 2: output reaches the reader whole, and a closed pipe has a defined status', () => {
  it('a slow reader gets every byte of a ~1 MB export, and the status is 0', async () => {
    const dir = await tempDir();
    await fill(
      dir,
      Array.from({ length: 10 }, (_, i) => `big-${i}`),
      { size: 100_000 },
    );
    const file = join(await tempDir(), 'all.ndjson');
    assert.equal((await runCli(['export', '--store', dir, '--out', file])).status, 0);
    const expected = await readFile(file);
    assert.ok(expected.length > 1_000_000, `${expected.length} bytes`);

    const exporter = spawnPiped(['export', '--store', dir]);
    // The reader is slow: it starts a moment after the export began, like `| (sleep .5; wc -c)`.
    await new Promise((resolve) => setTimeout(resolve, 500));
    const received = await exporter.readAll();
    const exit = await exporter.exited;
    assert.equal(exit.code, 0, exporter.stderr());
    assert.equal(received.length, expected.length);
    assert.ok(received.equals(expected), 'the piped export is the same bytes as --out');
  });

  it('export | head -c 10 ends with status 141 (128 + SIGPIPE), quietly', async () => {
    const dir = await tempDir();
    await fill(
      dir,
      Array.from({ length: 10 }, (_, i) => `big-${i}`),
      { size: 100_000 },
    );
    const exporter = spawnPiped(['export', '--store', dir]);
    const out = exporter.child.stdout ?? assert.fail('no stdout');
    const first = await new Promise<Buffer>((resolve) => {
      out.once('data', (chunk: Buffer) => resolve(chunk));
      out.resume();
    });
    assert.ok(first.length >= 1);
    out.destroy(); // The reader had its 10 bytes and closes the pipe.
    const exit = await exporter.exited;
    assert.equal(exit.code, 141);
    assert.equal(exporter.stderr(), '');
  });

  it(
    'a stdout that cannot be written (/dev/full) exits 1 and says why',
    { skip: !existsSync('/dev/full') },
    async () => {
      const dir = await tempDir();
      await fill(dir, ['x-1', 'x-2']);
      const full = await openFile('/dev/full', 'w');
      try {
        const child = spawn(process.execPath, [cliPath, 'export', '--store', dir], {
          stdio: ['ignore', full.fd, 'pipe'],
        });
        let stderr = '';
        (child.stderr ?? assert.fail('no stderr'))
          .setEncoding('utf8')
          .on('data', (text: string) => (stderr += text));
        const code = await new Promise<number | null>((resolve) => child.once('close', resolve));
        assert.equal(code, 1);
        assert.match(stderr, /^hooklens export: cannot write to stdout: ENOSPC/);
      } finally {
        await full.close();
      }
    },
  );

  it('listen | head: the reader closing stdout stops listen cleanly (status 0), the delivery stored', async () => {
    const dir = await tempDir();
    const listener = spawnPiped(['listen', '--port', '0', '--store', dir]);
    const port = await until(
      () => listeningPort(listener.stderr()),
      () => `listen to start: ${listener.stderr()}`,
    );
    listener.child.stdout?.destroy(); // `| head -n 0`: the reader is gone.
    assert.equal((await post(port, JSON.stringify({ type: 'after-close' }))).status, 200);
    const exit = await listener.exited;
    assert.equal(exit.code, 0, listener.stderr());
    assert.match(listener.stderr(), /stdout was closed; stopping/);
    const store = await readStore(dir);
    assert.equal(store.size, 1);
    await store.close();
  });
});

describe('issue 14 item 2: tail | head', () => {
  it('the reader closing stdout stops tail cleanly (status 0)', async () => {
    const dir = await tempDir();
    const listener = await startListen(['--store', dir]);
    const tailer = spawnPiped(['tail', '--store', dir]);
    await until(
      () => (/connected to/.test(tailer.stderr()) ? true : undefined),
      () => `tail to connect; stderr: ${tailer.stderr()}`,
    );
    tailer.child.stdout?.destroy();
    assert.equal((await post(listener.port, JSON.stringify({ type: 'after-close' }))).status, 200);
    const exit = await within(tailer.exited, 10_000, () => `tail to stop: ${tailer.stderr()}`);
    assert.equal(exit.code, 0, tailer.stderr());
    assert.equal((await listener.stop()).code, 0);
  });
});

describe('issue 14 item 3: a stalled reader of listen/tail costs bounded memory, and what is queued is flushed at a clean stop', () => {
  const COUNT = 40;
  const bodyOf = (i: number): string =>
    JSON.stringify({ type: 'big.event', n: i, pad: 'b'.repeat(200_000) });

  it('listen --json: lines are skipped and counted while stdout is not read; SIGTERM flushes the rest; every delivery is stored', async () => {
    const dir = await tempDir();
    const listener = spawnPiped(['listen', '--port', '0', '--json', '--store', dir]);
    const port = await until(
      () => listeningPort(listener.stderr()),
      () => `listen to start: ${listener.stderr()}`,
    );
    for (let i = 0; i < COUNT; i++) {
      assert.equal((await post(port, bodyOf(i))).status, 200);
    }
    await until(
      () => (/stdout is not being read: skipping lines/.test(listener.stderr()) ? true : undefined),
      () => `the skipping notice; stderr: ${listener.stderr()}`,
    );
    // Stopped while the reader is still stalled: the queued lines must still arrive.
    process.kill(listener.pid, 'SIGTERM');
    await until(
      () => (/stopped \(40 deliveries in the store\)/.test(listener.stderr()) ? true : undefined),
      () => `listen to stop; stderr: ${listener.stderr()}`,
    );
    const received = (await listener.readAll()).toString('utf8');
    const exit = await listener.exited;
    assert.equal(exit.code, 0, listener.stderr());
    const lines = received.split('\n').slice(0, -1);
    const ids = new Set(lines.map((line) => (JSON.parse(line) as { id: string }).id));
    assert.equal(ids.size, lines.length, 'no line twice, none torn');
    const skipped = skippedTotal(listener.stderr());
    assert.ok(skipped > 0, listener.stderr());
    assert.ok(lines.length > 0);
    assert.equal(lines.length + skipped, COUNT, `${lines.length} lines + ${skipped} skipped`);
    const store = await readStore(dir);
    assert.equal(store.size, COUNT);
    await store.close();
  });

  it('tail --json: the same bound and count when its reader stalls', async () => {
    const dir = await tempDir();
    const listener = await startListen(['--store', dir]);
    const tailer = spawnPiped(['tail', '--json', '--store', dir]);
    await until(
      () => (/connected to/.test(tailer.stderr()) ? true : undefined),
      () => `tail to connect; stderr: ${tailer.stderr()}`,
    );
    for (let i = 0; i < COUNT; i++) {
      assert.equal((await post(listener.port, bodyOf(i))).status, 200);
    }
    await until(
      () => (/stdout is not being read: skipping lines/.test(tailer.stderr()) ? true : undefined),
      () => `the skipping notice; stderr: ${tailer.stderr()}`,
    );
    // Every event reached tail (skipped or queued) once the listener has all 40 stored and tail
    // printed or counted them: stop tail, then read what it queued.
    process.kill(tailer.pid, 'SIGTERM');
    const received = (await tailer.readAll()).toString('utf8');
    const exit = await tailer.exited;
    assert.equal(exit.code, 0, tailer.stderr());
    const lines = received.split('\n').slice(0, -1);
    const events = lines.map((line) => JSON.parse(line) as { type: string });
    assert.ok(events.every((event) => event.type === 'delivery.new'));
    const skipped = skippedTotal(tailer.stderr());
    assert.ok(skipped > 0, tailer.stderr());
    assert.ok(lines.length + skipped <= COUNT, `${lines.length} lines + ${skipped} skipped`);
    assert.equal((await listener.stop()).code, 0);
  });
});

describe('issue 14 item 4: a listen that loses its lock says so at once and stops', () => {
  it('D-09/L-08: suspended (SIGSTOP) until another listen takes the store, then resumed: it reports the takeover and exits 1; the new owner keeps storing', async () => {
    const dir = await tempDir();
    // The lock's timing is injected: heartbeat every 100 ms (so a resumed process checks at
    // once), and the second listen judges any heartbeat older than 1 ms stale.
    const suspended = await startListen(['--store', dir], { HOOKLENS_LOCK_HEARTBEAT_MS: '100' });
    assert.equal((await post(suspended.port, JSON.stringify({ type: 'before' }))).status, 200);
    process.kill(suspended.pid, 'SIGSTOP');
    const taker = await startListen(['--store', dir], { HOOKLENS_LOCK_STALE_MS: '1' });
    assert.match(taker.stderr(), /left a stale lock/);
    process.kill(suspended.pid, 'SIGCONT');
    const exit = await within(
      suspended.exited,
      10_000,
      () => `the resumed listen to stop; it kept running (a zombie): ${suspended.stderr()}`,
    );
    assert.equal(exit.code, 1, suspended.stderr());
    assert.match(
      suspended.stderr(),
      new RegExp(
        `store: another HookLens \\(pid ${taker.pid} on [^)]+\\) took over the store .*stopping`,
      ),
    );
    assert.equal((await post(taker.port, JSON.stringify({ type: 'after' }))).status, 200);
    assert.equal((await taker.stop()).code, 0);
    const store = await readStore(dir);
    assert.equal(store.size, 2);
    await store.close();
  });
});

describe('issue 14 item 7: export files are readable by their owner only', () => {
  it('D-15: export --out writes 0600, also over an existing 0644 file, with --keep-authorization', async () => {
    const dir = await tempDir();
    await fill(dir, ['secret-1']);
    const folder = await tempDir();
    const fresh = join(folder, 'fresh.ndjson');
    const result = await runCli(['export', '--store', dir, '--out', fresh, '--keep-authorization']);
    assert.equal(result.status, 0, result.stderr);
    assert.equal((await stat(fresh)).mode & 0o777, 0o600);

    const existing = join(folder, 'existing.har');
    await writeFile(existing, 'old content');
    await chmod(existing, 0o644);
    const over = await runCli(['export', '--store', dir, '--format', 'har', '--out', existing]);
    assert.equal(over.status, 0, over.stderr);
    assert.equal((await stat(existing)).mode & 0o777, 0o600);
    assert.match(await readFile(existing, 'utf8'), /"secret-1"|secret-1/);

    const dated = await runCli(['export', '--store', dir, '--out', folder]);
    assert.equal(dated.status, 0, dated.stderr);
    const name = (await readdir(folder)).find(
      (file) => file.endsWith('.ndjson') && file !== 'fresh.ndjson',
    );
    assert.ok(name);
    assert.equal((await stat(join(folder, name))).mode & 0o777, 0o600);
  });
});
