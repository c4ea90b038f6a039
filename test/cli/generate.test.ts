// `hooklens generate` as a real process over stores filled by the capture pipeline, and the code
// it writes checked by real toolchains (journey 7): TypeScript compiles with --strict and its
// replay test passes; Python compiles and its TestClient replay passes; Go is gofmt-clean, vets
// and its httptest replay passes. Watson, Rapida and hostile samples (C-01 to C-05).
import assert from 'node:assert/strict';
import { readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { CapturedRequest } from '../../src/core/receiver/captured';
import { Ingestor } from '../../src/core/receiver/ingest';
import { generateOffThread } from '../../src/core/generate/loadGenerator';
import { buildEvent } from '../../src/core/simulate/templates';
import { DeliveryStore } from '../../src/core/store/deliveryStore';
import { analyserWithSecrets } from '../../src/core/analysis/analyseRequest';
import { signToken } from '../../src/core/verify/sign';
import { hostileBody } from '../unit/generateHostile';
import { seededRandom } from '../unit/generateFixtures';
import {
  anyPython,
  checkGo,
  compileTypescript,
  goToolchain,
  pythonWithFastapi,
  run,
  runTypescriptTests,
} from './generatedToolchains';
import { cleanUp, root, runCli, tempDir } from './listenProcess';

const SECRET = 'cli-generate-test-secret-6a1f0e3d2c9b8a74';
const OUT_ROOT = join(root, 'test-artifacts', 'generated');

after(cleanUp);

let nowMs = Date.UTC(2026, 10, 23, 9, 0, 0);
function captured(
  body: Buffer | string,
  headers: ReadonlyArray<readonly [string, string]>,
): CapturedRequest {
  return {
    receivedAtMs: (nowMs += 1000),
    startedAt: process.hrtime.bigint(),
    method: 'POST',
    url: '/webhook',
    headers: [
      ['Host', '127.0.0.1:7878'],
      ['Authorization', signToken(SECRET, {})],
      ...headers.map(([name, value]) => [name, value] as [string, string]),
    ],
    remoteAddress: '127.0.0.1',
    body: typeof body === 'string' ? Buffer.from(body) : body,
  };
}

async function fillStore(requests: readonly CapturedRequest[]): Promise<string> {
  const dir = await tempDir('hooklens-generate-');
  const store = await DeliveryStore.open(dir);
  const ingestor = new Ingestor(store, {
    policy: 'reject',
    analyser: () => analyserWithSecrets([{ provider: null, label: 'current', value: SECRET }]),
  });
  for (const request of requests) await ingestor.ingest(request);
  await store.close();
  return dir;
}

function templateRequests(template: string, count: number): CapturedRequest[] {
  const random = seededRandom(template);
  return Array.from({ length: count }, (_, index) => {
    const built = buildEvent(template, { nowMs: nowMs + index * 1000, random });
    return captured(built.body, built.headers);
  });
}

const TARGETS = [
  { lang: 'typescript', framework: 'node', zod: false },
  { lang: 'typescript', framework: 'express', zod: true },
  { lang: 'python', framework: 'fastapi', zod: false },
  { lang: 'go', framework: 'nethttp', zod: false },
] as const;

async function generate(
  store: string,
  name: string,
  target: (typeof TARGETS)[number],
  extra: string[] = [],
): Promise<string> {
  const out = join(
    OUT_ROOT,
    `${name}-${target.lang}-${target.framework}${target.zod ? '-zod' : ''}`,
  );
  await rm(out, { recursive: true, force: true });
  const args = [
    'generate',
    '--store',
    store,
    '--lang',
    target.lang,
    '--framework',
    target.framework,
    '--out',
    out,
    ...extra,
  ];
  if (target.zod) args.push('--zod');
  const result = await runCli(args, { HOOKLENS_SECRET: SECRET }, 60_000);
  assert.equal(result.status, 0, result.stderr);
  return out;
}

/** Generates for every target and checks each with its toolchain. */
function checksFor(name: string, storeOf: () => string): void {
  for (const target of TARGETS) {
    const label = `${target.lang}/${target.framework}${target.zod ? '+zod' : ''}`;
    if (target.lang === 'typescript') {
      it(`${name}: ${label} compiles with tsc --strict and its replay test passes`, async () => {
        const out = await generate(storeOf(), name, target);
        const compiled = await compileTypescript(out);
        assert.equal(compiled.status, 0, compiled.output);
        const tested = runTypescriptTests(out);
        assert.equal(tested.status, 0, tested.output);
        assert.match(tested.output, /# fail 0/);
      });
    } else if (target.lang === 'python') {
      it(`${name}: ${label} passes py_compile and its TestClient replay`, async (t) => {
        const out = await generate(storeOf(), name, target);
        const python = anyPython();
        if (!python) return t.skip('no python3 on this machine');
        const compiled = run(
          python,
          ['-m', 'py_compile', 'webhook_types.py', 'webhook_handler.py', 'test_webhook_handler.py'],
          out,
        );
        assert.equal(compiled.status, 0, compiled.output);
        const withFastapi = pythonWithFastapi();
        if (!withFastapi)
          return t.skip(
            'FastAPI, PyJWT or httpx missing: compiled only (scripts/install-toolchains.sh installs them)',
          );
        const tested = run(withFastapi, ['-m', 'unittest', '-v', 'test_webhook_handler'], out);
        assert.equal(tested.status, 0, tested.output);
        assert.match(tested.output, /\nOK\b/);
      });
    } else {
      it(`${name}: ${label} is gofmt-clean, passes go vet and its httptest replay`, async (t) => {
        const out = await generate(storeOf(), name, target);
        const missing = goToolchain();
        if (missing) return t.skip(`${missing} (scripts/install-toolchains.sh installs it)`);
        const { gofmt, vet, test } = await checkGo(out);
        assert.equal(gofmt.status, 0, gofmt.output);
        assert.equal(gofmt.output.trim(), '', `gofmt -l lists: ${gofmt.output}`);
        assert.equal(vet.status, 0, vet.output);
        assert.equal(test.status, 0, test.output);
      });
    }
  }
}

describe('hooklens generate', () => {
  let watson = '';
  let rapida = '';
  let hostile = '';

  before(async () => {
    watson = await fillStore([
      ...templateRequests('watson.message_logged', 3),
      ...templateRequests('watson.cdr_logged', 2),
      ...templateRequests('watson.message_received', 1),
      ...templateRequests('watson.message_processed', 1),
    ]);
    rapida = await fillStore([
      ...templateRequests('rapida.conversation.begin', 2),
      ...templateRequests('rapida.conversation.completed', 2),
      ...templateRequests('rapida.conversation.failed', 1),
    ]);
    hostile = await fillStore(
      [0, 1, 2].map((variant) =>
        captured(hostileBody(variant), [['Content-Type', 'application/json']]),
      ),
    );
  });

  checksFor('watson', () => watson);
  checksFor('rapida', () => rapida);
  checksFor('hostile', () => hostile);

  it('keeps tokens and the secret out of every file it writes', async () => {
    for (const target of TARGETS) {
      const out = await generate(watson, 'secrets', target);
      for (const name of await readdir(out)) {
        const text = await readFile(join(out, name), 'utf8');
        assert.ok(!text.includes(SECRET), `${name} holds the secret`);
        assert.doesNotMatch(
          text,
          /eyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}\./,
          `${name} holds a token`,
        );
      }
    }
  });

  it('--event picks one event; --ids picks deliveries; the files written are listed on stdout', async () => {
    const out = join(OUT_ROOT, 'cli-event');
    await rm(out, { recursive: true, force: true });
    const result = await runCli([
      'generate',
      '--store',
      watson,
      '--lang',
      'typescript',
      '--event',
      'cdr_logged',
      '--out',
      out,
    ]);
    assert.equal(result.status, 0, result.stderr);
    assert.deepEqual(
      result.stdout
        .trim()
        .split('\n')
        .map((line) => line.slice(out.length + 1)),
      [
        'webhookTypes.ts',
        'webhookHandler.ts',
        'server.ts',
        'webhookHandler.test.ts',
        'package.json',
      ],
    );
    assert.match(
      result.stderr,
      /generated typescript\/node for Watson Assistant from 2 deliveries: cdr_logged \(2\)/,
    );
    const handler = await readFile(join(out, 'webhookHandler.ts'), 'utf8');
    assert.match(handler, /onCdrLogged/);
    assert.doesNotMatch(handler, /onMessageLogged/);

    const exported = await runCli(['export', '--store', watson]);
    const ids = exported.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { id: string; event: string })
      .filter((record) => record.event === 'message_logged')
      .map((record) => record.id);
    await rm(join(OUT_ROOT, 'cli-ids'), { recursive: true, force: true });
    const byIds = await runCli([
      'generate',
      '--store',
      watson,
      '--lang',
      'python',
      '--ids',
      ids.slice(0, 2).join(','),
      '--out',
      join(OUT_ROOT, 'cli-ids'),
    ]);
    assert.equal(byIds.status, 0, byIds.stderr);
    assert.match(byIds.stderr, /from 2 deliveries: message_logged \(2\)/);
  });

  it('--limit keeps the most recent deliveries of each event', async () => {
    const exported = await runCli(['export', '--store', watson]);
    const newest = exported.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { id: string; event: string })
      .filter((record) => record.event === 'message_logged')
      .at(-1)!;
    const out = join(OUT_ROOT, 'cli-limit');
    await rm(out, { recursive: true, force: true });
    const result = await runCli([
      'generate',
      '--store',
      watson,
      '--lang',
      'typescript',
      '--event',
      'message_logged',
      '--limit',
      '1',
      '--out',
      out,
    ]);
    assert.equal(result.status, 0, result.stderr);
    assert.match(result.stderr, /from 1 deliveries: message_logged \(1\)/);
    const test = await readFile(join(out, 'webhookHandler.test.ts'), 'utf8');
    const logId = (
      JSON.parse((await runCli(['export', '--store', watson, '--ids', newest.id])).stdout) as {
        body: string;
      }
    ).body.match(/"log_id":"([^"]+)"/)![1]!;
    assert.ok(test.includes(logId), 'the newest message_logged is the sample used');
  });

  it('refuses to overwrite files unless --force, and says which', async () => {
    const out = join(OUT_ROOT, 'cli-force');
    await rm(out, { recursive: true, force: true });
    const first = await runCli(['generate', '--store', watson, '--lang', 'go', '--out', out]);
    assert.equal(first.status, 0, first.stderr);
    await writeFile(join(out, 'handler.go'), '// mine\n');
    const second = await runCli(['generate', '--store', watson, '--lang', 'go', '--out', out]);
    assert.equal(second.status, 1);
    assert.match(
      second.stderr,
      /webhook_types\.go, handler\.go, main\.go, handler_test\.go, go\.mod already exist in .*Nothing was written; use --force/,
    );
    assert.equal(await readFile(join(out, 'handler.go'), 'utf8'), '// mine\n');
    const forced = await runCli([
      'generate',
      '--store',
      watson,
      '--lang',
      'go',
      '--out',
      out,
      '--force',
    ]);
    assert.equal(forced.status, 0, forced.stderr);
    assert.notEqual(await readFile(join(out, 'handler.go'), 'utf8'), '// mine\n');
  });

  it('explains bad requests: missing options, unknown language or framework, unknown event, unusable bodies', async () => {
    const out = join(OUT_ROOT, 'cli-errors');
    const noLang = await runCli(['generate', '--store', watson, '--out', out]);
    assert.equal(noLang.status, 2);
    assert.match(noLang.stderr, /--lang typescript\|python\|go is required/);
    const rust = await runCli(['generate', '--store', watson, '--lang', 'rust', '--out', out]);
    assert.equal(rust.status, 2);
    assert.match(rust.stderr, /typescript, python or go, not "rust"/);
    const django = await runCli([
      'generate',
      '--store',
      watson,
      '--lang',
      'python',
      '--framework',
      'django',
      '--out',
      out,
    ]);
    assert.equal(django.status, 2);
    assert.match(django.stderr, /offers fastapi or flask, not "django"/);
    const unknown = await runCli([
      'generate',
      '--store',
      watson,
      '--lang',
      'go',
      '--event',
      'nope',
      '--out',
      out,
    ]);
    assert.equal(unknown.status, 1);
    assert.match(unknown.stderr, /No deliveries of 'nope'/);

    const deep = await fillStore([
      captured(`{"type":"deep","x":${'['.repeat(5000)}${']'.repeat(5000)}}`, []),
    ]);
    const tooDeep = await runCli([
      'generate',
      '--store',
      deep,
      '--lang',
      'typescript',
      '--out',
      out,
    ]);
    assert.equal(tooDeep.status, 1);
    assert.match(
      tooDeep.stderr,
      /nests 5001 levels deep; HookLens generates code for up to 64 levels/,
    );
  });

  it('help names every option', async () => {
    const help = await runCli(['generate', '--help']);
    assert.equal(help.status, 0);
    for (const option of [
      '--store',
      '--lang',
      '--framework',
      '--zod',
      '--ids',
      '--event',
      '--limit',
      '--out',
      '--force',
    ]) {
      assert.ok(help.stdout.includes(option), option);
    }
  });
});

describe('generation on a worker thread (what the extension uses)', () => {
  const bundle = join(root, 'dist', 'generator.js');
  const records = () => {
    const random = seededRandom('worker');
    return Array.from({ length: 200 }, (_, index) => {
      const built = buildEvent('watson.cdr_logged', { nowMs: nowMs + index * 1000, random });
      return {
        id: `01worker${String(index).padStart(5, '0')}`,
        bodyBase64: built.body.toString('base64'),
        parseError: null,
        sender: built.sender,
        event: built.event,
        headers: built.headers,
      };
    });
  };

  it('generates in dist/generator.js as a worker while this thread keeps running', async () => {
    let ticks = 0;
    const timer = setInterval(() => ticks++, 5);
    try {
      const outcome = await generateOffThread(
        records(),
        { language: 'typescript', framework: 'node', zod: false },
        {},
        undefined,
        bundle,
      );
      assert.ok(outcome.ok, outcome.ok ? '' : outcome.message);
      assert.deepEqual(outcome.summary.events, [{ name: 'cdr_logged', samples: 200 }]);
      assert.deepEqual(
        outcome.summary.files.map((file) => file.name),
        [
          'webhookTypes.ts',
          'webhookHandler.ts',
          'server.ts',
          'webhookHandler.test.ts',
          'package.json',
        ],
      );
      assert.match(outcome.summary.files[0]!.content, /export interface CdrLoggedPayload/);
    } finally {
      clearInterval(timer);
    }
    assert.ok(ticks > 0, 'this thread ran timers while the worker generated');
  });

  it('reports a GenerationError as a user error, and stops when cancelled', async () => {
    const deep = [
      {
        id: '01deep',
        bodyBase64: Buffer.from(`{"type":"x","d":${'['.repeat(100)}${']'.repeat(100)}}`).toString(
          'base64',
        ),
        parseError: null,
        sender: 'generic' as const,
        event: 'x',
        headers: [],
      },
    ];
    const refused = await generateOffThread(
      deep,
      { language: 'go', framework: 'nethttp', zod: false },
      {},
      undefined,
      bundle,
    );
    assert.deepEqual(refused, {
      ok: false,
      message:
        'None of the selected deliveries can be used: A delivery body nests 101 levels deep; HookLens generates code for up to 64 levels.',
      userError: true,
    });
    const abort = new AbortController();
    const pending = generateOffThread(
      records(),
      { language: 'python', framework: 'fastapi', zod: false },
      {},
      abort.signal,
      bundle,
    );
    abort.abort();
    assert.deepEqual(await pending, {
      ok: false,
      message: 'Generation was cancelled.',
      userError: true,
    });
  });
});
