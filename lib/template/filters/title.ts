/**
 * Django's `title` filter: Python's `str.title()`, then a capital right after `x'` or a digit
 * lowered again; an ASCII path by character codes, and long titles remembered.
 * @module
 */
import { escapeHtml } from "../safe.ts";

/**
 * Python `str.title()`: uppercase after any non-letter, lowercase after a letter.
 *
 * @example
 * ```ts
 * import { pyTitle } from "./title.ts";
 * pyTitle("they're 1st"); // "They'Re 1St"
 * ```
 */
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
 *
 * @example
 * ```ts
 * import { titleAnyText } from "./title.ts";
 * titleAnyText("they're 1st"); // "They're 1st"
 * ```
 */
export function titleAnyText(text: string): string {
  return pyTitle(text)
    .replace(/([a-z])'([A-Z])/g, (m) => m.toLowerCase())
    .replace(/\p{Nd}([A-Z])/gu, (m) => m.toLowerCase());
}

// Django's title on ASCII as a state machine over character codes. The state is what decides the
// case of the next letter:
//   0  after a non-letter: the letter starts a word (upper case)
//   1  after a letter that started a word (title() made it upper case)
//   2  after a letter inside a word (title() made it lower case)
//   3  after a digit, or after `x'` where x is a letter inside a word: Django lowers the letter
// A letter after state 0 is upper, after 1, 2 or 3 lower; it leads to 1 after 0 or 3 (title()
// capitalized it), else to 2. An apostrophe leads to 3 after 2, a digit to 3, anything else to 0.
// Two tables indexed by `state << 7 | code`: the code to write, and the next state. A table
// lookup per character replaces the branches on letter, apostrophe and digit, which mispredict
// on every word boundary.
const TITLE_CODE = new Uint8Array(4 << 7);
const TITLE_NEXT = new Uint8Array(4 << 7);
for (let state = 0; state < 4; state++) {
  for (let c = 0; c < 128; c++) {
    const k = (state << 7) | c;
    const upper = c >= 65 && c <= 90, lower = c >= 97 && c <= 122;
    if (upper || lower) {
      const wantUpper = state === 0;
      TITLE_CODE[k] = wantUpper && lower ? c - 32 : !wantUpper && upper ? c + 32 : c;
      TITLE_NEXT[k] = state === 0 || state === 3 ? 1 : 2;
    } else {
      TITLE_CODE[k] = c;
      TITLE_NEXT[k] = c === 39 ? (state === 2 ? 3 : 0) : c >= 48 && c <= 57 ? 3 : 0;
    }
  }
}

// The character codes of the titled text, reused from call to call (titles never nest). A plain
// array: String.fromCharCode.apply reads one faster than a typed array.
const titledCodes: number[] = [];
// Most arguments String.fromCharCode gets at once; longer texts are built in pieces.
const CODES_PER_CALL = 8192;

/**
 * Django's `title` filter on ASCII text in one pass over character codes, or undefined for other
 * text. The codes go into a reused array and become a string in one `String.fromCharCode` call:
 * cheaper than cutting the text at every word (a slice and a concatenation per word).
 *
 * @example
 * ```ts
 * import { titleAscii } from "./title.ts";
 * titleAscii("hello WORLD"); // "Hello World"
 * ```
 */
export function titleAscii(text: string): string | undefined {
  const n = text.length;
  const codes = titledCodes;
  codes.length = n;
  let state = 0;
  let changed = 0;
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    if (c > 127) return undefined;
    const k = (state << 7) | c;
    const titled = TITLE_CODE[k];
    codes[i] = titled;
    changed |= titled ^ c;
    state = TITLE_NEXT[k];
  }
  if (changed === 0) return text;
  if (n <= CODES_PER_CALL) return String.fromCharCode.apply(null, codes);
  let out = "";
  for (let i = 0; i < n; i += CODES_PER_CALL) {
    out += String.fromCharCode.apply(null, codes.slice(i, i + CODES_PER_CALL));
  }
  return out;
}

/** Django's title of any text: the ASCII path, or the general one. */
function titleOf(text: string): string {
  return titleAscii(text) ?? titleAnyText(text);
}

/** A remembered title, and its escaped form once a template has printed it. */
interface RememberedTitle {
  readonly title: string;
  escaped: string | undefined;
}

// Titles computed recently, by text (see titleCase), and how many characters they hold.
const recentTitles = new Map<string, RememberedTitle>();
let recentTitlesSize = 0;
/** Characters of text the title cache may hold (keys and values) before it starts over. */
const RECENT_TITLES_BUDGET = 1 << 21;

/** Texts whose titles are remembered: a sentence or more, but not whole documents. */
function remembered(text: string): boolean {
  return text.length >= 24 && text.length <= 4096;
}

// Admission: texts that never come back (a feed of new items) gain nothing from the cache and
// cost a map entry each, with the garbage collection of a large map that keeps starting over. The
// cache watches its hit rate over windows of lookups; below one hit in four it takes only one new
// text in sixteen, enough for texts that do come back to get in and raise the rate again.
const ADMISSION_WINDOW = 4096;
const SAMPLED_ADMISSION = 16;
let windowLookups = 0;
let windowHits = 0;
let admitEvery = 1;
let misses = 0;

/** The title of `text`, from the cache or computed (and remembered if admitted). */
function rememberTitle(text: string): RememberedTitle {
  if (++windowLookups === ADMISSION_WINDOW) {
    admitEvery = windowHits * 4 >= ADMISSION_WINDOW ? 1 : SAMPLED_ADMISSION;
    windowLookups = windowHits = 0;
  }
  let entry = recentTitles.get(text);
  if (entry !== undefined) {
    windowHits++;
    return entry;
  }
  entry = { title: titleOf(text), escaped: undefined };
  if (++misses % admitEvery === 0) {
    recentTitlesSize += 2 * text.length;
    if (recentTitlesSize > RECENT_TITLES_BUDGET) {
      recentTitles.clear();
      recentTitlesSize = 2 * text.length;
    }
    recentTitles.set(text, entry);
  }
  return entry;
}

/**
 * Django's `title` filter. Case-mapping costs a JavaScript pass over every character (about
 * 0.5 µs for 100 characters), where Python runs C. The same texts come back on every render of a
 * page or of a LiveView region, so texts of a sentence or more are remembered: a hit costs one
 * hash of the text, which V8 keeps in the string itself. The cache holds at most about 2 M
 * characters and starts over when full.
 *
 * @example
 * ```ts
 * import { titleCase } from "./title.ts";
 * titleCase("a long sentence of lower-case words"); // "A Long Sentence Of Lower-Case Words"
 * ```
 */
export function titleCase(text: string): string {
  return remembered(text) ? rememberTitle(text).title : titleOf(text);
}

/**
 * What `{{ text|title }}` prints with autoescape on: the escaped title. A remembered title keeps
 * its escaped form (the same string when there was nothing to escape), so printing it again
 * costs no scan.
 *
 * @example
 * ```ts
 * import { printTitle } from "./title.ts";
 * printTitle("tom & jerry's show"); // "Tom &amp; Jerry&#x27;s Show"
 * ```
 */
export function printTitle(text: string): string {
  if (!remembered(text)) return escapeHtml(titleOf(text));
  const entry = rememberTitle(text);
  if (entry.escaped === undefined) {
    entry.escaped = escapeHtml(entry.title);
    if (entry.escaped !== entry.title) recentTitlesSize += entry.escaped.length;
  }
  return entry.escaped;
}
