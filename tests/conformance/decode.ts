/** Decodes the oracle's tagged JSON values into the JS values djust maps them to. */
import { markSafe } from "../../lib/template/safe.ts";

/** One conformance case, in the oracle's format. */
export interface ConformanceCase {
  id: string;
  template: string;
  context?: Record<string, unknown>;
  templates?: Record<string, string>;
  autoescape?: boolean;
  /** i18n cases: the language to render in (default: the engine's, "en-us"). */
  language?: string;
  output?: string;
  error?: string;
}

/** `$date` → PlainDateTime, `$day` → PlainDate, `$safe` → SafeString, `$float` → number. */
export function decodeValue(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(decodeValue);
  if (value !== null && typeof value === "object") {
    const entries = Object.entries(value);
    if (entries.length === 1) {
      const [tag, inner] = entries[0];
      if (tag === "$date") return Temporal.PlainDateTime.from(inner as string);
      if (tag === "$day") return Temporal.PlainDate.from(inner as string);
      if (tag === "$safe") return markSafe(inner);
      if (tag === "$float") return Number(inner);
    }
    return Object.fromEntries(entries.map(([k, v]) => [k, decodeValue(v)]));
  }
  return value;
}

/** Reads a JSON-lines file of cases. */
export function readCases(url: URL): ConformanceCase[] {
  return Deno.readTextFileSync(url).split("\n").filter((l) => l.trim()).map((l) => JSON.parse(l));
}
