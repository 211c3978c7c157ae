/**
 * Filters that read or write HTML: linebreaks, striptags, HTML-aware truncation, urlize,
 * unordered_list and json_script. Each follows Django 3.2 (checked against real Django).
 * @module
 */
import { escapeHtml, markSafe, SafeString } from "../safe.ts";
import {
  conditionalEscape as escapeValue,
  floatRepr,
  isDict,
  pyStr,
  pyTypeName,
  toIterableList,
} from "../values.ts";
import type { FilterDefinition } from "./registry.ts";
import { pythonError, pythonInt, pythonIntOrNaN, pythonIterable } from "./python.ts";
import { urlize } from "./urlize.ts";

const str = (v: unknown): string => v as string;

/** Django's `conditional_escape`, as text. */
function conditionalEscape(v: unknown): string {
  return escapeValue(v).value;
}

function normalizeNewlines(text: string): string {
  return text.replace(/\r\n|\r/g, "\n");
}

// #region linebreaks

/** Django's `linebreaks`: paragraphs on blank lines, `<br>` on single newlines. */
export function linebreaks(text: string, autoescape: boolean): string {
  const paras = normalizeNewlines(text).split(/\n{2,}/);
  return paras.map((p) => `<p>${(autoescape ? escapeHtml(p) : p).replaceAll("\n", "<br>")}</p>`)
    .join("\n\n");
}

// #endregion
// #region striptags

/**
 * Django's `strip_tags`: removes tags, comments and declarations the way Python's HTMLParser sees
 * them (keeping the text of `<script>`), repeating until stable.
 */
export function stripTags(text: string): string {
  while (text.includes("<") && text.includes(">")) {
    const next = stripOnce(text);
    if (count(next, "<") === count(text, "<")) break;
    text = next;
  }
  return text;
}

function count(text: string, ch: string): number {
  let n = 0;
  for (let i = text.indexOf(ch); i !== -1; i = text.indexOf(ch, i + 1)) n++;
  return n;
}

const TAG_AT =
  /<(?:!--[\s\S]*?--\s*>|![^>]*>|\?[^>]*>|\/[a-zA-Z][^>]*>|[a-zA-Z](?:[^>"']|"[^"]*"|'[^']*')*>)/y;

function stripOnce(text: string): string {
  let out = "";
  let i = 0;
  while (i < text.length) {
    const lt = text.indexOf("<", i);
    if (lt === -1) {
      out += text.slice(i);
      break;
    }
    out += text.slice(i, lt);
    TAG_AT.lastIndex = lt;
    const m = TAG_AT.exec(text);
    if (m) i = lt + m[0].length;
    else if (/^<[a-zA-Z/!?]/.test(text.slice(lt, lt + 2)) && !text.includes(">", lt)) {
      // An unterminated tag at the end: HTMLParser keeps it as data when closing.
      out += text.slice(lt);
      break;
    } else {
      out += "<";
      i = lt + 1;
    }
  }
  return out;
}

// #endregion
// #region HTML-aware truncation

const RE_WORDS = /<[^>]+?>|([^<>\s]+)/gs;
const RE_CHARS = /<[^>]+?>|(.)/gsu;
const RE_TAG = /^<(\/)?(\S+?)(?:(\s*\/)|\s.*?)?>$/s;
const SINGLETS = new Set(["br", "col", "link", "base", "img", "param", "area", "hr", "input"]);

/** Django's `Truncator._truncate_html`: counts chars or words outside tags, closes open tags. */
export function truncateHtml(text: string, length: number, words: boolean): string {
  if (words && length <= 0) return "";
  const ending = words ? " …" : "…";
  const truncateLen = words ? length : length - 1;
  if (!words) text = text.normalize("NFC");
  let endTextPos = 0;
  let current = 0;
  let open: string[] = [];
  const re = new RegExp(words ? RE_WORDS : RE_CHARS);
  re.lastIndex = 0;
  while (current <= length) {
    const m = re.exec(text);
    if (!m) break;
    if (m[1] !== undefined) {
      current++;
      if (current === truncateLen) endTextPos = re.lastIndex;
      continue;
    }
    const tag = RE_TAG.exec(m[0]);
    if (!tag || current >= truncateLen) continue;
    const [, closing, rawName, selfClosing] = tag;
    const name = rawName.toLowerCase();
    if (selfClosing || SINGLETS.has(name)) continue;
    if (closing) {
      // Only the most recently opened tag is closed (Django 3.2.25, linear-time fix).
      if (open[0] === name) open = open.slice(1);
    } else open.unshift(name);
  }
  if (current <= length) return text;
  let out = text.slice(0, endTextPos) + ending;
  for (const tag of open) out += `</${tag}>`;
  return out;
}

// #endregion
// #region unordered_list

function unorderedList(items: unknown[], autoescape: boolean, tabs = 1): string {
  const indent = "\t".repeat(tabs);
  const out: string[] = [];
  const escaper = autoescape
    ? conditionalEscape
    : (v: unknown) => (v instanceof SafeString ? v.value : pyStr(v));
  for (let i = 0; i < items.length; i++) {
    const item = items[i];
    const next = items[i + 1];
    let sub = "";
    if (Array.isArray(next)) {
      if (next.length) {
        sub = `\n${indent}<ul>\n${
          unorderedList(next, autoescape, tabs + 1)
        }\n${indent}</ul>\n${indent}`;
      }
      i++;
    }
    out.push(`${indent}<li>${escaper(item)}${sub}</li>`);
  }
  return out.join("\n");
}

// #endregion
// #region json_script

/** Python's `json.dumps` (ensure_ascii, ", " and ": " separators) for the JS value mapping. */
export function pyJson(value: unknown): string {
  if (value === null || value === undefined) return "null";
  if (value === true) return "true";
  if (value === false) return "false";
  if (typeof value === "number") {
    if (Number.isNaN(value)) return "NaN";
    if (!Number.isFinite(value)) return value > 0 ? "Infinity" : "-Infinity";
    return Number.isInteger(value) ? pyStr(value) : floatRepr(value);
  }
  if (typeof value === "string" || value instanceof SafeString) return jsonString(String(value));
  if (Array.isArray(value)) return "[" + value.map(pyJson).join(", ") + "]";
  if (value instanceof Temporal.PlainDate || value instanceof Temporal.PlainDateTime) {
    return jsonString(
      value.toString({ smallestUnit: "millisecond" } as never).replace(/\.000$/, ""),
    );
  }
  if (value instanceof Date) return jsonString(value.toISOString().replace(/\.000Z$/, "Z"));
  if (isDict(value)) {
    const entries = value instanceof Map ? [...value] : Object.entries(value);
    return "{" + entries.map(([k, v]) => `${jsonString(String(k))}: ${pyJson(v)}`).join(", ") + "}";
  }
  const list = toIterableList(value);
  if (list) return pyJson(list);
  throw pythonError("TypeError", `Object of type ${pyTypeName(value)} is not JSON serializable`);
}

function jsonString(text: string): string {
  let out = '"';
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    const ch = text[i];
    if (ch === '"') out += '\\"';
    else if (ch === "\\") out += "\\\\";
    else if (ch === "\n") out += "\\n";
    else if (ch === "\r") out += "\\r";
    else if (ch === "\t") out += "\\t";
    else if (ch === "\b") out += "\\b";
    else if (ch === "\f") out += "\\f";
    else if (c < 0x20 || c > 0x7e) out += "\\u" + c.toString(16).padStart(4, "0");
    else out += ch;
  }
  return out + '"';
}

// #endregion
// #region Filters

/** The HTML filters. */
export const markupFilters: Record<string, FilterDefinition> = {
  linebreaks: {
    isSafe: true,
    needsAutoescape: true,
    stringFilter: true,
    fn: (v, _a, env) => markSafe(linebreaks(str(v), env.autoescape && !env.inputSafe)),
  },
  linebreaksbr: {
    isSafe: true,
    needsAutoescape: true,
    stringFilter: true,
    fn: (v, _a, env) => {
      const text = normalizeNewlines(str(v));
      return markSafe(
        (env.autoescape && !env.inputSafe ? escapeHtml(text) : text).replaceAll("\n", "<br>"),
      );
    },
  },
  striptags: { isSafe: true, stringFilter: true, fn: (v) => stripTags(str(v)) },
  truncatechars_html: {
    isSafe: true,
    stringFilter: true,
    arg: "required",
    fn: (v, a) => {
      const n = pythonIntOrNaN(a);
      return Number.isNaN(n) ? str(v) : truncateHtml(str(v), n, false);
    },
  },
  truncatewords_html: {
    isSafe: true,
    stringFilter: true,
    arg: "required",
    fn: (v, a) => {
      const n = pythonIntOrNaN(a);
      return Number.isNaN(n) ? str(v) : truncateHtml(str(v), n, true);
    },
  },
  urlize: {
    isSafe: true,
    needsAutoescape: true,
    stringFilter: true,
    fn: (v, _a, env) => markSafe(urlize(str(v), env.inputSafe, env.autoescape, null)),
  },
  urlizetrunc: {
    isSafe: true,
    needsAutoescape: true,
    stringFilter: true,
    arg: "required",
    fn: (v, a, env) => markSafe(urlize(str(v), env.inputSafe, env.autoescape, pythonInt(a))),
  },
  unordered_list: {
    isSafe: true,
    needsAutoescape: true,
    fn: (v, _a, env) => markSafe(unorderedList(pythonIterable(v), env.autoescape)),
  },
  json_script: {
    isSafe: true,
    arg: "required",
    fn: (v, a) => {
      const json = pyJson(v).replaceAll("<", "\\u003C").replaceAll(">", "\\u003E").replaceAll(
        "&",
        "\\u0026",
      );
      return markSafe(
        `<script id="${conditionalEscape(a)}" type="application/json">${json}</script>`,
      );
    },
  },
};

// #endregion
