import type * as vscode from 'vscode';

/** Owns child disposables; registering on an already-disposed owner disposes the child at once. */
export class DisposableOwner implements vscode.Disposable {
  private readonly children: vscode.Disposable[] = [];
  private disposed = false;

  protected register<T extends vscode.Disposable>(child: T): T {
    if (this.disposed) child.dispose();
    else this.children.push(child);
    return child;
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    while (this.children.length > 0) this.children.pop()?.dispose();
  }
}
