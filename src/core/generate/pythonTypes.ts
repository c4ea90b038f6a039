// Python types as quicktype renders them (dataclasses with from_dict), changed in two ways:
// - a body that does not match raises PayloadShapeError naming the JSON path and what differs
//   (`at issue.labels.0.name: expected a string, got null`), where quicktype's helpers raise a bare
//   AssertionError (and none at all under `python -O`, which drops asserts);
// - the helpers and to_dict are fully annotated, so the file passes `mypy --strict`.
// quicktype's helper functions are fixed text, replaced here by name; the from_dict methods are
// rewritten line by line (each field is read by one `name = ...(obj.get("key"))` line).

/** The helpers quicktype may write (the ones HookLens's options can produce), rewritten. */
const HELPERS: Readonly<Record<string, string>> = {
  from_none: `def from_none(x: Any) -> Any:
    if x is not None:
        raise PayloadShapeError("null", x)
    return x`,
  from_bool: `def from_bool(x: Any) -> bool:
    if not isinstance(x, bool):
        raise PayloadShapeError("a boolean", x)
    return x`,
  from_int: `def from_int(x: Any) -> int:
    if not isinstance(x, int) or isinstance(x, bool):
        raise PayloadShapeError("an integer", x)
    return x`,
  from_float: `def from_float(x: Any) -> float:
    if not isinstance(x, (float, int)) or isinstance(x, bool):
        raise PayloadShapeError("a number", x)
    return float(x)`,
  to_float: `def to_float(x: Any) -> float:
    if not isinstance(x, (float, int)) or isinstance(x, bool):
        raise PayloadShapeError("a number", x)
    return float(x)`,
  from_str: `def from_str(x: Any) -> str:
    if not isinstance(x, str):
        raise PayloadShapeError("a string", x)
    return x`,
  from_list: `def from_list(f: Callable[[Any], T], x: Any) -> List[T]:
    if not isinstance(x, list):
        raise PayloadShapeError("an array", x)
    return [_at(index, f, item) for (index, item) in enumerate(x)]`,
  from_dict: `def from_dict(f: Callable[[Any], T], x: Any) -> Dict[str, T]:
    if not isinstance(x, dict):
        raise PayloadShapeError("an object", x)
    return {key: _at(key, f, value) for (key, value) in x.items()}`,
  to_class: `def to_class(c: Type[T], x: Any) -> Dict[str, Any]:
    if not isinstance(x, c):
        raise PayloadShapeError(c.__name__, x)
    result: Dict[str, Any] = cast(Any, x).to_dict()
    return result`,
  from_union: `def from_union(fs: List[Callable[[Any], Any]], x: Any) -> Any:
    errors: List[PayloadShapeError] = []
    for f in fs:
        try:
            return f(x)
        except PayloadShapeError as error:
            errors.append(error)
    # A member that matched the value's kind and failed further in says more than the others.
    deepest = max(errors, key=lambda error: len(error.path), default=None)
    if deepest is not None and deepest.path:
        raise deepest
    raise PayloadShapeError(" or ".join(error.expected for error in errors), x)`,
};

const PRELUDE = `class PayloadShapeError(ValueError):
    """A body that does not match the types the samples showed: where (a JSON path) and what differs."""

    def __init__(self, expected: str, value: Any) -> None:
        super().__init__(expected)
        self.path: List[Union[str, int]] = []
        self.expected = expected
        self.got = _json_kind(value)

    def __str__(self) -> str:
        where = ".".join(str(part) for part in self.path) or "(root)"
        return f"at {where}: expected {self.expected}, got {self.got}"


def _json_kind(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, (int, float)):
        return "a number"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, list):
        return "an array"
    if isinstance(value, dict):
        return "an object"
    return type(value).__name__


def _at(key: Union[str, int], f: Callable[[Any], T], x: Any) -> T:
    """f(x), with key put in front of the path of any mismatch found inside x."""
    try:
        return f(x)
    except PayloadShapeError as error:
        error.path.insert(0, key)
        raise


def _field(key: str, f: Callable[[Any], Any], x: Any) -> Any:
    """_at for one field of an object: what f returns is checked by the dataclass's annotation."""
    return _at(key, f, x)


def from_any(x: Any) -> Any:
    return x`;

const TYPING_IMPORT =
  'from typing import Any, Callable, Dict, List, Optional, Type, TypeVar, Union, cast';

const FIELD_LINE = /^( {8})([A-Za-z_][A-Za-z0-9_]*) = (.*)$/;
const KEY_READ = /obj\.get\(("(?:[^"\\]|\\.)*")\)/g;

export function pythonTypes(source: string): string {
  const lines = source.split('\n');
  const out: string[] = [];
  let index = 0;
  let inFromDict = false;
  let helpersDone = false;
  while (index < lines.length) {
    const line = lines[index]!;
    if (/^from typing import /.test(line)) {
      out.push(TYPING_IMPORT);
      index++;
      continue;
    }
    if (!helpersDone && line === 'T = TypeVar("T")') {
      out.push(line, '', '', PRELUDE);
      index++;
      continue;
    }
    const helper = /^def ([a-z_]+)\(/.exec(line);
    if (helper && !helpersDone && HELPERS[helper[1]!] !== undefined) {
      // Skip quicktype's definition (up to the next top-level line) and write HookLens's.
      index++;
      while (index < lines.length && (lines[index] === '' || /^\s/.test(lines[index]!))) index++;
      out.push(HELPERS[helper[1]!]!, '', '');
      continue;
    }
    if (/^(@dataclass|class )/.test(line)) helpersDone = true;
    if (/^ {4}def from_dict\(obj: Any\) -> /.test(line)) inFromDict = true;
    else if (/^ {4}(def |@)/.test(line) || /^\S/.test(line)) inFromDict = false;
    out.push(inFromDict ? fromDictLine(line) : toDictLine(line));
    index++;
  }
  return `${out
    .join('\n')
    .replace(/\n{4,}/g, '\n\n\n')
    .replace(/lambda x: x(?=[,)])/g, 'from_any')
    .trimEnd()}\n`;
}

/** One line of a from_dict method, each field read through _field so a mismatch names its key. */
function fromDictLine(line: string): string {
  if (line === '        assert isinstance(obj, dict)') {
    return '        if not isinstance(obj, dict):\n            raise PayloadShapeError("an object", obj)';
  }
  const field = FIELD_LINE.exec(line);
  if (!field) return line;
  const [, indent, name, expression] = field as unknown as [string, string, string, string];
  const reads = [...expression.matchAll(KEY_READ)];
  if (reads.length !== 1) return line;
  const key = reads[0]![1]!;
  const convert = expression.replace(KEY_READ, 'x');
  return `${indent}${name} = _field(${key}, lambda x: ${convert}, obj.get(${key}))`;
}

/** to_dict annotated with its key and value types (mypy --strict refuses a bare `dict`). */
function toDictLine(line: string): string {
  return line
    .replace(/^( {4}def to_dict\(self\) -> )dict:$/, '$1Dict[str, Any]:')
    .replace(/^( {8}result: )dict = \{\}$/, '$1Dict[str, Any] = {}');
}
