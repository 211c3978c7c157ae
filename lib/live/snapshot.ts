/**
 * A view's public state as JSON, and back: what survives a restart, a deploy or a reconnect past
 * the grace period. Public fields are saved (signals unwrapped); private `_` fields never are.
 *
 * Values: JSON values, arrays and plain objects of them, `Temporal` values, `Date`s and `LiveForm`s
 * (values, touched fields, submitted). Non-JSON values are tagged as `{ "$t": type, "v": … }`.
 * A field holding anything else (a class instance, a Map, a function) makes the view unsaveable: a
 * snapshot is whole or nothing, never half a state.
 * @module
 */
import { type FormState, LiveForm } from "./form.ts";
import { AsyncResult } from "./async_work.ts";
import { isSignal } from "../template/values.ts";
import { publicFieldNames } from "./state.ts";

/** The saved fields of a view: field name → tagged JSON value. */
export type Snapshot = Record<string, unknown>;

/**
 * The key under which a view's snapshot keeps its live components' states (component type and id
 * → snapshot). A view with a public field of that name cannot be saved.
 */
export const COMPONENTS_KEY = "$components";

const TEMPORAL_TYPES = [
  "PlainDate",
  "PlainDateTime",
  "PlainTime",
  "PlainYearMonth",
  "PlainMonthDay",
  "ZonedDateTime",
  "Instant",
  "Duration",
] as const;

type TemporalName = typeof TEMPORAL_TYPES[number];

/** A saved LiveForm state, decoded (applied with `restoreState`). */
class SavedForm {
  constructor(readonly state: FormState) {}
}

/** Why a value cannot be saved. */
export class Unsaveable extends Error {
  override name = "Unsaveable";
}

/**
 * The public state of `view` (a view or a live component) as a snapshot; throws
 * {@link Unsaveable} for values it cannot hold.
 */
export function captureSnapshot(view: object): Snapshot {
  const out: Snapshot = {};
  const record = view as unknown as Record<string, unknown>;
  for (const name of publicFieldNames(view)) {
    if (name === COMPONENTS_KEY) throw new Unsaveable(`${name} is a reserved name`);
    if (name === "pageTitle") continue; // a view's title follows its state; nothing to keep
    const raw = record[name];
    const value = isSignal(raw) ? raw.peek() : raw;
    // Async results are not state: the view loads them again after a restore (in mount).
    if (value instanceof AsyncResult) continue;
    out[name] = encode(value, name, 0);
  }
  return out;
}

function encode(value: unknown, path: string, depth: number): unknown {
  if (depth > 64) throw new Unsaveable(`${path} is nested too deeply`);
  if (value === null || typeof value === "string" || typeof value === "boolean") return value;
  if (typeof value === "number") {
    if (Number.isFinite(value)) return value;
    return { $t: "Number", v: String(value) };
  }
  if (value === undefined) return { $t: "undefined" };
  if (typeof value !== "object") throw new Unsaveable(`${path} is a ${typeof value}`);
  if (Array.isArray(value)) return value.map((v, i) => encode(v, `${path}[${i}]`, depth + 1));
  if (value instanceof LiveForm) return { $t: "LiveForm", v: value.snapshot() };
  if (value instanceof Date) return { $t: "Date", v: value.toISOString() };
  const temporal = temporalName(value);
  if (temporal) return { $t: temporal, v: String(value) };
  const proto = Object.getPrototypeOf(value);
  if (proto !== Object.prototype && proto !== null) {
    throw new Unsaveable(`${path} is a ${proto?.constructor?.name ?? "class instance"}`);
  }
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    // A plain object's own "$t" key would read as a tag: keep such objects apart.
    const key = k === "$t" ? "$$t" : k.startsWith("$$") ? "$" + k : k;
    out[key] = encode(v, `${path}.${k}`, depth + 1);
  }
  return out;
}

function temporalName(value: object): TemporalName | null {
  const T = (globalThis as unknown as { Temporal?: Record<string, unknown> }).Temporal;
  if (!T) return null;
  for (const name of TEMPORAL_TYPES) {
    const cls = T[name] as (abstract new (...args: never[]) => unknown) | undefined;
    if (cls && value instanceof cls) return name;
  }
  return null;
}

function decode(value: unknown): unknown {
  if (value === null || typeof value !== "object") return value;
  if (Array.isArray(value)) return value.map(decode);
  const record = value as Record<string, unknown>;
  if (typeof record.$t === "string") {
    const tag = record.$t;
    if (tag === "undefined") return undefined;
    if (tag === "Number") return Number(record.v);
    if (tag === "Date") return new Date(String(record.v));
    if (tag === "LiveForm") return new SavedForm(record.v as FormState);
    const T = (globalThis as unknown as {
      Temporal?: Record<string, { from(v: string): unknown }>;
    }).Temporal;
    if ((TEMPORAL_TYPES as readonly string[]).includes(tag) && T?.[tag]) {
      return T[tag].from(String(record.v));
    }
    throw new Unsaveable(`unknown tag ${tag}`);
  }
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(record)) {
    const key = k === "$$t" ? "$t" : k.startsWith("$$$") ? k.slice(1) : k;
    out[key] = decode(v);
  }
  return out;
}

/** The kind of value a field holds, to tell whether a saved value still fits it. */
function kindOf(value: unknown): string {
  if (value === null || value === undefined) return "empty";
  if (Array.isArray(value)) return "array";
  if (value instanceof LiveForm) return "form";
  if (typeof value === "object") {
    const proto = Object.getPrototypeOf(value);
    if (proto === Object.prototype || proto === null) return "object";
    return proto.constructor?.name ?? "object";
  }
  return typeof value;
}

/**
 * The fields of `snapshot` decoded and checked against `view`'s public fields, or why they no
 * longer fit (a deploy renamed or retyped a field).
 */
export function readSnapshot(
  view: object,
  snapshot: Snapshot,
): { fields: Record<string, unknown> } | { mismatch: string } {
  const decoded = decodeSnapshot(snapshot);
  if ("mismatch" in decoded) return decoded;
  const mismatch = checkFields(view, decoded.fields);
  return mismatch ? { mismatch } : decoded;
}

/** The fields of `snapshot` decoded (Temporal values, dates, forms), unchecked. */
export function decodeSnapshot(
  snapshot: Snapshot,
): { fields: Record<string, unknown> } | { mismatch: string } {
  const fields: Record<string, unknown> = {};
  for (const [name, encoded] of Object.entries(snapshot)) {
    try {
      fields[name] = decode(encoded);
    } catch (err) {
      return { mismatch: `${name}: ${(err as Error).message}` };
    }
  }
  return { fields };
}

/**
 * Why decoded `fields` do not fit `view` (a field it does not have, or a value of another kind
 * than the field holds after `mount`), or null when they fit.
 */
export function checkFields(view: object, fields: Record<string, unknown>): string | null {
  const names = new Set(publicFieldNames(view));
  const record = view as unknown as Record<string, unknown>;
  for (const [name, value] of Object.entries(fields)) {
    if (!names.has(name)) return `the view has no public field ${name} any more`;
    const raw = record[name];
    const current = isSignal(raw) ? raw.peek() : raw;
    const was = value instanceof SavedForm ? "form" : kindOf(value);
    const now = kindOf(current);
    if (was !== now && was !== "empty" && now !== "empty") {
      return `${name} held a ${was} and now holds a ${now}`;
    }
  }
  return null;
}

/** Sets `view`'s public fields from decoded snapshot `fields` (checked by {@link readSnapshot}). */
export function applySnapshot(view: object, fields: Record<string, unknown>): void {
  const record = view as unknown as Record<string, unknown>;
  for (const [name, value] of Object.entries(fields)) {
    const raw = record[name];
    if (value instanceof SavedForm) {
      const form = (isSignal(raw) ? raw.peek() : raw) as LiveForm;
      form.restoreState(value.state);
    } else if (isSignal(raw)) (raw as { value: unknown }).value = value;
    else record[name] = value;
  }
}
