// Multi-step quick inputs (issue 16, "short flows and keys"): which step runs next, what Back
// restores, which steps are skipped, and the n/N each step shows.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  positionOf,
  runFlow,
  type FlowStep,
  type StepOutcome,
  type StepPosition,
} from '../../src/vscode/stepFlow';

interface State {
  readonly picks: readonly string[];
  readonly options: boolean;
}

/** A step that answers from a script, one answer per visit, and records what it was shown. */
function scripted(
  name: string,
  answers: Array<'next' | 'back' | 'cancel' | 'options'>,
  seen: Array<{ name: string; state: State; at: StepPosition }>,
  applies?: (state: State) => boolean,
): FlowStep<State> {
  return {
    ...(applies ? { applies } : {}),
    run: (state, at): Promise<StepOutcome<State>> => {
      seen.push({ name, state, at });
      const answer = answers.shift();
      if (answer === undefined) throw new Error(`${name} was asked once too often`);
      if (answer === 'back' || answer === 'cancel') return Promise.resolve({ kind: answer });
      return Promise.resolve({
        kind: 'next',
        state: { picks: [...state.picks, name], options: answer === 'options' || state.options },
      });
    },
  };
}

const start: State = { picks: [], options: false };

describe('runFlow', () => {
  it('runs the steps in order and resolves with the last state', async () => {
    const seen: Array<{ name: string; state: State; at: StepPosition }> = [];
    const result = await runFlow(
      [scripted('a', ['next'], seen), scripted('b', ['next'], seen), scripted('c', ['next'], seen)],
      start,
    );
    assert.deepEqual(result?.picks, ['a', 'b', 'c']);
    assert.deepEqual(
      seen.map(({ at }) => [at.step, at.totalSteps, at.canGoBack]),
      [
        [1, 3, false],
        [2, 3, true],
        [3, 3, true],
      ],
    );
  });

  it('Back returns to the previous step with the state it started from', async () => {
    const seen: Array<{ name: string; state: State; at: StepPosition }> = [];
    const result = await runFlow(
      [
        scripted('a', ['next', 'next'], seen),
        scripted('b', ['back', 'next', 'next'], seen),
        scripted('c', ['back', 'next'], seen),
      ],
      start,
    );
    assert.deepEqual(
      seen.map(({ name }) => name),
      ['a', 'b', 'a', 'b', 'c', 'b', 'c'],
    );
    // Back from b asked a again with the state from before a: nothing picked yet.
    assert.deepEqual(seen[2]?.state.picks, []);
    assert.equal(seen[2]?.at.step, 1);
    // Back from c asked b again with a's pick only.
    assert.deepEqual(seen[5]?.state.picks, ['a']);
    assert.deepEqual(result?.picks, ['a', 'b', 'c']);
  });

  it('Back on the first step asks it again; cancel anywhere resolves undefined', async () => {
    const seen: Array<{ name: string; state: State; at: StepPosition }> = [];
    const result = await runFlow(
      [scripted('a', ['back', 'next'], seen), scripted('b', ['cancel'], seen)],
      start,
    );
    assert.equal(result, undefined);
    assert.deepEqual(
      seen.map(({ name }) => name),
      ['a', 'a', 'b'],
    );
  });

  it('skips steps that do not apply and counts only the ones that do', async () => {
    // Send Test Event: one pick sends; the gear (options) brings the other steps in.
    const seen: Array<{ name: string; state: State; at: StepPosition }> = [];
    const options = (state: State): boolean => state.options;
    const quick = await runFlow(
      [
        scripted('template', ['next'], seen),
        scripted('target', [], seen, options),
        scripted('count', [], seen, options),
      ],
      start,
    );
    assert.deepEqual(quick?.picks, ['template']);
    assert.deepEqual(seen[0]?.at, { step: 1, totalSteps: 1, canGoBack: false });

    seen.length = 0;
    const withOptions = await runFlow(
      [
        scripted('template', ['options', 'next'], seen),
        scripted('target', ['back'], seen, options),
        scripted('count', [], seen, options),
      ],
      start,
    );
    // The gear led to the target step (2/3); Back returned to the template with no options, so
    // its plain pick sent at once.
    assert.deepEqual(
      seen.map(({ name, at }) => `${name} ${at.step}/${at.totalSteps}`),
      ['template 1/1', 'target 2/3', 'template 1/1'],
    );
    assert.deepEqual(withOptions, { picks: ['template'], options: false });
  });
});

describe('positionOf', () => {
  it('counts the steps done plus those ahead that apply now', () => {
    const cancel = (): Promise<StepOutcome<State>> => Promise.resolve({ kind: 'cancel' });
    const never = { applies: () => false, run: cancel };
    const always = { run: cancel };
    assert.deepEqual(positionOf([always, never, always, always], 2, start, 1), {
      step: 2,
      totalSteps: 3,
      canGoBack: true,
    });
  });
});
