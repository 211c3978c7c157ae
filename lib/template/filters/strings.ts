/**
 * Text filters: case, padding, truncation, escaping, URL quoting, slugs and wrapping (`title`,
 * `stringformat`'s %-formatting and `{% lorem %}`'s text have their own modules).
 * Each follows Django 3.2's `defaultfilters` (flags and edge cases), checked against real Django.
 * @module
 */
import { escapeHtml, markSafe, SafeString } from "../safe.ts";
import { pyStr, pyTypeName } from "../values.ts";
import { percentFormat } from "./percent_format.ts";
import { pythonError, pythonInt, pythonIntOrNaN } from "./python.ts";
import type { FilterDefinition } from "./registry.ts";
import { printTitle, titleCase } from "./title.ts";

// #region Python string helpers

const COMBINING = /\p{M}/u;

/** Python's `int(text)` on a filter argument, or NaN. */
export function pyInt(value: unknown): number {
  if (typeof value === "number") return Number.isFinite(value) ? Math.trunc(value) : NaN;
  if (typeof value === "boolean") return value ? 1 : 0;
  const text = value instanceof SafeString ? value.value : typeof value === "string" ? value : null;
  if (text === null) return NaN;
  const t = text.trim().replace(/_/g, "");
  return /^[+-]?\d+$/.test(t) ? Number(t) : NaN;
}

/** Python `str.center(width)`. */
function center(text: string, width: number): string {
  const len = [...text].length;
  if (width <= len) return text;
  const margin = width - len;
  const left = Math.floor(margin / 2) + (margin & width & 1);
  return " ".repeat(left) + text + " ".repeat(margin - left);
}

/** Python `quote(text, safe)`: percent-encodes UTF-8 bytes except unreserved and `safe` characters. */
export function pyQuote(text: string, safe: string): string {
  const bytes = new TextEncoder().encode(text);
  let out = "";
  for (const b of bytes) {
    const ch = String.fromCharCode(b);
    if (
      (b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x5a) || (b >= 0x61 && b <= 0x7a) ||
      "_.-~".includes(ch) || (b < 0x80 && safe.includes(ch))
    ) out += ch;
    else out += "%" + b.toString(16).toUpperCase().padStart(2, "0");
  }
  return out;
}

/** Python's `str.isspace()` for one UTF-16 code unit (BMP whitespace only, as Python has none above). */
function isPySpace(c: number): boolean {
  if (c <= 0x20) return c === 0x20 || (c >= 9 && c <= 13) || (c >= 0x1c && c <= 0x1f);
  return c === 0x85 || c === 0xa0 || c === 0x1680 || (c >= 0x2000 && c <= 0x200a) || c === 0x2028 ||
    c === 0x2029 || c === 0x202f || c === 0x205f || c === 0x3000;
}

/**
 * Python's `str.split()` with no argument: runs of whitespace, no empty words. Stops after `limit`
 * words (a plain loop: this runs once per row in truncatewords and wordcount).
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

// #endregion
// #region Truncation

/** True when the first `n` code units of `text` (all of it if shorter) are ASCII. */
function asciiPrefix(text: string, n: number): boolean {
  const end = Math.min(text.length, n);
  for (let i = 0; i < end; i++) if (text.charCodeAt(i) > 127) return false;
  return true;
}

/** Django's `Truncator.chars`: counts characters, ignoring combining marks; appends "…". */
export function truncateChars(text: string, length: number): string {
  // ASCII fast path: no normalization or combining marks to consider, one char per code unit.
  // Only the first `length + 1` units decide: a longer text is cut before them whatever follows
  // (a mark after them could only compose with a unit that is cut off).
  if (asciiPrefix(text, Math.max(1, length + 1))) {
    // Nothing to count, or no more than `length` characters: the text itself (also for "" and a
    // negative length, where Django's count never starts).
    if (text.length <= length || text === "") return text;
    return text.slice(0, Math.max(0, length - 1)) + "…";
  }
  text = text.normalize("NFC");
  const truncateLen = length - 1; // room for "…"
  let count = 0;
  let end: number | null = null;
  const chars = [...text];
  for (let i = 0; i < chars.length; i++) {
    if (COMBINING.test(chars[i])) continue;
    count++;
    if (end === null && count > truncateLen) end = i;
    if (count > length) return chars.slice(0, end ?? 0).join("") + "…";
  }
  return text;
}

/**
 * truncatewords for text whose first `length` words are separated by single spaces (no leading
 * space, no other whitespace), or `undefined` when it is not such text.
 */
function truncateSingleSpaced(text: string, length: number): string | undefined {
  // indexOf flattens a concatenated (rope) string, on which every charCodeAt would walk the rope.
  if (text.indexOf(" ") === -1) return undefined;
  let words = 0;
  let previousSpace = true; // a leading space is irregular
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 32) {
      if (previousSpace) return undefined;
      if (++words === length) {
        // A next word must follow the space for the text to be truncated here.
        const next = text.charCodeAt(i + 1);
        if (Number.isNaN(next) || isPySpace(next)) return undefined;
        const kept = text.slice(0, i);
        return kept.endsWith(" …") ? kept : kept + " …";
      }
      previousSpace = true;
    } else if (isPySpace(c)) return undefined;
    else previousSpace = false;
  }
  // Fewer words than the limit: the text itself, unless it ends in a space (dropped by split).
  return previousSpace ? undefined : text;
}

/** Django's `Truncator.words`: keeps `length` words joined by single spaces, then " …". */
export function truncateWords(text: string, length: number): string {
  // Fast path: while the words are separated by single spaces (most text), the kept words are a
  // prefix of the text. One pass over that prefix, no word list; anything else takes the general way.
  if (length > 0) {
    const fast = truncateSingleSpaced(text, length);
    if (fast !== undefined) return fast;
  }
  // One word past the limit is enough to know the text is truncated. A negative length keeps
  // Python's `words[:length]`: all but the last -length words.
  const words = length >= 0 ? pySplit(text, length + 1) : pySplit(text);
  if (words.length > length) {
    const kept = words.slice(0, length).join(" ");
    return kept.endsWith(" …") ? kept : kept + " …";
  }
  return words.join(" ");
}

// #endregion
// #region Escaping

const JS_ESCAPES: Record<string, string> = {
  "\\": "\\u005C",
  "'": "\\u0027",
  '"': "\\u0022",
  ">": "\\u003E",
  "<": "\\u003C",
  "&": "\\u0026",
  "=": "\\u003D",
  "-": "\\u002D",
  ";": "\\u003B",
  "`": "\\u0060",
  "\u2028": "\\u2028",
  "\u2029": "\\u2029",
};
for (let i = 0; i < 32; i++) {
  JS_ESCAPES[String.fromCharCode(i)] = "\\u" + i.toString(16).toUpperCase().padStart(4, "0");
}
// deno-lint-ignore no-control-regex -- Python counts these control characters as separators
const JS_ESCAPE_RE = /[\\'"<>&=\-;`\u2028\u2029\u0000-\u001f]/g;

/** Django's `escapejs`: makes text safe inside a JavaScript string literal. */
export function escapeJs(text: string): string {
  return text.replace(JS_ESCAPE_RE, (ch) => JS_ESCAPES[ch]);
}

// #endregion
// #region Wrapping

/**
 * Django's `wrap` (3.2.25): each line through Python's `textwrap.TextWrapper(width,
 * break_long_words=False, break_on_hyphens=False)`, lines joined with "\n".
 */
export function wordWrap(text: string, width: number): string {
  const result: string[] = [];
  const lines = text.match(
    // deno-lint-ignore no-control-regex -- Python counts these control characters as separators
    /[^\n\r\v\f\x1c-\x1e\x85\u2028\u2029]*(?:\r\n|[\n\r\v\f\x1c-\x1e\x85\u2028\u2029])|[^\n\r\v\f\x1c-\x1e\x85\u2028\u2029]+$/g,
  ) ?? [];
  for (const line of lines) result.push(...textWrap(line, width));
  return result.join("\n");
}

const cpLen = (s: string): number => [...s].length;

/** Python's TextWrapper.wrap with the options Django uses. */
function textWrap(line: string, width: number): string[] {
  let text = "";
  let col = 0;
  for (const ch of line) {
    // expandtabs(8), then every ASCII whitespace character becomes a space
    if (ch === "\t") {
      const n = 8 - (col % 8);
      text += " ".repeat(n);
      col += n;
    } else if ("\n\v\f\r".includes(ch)) {
      text += " ";
      col = 0;
    } else {
      text += ch;
      col++;
    }
  }
  const chunks = text.split(/( +)/).filter((c) => c !== "").reverse();
  const lines: string[] = [];
  const blank = (c: string) => c.trim() === "";
  while (chunks.length) {
    const cur: string[] = [];
    let curLen = 0;
    if (blank(chunks[chunks.length - 1]) && lines.length) chunks.pop();
    while (chunks.length) {
      const l = cpLen(chunks[chunks.length - 1]);
      if (curLen + l <= width) {
        cur.push(chunks.pop()!);
        curLen += l;
      } else break;
    }
    if (chunks.length && cpLen(chunks[chunks.length - 1]) > width && !cur.length) {
      cur.push(chunks.pop()!);
    }
    if (cur.length && blank(cur[cur.length - 1])) cur.pop();
    if (cur.length) lines.push(cur.join(""));
  }
  return lines;
}

// #endregion
// #region Slugs

/** Django's `slugify` (ASCII): NFKD, drop non-ASCII, keep word characters, spaces to hyphens. */
export function slugify(text: string): string {
  // deno-lint-ignore no-control-regex -- Python counts these control characters as separators
  const ascii = text.normalize("NFKD").replace(/[^\x00-\x7f]/g, "");
  const cleaned = ascii.toLowerCase().replace(/[^\w\s-]/g, "");
  return cleaned.replace(/[-\s]+/g, "-").replace(/^[-_]+|[-_]+$/g, "");
}

const PHONE: Record<string, string> = {};
for (
  const [digit, letters] of Object.entries({
    2: "abc",
    3: "def",
    4: "ghi",
    5: "jkl",
    6: "mno",
    7: "pqrs",
    8: "tuv",
    9: "wxyz",
  })
) {
  for (const l of letters) PHONE[l] = digit;
}

// #endregion
// #region Filters

const str = (v: unknown): string => v as string; // stringFilter inputs are strings

/** The text filters. */
export const stringFilters: Record<string, FilterDefinition> = {
  addslashes: {
    isSafe: true,
    stringFilter: true,
    fn: (v) => str(v).replaceAll("\\", "\\\\").replaceAll('"', '\\"').replaceAll("'", "\\'"),
  },
  capfirst: {
    isSafe: true,
    stringFilter: true,
    fn: (v) => {
      const s = str(v);
      return s ? s[0].toUpperCase() + s.slice(1) : s;
    },
  },
  center: {
    isSafe: true,
    stringFilter: true,
    arg: "required",
    fn: (v, a) => center(str(v), pythonInt(a)),
  },
  ljust: {
    isSafe: true,
    stringFilter: true,
    arg: "required",
    fn: (v, a) => {
      const s = str(v), w = pythonInt(a);
      return s + " ".repeat(Math.max(0, w - [...s].length));
    },
  },
  rjust: {
    isSafe: true,
    stringFilter: true,
    arg: "required",
    fn: (v, a) => {
      const s = str(v), w = pythonInt(a);
      return " ".repeat(Math.max(0, w - [...s].length)) + s;
    },
  },
  cut: {
    stringFilter: true,
    arg: "required",
    fn: (v, a, env) => {
      if (typeof a !== "string" && !(a instanceof SafeString)) {
        throw pythonError("TypeError", `replace() argument 1 must be str, not ${pyTypeName(a)}`);
      }
      const arg = pyStr(a);
      const out = str(v).replaceAll(arg, "");
      return env.inputSafe && arg !== ";" ? markSafe(out) : out;
    },
  },
  escape: {
    isSafe: true,
    stringFilter: true,
    fn: (v, _a, env) => (env.inputSafe ? markSafe(str(v)) : markSafe(escapeHtml(str(v)))),
  },
  force_escape: { isSafe: true, stringFilter: true, fn: (v) => markSafe(escapeHtml(str(v))) },
  escapejs: { stringFilter: true, fn: (v) => markSafe(escapeJs(str(v))) },
  iriencode: {
    isSafe: true,
    stringFilter: true,
    fn: (v) => pyQuote(str(v), "/#%[]=:;$&()+,!?*@'~"),
  },
  linenumbers: {
    isSafe: true,
    needsAutoescape: true,
    stringFilter: true,
    fn: (v, _a, env) => {
      const lines = str(v).split("\n");
      const width = String(lines.length).length;
      const escape = env.autoescape && !env.inputSafe;
      return markSafe(
        lines.map((line, i) =>
          `${String(i + 1).padStart(width, "0")}. ${escape ? escapeHtml(line) : line}`
        )
          .join("\n"),
      );
    },
  },
  lower: { isSafe: true, stringFilter: true, fn: (v) => str(v).toLowerCase() },
  upper: { stringFilter: true, fn: (v) => str(v).toUpperCase() },
  title: {
    isSafe: true,
    stringFilter: true,
    fn: (v) => titleCase(str(v)),
    print: (v) => printTitle(v as string), // a plain string: see FilterDefinition.print
  },
  make_list: { stringFilter: true, fn: (v) => [...str(v)] },
  phone2numeric: {
    isSafe: true,
    fn: (v) => [...pyStr(v).toLowerCase()].map((c) => PHONE[c] ?? c).join(""),
  },
  slugify: { isSafe: true, stringFilter: true, fn: (v) => slugify(str(v)) },
  truncatechars: {
    isSafe: true,
    stringFilter: true,
    arg: "required",
    fn: (v, a) => {
      const n = pythonIntOrNaN(a);
      return Number.isNaN(n) ? str(v) : truncateChars(str(v), n);
    },
  },
  truncatewords: {
    isSafe: true,
    stringFilter: true,
    arg: "required",
    fn: (v, a) => {
      const n = pythonIntOrNaN(a);
      return Number.isNaN(n) ? str(v) : truncateWords(str(v), n);
    },
  },
  urlencode: {
    stringFilter: true,
    arg: "optional",
    fn: (v, a) => pyQuote(str(v), a === undefined ? "/" : pyStr(a)),
  },
  wordcount: { stringFilter: true, fn: (v) => pySplit(str(v)).length },
  wordwrap: {
    isSafe: true,
    stringFilter: true,
    arg: "required",
    fn: (v, a) => wordWrap(str(v), pythonInt(a)),
  },
  safe: { isSafe: true, stringFilter: true, fn: (v) => markSafe(str(v)) },
  stringformat: {
    isSafe: true,
    arg: "required",
    fn: (v, a) => {
      try {
        return percentFormat("%" + pyStr(a), v);
      } catch {
        return "";
      }
    },
  },
};

// #endregion
