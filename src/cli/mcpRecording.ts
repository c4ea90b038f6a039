// `hooklens mcp` reads its store read-only, so that `hooklens listen` can own it meanwhile. A
// replay an agent sends (with --allow-replay) is still recorded as an attempt when it can be: the
// store is opened for writing for that one replay (taking its lock) and closed right after, so a
// receiver started later finds it free. When a receiver owns the store, the replay is sent and
// the result says why it was not recorded.
import { existsSync } from 'node:fs';
import type { RecordingStore } from '../core/agent/context';
import type { DeliveryStoreBackend } from '../core/store/backend';
import { DeliveryStore } from '../core/store/deliveryStore';

/**
 * A `storeForRecording` for the agent context: one replay at a time holds the store (a second
 * would find the lock taken by the first and be told a receiver owns it).
 */
export function recordingStoreFor(storeDir: string): () => Promise<RecordingStore> {
  let queue: Promise<void> = Promise.resolve();
  return async () => {
    let done!: () => void;
    const previous = queue;
    queue = new Promise<void>((resolve) => (done = resolve));
    await previous;
    try {
      if (!existsSync(storeDir)) {
        done();
        return { notRecorded: `there is no store at ${storeDir} yet` };
      }
      const store = await DeliveryStore.open(storeDir);
      if (store.mode === 'owner') {
        return {
          store,
          release: async () => {
            try {
              await store.close();
            } finally {
              done();
            }
          },
        };
      }
      const holder = store.lockHolder;
      const reason =
        store.mode === 'viewer'
          ? `the store is owned by a running receiver${holder ? ` (hooklens listen or VS Code, pid ${holder.pid} on ${holder.hostname})` : ''}, which alone writes to it`
          : `the store is read-only (${store.readOnlyReason ?? 'unknown reason'})`;
      await store.close();
      done();
      return { notRecorded: reason };
    } catch (error) {
      done();
      return {
        notRecorded: `the store could not be opened for writing (${error instanceof Error ? error.message : String(error)})`,
      };
    }
  };
}

/** The team store records replays itself when its role may write; several writers share it. */
export function teamRecordingStore(store: DeliveryStoreBackend): () => Promise<RecordingStore> {
  return () =>
    Promise.resolve(
      store.mode === 'owner'
        ? { store, release: () => Promise.resolve() }
        : {
            notRecorded: `the ${store.location} is read-only (${store.readOnlyReason ?? 'unknown reason'})`,
          },
    );
}
