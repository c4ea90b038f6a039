// The navigation of a multi-step quick-input flow (Send Test Event's options, Export, Generate
// Handler), kept free of `vscode` so it is unit-tested on its own: which step runs next, what
// Back restores, and the "n/N" a step shows. multiStep.ts draws the steps as quick picks.

/** Where a step stands in its flow, for the quick input's `step` / `totalSteps` and Back. */
export interface StepPosition {
  /** 1-based, counting only the steps that applied so far. */
  readonly step: number;
  /** The steps done plus the ones still ahead that apply to the current state. */
  readonly totalSteps: number;
  /** A step before this one can be returned to. */
  readonly canGoBack: boolean;
}

export type StepOutcome<S> =
  | { readonly kind: 'next'; readonly state: S }
  | { readonly kind: 'back' }
  | { readonly kind: 'cancel' };

export interface FlowStep<S> {
  /** False: nothing to ask in this state (one provider, no selection); skipped and not counted. */
  readonly applies?: (state: S) => boolean;
  readonly run: (state: S, position: StepPosition) => Promise<StepOutcome<S>>;
}

/**
 * Runs `steps` in order from `initial`. Each step returns the state the next one starts from;
 * Back returns to the previous step that ran, with the state it started from (so what it chose is
 * asked again, and what later steps chose is forgotten). Resolves with the final state, or
 * undefined when a step was cancelled (Escape).
 */
export async function runFlow<S>(
  steps: ReadonlyArray<FlowStep<S>>,
  initial: S,
): Promise<S | undefined> {
  const history: Array<{ readonly index: number; readonly state: S }> = [];
  let index = 0;
  let state = initial;
  while (index < steps.length) {
    const step = steps[index];
    if (step === undefined) break;
    if (step.applies && !step.applies(state)) {
      index++;
      continue;
    }
    const outcome = await step.run(state, positionOf(steps, index, state, history.length));
    if (outcome.kind === 'cancel') return undefined;
    if (outcome.kind === 'back') {
      const previous = history.pop();
      // Back on the first step has nowhere to go: ask it again.
      if (previous) ({ index, state } = previous);
      continue;
    }
    history.push({ index, state });
    state = outcome.state;
    index++;
  }
  return state;
}

/** The position of `steps[index]` after `done` steps ran: later steps counted if they apply now. */
export function positionOf<S>(
  steps: ReadonlyArray<FlowStep<S>>,
  index: number,
  state: S,
  done: number,
): StepPosition {
  const ahead = steps
    .slice(index)
    .filter((step) => step.applies === undefined || step.applies(state)).length;
  return { step: done + 1, totalSteps: done + ahead, canGoBack: done > 0 };
}
