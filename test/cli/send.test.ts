// `hooklens send` as a real process against a real `hooklens listen`: signed sample events verify,
// a small load arrives whole, broken tokens are rejected, templates are listed, mistakes are
// explained, and a captured delivery saved as a template file is sent again with fresh ids.
import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { DeliveryStore } from '../../src/core/store/deliveryStore';
import { BUILT_IN_TEMPLATES, buildEvent } from '../../src/core/simulate/templates';
import { templateFromDelivery } from '../../src/core/simulate/userTemplates';
import { cleanUp, runCli, startListen, tempDir } from './listenProcess';

const SECRET = 'cli-send-test-secret-7e1d3b9c5a2f8064';
const listenEnv = { HOOKLENS_SECRET: SECRET };
/** The sender reads the secret from a variable of its own, to prove --secret-env is honoured. */
const sendEnv = { SEND_SECRET: SECRET };
const UUID = '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}';

after(cleanUp);

async function listenOn(store?: string, env: Record<string, string> = listenEnv) {
  const dir = store ?? (await tempDir());
  const listen = await startListen(['--store', dir], env);
  return { listen, store: dir, watson: `${listen.url}webhooks/watson` };
}

async function storedRecords(store: string) {
  const opened = await DeliveryStore.open(store);
  try {
    const records = [];
    for (const summary of opened.summaries()) records.push(await opened.get(summary.id));
    return records.filter((record) => record !== undefined);
  } finally {
    await opened.close();
  }
}

describe('hooklens send', () => {
  it('sends a signed watson.message_logged that listen verifies', async () => {
    const { listen, store, watson } = await listenOn();
    const result = await runCli(
      ['send', 'watson.message_logged', '--to', watson, '--secret-env', 'SEND_SECRET'],
      sendEnv,
    );
    assert.equal(result.status, 0, result.stderr);
    assert.match(
      result.stdout,
      new RegExp(`^200  [\\d.]+ ms  watson\\.message_logged  ${UUID}\\n$`),
    );
    assert.match(
      result.stderr,
      /sending watson\.message_logged to http:\/\/127\.0\.0\.1:\d+\/webhooks\/watson \(JWT signed with \$SEND_SECRET\)/,
    );
    assert.match(result.stderr, /sent 1: 200 ×1; .*all 2xx as expected/);
    const logId = /(\S+)\n$/.exec(result.stdout)?.[1] ?? '';
    const [line = ''] = await listen.waitForStdoutLines(1);
    assert.match(line, /\b200\s+verified\s+message_logged\s+POST \/webhooks\/watson/);
    assert.ok(!result.stdout.includes(SECRET) && !result.stderr.includes(SECRET));
    await listen.stop();
    const [record] = await storedRecords(store);
    assert.equal(record?.senderEventId, logId, 'the id printed is the log_id that arrived');
    assert.equal(record?.verification.verdict, 'verified');
  });

  it('--count 20 --rate 50 delivers 20 distinct verified events, paced', async () => {
    const { listen, store, watson } = await listenOn();
    const started = Date.now();
    const result = await runCli(
      ['send', 'watson.cdr_logged', '--to', watson, '--count', '20', '--rate', '50'],
      listenEnv,
    );
    assert.equal(result.status, 0, result.stderr);
    assert.ok(Date.now() - started >= 380, '20 events at 50/s take at least 0.38 s');
    const lines = result.stdout.trimEnd().split('\n');
    assert.equal(lines.length, 20);
    for (const line of lines) assert.match(line, /^200 {2}.* ms {2}watson\.cdr_logged {2}/);
    assert.match(result.stderr, /sending 20 × watson\.cdr_logged .*50\/s/);
    assert.match(result.stderr, /sent 20: 200 ×20;/);

    const listened = await listen.waitForStdoutLines(20);
    for (const line of listened) {
      assert.match(line, /\b200\s+verified\s+cdr_logged\b/);
      assert.doesNotMatch(line, /retry of/, 'fresh ids: no event looks like a sender retry');
    }
    await listen.stop();
    const records = await storedRecords(store);
    assert.equal(records.length, 20);
    assert.equal(new Set(records.map((record) => record.senderEventId)).size, 20);
    assert.ok(records.every((record) => record.verification.verdict === 'verified'));
  });

  it('more than 20 events: a progress line a second on stderr, a summary on stdout', async () => {
    const { listen, watson } = await listenOn();
    const result = await runCli(
      ['send', 'watson.message_received', '--to', watson, '--count', '25', '--rate', '20'],
      listenEnv,
    );
    assert.equal(result.status, 0, result.stderr);
    assert.match(
      result.stdout,
      /^sent 25: 200 ×25; p50 [\d.]+ ms, p95 [\d.]+ ms; .*all 2xx as expected\.\n$/,
    );
    assert.match(result.stderr, /^sent 2\d\/25: 2\d 2xx, 0 other, 0 failed \(\d+\/s\)$/m);
    await listen.waitForStdoutLines(25);
    await listen.stop();
  });

  it('--bad-signature, --expired and --unsigned: listen rejects each, and that is exit 0', async () => {
    const { listen, store, watson } = await listenOn();
    const cases = [
      ['--bad-signature', /\b401\s+BAD SIGNATURE\s+message_logged/],
      ['--expired', /\b401\s+EXPIRED\s+message_logged/],
      ['--unsigned', /\b401\s+NO TOKEN\s+message_logged/],
    ] as const;
    for (const [index, [flag, expected]] of cases.entries()) {
      const result = await runCli(
        ['send', 'watson.message_logged', '--to', watson, flag],
        listenEnv,
      );
      assert.equal(result.status, 0, `${flag}: ${result.stderr}`);
      assert.match(result.stdout, /^401 {2}.*answer: \{"error":"unauthorized"\}\n$/);
      assert.match(result.stderr, /all 401\/403 as expected/);
      const lines = await listen.waitForStdoutLines(index + 1);
      assert.match(lines[index] ?? '', expected);
    }
    await listen.stop();
    const verdicts = (await storedRecords(store)).map((record) => record.verification.verdict);
    assert.deepEqual(verdicts.sort(), ['expired', 'invalid_signature', 'missing_token']);
  });

  it('exits 1 when a valid event is not answered 2xx, and explains a missing secret', async () => {
    const { listen, watson } = await listenOn();
    const unsignedWatson = await runCli(['send', 'watson.message_logged', '--to', watson]);
    assert.equal(unsignedWatson.status, 1);
    assert.match(unsignedWatson.stderr, /warning: \$HOOKLENS_SECRET is not set/);
    assert.match(unsignedWatson.stdout, /^401 /);

    const rapida = await runCli(
      ['send', 'rapida.conversation.completed', '--to', `${listen.url}webhooks/rapida`],
      listenEnv,
    );
    assert.equal(rapida.status, 1);
    assert.match(rapida.stderr, /unsigned, as Rapida sends/);
    assert.match(rapida.stderr, /add --sign/);
    const signed = await runCli(
      ['send', 'rapida.conversation.completed', '--sign', '--to', `${listen.url}webhooks/rapida`],
      listenEnv,
    );
    assert.equal(signed.status, 0, signed.stderr);
    const lines = await listen.waitForStdoutLines(3);
    assert.match(
      lines[2] ?? '',
      /\b200\s+verified\s+conversation\.completed\s+POST \/webhooks\/rapida/,
    );

    const named = await runCli(
      ['send', 'watson.message_logged', '--to', watson, '--secret-env', 'NOT_SET_ANYWHERE'],
      {},
    );
    assert.equal(named.status, 1);
    assert.match(named.stderr, /\$NOT_SET_ANYWHERE is not set/);
    const expired = await runCli(['send', 'watson.message_logged', '--to', watson, '--expired']);
    assert.equal(expired.status, 1);
    assert.match(expired.stderr, /--expired signs with the secret/);
    await listen.stop();
  });

  it('--list names every built-in template; --list --json is machine-readable', async () => {
    const list = await runCli(['send', '--list']);
    assert.equal(list.status, 0);
    const lines = list.stdout.trimEnd().split('\n');
    assert.equal(lines.length, BUILT_IN_TEMPLATES.length);
    for (const [index, template] of BUILT_IN_TEMPLATES.entries()) {
      assert.ok(lines[index]?.startsWith(template.name), lines[index]);
      assert.ok(lines[index]?.includes(template.description));
    }
    const json = await runCli(['send', '--list', '--json']);
    assert.deepEqual(JSON.parse(json.stdout), BUILT_IN_TEMPLATES);
  });

  it('an unknown template exits 2 with the list of names and a suggestion', async () => {
    const result = await runCli(['send', 'watson.message_loged']);
    assert.equal(result.status, 2);
    assert.match(
      result.stderr,
      /There is no template called 'watson\.message_loged'\. Did you mean watson\.message_logged\?/,
    );
    for (const template of BUILT_IN_TEMPLATES)
      assert.ok(result.stderr.includes(`  ${template.name}\n`));
    assert.equal((await runCli(['send'])).status, 2);
    assert.equal((await runCli(['send', 'a', 'b'])).status, 2);
    const both = await runCli(['send', 'watson.cdr_logged', '--expired', '--unsigned']);
    assert.equal(both.status, 2);
    assert.match(both.stderr, /Use only one of --expired, --unsigned/);
    for (const [flag, value] of [
      ['--count', '0'],
      ['--count', '10001'],
      ['--rate', '0'],
      ['--rate', '1001'],
      ['--rate', 'fast'],
      ['--to', 'ftp://example.com/'],
    ]) {
      const bad = await runCli(['send', 'watson.cdr_logged', flag ?? '', value ?? '']);
      assert.equal(bad.status, 2, `${flag} ${value}`);
    }
  });

  it('a captured delivery saved as a template file is sent again with fresh ids and a fresh token', async () => {
    const first = await listenOn();
    const sent = await runCli(
      ['send', 'watson.message_logged', '--to', `${first.listen.url}hooks/dev?env=test`],
      listenEnv,
    );
    assert.equal(sent.status, 0, sent.stderr);
    await first.listen.waitForStdoutLines(1);
    await first.listen.stop();
    const [captured] = await storedRecords(first.store);
    assert.ok(captured);

    const dir = await tempDir();
    const file = join(dir, 'balance.json');
    await writeFile(file, JSON.stringify(templateFromDelivery(captured, 'balance turn'), null, 2));

    const second = await listenOn(first.store);
    const resent = await runCli(
      ['send', file, '--to', `${second.listen.url}hooks/dev?env=test`, '--count', '2'],
      listenEnv,
    );
    assert.equal(resent.status, 0, resent.stderr);
    assert.match(resent.stderr, /sending 2 × balance turn to /);
    const lines = resent.stdout.trimEnd().split('\n');
    assert.equal(lines.length, 2);
    for (const line of lines)
      assert.match(line, new RegExp(`^200  .* ms  watson\\.message_logged  ${UUID}$`));
    const listened = await second.listen.waitForStdoutLines(2);
    for (const line of listened) {
      assert.match(line, /\b200\s+verified\s+message_logged\s+POST \/hooks\/dev\?env=test/);
      assert.doesNotMatch(line, /retry of/);
    }
    await second.listen.stop();
    const records = await storedRecords(first.store);
    assert.equal(records.length, 3);
    const logIds = new Set(records.map((record) => record.senderEventId));
    assert.equal(logIds.size, 3, 'every send has its own log_id');
    const bodies = records.map(
      (record) =>
        JSON.parse(Buffer.from(record.bodyBase64, 'base64').toString()) as {
          payload: { assistant_id: string; request: { input: { text: string } } };
        },
    );
    assert.equal(new Set(bodies.map((body) => body.payload.assistant_id)).size, 1);
    assert.equal(new Set(bodies.map((body) => body.payload.request.input.text)).size, 1);
  });

  it('a raw JSON body file is sent as its sender sends it; a bad file is explained', async () => {
    const { listen } = await listenOn(undefined, {});
    const dir = await tempDir();
    const raw = join(dir, 'rapida-body.json');
    await writeFile(raw, buildEvent('rapida.conversation.failed', { nowMs: Date.now() }).body);
    const result = await runCli(['send', raw, '--to', `${listen.url}webhooks/rapida`]);
    assert.equal(result.status, 0, result.stderr);
    assert.match(result.stdout, /^200 {2}.* ms {2}rapida\.conversation\.failed {2}\d{19}\n$/);
    assert.match(result.stderr, /sending rapida-body\.json to .* \(unsigned, as Rapida sends\)/);
    const [line = ''] = await listen.waitForStdoutLines(1);
    assert.match(line, /\b200\s+unverified\s+conversation\.failed/);
    await listen.stop();

    const hostile = join(dir, 'hostile.json');
    await writeFile(
      hostile,
      JSON.stringify({
        format: 'hooklens-template/1',
        name: 'x',
        body: '{}',
        path: '//evil.example/',
      }),
    );
    const refused = await runCli(['send', hostile]);
    assert.equal(refused.status, 1);
    assert.match(refused.stderr, /hostile\.json: "path" must start with a single "\/"/);

    const notJson = join(dir, 'broken.json');
    await writeFile(notJson, '{"event":');
    const broken = await runCli(['send', notJson]);
    assert.equal(broken.status, 1);
    assert.match(broken.stderr, /broken\.json: The file is not JSON/);

    const missing = await runCli(['send', join(dir, 'missing.json')]);
    assert.equal(missing.status, 1);
    assert.match(missing.stderr, /Cannot read .*missing\.json: no such file\./);

    const binary = join(dir, 'binary.json');
    await writeFile(binary, Buffer.from([0x7b, 0xff, 0xfe, 0x7d]));
    const notText = await runCli(['send', binary]);
    assert.equal(notText.status, 1);
    assert.match(notText.stderr, /binary\.json is not UTF-8 text/);
  });

  it('github and stripe templates, signed with their own secrets, are verified by listen', async () => {
    const env = { GH_SECRET: "It's a Secret to Everybody", ST_SECRET: 'whsec_cli_send_4c2e8a' };
    const secrets = ['--secret-env', 'github:GH_SECRET', '--secret-env', 'stripe:ST_SECRET'];
    const store = await tempDir();
    const listen = await startListen(['--store', store, ...secrets], env);
    const cases = [
      ['github.push', /\b200\s+verified\s+push\s+POST \/webhooks\/github/],
      [
        'github.pull_request.opened',
        /\b200\s+verified\s+pull_request\.opened\s+POST \/webhooks\/github/,
      ],
      [
        'stripe.payment_intent.succeeded',
        /\b200\s+verified\s+payment_intent\.succeeded\s+POST \/webhooks\/stripe/,
      ],
    ] as const;
    for (const [index, [template, pattern]] of cases.entries()) {
      const path = template.startsWith('github') ? 'github' : 'stripe';
      const result = await runCli(
        ['send', template, '--to', `${listen.url}webhooks/${path}`, ...secrets],
        env,
      );
      assert.equal(result.status, 0, result.stderr);
      assert.match(
        result.stderr,
        new RegExp(`\\((GitHub|Stripe) signature with \\$(GH|ST)_SECRET\\)`),
      );
      const lines = await listen.waitForStdoutLines(index + 1);
      assert.match(lines[index] ?? '', pattern);
    }
    // Without the provider's secret the event goes unsigned: nothing marks it as Stripe's any
    // more, so listen takes it for a generic webhook it cannot verify.
    const unsigned = await runCli(
      ['send', 'stripe.payment_intent.succeeded', '--to', `${listen.url}webhooks/stripe`],
      {},
    );
    assert.equal(unsigned.status, 0, unsigned.stderr);
    assert.match(
      unsigned.stderr,
      /warning: no Stripe signing secret is given, so stripe\.payment_intent\.succeeded goes unsigned\. Give it with --secret-env stripe:NAME/,
    );
    assert.match(
      (await listen.waitForStdoutLines(4))[3] ?? '',
      /\b200\s+unverified\s+payment_intent/,
    );
    // A bad signature and an expired timestamp are refused for those reasons.
    const bad = await runCli(
      [
        'send',
        'stripe.payment_intent.succeeded',
        '--to',
        `${listen.url}webhooks/stripe`,
        '--bad-signature',
        ...secrets,
      ],
      env,
    );
    assert.equal(bad.status, 0, bad.stderr);
    const expired = await runCli(
      [
        'send',
        'stripe.payment_intent.succeeded',
        '--to',
        `${listen.url}webhooks/stripe`,
        '--expired',
        ...secrets,
      ],
      env,
    );
    assert.equal(expired.status, 0, expired.stderr);
    assert.match(expired.stderr, /Stripe signature with \$ST_SECRET, timestamp 10 minutes old/);
    const lines = await listen.waitForStdoutLines(6);
    assert.match(lines[4] ?? '', /\b401\s+BAD SIGNATURE\s+payment_intent\.succeeded/);
    assert.match(lines[5] ?? '', /\b401\s+EXPIRED\s+payment_intent\.succeeded/);
    // GitHub signatures have no timestamp: --expired does not apply, and says so.
    const noExpiry = await runCli(['send', 'github.push', '--expired', ...secrets], env);
    assert.equal(noExpiry.status, 2);
    assert.match(noExpiry.stderr, /--expired: GitHub deliveries are signed without a timestamp/);
    await listen.stop();
  });

  it('every provider’s template is recognised and verified by listen with that provider’s secret', async () => {
    const env = {
      GH: 'gh-secret',
      ST: 'whsec_cli_send_4c2e8a',
      SW: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw',
      SH: 'shopify-api-secret',
      SL: '8f742231b10e8888abcd99aaabbb85a5',
      TW: '12345678901234567890123456789012',
      GL: 'gitlab-secret-token',
      ME: '0a1b2c3d4e5f60718293a4b5c6d7e8f9',
      ...listenEnv,
    };
    const secrets = [
      ['github', 'GH'],
      ['stripe', 'ST'],
      ['standard-webhooks', 'SW'],
      ['shopify', 'SH'],
      ['slack', 'SL'],
      ['twilio', 'TW'],
      ['gitlab', 'GL'],
      ['meta', 'ME'],
    ].flatMap(([provider, name]) => ['--secret-env', `${provider}:${name}`]);
    const all = [...secrets, '--secret-env', 'HOOKLENS_SECRET'];
    const store = await tempDir();
    const listen = await startListen(['--store', store, ...all], env);
    const signed = BUILT_IN_TEMPLATES.filter(
      (template) => template.sender !== 'rapida' && template.sender !== 'discord',
    );
    for (const template of signed) {
      const result = await runCli(
        ['send', template.name, '--to', `${listen.url}${template.path.slice(1)}`, ...all],
        env,
      );
      assert.equal(result.status, 0, `${template.name}: ${result.stderr}`);
    }
    await listen.waitForStdoutLines(signed.length);
    await listen.stop();
    const records = await storedRecords(store);
    const seen = records.map((record) =>
      [record.sender, record.event, record.verification.verdict].join(' '),
    );
    const expected = signed.map((template) => `${template.sender} ${template.event} verified`);
    assert.deepEqual(seen.sort(), expected.sort());
  });

  it('a bare JSON body that does not show its provider needs --provider, then is signed its way', async () => {
    const env = { ST_SECRET: 'whsec_cli_send_4c2e8a' };
    const secrets = ['--secret-env', 'stripe:ST_SECRET'];
    const listen = await startListen(['--store', await tempDir(), ...secrets], env);
    const dir = await tempDir();
    const file = join(dir, 'event.json');
    await writeFile(
      file,
      buildEvent('stripe.payment_intent.succeeded', { nowMs: Date.now() }).body,
    );
    const to = ['--to', `${listen.url}webhooks/stripe`];
    const unknown = await runCli(['send', file, ...to, ...secrets], env);
    assert.equal(unknown.status, 2);
    assert.match(unknown.stderr, /Cannot tell which provider sends .*event\.json.*--provider/);
    const named = await runCli(['send', file, '--provider', 'stripe', ...to, ...secrets], env);
    assert.equal(named.status, 0, named.stderr);
    assert.match(named.stderr, /\(Stripe signature with \$ST_SECRET\)/);
    const [line = ''] = await listen.waitForStdoutLines(1);
    assert.match(line, /\b200\s+verified\s+payment_intent\.succeeded/);
    await listen.stop();
  });
});
