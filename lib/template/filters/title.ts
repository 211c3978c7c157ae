/**
 * Django's `title` filter: Python's `str.title()`, then a capital right after `x'` or a digit
 * lowered again; an ASCII path by character codes, and long titles remembered.
 * @module
 */

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

// The character codes of the titled text, reused from call to call (titles never nest).
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
  let changed = false;
  // Python's title() state, and what title() made of the two previous characters (the `x'Y`
  // rule reads the titled text, not the final one).
  let previousCased = false;
  let lower1 = false, lower2 = false, apostrophe1 = false, digit1 = false;
  for (let i = 0; i < n; i++) {
    let c = text.charCodeAt(i);
    if (c > 127) return undefined;
    const upper = c >= 65 && c <= 90;
    const letter = upper || (c >= 97 && c <= 122);
    let titledLower = false;
    if (letter) {
      // A run of letters starts upper case, unless it follows `x'` or a digit (Django's fixes).
      titledLower = previousCased;
      const makeLower = previousCased || (apostrophe1 && lower2) || digit1;
      if (makeLower === upper) {
        c = upper ? c + 32 : c - 32; // ±32 switches case in ASCII
        changed = true;
      }
    }
    codes[i] = c;
    previousCased = letter;
    lower2 = lower1;
    lower1 = titledLower;
    apostrophe1 = c === 39;
    digit1 = c >= 48 && c <= 57;
  }
  if (!changed) return text;
  if (n <= CODES_PER_CALL) return String.fromCharCode.apply(null, codes);
  let out = "";
  for (let i = 0; i < n; i += CODES_PER_CALL) {
    out += String.fromCharCode.apply(null, codes.slice(i, i + CODES_PER_CALL));
  }
  return out;
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
 *
 * @example
 * ```ts
 * import { titleCase } from "./title.ts";
 * titleCase("a long sentence of lower-case words"); // "A Long Sentence Of Lower-Case Words"
 * ```
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
