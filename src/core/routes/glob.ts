// The one pattern language routes use: `*` stands for any run of characters (including none and
// including `/`); every other character stands for itself. Nothing else is special, so a value
// is never mistaken for a regular expression, and syntax other tools give meaning to (character
// classes, braces, `?`, `**`) is refused with a sentence rather than silently taken literally.

/** The longest pattern accepted: a rule is something a person typed. */
export const MAX_PATTERN_LENGTH = 500;

export type GlobCheck =
  | { readonly ok: true; readonly test: (value: string) => boolean }
  | { readonly ok: false; readonly error: string };

export interface GlobOptions {
  /** Compare without regard to case (provider ids, verdicts). */
  readonly ignoreCase?: boolean;
}

/** True when the pattern has a wildcard (otherwise it is an exact value or a prefix). */
export function hasWildcard(pattern: string): boolean {
  return pattern.includes('*');
}

/** Checks a pattern and builds its test, or says what is wrong with it in one sentence. */
export function compileGlob(pattern: string, options: GlobOptions = {}): GlobCheck {
  if (pattern === '') return { ok: false, error: 'the pattern is empty' };
  if (pattern.length > MAX_PATTERN_LENGTH) {
    return { ok: false, error: `the pattern is longer than ${MAX_PATTERN_LENGTH} characters` };
  }
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(pattern)) {
    return { ok: false, error: 'the pattern holds a control character' };
  }
  if (pattern.includes('**')) {
    return {
      ok: false,
      error: `'${pattern}' uses '**'; a single * already matches any characters, '/' included`,
    };
  }
  const unsupported = /[[\]{}?]/.exec(pattern);
  if (unsupported) {
    return {
      ok: false,
      error: `'${pattern}' uses '${unsupported[0]}', which patterns do not support: use * for any characters`,
    };
  }
  const source = pattern
    .split('*')
    .map((part) => part.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&'))
    .join('[\\s\\S]*');
  const regex = new RegExp(`^${source}$`, options.ignoreCase ? 'i' : '');
  return { ok: true, test: (value) => regex.test(value) };
}
