/**
 * Text filters: Django 3.2's string filters (case, padding, truncation, escaping, URL quoting, slugs,
 * wrapping) and the lorem ipsum generator behind `{% lorem %}`.
 *
 * Django leans on Python's string semantics, so these do too: lengths count code points (not UTF-16
 * units), whitespace is Python's `str.isspace()` set, `title()`, `center()` and `textwrap` follow
 * CPython, and bad arguments throw errors named after the Python exception Django would raise.
 * @module
 */
import { escapeHtml, markSafe, SafeString } from "../safe.ts";
import { isPlainObject, stringRepr } from "../values.ts";
import type { FilterDefinition } from "./registry.ts";

// #region Python errors and values

/**
 * An `Error` whose `name` is a Python exception class, so a failing filter reports the class Django
 * would raise (callers and the conformance runner compare `err.name`).
 *
 * @example
 * ```ts
 * import { pyError } from "./text.ts";
 * pyError("ValueError", "invalid literal").name; // "ValueError"
 * ```
 */
export function pyError(name: string, message: string): Error {
  const err = new Error(message);
  err.name = name;
  return err;
}

/** The Python type name of a JS value, for error messages. */
function pyTypeName(v: unknown): string {
  if (v === null || v === undefined) return "NoneType";
  if (typeof v === "boolean") return "bool";
  if (typeof v === "number") return Number.isInteger(v) ? "int" : "float";
  if (typeof v === "string" || v instanceof SafeString) return "str";
  if (Array.isArray(v)) return "list";
  if (v instanceof Map || isPlainObject(v)) return "dict";
  return typeof v;
}

/**
 * Python's whitespace (`str.isspace()`, and `\s` in Python's `re`) as the body of a regex character
 * class. JavaScript's `\s` differs: it lacks U+001C–U+001F and U+0085 and adds U+FEFF.
 *
 * @example
 * ```ts
 * import { PY_SPACE_CLASS } from "./text.ts";
 * new RegExp(`[${PY_SPACE_CLASS}]`).test("\x1c"); // true
 * ```
 */
export const PY_SPACE_CLASS =
  "\\t\\n\\v\\f\\r\\x1c-\\x1f \\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000";

/**
 * True when the UTF-16 code `code` is Python whitespace (there is none outside the BMP).
 *
 * @example
 * ```ts
 * import { isPySpace } from "./text.ts";
 * isPySpace(0x85); // true
 * isPySpace(0xfeff); // false
 * ```
 */
export function isPySpace(code: number): boolean {
  if (code <= 0x20) {
    return code === 0x20 || (code >= 9 && code <= 13) || (code >= 0x1c && code <= 0x1f);
  }
  if (code < 0x85) return false;
  return code === 0x85 || code === 0xa0 || code === 0x1680 || (code >= 0x2000 && code <= 0x200a) ||
    code === 0x2028 || code === 0x2029 || code === 0x202f || code === 0x205f || code === 0x3000;
}

/**
 * Python's `str.strip()` with no argument.
 *
 * @example
 * ```ts
 * import { pyStrip } from "./text.ts";
 * pyStrip("\u00a0 x \x1c"); // "x"
 * ```
 */
export function pyStrip(text: string): string {
  let start = 0;
  let end = text.length;
  while (start < end && isPySpace(text.charCodeAt(start))) start++;
  while (end > start && isPySpace(text.charCodeAt(end - 1))) end--;
  return start === 0 && end === text.length ? text : text.slice(start, end);
}

/** True when every UTF-16 unit is ASCII (a loop: cheaper than a regex on short strings). */
function isAscii(text: string): boolean {
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) > 0x7f) return false;
  return true;
}

/**
 * Python's `len()` of a string: code points, where JS `length` counts UTF-16 units.
 *
 * @example
 * ```ts
 * import { cpLength } from "./text.ts";
 * cpLength("a😀"); // 2
 * ```
 */
export function cpLength(text: string): number {
  let n = text.length;
  for (let i = 0; i < text.length - 1; i++) {
    const c = text.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff) {
      const d = text.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) {
        n--;
        i++;
      }
    }
  }
  return n;
}

/**
 * Python's `text[:count]` for a non-negative count of code points.
 *
 * @example
 * ```ts
 * import { cpPrefix } from "./text.ts";
 * cpPrefix("😀ab", 2); // "😀a"
 * ```
 */
export function cpPrefix(text: string, count: number): string {
  let i = 0;
  for (let n = 0; n < count && i < text.length; n++) {
    const c = text.charCodeAt(i);
    const d = text.charCodeAt(i + 1);
    i += c >= 0xd800 && c <= 0xdbff && d >= 0xdc00 && d <= 0xdfff ? 2 : 1;
  }
  return text.slice(0, i);
}

/**
 * Python's `str.split()` with no argument: runs of whitespace separate words, no empty words. Stops
 * once `limit` words are found.
 *
 * @example
 * ```ts
 * import { pySplit } from "./text.ts";
 * pySplit("  a\u3000b\nc "); // ["a", "b", "c"]
 * ```
 */
export function pySplit(text: string, limit = Infinity): string[] {
  const words: string[] = [];
  let start = -1;
  for (let i = 0; i < text.length; i++) {
    if (isPySpace(text.charCodeAt(i))) {
      if (start !== -1) {
        words.push(text.slice(start, i));
        start = -1;
        if (words.length >= limit) return words;
      }
    } else if (start === -1) start = i;
  }
  if (start !== -1) words.push(text.slice(start));
  return words;
}

/** Number of words Python's `str.split()` would return, without building them. */
function countWords(text: string): number {
  let n = 0;
  let inWord = false;
  for (let i = 0; i < text.length; i++) {
    if (isPySpace(text.charCodeAt(i))) inWord = false;
    else if (!inWord) {
      n++;
      inWord = true;
    }
  }
  return n;
}

/** Matches what Python's `int(str)` accepts: sign, digits of any script, single underscores. */
const INT_RE = new RegExp(
  `^[${PY_SPACE_CLASS}]*([+-]?)(\\p{Nd}+(?:_\\p{Nd}+)*)[${PY_SPACE_CLASS}]*$`,
  "u",
);

/**
 * Python's `int(value)` as Django applies it to filter arguments: integers pass, floats truncate,
 * strings parse (any script's decimal digits, surrounding whitespace, `_` separators). Throws
 * `ValueError` for text that is no integer and `TypeError` for `None`, lists and dicts.
 *
 * @example
 * ```ts
 * import { pyInt } from "./text.ts";
 * pyInt(" 1_0 "); // 10
 * pyInt(2.7); // 2
 * ```
 */
export function pyInt(value: unknown): number {
  if (typeof value === "number") {
    if (Number.isInteger(value)) return value;
    if (Number.isNaN(value)) throw pyError("ValueError", "cannot convert float NaN to integer");
    if (!Number.isFinite(value)) {
      throw pyError("OverflowError", "cannot convert float infinity to integer");
    }
    return Math.trunc(value);
  }
  if (typeof value === "boolean") return value ? 1 : 0;
  if (typeof value === "bigint") return Number(value);
  const text = typeof value === "string"
    ? value
    : value instanceof SafeString
    ? value.value
    : undefined;
  if (text === undefined) {
    throw new TypeError(
      `int() argument must be a string, a bytes-like object or a real number, not '${
        pyTypeName(value)
      }'`,
    );
  }
  const m = INT_RE.exec(text);
  if (!m) {
    throw pyError("ValueError", `invalid literal for int() with base 10: ${stringRepr(text)}`);
  }
  let n = 0;
  for (const ch of m[2]) {
    if (ch !== "_") n = n * 10 + digitValue(ch.codePointAt(0)!);
  }
  return m[1] === "-" ? -n || 0 : n;
}

let ndZeros: number[] | undefined;

/** The value of a decimal digit (Unicode category Nd) of any script. */
function digitValue(cp: number): number {
  if (cp <= 0x39) return cp - 0x30;
  // Unicode guarantees every Nd run is ten consecutive code points from 0 to 9.
  ndZeros ??= ND_ZEROS.split(",").map((h) => parseInt(h, 16));
  let zero = 0x30;
  for (const z of ndZeros) {
    if (z > cp) break;
    zero = z;
  }
  return cp - zero;
}

/** A string argument as Python requires it (`str.replace(arg, …)` raises TypeError otherwise). */
function requireStr(arg: unknown, what: string): string {
  if (typeof arg === "string") return arg;
  if (arg instanceof SafeString) return arg.value;
  throw new TypeError(`${what} must be str, not ${pyTypeName(arg)}`);
}

// #endregion
// #region Code point tables

/**
 * Decodes a list of hex code point ranges ("300-34e,350,…") into sorted `[lo, hi]` pairs.
 *
 * @example
 * ```ts
 * import { decodeRanges, inRanges } from "./text.ts";
 * inRanges(decodeRanges("41-5a,61"), 0x61); // true
 * ```
 */
export function decodeRanges(spec: string): Uint32Array {
  const items = spec.split(",");
  const out = new Uint32Array(items.length * 2);
  items.forEach((item, i) => {
    const dash = item.indexOf("-");
    out[2 * i] = parseInt(dash < 0 ? item : item.slice(0, dash), 16);
    out[2 * i + 1] = parseInt(dash < 0 ? item : item.slice(dash + 1), 16);
  });
  return out;
}

/**
 * True when `cp` lies in one of the `ranges` made by {@link decodeRanges} (binary search).
 *
 * @example
 * ```ts
 * import { decodeRanges, inRanges } from "./text.ts";
 * inRanges(decodeRanges("300-36f"), 0x301); // true
 * ```
 */
export function inRanges(ranges: Uint32Array, cp: number): boolean {
  let lo = 0;
  let hi = ranges.length / 2 - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (cp < ranges[2 * mid]) hi = mid - 1;
    else if (cp > ranges[2 * mid + 1]) lo = mid + 1;
    else return true;
  }
  return false;
}

/**
 * Decodes "cp:cp.cp …" (hex) into a map from a code point to the text it maps to.
 *
 * @example
 * ```ts
 * import { decodeCharMap } from "./text.ts";
 * decodeCharMap("df:53.73").get(0xdf); // "Ss"
 * ```
 */
export function decodeCharMap(spec: string): Map<number, string> {
  const map = new Map<number, string>();
  for (const item of spec.split(" ")) {
    const colon = item.indexOf(":");
    const target = item.slice(colon + 1).split(".").map((h) => parseInt(h, 16));
    map.set(parseInt(item.slice(0, colon), 16), String.fromCodePoint(...target));
  }
  return map;
}

let combiningRanges: Uint32Array | undefined;

/** Python's `unicodedata.combining(ch) != 0` (canonical combining class, not just category M). */
function isCombining(cp: number): boolean {
  if (cp < 0x300) return false;
  combiningRanges ??= decodeRanges(COMBINING);
  return inRanges(combiningRanges, cp);
}

// #endregion
// #region Case

let titleMap: Map<number, string> | undefined;
const CASED = /\p{Cased}/u;
const CASE_IGNORABLE = /\p{Case_Ignorable}/u;

/** Python's titlecase mapping of one character (JS has no `toTitleCase`: most equal upper case). */
function titleChar(ch: string): string {
  titleMap ??= decodeCharMap(TITLECASE);
  return titleMap.get(ch.codePointAt(0)!) ?? ch.toUpperCase();
}

/** The code point that ends just before UTF-16 index `end`. */
function codePointBefore(text: string, end: number): string {
  const c = text.charCodeAt(end - 1);
  if (c >= 0xdc00 && c <= 0xdfff && end >= 2) {
    const h = text.charCodeAt(end - 2);
    if (h >= 0xd800 && h <= 0xdbff) return text.slice(end - 2, end);
  }
  return text[end - 1];
}

/** Unicode's Final_Sigma context for the Σ at `i`, as CPython's `lower()` tests it. */
function isFinalSigma(text: string, i: number): boolean {
  let j = i;
  let before = "";
  while (j > 0) {
    before = codePointBefore(text, j);
    j -= before.length;
    if (!CASE_IGNORABLE.test(before)) break;
    before = "";
  }
  if (!before || !CASED.test(before)) return false;
  for (let k = i + 1; k < text.length;) {
    const ch = String.fromCodePoint(text.codePointAt(k)!);
    k += ch.length;
    if (!CASE_IGNORABLE.test(ch)) return !CASED.test(ch);
  }
  return true;
}

/**
 * Python's `str.title()`: a cased character is lowercased after a cased character and titlecased
 * after anything else (digits and apostrophes included, hence Django's fix-ups in `title`).
 *
 * @example
 * ```ts
 * import { pyTitle } from "./text.ts";
 * pyTitle("they're ǆungla"); // "They'Re ǅungla"
 * ```
 */
export function pyTitle(text: string): string {
  let out = "";
  let previousCased = false;
  if (isAscii(text)) {
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      const lower = c >= 97 && c <= 122;
      const upper = c >= 65 && c <= 90;
      if (lower && !previousCased) out += String.fromCharCode(c - 32);
      else if (upper && previousCased) out += String.fromCharCode(c + 32);
      else out += text[i];
      previousCased = lower || upper;
    }
    return out;
  }
  for (let i = 0; i < text.length;) {
    const ch = String.fromCodePoint(text.codePointAt(i)!);
    if (!previousCased) out += titleChar(ch);
    else if (ch === "Σ") out += isFinalSigma(text, i) ? "ς" : "σ";
    else out += ch.toLowerCase();
    previousCased = CASED.test(ch);
    i += ch.length;
  }
  return out;
}

const APOSTROPHE_CAPITAL = /[a-z]'[A-Z]/g;
const DIGIT_CAPITAL = /\p{Nd}[A-Z]/gu;
const lowerMatch = (m: string): string => m.toLowerCase();

/** Django's `title` filter: `str.title()`, then "it'S" and "1St" lowercased back. */
function djangoTitle(text: string): string {
  return pyTitle(text).replace(APOSTROPHE_CAPITAL, lowerMatch).replace(DIGIT_CAPITAL, lowerMatch);
}

/** Django's `capfirst`: the first code point upper-cased. */
function capfirst(text: string): string {
  if (!text) return text;
  const first = String.fromCodePoint(text.codePointAt(0)!);
  return first.toUpperCase() + text.slice(first.length);
}

// #endregion
// #region Padding

/**
 * Python's `str.center(width)`: odd padding goes left only when `width` is odd.
 *
 * @example
 * ```ts
 * import { pyCenter } from "./text.ts";
 * pyCenter("ab", 7); // "   ab  "
 * ```
 */
export function pyCenter(text: string, width: number): string {
  const margin = width - cpLength(text);
  if (margin <= 0) return text;
  const left = Math.floor(margin / 2) + (margin & width & 1);
  return " ".repeat(left) + text + " ".repeat(margin - left);
}

function ljust(text: string, width: number): string {
  const margin = width - cpLength(text);
  return margin > 0 ? text + " ".repeat(margin) : text;
}

function rjust(text: string, width: number): string {
  const margin = width - cpLength(text);
  return margin > 0 ? " ".repeat(margin) + text : text;
}

// #endregion
// #region Truncation

const ELLIPSIS = "…";
const WORDS_ENDING = " …";

/**
 * Django's `Truncator.add_truncation_text` for a literal ending (`truncatewords`): none is added when
 * the text already ends with it. The default "…" of `truncatechars` is a format string and is always
 * appended.
 */
function addWordsEnding(text: string): string {
  return text.endsWith(WORDS_ENDING) ? text : text + WORDS_ENDING;
}

/**
 * Django's `Truncator.chars`: NFC first, combining characters do not count, "…" takes the last
 * place.
 *
 * @example
 * ```ts
 * import { truncateChars } from "./text.ts";
 * truncateChars("Hello world", 8); // "Hello w…"
 * ```
 */
export function truncateChars(text: string, length: number): string {
  if (isAscii(text)) {
    // NFC changes nothing and every code unit counts: the answer is a slice.
    if (text.length <= length || text.length === 0) return text;
    return text.slice(0, Math.max(0, length - 1)) + ELLIPSIS;
  }
  text = text.normalize("NFC");
  const truncateLen = length - 1;
  let count = 0;
  let end = -1;
  for (let i = 0; i < text.length;) {
    const cp = text.codePointAt(i)!;
    if (!isCombining(cp)) {
      count++;
      if (end < 0 && count > truncateLen) end = i;
      if (count > length) return text.slice(0, end) + ELLIPSIS;
    }
    i += cp > 0xffff ? 2 : 1;
  }
  return text;
}

/**
 * Django's `Truncator.words`: words split as Python's `str.split()`, rejoined by single spaces, " …"
 * after the last kept word. A negative length drops words from the end, as Python's slicing does.
 *
 * @example
 * ```ts
 * import { truncateWords } from "./text.ts";
 * truncateWords("The quick  brown fox", 2); // "The quick …"
 * ```
 */
export function truncateWords(text: string, length: number): string {
  // One word beyond the limit is enough to know the text gets truncated.
  const words = pySplit(text, length >= 0 ? length + 1 : Infinity);
  if (words.length > length) return addWordsEnding(words.slice(0, length).join(" "));
  return words.join(" ");
}

// #endregion
// #region Escaping and quoting

const JS_ESCAPES = new Map<string, string>([
  ["\\", "\\u005C"],
  ["'", "\\u0027"],
  ['"', "\\u0022"],
  [">", "\\u003E"],
  ["<", "\\u003C"],
  ["&", "\\u0026"],
  ["=", "\\u003D"],
  ["-", "\\u002D"],
  [";", "\\u003B"],
  ["`", "\\u0060"],
  ["\u2028", "\\u2028"],
  ["\u2029", "\\u2029"],
]);
for (let c = 0; c < 32; c++) {
  JS_ESCAPES.set(String.fromCharCode(c), "\\u" + c.toString(16).toUpperCase().padStart(4, "0"));
}
// deno-lint-ignore no-control-regex -- Django escapes every ASCII control character
const JS_SPECIAL = new RegExp("[\\\\'\"<>&=\\-;`\\u2028\\u2029\\x00-\\x1f]", "g");

/**
 * Django's `escapejs`: characters that could end a JS string or an HTML script become `\uXXXX`.
 *
 * @example
 * ```ts
 * import { escapeJs } from "./text.ts";
 * escapeJs("</script>"); // "\\u003C/script\\u003E"
 * ```
 */
export function escapeJs(text: string): string {
  return text.replace(JS_SPECIAL, (ch) => JS_ESCAPES.get(ch)!);
}

/** Characters Python's `quote` never escapes. */
const ALWAYS_SAFE = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_.-~";
const HEX_DIGITS = "0123456789ABCDEF";
const safeTables = new Map<string, Uint8Array>();

/** A lookup table of the ASCII characters left as is (cached: templates use few `safe` sets). */
function safeTable(safe: string): Uint8Array {
  let table = safeTables.get(safe);
  if (table) return table;
  table = new Uint8Array(128);
  for (let i = 0; i < ALWAYS_SAFE.length; i++) table[ALWAYS_SAFE.charCodeAt(i)] = 1;
  // Python drops non-ASCII safe characters (`safe.encode("ascii", "ignore")`).
  for (let i = 0; i < safe.length; i++) if (safe.charCodeAt(i) < 128) table[safe.charCodeAt(i)] = 1;
  if (safeTables.size < 64) safeTables.set(safe, table);
  return table;
}

function percentByte(b: number): string {
  return "%" + HEX_DIGITS[b >> 4] + HEX_DIGITS[b & 15];
}

/**
 * Python's `urllib.parse.quote(text, safe)`: UTF-8 bytes percent-encoded (upper-case hex) except
 * letters, digits, `_.-~` and the ASCII characters of `safe`. A lone surrogate cannot be encoded and
 * throws `UnicodeEncodeError`, as in Python.
 *
 * @example
 * ```ts
 * import { pyQuote } from "./text.ts";
 * pyQuote("/a b/é"); // "/a%20b/%C3%A9"
 * ```
 */
export function pyQuote(text: string, safe = "/"): string {
  const table = safeTable(safe);
  let out = "";
  let last = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 128 && table[c]) continue;
    out += text.slice(last, i);
    if (c < 0x80) out += percentByte(c);
    else if (c < 0x800) out += percentByte(0xc0 | (c >> 6)) + percentByte(0x80 | (c & 63));
    else if (c < 0xd800 || c > 0xdfff) {
      out += percentByte(0xe0 | (c >> 12)) + percentByte(0x80 | ((c >> 6) & 63)) +
        percentByte(0x80 | (c & 63));
    } else {
      const d = text.charCodeAt(i + 1);
      if (c > 0xdbff || !(d >= 0xdc00 && d <= 0xdfff)) {
        throw pyError("UnicodeEncodeError", "'utf-8' codec can't encode a surrogate");
      }
      const cp = 0x10000 + ((c - 0xd800) << 10) + (d - 0xdc00);
      out += percentByte(0xf0 | (cp >> 18)) + percentByte(0x80 | ((cp >> 12) & 63)) +
        percentByte(0x80 | ((cp >> 6) & 63)) + percentByte(0x80 | (cp & 63));
      i++;
    }
    last = i + 1;
  }
  return last === 0 ? text : out + text.slice(last);
}

/** Characters `iri_to_uri` keeps: RFC 3986 reserved and unreserved, plus `%`. */
const IRI_SAFE = "/#%[]=:;$&()+,!?*@'~";

/** The `safe` argument of `urlencode`, as Python's `quote` interprets it. */
function urlencodeSafe(arg: unknown): string {
  if (arg === undefined || arg === null) return "/";
  if (typeof arg === "string" || arg instanceof SafeString) return String(arg);
  if (Array.isArray(arg) && arg.every((b) => Number.isInteger(b))) {
    // Python accepts an iterable of byte values.
    return arg.filter((b) => b < 128).map((b) => {
      if (b < 0) throw pyError("ValueError", "bytes must be in range(0, 256)");
      return String.fromCharCode(b);
    }).join("");
  }
  throw new TypeError(`'${pyTypeName(arg)}' object is not iterable`);
}

// #endregion
// #region Slugs and phone numbers

// deno-lint-ignore no-control-regex -- ASCII range on purpose: slugify drops everything else
const NON_ASCII = /[^\x00-\x7f]+/g;
// Python's \w and \s restricted to ASCII (all that is left after the ASCII conversion); \s
// includes the separators U+001C-U+001F.
// deno-lint-ignore no-control-regex -- see above
const SLUG_DROP = /[^A-Za-z0-9_\t\n\v\f\r\x1c-\x1f -]+/g;
// deno-lint-ignore no-control-regex -- see above
const SLUG_DASHES = /[\t\n\v\f\r\x1c-\x1f -]+/g;
const SLUG_EDGES = /^[-_]+|[-_]+$/g;

/**
 * Django's `slugify` (ASCII): NFKD, non-ASCII dropped, lower case, only word characters, spaces and
 * hyphens kept, runs of spaces and hyphens turned into one hyphen, `-` and `_` trimmed.
 *
 * @example
 * ```ts
 * import { slugify } from "./text.ts";
 * slugify(" Ünïcödé  & Çafé! "); // "unicode-cafe"
 * ```
 */
export function slugify(text: string): string {
  if (!isAscii(text)) text = text.normalize("NFKD").replace(NON_ASCII, "");
  return text.toLowerCase().replace(SLUG_DROP, "").replace(SLUG_DASHES, "-").replace(
    SLUG_EDGES,
    "",
  );
}

const PHONE_KEYS = "22233344455566677778889999";
const PHONE_LETTER = /[a-z]/g;

/** Django's `phone2numeric`: letters become the digits of a phone keypad. */
function phone2numeric(text: string): string {
  return text.toLowerCase().replace(PHONE_LETTER, (ch) => PHONE_KEYS[ch.charCodeAt(0) - 97]);
}

// #endregion
// #region Wrapping

// deno-lint-ignore no-control-regex -- the line boundaries of Python's str.splitlines()
const LINE_END = new RegExp("\\r\\n|[\\n\\r\\v\\f\\x1c-\\x1e\\x85\\u2028\\u2029]", "g");
const TAB_OR_BREAK = /[\t\n\r\v\f]/;
const BREAK_CHARS = /[\n\r\v\f]/g;
const SPACE_RUNS = /( +)/;

/** Python's `str.splitlines(keepends=True)`. */
function splitLinesKeepEnds(text: string): string[] {
  const lines: string[] = [];
  let start = 0;
  LINE_END.lastIndex = 0;
  for (let m = LINE_END.exec(text); m; m = LINE_END.exec(text)) {
    lines.push(text.slice(start, m.index + m[0].length));
    start = m.index + m[0].length;
  }
  if (start < text.length) lines.push(text.slice(start));
  return lines;
}

/** `TextWrapper` munging: tabs expanded to 8 columns, then ASCII whitespace made spaces. */
function mungeWhitespace(line: string): string {
  if (!TAB_OR_BREAK.test(line)) return line;
  if (!line.includes("\t")) return line.replace(BREAK_CHARS, " ");
  let out = "";
  let column = 0;
  for (const ch of line) {
    if (ch === "\t") {
      const n = 8 - (column % 8);
      out += " ".repeat(n);
      column += n;
    } else if (ch === "\n" || ch === "\r") {
      out += " ";
      column = 0; // expandtabs restarts its column after these two only
    } else {
      out += ch === "\v" || ch === "\f" ? " " : ch;
      column++;
    }
  }
  return out;
}

const isBlank = (chunk: string): boolean => pyStrip(chunk) === "";

/**
 * Python's `TextWrapper(width, break_long_words=False, break_on_hyphens=False).wrap(line)`: chunks
 * are words and runs of spaces; a long word gets a line of its own; whitespace at line edges goes
 * (Unicode spaces too, since the wrapper tests chunks with `strip()`).
 */
function wrapLine(line: string, width: number, lines: string[]): void {
  const chunks = mungeWhitespace(line).split(SPACE_RUNS).filter((c) => c !== "").reverse();
  let produced = false;
  while (chunks.length) {
    const current: string[] = [];
    let currentLen = 0;
    if (produced && isBlank(chunks[chunks.length - 1])) chunks.pop();
    while (chunks.length) {
      const len = cpLength(chunks[chunks.length - 1]);
      if (currentLen + len > width) break;
      current.push(chunks.pop()!);
      currentLen += len;
    }
    if (chunks.length && !current.length && cpLength(chunks[chunks.length - 1]) > width) {
      current.push(chunks.pop()!);
    }
    if (current.length && isBlank(current[current.length - 1])) current.pop();
    if (current.length) {
      lines.push(current.join(""));
      produced = true;
    }
  }
}

/**
 * Django's `wrap` (the `wordwrap` filter): each existing line wrapped at `width` code points, long
 * words kept whole. Throws `ValueError` for a width below 1 (unless the text is empty).
 *
 * @example
 * ```ts
 * import { wordWrap } from "./text.ts";
 * wordWrap("The quick brown fox", 9); // "The quick\nbrown fox"
 * ```
 */
export function wordWrap(text: string, width: number): string {
  const lines: string[] = [];
  for (const line of splitLinesKeepEnds(text)) {
    if (width <= 0) throw pyError("ValueError", `invalid width ${width} (must be > 0)`);
    wrapLine(line, width, lines);
  }
  return lines.join("\n");
}

// #endregion
// #region Lorem ipsum

const COMMON_PARAGRAPH =
  "Lorem ipsum dolor sit amet, consectetur adipisicing elit, sed do eiusmod " +
  "tempor incididunt ut labore et dolore magna aliqua. Ut enim ad minim veniam, quis nostrud " +
  "exercitation ullamco laboris nisi ut aliquip ex ea commodo consequat. Duis aute irure dolor in " +
  "reprehenderit in voluptate velit esse cillum dolore eu fugiat nulla pariatur. Excepteur sint " +
  "occaecat cupidatat non proident, sunt in culpa qui officia deserunt mollit anim id est laborum.";

const COMMON_WORDS: readonly string[] = (
  "lorem ipsum dolor sit amet consectetur adipisicing elit sed do eiusmod tempor incididunt ut " +
  "labore et dolore magna aliqua"
).split(" ");

/** Django's lorem vocabulary, in Django's order (the order matters to nobody but stays faithful). */
const LOREM_WORDS: readonly string[] = (
  "exercitationem perferendis perspiciatis laborum eveniet sunt iure nam nobis eum cum officiis " +
  "excepturi odio consectetur quasi aut quisquam vel eligendi itaque non odit tempore quaerat " +
  "dignissimos facilis neque nihil expedita vitae vero ipsum nisi animi cumque pariatur velit modi " +
  "natus iusto eaque sequi illo sed ex et voluptatibus tempora veritatis ratione assumenda incidunt " +
  "nostrum placeat aliquid fuga provident praesentium rem necessitatibus suscipit adipisci quidem " +
  "possimus voluptas debitis sint accusantium unde sapiente voluptate qui aspernatur laudantium " +
  "soluta amet quo aliquam saepe culpa libero ipsa dicta reiciendis nesciunt doloribus autem impedit " +
  "minima maiores repudiandae ipsam obcaecati ullam enim totam delectus ducimus quis voluptates " +
  "dolores molestiae harum dolorem quia voluptatem molestias magni distinctio omnis illum dolorum " +
  "voluptatum ea quas quam corporis quae blanditiis atque deserunt laboriosam earum consequuntur " +
  "hic cupiditate quibusdam accusamus ut rerum error minus eius ab ad nemo fugit officia at in id " +
  "quos reprehenderit numquam iste fugiat sit inventore beatae repellendus magnam recusandae quod " +
  "explicabo doloremque aperiam consequatur asperiores commodi optio dolor labore temporibus " +
  "repellat veniam architecto est esse mollitia nulla a similique eos alias dolore tenetur deleniti " +
  "porro facere maxime corrupti"
).split(" ");

/** Python's `random.randint(a, b)` (both ends included). */
function randInt(a: number, b: number): number {
  return a + Math.floor(Math.random() * (b - a + 1));
}

/** Python's `random.sample(list, k)`: `k` distinct items in random order. */
function sample(list: readonly string[], k: number): string[] {
  const pool = list.slice();
  for (let i = 0; i < k; i++) {
    const j = i + Math.floor(Math.random() * (pool.length - i));
    [pool[i], pool[j]] = [pool[j], pool[i]];
  }
  return pool.slice(0, k);
}

/**
 * Django's `lorem_ipsum.words(count, common)`: with `common`, the classic "lorem ipsum dolor…"
 * opening (19 words), then random distinct words. As in Django, a negative count with `common`
 * slices the opening from the end.
 *
 * @example
 * ```ts
 * import { loremWords } from "./text.ts";
 * loremWords(3, true); // "lorem ipsum dolor"
 * ```
 */
export function loremWords(count: number, common: boolean): string {
  const words = common ? COMMON_WORDS.slice() : [];
  if (count <= words.length) return words.slice(0, count).join(" ");
  let remaining = count - words.length;
  while (remaining > 0) {
    const n = Math.min(remaining, LOREM_WORDS.length);
    remaining -= n;
    words.push(...sample(LOREM_WORDS, n));
  }
  return words.join(" ");
}

/** Django's `lorem_ipsum.sentence`: 1–5 comma-separated sections of 3–12 words, "?" or ".". */
function loremSentence(): string {
  const sections: string[] = [];
  for (let i = randInt(1, 5); i > 0; i--) {
    sections.push(sample(LOREM_WORDS, randInt(3, 12)).join(" "));
  }
  const s = sections.join(", ");
  return s[0].toUpperCase() + s.slice(1) + (Math.random() < 0.5 ? "?" : ".");
}

/**
 * Django's `lorem_ipsum.paragraphs(count, common)`: with `common` the first paragraph is the
 * standard "Lorem ipsum…" one; the others are 1–4 random sentences.
 *
 * @example
 * ```ts
 * import { loremParagraphs } from "./text.ts";
 * loremParagraphs(1, true)[0].startsWith("Lorem ipsum dolor sit amet"); // true
 * ```
 */
export function loremParagraphs(count: number, common: boolean): string[] {
  const paragraphs: string[] = [];
  for (let i = 0; i < count; i++) {
    if (common && i === 0) paragraphs.push(COMMON_PARAGRAPH);
    else {
      const sentences: string[] = [];
      for (let n = randInt(1, 4); n > 0; n--) sentences.push(loremSentence());
      paragraphs.push(sentences.join(" "));
    }
  }
  return paragraphs;
}

// #endregion
// #region Filters

/** `stringFilter` inputs arrive as plain strings. */
const str = (v: unknown): string => v as string;

/**
 * `int(arg)` for the truncation filters, which return their input unchanged when the argument is
 * no integer (`ValueError`) but still fail on `None` (`TypeError`).
 *
 * @example
 * ```ts
 * import { intArgOrUndefined } from "./text.ts";
 * intArgOrUndefined("abc"); // undefined
 * intArgOrUndefined("12"); // 12
 * ```
 */
export function intArgOrUndefined(arg: unknown): number | undefined {
  try {
    return pyInt(arg);
  } catch (err) {
    if (err instanceof Error && err.name === "ValueError") return undefined;
    throw err;
  }
}

const SLASHED = /[\\"']/;

/**
 * Django 3.2's text filters, with its flags: `isSafe` where Django has `is_safe=True`,
 * `needsAutoescape` for `linenumbers`, and `stringFilter` for the `@stringfilter` ones.
 *
 * @example
 * ```ts
 * import { textFilters } from "./text.ts";
 * const env = { autoescape: true, inputSafe: false, timeZone: "UTC" };
 * textFilters.title.fn("they're here", undefined, env); // "They're Here"
 * ```
 */
export const textFilters: Record<string, FilterDefinition> = {
  addslashes: {
    isSafe: true,
    stringFilter: true,
    fn: (v) => {
      const s = str(v);
      if (!SLASHED.test(s)) return s;
      return s.replaceAll("\\", "\\\\").replaceAll('"', '\\"').replaceAll("'", "\\'");
    },
  },
  capfirst: { isSafe: true, stringFilter: true, fn: (v) => capfirst(str(v)) },
  center: {
    isSafe: true,
    stringFilter: true,
    arg: "required",
    fn: (v, a) => pyCenter(str(v), pyInt(a)),
  },
  cut: {
    stringFilter: true,
    arg: "required",
    fn: (v, a, env) => {
      const arg = requireStr(a, "replace() argument 1");
      const out = str(v).replaceAll(arg, "");
      // Removing ";" could break an entity such as "&amp;", so only then is safety lost.
      return env.inputSafe && arg !== ";" ? markSafe(out) : out;
    },
  },
  escape: {
    isSafe: true,
    stringFilter: true,
    // Django's conditional_escape: text already safe is not escaped twice.
    fn: (v, _a, env) => markSafe(env.inputSafe ? str(v) : escapeHtml(str(v))),
  },
  force_escape: { isSafe: true, stringFilter: true, fn: (v) => markSafe(escapeHtml(str(v))) },
  escapejs: { stringFilter: true, fn: (v) => markSafe(escapeJs(str(v))) },
  iriencode: { isSafe: true, stringFilter: true, fn: (v) => pyQuote(str(v), IRI_SAFE) },
  linenumbers: {
    isSafe: true,
    needsAutoescape: true,
    stringFilter: true,
    fn: (v, _a, env) => {
      const lines = str(v).split("\n");
      const width = String(lines.length).length;
      const escape = env.autoescape && !env.inputSafe;
      for (let i = 0; i < lines.length; i++) {
        lines[i] = String(i + 1).padStart(width, "0") + ". " +
          (escape ? escapeHtml(lines[i]) : lines[i]);
      }
      return markSafe(lines.join("\n"));
    },
  },
  ljust: {
    isSafe: true,
    stringFilter: true,
    arg: "required",
    fn: (v, a) => ljust(str(v), pyInt(a)),
  },
  lower: { isSafe: true, stringFilter: true, fn: (v) => str(v).toLowerCase() },
  make_list: { stringFilter: true, fn: (v) => [...str(v)] },
  phone2numeric: {
    isSafe: true,
    // Not a string filter: Django calls `value.lower()`, which only strings have.
    fn: (v) => {
      if (typeof v === "string") return phone2numeric(v);
      if (v instanceof SafeString) return phone2numeric(v.value);
      throw pyError("AttributeError", `'${pyTypeName(v)}' object has no attribute 'lower'`);
    },
  },
  rjust: {
    isSafe: true,
    stringFilter: true,
    arg: "required",
    fn: (v, a) => rjust(str(v), pyInt(a)),
  },
  slugify: { isSafe: true, stringFilter: true, fn: (v) => slugify(str(v)) },
  title: { isSafe: true, stringFilter: true, fn: (v) => djangoTitle(str(v)) },
  truncatechars: {
    isSafe: true,
    stringFilter: true,
    arg: "required",
    fn: (v, a) => {
      const length = intArgOrUndefined(a);
      return length === undefined ? str(v) : truncateChars(str(v), length);
    },
  },
  truncatewords: {
    isSafe: true,
    stringFilter: true,
    arg: "required",
    fn: (v, a) => {
      const length = intArgOrUndefined(a);
      return length === undefined ? str(v) : truncateWords(str(v), length);
    },
  },
  upper: { stringFilter: true, fn: (v) => str(v).toUpperCase() },
  urlencode: {
    stringFilter: true,
    arg: "optional",
    fn: (v, a) => (str(v) === "" ? "" : pyQuote(str(v), urlencodeSafe(a))),
  },
  wordcount: { stringFilter: true, fn: (v) => countWords(str(v)) },
  wordwrap: {
    isSafe: true,
    stringFilter: true,
    arg: "required",
    fn: (v, a) => wordWrap(str(v), pyInt(a)),
  },
};

// #endregion
// #region Unicode data (generated from Python 3.11's unicodedata, Unicode 14)

/** Code points whose canonical combining class is not 0 (`unicodedata.combining`). */
const COMBINING = [
  "300-34e,350-36f,483-487,591-5bd,5bf,5c1-5c2,5c4-5c5,5c7,610-61a,64b-65f,670,6d6-6dc,6df-6e4,",
  "6e7-6e8,6ea-6ed,711,730-74a,7eb-7f3,7fd,816-819,81b-823,825-827,829-82d,859-85b,898-89f,",
  "8ca-8e1,8e3-8ff,93c,94d,951-954,9bc,9cd,9fe,a3c,a4d,abc,acd,b3c,b4d,bcd,c3c,c4d,c55-c56,cbc,",
  "ccd,d3b-d3c,d4d,dca,e38-e3a,e48-e4b,eb8-eba,ec8-ecb,f18-f19,f35,f37,f39,f71-f72,f74,f7a-f7d,",
  "f80,f82-f84,f86-f87,fc6,1037,1039-103a,108d,135d-135f,1714-1715,1734,17d2,17dd,18a9,",
  "1939-193b,1a17-1a18,1a60,1a75-1a7c,1a7f,1ab0-1abd,1abf-1ace,1b34,1b44,1b6b-1b73,1baa-1bab,",
  "1be6,1bf2-1bf3,1c37,1cd0-1cd2,1cd4-1ce0,1ce2-1ce8,1ced,1cf4,1cf8-1cf9,1dc0-1dff,20d0-20dc,",
  "20e1,20e5-20f0,2cef-2cf1,2d7f,2de0-2dff,302a-302f,3099-309a,a66f,a674-a67d,a69e-a69f,",
  "a6f0-a6f1,a806,a82c,a8c4,a8e0-a8f1,a92b-a92d,a953,a9b3,a9c0,aab0,aab2-aab4,aab7-aab8,",
  "aabe-aabf,aac1,aaf6,abed,fb1e,fe20-fe2f,101fd,102e0,10376-1037a,10a0d,10a0f,10a38-10a3a,",
  "10a3f,10ae5-10ae6,10d24-10d27,10eab-10eac,10f46-10f50,10f82-10f85,11046,11070,1107f,",
  "110b9-110ba,11100-11102,11133-11134,11173,111c0,111ca,11235-11236,112e9-112ea,1133b-1133c,",
  "1134d,11366-1136c,11370-11374,11442,11446,1145e,114c2-114c3,115bf-115c0,1163f,116b6-116b7,",
  "1172b,11839-1183a,1193d-1193e,11943,119e0,11a34,11a47,11a99,11c3f,11d42,11d44-11d45,11d97,",
  "16af0-16af4,16b30-16b36,16ff0-16ff1,1bc9e,1d165-1d169,1d16d-1d172,1d17b-1d182,1d185-1d18b,",
  "1d1aa-1d1ad,1d242-1d244,1e000-1e006,1e008-1e018,1e01b-1e021,1e023-1e024,1e026-1e02a,",
  "1e130-1e136,1e2ae,1e2ec-1e2ef,1e8d0-1e8d6,1e944-1e94a",
].join("");

/** Characters whose Python titlecase differs from their upper case: "cp:titlecase" in hex. */
const TITLECASE = [
  "df:53.73 1c4:1c5 1c5:1c5 1c6:1c5 1c7:1c8 1c8:1c8 1c9:1c8 1ca:1cb 1cb:1cb 1cc:1cb 1f1:1f2",
  "1f2:1f2 1f3:1f2 587:535.582 10d0:10d0 10d1:10d1 10d2:10d2 10d3:10d3 10d4:10d4 10d5:10d5",
  "10d6:10d6 10d7:10d7 10d8:10d8 10d9:10d9 10da:10da 10db:10db 10dc:10dc 10dd:10dd 10de:10de",
  "10df:10df 10e0:10e0 10e1:10e1 10e2:10e2 10e3:10e3 10e4:10e4 10e5:10e5 10e6:10e6 10e7:10e7",
  "10e8:10e8 10e9:10e9 10ea:10ea 10eb:10eb 10ec:10ec 10ed:10ed 10ee:10ee 10ef:10ef 10f0:10f0",
  "10f1:10f1 10f2:10f2 10f3:10f3 10f4:10f4 10f5:10f5 10f6:10f6 10f7:10f7 10f8:10f8 10f9:10f9",
  "10fa:10fa 10fd:10fd 10fe:10fe 10ff:10ff 1f80:1f88 1f81:1f89 1f82:1f8a 1f83:1f8b 1f84:1f8c",
  "1f85:1f8d 1f86:1f8e 1f87:1f8f 1f88:1f88 1f89:1f89 1f8a:1f8a 1f8b:1f8b 1f8c:1f8c 1f8d:1f8d",
  "1f8e:1f8e 1f8f:1f8f 1f90:1f98 1f91:1f99 1f92:1f9a 1f93:1f9b 1f94:1f9c 1f95:1f9d 1f96:1f9e",
  "1f97:1f9f 1f98:1f98 1f99:1f99 1f9a:1f9a 1f9b:1f9b 1f9c:1f9c 1f9d:1f9d 1f9e:1f9e 1f9f:1f9f",
  "1fa0:1fa8 1fa1:1fa9 1fa2:1faa 1fa3:1fab 1fa4:1fac 1fa5:1fad 1fa6:1fae 1fa7:1faf 1fa8:1fa8",
  "1fa9:1fa9 1faa:1faa 1fab:1fab 1fac:1fac 1fad:1fad 1fae:1fae 1faf:1faf 1fb2:1fba.345",
  "1fb3:1fbc 1fb4:386.345 1fb7:391.342.345 1fbc:1fbc 1fc2:1fca.345 1fc3:1fcc 1fc4:389.345",
  "1fc7:397.342.345 1fcc:1fcc 1ff2:1ffa.345 1ff3:1ffc 1ff4:38f.345 1ff7:3a9.342.345 1ffc:1ffc",
  "fb00:46.66 fb01:46.69 fb02:46.6c fb03:46.66.69 fb04:46.66.6c fb05:53.74 fb06:53.74",
  "fb13:544.576 fb14:544.565 fb15:544.56b fb16:54e.576 fb17:544.56d",
].join(" ");

/** The digit zero of every decimal digit (Nd) run. */
const ND_ZEROS = [
  "30,660,6f0,7c0,966,9e6,a66,ae6,b66,be6,c66,ce6,d66,de6,e50,ed0,f20,1040,1090,17e0,1810,1946,",
  "19d0,1a80,1a90,1b50,1bb0,1c40,1c50,a620,a8d0,a900,a9d0,a9f0,aa50,abf0,ff10,104a0,10d30,11066,",
  "110f0,11136,111d0,112f0,11450,114d0,11650,116c0,11730,118e0,11950,11c50,11d50,11da0,16a60,",
  "16ac0,16b50,1d7ce,1d7d8,1d7e2,1d7ec,1d7f6,1e140,1e2f0,1e950,1fbf0",
].join("");

// #endregion
