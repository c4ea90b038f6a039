// Identifiers built from event names. Event names are payload text, so they only ever reach code
// through these functions (letters and digits, never anything a parser could read as syntax).

const MAX_STEM_LENGTH = 60;

/** `message_logged` → `MessageLogged`, `conversation.completed` → `ConversationCompleted`. */
export function pascalStem(text: string): string {
  const words = text
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .split(/[^A-Za-z0-9]+/)
    .filter((word) => word !== '');
  let stem = words.map((word) => word[0]!.toUpperCase() + word.slice(1).toLowerCase()).join('');
  if (stem === '') stem = 'Unnamed';
  if (/^[0-9]/.test(stem)) stem = `Event${stem}`;
  return stem.slice(0, MAX_STEM_LENGTH);
}

/** Distinct stems for distinct names, in the order given: a second `MessageLogged` gets `2`. */
export function uniqueStems(names: readonly string[], reserved: readonly string[] = []): string[] {
  const taken = new Set<string>(reserved.map((stem) => stem.toLowerCase()));
  return names.map((name) => {
    const base = pascalStem(name);
    let stem = base;
    for (let suffix = 2; taken.has(stem.toLowerCase()); suffix++) stem = `${base}${suffix}`;
    taken.add(stem.toLowerCase());
    return stem;
  });
}

/** `MessageLogged` → `messageLogged`. */
export function camelFromStem(stem: string): string {
  return stem[0]!.toLowerCase() + stem.slice(1);
}

/** `MessageLogged2` → `message_logged2`. */
export function snakeFromStem(stem: string): string {
  return stem
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .replace(/([A-Z])([A-Z][a-z])/g, '$1_$2')
    .toLowerCase();
}
