/**
 * A view's state as the template and the wire see it: public fields (names not starting with `_`)
 * become signals; `getContextData` keys become computeds; private fields are never touched.
 * @module
 */
import { computed, type Signal, signal, untracked } from "@preact/signals-core";
import { isSignal } from "../template/values.ts";
import { streamsOf } from "./streams.ts";
import { DeferredSignal, type Readable } from "./deferred_signal.ts";

/** A view or a component: public fields are its state, `getContextData` adds derived values. */
export interface StateOwner {
  getContextData(): Record<string, unknown>;
}

/** Names of the public state fields of a view (own, enumerable, not `_`-prefixed, not functions). */
export function publicFieldNames(view: object): string[] {
  const names: string[] = [];
  for (const key of Object.keys(view)) {
    if (key.startsWith("_")) continue;
    const value = (view as unknown as Record<string, unknown>)[key];
    if (typeof value === "function") continue;
    names.push(key);
  }
  return names;
}

/**
 * Makes public plain fields reactive (each becomes an accessor over a signal) and returns the
 * template scope: one signal per public field, plus one computed per `getContextData` key.
 */
export function prepareState(view: StateOwner): Record<string, unknown> {
  const scope: Record<string, unknown> = {};
  const record = view as unknown as Record<string, unknown>;
  for (const name of publicFieldNames(view)) {
    const value = record[name];
    if (isSignal(value)) {
      scope[name] = value;
      continue;
    }
    const backing: Signal<unknown> = signal(value);
    Object.defineProperty(view, name, {
      get: () => backing.value,
      set: (v) => {
        backing.value = v;
      },
      enumerable: true,
      configurable: true,
    });
    scope[name] = backing;
  }
  // getContextData runs inside one computed; each key gets its own computed so a key whose value
  // keeps its identity does not wake the regions that read it.
  // The view's streams, unless it has a field of that name (made when a template reads them).
  if (!("streams" in scope)) scope.streams = new DeferredSignal(view, streamsScope);
  const data = computed(() => view.getContextData());
  const keys = Object.keys(untracked(() => data.value));
  for (const key of keys) scope[key] = computed(() => data.value[key]);
  return scope;
}

/** The `streams` of a view's templates. */
function streamsScope(owner: object): Readable<unknown> {
  return streamsOf(owner).scope;
}

/** Reads the public state as plain values (signals unwrapped), for serialization and tests. */
export function readPublicState(view: object): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const record = view as unknown as Record<string, unknown>;
  for (const name of publicFieldNames(view)) {
    const value = record[name];
    out[name] = isSignal(value) ? value.peek() : value;
  }
  return out;
}
