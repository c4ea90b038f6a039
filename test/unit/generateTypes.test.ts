// The types half of code generation, without toolchains: which fields are required, how numbers
// are read, the names quicktype gave each event's type, and the rewrites of quicktype's Python and
// Zod output. Running the output is test/cli/generateTypes.test.ts and generateHeldOut.test.ts.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parse } from 'lossless-json';
import {
  CONFIDENT_SAMPLES,
  inferenceText,
  inferTypes,
  typeNameOf,
} from '../../src/core/generate/inference';
import { hasLoneSurrogate, unrepresentableKeyReason } from '../../src/core/generate/literals';
import { pythonTypes } from '../../src/core/generate/pythonTypes';
import { buildHandlerModel } from '../../src/core/generate/samples';
import { zodTypes } from '../../src/core/generate/zodTypes';
import { recordFromBody } from './generateFixtures';

function model(bodies: ReadonlyArray<readonly [string, string]>) {
  return buildHandlerModel(bodies.map(([body, event]) => recordFromBody(body, event, 'generic')));
}

describe('fields the samples cannot vouch for', () => {
  it('below CONFIDENT_SAMPLES every field is optional and nullable; null-only is unknown', async () => {
    const types = await inferTypes(
      model([
        ['{"type":"t","a":"x","n":null}', 't'],
        ['{"type":"t","a":"y","n":null}', 't'],
      ]),
      'typescript',
    );
    assert.match(types.source, /^ {2}a\?: +null \| string;$/m);
    assert.match(types.source, /^ {2}n\?: +unknown;$/m);
  });

  it('from CONFIDENT_SAMPLES on, a field every sample had non-null is required', async () => {
    const bodies = Array.from(
      { length: CONFIDENT_SAMPLES },
      (_, index) => [`{"type":"t","a":"x${index}","n":null}`, 't'] as const,
    );
    const types = await inferTypes(model(bodies), 'typescript');
    assert.match(types.source, /^ {2}a: +string;$/m);
    assert.match(types.source, /^ {2}n\?: +unknown;$/m);
  });

  it('Go keeps the observed types: encoding/json reads missing or null as the zero value', async () => {
    const types = await inferTypes(model([['{"type":"t","a":"x"}', 't']]), 'go');
    assert.match(types.source, /^\tA +string +`json:"a"`$/m);
  });
});

describe('numbers', () => {
  it('a number written as a fraction or with an exponent is inferred as a float', () => {
    const text = inferenceText(parse('{"a":1.0,"b":-0.0,"c":1e5,"d":2,"e":2.5}'));
    assert.equal(text, '{"a":0.5,"b":0.5,"c":0.5,"d":2,"e":0.5}');
  });

  it('Python and Go type 1.0 as float', async () => {
    const bodies = [['{"type":"r","v":1.0,"n":3}', 'r']] as const;
    assert.match((await inferTypes(model(bodies), 'python')).source, /^ {4}v: Optional\[float\]/m);
    assert.match((await inferTypes(model(bodies), 'go')).source, /^\tV +float64 /m);
  });
});

describe('names quicktype gave each event type', () => {
  const events = [
    'url_verification',
    'sms.received',
    'api_key.created',
    'user.id_changed',
    'http_request.failed',
    'json_export.ready',
  ];
  const bodies = events.map((name, index) => [`{"type":"${name}","f${index}":1}`, name] as const);

  for (const language of ['python', 'go', 'typescript', 'typescript-zod'] as const) {
    it(`${language}: every event has its own declared type, under the name quicktype wrote`, async () => {
      const built = model(bodies);
      const types = await inferTypes(built, language);
      const names = built.events.map((event) => typeNameOf(types, event));
      assert.equal(new Set(names).size, events.length, names.join(', '));
      if (language === 'python' || language === 'go') {
        assert.ok(names.includes('URLVerificationPayload'), names.join(', '));
        assert.ok(names.includes('APIKeyCreatedPayload'), names.join(', '));
      }
    });
  }

  it('two events with one shape each keep their own type (no alias, one Go Marshal each)', async () => {
    const built = model([
      ['{"type":"a.created","id":"x"}', 'a.created'],
      ['{"type":"a.deleted","id":"y"}', 'a.deleted'],
    ]);
    const go = await inferTypes(built, 'go');
    assert.match(go.source, /^type ACreatedPayload struct \{$/m);
    assert.match(go.source, /^type ADeletedPayload struct \{$/m);
    assert.doesNotMatch(go.source, /^type \w+ = /m);
    const python = await inferTypes(built, 'python');
    assert.match(python.source, /^class ACreatedPayload:$/m);
    assert.match(python.source, /^class ADeletedPayload:$/m);
  });
});

describe('keys that typed code cannot name', () => {
  it('a lone surrogate is found in keys at any depth; pairs and values are fine', () => {
    assert.ok(hasLoneSurrogate('k\ud800'));
    assert.ok(hasLoneSurrogate('\udc00k'));
    assert.ok(!hasLoneSurrogate('emoji \u{1F600}'));
    assert.equal(unrepresentableKeyReason(JSON.parse('{"a":"\\ud800","b":[{"ok":1}]}')), undefined);
    assert.match(
      unrepresentableKeyReason(JSON.parse('{"a":[{"k\\ud800":1}]}')) ?? '',
      /the key "k\\ud800", with a lone UTF-16 surrogate/,
    );
  });

  it('that delivery is left out with its reason; the others are typed', () => {
    const built = model([
      ['{"type":"s","k\\ud800":1}', 's'],
      ['{"type":"t","ok":1}', 't'],
    ]);
    assert.deepEqual(
      built.events.map((event) => event.name),
      ['t'],
    );
    assert.equal(built.skipped.length, 1);
  });
});

describe('rewrites of quicktype output', () => {
  it('Zod: a union of one schema and null becomes .nullable(); strings and longer unions are kept', () => {
    assert.equal(
      zodTypes('"a": z.union([z.null(), z.string()]).optional(),'),
      '"a": z.string().nullable().optional(),',
    );
    assert.equal(
      zodTypes('z.union([z.array(z.union([FooSchema, z.null()])), z.null()])'),
      'z.array(FooSchema.nullable()).nullable()',
    );
    assert.equal(
      zodTypes('z.union([z.null(), z.number(), z.string()])'),
      'z.union([z.null(), z.number(), z.string()])',
    );
    assert.equal(zodTypes('"z.union([z.null(), x])": 1'), '"z.union([z.null(), x])": 1');
  });

  it('Python: fields are read through _field (the key joins the path), asserts become raises, to_dict is annotated', () => {
    const source = [
      'from typing import Any, TypeVar',
      '',
      'T = TypeVar("T")',
      '',
      '',
      'def from_str(x: Any) -> str:',
      '    assert isinstance(x, str)',
      '    return x',
      '',
      '',
      '@dataclass',
      'class Foo:',
      '    a: str',
      '',
      '    @staticmethod',
      "    def from_dict(obj: Any) -> 'Foo':",
      '        assert isinstance(obj, dict)',
      '        a = from_str(obj.get("a\\"b"))',
      '        return Foo(a)',
      '',
      '    def to_dict(self) -> dict:',
      '        result: dict = {}',
      '        result["a\\"b"] = from_str(self.a)',
      '        return result',
    ].join('\n');
    const out = pythonTypes(source);
    assert.match(out, /^class PayloadShapeError\(ValueError\):$/m);
    assert.match(out, /raise PayloadShapeError\("a string", x\)/);
    assert.doesNotMatch(out, /^ {4}assert /m);
    assert.match(out, /^ {8}a = _field\("a\\"b", lambda x: from_str\(x\), obj\.get\("a\\"b"\)\)$/m);
    assert.match(
      out,
      /^ {8}if not isinstance\(obj, dict\):\n {12}raise PayloadShapeError\("an object", obj\)$/m,
    );
    assert.match(out, /^ {4}def to_dict\(self\) -> Dict\[str, Any\]:$/m);
    assert.match(out, /^ {8}result: Dict\[str, Any\] = \{\}$/m);
  });
});
