// Do the generated types hold for real traffic, not only for the deliveries they were inferred
// from? GitHub's own example payloads (@octokit/webhooks-examples): the types are inferred from the
// first 2 examples of each event, and every other example of those events is checked against the
// generated validators (Python's from_dict, TypeScript's Zod schemas, Go's Unmarshal). Prints the
// rate per language and what is still refused; at least 95% must be accepted.
import assert from 'node:assert/strict';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, it, type TestContext } from 'node:test';
import examples from '@octokit/webhooks-examples';
import type { ZodTypeAny } from 'zod';
import { inferTypes, typeNameOf, type InferenceLanguage } from '../../src/core/generate/inference';
import type { HandlerModel } from '../../src/core/generate/model';
import { buildHandlerModel, type GenerationRecord } from '../../src/core/generate/samples';
import { recordFromBody } from '../unit/generateFixtures';
import { anyPython, goToolchain, mypyStrict, pythonWithMypy, run } from './generatedToolchains';
import { root } from './listenProcess';

const TRAINING_SAMPLES_PER_EVENT = 2;
const FLOOR = 0.95;
const OUT = join(root, 'test-artifacts', 'generated', 'held-out');

interface HeldOut {
  readonly event: string;
  /** The generated type the example must parse as. */
  type: string;
  /** The example as it would arrive: JSON text. */
  readonly body: string;
}

function trainingModel(): { model: HandlerModel; heldOut: HeldOut[] } {
  const records: GenerationRecord[] = [];
  const heldOut: HeldOut[] = [];
  for (const definition of examples) {
    definition.examples.forEach((example, index) => {
      const body = JSON.stringify(example);
      if (index < TRAINING_SAMPLES_PER_EVENT) {
        records.push(
          recordFromBody(body, definition.name, 'github', [
            ['Content-Type', 'application/json'],
            ['X-GitHub-Event', definition.name],
          ]),
        );
      } else heldOut.push({ event: definition.name, type: '', body });
    });
  }
  const model = buildHandlerModel(records);
  return { model, heldOut };
}

/** `undefined` when accepted, else the validator's message. */
type Verdicts = ReadonlyArray<string | null>;

function report(t: TestContext, language: string, cases: readonly HeldOut[], verdicts: Verdicts) {
  const refused = verdicts.flatMap((verdict, index) =>
    verdict === null ? [] : [`${cases[index]!.event}: ${verdict.split('\n')[0]!.slice(0, 240)}`],
  );
  const accepted = cases.length - refused.length;
  const rate = accepted / cases.length;
  const line = `${language}: accepted ${accepted}/${cases.length} held-out GitHub payloads (${(rate * 100).toFixed(1)}%), trained on ${TRAINING_SAMPLES_PER_EVENT} per event`;
  console.log(line);
  t.diagnostic(line);
  for (const reason of refused) {
    console.log(`  refused ${reason}`);
    t.diagnostic(`refused ${reason}`);
  }
  assert.ok(rate >= FLOOR, `${line}; the floor is ${FLOOR * 100}%`);
}

async function typesFor(
  language: InferenceLanguage,
  model: HandlerModel,
  heldOut: readonly HeldOut[],
): Promise<{ source: string; cases: HeldOut[] }> {
  const types = await inferTypes(model, language);
  const byEvent = new Map(model.events.map((event) => [event.name, typeNameOf(types, event)]));
  return {
    source: types.source,
    cases: heldOut.map((item) => ({ ...item, type: byEvent.get(item.event)! })),
  };
}

describe('generated types accept held-out real payloads (@octokit/webhooks-examples)', () => {
  const { model, heldOut } = trainingModel();

  it('has held-out payloads of the trained events', () => {
    assert.ok(heldOut.length >= 200, `${heldOut.length} held-out payloads`);
    assert.equal(model.skipped.length, 0, JSON.stringify(model.skipped));
  });

  it('Python from_dict accepts at least 95%', async (t) => {
    const python = anyPython();
    if (!python) return t.skip('no python3 on this machine');
    const dir = join(OUT, 'python');
    await rm(dir, { recursive: true, force: true });
    await mkdir(dir, { recursive: true });
    const { source, cases } = await typesFor('python', model, heldOut);
    await writeFile(join(dir, 'webhook_types.py'), source);
    await writeFile(join(dir, 'held_out.json'), JSON.stringify(cases));
    await writeFile(
      join(dir, 'measure.py'),
      `import json
import webhook_types

verdicts = []
with open("held_out.json", encoding="utf-8") as file:
    for case in json.load(file):
        try:
            getattr(webhook_types, case["type"]).from_dict(json.loads(case["body"]))
            verdicts.append(None)
        except Exception as error:
            verdicts.append(f"{type(error).__name__}: {error}")
print(json.dumps(verdicts))
`,
    );
    const measured = run(python, ['measure.py'], dir);
    assert.equal(measured.status, 0, measured.output);
    report(t, 'Python', cases, JSON.parse(measured.output) as Verdicts);
    // 58 events' types in one file: a wide sample of what quicktype writes, for mypy --strict.
    const mypy = pythonWithMypy();
    if (mypy) {
      const checked = await mypyStrict(mypy, dir, ['webhook_types.py']);
      assert.equal(checked.status, 0, checked.output);
    }
  });

  it('TypeScript Zod schemas accept at least 95%', async (t) => {
    const dir = join(OUT, 'zod');
    await rm(dir, { recursive: true, force: true });
    await mkdir(dir, { recursive: true });
    const { source, cases } = await typesFor('typescript-zod', model, heldOut);
    const file = join(dir, 'webhookTypes.ts');
    await writeFile(file, source);
    const schemas = (await import(pathToFileURL(file).href)) as Record<string, ZodTypeAny>;
    const verdicts = cases.map((item) => {
      const result = schemas[`${item.type}Schema`]!.safeParse(JSON.parse(item.body));
      if (result.success) return null;
      const issue = result.error.issues[0]!;
      return `at ${issue.path.join('.') || '(root)'}: ${issue.message}`;
    });
    report(t, 'TypeScript + Zod', cases, verdicts);
  });

  it('Go Unmarshal accepts at least 95%', async (t) => {
    const missing = goToolchain();
    if (missing) return t.skip(`${missing} (scripts/install-toolchains.sh installs it)`);
    const dir = join(OUT, 'go');
    await rm(dir, { recursive: true, force: true });
    await mkdir(dir, { recursive: true });
    const { source, cases } = await typesFor('go', model, heldOut);
    await writeFile(join(dir, 'webhook_types.go'), source);
    await writeFile(join(dir, 'go.mod'), 'module heldout\n\ngo 1.19\n');
    await writeFile(join(dir, 'held_out.json'), JSON.stringify(cases));
    const types = [...new Set(cases.map((item) => item.type))];
    await writeFile(
      join(dir, 'measure.go'),
      `package main

import (
\t"encoding/json"
\t"fmt"
\t"os"
)

func decode(name string, raw []byte) error {
\tswitch name {
${types.map((type) => `\tcase "${type}":\n\t\t_, err := Unmarshal${type}(raw)\n\t\treturn err`).join('\n')}
\t}
\treturn fmt.Errorf("no type %s", name)
}

func main() {
\tvar cases []struct {
\t\tType string \`json:"type"\`
\t\tBody string \`json:"body"\`
\t}
\tdata, err := os.ReadFile("held_out.json")
\tif err == nil {
\t\terr = json.Unmarshal(data, &cases)
\t}
\tif err != nil {
\t\tpanic(err)
\t}
\tverdicts := make([]*string, len(cases))
\tfor index, item := range cases {
\t\tif err := decode(item.Type, []byte(item.Body)); err != nil {
\t\t\tmessage := err.Error()
\t\t\tverdicts[index] = &message
\t\t}
\t}
\tout, _ := json.Marshal(verdicts)
\tfmt.Println(string(out))
}
`,
    );
    const measured = run('go', ['run', '.'], dir, { GOFLAGS: '-mod=mod', GOPROXY: 'off' });
    assert.equal(measured.status, 0, measured.output);
    report(t, 'Go', cases, JSON.parse(measured.output) as Verdicts);
  });
});
