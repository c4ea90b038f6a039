// Temporary store folders for tests, closed and removed when the test file finishes.
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after } from 'node:test';
import { DeliveryStore } from '../../src/core/store/deliveryStore';
import type { StoreOptions } from '../../src/core/store/types';

export function useStoreFixtures(prefix: string): {
  tempDir: () => Promise<string>;
  open: (dir: string, options?: StoreOptions) => Promise<DeliveryStore>;
} {
  const tempDirs: string[] = [];
  const openStores: DeliveryStore[] = [];
  after(async () => {
    for (const store of openStores) await store.close();
    for (const dir of tempDirs) {
      // Fault tests make segments/ read-only; give it back so it can be removed.
      await chmod(join(dir, 'segments'), 0o700).catch(() => undefined);
      await rm(dir, { recursive: true, force: true });
    }
  });
  return {
    async tempDir() {
      const dir = await mkdtemp(join(tmpdir(), prefix));
      tempDirs.push(dir);
      return dir;
    },
    async open(dir, options) {
      const store = await DeliveryStore.open(dir, options);
      openStores.push(store);
      return store;
    },
  };
}
