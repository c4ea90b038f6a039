// The detail webview rendered in jsdom: hostile payloads stay text in every tab and sender view
// (W-01, W-05), the JSON tree keeps exact numbers and renders lazily, tabs follow the ARIA
// pattern, and a live update keeps the user's place.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { JSDOM } from 'jsdom';
import { buildDeliveryDetail } from '../../src/core/detail/deliveryDetail';
import type { DeliveryRecord } from '../../src/core/delivery';
import type { DeliveryDetail } from '../../src/shared/detail';
import { DETAIL_ACTIONS, parseWebviewMessage, type WebviewToHost } from '../../src/shared/protocol';
import { DetailView } from '../../webview-ui/src/detailView';
import { relativeTime } from '../../webview-ui/src/format';
import { JsonTree, newTreeState, parseLossless } from '../../webview-ui/src/jsonTree';
import { anAttempt } from './builders';
import {
  aRecordWithBody,
  aSenderRecord,
  rapida,
  watsonCdr,
  watsonMessageLogged,
} from './detailBuilders';
import {
  aProviderRecord,
  GITHUB_SECRET,
  githubPullRequest,
  githubPush,
  shopifyOrder,
  STRIPE_SECRET,
  stripePaymentIntent,
} from './providerRecords';

const dom = new JSDOM('<!DOCTYPE html><html><body><main id="app"></main></body></html>', {
  pretendToBeVisual: true,
});
const hostPosts: unknown[] = [];
const savedStates: unknown[] = [];
Object.assign(globalThis, {
  window: dom.window,
  document: dom.window.document,
  acquireVsCodeApi: () => ({
    postMessage: (message: unknown) => hostPosts.push(message),
    setState: (state: unknown) => savedStates.push(state),
    getState: () => ({ deliveryId: 'd_01', tab: 'auth' }),
  }),
});
after(() => dom.window.close());

const NOW = Date.parse('2025-06-01T12:00:00.000Z');

const HOSTILE = [
  '<script>alert(1)</script>',
  '<img src=x onerror=alert(1)>',
  '</div><svg onload=alert(1)>',
  'javascript:alert(1)',
  '"><iframe srcdoc="<script>alert(2)</script>">',
  'left\u202Eright',
  '\u2066iso\u2067late\u2068first\u2069pop',
  'zero\u200Bwidth',
  '\x1b[31mred',
  'carriage\rreturn',
].join(' ');

const LITERALS = [
  '<script>alert(1)</script>',
  '<img src=x onerror=alert(1)>',
  '</div><svg onload=alert(1)>',
  'javascript:alert(1)',
  '"><iframe srcdoc="<script>alert(2)</script>">',
];
const MADE_VISIBLE = [
  '\\u202E',
  '\\u2066',
  '\\u2067',
  '\\u2068',
  '\\u2069',
  '\\u200B',
  '\\x1B[31m',
  '\\x0D',
];
// eslint-disable-next-line no-control-regex -- asserting that none of them is left.
const INVISIBLE = /[\u202A-\u202E\u2066-\u2069\u200B\x1b\r]/;

const CREATED_TAGS = new Set([
  'DIV',
  'SECTION',
  'HEADER',
  'H1',
  'H2',
  'H3',
  'P',
  'SPAN',
  'STRONG',
  'CODE',
  'PRE',
  'TABLE',
  'THEAD',
  'TBODY',
  'TR',
  'TH',
  'TD',
  'UL',
  'OL',
  'LI',
  'BUTTON',
  'INPUT',
  'DETAILS',
  'SUMMARY',
  'FIGURE',
  'FIGCAPTION',
  // The sender views' pictures (confidence bars, the call timeline): SVG, so lower case.
  'svg',
  'rect',
]);

/** Only the page's own elements and attributes exist, and payload text never sits in one. */
function assertOnlyOwnMarkup(root: Element): void {
  for (const element of root.querySelectorAll('*')) {
    assert.ok(CREATED_TAGS.has(element.tagName), `unexpected <${element.tagName.toLowerCase()}>`);
    for (const attribute of element.attributes) {
      assert.ok(!/^on/i.test(attribute.name), `event handler attribute ${attribute.name}`);
      assert.ok(
        !['href', 'src', 'srcdoc', 'style', 'xlink:href', 'action', 'formaction'].includes(
          attribute.name.toLowerCase(),
        ),
        attribute.name,
      );
      assert.ok(
        !/alert\(|<script/i.test(attribute.value),
        `payload in ${attribute.name}="${attribute.value}"`,
      );
    }
  }
}

function assertTextIsLiteralAndVisible(root: Element): void {
  const text = root.textContent ?? '';
  for (const literal of LITERALS) assert.ok(text.includes(literal), `missing literal ${literal}`);
  for (const escape of MADE_VISIBLE) assert.ok(text.includes(escape), `missing visible ${escape}`);
  assert.doesNotMatch(text, INVISIBLE);
}

const tick = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 0));

const testRoots: HTMLElement[] = [];

/** A fresh root; earlier ones are removed so element ids stay unique, as in the real page. */
function newRoot(): HTMLElement {
  for (const previous of testRoots.splice(0)) previous.remove();
  const root = document.createElement('main');
  document.body.append(root);
  testRoots.push(root);
  return root;
}

function click(element: Element | null | undefined): void {
  assert.ok(element, 'element to click exists');
  (element as HTMLElement).click();
}

/** A JSON tree node's state: aria-expanded is on its tree item, the toggle is for the mouse. */
function expandedOf(toggle: Element | undefined): string | null | undefined {
  return toggle?.closest('[role="treeitem"]')?.getAttribute('aria-expanded');
}

function buttonsLabelled(root: Element, label: string): HTMLElement[] {
  return [...root.querySelectorAll<HTMLElement>('button')].filter(
    (button) => button.getAttribute('aria-label') === label || button.textContent?.trim() === label,
  );
}

/** Visits every tab, opens every <details>, expands every tree and shows every raw view. */
async function renderEverything(view: DetailView, root: HTMLElement): Promise<void> {
  for (const tab of root.querySelectorAll<HTMLElement>('[role="tab"]')) {
    click(tab);
    const panel = root.querySelector(`#${tab.getAttribute('aria-controls') ?? ''}`);
    assert.ok(panel && !(panel as HTMLElement).hidden, 'the selected panel shows');
    for (const details of panel.querySelectorAll('details')) details.open = true;
    await tick();
    for (const button of buttonsLabelled(panel, 'Expand all')) click(button);
    for (const button of buttonsLabelled(panel, 'Raw')) click(button);
  }
  assert.equal(view.ui.tab, 'attempts');
}

function hostileRecord(): DeliveryRecord {
  const body = watsonMessageLogged();
  const payload = body.payload as Record<string, Record<string, unknown>>;
  (payload.request?.input as Record<string, unknown>).text = HOSTILE;
  payload.response = {
    output: {
      intents: [{ intent: HOSTILE, confidence: 0.5 }],
      entities: [{ entity: HOSTILE, value: HOSTILE, location: [0, 1] }],
      generic: [
        { response_type: 'text', text: HOSTILE },
        {
          response_type: 'option',
          title: HOSTILE,
          options: [{ label: HOSTILE, value: { input: { text: HOSTILE } } }],
        },
        {
          response_type: 'search',
          header: HOSTILE,
          results: [{ title: HOSTILE, body: HOSTILE, url: 'javascript:alert(1)' }],
        },
        { response_type: HOSTILE, [HOSTILE]: HOSTILE },
      ],
    },
  };
  body[HOSTILE] = { [HOSTILE]: [HOSTILE] };
  const claimsTime = Math.floor(NOW / 1000);
  return aSenderRecord(body, 'watson', 'message_logged', {
    url: `/webhook?q=${HOSTILE}`,
    event: HOSTILE,
    sessionId: HOSTILE,
    headers: [
      ['Content-Type', 'application/json'],
      ['Authorization', `Bearer ${HOSTILE}`],
      [`X-Evil-${HOSTILE}`, HOSTILE],
    ],
    verification: {
      verdict: 'invalid_signature',
      reason: HOSTILE,
      header: { alg: HOSTILE, [HOSTILE]: 1 },
      claims: { sub: HOSTILE, iat: HOSTILE, exp: claimsTime + 240, nbf: claimsTime - 7200 },
    },
    response: {
      status: 502,
      headers: [[HOSTILE, HOSTILE]],
      body: JSON.stringify({ [HOSTILE]: HOSTILE }),
      timeMs: 4,
    },
    attempts: [
      anAttempt(500, 9, {
        id: 'f1',
        kind: 'forward',
        target: HOSTILE,
        error: HOSTILE,
        response: { status: 500, headers: [[HOSTILE, HOSTILE]], body: HOSTILE, timeMs: 9 },
      }),
      anAttempt(null, null, { id: 'r1', target: HOSTILE, error: HOSTILE, bodyEdited: true }),
    ],
    duplicateOf: 'd_00',
  });
}

function detailOf(record: DeliveryRecord, pinned = false): DeliveryDetail {
  return buildDeliveryDetail(record, { duplicateCount: 1, pinned });
}

describe('webview: hostile payloads are text in every tab (W-01, W-05)', () => {
  it('a Watson message turn: overview, conversation, request, response, auth, attempts', async () => {
    const posts: WebviewToHost[] = [];
    const root = newRoot();
    const view = new DetailView(root, (message) => posts.push(message), { now: () => NOW });
    view.show(detailOf(hostileRecord()));
    await renderEverything(view, root);
    assertOnlyOwnMarkup(root);
    assertTextIsLiteralAndVisible(root);
    // The search result's URL is plain text: shown, never a link.
    const url = [...root.querySelectorAll('.search-results .url')].map(
      (element) => element.textContent,
    );
    assert.deepEqual(url, ['javascript:alert(1)']);
    assert.deepEqual(posts, [], 'rendering alone posts nothing to the host');
  });

  it('a CDR call summary', async () => {
    const body = watsonCdr(true);
    const payload = body.payload as Record<string, unknown>;
    payload.session_initiation_protocol = {
      headers: { from_uri: `sip:${HOSTILE}@x`, to_uri: HOSTILE, call_id: HOSTILE },
      invite_arrival_time: HOSTILE,
    };
    payload.call = { end_reason: HOSTILE, start_timestamp: HOSTILE, milliseconds_elapsed: HOSTILE };
    payload.failure_occurred = true;
    payload.failure_details = HOSTILE;
    payload.warnings_and_errors = [{ code: HOSTILE, message: HOSTILE }];
    payload.injected_custom_data = { [HOSTILE]: HOSTILE };
    payload.realtime_transport_network_summary = {
      inbound_stream: { canonical_name: HOSTILE, packets_lost: HOSTILE },
    };
    payload.assistant_interaction_summaries = [
      {
        session_id: HOSTILE,
        turns: [
          {
            assistant: { log_id: HOSTILE, start_timestamp: HOSTILE },
            request: { type: HOSTILE },
            response: [{ type: HOSTILE, barge_in_occurred: true }],
          },
        ],
      },
    ];
    const root = newRoot();
    const view = new DetailView(root, () => undefined, { now: () => NOW });
    view.show(detailOf(aSenderRecord(body, 'watson', 'cdr_logged')));
    assert.equal(root.querySelector('#tab-sender')?.textContent, 'Call');
    await renderEverything(view, root);
    assertOnlyOwnMarkup(root);
    const panel = root.querySelector('#panel-sender');
    assert.ok(panel);
    assertTextIsLiteralAndVisible(panel);
    assert.ok(panel.textContent?.includes('Barge-in'));
  });

  it('a Rapida transcript and analysis', async () => {
    const body = rapida('conversation.completed');
    const data = body.data as Record<string, unknown>;
    data.conversation = {
      id: HOSTILE,
      messages: [{ role: HOSTILE, message: HOSTILE, time: HOSTILE }],
    };
    data.analysis = { [HOSTILE]: HOSTILE };
    const root = newRoot();
    const view = new DetailView(root, () => undefined, { now: () => NOW });
    view.show(detailOf(aSenderRecord(body, 'rapida', HOSTILE)));
    assert.equal(root.querySelector('#tab-sender')?.textContent, 'Transcript');
    await renderEverything(view, root);
    assertOnlyOwnMarkup(root);
    const panel = root.querySelector('#panel-sender');
    assert.ok(panel);
    assertTextIsLiteralAndVisible(panel);
    // A role that is not user/assistant gets the neutral style; its text never becomes a class.
    assert.ok(panel.querySelector('.bubble.other'));
  });

  it('pre- and post-message views', () => {
    for (const [name, payload] of [
      ['message_received', { input: { text: HOSTILE, message_type: HOSTILE }, user_id: HOSTILE }],
      [
        'message_processed',
        {
          output: {
            generic: [{ response_type: 'text', text: HOSTILE }],
            intents: [{ intent: HOSTILE }],
          },
          user_id: HOSTILE,
        },
      ],
    ] as const) {
      const root = newRoot();
      const view = new DetailView(root, () => undefined);
      view.show(detailOf(aSenderRecord({ event: { name }, payload }, 'watson', name)));
      view.selectTab('sender', false);
      const panel = root.querySelector('#panel-sender');
      assert.ok(panel);
      assertOnlyOwnMarkup(root);
      assert.ok(panel.textContent?.includes('<script>alert(1)</script>'), name);
      assert.doesNotMatch(panel.textContent ?? '', INVISIBLE);
    }
  });
});

describe('webview: JSON tree', () => {
  function treeOf(text: string): { tree: JsonTree; element: HTMLElement; posts: WebviewToHost[] } {
    const parsed = parseLossless(text);
    assert.ok(parsed.ok);
    const posts: WebviewToHost[] = [];
    const tree = new JsonTree(parsed.value, newTreeState(), {
      post: (message) => posts.push(message),
      label: 'Search the body',
    });
    document.body.append(tree.element);
    return { tree, element: tree.element, posts };
  }

  function rowOf(element: Element, text: string): HTMLElement {
    const row = [...element.querySelectorAll<HTMLElement>('.jt-row')].find((candidate) =>
      candidate.textContent?.includes(text),
    );
    assert.ok(row, `a row showing ${text}`);
    return row;
  }

  function toggles(element: Element): HTMLElement[] {
    return [...element.querySelectorAll<HTMLElement>('.jt-toggle')];
  }

  const BIG = '{"a":{"b":[12345678901234567890123]},"c":"x"}';

  it('opens the first two levels and creates children only when a node is first expanded', () => {
    const { element } = treeOf(BIG);
    assert.deepEqual(
      toggles(element).map((toggle) => expandedOf(toggle)),
      ['true', 'true', 'false'],
    );
    assert.equal(element.querySelectorAll('.jt-number').length, 0, 'b has no children yet');
    click(toggles(element)[2]);
    assert.equal(element.querySelector('.jt-number')?.textContent, '12345678901234567890123');
  });

  it('keeps the exact text of big numbers', () => {
    const { element } = treeOf(BIG);
    click(buttonsLabelled(element, 'Expand all')[0]);
    assert.equal(element.querySelector('.jt-number')?.textContent, '12345678901234567890123');
  });

  it('expands and collapses all (the root stays open)', () => {
    const { element } = treeOf('{"a":{"b":{"c":{"d":[1,2]}}},"e":[[],{}]}');
    click(buttonsLabelled(element, 'Expand all')[0]);
    const expanded = toggles(element).map((toggle) => expandedOf(toggle));
    assert.ok(expanded.length >= 7);
    assert.ok(expanded.every((value) => value === 'true'));
    click(buttonsLabelled(element, 'Collapse all')[0]);
    const [root, ...rest] = toggles(element).map((toggle) => expandedOf(toggle));
    assert.equal(root, 'true');
    assert.ok(rest.every((value) => value === 'false'));
  });

  it('copies the JSON Pointer and the exact value of a node', () => {
    const { element, posts } = treeOf(BIG);
    click(buttonsLabelled(element, 'Expand all')[0]);
    const row = rowOf(element, '12345678901234567890123');
    click(buttonsLabelled(row, 'Copy JSON Pointer')[0]);
    click(buttonsLabelled(row, 'Copy value')[0]);
    assert.deepEqual(posts, [
      { type: 'copy', text: '/a/b/0' },
      { type: 'copy', text: '12345678901234567890123' },
    ]);
  });

  it('escapes ~ and / in pointers, and copies containers as JSON with exact numbers', () => {
    const { element, posts } = treeOf('{"x/y~z":{"n":12345678901234567890123}}');
    const row = rowOf(element, 'x/y~z');
    click(buttonsLabelled(row, 'Copy JSON Pointer')[0]);
    click(buttonsLabelled(row, 'Copy value')[0]);
    assert.deepEqual(posts, [
      { type: 'copy', text: '/x~1y~0z' },
      { type: 'copy', text: '{\n  "n": 12345678901234567890123\n}' },
    ]);
  });

  it('search finds values and keys in collapsed nodes and reveals them', () => {
    const { element } = treeOf(
      '{"a":{"b":{"deep":{"needle":"hay 12345678901234567890123"}}},"c":1}',
    );
    assert.equal(element.querySelectorAll('.jt-string').length, 0, 'the match starts hidden');
    const input = element.querySelector<HTMLInputElement>('input[type="search"]');
    assert.ok(input);
    input.value = '567890123';
    input.dispatchEvent(new dom.window.Event('input'));
    const matches = element.querySelectorAll('.jt-match');
    assert.equal(matches.length, 1);
    assert.ok(matches[0]?.textContent?.includes('"hay 12345678901234567890123"'));
    assert.ok(matches[0]?.classList.contains('jt-current'));
    assert.match(element.querySelector('.jt-status')?.textContent ?? '', /^1 match$/);
    input.value = 'NEEDLE';
    input.dispatchEvent(new dom.window.Event('input'));
    assert.equal(element.querySelectorAll('.jt-match').length, 1, 'keys match too, in any case');
    input.value = 'absent';
    input.dispatchEvent(new dom.window.Event('input'));
    assert.equal(element.querySelectorAll('.jt-match').length, 0);
    assert.equal(element.querySelector('.jt-status')?.textContent, 'No matches');
    // What the earlier searches opened closes again; the first two levels stay as they were.
    assert.deepEqual(
      toggles(element).map((toggle) => expandedOf(toggle)),
      ['true', 'true', 'false', 'false'],
    );
  });

  it('renders long lists a chunk at a time, and search reaches past the chunk', () => {
    const items = Array.from({ length: 450 }, (_, index) => `item-${index}`);
    const { tree, element } = treeOf(JSON.stringify({ list: items }));
    assert.equal(element.querySelectorAll('.jt-string').length, 200);
    assert.equal(buttonsLabelled(element, 'Show 200 more (250 not shown)').length, 1);
    assert.equal(tree.search('item-420'), 1);
    assert.ok(element.querySelector('.jt-match')?.textContent?.includes('"item-420"'));
    assert.ok(element.querySelectorAll('.jt-string').length > 400);
  });

  it('refuses to build a tree for absurdly deep JSON, and reports duplicate keys', () => {
    const deep = parseLossless(`${'['.repeat(600)}${']'.repeat(600)}`);
    assert.equal(deep.ok, false);
    const duplicate = parseLossless('{"a":1,"a":2}');
    assert.equal(duplicate.ok, false);
  });
});

describe('webview: tabs, toolbar and live updates', () => {
  function detailWith(
    attempts: DeliveryRecord['attempts'],
    id = 'd_01',
    pinned = false,
  ): DeliveryDetail {
    const record = aSenderRecord(watsonMessageLogged(), 'watson', 'message_logged', { attempts });
    return detailOf({ ...record, id }, pinned);
  }

  it('is an ARIA tablist: one tab stop, arrows, Home and End select and focus', () => {
    const root = newRoot();
    const view = new DetailView(root, () => undefined);
    view.show(detailWith([]));
    const tablist = root.querySelector<HTMLElement>('[role="tablist"]');
    assert.ok(tablist);
    const tabs = [...tablist.querySelectorAll<HTMLElement>('[role="tab"]')];
    assert.deepEqual(
      tabs.map((tab) => tab.textContent),
      ['Overview', 'Conversation', 'Request', 'Response', 'Auth', 'Attempts0'],
    );
    const key = (name: string): void => {
      (document.activeElement ?? tablist).dispatchEvent(
        new dom.window.KeyboardEvent('keydown', { key: name, bubbles: true }),
      );
    };
    const selected = (): string[] =>
      tabs.filter((tab) => tab.getAttribute('aria-selected') === 'true').map((tab) => tab.id);
    tabs[0]?.focus();
    key('ArrowRight');
    assert.deepEqual(selected(), ['tab-sender']);
    assert.equal(document.activeElement, tabs[1]);
    key('End');
    assert.deepEqual(selected(), ['tab-attempts']);
    key('ArrowRight');
    assert.deepEqual(selected(), ['tab-overview']);
    key('ArrowLeft');
    assert.deepEqual(selected(), ['tab-attempts']);
    key('Home');
    assert.deepEqual(selected(), ['tab-overview']);
    assert.deepEqual(
      tabs.map((tab) => tab.tabIndex),
      [0, -1, -1, -1, -1, -1],
    );
    for (const tab of tabs) {
      const panel = root.querySelector<HTMLElement>(`#${tab.getAttribute('aria-controls') ?? ''}`);
      assert.equal(panel?.getAttribute('role'), 'tabpanel');
      assert.equal(panel?.getAttribute('aria-labelledby'), tab.id);
      assert.equal(panel?.hidden, tab.getAttribute('aria-selected') !== 'true');
    }
  });

  it('has no sender tab when no view applies, and falls back to Overview', () => {
    const root = newRoot();
    const view = new DetailView(root, () => undefined, { initialTab: 'sender' });
    view.show(detailOf(aRecordWithBody('{"type":"x"}', { sender: 'generic' })));
    assert.equal(root.querySelector('#tab-sender'), null);
    assert.equal(view.ui.tab, 'overview');
  });

  it('has one primary Replay, and menus for the rest; each posts its action with the delivery id', () => {
    const posts: WebviewToHost[] = [];
    const root = newRoot();
    const view = new DetailView(root, (message) => posts.push(message));
    view.show(detailWith([]));
    const toolbar = root.querySelector<HTMLElement>('[role="toolbar"]');
    assert.ok(toolbar);
    // Four things for the delivery: Replay, its ▾, Copy ▾ and More; every other action in a
    // menu. (The failure-simulation toggle after them is the receiver's; see simulationToggle.test.ts.)
    const top = [
      ...toolbar.querySelectorAll<HTMLButtonElement>(
        'button:not([role="menuitem"]):not(.simulate-toggle)',
      ),
    ];
    assert.deepEqual(
      top.map((button) => button.getAttribute('aria-label') ?? button.textContent?.trim()),
      ['Replay', 'More ways to replay', 'Copy', 'More actions'],
    );
    assert.ok(top[0]?.classList.contains('primary'));
    for (const button of top.slice(1)) {
      assert.equal(button.getAttribute('aria-haspopup'), 'menu');
      assert.equal(button.getAttribute('aria-expanded'), 'false');
    }
    click(top[0]);
    for (const trigger of top.slice(1)) {
      click(trigger);
      assert.equal(trigger.getAttribute('aria-expanded'), 'true');
      const menu = trigger.parentElement?.querySelector<HTMLElement>('[role="menu"]');
      assert.ok(menu && !menu.hidden);
      assert.equal(document.activeElement, menu.querySelector('[role="menuitem"]'));
      const items = [...menu.querySelectorAll<HTMLButtonElement>('[role="menuitem"]')];
      for (const item of items) {
        assert.ok(item.title !== '' && (item.textContent?.trim() ?? '') !== '');
        click(item);
        assert.ok(menu.hidden, 'choosing an item closes the menu');
      }
    }
    // Each click posted the action of the control clicked (in the order clicked), with the id.
    const offered = [...toolbar.querySelectorAll<HTMLElement>('[data-action]')].map(
      (control) => control.dataset.action ?? '',
    );
    assert.deepEqual(
      posts,
      offered.map((action) => ({ type: 'action', action, deliveryId: 'd_01' })),
    );
    // The host's parser keeps each post whole: no control posts something the host refuses.
    for (const message of posts) {
      assert.deepEqual(parseWebviewMessage(message), message, JSON.stringify(message));
    }
    // Each is an action the host knows, offered once.
    assert.equal(new Set(offered).size, offered.length, 'no action twice');
    for (const action of offered) {
      assert.ok((DETAIL_ACTIONS as readonly string[]).includes(action), action);
    }
    view.show(detailWith([], 'd_01', true));
    const actions = [...root.querySelectorAll<HTMLElement>('[role="toolbar"] [data-action]')].map(
      (button) => button.dataset.action,
    );
    assert.deepEqual(
      actions,
      offered.filter((action) => action !== 'pin'),
      'a pinned panel offers the same actions, in the same order, without Pin',
    );
  });

  it('menus follow the ARIA menu pattern: arrows, Home, End, Escape back to the button', () => {
    const root = newRoot();
    new DetailView(root, () => undefined).show(detailWith([]));
    const copy = buttonsLabelled(root, 'Copy')[0];
    assert.ok(copy);
    const key = (target: Element | null, name: string): void => {
      target?.dispatchEvent(new dom.window.KeyboardEvent('keydown', { key: name, bubbles: true }));
    };
    copy.focus();
    key(copy, 'ArrowUp');
    const menu = copy.parentElement?.querySelector<HTMLElement>('[role="menu"]');
    const items = [...(menu?.querySelectorAll<HTMLElement>('[role="menuitem"]') ?? [])];
    assert.equal(document.activeElement, items.at(-1), 'ArrowUp opens on the last item');
    key(document.activeElement, 'ArrowDown');
    assert.equal(document.activeElement, items[0], 'wraps around');
    key(document.activeElement, 'End');
    assert.equal(document.activeElement, items.at(-1));
    key(document.activeElement, 'Home');
    assert.equal(document.activeElement, items[0]);
    key(document.activeElement, 'Escape');
    assert.ok(menu?.hidden);
    assert.equal(document.activeElement, copy);
    assert.equal(copy.getAttribute('aria-expanded'), 'false');
  });

  it('says the outcome and the verdict once each in a sticky header', () => {
    const root = newRoot();
    const record = aSenderRecord(watsonMessageLogged(), 'watson', 'message_logged', {
      response: { status: 502, headers: [], body: '', timeMs: 9 },
      attempts: [anAttempt(null, null, { kind: 'forward' })],
    });
    new DetailView(root, () => undefined).show(detailOf(record));
    const chrome = root.querySelector<HTMLElement>('.chrome');
    assert.ok(chrome);
    assert.ok(chrome.querySelector('header') && chrome.querySelector('[role="tablist"]'));
    assert.ok(chrome.querySelector('[role="toolbar"]'));
    const header = root.querySelector<HTMLElement>('.detail-header');
    assert.equal(
      header?.querySelector('h1')?.textContent,
      '“What is my checking balance?” → #check_balance',
    );
    const facts = header?.querySelector('.facts')?.textContent ?? '';
    assert.match(facts, /^502handler downVerifiedmessage_loggedPOST \/webhook\?x=1$/);
    // The sentence is the status chip's tooltip (and the Overview's Delivery row), not a line.
    assert.match(
      header?.querySelector<HTMLElement>('.outcome')?.title ?? '',
      /could not be reached/,
    );
    assert.doesNotMatch(header?.textContent ?? '', /No status/);
    // The verdict once in the header and once on Auth, nowhere else.
    const overview = root.querySelector('#panel-overview')?.textContent ?? '';
    assert.doesNotMatch(overview, /Verified/);
  });

  it('team store: a replay says who replayed it (by user@host), as text; a forward and a local replay say no one', () => {
    const root = newRoot();
    const view = new DetailView(root, () => undefined);
    view.show(
      detailWith([
        anAttempt(200, 5, { id: 'f1', kind: 'forward' }),
        anAttempt(200, 7, { id: 'r1', by: 'alice@laptop' }),
        anAttempt(500, 9, { id: 'r2', by: '<b>mallory</b>@host' }),
        anAttempt(200, 3, { id: 'r3' }),
      ]),
    );
    view.selectTab('attempts', false);
    const titles = [...root.querySelectorAll('#panel-attempts .attempt h3')].map(
      (title) => title.textContent ?? '',
    );
    assert.deepEqual(
      titles.map((title) => title.replace(/\d{3}$/, '')),
      ['Forward', 'Replay 1by alice@laptop', 'Replay 2by <b>mallory</b>@host', 'Replay 3'],
    );
    assert.equal(root.querySelectorAll('#panel-attempts .attempt-by').length, 2);
    assert.equal(root.querySelector('#panel-attempts b'), null, 'the name is text, not markup');
  });

  it('a delivery that is fine says its status and Verified, and no outcome words', () => {
    const root = newRoot();
    new DetailView(root, () => undefined).show(detailWith([]));
    const facts = root.querySelector('.detail-header .facts');
    assert.equal(facts?.querySelector('.status')?.textContent, '200');
    assert.equal(facts?.querySelector('.outcome-words'), null);
    assert.equal(facts?.querySelector('.verdict-chip')?.textContent, 'Verified');
  });

  it('shows the seed columns, and opens the delivery this one repeats', () => {
    const posts: WebviewToHost[] = [];
    const root = newRoot();
    const view = new DetailView(root, (message) => posts.push(message));
    view.show(detailOf(aRecordWithBody('{}', { duplicateOf: 'd_00' })));
    const text = root.querySelector('#panel-overview')?.textContent ?? '';
    for (const column of [
      'Webhook ID',
      'Session ID',
      'Event',
      'Endpoint',
      'HTTP Status',
      'Time Taken',
      'Retry Count',
      'Replays',
      'Created Date',
      'Delivery',
      'Sender',
    ]) {
      assert.ok(text.includes(column), column);
    }
    // The verdict is the header's; the Overview does not repeat it.
    assert.doesNotMatch(text, /Verified/);
    assert.match(text, /Repeated by1 later delivery/);
    click(buttonsLabelled(root, 'Open')[0]);
    assert.deepEqual(posts, [{ type: 'openDelivery', deliveryId: 'd_00' }]);
  });

  it('moves through the toolbar with the arrow keys', () => {
    const root = newRoot();
    new DetailView(root, () => undefined).show(detailWith([]));
    const buttons = [...root.querySelectorAll<HTMLElement>('[role="toolbar"] button')];
    assert.deepEqual(
      buttons.map((button) => button.tabIndex),
      buttons.map((_, index) => (index === 0 ? 0 : -1)),
    );
    buttons[0]?.focus();
    buttons[0]?.dispatchEvent(
      new dom.window.KeyboardEvent('keydown', { key: 'ArrowRight', bubbles: true }),
    );
    assert.equal(document.activeElement, buttons[1]);
    buttons[1]?.dispatchEvent(
      new dom.window.KeyboardEvent('keydown', { key: 'ArrowLeft', bubbles: true }),
    );
    assert.equal(document.activeElement, buttons[0]);
  });

  it("an update of the same delivery keeps the tab, the expanded nodes and unchanged tabs' DOM", async () => {
    const states: unknown[] = [];
    const root = newRoot();
    const view = new DetailView(root, () => undefined, {
      onStateChange: (state) => states.push(state),
    });
    view.show(
      detailWith([
        anAttempt(200, 5, {
          id: 'f1',
          kind: 'forward',
          response: { status: 200, headers: [], body: '{"ok":true}', timeMs: 5 },
        }),
      ]),
    );
    view.selectTab('attempts', false);
    const details = root.querySelector<HTMLDetailsElement>('#panel-attempts details');
    assert.ok(details);
    details.open = true;
    await tick();
    view.selectTab('request', false);
    const requestPanel = root.querySelector('#panel-request');
    const before = requestPanel?.firstElementChild;
    const logIdToggle = [...(requestPanel?.querySelectorAll<HTMLElement>('.jt-toggle') ?? [])].find(
      (toggle) => toggle.textContent?.startsWith('request'),
    );
    assert.equal(expandedOf(logIdToggle), 'false');
    click(logIdToggle);
    assert.equal(expandedOf(logIdToggle), 'true');
    const replayTo = root.querySelector<HTMLElement>('button[data-action="replayTo"]');
    replayTo?.focus();

    view.show(
      detailWith([
        anAttempt(200, 5, {
          id: 'f1',
          kind: 'forward',
          response: { status: 200, headers: [], body: '{"ok":true}', timeMs: 5 },
        }),
        anAttempt(201, 3, {
          id: 'r1',
          response: { status: 201, headers: [], body: '', timeMs: 3 },
        }),
      ]),
    );
    assert.equal(view.ui.tab, 'request');
    assert.equal(document.activeElement, replayTo, 'the toolbar keeps focus');
    assert.equal(root.querySelector('#panel-request')?.firstElementChild, before, 'not rebuilt');
    assert.equal(expandedOf(logIdToggle), 'true');
    assert.equal(root.querySelector('#tab-attempts .badge')?.textContent, '2');
    view.selectTab('attempts', false);
    const attempts = root.querySelectorAll<HTMLDetailsElement>('#panel-attempts details');
    assert.equal(attempts.length, 2);
    assert.equal(attempts[0]?.open, true, 'the opened response stays open after a rebuild');
    assert.equal(attempts[1]?.open, false);
    assert.deepEqual(states.at(-1), { deliveryId: 'd_01', tab: 'attempts' });

    // Another delivery: the tab stays, what belonged to the old one is forgotten.
    view.show(detailWith([], 'd_02'));
    assert.equal(view.ui.tab, 'attempts');
    view.selectTab('request', false);
    const fresh = [...root.querySelectorAll<HTMLElement>('#panel-request .jt-toggle')].find(
      (toggle) => toggle.textContent?.startsWith('request'),
    );
    assert.equal(expandedOf(fresh), 'false');
  });

  it('shows a truncated body raw, bounded, with an Open full body button', () => {
    const posts: WebviewToHost[] = [];
    const body = JSON.stringify({ filler: 'y'.repeat(10 * 1024 * 1024) });
    const root = newRoot();
    const view = new DetailView(root, (message) => posts.push(message));
    view.show(detailOf(aRecordWithBody(body)));
    view.selectTab('request', false);
    const panel = root.querySelector('#panel-request');
    assert.ok(panel);
    assert.equal(panel.querySelector('.json-tree'), null);
    const raw = panel.querySelector('pre.raw');
    assert.ok(raw && (raw.textContent?.length ?? 0) <= 256 * 1024);
    assert.match(panel.textContent ?? '', /This body is 10 MiB/);
    click(buttonsLabelled(panel, 'Open full body')[0]);
    assert.deepEqual(posts, [{ type: 'action', action: 'openBody', deliveryId: 'd_01' }]);
  });

  it('shows a non-UTF-8 body as base64 and a non-JSON body raw with its parse error', () => {
    const root = newRoot();
    const view = new DetailView(root, () => undefined);
    view.show(
      detailOf(
        aRecordWithBody(Uint8Array.from([0xff, 0x00]), {
          parseError: 'The body is not valid UTF-8 text.',
        }),
      ),
    );
    view.selectTab('request', false);
    assert.match(
      root.querySelector('#panel-request')?.textContent ?? '',
      /Not UTF-8 text: shown as base64\./,
    );
    assert.equal(root.querySelector('#panel-request pre.raw')?.textContent, '/wA=');
    view.show(
      detailOf({
        ...aRecordWithBody('a=1&b=2', { parseError: 'The body is not JSON' }),
        id: 'd_02',
      }),
    );
    assert.match(root.querySelector('#panel-request')?.textContent ?? '', /The body is not JSON/);
    assert.equal(root.querySelector('#panel-request pre.raw')?.textContent, 'a=1&b=2');
  });

  it('shows JWT times in local time with how far from now', () => {
    const seconds = Math.floor(NOW / 1000);
    const root = newRoot();
    const view = new DetailView(root, () => undefined, { now: () => NOW });
    view.show(
      detailOf(
        aRecordWithBody('{}', {
          verification: {
            verdict: 'verified',
            reason: 'Signature and time claims are valid.',
            header: { alg: 'HS256', typ: 'JWT' },
            claims: { sub: 'watson', iat: seconds - 7200, exp: seconds + 240 },
          },
        }),
      ),
    );
    view.selectTab('auth', false);
    const text = root.querySelector('#panel-auth')?.textContent ?? '';
    assert.match(text, /Issued at \(iat\).*\(2 h ago\)/);
    assert.match(text, /Expires \(exp\).*\(in 4 min\)/);
    assert.match(text, /HS256/);
    assert.match(text, /Sent in the Authorization header/);
  });

  it('shows the answer to the sender and the latest forward on the Response tab', () => {
    const root = newRoot();
    const view = new DetailView(root, () => undefined, { now: () => NOW });
    view.show(
      detailOf(
        aRecordWithBody('{}', {
          response: { status: 202, headers: [['Cf-Ray', '8a1b']], body: '', timeMs: 11 },
          attempts: [
            anAttempt(500, 30, { id: 'f1', kind: 'forward' }),
            anAttempt(202, 11, {
              id: 'f2',
              kind: 'forward',
              target: 'http://localhost:3000/hook',
              response: {
                status: 202,
                headers: [],
                body: '{"queued":12345678901234567890123}',
                timeMs: 11,
              },
            }),
          ],
        }),
      ),
    );
    view.selectTab('response', false);
    const panel = root.querySelector('#panel-response');
    assert.match(panel?.textContent ?? '', /Cf-Ray/);
    assert.match(panel?.textContent ?? '', /http:\/\/localhost:3000\/hook/);
    assert.equal(panel?.querySelector('.jt-number')?.textContent, '12345678901234567890123');
  });
});

describe('webview: relative times', () => {
  it('reads like "in 4 min" and "2 h ago"', () => {
    assert.equal(relativeTime(NOW + 240_000, NOW), 'in 4 min');
    assert.equal(relativeTime(NOW - 7_200_000, NOW), '2 h ago');
    assert.equal(relativeTime(NOW - 30_000, NOW), '30 s ago');
    assert.equal(relativeTime(NOW + 2_000, NOW), 'just now');
    assert.equal(relativeTime(NOW - 3 * 86_400_000, NOW), '3 d ago');
  });
});

describe('webview: main.ts wiring', () => {
  let main: unknown;
  before(async () => {
    for (const previous of testRoots.splice(0)) previous.remove();
    main = await import('../../webview-ui/src/main.js');
  });

  it('says ready, restores the saved tab, shows deliveries and remembers the tab', () => {
    assert.ok(main);
    assert.deepEqual(hostPosts[0], { type: 'ready' });
    const app = document.getElementById('app');
    assert.ok(app);
    const detail = detailOf(aSenderRecord(watsonMessageLogged(), 'watson', 'message_logged'));
    dom.window.dispatchEvent(
      new dom.window.MessageEvent('message', { data: { type: 'delivery/show', detail } }),
    );
    assert.equal(app.querySelector('[aria-selected="true"]')?.id, 'tab-auth');
    assert.deepEqual(savedStates.at(-1), { deliveryId: 'd_01', tab: 'auth' });
    click(app.querySelector('#tab-request'));
    assert.deepEqual(savedStates.at(-1), { deliveryId: 'd_01', tab: 'request' });
    for (const junk of [null, 'x', 42, { type: 'unknown' }]) {
      dom.window.dispatchEvent(new dom.window.MessageEvent('message', { data: junk }));
    }
    assert.ok(app.querySelector('[role="tablist"]'), 'junk messages change nothing');
    dom.window.dispatchEvent(
      new dom.window.MessageEvent('message', {
        data: { type: 'delivery/none', message: 'This delivery was deleted.' },
      }),
    );
    assert.equal(app.textContent, 'This delivery was deleted.');
    assert.deepEqual(hostPosts.slice(1), [], 'nothing but ready was posted');
  });
});

describe('webview: provider summaries are generic blocks, hostile payloads stay text', () => {
  interface Case {
    readonly name: string;
    readonly record: () => DeliveryRecord;
    readonly label: string;
    /** Text the summary must show. */
    readonly shows: readonly string[];
  }

  const json = [['Content-Type', 'application/json']] as const;
  const form = [['Content-Type', 'application/x-www-form-urlencoded']] as const;
  const formBody = (fields: Record<string, string>): string =>
    new URLSearchParams(fields).toString();

  const cases: readonly Case[] = [
    {
      name: 'a GitHub push',
      label: 'GitHub',
      record: () => {
        const body = githubPush();
        body.ref = `refs/heads/${HOSTILE}`;
        body.pusher = { name: HOSTILE };
        body.commits = [
          {
            id: HOSTILE,
            message: `${HOSTILE}\n${HOSTILE}`,
            timestamp: HOSTILE,
            author: { name: HOSTILE },
          },
        ];
        body.head_commit = { id: HOSTILE, message: HOSTILE };
        body.repository = { full_name: HOSTILE };
        body.compare = 'javascript:alert(1)';
        return aSenderRecord(body, 'github', 'push', {
          headers: [...json, ['X-GitHub-Event', 'push'], ['X-GitHub-Delivery', HOSTILE]],
        });
      },
      shows: ['Commits (1)', 'Head commit'],
    },
    {
      name: 'a GitHub pull request',
      label: 'GitHub',
      record: () => {
        const body = githubPullRequest();
        body.pull_request = {
          number: 42,
          title: HOSTILE,
          state: HOSTILE,
          user: { login: HOSTILE },
          head: { ref: HOSTILE },
          base: { ref: 'main' },
          body: HOSTILE,
        };
        return aSenderRecord(body, 'github', 'pull_request.opened', {
          headers: [...json, ['X-GitHub-Event', 'pull_request']],
        });
      },
      shows: ['PR #42 opened', 'Pull request'],
    },
    {
      name: 'a Stripe event',
      label: 'Stripe',
      record: () => {
        const body = stripePaymentIntent();
        body.type = HOSTILE;
        const object = (body.data as { object: Record<string, unknown> }).object;
        object.status = HOSTILE;
        object.currency = HOSTILE;
        object.description = HOSTILE;
        object.last_payment_error = { message: HOSTILE };
        (body.data as Record<string, unknown>).previous_attributes = { [HOSTILE]: HOSTILE };
        return aSenderRecord(body, 'stripe', HOSTILE);
      },
      shows: ['Object: payment_intent', 'Changed (previous values)'],
    },
    {
      name: 'a Slack message event',
      label: 'Slack',
      record: () =>
        aSenderRecord(
          {
            type: 'event_callback',
            event: { type: 'message', channel: HOSTILE, user: HOSTILE, text: HOSTILE, ts: HOSTILE },
          },
          'slack',
          'message',
        ),
      shows: ['Event type', 'Message'],
    },
    {
      name: 'a Slack slash command (form)',
      label: 'Slack',
      record: () =>
        aRecordWithBody(
          formBody({
            command: '/deploy',
            text: HOSTILE,
            user_name: HOSTILE,
            channel_name: HOSTILE,
          }),
          { sender: 'slack', event: '/deploy', headers: [...form] },
        ),
      shows: ['ran /deploy', 'Command'],
    },
    {
      name: 'a Twilio SMS (form)',
      label: 'Twilio',
      record: () =>
        aRecordWithBody(
          formBody({
            From: HOSTILE,
            To: '+15557654321',
            Body: HOSTILE,
            SmsStatus: 'received',
            NumMedia: '1',
            MediaUrl0: 'javascript:alert(1)',
            MediaContentType0: HOSTILE,
          }),
          { sender: 'twilio', event: 'message.received', headers: [...form] },
        ),
      shows: ['Message', 'Status'],
    },
    {
      name: 'a Shopify order',
      label: 'Shopify',
      record: () => {
        const body = shopifyOrder();
        body.name = HOSTILE;
        body.email = HOSTILE;
        body.line_items = [{ title: HOSTILE, quantity: 1, price: HOSTILE }];
        return aSenderRecord(body, 'shopify', 'orders/create', {
          headers: [
            ...json,
            ['X-Shopify-Topic', 'orders/create'],
            ['X-Shopify-Shop-Domain', HOSTILE],
          ],
        });
      },
      shows: ['Line items (1)', 'Total'],
    },
    {
      name: 'a Standard Webhooks event',
      label: 'Standard Webhooks',
      record: () =>
        aSenderRecord(
          { type: HOSTILE, timestamp: HOSTILE, data: { id: HOSTILE, [HOSTILE]: HOSTILE } },
          'standard-webhooks',
          HOSTILE,
          { headers: [...json, ['webhook-id', HOSTILE]] },
        ),
      shows: ['Data ID', 'Data'],
    },
    {
      name: 'a GitLab push',
      label: 'GitLab',
      record: () =>
        aSenderRecord(
          {
            object_kind: 'push',
            ref: HOSTILE,
            user_name: HOSTILE,
            project: { path_with_namespace: HOSTILE },
            commits: [{ id: HOSTILE, message: HOSTILE, timestamp: HOSTILE }],
          },
          'gitlab',
          'push',
        ),
      shows: ['Commits (1)'],
    },
    {
      name: 'a Discord command',
      label: 'Discord',
      record: () =>
        aSenderRecord(
          {
            type: 2,
            data: { name: HOSTILE, options: [{ name: HOSTILE, value: HOSTILE }] },
            member: { user: { username: HOSTILE } },
          },
          'discord',
          'APPLICATION_COMMAND',
        ),
      shows: ['Options'],
    },
    {
      name: 'a Meta WhatsApp message',
      label: 'Meta',
      record: () =>
        aSenderRecord(
          {
            object: 'whatsapp_business_account',
            entry: [
              {
                id: HOSTILE,
                changes: [
                  {
                    field: 'messages',
                    value: {
                      contacts: [{ wa_id: '1', profile: { name: HOSTILE } }],
                      messages: [{ from: '1', text: { body: HOSTILE }, timestamp: HOSTILE }],
                      statuses: [{ recipient_id: HOSTILE, status: HOSTILE }],
                    },
                  },
                ],
              },
            ],
          },
          'meta',
          'whatsapp_business_account.messages',
        ),
      shows: ['Messages', 'Statuses'],
    },
  ];

  for (const testCase of cases) {
    it(`${testCase.name}: every tab renders, payload text is literal and visible`, async () => {
      const posts: WebviewToHost[] = [];
      const root = newRoot();
      const view = new DetailView(root, (message) => posts.push(message), { now: () => NOW });
      view.show(detailOf(testCase.record()));
      assert.equal(root.querySelector('#tab-sender')?.textContent, testCase.label);
      await renderEverything(view, root);
      assertOnlyOwnMarkup(root);
      const panel = root.querySelector('#panel-sender');
      assert.ok(panel);
      assertTextIsLiteralAndVisible(panel);
      for (const text of testCase.shows) {
        assert.ok(panel.textContent?.includes(text), `${testCase.name} shows ${text}`);
      }
      assert.ok(panel.querySelector('.summary-headline'), 'a headline');
      assert.deepEqual(posts, [], 'rendering alone posts nothing');
    });
  }

  it('odd types, __proto__ keys and huge strings render what exists and never throw', async () => {
    const huge = `${HOSTILE}${'y'.repeat(300_000)}`;
    const bodies: Array<[string, unknown, string | null]> = [
      ['github', { commits: [null, 5, { message: {} }], ref: [], head_commit: 'x' }, 'push'],
      ['github', { pull_request: { title: { a: 1 }, number: [] } }, 'pull_request'],
      ['stripe', { data: { object: { amount: {}, currency: [] } }, type: 5 }, null],
      ['slack', { type: 'event_callback', event: { text: huge } }, null],
      ['shopify', { line_items: 'x', total_price: {} }, 'orders/create'],
      ['standard-webhooks', { type: [], data: { blob: huge } }, null],
      [
        'github',
        JSON.parse('{"__proto__":{"polluted":1},"repository":{"__proto__":{"full_name":"x"}}}'),
        'push',
      ],
    ];
    for (const [sender, body, event] of bodies) {
      const root = newRoot();
      const view = new DetailView(root, () => undefined, { now: () => NOW });
      view.show(detailOf(aSenderRecord(body, sender, event)));
      await renderEverything(view, root);
      assertOnlyOwnMarkup(root);
      assert.doesNotMatch(root.textContent ?? '', INVISIBLE);
    }
    assert.equal(({} as Record<string, unknown>).polluted, undefined);
  });

  it('an icon outside the fixed list falls back to the default; an unknown block is left out', () => {
    const detail = detailOf(aSenderRecord(githubPush(), 'github', 'push'));
    const summary = detail.senderView;
    assert.ok(summary?.kind === 'summary');
    const odd = {
      ...detail,
      senderView: {
        ...summary,
        icon: 'x" onclick="alert(1)',
        blocks: [
          { kind: 'chart', data: HOSTILE },
          { kind: 'note', tone: 'info', text: 'kept' },
        ],
      },
    } as unknown as DeliveryDetail;
    const root = newRoot();
    const view = new DetailView(root, () => undefined);
    view.show(odd);
    view.selectTab('sender', false);
    assertOnlyOwnMarkup(root);
    assert.ok(root.querySelector('#tab-sender .codicon-symbol-event'));
    assert.equal(root.querySelector('#panel-sender')?.textContent?.includes('kept'), true);
    assert.equal(root.querySelector('#panel-sender')?.textContent?.includes('alert'), false);
  });
});

describe('webview: form bodies on the Request tab', () => {
  it('shows the fields as a name/value table, in order with duplicates, and the raw text', () => {
    const body = `a=1&b=${encodeURIComponent(HOSTILE)}&a=2&empty=&${encodeURIComponent(HOSTILE)}=x`;
    const root = newRoot();
    const view = new DetailView(root, () => undefined);
    view.show(
      detailOf(
        aRecordWithBody(body, {
          sender: 'generic',
          headers: [['Content-Type', 'application/x-www-form-urlencoded']],
        }),
      ),
    );
    view.selectTab('request', false);
    const panel = root.querySelector('#panel-request');
    assert.ok(panel);
    assertOnlyOwnMarkup(root);
    const rows = [...panel.querySelectorAll('table.form-fields tbody tr')].map((row) => [
      row.querySelector('th')?.textContent,
      row.querySelector('td')?.textContent,
    ]);
    assert.equal(rows.length, 5);
    assert.deepEqual(rows[0], ['a', '1']);
    assert.deepEqual(rows[2], ['a', '2']);
    assert.deepEqual(rows[3], ['empty', '(empty)']);
    assert.ok(rows[1]?.[1]?.includes('<script>alert(1)</script>'));
    assert.doesNotMatch(panel.textContent ?? '', INVISIBLE);
    assert.match(panel.textContent ?? '', /Form fields \(5\)/);
    assert.equal(panel.querySelector('pre.raw')?.textContent, body);
    assert.doesNotMatch(panel.textContent ?? '', /Shown raw/, 'a form is not a JSON parse failure');
  });

  it('shows a payload field holding JSON as a tree too', () => {
    const payload = '{"type":"block_actions","n":12345678901234567890123}';
    const root = newRoot();
    const view = new DetailView(root, () => undefined);
    view.show(
      detailOf(
        aRecordWithBody(`payload=${encodeURIComponent(payload)}`, {
          sender: 'slack',
          headers: [['Content-Type', 'application/x-www-form-urlencoded']],
        }),
      ),
    );
    view.selectTab('request', false);
    const panel = root.querySelector('#panel-request');
    assert.match(panel?.textContent ?? '', /The payload field as JSON/);
    assert.ok(panel?.querySelector('.json-tree'));
  });
});

describe('webview: the Auth tab for every scheme', () => {
  const githubHeaders = [
    ['Content-Type', 'application/json'],
    ['X-GitHub-Event', 'push'],
  ] as const;

  function authText(detail: DeliveryDetail): {
    root: HTMLElement;
    text: string;
    posted: unknown[];
  } {
    const root = newRoot();
    const posted: unknown[] = [];
    const view = new DetailView(root, (message) => posted.push(message), { now: () => NOW });
    view.show(detail);
    view.selectTab('auth', false);
    assertOnlyOwnMarkup(root);
    return { root, text: root.querySelector('#panel-auth')?.textContent ?? '', posted };
  }

  it('an HMAC scheme: provider, scheme id and the scheme’s own table, no JWT sections', () => {
    const record = aProviderRecord({
      provider: 'github',
      headers: githubHeaders,
      body: JSON.stringify(githubPush()),
      signWith: GITHUB_SECRET,
      secrets: [{ provider: 'github', label: 'current', value: GITHUB_SECRET }],
    });
    const { root, text } = authText(detailOf(record));
    assert.match(text, /ProviderGitHub/);
    assert.match(text, /Schemehub-signature/);
    assert.match(text, /X-Hub-Signature-256sha256=[0-9a-f]{64}/);
    assert.match(text, /Signed contentthe raw body/);
    assert.equal(text.split('Matched secret').length - 1, 1, 'the matched secret is said once');
    assert.doesNotMatch(text, /JWT header|Claims|Authorization header/);
    assert.equal(root.querySelector('#panel-auth .verdict.ok') !== null, true);
  });

  it('a timestamped scheme shows the timestamp, its age and the tolerance', () => {
    const record = aProviderRecord({
      provider: 'stripe',
      headers: [['Content-Type', 'application/json']],
      body: JSON.stringify(stripePaymentIntent()),
      signWith: STRIPE_SECRET,
      signedAtMs: NOW - 30_000,
      secrets: [{ provider: 'stripe', label: 'current', value: STRIPE_SECRET }],
    });
    const { text } = authText(detailOf(record));
    assert.match(text, /Stripe-Signaturet=\d+,v1=/);
    assert.match(text, /Timestamp age2025-06-01T11:59:30.000Z \(30 s ago\)/);
    assert.match(text, /Tolerance300 s/);
  });

  it('no secret: a clear line naming the secret to set, and what the scheme saw', () => {
    const record = aProviderRecord({
      provider: 'github',
      headers: githubHeaders,
      body: JSON.stringify(githubPush()),
      signWith: GITHUB_SECRET,
    });
    const { root, text, posted } = authText(detailOf(record));
    const callout = root.querySelector('#panel-auth .missing-secret');
    assert.ok(callout);
    assert.match(callout.textContent ?? '', /Set a GitHub webhook secret to check it\./);
    assert.match(callout.textContent ?? '', /webhook settings/);
    assert.match(text, /X-Hub-Signature-256/);
    // Its button asks the host to open Set Secret… for this delivery (the secret is never typed here).
    const setSecret = callout.querySelector<HTMLButtonElement>('button[data-action="setSecret"]');
    assert.ok(setSecret);
    setSecret.click();
    assert.deepEqual(posted.at(-1), {
      type: 'action',
      action: 'setSecret',
      deliveryId: record.id,
    });
  });

  it('an unknown verdict, provider and scheme (a newer HookLens) render as they are', () => {
    const record = aRecordWithBody('{}', {
      sender: HOSTILE,
      verification: {
        verdict: HOSTILE,
        reason: HOSTILE,
        scheme: HOSTILE,
        details: [{ title: HOSTILE, rows: [[HOSTILE, HOSTILE]] }],
      },
    });
    const { root } = authText(detailOf(record));
    const panel = root.querySelector('#panel-auth');
    assert.ok(panel);
    assertTextIsLiteralAndVisible(panel);
    assert.ok(panel.querySelector('.verdict.problem .codicon-question'));
    const quantum = authText(
      detailOf(
        aRecordWithBody('{}', {
          verification: { verdict: 'quantum_signature', reason: 'New.', scheme: 'acme-v9' },
        }),
      ),
    );
    assert.match(quantum.text, /quantum_signature/);
    assert.match(quantum.text, /Schemeacme-v9/);
    assert.match(quantum.text, /The scheme recorded no details/);
  });

  it('a JWT keeps its header, claims and times; an old record without a scheme is a JWT', () => {
    const seconds = Math.floor(NOW / 1000);
    const { text } = authText(
      detailOf(
        aRecordWithBody('{}', {
          verification: {
            verdict: 'no_secret',
            reason: 'No secret is set.',
            header: { alg: 'HS256' },
            claims: { exp: seconds + 60 },
          },
        }),
      ),
    );
    assert.match(text, /Schemejwt/);
    assert.match(text, /ProviderWatson Assistant/);
    assert.match(text, /Set a Watson Assistant webhook secret to check it\./);
    assert.match(text, /JWT header/);
    assert.match(text, /Expires \(exp\).*\(in 1 min\)/);
  });
});
