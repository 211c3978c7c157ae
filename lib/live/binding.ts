/**
 * `dj-model`: the browser writes one field of a view or component. Only fields the class lists in
 * `static bindable` can be written, converted to the type the field holds now.
 * @module
 */
import { batch } from "@preact/signals-core";
import { isSignal } from "../template/values.ts";
import type { EventParams } from "./handlers.ts";
import type { DispatchResult } from "./mounted.ts";
import { publicFieldNames } from "./state.ts";

/**
 * Writes `params.value` into the field `params.field` of `owner` when `bindable` lists it and it
 * is public state; refuses anything else with `client.not_bindable`, changing nothing.
 */
export function bindField(
  owner: object,
  bindable: readonly string[],
  params: EventParams,
): DispatchResult {
  const field = params.field;
  if (
    typeof field !== "string" || !bindable.includes(field) ||
    !publicFieldNames(owner).includes(field)
  ) {
    return {
      ok: false,
      code: "client.not_bindable",
      reason: `dj-model names no bindable field: ${
        JSON.stringify(field)
      } (list it in static bindable)`,
    };
  }
  const record = owner as Record<string, unknown>;
  const current = record[field];
  const target = isSignal(current) ? current : null;
  const value = coerceLike(target ? target.peek() : current, params.value);
  batch(() => {
    if (target) (target as { value: unknown }).value = value;
    else record[field] = value;
  });
  return { ok: true };
}

/** Converts a value from the browser to the type of the field it replaces. */
function coerceLike(current: unknown, value: unknown): unknown {
  if (typeof current === "number") {
    const n = Number(value);
    return value === "" || Number.isNaN(n) ? current : n;
  }
  if (typeof current === "boolean") return value === true || value === "true" || value === "on";
  if (Array.isArray(current)) return Array.isArray(value) ? value : value === null ? [] : [value];
  return value === null || value === undefined ? "" : String(value);
}
