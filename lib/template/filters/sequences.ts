/**
 * Filters on values and sequences: default, default_if_none, dictsort, dictsortreversed, first, last,
 * join, length, length_is, random, safeseq, escapeseq, slice, pprint.
 * @module
 */
import { TemplateRenderError } from "../errors.ts";
import { markSafe, SafeString } from "../safe.ts";
import {
  conditionalEscape,
  dictEntries,
  dictGet,
  isDict,
  MISSING,
  pyCompare,
  pyLen,
  pyRepr,
  pyStr,
  pyTypeName,
  stringRepr,
  toIterableList,
  truthy,
} from "../values.ts";
import { pythonError, pythonItem, pythonIterable } from "./python.ts";
import type { FilterDefinition } from "./registry.ts";
import { pyInt } from "./strings.ts";

// #region dictsort

const FLOAT_TEXT =
  /^[+-]?(?:(?:\d(?:_?\d)*)?\.?\d(?:_?\d)*(?:e[+-]?\d(?:_?\d)*)?|\d(?:_?\d)*\.|inf(?:inity)?|nan)$/i;

/** Whether Python's `float(arg)` accepts `arg` (Django's test for an item-index argument). */
function floatAccepts(arg: unknown): boolean {
  if (typeof arg === "number" || typeof arg === "boolean") return true;
  const text = arg instanceof SafeString ? arg.value : typeof arg === "string" ? arg : null;
  if (text === null) {
    throw pythonError(
      "TypeError",
      `float() argument must be a string or a number, not '${pyTypeName(arg)}'`,
    );
  }
  return FLOAT_TEXT.test(text.trim());
}

/** Python's `item[key]`, raising KeyError, IndexError or TypeError as Python does. */
function getItem(item: unknown, key: unknown): unknown {
  if (item instanceof SafeString) item = item.value;
  if (Array.isArray(item) || typeof item === "string") {
    const index = typeof key === "boolean" ? Number(key) : key;
    if (typeof index !== "number" || !Number.isInteger(index)) {
      throw pythonError(
        "TypeError",
        `${pyTypeName(item)} indices must be integers, not ${pyTypeName(key)}`,
      );
    }
    const found = pythonItem(item, index);
    if (found === MISSING) {
      throw pythonError("IndexError", `${pyTypeName(item)} index out of range`);
    }
    return found;
  }
  if (isDict(item)) {
    const found = dictGet(item, key);
    if (found === MISSING) throw pythonError("KeyError", pyRepr(key));
    return found;
  }
  throw pythonError("TypeError", `'${pyTypeName(item)}' object is not subscriptable`);
}

/**
 * Django 3.2's `_property_resolver`: an argument Python's float() accepts is an item key or index
 * (`itemgetter(arg)`); any other is a dotted path, each part tried as a key then as an attribute,
 * with private names refused (AttributeError).
 */
function propertyResolver(arg: unknown): (item: unknown) => unknown {
  if (floatAccepts(arg)) return (item) => getItem(item, arg);
  const text = pyStr(arg);
  if (text === "") throw pythonError("IndexError", "string index out of range"); // arg[0]
  if (text.includes("._") || text[0] === "_") {
    throw pythonError("AttributeError", "Access to private variables is forbidden.");
  }
  const parts = text.split(".");
  return (item) => {
    let value = item;
    for (const part of parts) {
      try {
        value = getItem(value, part);
      } catch (err) {
        if (!(err instanceof TemplateRenderError)) throw err;
        value = getAttribute(value, part);
      }
    }
    return value;
  };
}

/** Python's `getattr(value, name)` for what templates see as objects: own or class members. */
function getAttribute(value: unknown, name: string): unknown {
  if (typeof value === "object" && value !== null && !isDict(value) && !Array.isArray(value)) {
    const member = (value as Record<string, unknown>)[name];
    if (member !== undefined && typeof member !== "function") return member;
  }
  throw pythonError("AttributeError", `'${pyTypeName(value)}' object has no attribute '${name}'`);
}

/** Django's dictsort: sorted by the resolver's keys; a TypeError or AttributeError gives "". */
function dictsort(value: unknown, arg: unknown, reverse: boolean): unknown {
  try {
    const key = propertyResolver(arg);
    const list = pythonIterable(value);
    const keyed = list.map((item, i) => ({ item, key: key(item), i }));
    keyed.sort((a, b) => {
      const c = pyCompare(a.key, b.key);
      if (c === undefined) {
        throw pythonError(
          "TypeError",
          `'<' not supported between instances of '${pyTypeName(a.key)}' and '${
            pyTypeName(b.key)
          }'`,
        );
      }
      return (reverse ? -c : c) || a.i - b.i;
    });
    return keyed.map((k) => k.item);
  } catch (err) {
    if (
      err instanceof TemplateRenderError &&
      (err.name === "TypeError" || err.name === "AttributeError")
    ) {
      return "";
    }
    throw err;
  }
}

// #endregion
// #region slice

function pySlice(value: unknown, arg: unknown): unknown {
  const safe = value instanceof SafeString;
  const text = safe ? (value as SafeString).value : typeof value === "string" ? value : null;
  const list = text !== null ? [...text] : Array.isArray(value) ? value : null;
  if (!list) return value;
  const bits: (number | null)[] = [];
  for (const x of pyStr(arg).split(":")) {
    if (!x) bits.push(null);
    else {
      const n = pyInt(x);
      if (Number.isNaN(n)) return value;
      bits.push(n);
    }
  }
  if (bits.length > 3) return value;
  let [start, stop, step] = bits.length === 1
    ? [null, bits[0], null]
    : [bits[0], bits[1], bits[2] ?? null];
  step ??= 1;
  if (step === 0) return value;
  const len = list.length;
  const norm = (i: number | null, dflt: number, lo: number, hi: number) => {
    if (i === null) return dflt;
    if (i < 0) i += len;
    return Math.min(Math.max(i, lo), hi);
  };
  const out: unknown[] = [];
  if (step > 0) {
    start = norm(start, 0, 0, len);
    stop = norm(stop, len, 0, len);
    for (let i = start; i < stop; i += step) out.push(list[i]);
  } else {
    start = norm(start, len - 1, -1, len - 1);
    stop = norm(stop, -1, -1, len - 1);
    for (let i = start; i > stop; i += step) out.push(list[i]);
  }
  return text !== null ? out.join("") : out;
}

// #endregion
// #region pprint

/** Python's `pprint.pformat` (width 80, dict keys sorted) for the JS value mapping. */
export function pformat(value: unknown, indent = 0): string {
  const flat = pformatFlat(value);
  if (flat.length + indent <= 80) return flat;
  if (Array.isArray(value) && value.length) {
    const inner = value.map((v) => pformat(v, indent + 1));
    return "[" + inner.join(",\n" + " ".repeat(indent + 1)) + "]";
  }
  if (isDict(value)) {
    const entries = sortedEntries(value);
    if (!entries.length) return flat;
    const inner = entries.map(([k, v]) => {
      const key = pyRepr(k) + ": ";
      return key + pformat(v, indent + 1 + key.length);
    });
    return "{" + inner.join(",\n" + " ".repeat(indent + 1)) + "}";
  }
  return flat;
}

function sortedEntries(d: Record<string, unknown> | Map<unknown, unknown>): [unknown, unknown][] {
  const entries = dictEntries(d);
  try {
    return [...entries].sort((a, b) => {
      const c = pyCompare(a[0], b[0]);
      if (c === undefined) throw new TypeError("keys of different types do not sort"); // caught below
      return c;
    });
  } catch {
    return entries;
  }
}

function pformatFlat(value: unknown): string {
  if (Array.isArray(value)) return "[" + value.map(pformatFlat).join(", ") + "]";
  if (isDict(value)) {
    return "{" + sortedEntries(value).map(([k, v]) =>
      `${pyRepr(k)}: ${pformatFlat(v)}`
    ).join(", ") + "}";
  }
  if (typeof value === "string") return stringRepr(value);
  return pyRepr(value);
}

// #endregion
// #region Filters

/** The value and sequence filters. */
export const sequenceFilters: Record<string, FilterDefinition> = {
  default: { arg: "required", fn: (v, a) => (truthy(v) ? v : a) },
  default_if_none: { arg: "required", fn: (v, a) => (v === null || v === undefined ? a : v) },
  dictsort: { arg: "required", fn: (v, a) => dictsort(v, a, false) },
  dictsortreversed: { arg: "required", fn: (v, a) => dictsort(v, a, true) },
  first: {
    fn: (v) => {
      const item = pythonItem(v, 0);
      return item === MISSING ? "" : item;
    },
  },
  last: {
    isSafe: true,
    fn: (v) => {
      const item = pythonItem(v, -1);
      return item === MISSING ? "" : item;
    },
  },
  join: {
    isSafe: true,
    needsAutoescape: true,
    arg: "required",
    fn: (v, a, env) => {
      const items = toIterableList(v);
      if (!items || typeof v === "number") return v;
      if (
        !env.autoescape && items.some((x) => typeof x !== "string" && !(x instanceof SafeString))
      ) return v;
      const parts = env.autoescape
        ? items.map((x) => conditionalEscape(x).value)
        : items.map((x) => String(x));
      // Django 3.2 escapes the separator even with autoescape off (later versions do not).
      return markSafe(parts.join(conditionalEscape(a).value));
    },
  },
  length: { fn: (v) => pyLen(v) ?? 0 },
  length_is: {
    arg: "required",
    fn: (v, a) => {
      const len = pyLen(v), n = pyInt(a);
      return len === undefined || Number.isNaN(n) ? "" : len === n;
    },
  },
  random: {
    isSafe: true,
    fn: (v) => {
      const list = pythonIterable(v);
      if (!list.length) throw pythonError("IndexError", "Cannot choose from an empty sequence");
      const index = Math.floor(Math.random() * list.length);
      // Python's choice indexes the value: a dict by a random number, which is no key.
      return isDict(v) ? getItem(v, index) : list[index];
    },
  },
  safeseq: { isSafe: true, fn: (v) => pythonIterable(v).map((x) => markSafe(pyStr(x))) },
  escapeseq: { isSafe: true, fn: (v) => pythonIterable(v).map(conditionalEscape) },
  slice: { isSafe: true, arg: "required", fn: (v, a) => pySlice(v, a) },
  pprint: { isSafe: true, fn: (v) => pformat(v) },
};

// #endregion
