// The types half of `hooklens generate`, through the real CLI and the real toolchains: event names
// quicktype writes as acronyms (url_verification, sms.received, api_key.created, …), two events
// with one shape, numbers written 1.0 / -0.0 / 1e5, and a key holding a lone surrogate, in every
// language. The TypeScript compiles under `tsc --init`'s defaults in a CommonJS and in an ESM
// package; the Python passes mypy --strict; the Go is gofmt-clean and passes go vet.
import assert from 'node:assert/strict';
import { readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { analyserWithSecrets } from '../../src/core/analysis/analyseRequest';
import type { CapturedRequest } from '../../src/core/receiver/captured';
import { Ingestor } from '../../src/core/receiver/ingest';
import { DeliveryStore } from '../../src/core/store/deliveryStore';
import { signToken } from '../../src/core/verify/sign';
import {
  anyPython,
  checkGo,
  compileInTscInitPackage,
  compileTypescript,
  goToolchain,
  mypyStrict,
  pythonWithFastapi,
  pythonWithMypy,
  run,
  runTypescriptTests,
} from './generatedToolchains';
import { cleanUp, root, runCli, tempDir } from './listenProcess';

const SECRET = 'cli-generate-types-secret-4f0b9c2d7e1a3856';
const OUT_ROOT = join(root, 'test-artifacts', 'generated', 'types');

after(cleanUp);

/** Event names whose parts quicktype writes in capitals in Python and Go (URL, SMS, API, ID…). */
const ACRONYM_EVENTS: ReadonlyArray<readonly [string, Record<string, unknown>]> = [
  ['url_verification', { code: 'c-1' }],
  ['sms.received', { from: '+15550100', segments: 1 }],
  ['api_key.created', { key_id: 'k_1', scopes: ['read'] }],
  ['user.id_changed', { old_id: 1, new_id: 2 }],
  ['http_request.failed', { status: 500, retry: true }],
  ['json_export.ready', { rows: 10, url: 'https://example.test/e.json' }],
];

/** Raw JSON text: the numbers are written the way the sender wrote them. */
const FLOAT_BODY =
  '{"type":"reading.taken","value":1.0,"offset":-0.0,"scale":1e5,"count":2,"nested":{"ratio":2.50}}';
const SURROGATE_BODY = '{"type":"key.odd","k\\ud800":1}';

let nowMs = Date.UTC(2026, 10, 24, 9, 0, 0);
function captured(body: string): CapturedRequest {
  return {
    receivedAtMs: (nowMs += 1000),
    startedAt: process.hrtime.bigint(),
    method: 'POST',
    url: '/webhook',
    headers: [
      ['Host', '127.0.0.1:7878'],
      ['Authorization', signToken(SECRET, {})],
      ['Content-Type', 'application/json'],
    ],
    remoteAddress: '127.0.0.1',
    body: Buffer.from(body),
  };
}

async function fillStore(bodies: readonly string[]): Promise<string> {
  const dir = await tempDir('hooklens-generate-types-');
  const store = await DeliveryStore.open(dir);
  const ingestor = new Ingestor(store, {
    policy: 'reject',
    analyser: () => analyserWithSecrets([{ provider: null, label: 'current', value: SECRET }]),
  });
  for (const body of bodies) await ingestor.ingest(captured(body));
  await store.close();
  return dir;
}

function storeBodies(): string[] {
  return [
    ...ACRONYM_EVENTS.flatMap(([type, fields]) => [
      JSON.stringify({ type, id: `${type}-1`, ...fields }),
      JSON.stringify({ type, id: `${type}-2`, ...fields }),
    ]),
    // Two events with one shape: each keeps its own type (Go declared Marshal twice).
    JSON.stringify({ type: 'order.created', id: 'o1', total: 3 }),
    JSON.stringify({ type: 'order.deleted', id: 'o2', total: 4 }),
    FLOAT_BODY,
    SURROGATE_BODY,
  ];
}

const TARGETS = [
  { lang: 'typescript', framework: 'node', zod: false },
  { lang: 'typescript', framework: 'express', zod: true },
  { lang: 'python', framework: 'fastapi', zod: false },
  { lang: 'go', framework: 'nethttp', zod: false },
] as const;

type Target = (typeof TARGETS)[number];

async function generate(store: string, target: Target): Promise<{ out: string; stderr: string }> {
  const out = join(OUT_ROOT, `${target.lang}-${target.framework}${target.zod ? '-zod' : ''}`);
  await rm(out, { recursive: true, force: true });
  const args = ['generate', '--store', store, '--lang', target.lang];
  args.push('--framework', target.framework, '--out', out);
  if (target.zod) args.push('--zod');
  const result = await runCli(args, { HOOKLENS_SECRET: SECRET }, 60_000);
  assert.equal(result.status, 0, result.stderr);
  return { out, stderr: result.stderr };
}

describe('generated types: acronym event names, one shape for two events, floats, a lone surrogate', () => {
  let store = '';
  before(async () => {
    store = await fillStore(storeBodies());
  });

  for (const target of TARGETS) {
    const label = `${target.lang}/${target.framework}${target.zod ? '+zod' : ''}`;
    it(`${label}: leaves out the surrogate key's delivery with its reason and types every other event`, async () => {
      const { stderr } = await generate(store, target);
      assert.match(stderr, /"k\\ud800", with a lone UTF-16 surrogate/);
      assert.match(stderr, /url_verification \(2\)/);
      assert.doesNotMatch(stderr, /key\.odd/);
    });
  }

  it('TypeScript: compiles with --strict and its replay test passes (every sample reaches its own function)', async () => {
    for (const target of TARGETS.filter((item) => item.lang === 'typescript')) {
      const { out } = await generate(store, target);
      const compiled = await compileTypescript(out);
      assert.equal(compiled.status, 0, compiled.output);
      const tested = runTypescriptTests(out);
      assert.equal(tested.status, 0, tested.output);
      assert.match(tested.output, /# fail 0/);
    }
  });

  for (const type of ['commonjs', 'module'] as const) {
    it(`TypeScript compiles under tsc --init's defaults in a${type === 'module' ? 'n ESM' : ' CommonJS'} package, and its test passes there`, async () => {
      for (const target of TARGETS.filter((item) => item.lang === 'typescript')) {
        const { out } = await generate(store, target);
        const packageDir = await tempDir(`hooklens-tsc-init-${type}-`);
        const { init, compiled, tested } = await compileInTscInitPackage(out, packageDir, type);
        assert.equal(init.status, 0, init.output);
        const config = await readFile(join(packageDir, 'tsconfig.json'), 'utf8');
        assert.match(config, /"verbatimModuleSyntax": true/, 'the defaults this test is about');
        assert.equal(compiled.status, 0, `${target.framework}: ${compiled.output}`);
        assert.equal(tested.status, 0, tested.output);
        assert.match(tested.output, /# fail 0/);
      }
    });
  }

  it('Python: mypy --strict passes, the types name URLVerificationPayload as quicktype wrote it, and the replay test passes', async (t) => {
    const target = TARGETS[2];
    const { out } = await generate(store, target);
    const types = await readFile(join(out, 'webhook_types.py'), 'utf8');
    assert.match(types, /^class URLVerificationPayload:$/m);
    const handler = await readFile(join(out, 'webhook_handler.py'), 'utf8');
    assert.match(handler, /payloads\.URLVerificationPayload\b/);
    assert.match(handler, /payloads\.APIKeyCreatedPayload\b/);
    assert.match(types, /^ {4}value: Optional\[float\] = None$/m, '1.0 is a float');
    const python = anyPython();
    if (!python) return t.skip('no python3 on this machine');
    // A mismatch names its JSON path.
    await writeFile(
      join(out, 'path_error.py'),
      `import webhook_types\ntry:\n    webhook_types.ReadingTakenPayload.from_dict({"nested": {"ratio": "x"}})\nexcept ValueError as error:\n    print(error)\n`,
    );
    const pathError = run(python, ['path_error.py'], out);
    assert.equal(
      pathError.output.trim(),
      'at nested.ratio: expected a number or null, got a string',
    );
    await rm(join(out, 'path_error.py'));
    const mypy = pythonWithMypy();
    if (!mypy) t.diagnostic('mypy is not installed (scripts/install-toolchains.sh installs it)');
    else {
      const checked = await mypyStrict(mypy, out, ['webhook_types.py', 'webhook_handler.py']);
      assert.equal(checked.status, 0, checked.output);
      // The generated test too: typed signing helpers, recording overrides and samples.
      const tests = await mypyStrict(mypy, out, ['test_webhook_handler.py']);
      assert.equal(tests.status, 0, `mypy --strict test_webhook_handler.py:\n${tests.output}`);
    }
    const withFastapi = pythonWithFastapi();
    if (!withFastapi)
      return t.skip('FastAPI, PyJWT or httpx missing (scripts/install-toolchains.sh)');
    const tested = run(withFastapi, ['-m', 'unittest', '-v', 'test_webhook_handler'], out);
    assert.equal(tested.status, 0, tested.output);
    assert.match(tested.output, /\nOK\b/);
  });

  it('Go: gofmt-clean, go vet passes, one Marshal per type, and the replay test passes', async (t) => {
    const target = TARGETS[3];
    const { out } = await generate(store, target);
    const types = await readFile(join(out, 'webhook_types.go'), 'utf8');
    assert.match(types, /^type URLVerificationPayload struct \{$/m);
    assert.match(types, /^type OrderCreatedPayload struct \{$/m);
    assert.match(types, /^type OrderDeletedPayload struct \{$/m);
    assert.match(types, /^\tValue +float64 /m, '1.0 is a float64');
    const marshals = [...types.matchAll(/^func \(r \*(\w+)\) Marshal\(\)/gm)].map((m) => m[1]);
    assert.equal(
      new Set(marshals).size,
      marshals.length,
      `Marshal declared twice: ${marshals.join(', ')}`,
    );
    const missing = goToolchain();
    if (missing) return t.skip(`${missing} (scripts/install-toolchains.sh installs it)`);
    const { gofmt, vet, test } = await checkGo(out);
    assert.equal(gofmt.status, 0, gofmt.output);
    assert.equal(gofmt.output.trim(), '', `gofmt -l lists: ${gofmt.output}`);
    assert.equal(vet.status, 0, vet.output);
    assert.equal(test.status, 0, test.output);
  });
});
