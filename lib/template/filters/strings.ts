/**
 * Text filters: case, padding, truncation, escaping, URL quoting, slugs and wrapping.
 * Each follows Django 3.2's `defaultfilters` (flags and edge cases), checked against real Django.
 * @module
 */
import { escapeHtml, markSafe, SafeString } from "../safe.ts";
import { pyRepr, pyStr, pyTypeName } from "../values.ts";
import { pythonError, pythonInt, pythonIntOrNaN } from "./python.ts";
import type { FilterDefinition } from "./registry.ts";

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

/** Python `str.title()`: uppercase after any non-letter, lowercase after a letter. */
export function pyTitle(text: string): string {
  let out = "";
  let previousCased = false;
  for (const ch of text) {
    const cased = ch.toLowerCase() !== ch.toUpperCase();
    out += cased ? (previousCased ? ch.toLowerCase() : ch.toUpperCase()) : ch;
    previousCased = cased;
  }
  return out;
}

/**
 * Django's `title` filter, the general way: Python's `str.title()`, then a capital right after
 * `x'` (`they'Re`) or after a digit (`1St`) lowered again.
 */
export function titleAnyText(text: string): string {
  return pyTitle(text)
    .replace(/([a-z])'([A-Z])/g, (m) => m.toLowerCase())
    .replace(/\p{Nd}([A-Z])/gu, (m) => m.toLowerCase());
}

/**
 * Django's `title` filter on ASCII text in one pass over character codes, or undefined for other
 * text. Most letters keep their case (the text is usually lower case already), so only the
 * letters that change are cut out and replaced: a handful of slices per text.
 */
export function titleAscii(text: string): string | undefined {
  let out = "";
  let start = 0;
  // Python's title() state, and what title() made of the two previous characters (the `x'Y`
  // rule reads the titled text, not the final one).
  let previousCased = false;
  let lower1 = false, lower2 = false, apostrophe1 = false, digit1 = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c > 127) return undefined;
    const upper = c >= 65 && c <= 90;
    const letter = upper || (c >= 97 && c <= 122);
    let titledLower = false;
    if (letter) {
      // A run of letters starts upper case, unless it follows `x'` or a digit (Django's fixes).
      titledLower = previousCased;
      const makeLower = previousCased || (apostrophe1 && lower2) || digit1;
      if (makeLower === upper) {
        out += text.slice(start, i) + String.fromCharCode(upper ? c + 32 : c - 32);
        start = i + 1;
      }
    }
    previousCased = letter;
    lower2 = lower1;
    lower1 = titledLower;
    apostrophe1 = c === 39;
    digit1 = c >= 48 && c <= 57;
  }
  return start === 0 ? text : out + text.slice(start);
}

// Titles computed recently, by text (see titleCase), and how many characters they hold.
const recentTitles = new Map<string, string>();
let recentTitlesSize = 0;
/** Characters of text the title cache may hold (keys and values) before it starts over. */
const RECENT_TITLES_BUDGET = 1 << 21;

/**
 * Django's `title` filter. Case-mapping costs a JavaScript pass over every character (about 1 µs
 * for 100 characters), where Python runs C. The same texts come back on every render of a page or
 * of a LiveView region, so texts of a sentence or more are remembered: a hit costs one hash of the
 * text, which V8 keeps in the string itself. The cache holds at most about 2 M characters and
 * starts over when full.
 */
export function titleCase(text: string): string {
  if (text.length < 24 || text.length > 4096) return titleAscii(text) ?? titleAnyText(text);
  let titled = recentTitles.get(text);
  if (titled === undefined) {
    titled = titleAscii(text) ?? titleAnyText(text);
    recentTitlesSize += 2 * text.length;
    if (recentTitlesSize > RECENT_TITLES_BUDGET) {
      recentTitles.clear();
      recentTitlesSize = 2 * text.length;
    }
    recentTitles.set(text, titled);
  }
  return titled;
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

/** Django's `Truncator.chars`: counts characters, ignoring combining marks; appends "…". */
export function truncateChars(text: string, length: number): string {
  // ASCII fast path: no normalization or combining marks to consider, one char per code unit.
  // deno-lint-ignore no-control-regex -- testing for the ASCII range
  if (/^[\x00-\x7f]*$/.test(text)) {
    if (text.length <= length) return text;
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
// #region Lorem ipsum (for {% lorem %})

const COMMON_P =
  "Lorem ipsum dolor sit amet, consectetur adipisicing elit, sed do eiusmod tempor incididunt ut labore et dolore magna aliqua. Ut enim ad minim veniam, quis nostrud exercitation ullamco laboris nisi ut aliquip ex ea commodo consequat. Duis aute irure dolor in reprehenderit in voluptate velit esse cillum dolore eu fugiat nulla pariatur. Excepteur sint occaecat cupidatat non proident, sunt in culpa qui officia deserunt mollit anim id est laborum.";
const COMMON_WORDS = [
  "lorem",
  "ipsum",
  "dolor",
  "sit",
  "amet",
  "consectetur",
  "adipisicing",
  "elit",
  "sed",
  "do",
  "eiusmod",
  "tempor",
  "incididunt",
  "ut",
  "labore",
  "et",
  "dolore",
  "magna",
  "aliqua",
];
const WORDS = (
  "exercitationem perferendis perspiciatis laborum eveniet sunt iure nam nobis eum cum officiis " +
  "excepturi odio consectetur quasi aut quisquam vel eligendi itaque non odit tempore quaerat dignissimos " +
  "facilis neque nihil expedita vitae vero ipsum nisi animi cumque pariatur velit modi natus iusto eaque " +
  "sequi illo sed ex et voluptatibus tempora veritatis ratione assumenda incidunt nostrum placeat aliquid " +
  "fuga provident praesentium rem necessitatibus suscipit adipisci quidem possimus voluptas debitis sint " +
  "accusantium unde sapiente voluptate qui aspernatur laudantium soluta amet quo aliquam saepe culpa " +
  "libero ipsa dicta reiciendis nesciunt doloribus autem impedit minima maiores repudiandae ipsam obcaecati " +
  "ullam enim totam delectus ducimus quis voluptates dolores molestiae harum dolorem quia voluptatem " +
  "molestias magni distinctio omnis illum dolorum voluptatum ea quas quam corporis quae blanditiis atque " +
  "deserunt laboriosam earum consequuntur hic cupiditate quibusdam accusamus ut rerum error minus eius ab " +
  "ad nemo fugit officia at in id quos reprehenderit numquam iste fugiat sit inventore beatae repellendus " +
  "magnam recusandae quod explicabo doloremque aperiam consequatur asperiores commodi optio dolor labore " +
  "temporibus repellat veniam architecto est esse mollitia nulla a similique eos alias dolore tenetur " +
  "deleniti porro facere maxime corrupti"
).split(" ");

function pick<T>(list: readonly T[], n: number): T[] {
  const copy = [...list];
  const out: T[] = [];
  for (let i = 0; i < n && copy.length; i++) {
    out.push(copy.splice(Math.floor(Math.random() * copy.length), 1)[0]);
  }
  return out;
}

/** Django's `lorem_ipsum.words`: the first `count` words ("lorem ipsum…" when `common`). */
export function loremWords(count: number, common: boolean): string {
  const words = common ? COMMON_WORDS.slice(0, count) : [];
  let remaining = count - words.length;
  while (remaining > 0) {
    const n = Math.min(remaining, WORDS.length);
    words.push(...pick(WORDS, n));
    remaining -= n;
  }
  return words.join(" ");
}

function sentence(): string {
  const sections: string[] = [];
  const n = 1 + Math.floor(Math.random() * 5);
  for (let i = 0; i < n; i++) {
    sections.push(pick(WORDS, 3 + Math.floor(Math.random() * 10)).join(" "));
  }
  const s = sections.join(", ");
  return s[0].toUpperCase() + s.slice(1) + (Math.random() < 0.5 ? "?" : ".");
}

/** Django's `lorem_ipsum.paragraphs`: the first is the standard one when `common`. */
export function loremParagraphs(count: number, common: boolean): string[] {
  const out: string[] = [];
  for (let i = 0; i < count; i++) {
    if (common && i === 0) out.push(COMMON_P);
    else {
      const n = 1 + Math.floor(Math.random() * 4);
      out.push(Array.from({ length: n }, sentence).join(" "));
    }
  }
  return out;
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
  title: { isSafe: true, stringFilter: true, fn: (v) => titleCase(str(v)) },
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
// #region %-formatting

const SPEC_RE = /^%([#0\- +]*)(\d+|\*)?(?:\.(\d+))?([diouxXeEfFgGcrsa%])$/;

/** Python's `"%<spec>" % value` for one conversion. Throws on what Python rejects. */
export function percentFormat(spec: string, value: unknown): string {
  const m = SPEC_RE.exec(spec);
  if (!m) throw pythonError("ValueError", `unsupported format: '${spec}'`);
  const [, flags, widthText, precText, conv] = m;
  if (widthText === "*") throw pythonError("TypeError", "* wants int");
  const width = widthText ? Number(widthText) : 0;
  const precision = precText === undefined ? undefined : Number(precText);
  if (value instanceof SafeString) value = value.value;
  let body: string;
  let sign = "";
  const numeric = "diouxXeEfFgG".includes(conv);
  if (numeric) {
    let n: number;
    if (typeof value === "number") n = value;
    else if (typeof value === "boolean") n = value ? 1 : 0;
    else {
      throw pythonError(
        "TypeError",
        `%${conv} format: a real number is required, not ${pyTypeName(value)}`,
      );
    }
    if ("diouxX".includes(conv)) {
      if (!Number.isFinite(n)) {
        throw pythonError("OverflowError", "cannot convert float infinity or NaN to integer");
      }
      n = Math.trunc(n);
    }
    if (n < 0 || Object.is(n, -0)) sign = n < 0 || conv === "f" || conv === "e" ? "-" : "";
    else if (flags.includes("+")) sign = "+";
    else if (flags.includes(" ")) sign = " ";
    const abs = Math.abs(n);
    switch (conv) {
      case "d":
      case "i":
      case "u":
        body = BigInt(abs).toString();
        if (precision !== undefined) body = body.padStart(precision, "0");
        break;
      case "o":
        body = BigInt(abs).toString(8);
        if (flags.includes("#")) body = "0o" + body;
        break;
      case "x":
      case "X":
        body = BigInt(abs).toString(16);
        if (flags.includes("#")) body = "0x" + body;
        if (conv === "X") body = body.toUpperCase();
        break;
      case "e":
      case "E":
        body = expFormat(abs, precision ?? 6);
        if (conv === "E") body = body.toUpperCase();
        break;
      case "f":
      case "F":
        body = Number.isFinite(abs)
          ? fixedFormat(abs, precision ?? 6)
          : abs === Infinity
          ? "inf"
          : "nan";
        if (conv === "F") body = body.toUpperCase();
        break;
      default: { // g, G
        const p = precision === 0 ? 1 : precision ?? 6;
        const exp = abs === 0 ? 0 : Math.floor(Math.log10(Number(abs.toExponential(p - 1))));
        if (exp < -4 || exp >= p) {
          body = expFormat(abs, p - 1);
          if (!flags.includes("#")) body = body.replace(/\.?0+e/, "e");
        } else {
          body = fixedFormat(abs, Math.max(0, p - 1 - exp));
          if (!flags.includes("#") && body.includes(".")) body = body.replace(/\.?0+$/, "");
        }
        if (conv === "G") body = body.toUpperCase();
      }
    }
  } else if (conv === "s") {
    body = pyStr(value);
    if (precision !== undefined) body = [...body].slice(0, precision).join("");
  } else if (conv === "r" || conv === "a") {
    body = pyRepr(value);
    if (precision !== undefined) body = [...body].slice(0, precision).join("");
  } else if (conv === "c") {
    if (typeof value === "number") body = String.fromCodePoint(value);
    else if (typeof value === "string" && [...value].length === 1) body = value;
    else throw pythonError("TypeError", "%c requires an int or a unicode character");
  } else body = "%";
  const total = sign + body;
  const len = [...total].length;
  if (len >= width) return total;
  if (flags.includes("-")) return total + " ".repeat(width - len);
  if (flags.includes("0") && numeric) return sign + "0".repeat(width - len) + body;
  return " ".repeat(width - len) + total;
}

/**
 * Fixed-point like C's printf (so like Python): the exact binary value rounded, ties to even. JS's
 * toFixed also rounds the exact value but breaks exact ties upwards, so ties are handled here.
 */
function fixedFormat(x: number, digits: number): string {
  digits = Math.min(digits, 100);
  // toFixed turns to an exponent from 1e21; such numbers are integers, printed exactly by BigInt.
  if (x >= 1e21) return BigInt(x).toString() + (digits ? "." + "0".repeat(digits) : "");
  const scaled = x * 10 ** digits;
  if (
    digits <= 15 && Number.isFinite(scaled) && scaled - Math.floor(scaled) === 0.5 &&
    scaled < 2 ** 52
  ) {
    // An exact tie only exists when x * 10^digits is exactly representable: check it round-trips.
    const floor = Math.floor(scaled);
    if ((floor + 0.5) / 10 ** digits === x) {
      const even = floor % 2 === 0 ? floor : floor + 1;
      return (even / 10 ** digits).toFixed(digits);
    }
  }
  return x.toFixed(digits);
}

function expFormat(x: number, digits: number): string {
  if (!Number.isFinite(x)) return x === Infinity ? "inf" : "nan";
  const s = x.toExponential(Math.min(digits, 100));
  const [mant, exp] = s.split("e");
  const n = Number(exp);
  return `${mant}e${n < 0 ? "-" : "+"}${String(Math.abs(n)).padStart(2, "0")}`;
}

// #endregion
