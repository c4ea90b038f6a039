// package.json as VS Code reads it: each "%key%" string replaced by its text in package.nls.json
// (or package.nls.<language>.json), so tests read the words a user sees.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export const ROOT = join(__dirname, '..', '..');

export function readManifestRaw(): unknown {
  return JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as unknown;
}

export function readNls(language?: string): Record<string, string> {
  const file = language === undefined ? 'package.nls.json' : `package.nls.${language}.json`;
  return JSON.parse(readFileSync(join(ROOT, file), 'utf8')) as Record<string, string>;
}

/** Every string that is exactly "%key%" replaced as VS Code does; an unknown key is kept as is. */
export function localize(value: unknown, nls: Record<string, string>): unknown {
  if (typeof value === 'string') {
    const match = /^%(.+)%$/.exec(value);
    return match && Object.hasOwn(nls, match[1] ?? '') ? nls[match[1] ?? ''] : value;
  }
  if (Array.isArray(value)) return value.map((item) => localize(item, nls));
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(
      Object.entries(value).map(([key, item]) => [key, localize(item, nls)]),
    );
  }
  return value;
}

export function readManifest<T>(language?: string): T {
  return localize(readManifestRaw(), readNls(language)) as T;
}
