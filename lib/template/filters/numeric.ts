/**
 * Number filters: add, divisibleby, floatformat, filesizeformat, get_digit, pluralize, yesno, and the
 * arithmetic of `{% widthratio %}`. Each follows Django 3.2 (checked against real Django).
 * @module
 */
import { escapeHtml, markSafe, SafeString } from "../safe.ts";
import { floatRepr, pyLen, pyRepr, pyStr } from "../values.ts";
import type { FilterDefinition } from "./registry.ts";
import { pythonError, pythonInt } from "./python.ts";
import { pyInt } from "./strings.ts";

// #region Decimal strings

/** A decimal number as sign, digit string and exponent (value = digits × 10^exponent). */
interface Dec {
  negative: boolean;
  digits: string;
  exponent: number;
}

/** Parses Python's repr of a number ("12.5", "1e-05", "-0.0") exactly, as `Decimal(repr)` does. */
function parseDecimal(text: string): Dec | null {
  // Fast path for plain positional numbers ("12.5", "-3"), what floatRepr gives for most values.
  let i = text.charCodeAt(0) === 45 ? 1 : 0; // "-"
  const start = i;
  let point = -1;
  for (; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 46 && point === -1) point = i;
    else if (c < 48 || c > 57) break;
  }
  if (i === text.length && i > start && !(point === start && i === start + 1)) {
    const int = point === -1 ? text.slice(start) : text.slice(start, point);
    const frac = point === -1 ? "" : text.slice(point + 1);
    const digits = (int + frac).replace(/^0+(?=\d)/, "") || "0";
    return { negative: start === 1, digits, exponent: -frac.length };
  }
  const m = /^([+-]?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/.exec(text.trim());
  if (!m || (!m[2] && !m[3])) return null;
  const [, sign, int = "", frac = "", exp = "0"] = m;
  const digits = (int + frac).replace(/^0+(?=\d)/, "") || "0";
  return { negative: sign === "-", digits, exponent: Number(exp) - frac.length };
}

/** Adds one to a string of decimal digits ("199" → "200"). */
function incrementDigits(digits: string): string {
  let i = digits.length - 1;
  while (i >= 0 && digits[i] === "9") i--;
  if (i < 0) return "1" + "0".repeat(digits.length);
  return digits.slice(0, i) + String.fromCharCode(digits.charCodeAt(i) + 1) +
    "0".repeat(digits.length - i - 1);
}

/** Rounds to `places` decimals with ROUND_HALF_UP, returning the plain positional text. */
function quantize(d: Dec, places: number): { text: string; zero: boolean } {
  // Work on a digit string scaled so its last digit is 10^-places (string arithmetic: no BigInt).
  let digits = d.digits;
  const shift = d.exponent + places;
  if (shift >= 0) digits = digits + "0".repeat(shift);
  else {
    const cut = digits.length + shift;
    const roundUp = cut >= 0 && cut < digits.length && digits.charCodeAt(cut) >= 53; // >= "5"
    digits = cut > 0 ? digits.slice(0, cut) : "0";
    if (roundUp) digits = incrementDigits(digits);
  }
  digits = digits.replace(/^0+(?=\d)/, "");
  const zero = /^0*$/.test(digits);
  const padded = digits.padStart(places + 1, "0");
  const int = padded.slice(0, padded.length - places);
  const frac = places ? "." + padded.slice(padded.length - places) : "";
  return { text: (d.negative && !zero ? "-" : "") + int + frac, zero };
}

/** Python's `float(text)` for strings, or null. */
function pyFloat(value: unknown): number | null {
  if (typeof value === "number") return value;
  if (typeof value === "boolean") return value ? 1 : 0;
  const text = value instanceof SafeString ? value.value : typeof value === "string" ? value : null;
  if (text === null) return null;
  const t = text.trim().toLowerCase().replace(/_/g, "");
  if (/^[+-]?(inf|infinity)$/.test(t)) return t.startsWith("-") ? -Infinity : Infinity;
  if (/^[+-]?nan$/.test(t)) return NaN;
  if (!/^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/.test(t)) return null;
  return Number(t);
}

// #endregion
// #region floatformat

/**
 * `floatformat` of a non-integral float to `places` decimals, straight from its shortest decimal
 * text (what Python's repr gives, so what Django's Decimal sees), or `undefined` when the number
 * needs an exponent. The common case: no Dec objects, no regular expressions.
 */
export function floatformatFast(x: number, places: number): string | undefined {
  const text = String(x);
  if (text.includes("e")) return undefined;
  const dot = text.indexOf("."); // a non-integral number always has one
  const fractionLength = text.length - dot - 1;
  if (fractionLength <= places) {
    return fractionLength === places ? text : text + "0".repeat(places - fractionLength);
  }
  // Cut after `places` decimals (before the dot for none), then ROUND_HALF_UP on the first digit
  // dropped (≥ "5").
  let out = text.slice(0, places ? dot + 1 + places : dot);
  if (text.charCodeAt(dot + 1 + places) >= 53) out = incrementDecimal(out);
  // Django drops the sign of a result that rounds to zero.
  return x < 0 && out.startsWith("-0") && !/[1-9]/.test(out) ? out.slice(1) : out;
}

/** Adds one unit of the last digit to a decimal text ("-9.99" → "-10.00", "0.4" → "0.5"). */
function incrementDecimal(text: string): string {
  let carried = ""; // the nines turned to zeros (and the dot), right to left
  let i = text.length - 1;
  for (; i >= 0; i--) {
    const c = text.charCodeAt(i);
    if (c === 46) carried = "." + carried;
    else if (c === 57) carried = "0" + carried;
    else if (c === 45) break; // the sign: a new leading digit goes after it
    else return text.slice(0, i) + String.fromCharCode(c + 1) + carried;
  }
  return text.slice(0, i + 1) + "1" + carried;
}

/** The fast path's answer when it applies: a non-integral float and no or a small integer argument. */
function floatformatIfFast(value: unknown, arg: unknown): string | undefined {
  if (
    typeof value === "number" && !Number.isInteger(value) && Number.isFinite(value) &&
    (arg === undefined || (typeof arg === "number" && Number.isInteger(arg) && Math.abs(arg) <= 20))
  ) return floatformatFast(value, Math.abs(arg ?? -1));
}

/** What `{{ value|floatformat:arg }}` prints with autoescape on, without a SafeString between. */
function printFloatformat(value: unknown, arg: unknown): string {
  const fast = floatformatIfFast(value, arg);
  if (fast !== undefined) return fast;
  const out = floatformat(value, arg);
  return typeof out === "string" ? escapeHtml(out) : out.value;
}

/** Django's `floatformat`. */
export function floatformat(value: unknown, arg: unknown): string | SafeString {
  const fast = floatformatIfFast(value, arg);
  if (fast !== undefined) return markSafe(fast);
  let argText = arg === undefined ? "-1" : pyStr(arg);
  if (argText.endsWith("g")) argText = argText.slice(0, -1) || "-1";
  let inputVal: string;
  let d: Dec | null;
  if (typeof value === "number") {
    inputVal = Number.isInteger(value) && !Object.is(value, -0) ? pyStr(value) : floatRepr(value);
    d = parseDecimal(inputVal);
  } else {
    inputVal = pyRepr(value);
    d = null;
  }
  if (!d) {
    const f = pyFloat(value);
    if (f === null) return "";
    if (!Number.isFinite(f)) return Number.isNaN(f) ? "nan" : f > 0 ? "inf" : "-inf";
    d = parseDecimal(Number.isInteger(f) ? f.toFixed(1) : floatRepr(f));
    if (!d) return "";
  }
  if (!/^[+-]?\d+$/.test(argText.trim())) return inputVal;
  const p = Number(argText);
  if (d.digits.length + Math.abs(d.exponent) > 200) return inputVal;
  const isIntegral = d.exponent >= 0 || /^0*$/.test(d.digits.slice(d.digits.length + d.exponent));
  if (isIntegral && p < 0) return markSafe(quantize(d, 0).text.replace(/^-0$/, "0"));
  return markSafe(quantize(d, Math.abs(p)).text);
}

// #endregion
// #region filesizeformat

const NBSP = "\u00a0";

/** Python's `round(x, 1)`: nearest tenth of the exact binary value, ties to even. */
function roundTenth(x: number): string {
  const scaled = x * 10;
  const floor = Math.floor(scaled);
  if (scaled - floor === 0.5) return ((floor % 2 === 0 ? floor : floor + 1) / 10).toFixed(1);
  return x.toFixed(1);
}

/** Django's `filesizeformat`: "1.0 KB" with a non-breaking space. */
export function filesizeformat(value: unknown): string {
  let bytes = pyInt(value);
  if (Number.isNaN(bytes) && typeof value === "number") bytes = NaN;
  if (Number.isNaN(bytes)) {
    const f = typeof value === "number" ? value : NaN;
    if (!Number.isFinite(f)) return `0${NBSP}bytes`;
    bytes = Math.trunc(f);
  }
  const negative = bytes < 0;
  if (negative) bytes = -bytes;
  const KB = 1024, MB = KB * 1024, GB = MB * 1024, TB = GB * 1024, PB = TB * 1024;
  let text: string;
  if (bytes < KB) text = `${bytes}${NBSP}${bytes === 1 ? "byte" : "bytes"}`;
  else if (bytes < MB) text = `${roundTenth(bytes / KB)}${NBSP}KB`;
  else if (bytes < GB) text = `${roundTenth(bytes / MB)}${NBSP}MB`;
  else if (bytes < TB) text = `${roundTenth(bytes / GB)}${NBSP}GB`;
  else if (bytes < PB) text = `${roundTenth(bytes / TB)}${NBSP}TB`;
  else text = `${roundTenth(bytes / PB)}${NBSP}PB`;
  return negative ? "-" + text : text;
}

// #endregion
// #region widthratio

/** Python's round() (ties to even) of a float. */
function pyRound(x: number): number {
  const floor = Math.floor(x);
  const diff = x - floor;
  if (diff === 0.5) return floor % 2 === 0 ? floor : floor + 1;
  return Math.round(x);
}

/**
 * The arithmetic of `{% widthratio value max width %}`: `round(value / max * width)`, "" when the
 * value or max is not a number, "0" when max is 0; `undefined` when width is not a number (an error).
 */
export function widthRatio(value: unknown, max: unknown, width: unknown): string | undefined {
  const v = pyFloat(value), m = pyFloat(max);
  const w = pyInt(width);
  if (Number.isNaN(w)) return undefined;
  if (v === null || m === null || Number.isNaN(v) || Number.isNaN(m)) return "";
  if (m === 0) return "0";
  const ratio = (v / m) * w;
  if (!Number.isFinite(ratio)) return "";
  return String(pyRound(ratio));
}

// #endregion
// #region Filters

/** The number filters. */
export const numericFilters: Record<string, FilterDefinition> = {
  add: {
    arg: "required",
    fn: (v, a) => {
      const x = pyInt(v), y = pyInt(a);
      if (!Number.isNaN(x) && !Number.isNaN(y)) return x + y;
      const left = v instanceof SafeString ? v.value : v,
        right = a instanceof SafeString ? a.value : a;
      if (typeof left === "string" && typeof right === "string") return left + right;
      if (Array.isArray(left) && Array.isArray(right)) return [...left, ...right];
      if (typeof left === "number" && typeof right === "number") return left + right;
      return "";
    },
  },
  divisibleby: {
    arg: "required",
    fn: (v, a) => {
      const x = pythonInt(v), y = pythonInt(a);
      if (y === 0) throw pythonError("ZeroDivisionError", "integer division or modulo by zero");
      return x % y === 0;
    },
  },
  floatformat: {
    isSafe: true,
    arg: "optional",
    fn: (v, a) => floatformat(v, a),
    print: (v, a) => printFloatformat(v, a),
  },
  filesizeformat: { isSafe: true, fn: (v) => filesizeformat(v) },
  get_digit: {
    arg: "required",
    fn: (v, a) => {
      const n = pyInt(a), value = pyInt(v);
      if (Number.isNaN(n) || Number.isNaN(value)) return v;
      if (n < 1) return value;
      const digits = String(value);
      return n > digits.length ? 0 : Number(digits[digits.length - n]) || 0;
    },
  },
  pluralize: {
    arg: "optional",
    fn: (v, a) => {
      let spec = a === undefined ? "s" : pyStr(a);
      if (!spec.includes(",")) spec = "," + spec;
      const bits = spec.split(",");
      if (bits.length > 2) return "";
      const [singular, plural] = bits;
      if (typeof v === "number" || typeof v === "boolean") {
        return Number(v) === 1 ? singular : plural;
      }
      if (typeof v === "string" || v instanceof SafeString) {
        const f = pyFloat(v);
        return f === null ? "" : f === 1 ? singular : plural;
      }
      const len = pyLen(v);
      return len === undefined ? "" : len === 1 ? singular : plural;
    },
  },
  yesno: {
    arg: "optional",
    fn: (v, a) => {
      const bits = splitChoices(a === undefined ? "yes,no,maybe" : pyStr(a));
      if (bits.length < 2) return v;
      const [yes, no] = bits;
      const maybe = bits.length === 3 ? bits[2] : bits[1];
      if (v === null || v === undefined) return maybe;
      return truthyValue(v) ? yes : no;
    },
    // Two choices or more print one of them; fewer print the value itself.
    escapeFree: (a) => {
      const spec = a === undefined ? "yes,no,maybe" : pyStr(a);
      return spec.includes(",") && !/[&<>"']/.test(spec);
    },
  },
};

const choiceCache = new Map<string, string[]>();

/** `"yes,no"` split once per distinct argument (filters run once per row of big tables). */
function splitChoices(spec: string): string[] {
  let bits = choiceCache.get(spec);
  if (!bits) {
    if (choiceCache.size > 500) choiceCache.clear();
    choiceCache.set(spec, bits = spec.split(","));
  }
  return bits;
}

function truthyValue(v: unknown): boolean {
  if (v instanceof SafeString) return v.value !== "";
  if (Array.isArray(v)) return v.length > 0;
  if (v instanceof Map || v instanceof Set) return v.size > 0;
  if (v && typeof v === "object" && Object.getPrototypeOf(v) === Object.prototype) {
    return Object.keys(v).length > 0;
  }
  return Boolean(v) || (typeof v === "number" && Number.isNaN(v));
}

// #endregion
