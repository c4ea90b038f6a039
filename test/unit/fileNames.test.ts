// File names from payload text: no folders, no hidden or reordered characters, no device names.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { deliveryFileName, exportFileName, safeFileName } from '../../src/core/export/fileNames';

describe('safeFileName', () => {
  it('keeps an ordinary name as it is', () => {
    assert.equal(safeFileName('message_logged.json', 'x'), 'message_logged.json');
    assert.equal(safeFileName('Rapport été 2025.json', 'x'), 'Rapport été 2025.json');
  });

  it('never leaves a path separator or a way up', () => {
    for (const raw of [
      '../../etc/passwd',
      '..\\..\\Windows\\win.ini',
      '/abs/path',
      'a/../b',
      '..',
    ]) {
      const name = safeFileName(raw, 'fallback');
      assert.doesNotMatch(name, /[/\\]/, raw);
      assert.ok(!name.includes('..'), `${raw} → ${name}`);
      assert.ok(!name.startsWith('.'), `${raw} → ${name}`);
    }
  });

  it('removes control, bidi and zero-width characters', () => {
    assert.equal(safeFileName('invoice\u202Efdp.exe', 'x'), 'invoicefdp.exe');
    assert.equal(safeFileName('a\u0000b\u001bc\u007fd\u0085e\u200bf\ufeffg', 'x'), 'abcdefg');
    assert.equal(safeFileName('line\nbreak\ttab', 'x'), 'linebreaktab');
  });

  it('replaces characters Windows refuses', () => {
    assert.equal(safeFileName('a<b>c:d"e|f?g*h', 'x'), 'a-b-c-d-e-f-g-h');
  });

  it('defuses Windows device names, with or without an extension, in any case', () => {
    for (const raw of ['CON', 'con.txt', 'Nul', 'aux.json', 'COM1', 'lpt9.log', 'PRN', 'COM¹']) {
      const name = safeFileName(raw, 'x');
      assert.ok(name.startsWith('_'), `${raw} → ${name}`);
    }
    assert.equal(safeFileName('console.log', 'x'), 'console.log');
    assert.equal(safeFileName('COM10', 'x'), 'COM10');
  });

  it('drops trailing dots and spaces, and leading dots (no hidden files)', () => {
    assert.equal(safeFileName('name. . ', 'x'), 'name');
    assert.equal(safeFileName('.bashrc', 'x'), 'bashrc');
    assert.equal(safeFileName('  spaced   out  ', 'x'), 'spaced out');
  });

  it('limits the length to 100 characters without splitting a character', () => {
    assert.equal(safeFileName('a'.repeat(500), 'x').length, 100);
    const emoji = safeFileName('😀'.repeat(300), 'x');
    assert.ok([...emoji].every((char) => char === '😀'));
    assert.ok(Buffer.byteLength(emoji) <= 200);
  });

  it('falls back when nothing usable is left', () => {
    assert.equal(safeFileName('', 'delivery.json'), 'delivery.json');
    assert.equal(safeFileName('../..', 'delivery.json'), 'delivery.json');
    assert.equal(safeFileName('\u202e\u0000', 'delivery.json'), 'delivery.json');
    assert.equal(safeFileName('...', '..'), 'hooklens');
  });
});

describe('exportFileName', () => {
  it('is dated in UTC without colons', () => {
    const date = new Date('2026-11-23T10:00:00.123Z');
    assert.equal(exportFileName('ndjson', date), 'hooklens-deliveries-2026-11-23T10-00-00.ndjson');
    assert.equal(exportFileName('har', date), 'hooklens-deliveries-2026-11-23T10-00-00.har');
    assert.equal(exportFileName('json', new Date(Number.NaN)), 'hooklens-deliveries-undated.json');
  });
});

describe('deliveryFileName', () => {
  it('names the event and the id', () => {
    assert.equal(
      deliveryFileName({ id: '0m9x1abc2def', event: 'message_logged' }),
      'delivery-message_logged-0m9x1abc2def.json',
    );
    assert.equal(deliveryFileName({ id: 'abc', event: null }, 'txt'), 'delivery-abc.txt');
  });

  it('cleans an event name chosen by the sender, and keeps the extension of a long one', () => {
    const name = deliveryFileName({ id: 'abc', event: '../../.ssh/authorized keys\u202e' });
    assert.doesNotMatch(name, /[/\\\u202e ]/);
    assert.ok(!name.includes('..'));
    assert.ok(name.endsWith('-abc.json'));
    const long = deliveryFileName({ id: 'abc', event: 'e'.repeat(300) }, 'json');
    assert.ok(long.endsWith('.json'));
    assert.ok(long.length <= 100);
    assert.equal(deliveryFileName({ id: 'abc', event: 'x' }, '../sh'), 'delivery-x-abc.sh');
  });
});
