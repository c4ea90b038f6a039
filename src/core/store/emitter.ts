// A tiny typed event emitter, shaped like VS Code's `Event<T>` so the editor layer can adapt it
// without core importing `vscode`.

export interface Disposable {
  dispose(): void;
}

export type Listener<T> = (event: T) => void;

/** Subscribe with `event(listener)`; call `dispose()` on the result to unsubscribe. */
export type Event<T> = (listener: Listener<T>) => Disposable;

export class Emitter<T> {
  // Wrapped in objects so the same function can subscribe twice and unsubscribe once.
  private readonly subscriptions = new Set<{ readonly listener: Listener<T> }>();
  private disposed = false;

  readonly event: Event<T> = (listener) => {
    if (this.disposed) {
      return { dispose: () => undefined };
    }
    const subscription = { listener };
    this.subscriptions.add(subscription);
    return { dispose: () => void this.subscriptions.delete(subscription) };
  };

  fire(event: T): void {
    // Copy first: a listener may unsubscribe (or subscribe) while we iterate.
    for (const subscription of [...this.subscriptions]) {
      try {
        subscription.listener(event);
      } catch (error) {
        // A broken listener must never break a commit or the other listeners.
        console.error('HookLens: an event listener threw', error);
      }
    }
  }

  dispose(): void {
    this.disposed = true;
    this.subscriptions.clear();
  }
}
