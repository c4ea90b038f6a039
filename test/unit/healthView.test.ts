// The Health view follows the store it is shown: switching stores must let go of the last one's
// tracker and its listener (a long session switches between the local folder and a team database).
// The view is loaded with a minimal stand-in for the `vscode` module (unit tests run outside the
// editor); attach() uses nothing of it but an EventEmitter and the provider registration.
import assert from 'node:assert/strict';
import Module from 'node:module';
import { describe, it } from 'node:test';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { HealthTracker, type HealthSource } from '../../src/core/health/healthTracker';
import { Emitter } from '../../src/core/store/emitter';
import type { StoreChangeEvent } from '../../src/core/store/types';
import type * as HealthViewModule from '../../src/vscode/health/healthView';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

class EventEmitter<T> {
  private readonly emitter = new Emitter<T>();
  readonly event = this.emitter.event;
  fire(value: T): void {
    this.emitter.fire(value);
  }
  dispose(): void {
    this.emitter.dispose();
  }
}

const vscodeStandIn = {
  EventEmitter,
  window: { registerWebviewViewProvider: () => ({ dispose: () => undefined }) },
  l10n: { t: (message: string) => message },
};

type Resolve = (request: string, ...rest: unknown[]) => string;
const loader = Module as unknown as { _resolveFilename: Resolve };
const resolve = loader._resolveFilename;
loader._resolveFilename = function (this: unknown, request: string, ...rest: unknown[]) {
  return request === 'vscode' ? 'vscode' : resolve.call(this, request, ...rest);
};
require.cache.vscode = { exports: vscodeStandIn, loaded: true } as unknown as NodeJS.Module;
// Loaded after the stand-in is in place (an import would be hoisted above it).
const { HealthView } =
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  require('../../src/vscode/health/healthView') as typeof HealthViewModule;

function aStore(): HealthSource & { readonly changes: Emitter<StoreChangeEvent> } {
  const changes = new Emitter<StoreChangeEvent>();
  return { summaries: () => [], summary: () => undefined, onDidChange: changes.event, changes };
}

describe('the Health view over a store switch', () => {
  it('lets go of the last store’s tracker (and the listener on it)', async () => {
    const trackers: WeakRef<HealthTracker>[] = [];
    const fromStore = HealthTracker.fromStore.bind(HealthTracker);
    HealthTracker.fromStore = (source, options) => {
      const tracker = fromStore(source, options);
      trackers.push(new WeakRef(tracker));
      return tracker;
    };
    try {
      const memento = { get: () => undefined, update: () => Promise.resolve() };
      const view = new HealthView(memento as never, {} as never, { setFilter: () => undefined });
      const stores = [aStore(), aStore(), aStore()];
      for (const store of stores) view.attach(store as never);
      assert.equal(trackers.length, 3);
      // WeakRefs hold their target until the current job ends.
      await new Promise((resolve) => setImmediate(resolve));
      gc();
      assert.deepEqual(
        trackers.map((tracker) => tracker.deref() !== undefined),
        [false, false, true],
        'only the shown store’s tracker is alive',
      );
      view.dispose();
      await new Promise((resolve) => setImmediate(resolve));
      gc();
      assert.equal(trackers[2]?.deref(), undefined, 'disposing the view lets go of the last one');
    } finally {
      HealthTracker.fromStore = fromStore;
    }
  });
});
