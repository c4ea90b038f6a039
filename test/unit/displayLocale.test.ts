// Times in the editor follow its display language, not the operating system's locale.
import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import { clockTime, shortTime } from '../../src/core/detail/rowPresentation';
import { displayLocale, setDisplayLocale } from '../../src/core/displayLocale';

const AFTERNOON = Date.UTC(2026, 11, 5, 16, 57, 9);

describe('display locale', () => {
  afterEach(() => setDisplayLocale(undefined));

  it('formats clock times and dates in the editor language once it is set', () => {
    setDisplayLocale('de');
    assert.equal(displayLocale(), 'de');
    const german = clockTime(AFTERNOON, true);
    assert.equal(
      german,
      new Date(AFTERNOON).toLocaleTimeString('de', {
        hour: 'numeric',
        minute: '2-digit',
        second: '2-digit',
      }),
    );
    assert.doesNotMatch(german, /AM|PM/);
    const day = shortTime(AFTERNOON, AFTERNOON + 3 * 24 * 3600 * 1000);
    assert.equal(
      day,
      new Date(AFTERNOON).toLocaleDateString('de', { month: 'short', day: 'numeric' }),
    );
    assert.match(day, /Dez/);

    setDisplayLocale('en');
    assert.match(clockTime(AFTERNOON, false), /PM/);
  });

  it('keeps the process default for no language, a malformed tag or an unknown one', () => {
    const systemDefault = clockTime(AFTERNOON, true);
    for (const language of [undefined, 'not a tag!', '']) {
      setDisplayLocale(language);
      assert.equal(displayLocale(), undefined, String(language));
      assert.equal(clockTime(AFTERNOON, true), systemDefault);
    }
  });
});
