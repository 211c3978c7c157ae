/**
 * The URL helpers Django's `urlize` relies on, as Python 3.11 implements them: `urlsplit`,
 * `urlunsplit`, `quote`, `unquote`, `parse_qsl`, `urlencode` and the `idna` codec (IDNA 2003,
 * which turns internationalized domain names into punycode).
 * @module
 */
import { encode as punycodeEncode } from "node:punycode";

/**
 * Python's `quote(text, safe)`: percent-encodes UTF-8 bytes except unreserved and `safe` ones.
 *
 * @example
 * ```ts
 * import { quote } from "./url_parts.ts";
 * quote("a b/é", "/"); // "a%20b/%C3%A9"
 * ```
 */
export function quote(text: string, safe: string): string {
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

const PERCENT_RUN = /(?:%[0-9a-fA-F]{2})+/g;
const utf8 = new TextDecoder(); // not fatal: invalid bytes become U+FFFD, as errors="replace"

/**
 * Python's `unquote`: decodes runs of `%XX` as UTF-8; a malformed `%` stays as written.
 *
 * @example
 * ```ts
 * import { unquote } from "./url_parts.ts";
 * unquote("a%20b%zz"); // "a b%zz"
 * ```
 */
export function unquote(text: string): string {
  if (!text.includes("%")) return text;
  return text.replace(PERCENT_RUN, (run) => {
    const bytes = new Uint8Array(run.length / 3);
    for (let i = 0; i < bytes.length; i++) {
      bytes[i] = Number.parseInt(run.slice(i * 3 + 1, i * 3 + 3), 16);
    }
    return utf8.decode(bytes);
  });
}

/** Python's `quote_plus(text)`: like quote with nothing safe, spaces as `+`. */
function quotePlus(text: string): string {
  return quote(text, " ").replaceAll(" ", "+");
}

/**
 * Python's `parse_qsl(query, keep_blank_values=True)`: pairs split on `&` only (Python 3.10+).
 *
 * @example
 * ```ts
 * import { parseQsl } from "./url_parts.ts";
 * parseQsl("a=1&b&c=x+y"); // [["a", "1"], ["b", ""], ["c", "x y"]]
 * ```
 */
export function parseQsl(query: string): [string, string][] {
  const pairs: [string, string][] = [];
  for (const part of query.split("&")) {
    if (!part) continue;
    const eq = part.indexOf("=");
    const name = eq === -1 ? part : part.slice(0, eq);
    const value = eq === -1 ? "" : part.slice(eq + 1);
    pairs.push([unquote(name.replaceAll("+", " ")), unquote(value.replaceAll("+", " "))]);
  }
  return pairs;
}

/**
 * Python's `urlencode(pairs)`.
 *
 * @example
 * ```ts
 * import { urlencode } from "./url_parts.ts";
 * urlencode([["q", "a b&c"]]); // "q=a+b%26c"
 * ```
 */
export function urlencode(pairs: readonly [string, string][]): string {
  return pairs.map(([k, v]) => quotePlus(k) + "=" + quotePlus(v)).join("&");
}

/** The five parts of a URL, as Python's `SplitResult`. */
export interface SplitUrl {
  scheme: string;
  netloc: string;
  path: string;
  query: string;
  fragment: string;
}

const SCHEME_CHARS = /^[a-zA-Z0-9+.-]*$/;

/**
 * Python's `urlsplit`; throws a RangeError for an unbalanced IPv6 bracket (Python's ValueError).
 *
 * @example
 * ```ts
 * import { urlsplit } from "./url_parts.ts";
 * urlsplit("HTTP://x.org/p?q#f").scheme; // "http"
 * ```
 */
export function urlsplit(url: string): SplitUrl {
  let scheme = "", netloc = "", query = "", fragment = "";
  url = url.replace(/[\t\r\n]/g, "");
  const colon = url.indexOf(":");
  if (colon > 0 && /^[a-zA-Z]/.test(url) && SCHEME_CHARS.test(url.slice(0, colon))) {
    scheme = url.slice(0, colon).toLowerCase();
    url = url.slice(colon + 1);
  }
  if (url.startsWith("//")) {
    let end = url.length;
    for (const c of "/?#") {
      const at = url.indexOf(c, 2);
      if (at !== -1 && at < end) end = at;
    }
    netloc = url.slice(2, end);
    url = url.slice(end);
    if (netloc.includes("[") !== netloc.includes("]")) throw new RangeError("Invalid IPv6 URL");
  }
  const hash = url.indexOf("#");
  if (hash !== -1) [url, fragment] = [url.slice(0, hash), url.slice(hash + 1)];
  const question = url.indexOf("?");
  if (question !== -1) [url, query] = [url.slice(0, question), url.slice(question + 1)];
  return { scheme, netloc, path: url, query, fragment };
}

// Python's `uses_netloc`, limited to what urlize produces (it only links http and https URLs).
const USES_NETLOC = new Set(["", "http", "https", "ftp", "file"]);

/**
 * Python's `urlunsplit`.
 *
 * @example
 * ```ts
 * import { urlunsplit } from "./url_parts.ts";
 * urlunsplit({ scheme: "http", netloc: "x.org", path: "p", query: "", fragment: "" }); // "http://x.org/p"
 * ```
 */
export function urlunsplit(p: SplitUrl): string {
  let url = p.path;
  if (p.netloc || (p.scheme && USES_NETLOC.has(p.scheme) && !url.startsWith("//"))) {
    if (url && !url.startsWith("/")) url = "/" + url;
    url = "//" + p.netloc + url;
  }
  if (p.scheme) url = p.scheme + ":" + url;
  if (p.query) url += "?" + p.query;
  if (p.fragment) url += "#" + p.fragment;
  return url;
}

// #region IDNA 2003 (Python's "idna" codec)

const LABEL_DOTS = /[.\u3002\uff0e\uff61]/;
// Nameprep's table B.1: characters mapped to nothing.
const MAPPED_TO_NOTHING =
  /[\u00ad\u034f\u1806\u180b-\u180d\u200b-\u200d\u2060\ufe00-\ufe0f\ufeff]/g;
// Characters nameprep prohibits (spaces, controls, private use, surrogates, bidi controls...).
const PROHIBITED = /[\p{Zs}\p{Cc}\p{Co}\p{Cs}\u200e\u200f\u202a-\u202e\u206a-\u206f\ufff9-\ufffd]/u;
// deno-lint-ignore no-control-regex -- the ASCII range
const ASCII = /^[\x00-\x7f]*$/;

/** Python's UnicodeError from the idna codec. */
export class IdnaError extends Error {
  override name = "IdnaError";
}

/** Nameprep (RFC 3491), as far as domain names in text need it: map, case-fold, NFKC, check. */
function nameprep(label: string): string {
  let folded = "";
  for (const ch of label.replace(MAPPED_TO_NOTHING, "")) {
    folded += ch === "\u00df" ? "ss" : ch === "\u03c2" ? "\u03c3" : ch.toLowerCase();
  }
  const prepared = folded.normalize("NFKC");
  if (PROHIBITED.test(prepared) && !ASCII.test(prepared)) {
    throw new IdnaError("Invalid character in domain label");
  }
  return prepared;
}

function checkLength(label: string): string {
  if (label.length > 0 && label.length < 64) return label;
  throw new IdnaError("label empty or too long");
}

/** RFC 3490 ToASCII of one label. */
function labelToAscii(label: string): string {
  if (ASCII.test(label)) return checkLength(label);
  const prepared = nameprep(label);
  if (ASCII.test(prepared)) return checkLength(prepared);
  if (prepared.startsWith("xn--")) throw new IdnaError("Label starts with ACE prefix");
  return checkLength("xn--" + punycodeEncode(prepared));
}

/**
 * Python's `domain.encode("idna")`: ASCII names as they are (case kept), other labels through
 * nameprep and punycode. Throws IdnaError (Python's UnicodeError) for an empty or long label.
 *
 * @example
 * ```ts
 * import { idnaEncode } from "./url_parts.ts";
 * idnaEncode("www.bücher.de"); // "www.xn--bcher-kva.de"
 * ```
 */
export function idnaEncode(domain: string): string {
  if (!domain) return domain;
  if (ASCII.test(domain)) {
    const labels = domain.split(".");
    for (let i = 0; i < labels.length - 1; i++) checkLength(labels[i]);
    if (labels[labels.length - 1].length >= 64) throw new IdnaError("label too long");
    return domain;
  }
  const labels = domain.split(LABEL_DOTS);
  const trailingDot = labels.length > 1 && labels[labels.length - 1] === "";
  if (trailingDot) labels.pop();
  return labels.map(labelToAscii).join(".") + (trailingDot ? "." : "");
}

// #endregion
