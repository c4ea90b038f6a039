// quicktype names nested types after their property (`context` → `Context`); when two different
// shapes want one name it prefixes words (`PurpleContext`, `FluffyContext`) that say nothing about
// where the type sits. This renames them from the path instead: the event that alone uses the
// type (`MessageLoggedContext`), else the one type that contains it (`ResponseContext`). Renaming
// is textual, so it skips anything that could be payload text: quoted strings and property keys.
import type { InferenceLanguage } from './inference';

const QUICKTYPE_PREFIXES =
  /^(Purple|Fluffy|Tentacled|Sticky|Indigo|Indecent|Hilarious|Ambitious|Cunning|Magenta|Frisky|Mischievous|Braggadocious)([A-Z][A-Za-z0-9]*)$/;

interface Declaration {
  readonly name: string;
  readonly body: string;
}

const DECLARATION_START: Readonly<Record<InferenceLanguage, RegExp>> = {
  typescript: /^export (?:interface|type) ([A-Za-z_][A-Za-z0-9_]*)\b/,
  'typescript-zod': /^export const ([A-Za-z_][A-Za-z0-9_]*)Schema = /,
  python: /^class ([A-Za-z_][A-Za-z0-9_]*)\b/,
  go: /^type ([A-Za-z_][A-Za-z0-9_]*) /,
};

/** Where a declaration's body ends: the next line that starts another top-level item. */
const TOP_LEVEL: Readonly<Record<InferenceLanguage, RegExp>> = {
  typescript: /^export /,
  'typescript-zod': /^export const /,
  python: /^(class|def) /,
  go: /^(type|func|var|const) /,
};

function declarations(source: string, language: InferenceLanguage): Declaration[] {
  const out: Array<{ name: string; lines: string[] }> = [];
  let current: { name: string; lines: string[] } | undefined;
  for (const line of source.split('\n')) {
    const start = DECLARATION_START[language].exec(line);
    if (start) {
      current = { name: start[1]!, lines: [line] };
      out.push(current);
    } else if (TOP_LEVEL[language].test(line)) {
      current = undefined;
    } else {
      current?.lines.push(line);
    }
  }
  return out.map(({ name, lines }) => ({ name, body: lines.join('\n') }));
}

function references(
  body: string,
  names: ReadonlySet<string>,
  self: string,
  language: InferenceLanguage,
): Set<string> {
  const zod = language === 'typescript-zod';
  // Keys are payload text, not references: strings, and in TypeScript `key:` / `key?:`.
  let code = body.replace(/"(?:[^"\\]|\\.)*"/g, '""');
  if (language === 'typescript') code = code.replace(/^(\s+)[A-Za-z_$][A-Za-z0-9_$]*\??:/gm, '$1');
  const found = new Set<string>();
  for (const match of code.matchAll(/[A-Za-z_][A-Za-z0-9_]*/g)) {
    const word = zod ? match[0].replace(/Schema$/, '') : match[0];
    if (word !== self && names.has(word)) found.add(word);
  }
  return found;
}

/**
 * `roots` maps each event's payload type name to the event's stem. Returns the source with
 * prefixed names replaced; names it cannot make unique are left as quicktype wrote them.
 */
export function renameCollidingTypes(
  source: string,
  language: InferenceLanguage,
  roots: ReadonlyMap<string, string>,
): string {
  const declared = declarations(source, language);
  const names = new Set(declared.map((declaration) => declaration.name));
  if (![...names].some((name) => QUICKTYPE_PREFIXES.test(name))) return source;
  const children = new Map(
    declared.map((declaration) => [
      declaration.name,
      references(declaration.body, names, declaration.name, language),
    ]),
  );
  const parents = new Map<string, string[]>();
  for (const [parent, kids] of children) {
    for (const kid of kids) parents.set(kid, [...(parents.get(kid) ?? []), parent]);
  }
  // Which events reach each type, walking down from every payload type.
  const events = new Map<string, Set<string>>();
  const order: string[] = [];
  for (const [root, stem] of roots) {
    const queue = [root];
    const seen = new Set<string>();
    while (queue.length > 0) {
      const name = queue.shift()!;
      if (seen.has(name) || !names.has(name)) continue;
      seen.add(name);
      if (!order.includes(name)) order.push(name);
      events.set(name, (events.get(name) ?? new Set()).add(stem));
      queue.push(...(children.get(name) ?? []));
    }
  }
  // Parents are renamed before their children (breadth-first order), so a child can use the
  // parent's new name.
  const renamed = new Map<string, string>();
  const taken = new Set(names);
  for (const name of order) {
    const match = QUICKTYPE_PREFIXES.exec(name);
    if (!match) continue;
    const base = match[2]!;
    const reachedBy = [...(events.get(name) ?? [])];
    const owners = parents.get(name) ?? [];
    // The event's name only when no other type of this base sits in the same event (request and
    // response contexts of one event are named after their parents instead).
    const alone =
      reachedBy.length === 1 &&
      order.filter(
        (other) =>
          QUICKTYPE_PREFIXES.exec(other)?.[2] === base && events.get(other)?.has(reachedBy[0]!),
      ).length === 1;
    const candidates = [
      alone ? `${reachedBy[0]}${base}` : undefined,
      owners.length === 1
        ? `${(renamed.get(owners[0]!) ?? owners[0]!).replace(/Payload$/, '')}${base}`
        : undefined,
    ];
    const chosen = candidates.find(
      (candidate) => candidate !== undefined && !taken.has(candidate) && candidate.length <= 80,
    );
    if (chosen === undefined) continue;
    renamed.set(name, chosen);
    taken.add(chosen);
  }
  if (renamed.size === 0) return source;
  // In TypeScript a name followed by `:` is a property key (payload text); in Python that is a
  // class declaration, and keys are only ever in double quotes.
  const keyGuard =
    language === 'typescript' || language === 'typescript-zod' ? '(?!\\s*\\??:)' : '';
  const pattern = new RegExp(
    `(["']?)\\b(${[...renamed.keys()].join('|')})(Schema)?\\b${keyGuard}`,
    'g',
  );
  const result = source.replace(
    pattern,
    (whole, quote: string, name: string, schema: string | undefined) =>
      // A double quote before it means a string: payload text, never renamed. Python's own forward
      // references are in single quotes ('PurpleContext') and are renamed.
      quote === '"' ? whole : `${quote}${renamed.get(name)!}${schema ?? ''}`,
  );
  return language === 'go' ? realignGoStructs(result) : result;
}

const GO_FIELD = /^\t(\S+)( +)(\S+)(?:( +)(.+))?$/;

/**
 * New names change column widths; gofmt aligns a struct's field names, types and tags in columns
 * (as quicktype wrote them), so each struct is aligned again the same way.
 */
function realignGoStructs(source: string): string {
  const lines = source.split('\n');
  for (let start = 0; start < lines.length; start++) {
    if (!/^type \S+ struct \{$/.test(lines[start]!)) continue;
    let end = start + 1;
    while (end < lines.length && lines[end] !== '}') end++;
    const fields = lines.slice(start + 1, end).map((line) => GO_FIELD.exec(line));
    if (fields.some((field) => field === null)) continue;
    const parsed = fields.map((field) => ({ name: field![1]!, type: field![3]!, tag: field![5] }));
    const nameWidth = Math.max(...parsed.map((field) => field.name.length));
    const typeWidth = Math.max(...parsed.map((field) => field.type.length));
    parsed.forEach((field, index) => {
      lines[start + 1 + index] =
        field.tag === undefined
          ? `\t${field.name.padEnd(nameWidth)} ${field.type}`
          : `\t${field.name.padEnd(nameWidth)} ${field.type.padEnd(typeWidth)} ${field.tag}`;
    });
    start = end;
  }
  return lines.join('\n');
}
