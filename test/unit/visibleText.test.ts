import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { makeVisible, toSingleLine } from '../../src/shared/visibleText';

describe('makeVisible (W-05)', () => {
  it('escapes bidi overrides, isolates, zero-width characters, ANSI escapes and CR', () => {
    assert.equal(makeVisible('abc\u202Edef'), 'abc\\u202Edef');
    assert.equal(makeVisible('\u2066x\u2069'), '\\u2066x\\u2069');
    assert.equal(makeVisible('a\u200Bb'), 'a\\u200Bb');
    assert.equal(makeVisible('\x1b[31mred'), '\\x1B[31mred');
    assert.equal(makeVisible('line\r\n'), 'line\\x0D\n');
    assert.equal(makeVisible('\uFEFF{}'), '\\uFEFF{}');
  });

  it('leaves ordinary text, tabs, newlines and non-Latin scripts alone', () => {
    const text = 'Hello\tworld\nこんにちは مرحبا 👋';
    assert.equal(makeVisible(text), text);
  });
});

describe('toSingleLine', () => {
  it('shows newlines and tabs as escapes and shortens long text with an ellipsis', () => {
    assert.equal(toSingleLine('a\nb\tc'), 'a\\nb\\tc');
    const long = toSingleLine('x'.repeat(300), 10);
    assert.equal(long.length, 10);
    assert.ok(long.endsWith('…'));
  });
});
