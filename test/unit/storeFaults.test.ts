// The delivery store under disk faults: nothing unpersisted is ever reported as stored
// (D-05 disk full, D-06 folder gone / not writable / read-only, D-07 fdatasync EIO).
import assert from 'node:assert/strict';
import { chmod, readdir, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import {
  type DeliveryInput,
  type StoreChangeEvent,
  type StoreHealth,
  StoreWriteError,
} from '../../src/core/store/deliveryStore';
import { FaultInjectingFileSystem } from '../../src/core/store/faultInjection';
import { aGenericDelivery } from './builders';
import { useStoreFixtures } from './storeFixtures';

const runningAsRoot = typeof process.getuid === 'function' && process.getuid() === 0;
const { tempDir, open } = useStoreFixtures('hooklens-store-faults-');

const delivery = (id: string): DeliveryInput => aGenericDelivery(id);

function isWriteError(code: string, message: RegExp) {
  return (error: unknown) => {
    assert.ok(error instanceof StoreWriteError, String(error));
    assert.equal(error.code, code);
    assert.match(error.message, message);
    return true;
  };
}

async function segmentSizes(dir: string): Promise<Record<string, number>> {
  const sizes: Record<string, number> = {};
  for (const name of (await readdir(join(dir, 'segments'))).sort()) {
    sizes[name] = (await stat(join(dir, 'segments', name))).size;
  }
  return sizes;
}

describe('DeliveryStore disk faults', () => {
  it('D-07: fdatasync EIO rejects every op of that batch; the next batch uses a new segment', async () => {
    const dir = await tempDir();
    const fileSystem = new FaultInjectingFileSystem();
    const store = await open(dir, { fileSystem });
    const healths: StoreHealth[] = [];
    const changes: StoreChangeEvent[] = [];
    store.onDidChangeHealth((health) => healths.push(health));
    store.onDidChange((event) => changes.push(event));
    await store.put(delivery('ok1'));
    const goodSizes = await segmentSizes(dir);

    fileSystem.failNext('datasync', 'EIO');
    const failed = ['f1', 'f2', 'f3'].map((id) => store.put(delivery(id)));
    for (const attempt of failed) {
      await assert.rejects(attempt, isWriteError('EIO', /I\/O error/));
    }
    assert.equal(store.health.state, 'failing');
    assert.equal(healths.at(-1)?.state, 'failing');
    for (const id of ['f1', 'f2', 'f3']) {
      assert.equal(store.summary(id), undefined);
      assert.equal(await store.get(id), undefined);
    }
    // fsyncgate: the failed segment is cut back to its last good size and never written again.
    assert.deepEqual(await segmentSizes(dir), goodSizes);

    const next = await store.put(delivery('ok2'));
    assert.equal(store.summary(next.id)?.location.segment, 2);
    assert.equal(store.health.state, 'ok');
    assert.deepEqual(healths.at(-1), { state: 'ok' });
    assert.equal((await segmentSizes(dir))['00000001.jsonl'], goodSizes['00000001.jsonl']);
    const reported = changes.flatMap((event) => [...event.added, ...event.updated]);
    assert.deepEqual(reported, ['ok1', 'ok2'], 'listeners never heard of the failed ids');

    await store.close();
    const reopened = await open(dir);
    assert.deepEqual(
      reopened.summaries().map((s) => s.id),
      ['ok2', 'ok1'],
    );
  });

  it('D-05: ENOSPC on write rejects with a disk-full message and recovers once space is back', async () => {
    const dir = await tempDir();
    const fileSystem = new FaultInjectingFileSystem();
    const store = await open(dir, { fileSystem });
    fileSystem.failNext('write', 'ENOSPC', { pathIncludes: 'segments', times: 2 });
    await assert.rejects(store.put(delivery('full1')), isWriteError('ENOSPC', /disk is full/));
    await assert.rejects(store.put(delivery('full2')), isWriteError('ENOSPC', /disk is full/));
    const health = store.health;
    assert.equal(health.state === 'failing' && health.code, 'ENOSPC');
    // Failed fresh segments are removed rather than left behind empty.
    assert.deepEqual(await segmentSizes(dir), {});
    await store.put(delivery('space-again'));
    assert.equal(store.health.state, 'ok');
    assert.equal(store.size, 1);
    await store.close();
    const reopened = await open(dir);
    assert.deepEqual(
      reopened.summaries().map((s) => s.id),
      ['space-again'],
    );
  });

  it('D-05: a batch of many ops fails and succeeds as one, none resolved early', async () => {
    const dir = await tempDir();
    const fileSystem = new FaultInjectingFileSystem();
    const store = await open(dir, { fileSystem });
    const gate = fileSystem.pauseNext('datasync');
    const first = store.put(delivery('first'));
    await gate.reached;
    fileSystem.failNext('datasync', 'ENOSPC');
    const queued = Array.from({ length: 20 }, (_, i) => store.put(delivery(`q${i}`)));
    const outcomes = Promise.allSettled(queued);
    gate.release();
    await first;
    const settled = await outcomes;
    assert.ok(settled.every((outcome) => outcome.status === 'rejected'));
    assert.equal(store.size, 1);
  });

  it('D-06: the store folder removed while running: writes fail with a clear error, never succeed silently', async () => {
    const dir = await tempDir();
    const store = await open(dir);
    await store.put(delivery('before'));
    await rm(dir, { recursive: true, force: true });
    await assert.rejects(store.put(delivery('after1')), isWriteError('ENOENT', /was removed/));
    await assert.rejects(store.put(delivery('after2')), isWriteError('ENOENT', /was removed/));
    assert.equal(store.health.state, 'failing');
    assert.equal(store.summary('after1'), undefined);
    await store.close();
  });

  it('D-06: a read-only file system (EROFS) is reported as such', async () => {
    const dir = await tempDir();
    const fileSystem = new FaultInjectingFileSystem();
    const store = await open(dir, { fileSystem });
    fileSystem.failNext('open', 'EROFS', { pathIncludes: 'segments' });
    await assert.rejects(store.put(delivery('ro')), isWriteError('EROFS', /read-only/));
    await store.put(delivery('rw'));
    assert.equal(store.size, 1);
  });

  it(
    'D-06: a segments folder without write permission (EACCES) refuses clearly',
    { skip: runningAsRoot ? 'root ignores directory permissions' : false },
    async () => {
      const dir = await tempDir();
      const store = await open(dir, { segmentMaxBytes: 600 });
      await store.put(delivery('first'));
      await chmod(join(dir, 'segments'), 0o500);
      // The next put needs a new segment (rotation), which the folder no longer allows.
      await assert.rejects(store.put(delivery('second')), isWriteError('EACCES', /permission/));
      await chmod(join(dir, 'segments'), 0o700);
      await store.put(delivery('third'));
      assert.deepEqual(
        store.summaries().map((s) => s.id),
        ['third', 'first'],
      );
    },
  );
});
