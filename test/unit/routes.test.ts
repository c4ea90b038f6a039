// Routes and chosen answers (issue 17): the pattern language, rule parsing and validation with
// their messages, first-match-wins matching, answer templates, and failure simulation.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  describeSimulation,
  FailureSimulator,
  fillTemplate,
  parseFailNext,
  parseFailRate,
  renderAnswer,
} from '../../src/core/routes/chosenAnswers';
import { compileGlob } from '../../src/core/routes/glob';
import { routeByNameOrIndex, routeReplayTarget } from '../../src/core/routes/replayTarget';
import { Router } from '../../src/core/routes/router';
import {
  firstMatch,
  matchValueText,
  parseMatchText,
  parseRouteEntry,
  parseRouteList,
  parseRoutesJson,
  parseRouteText,
  pathOf,
  routeFactsOf,
  routeProblemsNotice,
  type Route,
  type RouteFacts,
} from '../../src/core/routes/routeRules';
import { deliveryOutcome } from '../../src/core/detail/outcome';
import { presentRow } from '../../src/core/detail/rowPresentation';
import { summarize } from '../../src/core/store/deliveryIndex';
import { presentVerdict, SIMULATED_FAILURE } from '../../src/shared/verdicts';
import { aDelivery } from './builders';

function route(text: string, name?: string): Route {
  const checked = parseRouteText(text, name);
  if (!checked.ok) assert.fail(`${text}: ${checked.error}`);
  return checked.route;
}

function error(text: string): string {
  const checked = parseRouteText(text);
  assert.equal(checked.ok, false, `${text} should be refused`);
  return checked.ok ? '' : checked.error;
}

const stripe: RouteFacts = {
  path: '/webhooks/stripe',
  provider: 'stripe',
  event: 'payment_intent.succeeded',
  verdict: 'verified',
  headers: [
    ['Stripe-Signature', 't=1,v1=abc'],
    ['Content-Type', 'application/json'],
  ],
};
const github: RouteFacts = {
  path: '/webhooks/github',
  provider: 'github',
  event: 'push',
  verdict: 'no_secret',
  headers: [['X-GitHub-Event', 'push']],
};

describe('route patterns', () => {
  it('* matches any run of characters, / included; everything else is literal', () => {
    const glob = compileGlob('payment_intent.*');
    assert.ok(glob.ok);
    assert.equal(glob.test('payment_intent.succeeded'), true);
    assert.equal(glob.test('payment_intent.'), true);
    assert.equal(glob.test('payment_intentXsucceeded'), false, 'the dot is a dot');
    assert.equal(glob.test('charge.succeeded'), false);
    const path = compileGlob('/slow*');
    assert.ok(path.ok);
    assert.equal(path.test('/slow/deep/path'), true);
    const regexy = compileGlob('a+b(c)|d$');
    assert.ok(regexy.ok);
    assert.equal(regexy.test('a+b(c)|d$'), true);
    assert.equal(regexy.test('aab(c)'), false);
  });

  it('refuses syntax it does not support, saying what to use', () => {
    for (const [pattern, words] of [
      ['push.[ab]', "uses '['"],
      ['{push,pull}', "uses '{'"],
      ['push?', "uses '?'"],
      ['/a/**', "uses '**'"],
      ['', 'empty'],
      ['a\nb', 'control character'],
    ] as const) {
      const glob = compileGlob(pattern);
      assert.equal(glob.ok, false, pattern);
      if (!glob.ok) assert.match(glob.error, new RegExp(words.replace(/[[{?*]/g, '\\$&')));
    }
  });
});

describe('route rules', () => {
  it('parses MATCH=>TARGET with every condition kind', () => {
    const rule = route(
      'provider=stripe,event=payment_intent.*,path=/webhooks,verdict=verified,header.Stripe-Signature=*=>http://localhost:4242/stripe',
    );
    assert.equal(rule.target.kind, 'forward');
    assert.equal(rule.matches(stripe), true);
    assert.equal(rule.matches({ ...stripe, event: 'charge.failed' }), false);
    assert.equal(rule.matches({ ...stripe, verdict: 'invalid_signature' }), false);
    assert.equal(rule.matches({ ...stripe, headers: [] }), false, 'header.NAME=* needs the header');
    assert.equal(
      rule.name,
      'path=/webhooks,provider=stripe,event=payment_intent.*,verdict=verified,header.Stripe-Signature=*',
    );
  });

  it('a path without * is a prefix that stops at a segment', () => {
    const rule = route('path=/webhooks/stripe=>http://localhost:1/');
    assert.equal(rule.matches(stripe), true);
    assert.equal(rule.matches({ ...stripe, path: '/webhooks/stripe/test' }), true);
    assert.equal(rule.matches({ ...stripe, path: '/webhooks/stripey' }), false);
    assert.equal(rule.matches({ ...stripe, path: '/webhooks' }), false);
  });

  it('provider and verdict ignore case; event and header values do not; header names do', () => {
    assert.equal(route('provider=Stripe=>http://localhost:1/').matches(stripe), true);
    assert.equal(route('verdict=VERIFIED=>http://localhost:1/').matches(stripe), true);
    assert.equal(route('event=Payment_intent.*=>http://localhost:1/').matches(stripe), false);
    assert.equal(
      route('header.content-type=application/*=>http://localhost:1/').matches(stripe),
      true,
    );
    assert.equal(
      route('header.Content-Type=APPLICATION/*=>http://localhost:1/').matches(stripe),
      false,
    );
  });

  it('a delivery without an event never matches an event condition, not even *', () => {
    const rule = route('event=*=>http://localhost:1/');
    assert.equal(rule.matches({ ...github, event: null }), false);
    assert.equal(rule.matches(github), true);
  });

  it('* matches every delivery', () => {
    const rule = route('*=>answer:204');
    assert.equal(rule.matches(stripe) && rule.matches(github), true);
    assert.equal(rule.name, '*');
  });

  it('the first matching rule wins; no match is undefined (the catch-all applies)', () => {
    const routes = [
      route('provider=stripe,event=payment_intent.*=>http://localhost:4242/stripe'),
      route('provider=stripe=>http://localhost:4243/other'),
      route('event=push=>answer:202'),
    ];
    assert.equal(firstMatch(routes, stripe), routes[0]);
    assert.equal(firstMatch(routes, { ...stripe, event: 'charge.failed' }), routes[1]);
    assert.equal(firstMatch(routes, github), routes[2]);
    assert.equal(firstMatch(routes, { ...github, event: 'issues' }), undefined);
  });

  it('parses answers: status, delay, headers, and a body that runs to the end, commas and all', () => {
    const rule = route(
      'path=/slow*=>answer:503,delay=2000,header.Retry-After=30,body={"a":1,"b":"x,y"}',
    );
    assert.deepEqual(rule.target, {
      kind: 'answer',
      answer: {
        status: 503,
        delayMs: 2000,
        body: '{"a":1,"b":"x,y"}',
        headers: [['Retry-After', '30']],
      },
    });
    assert.equal(
      rule.text,
      'path=/slow*=>answer:503,delay=2000,header.Retry-After=30,body={"a":1,"b":"x,y"}',
    );
    assert.deepEqual(route('*=>answer:200,body=').target, {
      kind: 'answer',
      answer: { status: 200, delayMs: 0, body: '', headers: [] },
    });
  });

  it('a value may hold a comma: in double quotes, or escaped as \\,', () => {
    const tagged: RouteFacts = { ...stripe, headers: [['X-Tags', 'a,b']] };
    const quoted = route('provider=stripe,header.X-Tags="a,b"=>http://localhost:1/');
    assert.deepEqual(quoted.when.headers, [['X-Tags', 'a,b']]);
    assert.equal(quoted.when.provider, 'stripe');
    assert.equal(quoted.matches(tagged), true);
    assert.equal(quoted.matches({ ...stripe, headers: [['X-Tags', 'a']] }), false);
    const escaped = route('header.X-Tags=a\\,b,provider=stripe=>http://localhost:1/');
    assert.deepEqual(escaped.when.headers, [['X-Tags', 'a,b']]);
    assert.equal(escaped.when.provider, 'stripe');
    assert.equal(escaped.matches(tagged), true);
    // Spaces around a quoted value, and a quoted event pattern with * and a comma.
    const spaced = route('event = "order,*" , provider=shopify=>answer:200');
    assert.equal(spaced.when.event, 'order,*');
    assert.equal(spaced.matches({ ...stripe, provider: 'shopify', event: 'order,paid' }), true);
    // Inside quotes: =>, an escaped quote and an escaped backslash stay part of the value.
    const odd = route('header.X-Odd="x=>\\"y\\"\\\\z"=>http://localhost:1/');
    assert.deepEqual(odd.when.headers, [['X-Odd', 'x=>"y"\\z']]);
    // The canonical text quotes what needs it, and reads back to the same rule.
    assert.equal(quoted.name, 'provider=stripe,header.X-Tags="a,b"');
    assert.equal(odd.name, 'header.X-Odd="x=>\\"y\\"\\\\z"');
    for (const rule of [quoted, escaped, spaced, odd]) {
      assert.deepEqual(route(rule.text).when, rule.when, rule.text);
    }
    assert.equal(matchValueText('payment_intent.*'), 'payment_intent.*');
    assert.equal(matchValueText('a,b'), '"a,b"');
    assert.match(error('header.X-Tags="a,b=>http://localhost:1/'), /no '=>'|has no closing quote/);
    assert.match(parseMatchText('header.X-Tags="a,b') as string, /has no closing quote/);
    assert.match(
      parseMatchText('header.X-Tags="a,b"c,provider=stripe') as string,
      /after the quoted value of 'header\.X-Tags' comes 'c,provider=stripe': separate conditions with a comma/,
    );
  });

  it('says clearly what is wrong with a rule', () => {
    assert.match(error('provider=stripe'), /no '=>'/);
    assert.match(error('=>http://localhost:1/'), /the match is empty/);
    assert.match(error('evnt=push=>http://localhost:1/'), /unknown condition 'evnt'/);
    assert.match(error('event=push,event=pull=>http://localhost:1/'), /given twice/);
    assert.match(error('provider=strpe=>http://localhost:1/'), /unknown provider 'strpe'.*stripe/);
    assert.match(error('verdict=ok=>http://localhost:1/'), /unknown verdict 'ok'.*verified/);
    assert.match(error('event=push.[ab]=>http://localhost:1/'), /^event: .*'\['/);
    assert.match(error('path=webhooks=>http://localhost:1/'), /must start with \//);
    assert.match(error('header.Bad Name=x=>http://localhost:1/'), /does not name a header/);
    assert.match(error('*=>localhost:3000'), /bad target URL/);
    assert.match(error('*=>ftp://example.com/'), /bad target URL.*http/);
    assert.match(error('*=>answer:99'), /status 99 is out of range: use 200 to 599/);
    assert.match(error('*=>answer:600'), /out of range/);
    assert.match(error('*=>answer:abc'), /whole number from 200 to 599, not 'abc'/);
    assert.match(error('*=>answer:500,delay=-1'), /delay must be a whole number/);
    assert.match(error('*=>answer:500,delay=999999'), /from 0 to 120000/);
    assert.match(error('*=>answer:500,wait=1'), /unknown answer option 'wait'/);
    assert.match(error('*=>answer:500,header.Content-Length=1'), /cannot set Content-Length/);
  });

  it('reads JSON entries: strings, objects with to, and objects with an answer', () => {
    const parsed = parseRoutesJson(
      JSON.stringify([
        'provider=github=>http://localhost:4001/github',
        {
          name: 'stripe',
          match: { provider: 'stripe', event: 'payment_intent.*' },
          to: 'http://localhost:4002/',
        },
        {
          name: 'slack-challenge',
          match: 'provider=slack,event=url_verification',
          answer: { status: 200, body: '{"challenge":"{challenge}"}' },
        },
        { match: { headers: { 'X-Test': 'yes' } }, to: 'answer:418' },
      ]),
    );
    assert.deepEqual(parsed.problems, []);
    assert.deepEqual(
      parsed.routes.map((rule) => rule.name),
      ['provider=github', 'stripe', 'slack-challenge', 'header.X-Test=yes'],
    );
    assert.deepEqual(parseRoutesJson('{"routes": []}'), { routes: [], problems: [] });
  });

  it('a bad entry is named by its position and what it says, and left out; the others keep their order', () => {
    const parsed = parseRouteList([
      'provider=github=>http://localhost:4001/',
      { match: 'event=push', to: 'http://localhost:1/', answer: { status: 200 } },
      42,
      { match: 'event=x', to: 'answer:700' },
      'provider=github=>http://localhost:4009/',
      { name: 'x', to: 'http://localhost:1/', extra: 1 },
    ]);
    assert.deepEqual(
      parsed.routes.map((rule) => rule.name),
      ['provider=github'],
    );
    assert.deepEqual(parsed.problems, [
      'route 2 ({"match":"event=push","to":"http://localhost:1/","answer":{"status":200}}): give exactly one of to (a URL or answer:STATUS) and answer',
      'route 3 (42): a route is a "MATCH=>TARGET" string or an object with match and to (or answer)',
      'route 4 ({"match":"event=x","to":"answer:700"}): the answer status 700 is out of range: use 200 to 599',
      'route 5 (provider=github=>http://localhost:4009/) can never match: an earlier route has the same conditions',
      'route 6 ({"name":"x","to":"http://localhost:1/","extra":1}): unknown route field \'extra\': use name, match, to or answer',
    ]);
    // A long or multi-line rule is named on one short line.
    const long = parseRouteList([`provider=nope,\npath=/${'x'.repeat(300)}=>answer:200`]);
    assert.match(
      long.problems[0] ?? '',
      /^route 1 \(provider=nope, path=\/x+…\): unknown provider 'nope'/,
    );
    assert.ok((long.problems[0] ?? '').length < 400);
    assert.match(parseRoutesJson('[').problems[0] ?? '', /not valid JSON/);
    assert.match(parseRoutesJson('{"a":1}').problems[0] ?? '', /JSON array of routes/);
    const named = parseRouteEntry({ name: 'a\nb', to: 'answer:200' });
    assert.equal(named.ok, false);
  });

  it('a stored delivery gives the same facts (Replay re-matches it)', () => {
    const facts = routeFactsOf({
      url: '/webhooks/stripe?x=1',
      sender: 'stripe',
      event: 'payment_intent.created',
      verification: { verdict: 'verified' },
      headers: [],
    });
    assert.deepEqual(facts, {
      path: '/webhooks/stripe',
      provider: 'stripe',
      event: 'payment_intent.created',
      verdict: 'verified',
      headers: [],
    });
    assert.equal(pathOf('http://example.com/a/b?c'), '/a/b');
  });
});

describe('chosen answers', () => {
  const context = {
    id: '01HX',
    event: 'message_received',
    provider: 'watson',
    json: { payload: { input: { text: 'hi "there"' } }, challenge: 'c"1' },
  };

  it('fills templates: text JSON-escaped, {payload} as JSON (the Watson echo)', () => {
    assert.equal(
      fillTemplate('{"payload":{payload}}', context),
      '{"payload":{"input":{"text":"hi \\"there\\""}}}',
    );
    assert.equal(fillTemplate('{"challenge":"{challenge}"}', context), '{"challenge":"c\\"1"}');
    assert.equal(
      fillTemplate('id={id} event={event} by {provider} {other}', context),
      'id=01HX event=message_received by watson {other}',
    );
    assert.equal(fillTemplate('{payload}', { ...context, json: undefined }), 'null');
  });

  it('renders an answer with a fitting Content-Type unless the rule set one', () => {
    const json = renderAnswer(
      { status: 202, delayMs: 0, body: '{"ok":true}', headers: [] },
      context,
    );
    assert.deepEqual(json.headers, [['Content-Type', 'application/json; charset=utf-8']]);
    const text = renderAnswer(
      { status: 503, delayMs: 10, body: 'busy', headers: [['Retry-After', '5']] },
      context,
    );
    assert.deepEqual(text.headers, [
      ['Content-Type', 'text/plain; charset=utf-8'],
      ['Retry-After', '5'],
    ]);
    const own = renderAnswer(
      { status: 200, delayMs: 0, body: 'x', headers: [['content-type', 'text/xml']] },
      context,
    );
    assert.deepEqual(own.headers, [['content-type', 'text/xml']]);
    const none = renderAnswer({ status: 204, delayMs: 0, headers: [] }, context);
    assert.deepEqual(JSON.parse(none.body), {
      received: true,
      id: '01HX',
      answer: 'chosen',
      status: 204,
    });
  });
});

describe('failure simulation', () => {
  it('parses N[:STATUS] and PERCENT[:STATUS], refusing what is out of range', () => {
    assert.deepEqual(parseFailNext('3'), { ok: true, value: { count: 3, status: 500 } });
    assert.deepEqual(parseFailNext('2:503'), { ok: true, value: { count: 2, status: 503 } });
    assert.equal(parseFailNext('0').ok, false);
    assert.equal(parseFailNext('x').ok, false);
    const status = parseFailNext('3:200');
    assert.ok(!status.ok);
    assert.match(status.error, /failure status 200 is out of range: a failure is 400 to 599/);
    assert.deepEqual(parseFailRate('12.5:429'), {
      ok: true,
      value: { percent: 12.5, status: 429 },
    });
    assert.deepEqual(parseFailRate('25%'), { ok: true, value: { percent: 25, status: 500 } });
    assert.equal(parseFailRate('0').ok, false);
    assert.equal(parseFailRate('101').ok, false);
  });

  it('fails exactly the next N deliveries, then returns to normal', () => {
    const simulator = new FailureSimulator({ next: { count: 3, status: 500 } });
    assert.equal(simulator.active, true);
    const taken = [1, 2, 3, 4].map(() => simulator.take());
    assert.deepEqual(
      taken.map((failure) => failure?.status),
      [500, 500, 500, undefined],
    );
    assert.equal(taken[0]?.note, 'Failure simulation: delivery 1 of the next 3 answered 500.');
    assert.equal(simulator.remaining, 0);
    assert.equal(simulator.active, false);
  });

  it('fails a share of deliveries by the random draw', () => {
    const draws = [0.1, 0.3, 0.24, 0.99];
    const simulator = new FailureSimulator(
      { rate: { percent: 25, status: 503 } },
      () => draws.shift() ?? 1,
    );
    assert.deepEqual(
      [1, 2, 3, 4].map(() => simulator.take()?.status),
      [503, undefined, 503, undefined],
    );
    assert.equal(describeSimulation(simulator.simulation), 'failing 25% (503)');
    assert.equal(
      describeSimulation({ next: { count: 3, status: 500 } }, 2),
      'failing the next 2 (500)',
    );
  });

  it('the router: simulation first, then routes in order; a forwarding route needs its forwarder', () => {
    const answer = route('event=push=>answer:202,delay=5');
    const forward = route('provider=github=>http://localhost:1/');
    const router = new Router(
      [{ route: forward }, { route: answer }],
      new FailureSimulator({ next: { count: 1, status: 502 } }),
    );
    const first = router.decide(github);
    assert.equal(first?.kind, 'answer');
    assert.deepEqual(first?.choice, {
      name: 'fail-next',
      kind: 'simulated',
      status: 502,
      note: 'Failure simulation: delivery 1 of the next 1 answered 502.',
    });
    // The forwarding route has no forwarder (refused as a loop): the next rule applies.
    const second = router.decide(github);
    assert.equal(second?.kind, 'answer');
    assert.equal(second?.choice.name, 'event=push');
    assert.equal(second?.choice.delayMs, 5);
    assert.equal(router.decide(stripe), undefined);
  });

  it('a chosen answer is shown, not counted as a failure', () => {
    const outcome = deliveryOutcome({
      senderStatus: 500,
      forward: null,
      replay: null,
      route: {
        name: 'fail-next',
        kind: 'simulated',
        status: 500,
        note: 'Failure simulation: delivery 1 of the next 3 answered 500.',
      },
    });
    assert.equal(outcome.kind, 'chosen');
    assert.equal(outcome.failed, false);
    assert.equal(outcome.words, 'simulated failure');
    // A route's handler that is down is a failure like forwarding's.
    const down = deliveryOutcome({
      senderStatus: 502,
      forward: { status: null, timeMs: 1, ok: false },
      replay: null,
      route: { name: 'stripe', kind: 'forward', target: 'http://localhost:1/' },
    });
    assert.equal(down.kind, 'handler-down');
    assert.equal(down.failed, true);
  });
});

describe('bad rules are said, not ignored', () => {
  it('one warning names each rule that is left out and what is wrong with it', () => {
    const parsed = parseRouteList([
      'provider=strpe=>http://localhost:4242/',
      'provider=github=>http://localhost:4001/',
      'event=push.[ab]=>answer:200',
    ]);
    assert.deepEqual(
      parsed.routes.map((rule) => rule.name),
      ['provider=github'],
    );
    const notice = routeProblemsNotice(parsed.problems);
    assert.ok(notice);
    assert.match(
      notice,
      /^HookLens: 2 rules in hooklens\.routes are not used until you fix them: /,
    );
    assert.match(
      notice,
      /route 1 \(provider=strpe=>http:\/\/localhost:4242\/\): unknown provider 'strpe'/,
    );
    assert.match(notice, /route 3 \(event=push\.\[ab\]=>answer:200\): event: .*'\['/);
    assert.match(
      routeProblemsNotice(['route 1 (x): bad.'], '--routes r.json') ?? '',
      /^HookLens: a rule in --routes r\.json is not used until you fix it: route 1 \(x\): bad\.$/,
    );
    assert.equal(routeProblemsNotice([]), undefined);
  });
});

describe('rows of deliveries answered by a chosen failure', () => {
  const NOW = Date.parse('2025-06-01T10:05:00.000Z');
  const LOCATION = { segment: 1, offset: 0, length: 1 };
  const simulated = {
    name: 'fail-next',
    kind: 'simulated' as const,
    status: 500,
    note: 'Failure simulation: delivery 1 of the next 3 answered 500.',
  };
  const rowOf = (overrides: Parameters<typeof aDelivery>[1]) =>
    presentRow(summarize({ ...aDelivery('d_sim', overrides), seq: 1 }, LOCATION, 0), {
      groupBy: 'none',
      now: NOW,
    });

  it('a simulated failure shows a failure icon, not the verdict’s (no secret, or verified)', () => {
    for (const verification of [
      { verdict: 'no_secret', reason: 'No secret is configured.' },
      { verdict: 'verified', reason: 'The signature matches.' },
    ]) {
      const row = rowOf({
        verification,
        response: { status: 500, headers: [], body: '', timeMs: 1 },
        route: simulated,
      });
      assert.equal(row.icon, SIMULATED_FAILURE.icon, verification.verdict);
      assert.notEqual(row.icon, presentVerdict(verification.verdict).icon);
      assert.equal(row.tone, 'error');
      assert.match(row.description, /^500 · simulated failure/);
      // Still not counted as a handler failure (badges, status bar).
      assert.equal(row.outcome.failed, false);
      assert.match(row.tooltip, /Failure simulation: delivery 1 of the next 3 answered 500\./);
    }
  });

  it('a route’s own failing answer is marked the same way; a 2xx chosen answer keeps the verdict', () => {
    const failing = rowOf({
      response: { status: 503, headers: [], body: '', timeMs: 1 },
      route: { name: 'path=/slow*', kind: 'answer', status: 503 },
    });
    assert.deepEqual([failing.icon, failing.tone], [SIMULATED_FAILURE.icon, 'error']);
    const fine = rowOf({
      response: { status: 200, headers: [], body: '', timeMs: 1 },
      route: { name: '*', kind: 'answer', status: 200 },
    });
    assert.deepEqual([fine.icon, fine.tone], ['pass', 'ok']);
  });

  it('a failed verdict keeps its own icon even when failure simulation answered', () => {
    const row = rowOf({
      verification: { verdict: 'invalid_signature', reason: 'The signature does not match.' },
      response: { status: 500, headers: [], body: '', timeMs: 1 },
      route: simulated,
    });
    assert.equal(row.icon, presentVerdict('invalid_signature').icon);
  });
});

describe('where a replay goes: its route', () => {
  const record = {
    url: '/webhooks/github?x=1',
    sender: 'github',
    event: 'push',
    verification: { verdict: 'no_secret' },
    headers: [['X-GitHub-Event', 'push']] as Array<readonly [string, string]>,
  };

  it('configured rules are matched again; without any, the route the delivery took', () => {
    const rules = [
      route('provider=stripe=>http://localhost:1/s'),
      route('event=push=>http://localhost:2/g'),
    ];
    const now = routeReplayTarget(record, rules);
    assert.equal(now.kind, 'route');
    assert.equal(now.kind === 'route' && now.target.href, 'http://localhost:2/g');
    assert.equal(now.kind === 'route' && now.source, 'rules');
    const taken = routeReplayTarget(
      { ...record, route: { name: 'gh', kind: 'forward', target: 'http://localhost:3/old' } },
      [],
    );
    assert.deepEqual(taken.kind === 'route' && [taken.route, taken.target.href, taken.source], [
      'gh',
      'http://localhost:3/old',
      'recorded',
    ]);
    assert.deepEqual(routeReplayTarget(record, undefined), { kind: 'none' });
    assert.deepEqual(routeReplayTarget(record, [route('provider=stripe=>http://localhost:1/')]), {
      kind: 'none',
    });
    const answers = routeReplayTarget(record, [route('*=>answer:503,delay=5')]);
    assert.deepEqual(answers, {
      kind: 'answers',
      route: '*',
      description: 'answers 503 after 5 ms',
    });
    // A simulated failure is not a route to replay to.
    assert.deepEqual(
      routeReplayTarget(
        { ...record, route: { name: 'fail-next', kind: 'simulated', status: 500 } },
        [],
      ),
      { kind: 'none' },
    );
  });

  it('a configured route is chosen by name or by position', () => {
    const rules = [
      route('provider=stripe=>http://localhost:1/', 'stripe'),
      route('event=push=>http://localhost:2/'),
    ];
    assert.equal(routeByNameOrIndex(rules, 'stripe'), rules[0]);
    assert.equal(routeByNameOrIndex(rules, 2), rules[1]);
    assert.equal(routeByNameOrIndex(rules, ' 2 '), rules[1]);
    assert.equal(routeByNameOrIndex(rules, 'event=push'), rules[1]);
    assert.equal(routeByNameOrIndex(rules, 3), undefined);
    assert.equal(routeByNameOrIndex(rules, 'nope'), undefined);
  });
});
