/**
 * Parses the attribute section of a start tag (` class="a" disabled`) into name → value, decoding
 * character references, so attribute changes travel as JSON strings rather than HTML.
 * @module
 */

const ATTR_RE = /([^\s"'>\/=]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+)))?/g;
const NAMED: Record<string, string> = {
  amp: "&",
  lt: "<",
  gt: ">",
  quot: '"',
  apos: "'",
  nbsp: "\u00a0",
  copy: "\u00a9",
  reg: "\u00ae",
  hellip: "\u2026",
  mdash: "\u2014",
  ndash: "\u2013",
};
const REF_RE = /&(?:#(\d+)|#[xX]([0-9a-fA-F]+)|([a-zA-Z]+));/g;

/** Decodes `&amp;`, `&#39;`, `&#x27;` and common named references. Unknown names stay as written. */
export function decodeEntities(text: string): string {
  if (!text.includes("&")) return text;
  return text.replace(REF_RE, (whole, dec, hex, name) => {
    if (dec) return String.fromCodePoint(Number(dec));
    if (hex) return String.fromCodePoint(Number.parseInt(hex, 16));
    return NAMED[name] ?? whole;
  });
}

/** Parses an attribute section. Later duplicates are ignored, as browsers do. */
export function parseAttributes(section: string): Map<string, string> {
  const out = new Map<string, string>();
  ATTR_RE.lastIndex = 0;
  for (let m = ATTR_RE.exec(section); m !== null; m = ATTR_RE.exec(section)) {
    const name = m[1].toLowerCase();
    if (out.has(name)) continue;
    out.set(name, decodeEntities(m[2] ?? m[3] ?? m[4] ?? ""));
  }
  return out;
}

/** The changes that turn attributes `before` into `after`; null when there are none. */
export function diffAttributes(
  before: Map<string, string>,
  after: Map<string, string>,
): { set?: Record<string, string>; remove?: string[] } | null {
  let set: Record<string, string> | undefined;
  let remove: string[] | undefined;
  for (const [name, value] of after) {
    if (before.get(name) !== value) (set ??= {})[name] = value;
  }
  for (const name of before.keys()) if (!after.has(name)) (remove ??= []).push(name);
  if (!set && !remove) return null;
  return { ...(set ? { set } : {}), ...(remove ? { remove } : {}) };
}
