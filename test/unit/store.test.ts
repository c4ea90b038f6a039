// The delivery store: round trips, group commit, replace/delete/clear, reopen, rotation, seq,
// recovery of torn and damaged lines, newer formats, compaction and retention.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { appendFile, readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import type { Attempt } from '../../src/core/delivery';
import {
  DeliveryStore,
  type EvictionNotice,
  type StoreChangeEvent,
  StoreWriteError,
} from '../../src/core/store/deliveryStore';
import { FaultInjectingFileSystem } from '../../src/core/store/faultInjection';
import { crc32, crc32InJavaScript, encodeLine, type StoreOp } from '../../src/core/store/lineCodec';
import { aDelivery } from './builders';
import { useStoreFixtures } from './storeFixtures';

const { tempDir, open } = useStoreFixtures('hooklens-store-');

const delivery = aDelivery;

function attempt(status: number | null, timeMs: number | null): Attempt {
  return {
    id: `a-${String(status)}`,
    kind: 'forward',
    at: '2025-06-01T10:00:01.000Z',
    target: 'http://127.0.0.1:3000/hook',
    tokenMode: 'original',
    status,
    timeMs,
    error: status === null ? 'ECONNREFUSED' : null,
    response: null,
  };
}

async function segmentFiles(dir: string): Promise<string[]> {
  return (await readdir(join(dir, 'segments'))).filter((name) => name.endsWith('.jsonl')).sort();
}

async function lastSegmentPath(dir: string): Promise<string> {
  const files = await segmentFiles(dir);
  return join(dir, 'segments', files.at(-1) ?? assert.fail('no segment'));
}

describe('DeliveryStore basics', () => {
  it('put/get round-trips a record with the exact body bytes', async () => {
    const dir = await tempDir();
    const store = await open(dir);
    const bytes = Buffer.from([0x00, 0xff, 0xc3, 0x28, 0x0a, 0x0d, 0x22, 0x5c, 0xe2, 0x80, 0xa8]);
    const input = delivery('d1', {
      bodyBase64: bytes.toString('base64'),
      bodySize: bytes.length,
      headers: [['X-Weird', 'a\u2028b "quoted" \\ \u0000']],
      parseError: 'Unexpected token',
    });
    const stored = await store.put(input);
    assert.equal(stored.seq, 1);
    assert.deepEqual(stored, { ...input, seq: 1 });
    const read = await store.get('d1');
    assert.deepEqual(read, stored);
    assert.deepEqual(Buffer.from(read?.bodyBase64 ?? '', 'base64'), bytes);
    assert.equal(await store.get('missing'), undefined);
    assert.equal(store.size, 1);
    assert.equal(store.mode, 'owner');
    await store.close();
  });

  it('creates segments/, quarantine/ and store.lock; the lock names this process', async () => {
    const dir = await tempDir();
    const store = await open(dir);
    await store.put(delivery('d1'));
    const lock = JSON.parse(await readFile(join(dir, 'store.lock'), 'utf8')) as Record<
      string,
      unknown
    >;
    assert.equal(lock.pid, process.pid);
    assert.equal(typeof lock.hostname, 'string');
    assert.equal(typeof lock.startedAt, 'string');
    assert.equal(typeof lock.heartbeatAt, 'string');
    assert.deepEqual(await segmentFiles(dir), ['00000001.jsonl']);
    await stat(join(dir, 'quarantine'));
    await store.close();
    await assert.rejects(stat(join(dir, 'store.lock')), { code: 'ENOENT' });
  });

  it('writes one newline-terminated JSON line per operation, checkpoint first', async () => {
    const dir = await tempDir();
    const store = await open(dir);
    await store.put(delivery('d1'));
    await store.delete(['d1']);
    await store.close();
    const text = await readFile(join(dir, 'segments', '00000001.jsonl'), 'utf8');
    assert.ok(text.endsWith('\n'));
    const ops = text
      .trimEnd()
      .split('\n')
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    assert.deepEqual(
      ops.map((op) => op.op),
      ['checkpoint', 'put', 'delete'],
    );
    assert.equal(ops[1]?.v, 1);
    assert.deepEqual(ops[2]?.ids, ['d1']);
  });

  it('group commit: 50 concurrent puts all resolve with far fewer fdatasync calls', async () => {
    const dir = await tempDir();
    const fileSystem = new FaultInjectingFileSystem();
    const store = await open(dir, { fileSystem });
    const ids = Array.from({ length: 50 }, (_, i) => `g${i}`);
    const stored = await Promise.all(ids.map((id) => store.put(delivery(id))));
    assert.equal(stored.length, 50);
    assert.ok(fileSystem.calls.datasync < 50, `${fileSystem.calls.datasync} fdatasync calls`);
    assert.equal(fileSystem.calls.datasync, 1, 'one batch: one write, one fdatasync');
    assert.deepEqual(
      stored.map((r) => r.seq),
      ids.map((_, i) => i + 1),
    );
    assert.equal(store.size, 50);
  });

  it('group commit: ops queued while a batch syncs go together in the next batch', async () => {
    const dir = await tempDir();
    const fileSystem = new FaultInjectingFileSystem();
    const store = await open(dir, { fileSystem });
    const gate = fileSystem.pauseNext('datasync');
    const settled: string[] = [];
    const first = store.put(delivery('a')).then(() => settled.push('a'));
    await gate.reached;
    const rest = ['b', 'c', 'd'].map((id) => store.put(delivery(id)).then(() => settled.push(id)));
    await new Promise((resolve) => setImmediate(resolve));
    assert.deepEqual(settled, [], 'nothing resolves before its batch is fdatasynced');
    assert.equal(store.size, 0);
    gate.release();
    await Promise.all([first, ...rest]);
    assert.deepEqual(settled, ['a', 'b', 'c', 'd']);
    assert.equal(fileSystem.calls.datasync, 2, 'a then [b, c, d]');
  });

  it('an eventual write starts no commit of its own: it rides with the next one', async () => {
    const dir = await tempDir();
    const fileSystem = new FaultInjectingFileSystem();
    const store = await open(dir, { fileSystem });
    await store.put(delivery('a'));
    const syncs = fileSystem.calls.datasync;
    let settled = false;
    const attempt = store
      .update('a', (record) => ({ ...record, event: 'with-attempt' }), { eventual: true })
      .then((record) => {
        settled = true;
        return record;
      });
    await new Promise((resolve) => setImmediate(resolve)); // The update is queued, not committed.
    assert.equal(settled, false);
    assert.equal(fileSystem.calls.datasync, syncs);
    const next = store.put(delivery('b'));
    await next;
    assert.equal((await attempt)?.event, 'with-attempt');
    assert.ok(settled);
    assert.equal(fileSystem.calls.datasync, syncs + 1, 'one fdatasync for the put and the update');
    assert.equal((await store.get('a'))?.event, 'with-attempt');
  });

  it('an eventual write alone is committed after a short linger, and at close at once', async () => {
    const dir = await tempDir();
    const fileSystem = new FaultInjectingFileSystem();
    const store = await open(dir, { fileSystem });
    const syncs = fileSystem.calls.datasync;
    const lingered = await store.put(delivery('alone'), { eventual: true });
    assert.equal(lingered.id, 'alone');
    assert.equal(fileSystem.calls.datasync, syncs + 1);

    // Closing does not wait for the linger, nor lose the write.
    const closing = store.put(delivery('at-close'), { eventual: true });
    await store.close();
    assert.equal((await closing).id, 'at-close');
    const reopened = await DeliveryStore.open(dir, { access: 'read' });
    after(() => reopened.close());
    assert.ok(await reopened.get('at-close'));
  });

  it('whenIdle() commits queued eventual writes rather than waiting for them', async () => {
    const dir = await tempDir();
    const store = await open(dir);
    let settled = false;
    void store.put(delivery('idle'), { eventual: true }).then(() => (settled = true));
    await store.whenIdle();
    await Promise.resolve();
    assert.ok(settled);
  });

  it('whenIdle() also waits for eventual writes queued while it waited', async () => {
    const dir = await tempDir();
    const store = await open(dir);
    const urgent = store.put(delivery('urgent')); // Its commit starts.
    await Promise.resolve();
    const idle = store.whenIdle();
    let settled = false;
    // Queued while the urgent commit syncs: not part of it, and eventual.
    setImmediate(
      () => void store.put(delivery('late'), { eventual: true }).then(() => (settled = true)),
    );
    await urgent;
    await idle;
    await Promise.resolve();
    assert.ok(settled, 'whenIdle() resolved with an eventual write still queued');
  });

  it('a later put for the same id replaces it, keeps its seq and its place', async () => {
    const dir = await tempDir();
    const store = await open(dir);
    await store.put(delivery('x'));
    await store.put(delivery('y'));
    const original = await store.get('x');
    assert.ok(original);
    const updated = await store.put({
      ...original,
      attempts: [attempt(502, 12), attempt(null, null), attempt(201, 7)],
    });
    assert.equal(updated.seq, 1);
    assert.deepEqual(
      store.summaries().map((s) => [s.id, s.seq]),
      [
        ['y', 2],
        ['x', 1],
      ],
    );
    const summary = store.summary('x');
    assert.equal(summary?.attemptCount, 3);
    assert.equal(summary?.status, 201);
    assert.equal(summary?.timeMs, 7);
    assert.deepEqual((await store.get('x'))?.attempts, updated.attempts);
    assert.equal(store.size, 2);
  });

  it('summary status: latest attempt (null if it failed), else the response, else null', async () => {
    const dir = await tempDir();
    const store = await open(dir);
    await store.put(
      delivery('resp', { response: { status: 401, headers: [], body: '', timeMs: 9 } }),
    );
    await store.put(delivery('none', { response: null }));
    await store.put(delivery('failed', { attempts: [attempt(200, 5), attempt(null, null)] }));
    assert.deepEqual(
      ['resp', 'none', 'failed'].map((id) => [
        store.summary(id)?.status,
        store.summary(id)?.timeMs,
      ]),
      [
        [401, 9],
        [null, null],
        [null, null],
      ],
    );
    const summary = store.summary('resp');
    assert.equal(summary?.verdict, 'verified');
    assert.equal(summary?.sender, 'watson');
    assert.equal(summary?.event, 'message_logged');
    assert.equal(summary?.sessionId, 'session-1');
    assert.ok((summary?.bodySize ?? 0) > 200);
    assert.equal(summary?.location.segment, 1);
  });

  it('counts duplicates pointing at a delivery, through deletes and reopen', async () => {
    const dir = await tempDir();
    const store = await open(dir);
    await store.put(delivery('orig'));
    await store.put(delivery('dup1', { duplicateOf: 'orig' }));
    await store.put(delivery('dup2', { duplicateOf: 'orig' }));
    assert.equal(store.summary('orig')?.duplicateCount, 2);
    await store.delete(['dup1']);
    assert.equal(store.summary('orig')?.duplicateCount, 1);
    await store.close();
    const reopened = await open(dir);
    assert.equal(reopened.summary('orig')?.duplicateCount, 1);
    assert.equal(reopened.summary('dup2')?.duplicateOf, 'orig');
  });

  it('delete removes deliveries and fires onDidChange; unknown ids are ignored', async () => {
    const dir = await tempDir();
    const store = await open(dir);
    const events: StoreChangeEvent[] = [];
    const subscription = store.onDidChange((event) => events.push(event));
    await store.put(delivery('a'));
    await store.put(delivery('b'));
    await store.delete(['a', 'nope']);
    assert.equal(store.size, 1);
    assert.equal(await store.get('a'), undefined);
    assert.equal(store.summary('a'), undefined);
    assert.deepEqual(events.at(-1), { added: [], updated: [], deleted: ['a'], cleared: false });
    assert.deepEqual(events[0]?.added, ['a']);
    subscription.dispose();
    await store.put(delivery('c'));
    assert.equal(events.length, 3);
  });

  it('clear removes everything, fires a cleared event and deletes the old segment files', async () => {
    const dir = await tempDir();
    const store = await open(dir, { segmentMaxBytes: 2_000 });
    for (let i = 0; i < 8; i++) {
      await store.put(delivery(`c${i}`));
    }
    assert.ok((await segmentFiles(dir)).length > 1);
    const events: StoreChangeEvent[] = [];
    store.onDidChange((event) => events.push(event));
    await store.clear();
    await store.whenIdle();
    assert.equal(store.size, 0);
    assert.deepEqual(store.summaries(), []);
    assert.equal(events[0]?.cleared, true);
    assert.equal(events[0]?.deleted.length, 8);
    const files = await segmentFiles(dir);
    assert.equal(files.length, 1, `left: ${files.join(', ')}`);
    const remaining = await readFile(join(dir, 'segments', files[0] ?? ''), 'utf8');
    assert.doesNotMatch(remaining, /"op":"put"/, 'no cleared body stays on disk');
    const next = await store.put(delivery('after'));
    assert.equal(next.seq, 9);
    await store.close();
    const reopened = await open(dir);
    assert.deepEqual(
      reopened.summaries().map((s) => s.id),
      ['after'],
    );
  });

  it('reopen restores every delivery, summary and body', async () => {
    const dir = await tempDir();
    const store = await open(dir);
    for (let i = 0; i < 20; i++) {
      await store.put(delivery(`r${i}`, { event: i % 2 ? 'odd' : null }));
    }
    const x = await store.get('r3');
    assert.ok(x);
    await store.put({ ...x, attempts: [attempt(500, 40)] });
    await store.delete(['r7']);
    const summaries = store.summaries();
    const records = await Promise.all(summaries.map((s) => store.get(s.id)));
    await store.close();

    const reopened = await open(dir);
    assert.equal(reopened.recoveryReport.clean, true);
    assert.deepEqual(reopened.summaries(), summaries);
    assert.deepEqual(await Promise.all(summaries.map((s) => reopened.get(s.id))), records);
    assert.equal(reopened.summary('r3')?.status, 500);
  });

  it('rotates at segmentMaxBytes: files stay under the limit and everything reads back', async () => {
    const dir = await tempDir();
    const store = await open(dir, { segmentMaxBytes: 2_000 });
    for (let i = 0; i < 12; i++) {
      await store.put(delivery(`s${i}`));
    }
    const files = await segmentFiles(dir);
    assert.ok(files.length >= 4, `${files.length} segments`);
    for (const file of files) {
      assert.ok((await stat(join(dir, 'segments', file))).size <= 2_000);
    }
    await store.close();
    const reopened = await open(dir, { segmentMaxBytes: 2_000 });
    assert.equal(reopened.size, 12);
    for (let i = 0; i < 12; i++) {
      assert.equal((await reopened.get(`s${i}`))?.id, `s${i}`);
    }
  });

  it('D-11: seq is monotonic and unique across reopen, deletes and clear', async () => {
    const dir = await tempDir();
    const seqs: number[] = [];
    let store = await open(dir);
    for (const id of ['a', 'b', 'c']) {
      seqs.push((await store.put(delivery(id))).seq);
    }
    await store.close();
    store = await open(dir);
    for (const id of ['d', 'e']) {
      seqs.push((await store.put(delivery(id))).seq);
    }
    await store.delete(['e']); // The highest seq is gone from the index...
    await store.close();
    store = await open(dir);
    seqs.push((await store.put(delivery('f'))).seq); // ...but never handed out again.
    await store.clear();
    await store.whenIdle();
    await store.close();
    store = await open(dir);
    seqs.push((await store.put(delivery('g'))).seq);
    assert.deepEqual(seqs, [1, 2, 3, 4, 5, 6, 7]);
    assert.equal(new Set(seqs).size, seqs.length);
  });

  it('rejects a malformed record before writing anything', async () => {
    const dir = await tempDir();
    const store = await open(dir);
    await assert.rejects(store.put({ ...delivery('bad'), headers: 'nope' } as never), TypeError);
    await assert.rejects(store.put({ ...delivery(''), id: '' }), TypeError);
    assert.equal(store.size, 0);
  });

  it('refuses writes after close with a StoreWriteError', async () => {
    const dir = await tempDir();
    const store = await open(dir);
    const pending = store.put(delivery('last'));
    await store.close();
    assert.equal((await pending).id, 'last', 'close flushes queued ops');
    await assert.rejects(store.put(delivery('late')), (error: unknown) => {
      assert.ok(error instanceof StoreWriteError);
      assert.equal(error.code, 'CLOSED');
      return true;
    });
  });
});

describe('DeliveryStore recovery', () => {
  it('D-03: a torn final line is quarantined, the segment cut back, complete records load', async () => {
    const dir = await tempDir();
    const store = await open(dir);
    for (const id of ['t1', 't2', 't3']) {
      await store.put(delivery(id));
    }
    await store.close();
    const file = await lastSegmentPath(dir);
    const goodSize = (await stat(file)).size;
    const torn = encodeLine({ op: 'put', v: 1, record: { ...delivery('t4'), seq: 4 } });
    await appendFile(file, torn.subarray(0, 100)); // The crash hit mid-write.

    const reopened = await open(dir);
    assert.deepEqual(
      reopened.summaries().map((s) => s.id),
      ['t3', 't2', 't1'],
    );
    const note = reopened.recoveryReport.notes.find((n) => n.kind === 'torn-tail');
    assert.ok(note, JSON.stringify(reopened.recoveryReport));
    assert.equal(reopened.recoveryReport.clean, false);
    assert.equal((await stat(file)).size, goodSize);
    const quarantined = await readFile(join(dir, 'quarantine', note.quarantinedAs ?? ''));
    assert.deepEqual(quarantined, torn.subarray(0, 100));
    // The store keeps working, and the next open is clean.
    await reopened.put(delivery('t4'));
    await reopened.close();
    const again = await open(dir);
    assert.equal(again.recoveryReport.clean, true);
    assert.equal(again.size, 4);
  });

  it('D-03: an unparseable final line is treated as torn too', async () => {
    const dir = await tempDir();
    const store = await open(dir);
    await store.put(delivery('u1'));
    await store.close();
    const file = await lastSegmentPath(dir);
    const goodSize = (await stat(file)).size;
    await appendFile(file, '{"crc":"00000000","op":"put","v":1,"rec\n');
    const reopened = await open(dir);
    assert.equal(reopened.size, 1);
    assert.ok(reopened.recoveryReport.notes.some((n) => n.kind === 'torn-tail'));
    assert.equal((await stat(file)).size, goodSize);
  });

  for (const [name, damage] of [
    ['flipped byte inside the body (still valid JSON)', (line: Buffer) => flipBase64Char(line)],
    ['broken JSON', (line: Buffer) => line.fill(0x7d, 40, 41)],
    [
      'wrong shape',
      (_line: Buffer) => encodeLine({ op: 'put', v: 1, record: { id: 'm3' } } as never),
    ],
  ] as const) {
    it(`D-04: a damaged middle record (${name}) is quarantined; later records still load`, async () => {
      const dir = await tempDir();
      const store = await open(dir);
      for (const id of ['m1', 'm2', 'm3', 'm4', 'm5']) {
        await store.put(delivery(id));
      }
      const target = store.summary('m3')?.location;
      assert.ok(target);
      await store.close();
      const file = await lastSegmentPath(dir);
      const content = await readFile(file);
      const line = Buffer.from(content.subarray(target.offset, target.offset + target.length - 1));
      const damaged = damage(Buffer.from(line));
      const rewritten = Buffer.concat([
        content.subarray(0, target.offset),
        damaged.subarray(0, damaged.at(-1) === 0x0a ? damaged.length - 1 : damaged.length),
        content.subarray(target.offset + target.length - 1),
      ]);
      await writeFile(file, rewritten);

      const reopened = await open(dir);
      assert.deepEqual(
        reopened.summaries().map((s) => s.id),
        ['m5', 'm4', 'm2', 'm1'],
      );
      assert.equal((await reopened.get('m5'))?.id, 'm5');
      const note = reopened.recoveryReport.notes.find((n) => n.kind === 'damaged-line');
      assert.ok(note, JSON.stringify(reopened.recoveryReport));
      assert.equal(note.offset, target.offset);
      assert.ok((await readdir(join(dir, 'quarantine'))).includes(note.quarantinedAs ?? ''));
      // Maintenance then rewrites the segment without the damaged line; the next open is clean.
      await reopened.whenIdle();
      await reopened.close();
      const again = await open(dir);
      assert.equal(again.recoveryReport.clean, true, JSON.stringify(again.recoveryReport));
      assert.equal(again.size, 4);
    });
  }

  it('reopen reads records whose other fields mimic the body key (index skips bodies safely)', async () => {
    const dir = await tempDir();
    const store = await open(dir);
    const tricky = [
      delivery('q1', {
        verification: {
          verdict: 'invalid_signature',
          reason: 'Signature does not match.',
          claims: { bodyBase64: 'a"b\\c', nested: { bodyBase64: 'QUJD' } },
        },
      }),
      delivery('q2', {
        headers: [['X-Test', '"bodyBase64":"not a body"']],
        event: '"bodyBase64":"',
      }),
      delivery('q3', { bodyBase64: '', bodySize: 0 }),
    ];
    for (const record of tricky) {
      await store.put(record);
    }
    const before = store.summaries();
    await store.close();
    const reopened = await open(dir);
    assert.equal(reopened.recoveryReport.clean, true);
    assert.deepEqual(reopened.summaries(), before);
    for (const record of tricky) {
      assert.deepEqual(await reopened.get(record.id), {
        ...record,
        seq: tricky.indexOf(record) + 1,
      });
    }
  });

  it('D-14: lines from a newer format open the store read-only, with a warning', async () => {
    const dir = await tempDir();
    const store = await open(dir);
    await store.put(delivery('old'));
    await store.close();
    const newer = encodeLine({
      op: 'put',
      v: 2,
      record: { ...delivery('new'), v: 2, seq: 2 },
    } as unknown as StoreOp);
    const before = await readFile(await lastSegmentPath(dir));
    await appendFile(await lastSegmentPath(dir), newer);

    const reopened = await open(dir);
    assert.equal(reopened.mode, 'readonly');
    assert.match(reopened.readOnlyReason ?? '', /newer HookLens/);
    assert.ok(reopened.recoveryReport.notes.some((n) => n.kind === 'newer-version'));
    assert.equal((await reopened.get('old'))?.id, 'old');
    await assert.rejects(reopened.put(delivery('x')), { code: 'READ_ONLY' });
    await assert.rejects(stat(join(dir, 'store.lock')), { code: 'ENOENT' });
    assert.equal((await readFile(await lastSegmentPath(dir))).length, before.length + newer.length);
  });

  it('D-14: a newer line in an unknown framing (no checksum) also means read-only', async () => {
    const dir = await tempDir();
    const store = await open(dir);
    await store.put(delivery('old'));
    await store.close();
    await appendFile(await lastSegmentPath(dir), '{"v":3,"kind":"something new"}\n');
    const reopened = await open(dir);
    assert.equal(reopened.mode, 'readonly');
    assert.equal(reopened.size, 1);
  });

  it('D-08: a compaction temp file left by a crash is removed; the segment is intact', async () => {
    const dir = await tempDir();
    const store = await open(dir);
    await store.put(delivery('k1'));
    await store.close();
    const leftover = join(dir, 'segments', '00000001.jsonl.compact.tmp');
    await writeFile(leftover, '{"half":');
    const reopened = await open(dir);
    assert.equal(reopened.size, 1);
    assert.ok(reopened.recoveryReport.notes.some((n) => n.kind === 'leftover-file'));
    await assert.rejects(stat(leftover), { code: 'ENOENT' });
  });

  it('D-08: compaction rewrites a mostly dead segment; a crash at rename leaves a consistent store', async () => {
    const dir = await tempDir();
    const fileSystem = new FaultInjectingFileSystem();
    const store = await open(dir, { segmentMaxBytes: 1_900, fileSystem });
    const tiny = Buffer.from('{}');
    await store.put(delivery('keep', { bodyBase64: tiny.toString('base64'), bodySize: 2 }));
    await store.put(delivery('churn'));
    fileSystem.failNext('rename', 'EIO', { pathIncludes: '.compact.tmp' });
    const base = await store.get('churn');
    assert.ok(base);
    for (let i = 0; i < 6; i++) {
      await store.put({ ...base, attempts: [attempt(200 + i, i)] });
    }
    await store.whenIdle();
    assert.equal(fileSystem.calls.rename, 1, 'compaction was tried and failed at rename');
    assert.equal((await store.get('keep'))?.id, 'keep', 'the original segment is untouched');
    assert.equal(
      (await readdir(join(dir, 'segments'))).some((name) => name.endsWith('.tmp')),
      false,
    );
    await store.close();
    const afterCrash = await open(dir, { segmentMaxBytes: 1_900, fileSystem });
    assert.equal(afterCrash.size, 2);
    assert.equal((await afterCrash.get('churn'))?.attempts[0]?.status, 205);
    // The next commit retries maintenance, and this time the rename goes through.
    await afterCrash.put(delivery('more'));
    await afterCrash.whenIdle();
    assert.equal(fileSystem.calls.rename, 2);
    assert.equal((await afterCrash.get('keep'))?.id, 'keep');
    const segmentOne = (await stat(join(dir, 'segments', '00000001.jsonl'))).size;
    assert.ok(segmentOne < 1_000, `segment 1 compacted to ${segmentOne} bytes`);
    await afterCrash.close();
    const reopened = await open(dir, { segmentMaxBytes: 1_900 });
    assert.equal(reopened.recoveryReport.clean, true);
    assert.equal(reopened.size, 3);
    assert.equal((await reopened.get('churn'))?.attempts[0]?.status, 205);
    assert.equal((await reopened.get('keep'))?.id, 'keep');
  });
});

describe('line encoding', () => {
  /** The format's definition: the CRC of the JSON after its `{`, then that JSON, then a newline. */
  function referenceLine(op: StoreOp): Buffer {
    const rest = Buffer.from(JSON.stringify(op).slice(1), 'utf8');
    const crc = crc32(rest).toString(16).padStart(8, '0');
    return Buffer.concat([Buffer.from(`{"crc":"${crc}",`, 'latin1'), rest, Buffer.from('\n')]);
  }

  /** The same record with bodyBase64 as its first key. */
  function bodyFirst<T extends { bodyBase64: string }>(record: T): T {
    const { bodyBase64, ...rest } = record;
    return { bodyBase64, ...rest } as T;
  }

  it('issue 15: a put is encoded byte for byte as JSON.stringify would, whatever the record holds', () => {
    const body = Buffer.alloc(3_000, 7).toString('base64');
    const standIn = '\u0000hooklens-body\u0000';
    const records = [
      delivery('plain', { bodyBase64: body, bodySize: 3_000 }),
      delivery('headline', {
        bodyBase64: body,
        bodySize: 3_000,
        headline: '“What is my balance?” → #check_balance \ud83d\ude00 \ud800',
      }),
      delivery('nested', {
        bodyBase64: body,
        bodySize: 3_000,
        verification: {
          verdict: 'verified',
          reason: 'ok',
          claims: { bodyBase64: standIn, nested: { bodyBase64: 'QUJD' } },
        },
      }),
      delivery('stand-in-elsewhere', {
        bodyBase64: body,
        bodySize: 3_000,
        headers: [['X-Test', `"bodyBase64":"${standIn}"`]],
      }),
      delivery('not-base64', { bodyBase64: `${body}"\\\n`, bodySize: 3_000 }),
      delivery('small', { bodyBase64: 'QUJD', bodySize: 3 }),
      bodyFirst(delivery('body-first', { bodyBase64: body, bodySize: 3_000 })),
    ];
    for (const [i, record] of records.entries()) {
      const op: StoreOp = { op: 'put', v: 1, record: { ...record, seq: i + 1 } };
      assert.deepEqual(encodeLine(op), referenceLine(op), record.id);
    }
    for (const op of [
      { op: 'delete', v: 1, ids: ['a', 'b'] },
      { op: 'clear', v: 1 },
      { op: 'checkpoint', v: 1, nextSeq: 3, floorSeq: 1 },
    ] as StoreOp[]) {
      assert.deepEqual(encodeLine(op), referenceLine(op), op.op);
    }
  });
});

describe('line checksums', () => {
  it("CRC-32 in JavaScript (older Node) agrees with zlib.crc32, so either reads the other's lines", () => {
    assert.equal(crc32InJavaScript(Buffer.from('123456789')), 0xcbf43926);
    assert.equal(crc32(Buffer.from('123456789')), 0xcbf43926);
    const bytes = createHash('sha512').update('hooklens').digest();
    for (let length = 0; length <= bytes.length; length += 7) {
      const slice = bytes.subarray(0, length);
      assert.equal(crc32InJavaScript(slice), crc32(slice));
    }
    const line = encodeLine({ op: 'clear', v: 1 });
    const crcHex = line.toString('latin1', 8, 16);
    assert.equal(
      crc32InJavaScript(line.subarray(18, line.length - 1))
        .toString(16)
        .padStart(8, '0'),
      crcHex,
    );
  });
});

describe('DeliveryStore retention (D-12)', () => {
  it('issue 15: at the count cap segments empty by retention and are deleted, not compacted; dead bytes stay bounded', async () => {
    const dir = await tempDir();
    const fileSystem = new FaultInjectingFileSystem();
    const options = { segmentMaxBytes: 4_000, maxDeliveries: 10, fileSystem };
    const store = await open(dir, options);
    const diskBytes = async (): Promise<number> => {
      let total = 0;
      for (const file of await segmentFiles(dir)) {
        total += (await stat(join(dir, 'segments', file))).size;
      }
      return total;
    };
    const bound = (): number => 2 * (store.liveBytes + options.segmentMaxBytes);
    // As forwarding writes: each delivery, then the same delivery with its attempt (the first
    // line is dead at once), past the cap, so retention removes the oldest all along.
    let renamesAtCap = 0;
    for (let i = 0; i < 60; i++) {
      if (i === 10) renamesAtCap = fileSystem.calls.rename; // Below the cap, compaction as ever.
      const stored = await store.put(delivery(`f${i}`));
      await store.put({ ...stored, attempts: [attempt(200, 1)] });
      await store.whenIdle();
      assert.ok(
        (await diskBytes()) <= bound(),
        `delivery ${i}: ${await diskBytes()} bytes on disk`,
      );
    }
    assert.equal(store.size, 10);
    assert.equal(fileSystem.calls.rename, renamesAtCap, 'nothing was compacted at the cap');
    assert.ok(fileSystem.calls.unlink > 0, 'emptied segments were deleted');
    // Without new deliveries nothing drains by retention: rewriting the same ones (replays)
    // still keeps the files within the bound (dead segments deleted, or compacted past it).
    for (let round = 0; round < 10; round++) {
      for (const summary of store.summaries()) {
        await store.update(summary.id, (record) => ({
          ...record,
          attempts: [...record.attempts, attempt(200, round)],
        }));
      }
      await store.whenIdle();
      assert.ok((await diskBytes()) <= bound(), `round ${round}: ${await diskBytes()} bytes`);
    }
    await store.close();
    const reopened = await open(dir, { segmentMaxBytes: 4_000 });
    assert.equal(reopened.recoveryReport.clean, true);
    assert.equal(reopened.size, 10);
    assert.equal((await reopened.get('f59'))?.attempts.length, 11);
  });

  it('D-12: keeps the newest maxDeliveries, deletes dead segments, and it sticks across restart', async () => {
    const dir = await tempDir();
    // Room for two or three records per segment, so 20 puts span several segments.
    const options = { maxDeliveries: 5, segmentMaxBytes: 3_000 };
    const store = await open(dir, options);
    const deleted: string[] = [];
    store.onDidChange((event) => deleted.push(...event.deleted));
    for (let i = 1; i <= 20; i++) {
      await store.put(delivery(`n${i}`));
    }
    await store.whenIdle();
    const expected = ['n20', 'n19', 'n18', 'n17', 'n16'];
    assert.deepEqual(
      store.summaries().map((s) => s.id),
      expected,
    );
    assert.equal(deleted.length, 15);
    assert.equal(await store.get('n1'), undefined);
    const files = await segmentFiles(dir);
    assert.ok(files.length <= 4, `old segments deleted, left: ${files.join(', ')}`);
    assert.ok(!files.includes('00000001.jsonl'));
    await store.close();

    const same = await open(dir, options);
    assert.deepEqual(
      same.summaries().map((s) => s.id),
      expected,
    );
    await same.close();
    // Raising the limit does not bring dropped deliveries back.
    const larger = await open(dir, { ...options, maxDeliveries: 100 });
    assert.deepEqual(
      larger.summaries().map((s) => s.id),
      expected,
    );
    assert.equal((await larger.put(delivery('n21'))).seq, 21);
  });

  it('D-12: keeps live bytes under maxBytes, oldest dropped first', async () => {
    const dir = await tempDir();
    const probe = await open(await tempDir());
    const lineLength = (await probe.put(delivery('p0'))).id && probe.summary('p0')?.location.length;
    assert.ok(lineLength);
    const store = await open(dir, { maxBytes: lineLength * 3 + 10 });
    for (let i = 1; i <= 10; i++) {
      await store.put(delivery(`b${i}`));
    }
    assert.deepEqual(
      store.summaries().map((s) => s.id),
      ['b10', 'b9', 'b8'],
    );
    assert.ok(store.liveBytes <= lineLength * 3 + 10);
    await store.close();
    const reopened = await open(dir, { maxBytes: lineLength * 3 + 10 });
    assert.equal(reopened.size, 3);
  });

  it('D-12: always keeps the newest delivery, even one larger than maxBytes', async () => {
    const dir = await tempDir();
    const store = await open(dir, { maxBytes: 100 });
    await store.put(delivery('big1'));
    await store.put(delivery('big2'));
    assert.deepEqual(
      store.summaries().map((s) => s.id),
      ['big2'],
    );
  });
});

describe('DeliveryStore retention belongs to the store (issue 14)', () => {
  it('D-12: limits an owner sets are recorded; an owner that sets none keeps to them', async () => {
    const dir = await tempDir();
    const setter = await open(dir, { maxDeliveries: 3 });
    assert.deepEqual(setter.retention, {
      maxDeliveries: 3,
      maxBytes: 512 * 1024 * 1024,
      source: 'options',
      recorded: { maxDeliveries: 3, maxBytes: 512 * 1024 * 1024 },
    });
    for (let i = 1; i <= 5; i++) await setter.put(delivery(`r${i}`));
    await setter.close();

    const later = await open(dir);
    assert.equal(later.retention.source, 'store');
    assert.equal(later.retention.maxDeliveries, 3);
    await later.put(delivery('r6'));
    assert.deepEqual(
      later.summaries().map((s) => s.id),
      ['r6', 'r5', 'r4'],
    );
    await later.close();
    // Compaction and rotation keep the record: every checkpoint carries it.
    const again = await open(dir, { segmentMaxBytes: 1_500 });
    for (let i = 7; i <= 12; i++) await again.put(delivery(`r${i}`));
    await again.close();
    assert.equal((await open(dir, { access: 'read' })).retention.maxDeliveries, 3);
  });

  it('D-12: an owner that sets no limits never removes at open what is stored', async () => {
    const dir = await tempDir();
    const setter = await open(dir, { maxDeliveries: 10 });
    for (let i = 1; i <= 8; i++) await setter.put(delivery(`k${i}`));
    await setter.close();
    // Smaller limits, declined: nothing goes, nothing is recorded.
    const declined = await open(dir, { maxDeliveries: 5, onWillEvict: () => false });
    assert.equal(declined.size, 8);
    assert.equal(declined.retention.recorded?.maxDeliveries, 10);
    await declined.close();
    const plain = await open(dir);
    assert.equal(plain.size, 8);
    assert.equal(plain.retention.maxDeliveries, 10);
    await plain.close();
  });

  it('D-12: an owner with smaller limits says so before removing anything', async () => {
    const dir = await tempDir();
    const setter = await open(dir, { maxDeliveries: 50 });
    for (let i = 1; i <= 8; i++) await setter.put(delivery(`s${i}`));
    await setter.close();
    const notices: EvictionNotice[] = [];
    const sizesWhenTold: number[] = [];
    const smaller = await open(dir, {
      maxDeliveries: 5,
      onWillEvict: async (notice) => {
        notices.push(notice);
        // Told before: a reader of the store still finds every delivery.
        const reader = await DeliveryStore.open(dir, { access: 'read' });
        sizesWhenTold.push(reader.size);
        await reader.close();
      },
    });
    assert.deepEqual(sizesWhenTold, [8]);
    const notice = notices[0];
    assert.ok(notice);
    assert.equal(notice.count, 3);
    assert.deepEqual(notice.held.count, 8);
    assert.deepEqual(notice.recorded?.maxDeliveries, 50);
    assert.match(notice.message, /holds 8 deliveries/);
    assert.match(notice.message, /recorded in it are 50 deliveries/);
    assert.match(notice.message, /keeping at most 5 deliveries .* removes the 3 oldest deliveries/);
    assert.equal(smaller.size, 5);
    assert.equal(smaller.retention.source, 'options');
    await smaller.close();
    assert.equal((await open(dir)).retention.maxDeliveries, 5, 'the new limits are recorded');
  });

  it('evictionIfAdded tells what storing new deliveries would remove, writing nothing', async () => {
    const dir = await tempDir();
    const store = await open(dir, { maxDeliveries: 5 });
    for (let i = 1; i <= 4; i++) await store.put(delivery(`e${i}`));
    const before = await segmentFiles(dir);
    const sizeBefore = (await stat(await lastSegmentPath(dir))).size;
    const three = store.evictionIfAdded([delivery('n1'), delivery('n2'), delivery('n3')]);
    assert.deepEqual(
      three.evicted.map((s) => s.id),
      ['e1', 'e2'],
    );
    assert.equal(three.addedEvicted, 0);
    const seven = store.evictionIfAdded(
      ['n1', 'n2', 'n3', 'n4', 'n5', 'n6', 'n7'].map((id) => delivery(id)),
    );
    assert.equal(seven.evicted.length, 4);
    assert.equal(seven.addedEvicted, 2);
    // A stored id replaces its line: no new delivery, nothing removed.
    assert.equal(store.evictionIfAdded([delivery('e1')]).evicted.length, 0);
    assert.deepEqual(await segmentFiles(dir), before);
    assert.equal((await stat(await lastSegmentPath(dir))).size, sizeBefore);
    assert.equal(store.size, 4);
  });

  it('read access changes no byte: no lock, no folders, no repair, no retention, no checkpoint', async () => {
    const dir = await tempDir();
    const writer = await open(dir, { maxDeliveries: 100 });
    for (let i = 1; i <= 6; i++) await writer.put(delivery(`v${i}`));
    await writer.close();
    // A torn tail, which an owner would quarantine and cut off.
    await appendFile(await lastSegmentPath(dir), '{"crc":"0000');
    const before = await folderDigest(dir);
    const reader = await DeliveryStore.open(dir, { access: 'read', maxDeliveries: 2 });
    assert.equal(reader.mode, 'readonly');
    assert.equal(reader.size, 6);
    assert.equal((await reader.get('v3'))?.id, 'v3');
    assert.ok(reader.recoveryReport.notes.some((note) => note.kind === 'torn-tail'));
    await assert.rejects(reader.put(delivery('w')), { code: 'READ_ONLY' });
    await reader.refresh();
    await reader.close();
    assert.equal(await folderDigest(dir), before);

    const missing = join(await tempDir(), 'not-a-store');
    const nothing = await DeliveryStore.open(missing, { access: 'read' });
    assert.equal(nothing.size, 0);
    await nothing.close();
    await assert.rejects(stat(missing), { code: 'ENOENT' });
  });
});

/** Every file under `dir` with its bytes and mode, as one digest. */
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

/** Changes one base64 character of the body: the line stays valid JSON, only the CRC notices. */
function flipBase64Char(line: Buffer): Buffer {
  const text = line.toString('latin1');
  const at = text.indexOf('"bodyBase64":"') + 20;
  const replacement = text[at] === 'A' ? 'B' : 'A';
  return Buffer.from(text.slice(0, at) + replacement + text.slice(at + 1), 'latin1');
}
