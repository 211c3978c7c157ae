/**
 * Python value semantics for template output and comparisons.
 *
 * Django templates print and compare Python objects. djust receives JavaScript values, so this module
 * decides how each JS value behaves as its closest Python counterpart: `null` is `None`, arrays are lists,
 * plain objects and `Map`s are dicts, integral numbers are ints, other numbers are floats, and Temporal
 * values are dates and datetimes.
 * @module
 */
import { escapeHtml, SafeString } from "./safe.ts";

// #region Type tests

/** Symbol that @preact/signals-core puts on every signal (`brand`); used to unwrap signals when read. */
const SIGNAL_BRAND = Symbol.for("preact-signals");

/** True when `v` is a @preact/signals-core signal or computed. */
export function isSignal(v: unknown): v is { readonly value: unknown; peek(): unknown } {
  return typeof v === "object" && v !== null &&
    (v as { brand?: unknown }).brand === SIGNAL_BRAND;
}

/** True for plain `{}` objects (our stand-in for Python dicts). */
export function isPlainObject(v: unknown): v is Record<string, unknown> {
  if (typeof v !== "object" || v === null) return false;
  const proto = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
}

/** True for values that behave as Python dicts: plain objects and Maps. */
export function isDict(v: unknown): v is Record<string, unknown> | Map<unknown, unknown> {
  return v instanceof Map || isPlainObject(v);
}

/** True for `Temporal.PlainDate` (Python `date`). */
export function isPlainDate(v: unknown): v is Temporal.PlainDate {
  return v instanceof Temporal.PlainDate;
}

/** True for values that carry a time of day (naive or aware datetimes). */
export function isDateTime(
  v: unknown,
): v is Temporal.PlainDateTime | Temporal.ZonedDateTime | Temporal.Instant | Date {
  return v instanceof Temporal.PlainDateTime || v instanceof Temporal.ZonedDateTime ||
    v instanceof Temporal.Instant || v instanceof Date;
}

/** True for any date-like value the date filters accept. */
export function isDateLike(v: unknown): boolean {
  return isPlainDate(v) || isDateTime(v) || v instanceof Temporal.PlainTime;
}

/** A string or a SafeString (Python `str`). */
export function isStringLike(v: unknown): v is string | SafeString {
  return typeof v === "string" || v instanceof SafeString;
}

// #endregion
// #region Printing

/** Formats a float the way Python's `repr(float)` does (shortest round-trip digits). */
export function floatRepr(x: number): string {
  // Between 1e-4 and 1e16 both languages print the shortest round-trip digits positionally, so
  // String() is already Python's repr (integral values are handled by the caller as ints).
  const abs = x < 0 ? -x : x;
  if (abs >= 1e-4 && abs < 1e16 && !Number.isInteger(x)) return String(x);
  if (Number.isNaN(x)) return "nan";
  if (x === Infinity) return "inf";
  if (x === -Infinity) return "-inf";
  if (x === 0) return Object.is(x, -0) ? "-0.0" : "0.0";
  // toExponential() with no argument yields the shortest digits that round-trip, like Python's repr.
  const exp = x.toExponential();
  const eAt = exp.indexOf("e");
  let mantissa = exp.slice(0, eAt);
  const power = Number(exp.slice(eAt + 1));
  const negative = mantissa[0] === "-";
  if (negative) mantissa = mantissa.slice(1);
  const digits = mantissa.replace(".", "");
  let out: string;
  if (power < -4 || power >= 16) {
    const frac = digits.length > 1 ? "." + digits.slice(1) : "";
    out = digits[0] + frac + "e" + (power < 0 ? "-" : "+") +
      String(Math.abs(power)).padStart(2, "0");
  } else if (power < 0) {
    out = "0." + "0".repeat(-power - 1) + digits;
  } else if (digits.length > power + 1) {
    out = digits.slice(0, power + 1) + "." + digits.slice(power + 1);
  } else {
    out = digits + "0".repeat(power + 1 - digits.length) + ".0";
  }
  return negative ? "-" + out : out;
}

/** Prints a JS number as Python would print the int or float it stands for. */
export function numberStr(x: number): string {
  // Integral numbers are ints (JSON cannot tell 1 from 1.0), up to where Python's repr of a float
  // turns to an exponent (1e16): beyond it a number holds no exact integer a template could have
  // meant, and printing every binary digit (1e23 as 99999999999999991611392) would be wrong.
  if (Number.isInteger(x) && x < 1e16 && x > -1e16) {
    // -0 can only come from float arithmetic or a float literal, so it prints as Python prints -0.0.
    return Object.is(x, -0) ? "-0.0" : String(x);
  }
  return floatRepr(x);
}

function pad(n: number, width: number): string {
  return String(n).padStart(width, "0");
}

function plainDateStr(d: { year: number; month: number; day: number }): string {
  return `${pad(d.year, 4)}-${pad(d.month, 2)}-${pad(d.day, 2)}`;
}

function timeStr(t: {
  hour: number;
  minute: number;
  second: number;
  millisecond: number;
  microsecond: number;
}): string {
  const micro = t.millisecond * 1000 + t.microsecond;
  return `${pad(t.hour, 2)}:${pad(t.minute, 2)}:${pad(t.second, 2)}` +
    (micro ? "." + pad(micro, 6) : "");
}

/** Python `str()` of a date-like value. */
function dateStr(v: unknown): string {
  if (v instanceof Temporal.PlainDate) return plainDateStr(v);
  if (v instanceof Temporal.PlainDateTime) return plainDateStr(v) + " " + timeStr(v);
  if (v instanceof Temporal.PlainTime) return timeStr(v);
  if (v instanceof Temporal.ZonedDateTime) {
    return plainDateStr(v) + " " + timeStr(v) + v.offset;
  }
  if (v instanceof Temporal.Instant) return dateStr(v.toZonedDateTimeISO("UTC"));
  if (v instanceof Date) {
    return dateStr(Temporal.Instant.fromEpochMilliseconds(v.getTime()));
  }
  return String(v);
}

/**
 * The Python type name of a value, for error messages (`int`, `str`, `list`, `NoneType`...).
 *
 * @example
 * ```ts
 * import { pyTypeName } from "./values.ts";
 * pyTypeName([1]); // "list"
 * ```
 */
export function pyTypeName(v: unknown): string {
  if (v === null || v === undefined) return "NoneType";
  switch (typeof v) {
    case "string":
      return "str";
    case "number":
      return Number.isInteger(v) ? "int" : "float";
    case "boolean":
      return "bool";
    case "bigint":
      return "int";
    case "function":
      return "function";
  }
  if (v instanceof SafeString) return "SafeString";
  if (Array.isArray(v)) return "list";
  if (v instanceof Set) return "set";
  if (isDict(v)) return "dict";
  if (v instanceof Temporal.PlainDate) return "date";
  if (isDateTime(v)) return "datetime";
  return (v as object).constructor?.name ?? "object";
}

/** Python `repr()` of a string: single quotes unless the text has `'` and no `"`. */
export function stringRepr(s: string): string {
  const quote = s.includes("'") && !s.includes('"') ? '"' : "'";
  let out = quote;
  for (const ch of s) {
    const code = ch.codePointAt(0)!;
    if (ch === quote || ch === "\\") out += "\\" + ch;
    else if (ch === "\n") out += "\\n";
    else if (ch === "\r") out += "\\r";
    else if (ch === "\t") out += "\\t";
    else if (code < 0x20 || code === 0x7f) out += "\\x" + code.toString(16).padStart(2, "0");
    else out += ch;
  }
  return out + quote;
}

/** Python `repr()` of a value (used inside printed lists and dicts, and by `pprint`). */
export function pyRepr(v: unknown): string {
  if (typeof v === "string") return stringRepr(v);
  if (v instanceof SafeString) return stringRepr(v.value);
  if (v instanceof Temporal.PlainDate) return `datetime.date(${v.year}, ${v.month}, ${v.day})`;
  if (v instanceof Temporal.PlainDateTime) {
    const parts = [v.year, v.month, v.day, v.hour, v.minute];
    const micro = v.millisecond * 1000 + v.microsecond;
    if (v.second || micro) parts.push(v.second);
    if (micro) parts.push(micro);
    return `datetime.datetime(${parts.join(", ")})`;
  }
  return pyStr(v);
}

/** Python `str()` of a value: what `{{ value }}` prints before escaping. */
export function pyStr(v: unknown): string {
  switch (typeof v) {
    case "string":
      return v;
    case "number":
      return numberStr(v);
    case "boolean":
      return v ? "True" : "False";
    case "undefined":
      return "None";
    case "bigint":
      return v.toString();
    case "function":
      return String(v);
  }
  if (v === null) return "None";
  if (v instanceof SafeString) return v.value;
  if (Array.isArray(v)) {
    let out = "[";
    for (let i = 0; i < v.length; i++) out += (i ? ", " : "") + pyRepr(v[i]);
    return out + "]";
  }
  if (v instanceof Map) {
    let out = "{";
    let first = true;
    for (const [k, val] of v) {
      out += (first ? "" : ", ") + pyRepr(k) + ": " + pyRepr(val);
      first = false;
    }
    return out + "}";
  }
  if (v instanceof Set) {
    if (v.size === 0) return "set()";
    return "{" + [...v].map(pyRepr).join(", ") + "}";
  }
  if (isDateLike(v)) return dateStr(v);
  if (isSignal(v)) return pyStr(v.peek());
  if (isPlainObject(v)) {
    let out = "{";
    let first = true;
    for (const k in v) {
      out += (first ? "" : ", ") + stringRepr(k) + ": " + pyRepr(v[k]);
      first = false;
    }
    return out + "}";
  }
  return String(v);
}

/** Django's `conditional_escape`: a SafeString as is, anything else printed and escaped. */
export function conditionalEscape(v: unknown): SafeString {
  return v instanceof SafeString ? v : new SafeString(escapeHtml(pyStr(v)));
}

// #endregion
// #region Truth, length, equality, ordering

/** Python truthiness. */
export function truthy(v: unknown): boolean {
  if (v === null || v === undefined || v === false || v === 0 || v === "") return false;
  if (typeof v !== "object") return true; // NaN, like Python's nan, is truthy
  if (v instanceof SafeString) return v.value !== "";
  if (Array.isArray(v)) return v.length > 0;
  if (v instanceof Map || v instanceof Set) return v.size > 0;
  if (isSignal(v)) return truthy(v.peek());
  if (isPlainObject(v)) {
    for (const _ in v) return true;
    return false;
  }
  return true;
}

const SURROGATE = /[\ud800-\udfff]/;

/**
 * Python's `len()` of a string: code points (a JS string counts an emoji as two units).
 *
 * @example
 * ```ts
 * import { codePointLength } from "./values.ts";
 * codePointLength("a😀"); // 2
 * ```
 */
export function codePointLength(text: string): number {
  // A native scan answers for almost all text: no surrogates, one unit per code point.
  if (!SURROGATE.test(text)) return text.length;
  let n = text.length;
  for (let i = 0; i < text.length - 1; i++) {
    const c = text.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff) {
      const next = text.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) {
        n--;
        i++;
      }
    }
  }
  return n;
}

/** Python `len()`, or `undefined` when the value has no length. */
export function pyLen(v: unknown): number | undefined {
  if (typeof v === "string") return codePointLength(v);
  if (v instanceof SafeString) return codePointLength(v.value);
  if (Array.isArray(v)) return v.length;
  if (v instanceof Map || v instanceof Set) return v.size;
  if (isPlainObject(v)) return Object.keys(v).length;
  return undefined;
}

function unwrapText(v: unknown): unknown {
  return v instanceof SafeString ? v.value : v;
}

/** Python `==`: deep for lists and dicts, `True == 1`, SafeString equals its text. */
export function pyEquals(a: unknown, b: unknown): boolean {
  a = unwrapText(a);
  b = unwrapText(b);
  if (a === b) return true;
  if (a === undefined) a = null;
  if (b === undefined) b = null;
  if (a === null || b === null) return a === b;
  if (typeof a === "boolean") a = a ? 1 : 0;
  if (typeof b === "boolean") b = b ? 1 : 0;
  if (typeof a === "number" || typeof b === "number") return a === b;
  if (Array.isArray(a) || Array.isArray(b)) {
    if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!pyEquals(a[i], b[i])) return false;
    return true;
  }
  if (isDateLike(a) || isDateLike(b)) return compareDates(a, b) === 0;
  if (isDict(a) && isDict(b)) {
    const ea = dictEntries(a), eb = dictEntries(b);
    if (ea.length !== eb.length) return false;
    for (const [k, v] of ea) {
      const other = dictGet(b, k);
      if (other === MISSING || !pyEquals(v, other)) return false;
    }
    return true;
  }
  return false;
}

function compareDates(a: unknown, b: unknown): number | undefined {
  if (a instanceof Temporal.PlainDate && b instanceof Temporal.PlainDate) {
    return Temporal.PlainDate.compare(a, b);
  }
  if (a instanceof Temporal.PlainDateTime && b instanceof Temporal.PlainDateTime) {
    return Temporal.PlainDateTime.compare(a, b);
  }
  const ia = toInstant(a), ib = toInstant(b);
  if (ia && ib) return Temporal.Instant.compare(ia, ib);
  return undefined;
}

function toInstant(v: unknown): Temporal.Instant | undefined {
  if (v instanceof Temporal.Instant) return v;
  if (v instanceof Temporal.ZonedDateTime) return v.toInstant();
  if (v instanceof Date) return Temporal.Instant.fromEpochMilliseconds(v.getTime());
  return undefined;
}

/**
 * Python ordering (`<`): returns negative, zero or positive, or `undefined` when Python would raise
 * `TypeError` (e.g. comparing a string with a number).
 */
export function pyCompare(a: unknown, b: unknown): number | undefined {
  a = unwrapText(a);
  b = unwrapText(b);
  if (typeof a === "boolean") a = a ? 1 : 0;
  if (typeof b === "boolean") b = b ? 1 : 0;
  if (typeof a === "number" && typeof b === "number") return a < b ? -1 : a > b ? 1 : 0;
  if (typeof a === "string" && typeof b === "string") return compareCodePoints(a, b);
  if (Array.isArray(a) && Array.isArray(b)) {
    const n = Math.min(a.length, b.length);
    for (let i = 0; i < n; i++) {
      if (pyEquals(a[i], b[i])) continue;
      return pyCompare(a[i], b[i]);
    }
    return a.length - b.length;
  }
  if (isDateLike(a) && isDateLike(b)) return compareDates(a, b);
  return undefined;
}

/** Compares strings by code point, as Python does (JS `<` compares UTF-16 units). */
export function compareCodePoints(a: string, b: string): number {
  if (a === b) return 0;
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const ca = a.charCodeAt(i), cb = b.charCodeAt(i);
    if (ca !== cb) {
      // Surrogates (astral code points) sort above every BMP unit in code point order.
      const sa = ca >= 0xd800 && ca <= 0xdfff, sb = cb >= 0xd800 && cb <= 0xdfff;
      if (sa !== sb) return sa ? 1 : -1;
      return ca - cb;
    }
  }
  return a.length - b.length;
}

/** Python `in`: substring, list membership, dict key; `undefined` when Python would raise. */
export function pyIn(item: unknown, container: unknown): boolean | undefined {
  container = unwrapText(container);
  if (typeof container === "string") {
    item = unwrapText(item);
    return typeof item === "string" ? container.includes(item) : undefined;
  }
  if (Array.isArray(container)) return container.some((x) => pyEquals(x, item));
  if (container instanceof Set) {
    for (const x of container) if (pyEquals(x, item)) return true;
    return false;
  }
  if (isDict(container)) return dictGet(container, unwrapText(item)) !== MISSING;
  return undefined;
}

// #endregion
// #region Dicts

/** Marker for "no such key", distinct from a stored `undefined`. */
export const MISSING: unique symbol = Symbol("missing");

/**
 * Looks a key up in a dict-like value with Python's key equality: a plain object's keys are
 * strings, so only a string (or SafeString) finds them (`3` is not `"3"`); a Map's keys compare as
 * Python compares them (`1`, `1.0` and `True` are one key).
 *
 * @example
 * ```ts
 * import { dictGet, MISSING } from "./values.ts";
 * dictGet({ "3": "x" }, 3) === MISSING; // true: 3 is not "3"
 * ```
 */
export function dictGet(
  d: Record<string, unknown> | Map<unknown, unknown>,
  key: unknown,
): unknown {
  if (key instanceof SafeString) key = key.value;
  if (d instanceof Map) {
    if (d.has(key)) return d.get(key);
    if (typeof key === "object" && key !== null) return MISSING;
    // Python's 1 == True == 1.0 and SafeString == str: look for an equal key of another type.
    for (const [k, v] of d) if (typeof k !== typeof key && pyEquals(k, key)) return v;
    return MISSING;
  }
  if (typeof key === "string" && Object.hasOwn(d, key)) return d[key];
  return MISSING;
}

/** The `[key, value]` pairs of a dict-like value, in insertion order. */
export function dictEntries(
  d: Record<string, unknown> | Map<unknown, unknown>,
): [unknown, unknown][] {
  return d instanceof Map ? [...d.entries()] : Object.entries(d);
}

// #endregion
// #region Iteration

/** Turns a value into the list Python would iterate (`for x in value`), or `undefined`. */
export function toIterableList(v: unknown): unknown[] | undefined {
  if (Array.isArray(v)) return v;
  if (typeof v === "string") return [...v];
  if (v instanceof SafeString) return [...v.value];
  if (v instanceof Map) return [...v.keys()];
  if (v instanceof Set) return [...v];
  if (isPlainObject(v)) return Object.keys(v);
  if (v !== null && typeof v === "object" && Symbol.iterator in v) {
    return [...(v as Iterable<unknown>)];
  }
  return undefined;
}

// #endregion
