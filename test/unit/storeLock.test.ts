// One writer per store (D-09): a second open becomes a viewer, stale locks are taken over, and
// an owner that lost its lock stops writing.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdir, readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import type { DeliveryStore } from '../../src/core/store/deliveryStore';
import {
  type DeliveryInput,
  type LockInfo,
  type StoreChangeEvent,
  type StoreMode,
  StoreWriteError,
} from '../../src/core/store/deliveryStore';
import { aGenericDelivery } from './builders';
import { useStoreFixtures } from './storeFixtures';

const { tempDir, open } = useStoreFixtures('hooklens-store-lock-');

const delivery = (id: string): DeliveryInput =>
  aGenericDelivery(id, {
    sender: 'rapida',
    verification: { verdict: 'missing_token', reason: 'No Authorization header.' },
    response: { status: 200, headers: [], body: '', timeMs: 1 },
  });

async function readLock(dir: string): Promise<LockInfo> {
  return JSON.parse(await readFile(join(dir, 'store.lock'), 'utf8')) as LockInfo;
}

async function writeLock(dir: string, info: Partial<LockInfo>): Promise<void> {
  await mkdir(dir, { recursive: true });
  const now = new Date().toISOString();
  await writeFile(
    join(dir, 'store.lock'),
    JSON.stringify({
      pid: process.pid,
      hostname: hostname(),
      startedAt: now,
      heartbeatAt: now,
      ownerId: 'someone-else',
      ...info,
    }),
  );
}

/** A pid that certainly belonged to a process which has exited. */
function deadPid(): number {
  const child = spawnSync(process.execPath, ['-e', '']);
  assert.ok(child.pid);
  return child.pid;
}

function nextMode(store: DeliveryStore): Promise<StoreMode> {
  // The heartbeat timer is unref'd (it must not keep a CLI alive), so hold the loop open here.
  const keepAlive = setInterval(() => undefined, 1_000);
  return new Promise((resolve) => {
    const subscription = store.onDidChangeMode((mode) => {
      subscription.dispose();
      clearInterval(keepAlive);
      resolve(mode);
    });
  });
}

describe('DeliveryStore single writer (D-09)', () => {
  it('D-09: a second open of the same folder is a viewer; its writes reject with the owner pid', async () => {
    const dir = await tempDir();
    const owner = await open(dir);
    await owner.put(delivery('a'));
    const viewer = await open(dir);
    assert.equal(owner.mode, 'owner');
    assert.equal(viewer.mode, 'viewer');
    assert.equal(viewer.lockHolder?.pid, process.pid);
    assert.deepEqual(viewer.summaries(), owner.summaries());
    assert.equal((await viewer.get('a'))?.id, 'a');
    await assert.rejects(viewer.put(delivery('b')), (error: unknown) => {
      assert.ok(error instanceof StoreWriteError);
      assert.equal(error.code, 'NOT_OWNER');
      assert.match(
        error.message,
        new RegExp(`another HookLens window \\(pid ${process.pid}\\)`, 'i'),
      );
      assert.match(error.message, /owns this store/);
      return true;
    });
    await assert.rejects(viewer.delete(['a']), { code: 'NOT_OWNER' });
    await assert.rejects(viewer.clear(), { code: 'NOT_OWNER' });
    assert.equal(owner.size, 1, 'the viewer changed nothing');
  });

  it('D-09: a viewer refresh() picks up what the owner appended, replaced and deleted', async () => {
    const dir = await tempDir();
    const owner = await open(dir);
    await owner.put(delivery('a'));
    await owner.put(delivery('b'));
    const viewer = await open(dir);
    const events: StoreChangeEvent[] = [];
    viewer.onDidChange((event) => events.push(event));
    await owner.put(delivery('c'));
    await owner.put({
      ...delivery('a'),
      response: { status: 500, headers: [], body: '', timeMs: 2 },
    });
    await owner.delete(['b']);
    await viewer.refresh();
    assert.deepEqual(
      viewer.summaries().map((s) => [s.id, s.seq, s.status]),
      [
        ['c', 3, 200],
        ['a', 1, 500],
      ],
    );
    assert.deepEqual(events, [{ added: ['c'], updated: ['a'], deleted: ['b'], cleared: false }]);
    assert.equal((await viewer.get('a'))?.response?.status, 500);
  });

  it('D-09: a viewer sees an owner compaction or clear by re-reading everything', async () => {
    const dir = await tempDir();
    const owner = await open(dir, { segmentMaxBytes: 700 });
    for (const id of ['a', 'b', 'c', 'd']) {
      await owner.put(delivery(id));
    }
    const viewer = await open(dir);
    await owner.clear();
    await owner.put(delivery('e'));
    await owner.whenIdle();
    await viewer.refresh();
    assert.deepEqual(
      viewer.summaries().map((s) => s.id),
      ['e'],
    );
    assert.equal((await viewer.get('e'))?.id, 'e');
  });

  it('D-09: tryTakeOver() fails while the owner lives and succeeds once it closed', async () => {
    const dir = await tempDir();
    const owner = await open(dir);
    await owner.put(delivery('a'));
    const viewer = await open(dir);
    assert.equal(await viewer.tryTakeOver(), false);
    assert.equal(viewer.mode, 'viewer');
    await owner.close();
    await assert.rejects(stat(join(dir, 'store.lock')), { code: 'ENOENT' });
    const modeChange = nextMode(viewer);
    assert.equal(await viewer.tryTakeOver(), true);
    assert.equal(await modeChange, 'owner');
    const stored = await viewer.put(delivery('b'));
    assert.equal(stored.seq, 2);
    assert.equal((await readLock(dir)).pid, process.pid);
    await viewer.close();
    const reopened = await open(dir);
    assert.equal(reopened.size, 2);
  });

  it('D-09: a stale lock left by a dead process is taken over at open, with a note', async () => {
    const dir = await tempDir();
    const pid = deadPid();
    await writeLock(dir, { pid });
    const store = await open(dir);
    assert.equal(store.mode, 'owner');
    const note = store.recoveryReport.notes.find((n) => n.kind === 'stale-lock');
    assert.ok(note);
    assert.match(note.message, new RegExp(`pid ${pid}`));
    assert.notEqual((await readLock(dir)).ownerId, 'someone-else');
    await store.put(delivery('a'));
  });

  it('D-09: a lock whose heartbeat is older than staleAfterMs is taken over even if the pid lives', async () => {
    const dir = await tempDir();
    await writeLock(dir, { heartbeatAt: new Date(Date.now() - 60 * 60 * 1000).toISOString() });
    const store = await open(dir, { staleAfterMs: 15_000 });
    assert.equal(store.mode, 'owner');
  });

  it('D-09: a fresh lock from another host is respected (its pid means nothing here)', async () => {
    const dir = await tempDir();
    await writeLock(dir, { hostname: 'some-other-machine', pid: deadPid() });
    const store = await open(dir);
    assert.equal(store.mode, 'viewer');
    assert.equal(store.lockHolder?.hostname, 'some-other-machine');
    await assert.rejects(store.put(delivery('x')), /some-other-machine/);
  });

  it('D-09: the stale check uses the injected clock', async () => {
    const dir = await tempDir();
    await writeLock(dir, { heartbeatAt: '2025-01-01T00:00:00.000Z' });
    const early = await open(dir, { now: () => Date.parse('2025-01-01T00:00:05.000Z') });
    assert.equal(early.mode, 'viewer');
    const late = await open(dir, { now: () => Date.parse('2025-01-01T00:01:00.000Z') });
    assert.equal(late.mode, 'owner');
  });

  it('D-09: an owner whose lock was taken steps down to viewer and refuses writes', async () => {
    const dir = await tempDir();
    const owner = await open(dir, { heartbeatMs: 10 });
    await owner.put(delivery('a'));
    const modeChange = nextMode(owner);
    // Someone judged our heartbeat stale (say the laptop slept) and took the store.
    await writeLock(dir, { ownerId: 'the-new-owner' });
    assert.equal(await modeChange, 'viewer');
    await assert.rejects(owner.put(delivery('b')), { code: 'NOT_OWNER' });
    await owner.close();
    assert.equal((await readLock(dir)).ownerId, 'the-new-owner', 'close left their lock alone');
  });

  it('D-09/L-08: an owner paused past staleAfterMs asks its lock before writing: taken over, its next put is refused and nothing is appended', async () => {
    const dir = await tempDir();
    let clock = Date.parse('2025-01-01T00:00:00.000Z');
    // A heartbeat that never fires on its own: the process is "suspended" between beats.
    const paused = await open(dir, { heartbeatMs: 3_600_000, now: () => clock });
    await paused.put(delivery('before'));
    const segmentsBefore = await segmentSizes(dir);
    // Another process judges the lock stale (its clock is a minute on) and takes the store.
    const taker = await open(dir, { now: () => clock + 60_000 });
    assert.equal(taker.mode, 'owner');
    await taker.put(delivery('taker'));
    const modeChange = nextMode(paused);
    clock += 60_000; // The paused process resumes a minute later and a delivery arrives.
    await assert.rejects(paused.put(delivery('after-resume')), { code: 'NOT_OWNER' });
    assert.equal(await modeChange, 'viewer');
    assert.equal(paused.lockHolder?.ownerId, (await readLock(dir)).ownerId);
    const segmentsAfter = await segmentSizes(dir);
    for (const [name, size] of segmentsBefore) {
      assert.equal(segmentsAfter.get(name), size, `${name} got nothing from the deposed owner`);
    }
    await taker.close();
    const reopened = await open(dir);
    assert.deepEqual(
      reopened
        .summaries()
        .map((s) => s.id)
        .sort(),
      ['before', 'taker'],
    );
  });

  it('an owner that lost the store and took it back commits eventual writes again', async () => {
    const dir = await tempDir();
    let clock = Date.parse('2025-01-01T00:00:00.000Z');
    const paused = await open(dir, { heartbeatMs: 3_600_000, now: () => clock });
    await paused.put(delivery('before'));
    const taker = await open(dir, { now: () => clock + 60_000 });
    clock += 60_000;
    // Refused in the commit that finds the lock taken, with a second put queued behind it.
    const first = paused.put(delivery('x1'));
    await new Promise((resolve) => setImmediate(resolve));
    const second = paused.put(delivery('x2'));
    await assert.rejects(first, { code: 'NOT_OWNER' });
    await assert.rejects(second, { code: 'NOT_OWNER' });
    await taker.close();
    assert.equal(await paused.tryTakeOver(), true);
    await paused.whenIdle(); // Its retention and maintenance after taking over are done.
    // The refused batch left no "commit wanted" behind: this write lingers and then commits.
    const eventual = await paused.put(delivery('eventual'), { eventual: true });
    assert.equal(eventual.id, 'eventual');
    assert.ok(paused.summaries().some((summary) => summary.id === 'eventual'));
  });

  it('D-09: the owner heartbeat keeps rewriting the lock', async () => {
    const dir = await tempDir();
    let clock = Date.parse('2025-01-01T00:00:00.000Z');
    const owner = await open(dir, { heartbeatMs: 10, now: () => clock });
    const first = await readLock(dir);
    clock += 60_000;
    for (;;) {
      await new Promise((resolve) => setImmediate(resolve));
      const current = await readLock(dir).catch(() => first);
      if (current.heartbeatAt !== first.heartbeatAt) {
        assert.equal(current.heartbeatAt, '2025-01-01T00:01:00.000Z');
        assert.equal(current.startedAt, first.startedAt);
        break;
      }
    }
    assert.equal(owner.mode, 'owner');
  });
});

async function segmentSizes(dir: string): Promise<Map<string, number>> {
  const sizes = new Map<string, number>();
  for (const name of await readdir(join(dir, 'segments'))) {
    sizes.set(name, (await stat(join(dir, 'segments', name))).size);
  }
  return sizes;
}
