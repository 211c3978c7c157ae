/**
 * Decoding of HTML character references, as Python's `html.unescape` does: every named reference
 * of HTML5 (with the legacy ones that may omit their `;`) and numeric ones, where out-of-range
 * numbers become U+FFFD instead of failing. The table and the rules come from the `entities`
 * package.
 * @module
 */
import { decodeHTML } from "entities";

/**
 * Decodes the character references in `text` (`&amp;`, `&eacute;`, `&#x1F600;`...). Unknown names
 * stay as written; `&amp;lt;` decodes once, to `&lt;`.
 *
 * @example
 * ```ts
 * import { decodeEntities } from "./entities.ts";
 * decodeEntities("caf&eacute; &#x1F600;"); // "café 😀"
 * ```
 */
export function decodeEntities(text: string): string {
  // Most text has no reference at all: skip the decoder.
  return text.includes("&") ? decodeHTML(text) : text;
}
