/**
 * Filters on values and sequences: default, default_if_none, dictsort, dictsortreversed, first, last,
 * join, length, length_is, random, safeseq, escapeseq, slice, pprint.
 * @module
 */
import { Variable } from "../expression.ts";
import { Context } from "../context.ts";
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
  stringRepr,
  toIterableList,
  truthy,
} from "../values.ts";
import type { FilterDefinition } from "./registry.ts";
import { pyInt } from "./strings.ts";

/** Python indexing `value[i]` for lists and strings (negative from the end); MISSING when out of range. */
function indexOf(value: unknown, i: number): unknown {
  if (value instanceof SafeString) value = value.value;
  const list = typeof value === "string" ? [...value] : Array.isArray(value) ? value : null;
  if (!list) throw new TypeError("not subscriptable");
  const at = i < 0 ? list.length + i : i;
  return at >= 0 && at < list.length ? list[at] : MISSING;
}

// #region dictsort

/** The sort key getter Django builds from the argument (a lookup path, or an item key if numeric). */
function sortKey(arg: unknown): (item: unknown) => unknown {
  const text = pyStr(arg);
  if (/^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i.test(text.trim())) {
    // Django uses itemgetter(arg) for numeric arguments: a dict key lookup with the string itself.
    return (item) => {
      if (isDict(item)) {
        const v = dictGet(item, text);
        if (v === MISSING) throw new TypeError("missing key");
        return v;
      }
      throw new TypeError("not a dict");
    };
  }
  const variable = new Variable(text);
  const ctx = new Context();
  return (item) => {
    ctx.scope = Object.assign(
      Object.create(null),
      isDict(item) && !(item instanceof Map) ? item : {},
    );
    if (item instanceof Map) {
      for (const [k, v] of item) if (typeof k === "string") ctx.scope[k] = v;
    }
    if (!isDict(item)) {
      // Lookups on a non-dict item: attributes and indexes through the first bit.
      const lookups = variable.lookups!;
      let current: unknown = item;
      for (const bit of lookups) {
        current = lookupBit(current, bit);
        if (current === MISSING) throw new TypeError("missing");
      }
      return current;
    }
    const v = variable.resolve(ctx);
    if (v === MISSING) throw new TypeError("missing");
    return v;
  };
}

function lookupBit(current: unknown, bit: string): unknown {
  if (Array.isArray(current) && /^-?\d+$/.test(bit)) return indexOf(current, Number(bit));
  if (current && typeof current === "object" && bit in current) {
    return (current as Record<string, unknown>)[bit];
  }
  return MISSING;
}

function dictsort(value: unknown, arg: unknown, reverse: boolean): unknown {
  const list = toIterableList(value);
  if (!list || typeof value === "string" || value instanceof SafeString) return "";
  try {
    const key = sortKey(arg);
    const keyed = list.map((item, i) => ({ item, key: key(item), i }));
    keyed.sort((a, b) => {
      const c = pyCompare(a.key, b.key);
      if (c === undefined) throw new TypeError("unorderable");
      return (reverse ? -c : c) || a.i - b.i;
    });
    return keyed.map((k) => k.item);
  } catch (err) {
    if (err instanceof TypeError) return "";
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
      if (c === undefined) throw new TypeError();
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
      const item = indexOf(v, 0);
      return item === MISSING ? "" : item;
    },
  },
  last: {
    isSafe: true,
    fn: (v) => {
      const item = indexOf(v, -1);
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
      const sep = env.autoescape ? conditionalEscape(a).value : pyStr(a);
      return markSafe(parts.join(sep));
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
      const list = toIterableList(v);
      if (!list || !list.length) throw new RangeError("Cannot choose from an empty sequence");
      return list[Math.floor(Math.random() * list.length)];
    },
  },
  safeseq: { isSafe: true, fn: (v) => (toIterableList(v) ?? []).map((x) => markSafe(pyStr(x))) },
  escapeseq: { isSafe: true, fn: (v) => (toIterableList(v) ?? []).map(conditionalEscape) },
  slice: { isSafe: true, arg: "required", fn: (v, a) => pySlice(v, a) },
  pprint: { isSafe: true, fn: (v) => pformat(v) },
};

// #endregion
