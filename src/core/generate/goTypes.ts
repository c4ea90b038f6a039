// Go types as quicktype renders them, made safe and gofmt-clean: struct tags a key could end early
// are rewritten, keys encoding/json cannot map are noted, and quicktype's union helpers are
// re-indented the way gofmt wants.
import { commentText, goString } from './literals';

export function goTypes(source: string): string {
  return gofmtUnionHelper(fixStructTags(source));
}

const RAW_TAG_LINE = /^(\t\S+\s+\S+\s+)`json:"(.*)"`$/;

/**
 * quicktype writes each struct tag as a raw string, which a key containing a backtick ends early
 * (C-01). Such tags become interpreted string literals. Keys encoding/json cannot name in a tag
 * (empty, or with quotes, backslashes, commas and the like) are noted above the struct, since that
 * field would otherwise stay empty without a word.
 */
export function fixStructTags(source: string): string {
  const out: string[] = [];
  // Notes go above the struct: a comment line between fields would split gofmt's alignment.
  let structStart = -1;
  for (const line of source.split('\n')) {
    if (/^type \S+ struct \{$/.test(line)) structStart = out.length;
    const match = RAW_TAG_LINE.exec(line);
    if (!match) {
      out.push(line);
      continue;
    }
    const [, head, inner] = match as unknown as [string, string, string];
    const name = unquoteGo(inner).replace(/,omitempty$/, '');
    out.push(inner.includes('`') ? `${head}${goString(`json:"${inner}"`)}` : line);
    if (!isValidJsonTagName(name) && structStart >= 0) {
      const field = head.trim().split(/\s+/)[0] ?? '';
      out.splice(
        structStart,
        0,
        `// ${field}: encoding/json cannot map the key ${commentText(JSON.stringify(name), 80)} by tag; read it from the raw JSON.`,
      );
      structStart++;
    }
  }
  return out.join('\n');
}

/** The tag's key as Go's reflect would read it: quicktype escapes with Go's \", \\, \u and \U. */
function unquoteGo(text: string): string {
  return text.replace(/\\(u[0-9a-fA-F]{4}|U[0-9a-fA-F]{8}|.)/g, (_all, escape: string) => {
    if (escape.length > 1) return String.fromCodePoint(parseInt(escape.slice(1), 16));
    return ({ n: '\n', r: '\r', t: '\t' } as Record<string, string>)[escape] ?? escape;
  });
}

/** encoding/json's isValidTag: letters, digits, spaces and a fixed set of punctuation. */
function isValidJsonTagName(name: string): boolean {
  if (name === '') return false;
  return [...name].every(
    (char) => /[\p{L}\p{N} ]/u.test(char) || '!#$%&()*+-./:;<=>?@[]^_{|}~'.includes(char),
  );
}

/**
 * quicktype's union helpers (unmarshalUnion, marshalUnion: fixed code at the end of its output)
 * indent each nested level with two tabs after the first; gofmt uses one, and `gofmt -l` would
 * list the file. Only that fixed region is touched.
 */
function gofmtUnionHelper(source: string): string {
  const start = source.search(/^func (un)?marshalUnion\(/m);
  if (start < 0) return source;
  const helpers = source
    .slice(start)
    .replace(/^(\t{3,})/gm, (tabs: string) =>
      tabs.length % 2 === 1 ? '\t'.repeat(1 + (tabs.length - 1) / 2) : tabs,
    );
  return source.slice(0, start) + helpers;
}
