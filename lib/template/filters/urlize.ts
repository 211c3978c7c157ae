/**
 * Django 3.2's `urlize` (the `urlize` and `urlizetrunc` filters): links `http(s)://` URLs, `www.`
 * names, bare names in the seven original gTLDs and email addresses, trimming punctuation around
 * them as Django does, with internationalized domain names in punycode in the `href`.
 * @module
 */
import { escapeHtml } from "../safe.ts";
import { decodeEntities } from "./entities.ts";
import {
  idnaEncode,
  IdnaError,
  parseQsl,
  quote,
  unquote,
  urlencode,
  urlsplit,
  urlunsplit,
} from "./url_parts.ts";

// Python's `\s` (Unicode whitespace, which JS's `\s` differs from in a few characters) and <>"'.
const WORD_SPLIT =
  // deno-lint-ignore no-control-regex -- Python counts \x1c-\x1f as whitespace
  /([\t\n\v\f\r\x1c-\x20\x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000<>"']+)/;
// Python's `\w` is Unicode-aware: letters, numbers and the underscore.
const SIMPLE_URL = /^https?:\/\/\[?[\p{L}\p{N}_]/iu;
const SIMPLE_URL_2 = /^www\.|^(?!http)[\p{L}\p{N}_][^@]+\.(com|edu|gov|int|mil|net|org)($|\/.*)$/iu;
const MAX_URL_LENGTH = 2048;
const TRAILING = ".,:;!";
const WRAPPING: readonly [string, string][] = [["(", ")"], ["[", "]"]];
const SAFE_IN_PATH = ":/?#[]@" + "!$&'()*+,;=" + "~";

/** Python's `len()`: code points. */
function pyLength(text: string): number {
  let n = 0;
  for (const _ of text) n++;
  return n;
}

function countOf(text: string, ch: string): number {
  let n = 0;
  for (let i = text.indexOf(ch); i !== -1; i = text.indexOf(ch, i + 1)) n++;
  return n;
}

function unquoteQuote(segment: string): string {
  return quote(unquote(segment), SAFE_IN_PATH);
}

/** Django's `smart_urlquote`: punycode for the host, quoting for the rest. */
function smartUrlquote(url: string): string {
  let parts;
  try {
    parts = urlsplit(url);
    parts.netloc = idnaEncode(parts.netloc);
  } catch (err) {
    if (err instanceof RangeError || err instanceof IdnaError) return unquoteQuote(url);
    throw err;
  }
  if (parts.query) {
    // Keys and values are unquoted a second time, as Django does (#22267).
    parts.query = urlencode(parseQsl(parts.query).map(([k, v]) => [unquote(k), unquote(v)]));
  }
  parts.path = unquoteQuote(parts.path);
  parts.fragment = unquoteQuote(parts.fragment);
  return urlunsplit(parts);
}

function isEmailSimple(value: string): boolean {
  if (!value.includes("@") || value.startsWith("@") || value.endsWith("@")) return false;
  const parts = value.split("@");
  if (parts.length !== 2) return false;
  const domain = parts[1];
  // RFC 1034's longest label: a guard against slow matching in Django.
  if (pyLength(domain) > 63) return false;
  return domain.includes(".") && !domain.startsWith(".");
}

/**
 * Django's `trim_punctuation`, step for step. Trailing punctuation is measured on the unescaped
 * text and cut from the escaped one by those lengths, so an entity cut in two stays cut, as in
 * Django (`&quot;q&quot;.` keeps `ot;q&quot;.` outside the link).
 */
function trimPunctuation(lead: string, middle: string, trail: string): [string, string, string] {
  let trimmed = true;
  while (trimmed) {
    trimmed = false;
    for (const [opening, closing] of WRAPPING) {
      if (middle.startsWith(opening)) {
        middle = middle.slice(opening.length);
        lead += opening;
        trimmed = true;
      }
      if (middle.endsWith(closing) && countOf(middle, closing) === countOf(middle, opening) + 1) {
        middle = middle.slice(0, -closing.length);
        trail = closing + trail;
        trimmed = true;
      }
    }
    const unescaped = [...decodeEntities(middle)];
    let stripped = unescaped.length;
    while (stripped > 0 && TRAILING.includes(unescaped[stripped - 1])) stripped--;
    if (stripped !== unescaped.length) {
      const chars = [...middle];
      trail = chars.slice(stripped).join("") + trail;
      middle = chars.slice(0, Math.max(0, chars.length + stripped - unescaped.length)).join("");
      trimmed = true;
    }
  }
  return [lead, middle, trail];
}

/**
 * Django's `urlize(text, trim_url_limit=limit, nofollow=True, autoescape=autoescape)`.
 *
 * @example
 * ```ts
 * import { urlize } from "./urlize.ts";
 * urlize("see www.bücher.de.", false, true, null);
 * // 'see <a href="http://www.xn--bcher-kva.de" rel="nofollow">www.bücher.de</a>.'
 * ```
 */
export function urlize(
  text: string,
  inputSafe: boolean,
  autoescape: boolean,
  limit: number | null,
): string {
  const trimUrl = (x: string): string => {
    const chars = [...x];
    return limit === null || chars.length <= limit
      ? x
      : chars.slice(0, Math.max(0, limit - 1)).join("") + "…";
  };
  const words = text.split(WORD_SPLIT);
  for (let i = 0; i < words.length; i++) {
    const word = words[i];
    if (word.includes(".") || word.includes("@") || word.includes(":")) {
      let [lead, middle, trail] = trimPunctuation("", word, "");
      let url: string | null = null;
      let rel = ' rel="nofollow"';
      const short = pyLength(middle) <= MAX_URL_LENGTH;
      if (short && SIMPLE_URL.test(middle)) url = smartUrlquote(decodeEntities(middle));
      else if (short && SIMPLE_URL_2.test(middle)) {
        url = smartUrlquote("http://" + decodeEntities(middle));
      } else if (!middle.includes(":") && isEmailSimple(middle)) {
        const at = middle.lastIndexOf("@");
        let domain: string;
        try {
          domain = idnaEncode(middle.slice(at + 1));
        } catch (err) {
          if (err instanceof IdnaError) continue; // Django leaves the word as it is, unescaped
          throw err;
        }
        url = `mailto:${middle.slice(0, at)}@${domain}`;
        rel = "";
      }
      if (url) {
        let shown = trimUrl(middle);
        if (autoescape && !inputSafe) {
          lead = escapeHtml(lead);
          trail = escapeHtml(trail);
          shown = escapeHtml(shown);
        }
        words[i] = `${lead}<a href="${escapeHtml(url)}"${rel}>${shown}</a>${trail}`;
        continue;
      }
    }
    if (!inputSafe && autoescape) words[i] = escapeHtml(word);
  }
  return words.join("");
}
