// The Flask and Next.js App Router targets (`hooklens generate --framework flask|nextjs`), run as a
// user would: Flask's own server (Debian's python3-flask) and the compiled route.ts's exported
// POST called with real web-standard Requests (Node 20's global Request, no Next.js installed).
// Deliveries are signed by the providers' own libraries (stripe, twilio): genuine ones reach
// their typed function with 200, forged ones get 401; the generated tests pass, the Python is
// clean under mypy --strict, and the route compiles under `tsc --init`'s defaults.
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, describe, it } from 'node:test';
import Stripe from 'stripe';
import twilio from 'twilio';
import {
  compileInTscInitPackage,
  compileTypescript,
  mypyStrict,
  pythonWithMypy,
  run,
} from './generatedToolchains';
import {
  CAPTURE_HOST,
  fillStore,
  freePort,
  GENERATED_ROOT,
  generateInto,
  runGeneratedTest,
  send,
  serveGenerated,
  stop,
  timesReached,
  type Req,
} from './generateServers';
import { cleanUp, root, tempDir } from './listenProcess';

after(cleanUp);

const PYTHONS = ['/usr/bin/python3', 'python3'];
const flaskPython = PYTHONS.find(
  (python) => run(python, ['-c', 'import flask'], root).status === 0,
);

const STRIPE_SECRET = 'whsec_frameworks_test_secret_7d2e';
const stripe = new Stripe('sk_test_hooklens', { apiVersion: '2024-06-20' as never });

function stripeRequest(type: string, n: number, secret = STRIPE_SECRET): Req {
  const body = JSON.stringify({
    id: `evt_${n}`,
    object: 'event',
    type,
    created: Math.floor(Date.now() / 1000),
    data: { object: { id: `pi_${n}`, object: 'payment_intent', amount: 100 * n } },
  });
  return {
    path: '/stripe',
    headers: {
      'content-type': 'application/json',
      'stripe-signature': stripe.webhooks.generateTestHeaderString({ payload: body, secret }),
    },
    body,
  };
}

const TWILIO_TOKEN = '0123456789abcdef0123456789abcdef';
function twilioRequest(url: string, text: string, token = TWILIO_TOKEN): Req {
  const params = {
    SmsSid: 'SM0123456789abcdef0123456789abcdef',
    SmsStatus: 'received',
    MessageSid: 'SM0123456789abcdef0123456789abcdef',
    AccountSid: 'AC0123456789abcdef0123456789abcdef',
    From: '+14155550100',
    To: '+15005550006',
    Body: text,
  };
  return {
    path: new URL(url).pathname,
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      'x-twilio-signature': twilio.getExpectedTwilioSignature(token, url, params),
    },
    body: new URLSearchParams(params).toString(),
  };
}

async function stores(): Promise<{ stripe: string; twilio: string }> {
  return {
    stripe: await fillStore(
      [
        stripeRequest('payment_intent.succeeded', 1),
        stripeRequest('payment_intent.succeeded', 2),
        stripeRequest('charge.refunded', 3),
      ],
      [{ provider: 'stripe', label: 'current', value: STRIPE_SECRET }],
    ),
    twilio: await fillStore(
      [
        twilioRequest(`http://${CAPTURE_HOST}/twilio`, 'Hi'),
        twilioRequest(`http://${CAPTURE_HOST}/twilio`, 'Yo'),
      ],
      [{ provider: 'twilio', label: 'current', value: TWILIO_TOKEN }],
    ),
  };
}

describe(
  'hooklens generate --framework flask',
  { skip: flaskPython ? false : 'python3-flask is not installed (scripts/install-toolchains.sh)' },
  () => {
    it('serves genuine Stripe and Twilio deliveries 200 and forged ones 401 under Flask; its test passes; mypy --strict is clean', async () => {
      const { stripe: stripeStore, twilio: twilioStore } = await stores();
      // Stripe: a JSON body and a timestamped signature.
      const stripeOut = join(GENERATED_ROOT, 'flask-stripe');
      const generated = await generateInto(stripeStore, stripeOut, 'python', [
        '--framework',
        'flask',
      ]);
      assert.match(generated.stderr, /generated python\/flask for Stripe from 3 deliveries/);
      const handler = await readFile(join(stripeOut, 'webhook_handler.py'), 'utf8');
      assert.match(handler, /request\.get_data\(/);
      assert.match(handler, /flask --app webhook_handler run/);
      assert.doesNotMatch(handler, /fastapi/i);
      assert.match(await readFile(join(stripeOut, 'requirements.txt'), 'utf8'), /^flask>=/m);
      let port = await freePort();
      let server = await serveGenerated(
        stripeOut,
        'python',
        port,
        { WEBHOOK_SECRET: STRIPE_SECRET },
        'flask',
      );
      try {
        const base = `http://127.0.0.1:${port}`;
        const fresh = stripeRequest('payment_intent.succeeded', 9);
        assert.equal((await send(base, fresh)).status, 200);
        const forged = stripeRequest('payment_intent.succeeded', 10, 'whsec_someone_else');
        assert.equal((await send(base, forged)).status, 401);
        const tampered = { ...fresh, body: fresh.body.replace('"amount":900', '"amount":1') };
        assert.equal((await send(base, tampered)).status, 401);
        await new Promise((resolve) => setTimeout(resolve, 150));
        assert.equal(timesReached(server.output, 'payment_intent.succeeded'), 1, server.output);
      } finally {
        await stop(server);
      }
      const tested = await runGeneratedTest(stripeOut, 'python');
      assert.equal(tested.status, 0, `generated Flask test:\n${tested.output}`);
      const mypy = pythonWithMypy();
      if (mypy) {
        const checked = await mypyStrict(mypy, stripeOut);
        assert.equal(checked.status, 0, checked.output);
      }

      // Twilio: a form, signed over the URL Flask was called on.
      const twilioOut = join(GENERATED_ROOT, 'flask-twilio');
      await generateInto(twilioStore, twilioOut, 'python', ['--framework', 'flask']);
      port = await freePort();
      server = await serveGenerated(
        twilioOut,
        'python',
        port,
        { WEBHOOK_SECRET: TWILIO_TOKEN },
        'flask',
      );
      try {
        const base = `http://127.0.0.1:${port}`;
        const fresh = twilioRequest(`${base}/twilio?account=a1`, 'Hello from twilio-node');
        const withQuery = { ...fresh, path: '/twilio?account=a1' };
        const answer = await send(base, withQuery);
        assert.equal(answer.status, 200, answer.text);
        assert.match(answer.text, /<Response><\/Response>/);
        const forged = twilioRequest(`${base}/twilio`, 'x', 'another-auth-token');
        assert.equal((await send(base, forged)).status, 401);
        await new Promise((resolve) => setTimeout(resolve, 150));
        assert.equal(timesReached(server.output, 'message.received'), 1, server.output);
      } finally {
        await stop(server);
      }
      const twilioTested = await runGeneratedTest(twilioOut, 'python');
      assert.equal(twilioTested.status, 0, `generated Flask test:\n${twilioTested.output}`);
    });
  },
);

interface RouteModule {
  readonly runtime: string;
  POST(request: Request): Promise<Response>;
}

/** Calls route.ts's POST with WEBHOOK_SECRET set, collecting what the stubs log. */
async function callRoute(
  route: RouteModule,
  secret: string,
  url: string,
  request: Req,
): Promise<{ status: number; text: string; logged: string[] }> {
  const logged: string[] = [];
  const log = console.log;
  const saved = process.env['WEBHOOK_SECRET'];
  process.env['WEBHOOK_SECRET'] = secret;
  console.log = (...args: unknown[]) => logged.push(args.map(String).join(' '));
  try {
    const response = await route.POST(
      new Request(url, { method: 'POST', headers: request.headers, body: request.body }),
    );
    return { status: response.status, text: await response.text(), logged };
  } finally {
    console.log = log;
    if (saved === undefined) delete process.env['WEBHOOK_SECRET'];
    else process.env['WEBHOOK_SECRET'] = saved;
  }
}

describe('hooklens generate --framework nextjs', () => {
  it('writes an App Router route.ts whose POST answers genuine Stripe and Twilio deliveries 200 and forged ones 401', async () => {
    const { stripe: stripeStore, twilio: twilioStore } = await stores();
    const out = join(GENERATED_ROOT, 'nextjs-stripe');
    const generated = await generateInto(stripeStore, out, 'typescript', ['--framework', 'nextjs']);
    assert.match(generated.stderr, /generated typescript\/nextjs for Stripe/);
    assert.match(generated.stdout, /route\.ts/);
    assert.doesNotMatch(generated.stdout, /server\.ts/);
    const source = await readFile(join(out, 'route.ts'), 'utf8');
    assert.match(source, /export async function POST\(req: Request\): Promise<Response>/);
    assert.match(source, /export const runtime = 'nodejs';/);
    assert.match(source, /app\/api\/webhooks\/route\.ts/);
    const compiled = await compileTypescript(out);
    assert.equal(compiled.status, 0, compiled.output);
    const route = (await import(pathToFileURL(join(out, 'out', 'route.js')).href)) as RouteModule &
      Record<string, unknown>;
    // Next.js refuses a route file exporting anything but its route fields.
    assert.deepEqual(Object.keys(route).sort(), ['POST', 'runtime']);
    assert.equal(route.runtime, 'nodejs');
    const url = 'https://shop.example/api/webhooks';
    const genuine = await callRoute(route, STRIPE_SECRET, url, stripeRequest('charge.refunded', 7));
    assert.equal(genuine.status, 200, genuine.text);
    assert.deepEqual(JSON.parse(genuine.text), { ok: true });
    assert.deepEqual(genuine.logged, ['webhook: charge.refunded']);
    const forged = await callRoute(
      route,
      STRIPE_SECRET,
      url,
      stripeRequest('charge.refunded', 8, 'whsec_someone_else'),
    );
    assert.equal(forged.status, 401, forged.text);
    assert.deepEqual(forged.logged, []);
    const noSecret = await callRoute(route, '', url, stripeRequest('charge.refunded', 9));
    assert.equal(noSecret.status, 500, noSecret.text);
    const tested = await runGeneratedTest(out, 'typescript');
    assert.equal(tested.status, 0, `generated Next.js test:\n${tested.output}`);
    for (const type of ['commonjs', 'module'] as const) {
      const result = await compileInTscInitPackage(
        out,
        await tempDir(`hooklens-nextjs-${type}-`),
        type,
      );
      assert.equal(result.init.status, 0, result.init.output);
      assert.equal(result.compiled.status, 0, `tsc --init (${type}):\n${result.compiled.output}`);
      assert.equal(result.tested.status, 0, `${type}:\n${result.tested.output}`);
    }

    // Twilio: a form signed over the public URL the route was called on.
    const twilioOut = join(GENERATED_ROOT, 'nextjs-twilio');
    await generateInto(twilioStore, twilioOut, 'typescript', ['--framework', 'nextjs']);
    const twilioCompiled = await compileTypescript(twilioOut);
    assert.equal(twilioCompiled.status, 0, twilioCompiled.output);
    const twilioRoute = (await import(
      pathToFileURL(join(twilioOut, 'out', 'route.js')).href
    )) as RouteModule;
    const publicUrl = 'https://abc.ngrok.app/api/webhooks?account=a1';
    const sms = await callRoute(
      twilioRoute,
      TWILIO_TOKEN,
      publicUrl,
      twilioRequest(publicUrl, 'Hello from twilio-node'),
    );
    assert.equal(sms.status, 200, sms.text);
    assert.match(sms.text, /<Response><\/Response>/);
    assert.deepEqual(sms.logged, ['webhook: message.received']);
    const forgedSms = await callRoute(
      twilioRoute,
      TWILIO_TOKEN,
      publicUrl,
      twilioRequest(publicUrl, 'Hello', 'another-auth-token'),
    );
    assert.equal(forgedSms.status, 401, forgedSms.text);
    const twilioTested = await runGeneratedTest(twilioOut, 'typescript');
    assert.equal(twilioTested.status, 0, `generated Next.js test:\n${twilioTested.output}`);
  });
});
