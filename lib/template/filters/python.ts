/**
 * The Python operations Django's filters apply to their inputs (`int(arg)`, `value[0]`,
 * `iter(value)`), with the exceptions Python raises where they fail, so that a filter fails
 * exactly where and as Django's does.
 * @module
 */
import { type PythonErrorName, TemplateRenderError } from "../errors.ts";
import { SafeString } from "../safe.ts";
import { isDict, MISSING, pyRepr, pyTypeName, toIterableList } from "../values.ts";

/**
 * A render error named after the Python exception Django lets through.
 *
 * @example
 * ```ts
 * import { pythonError } from "./python.ts";
 * pythonError("ValueError", "bad").name; // "ValueError"
 * ```
 */
export function pythonError(python: PythonErrorName, message: string): TemplateRenderError {
  return new TemplateRenderError(message, { python });
}

const INT_TEXT = /^[+-]?\d+(?:_\d+)*$/;

/**
 * Python's `int(value)`: ints, floats (truncated), booleans and integer strings (spaces around and
 * `_` between digits allowed). Throws Python's ValueError or TypeError otherwise.
 *
 * @example
 * ```ts
 * import { pythonInt } from "./python.ts";
 * pythonInt(" 12 "); // 12
 * pythonInt(6.7); // 6
 * ```
 */
export function pythonInt(value: unknown): number {
  if (typeof value === "number") {
    if (Number.isNaN(value)) throw pythonError("ValueError", "cannot convert float NaN to integer");
    if (!Number.isFinite(value)) {
      throw pythonError("OverflowError", "cannot convert float infinity to integer");
    }
    return Math.trunc(value);
  }
  if (typeof value === "boolean") return value ? 1 : 0;
  const text = value instanceof SafeString ? value.value : typeof value === "string" ? value : null;
  if (text === null) {
    throw pythonError(
      "TypeError",
      `int() argument must be a string, a bytes-like object or a real number, not '${
        pyTypeName(value)
      }'`,
    );
  }
  const trimmed = text.trim();
  if (!INT_TEXT.test(trimmed)) {
    throw pythonError("ValueError", `invalid literal for int() with base 10: ${pyRepr(text)}`);
  }
  return Number(trimmed.replaceAll("_", ""));
}

/**
 * `int(value)` where Django catches only ValueError (`truncatechars`...): NaN for text that is no
 * integer, Python's TypeError for values that are not text or numbers.
 *
 * @example
 * ```ts
 * import { pythonIntOrNaN } from "./python.ts";
 * pythonIntOrNaN("x"); // NaN (Python's ValueError)
 * ```
 */
export function pythonIntOrNaN(value: unknown): number {
  try {
    return pythonInt(value);
  } catch (err) {
    if (err instanceof TemplateRenderError && err.name === "ValueError") return NaN;
    throw err;
  }
}

/**
 * Python's `value[index]` for the `first`/`last` filters: lists and strings by position
 * (MISSING when out of range, Django's IndexError), dicts by key (KeyError when absent), anything
 * else a TypeError.
 *
 * @example
 * ```ts
 * import { pythonItem } from "./python.ts";
 * pythonItem(["a", "b"], -1); // "b"
 * ```
 */
export function pythonItem(value: unknown, index: number): unknown {
  if (value instanceof SafeString) value = value.value;
  if (typeof value === "string" || Array.isArray(value)) {
    // Strings index by code point, as Python's do.
    const list = typeof value === "string" ? [...value] : value;
    const at = index < 0 ? list.length + index : index;
    return at >= 0 && at < list.length ? list[at] : MISSING;
  }
  if (value instanceof Map && value.has(index)) return value.get(index);
  if (isDict(value)) throw pythonError("KeyError", String(index));
  throw pythonError("TypeError", `'${pyTypeName(value)}' object is not subscriptable`);
}

/**
 * Python's `iter(value)` as a list, or Python's TypeError for a value that cannot be iterated.
 *
 * @example
 * ```ts
 * import { pythonIterable } from "./python.ts";
 * pythonIterable("ab"); // ["a", "b"]
 * ```
 */
export function pythonIterable(value: unknown): unknown[] {
  const list = value === null || value === undefined || typeof value === "number"
    ? undefined
    : toIterableList(value);
  if (list === undefined) {
    throw pythonError("TypeError", `'${pyTypeName(value)}' object is not iterable`);
  }
  return list;
}
