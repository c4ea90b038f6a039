// Edit and replay's starting text: formatted JSON that means exactly what was received.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { editableBody } from '../../src/core/forward/editableBody';

const record = (text: string, parseError: string | null = null) => ({
  bodyBase64: Buffer.from(text, 'utf8').toString('base64'),
  parseError,
});

describe('editableBody', () => {
  it('formats JSON with two spaces and keeps numbers exactly as sent', () => {
    const text = editableBody(
      record(
        '{"id":12345678901234567890123,"price":1.10,"e":1e3,"s":"caf\u00e9","a":[1,{"b":null}]}',
      ),
    );
    assert.equal(
      text,
      '{\n  "id": 12345678901234567890123,\n  "price": 1.10,\n  "e": 1e3,\n  "s": "café",\n  "a": [\n    1,\n    {\n      "b": null\n    }\n  ]\n}\n',
    );
  });

  it('leaves a body that is not JSON as its text', () => {
    assert.equal(editableBody(record('name=a&b=c', 'not JSON')), 'name=a&b=c');
  });

  it('C-06-style nesting: a 10,000-deep body is returned as received, without a stack overflow', () => {
    const deep = `${'['.repeat(10_000)}${']'.repeat(10_000)}`;
    assert.equal(editableBody(record(deep)), deep);
  });

  it('brackets inside strings do not count as nesting', () => {
    const text = JSON.stringify({ s: '['.repeat(500) });
    assert.match(editableBody(record(text)), /^\{\n {2}"s": "\[+"\n\}\n$/);
  });
});
