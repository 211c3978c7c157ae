/**
 * Parses the attribute section of a start tag (` class="a" disabled`) into name → value, decoding
 * character references, so attribute changes travel as JSON strings rather than HTML.
 * @module
 */

import { decodeEntities } from "../../template/filters/entities.ts";

export { decodeEntities };

const ATTR_RE = /([^\s"'>\/=]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+)))?/g;
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
