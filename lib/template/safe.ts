/**
 * Safe strings: text that has already been escaped (or is trusted) and must not be escaped again.
 *
 * Mirrors Django's `SafeString`/`mark_safe`/`conditional_escape`. A `SafeString` is a thin wrapper and
 * not a `string`, so that safety survives being passed through user code without being lost silently.
 * @module
 */

/**
 * A string marked as safe for HTML output: autoescaping leaves it untouched.
 *
 * @example
 * ```ts
 * import { SafeString } from "@djust/djust/template";
 * const bold = new SafeString("<b>hi</b>");
 * String(bold); // "<b>hi</b>"
 * ```
 */
export class SafeString {
  /** The already-safe text. */
  readonly value: string;
  /** Wraps `value`, which the caller vouches for. */
  constructor(value: string) {
    this.value = value;
  }
  /** The text itself, so template output and string concatenation see the characters. */
  toString(): string {
    return this.value;
  }
  /** The text itself, for `JSON.stringify`. */
  toJSON(): string {
    return this.value;
  }
  /** Number of UTF-16 code units, like `string.length`. */
  get length(): number {
    return this.value.length;
  }
}

/**
 * Marks a value as safe HTML. Strings become a {@link SafeString}; a `SafeString` is returned as is;
 * other values are converted with `String()` first.
 *
 * @example
 * ```ts
 * import { markSafe, Engine } from "@djust/djust/template";
 * new Engine().renderString("{{ x }}", { x: markSafe("<i>ok</i>") }); // "<i>ok</i>"
 * ```
 */
export function markSafe(value: unknown): SafeString {
  if (value instanceof SafeString) return value;
  return new SafeString(typeof value === "string" ? value : String(value));
}

/**
 * True when `value` is a {@link SafeString}.
 *
 * @example
 * ```ts
 * import { isSafe, markSafe } from "@djust/djust/template";
 * isSafe(markSafe("x")); // true
 * isSafe("x"); // false
 * ```
 */
export function isSafe(value: unknown): value is SafeString {
  return value instanceof SafeString;
}

// Global, so that `test` leaves `lastIndex` just past each match: a scan that allocates nothing.
const ESCAPABLE = /[&<>"']/g;
const ENTITIES: string[] = [];
ENTITIES[38] = "&amp;";
ENTITIES[60] = "&lt;";
ENTITIES[62] = "&gt;";
ENTITIES[34] = "&quot;";
ENTITIES[39] = "&#x27;";

/**
 * Escapes the five HTML-significant characters exactly as Django does (`'` becomes `&#x27;`).
 *
 * @example
 * ```ts
 * import { escapeHtml } from "@djust/djust/template";
 * escapeHtml(`<a href="x">`); // "&lt;a href=&quot;x&quot;&gt;"
 * ```
 */
export function escapeHtml(text: string): string {
  // Most text has nothing to escape: one native regex scan answers that, and no copy is made.
  ESCAPABLE.lastIndex = 0;
  if (!ESCAPABLE.test(text)) return text;
  let out = "";
  let last = 0;
  if (text.length > 40) {
    // Long text is mostly plain: jump from match to match with the native scanner.
    do {
      const i = ESCAPABLE.lastIndex - 1;
      out += text.slice(last, i) + ENTITIES[text.charCodeAt(i)];
      last = i + 1;
    } while (ESCAPABLE.test(text));
    return out + text.slice(last);
  }
  // Short text (names, labels) often has several: a loop over char codes from the first one.
  const first = ESCAPABLE.lastIndex - 1;
  ESCAPABLE.lastIndex = 0;
  for (let i = first; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c > 62 || (c !== 38 && c !== 60 && c !== 62 && c !== 34 && c !== 39)) continue;
    out += text.slice(last, i) + ENTITIES[c];
    last = i + 1;
  }
  return out + text.slice(last);
}
