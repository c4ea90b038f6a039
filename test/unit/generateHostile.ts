// Hostile bodies for code generation (catalogue C-01 to C-05): keys that are not identifiers,
// keys and values that would be code if pasted unquoted, prototype names, reserved words, mixed
// and empty arrays, nulls, and integers JavaScript cannot hold.

export const HOSTILE_EVENT = 'evil"; process.exit(1); //.created`${x}`';

const LONG_KEY = 'k'.repeat(10_000);

/** Raw JSON text, written by hand: an object literal would turn "__proto__" into a prototype. */
export function hostileBody(variant: number): string {
  const optional = variant % 2 === 0 ? `, "only_even": ${variant}` : ', "only_odd": null';
  return `{
  "type": ${JSON.stringify(HOSTILE_EVENT)},
  "id": "evt_${variant}",
  "data": {
    "a-b": ${variant},
    "1abc": "starts with a digit",
    "": "empty key",
    " ": "space key",
    "emoji \u{1F600}": true,
    "${LONG_KEY}": "ten thousand characters",
    "x\\"; process.exit(1); //": "x\\"; process.exit(1); //",
    "*/ evil() /*": "*/ evil() /*",
    "\`backtick\`": "\`rm -rf\`",
    "\${process.env}": "\${process.env.HOME}",
    "line\\u2028separator": "a\\u2029b",
    "__proto__": { "polluted": true },
    "constructor": "c",
    "class": "reserved",
    "default": "reserved",
    "toString": "not a function",
    "mixed": [1, "two", null, { "three": 3 }],
    "empty": [],
    "nothing": null,
    "big": 12345678901234567890${variant},
    "float": 0.1,
    "when": "2026-11-23T12:00:00Z"${optional}
  }
}`;
}
