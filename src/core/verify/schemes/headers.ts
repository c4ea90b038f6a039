// Header edits for re-signing: the replayed request keeps the sender's order and case.

/**
 * The headers with each named one replaced in place (its first occurrence keeps its position and
 * case; repeats are dropped) and any not present appended.
 */
export function replaceHeaders(
  headers: ReadonlyArray<readonly [string, string]>,
  replacements: ReadonlyArray<readonly [string, string]>,
): Array<readonly [string, string]> {
  const pending = new Map(
    replacements.map(([name, value]) => [name.toLowerCase(), { name, value }]),
  );
  const placed = new Set<string>();
  const out: Array<readonly [string, string]> = [];
  for (const [name, value] of headers) {
    const lower = name.toLowerCase();
    const replacement = pending.get(lower);
    if (replacement === undefined) out.push([name, value]);
    else if (!placed.has(lower)) {
      out.push([name, replacement.value]);
      placed.add(lower);
    }
  }
  for (const [lower, { name, value }] of pending) if (!placed.has(lower)) out.push([name, value]);
  return out;
}
