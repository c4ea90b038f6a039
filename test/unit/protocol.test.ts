import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { MAX_WEBVIEW_MESSAGE_CHARS, parseWebviewMessage } from '../../src/shared/protocol';

describe('parseWebviewMessage (W-03: messages from the webview are untrusted)', () => {
  it('accepts each well-formed message', () => {
    assert.deepEqual(parseWebviewMessage({ type: 'ready' }), { type: 'ready' });
    assert.deepEqual(parseWebviewMessage({ type: 'copy', text: 'a' }), { type: 'copy', text: 'a' });
    assert.deepEqual(parseWebviewMessage({ type: 'openDelivery', deliveryId: 'd_01' }), {
      type: 'openDelivery',
      deliveryId: 'd_01',
    });
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

  it('rejects oversized strings', () => {
    const text = 'x'.repeat(MAX_WEBVIEW_MESSAGE_CHARS + 1);
    assert.equal(parseWebviewMessage({ type: 'copy', text }), undefined);
  });

  it('rejects prototype tricks and returns a fresh object', () => {
    const forged = JSON.parse('{"type":"ready","__proto__":{"polluted":true}}') as unknown;
    assert.equal(parseWebviewMessage(forged), undefined);
    assert.equal(parseWebviewMessage(Object.create({ type: 'ready' })), undefined);
    const input = { type: 'copy', text: 'hi' };
    const parsed = parseWebviewMessage(input);
    assert.notEqual(parsed, input);
  });
});
