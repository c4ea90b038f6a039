// RFC 6901 JSON Pointer over parsed webhook bodies: escapes, arrays, and no way to the prototype.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isValidPointer, resolvePointer, stringAt } from '../../src/core/senders/jsonPointer';

// RFC 6901 §5's example document, verbatim.
const rfcDocument = JSON.parse(`{
  "foo": ["bar", "baz"],
  "": 0,
  "a/b": 1,
  "c%d": 2,
  "e^f": 3,
  "g|h": 4,
  "i\\\\j": 5,
  "k\\"l": 6,
  " ": 7,
  "m~n": 8
}`) as unknown;

describe('resolvePointer (RFC 6901)', () => {
  it('resolves every example of RFC 6901 §5', () => {
    const expected: Array<[string, unknown]> = [
      ['', rfcDocument],
      ['/foo', ['bar', 'baz']],
      ['/foo/0', 'bar'],
      ['/', 0],
      ['/a~1b', 1],
      ['/c%d', 2],
      ['/e^f', 3],
      ['/g|h', 4],
      ['/i\\j', 5],
      ['/k"l', 6],
      ['/ ', 7],
      ['/m~0n', 8],
    ];
    for (const [pointer, value] of expected) {
      assert.deepEqual(resolvePointer(rfcDocument, pointer), value, pointer);
    }
  });

  it('unescapes ~1 before ~0, so "~01" is the key "~1", not "/"', () => {
    const document = { '~1': 'tilde-one', '/': 'slash', '~': 'tilde' };
    assert.equal(resolvePointer(document, '/~01'), 'tilde-one');
    assert.equal(resolvePointer(document, '/~1'), 'slash');
    assert.equal(resolvePointer(document, '/~0'), 'tilde');
  });

  it('refuses invalid escapes and pointers without a leading slash', () => {
    for (const pointer of ['foo', '/m~2n', '/a~', '~1', '/x/~']) {
      assert.equal(isValidPointer(pointer), false, pointer);
      assert.equal(resolvePointer({ foo: 1, 'm~2n': 2, a: 3, x: { '~': 4 } }, pointer), undefined);
    }
    assert.equal(isValidPointer(''), true);
    assert.equal(isValidPointer('/'), true);
  });

  it('answers the same for a pointer seen before, and past the parsed-pointer cache', () => {
    const document = Object.fromEntries(
      Array.from({ length: 2_500 }, (_, n) => [`k${n}`, [`v${n}`, { 'x/y': n }]]),
    );
    for (let round = 0; round < 2; round++) {
      for (let n = 0; n < 2_500; n++) {
        assert.equal(resolvePointer(document, `/k${n}/0`), `v${n}`);
        assert.equal(resolvePointer(document, `/k${n}/1/x~1y`), n);
        assert.equal(resolvePointer(document, `/k${n}/01`), undefined);
      }
    }
    assert.equal(resolvePointer(document, '/k1/~2'), undefined);
    assert.equal(resolvePointer(document, '/k1/~2'), undefined);
  });

  it('indexes arrays by canonical decimal index only', () => {
    const document = { list: ['a', 'b', ['c']] };
    assert.equal(resolvePointer(document, '/list/0'), 'a');
    assert.equal(resolvePointer(document, '/list/2/0'), 'c');
    for (const pointer of ['/list/01', '/list/-', '/list/-1', '/list/1.0', '/list/ 1', '/list/3']) {
      assert.equal(resolvePointer(document, pointer), undefined, pointer);
    }
    assert.equal(resolvePointer(document, '/list/length'), undefined, 'no array properties');
    assert.equal(resolvePointer(document, '/list/2/length'), undefined);
  });

  it('does not descend into strings, numbers, null or missing members', () => {
    const document = { s: 'text', n: 5, z: null };
    for (const pointer of ['/s/length', '/s/0', '/n/toFixed', '/z/x', '/missing/x']) {
      assert.equal(resolvePointer(document, pointer), undefined, pointer);
    }
  });

  it('H-13: __proto__, constructor and prototype never reach Object.prototype', () => {
    const plain = JSON.parse('{"a":{}}') as unknown;
    for (const pointer of [
      '/__proto__',
      '/constructor',
      '/constructor/prototype',
      '/a/__proto__/toString',
      '/a/constructor/name',
      '/hasOwnProperty',
      '/toString',
    ]) {
      assert.equal(resolvePointer(plain, pointer), undefined, pointer);
      assert.equal(stringAt(plain, pointer), null, pointer);
    }
    assert.equal(resolvePointer([], '/constructor'), undefined);
  });

  it('H-13: an own "__proto__" key from JSON.parse is an ordinary member', () => {
    const document = JSON.parse(
      '{"__proto__":{"polluted":"yes"},"constructor":{"prototype":{"x":"y"}}}',
    ) as unknown;
    assert.equal(resolvePointer(document, '/__proto__/polluted'), 'yes');
    assert.equal(resolvePointer(document, '/constructor/prototype/x'), 'y');
    assert.equal(({} as Record<string, unknown>).polluted, undefined, 'no pollution');
  });
});

describe('stringAt', () => {
  it('returns non-empty strings and exact numbers as text; anything else is null', () => {
    const document = {
      s: 'abc',
      empty: '',
      n: 42,
      f: 1.5,
      neg: -7,
      t: true,
      o: {},
      a: [],
      z: null,
    };
    assert.equal(stringAt(document, '/s'), 'abc');
    assert.equal(stringAt(document, '/n'), '42');
    assert.equal(stringAt(document, '/f'), '1.5');
    assert.equal(stringAt(document, '/neg'), '-7');
    for (const pointer of ['/empty', '/t', '/o', '/a', '/z', '/missing', 'bad']) {
      assert.equal(stringAt(document, pointer), null, pointer);
    }
  });

  it('H-14: a number JSON.parse could not keep exactly (past 2^53, 1e400) is not an id', () => {
    const document = JSON.parse(
      '{"big":12345678901234567891,"edge":9007199254740993,"inf":1e400,"safe":9007199254740991}',
    ) as unknown;
    assert.equal(stringAt(document, '/big'), null);
    assert.equal(stringAt(document, '/edge'), null);
    assert.equal(stringAt(document, '/inf'), null);
    assert.equal(stringAt(document, '/safe'), '9007199254740991');
  });
});
