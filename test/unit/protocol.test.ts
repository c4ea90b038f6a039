import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  DETAIL_ACTIONS,
  MAX_WEBVIEW_MESSAGE_CHARS,
  parseWebviewMessage,
} from '../../src/shared/protocol';

describe('parseWebviewMessage (W-03: messages from the webview are untrusted)', () => {
  it('accepts each well-formed message', () => {
    assert.deepEqual(parseWebviewMessage({ type: 'ready' }), { type: 'ready' });
    assert.deepEqual(parseWebviewMessage({ type: 'copy', text: 'a' }), { type: 'copy', text: 'a' });
    assert.deepEqual(parseWebviewMessage({ type: 'copy', text: '/a/b/0' }), {
      type: 'copy',
      text: '/a/b/0',
    });
    assert.deepEqual(parseWebviewMessage({ type: 'openDelivery', deliveryId: 'd_01' }), {
      type: 'openDelivery',
      deliveryId: 'd_01',
    });
  });

  it('accepts every toolbar action, with the delivery id and nothing else', () => {
    assert.ok(DETAIL_ACTIONS.length > 0);
    for (const action of DETAIL_ACTIONS) {
      const message = { type: 'action', action, deliveryId: 'd_01' };
      const parsed = parseWebviewMessage(message);
      assert.deepEqual(parsed, message, action);
      assert.notEqual(parsed, message, `${action}: a fresh object`);
      // Nothing else rides along with a known action.
      for (const extra of [
        { target: 'http://169.254.169.254' },
        { body: '{}' },
        { action2: action },
      ]) {
        assert.equal(parseWebviewMessage({ ...message, ...extra }), undefined, `${action} + extra`);
      }
    }
  });

  it('accepts an action only by its exact name: no near miss and no inherited name passes', () => {
    const known = new Set<string>(DETAIL_ACTIONS);
    const nearMisses = DETAIL_ACTIONS.flatMap((action) => [
      action.toUpperCase(),
      action.toLowerCase(),
      ` ${action}`,
      `${action} `,
      `${action}\u0000`,
      `${action}s`,
      action.slice(0, -1),
      `${action},${action}`,
    ]);
    const inherited = Object.getOwnPropertyNames(Object.prototype).concat(['__proto__', 'length']);
    for (const action of [...nearMisses, ...inherited, '']) {
      if (known.has(action)) continue; // A near miss that is itself an action (none today).
      assert.equal(
        parseWebviewMessage({ type: 'action', action, deliveryId: 'd_01' }),
        undefined,
        JSON.stringify(action),
      );
    }
  });

  it('rejects unknown types, wrong field types, extra fields and non-objects', () => {
    for (const raw of [
      null,
      undefined,
      'ready',
      42,
      [],
      { type: 'replay', target: 'http://169.254.169.254/' },
      { type: 'copy' },
      { type: 'copy', text: 7 },
      { type: 'ready', extra: true },
      { type: 'openDelivery', deliveryId: '../../etc/passwd' },
      { type: 'openDelivery', deliveryId: 'x'.repeat(65) },
    ]) {
      assert.equal(parseWebviewMessage(raw), undefined, JSON.stringify(raw) ?? typeof raw);
    }
  });

  it('rejects forged actions: unknown action, extra keys, a target, a bad or missing id', () => {
    for (const raw of [
      { type: 'action', action: 'replay', target: 'http://169.254.169.254' },
      { type: 'action', action: 'replay', deliveryId: 'd_01', target: 'http://169.254.169.254' },
      { type: 'action', action: 'replay', deliveryId: 'd_01', body: '{}' },
      { type: 'action', action: 'delete', deliveryId: 'd_01' },
      { type: 'action', action: 'runCommand', deliveryId: 'd_01' },
      { type: 'action', action: 'REPLAY', deliveryId: 'd_01' },
      { type: 'action', action: 'toString', deliveryId: 'd_01' },
      { type: 'action', action: ['replay'], deliveryId: 'd_01' },
      { type: 'action', action: 'replay' },
      { type: 'action', deliveryId: 'd_01' },
      { type: 'action', action: 'replay', deliveryId: '../d_01' },
      { type: 'action', action: 'replay', deliveryId: 7 },
      { type: 'action', action: 'replay', deliveryId: '' },
    ]) {
      assert.equal(parseWebviewMessage(raw), undefined, JSON.stringify(raw));
    }
  });

  it('rejects oversized strings', () => {
    const text = 'x'.repeat(MAX_WEBVIEW_MESSAGE_CHARS + 1);
    assert.equal(parseWebviewMessage({ type: 'copy', text }), undefined);
  });

  it('rejects prototype tricks and returns a fresh object', () => {
    const forged = JSON.parse('{"type":"ready","__proto__":{"polluted":true}}') as unknown;
    assert.equal(parseWebviewMessage(forged), undefined);
    assert.equal(parseWebviewMessage(Object.create({ type: 'ready' })), undefined);
    const forgedAction = JSON.parse(
      '{"type":"action","action":"replay","deliveryId":"d_01","__proto__":{"target":"http://169.254.169.254"}}',
    ) as unknown;
    assert.equal(parseWebviewMessage(forgedAction), undefined);
    const inherited = Object.assign(Object.create({ target: 'http://169.254.169.254' }) as object, {
      type: 'action',
      action: 'replay',
      deliveryId: 'd_01',
    });
    assert.equal(parseWebviewMessage(inherited), undefined);
    const input = { type: 'copy', text: 'hi' };
    const parsed = parseWebviewMessage(input);
    assert.notEqual(parsed, input);
    const action = { type: 'action', action: 'replay', deliveryId: 'd_01' };
    assert.notEqual(parseWebviewMessage(action), action);
  });
});
