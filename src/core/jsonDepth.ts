// lossless-json and JSON.stringify recurse; a hostile body nested 100,000 deep would overflow the
// stack. This scan is iterative, so callers can refuse such bodies before parsing them (C-06).

/** The deepest bracket nesting outside strings. Cheap: one pass, no allocation. */
export function jsonNestingDepth(text: string): number {
  let depth = 0;
  let deepest = 0;
  let inString = false;
  for (let index = 0; index < text.length; index++) {
    const char = text.charCodeAt(index);
    if (inString) {
      if (char === 0x5c) index++;
      else if (char === 0x22) inString = false;
    } else if (char === 0x22) inString = true;
    else if (char === 0x7b || char === 0x5b) deepest = Math.max(deepest, ++depth);
    else if (char === 0x7d || char === 0x5d) depth--;
  }
  return deepest;
}
