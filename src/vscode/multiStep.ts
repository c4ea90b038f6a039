// One quick pick or input box per step of a flow run by stepFlow.ts: "n/N" in the title bar when
// the flow has more than one step, a Back button from the second step on, and the result as a
// value the flow's step function turns into its next state.
import * as vscode from 'vscode';
import type { StepPosition } from './stepFlow';

export type PickResult<T> =
  | { readonly kind: 'picked'; readonly items: readonly T[] }
  /** A title-bar button other than Back; `active` is the row under the cursor then. */
  | { readonly kind: 'button'; readonly button: vscode.QuickInputButton; readonly active?: T }
  /** A button on one row. */
  | { readonly kind: 'itemButton'; readonly button: vscode.QuickInputButton; readonly item: T }
  | { readonly kind: 'back' }
  | { readonly kind: 'cancel' };

export interface PickStepOptions<T extends vscode.QuickPickItem> {
  readonly title: string;
  readonly placeholder: string;
  readonly items: readonly T[];
  /** The row the cursor starts on (a remembered choice). */
  readonly active?: T;
  readonly canPickMany?: boolean;
  /** Rows ticked at the start, with `canPickMany`. */
  readonly selected?: readonly T[];
  readonly buttons?: readonly vscode.QuickInputButton[];
  readonly matchOnDescription?: boolean;
  readonly matchOnDetail?: boolean;
}

/** Shows one step as a quick pick and resolves with what the user did. */
export function pickStep<T extends vscode.QuickPickItem>(
  position: StepPosition,
  options: PickStepOptions<T>,
): Promise<PickResult<T>> {
  const pick = vscode.window.createQuickPick<T>();
  pick.title = options.title;
  pick.placeholder = options.placeholder;
  placeStep(pick, position, options.buttons);
  pick.canSelectMany = options.canPickMany ?? false;
  pick.matchOnDescription = options.matchOnDescription ?? false;
  pick.matchOnDetail = options.matchOnDetail ?? false;
  pick.items = options.items;
  if (options.selected) pick.selectedItems = options.selected;
  if (options.active) pick.activeItems = [options.active];
  return settle<PickResult<T>>(pick, (resolve) => [
    pick.onDidTriggerButton((button) => {
      if (button === vscode.QuickInputButtons.Back) resolve({ kind: 'back' });
      else {
        const [active] = pick.activeItems;
        resolve({ kind: 'button', button, ...(active ? { active } : {}) });
      }
    }),
    pick.onDidTriggerItemButton(({ button, item }) =>
      resolve({ kind: 'itemButton', button, item }),
    ),
    pick.onDidAccept(() => {
      const items = pick.canSelectMany ? pick.selectedItems : pick.activeItems.slice(0, 1);
      // Enter on an empty list (everything filtered away) picks nothing: stay on the step.
      if (items.length > 0) resolve({ kind: 'picked', items });
    }),
  ]);
}

export type InputResult =
  | { readonly kind: 'value'; readonly value: string }
  | { readonly kind: 'back' }
  | { readonly kind: 'cancel' };

export interface InputStepOptions {
  readonly title: string;
  readonly prompt: string;
  readonly placeholder?: string;
  readonly value?: string;
  /** The problem with `text`, said under the box while typed; Enter is refused while there is one. */
  readonly validate?: (text: string) => string | undefined;
}

/** Shows one step as an input box and resolves with the accepted text, Back, or cancel. */
export function inputStep(position: StepPosition, options: InputStepOptions): Promise<InputResult> {
  const input = vscode.window.createInputBox();
  input.title = options.title;
  input.prompt = options.prompt;
  if (options.placeholder !== undefined) input.placeholder = options.placeholder;
  if (options.value !== undefined) input.value = options.value;
  placeStep(input, position);
  const check = (text: string): string | undefined => options.validate?.(text);
  input.validationMessage = input.value === '' ? undefined : check(input.value);
  return settle<InputResult>(input, (resolve) => [
    input.onDidTriggerButton((button) => {
      if (button === vscode.QuickInputButtons.Back) resolve({ kind: 'back' });
    }),
    input.onDidChangeValue((text) => {
      input.validationMessage = check(text);
    }),
    input.onDidAccept(() => {
      const problem = check(input.value);
      input.validationMessage = problem;
      if (problem === undefined) resolve({ kind: 'value', value: input.value });
    }),
  ]);
}

const CANCEL = { kind: 'cancel' } as const;

/** A one-step flow shows no "1/1"; Back comes first among the title-bar buttons. */
function placeStep(
  input: vscode.QuickInput & { buttons: readonly vscode.QuickInputButton[] },
  position: StepPosition,
  buttons: readonly vscode.QuickInputButton[] = [],
): void {
  if (position.totalSteps > 1) {
    input.step = position.step;
    input.totalSteps = position.totalSteps;
  }
  input.buttons = [...(position.canGoBack ? [vscode.QuickInputButtons.Back] : []), ...buttons];
}

/**
 * Shows `input` until the first of its listeners resolves or it is hidden (Escape, focus moved
 * away: cancel), then hides and disposes it.
 */
function settle<R extends { readonly kind: string }>(
  input: vscode.QuickInput,
  listen: (resolve: (result: R) => void) => vscode.Disposable[],
): Promise<R> {
  return new Promise<R>((resolvePromise) => {
    let settled = false;
    const listeners: vscode.Disposable[] = [];
    const finish = (result: R): void => {
      if (settled) return;
      settled = true;
      for (const listener of listeners) listener.dispose();
      input.dispose();
      resolvePromise(result);
    };
    listeners.push(
      ...listen(finish),
      input.onDidHide(() => finish(CANCEL as R)),
    );
    input.show();
  });
}
