/**
 * What a live loop needs to know about its items besides rendering them: their keys (as the
 * template computes them, and as map keys), which body an item renders, how its loop variables are
 * bound, and which items can stay where they are when a keyed list is reordered.
 * @module
 */
import { untracked } from "@preact/signals-core";
import type { Context, Scope } from "../../template/context.ts";
import { lookup } from "../../template/expression.ts";
import { isSignal } from "../../template/values.ts";
import type { LiveBlock, LoopSpec } from "./compile.ts";

/**
 * The keys of `values` as the template computes them (before normalisation), untracked: a key read
 * from a signal must not make the loop (or its item) depend on every row.
 */
export function rawKeys(spec: LoopSpec, ctx: Context, scope: Scope, values: unknown[]): unknown[] {
  return untracked(() => {
    const keys: unknown[] = new Array(values.length);
    const path = spec.keyPath;
    for (let i = 0; i < values.length; i++) {
      if (path !== null) {
        // The usual `dj-key="{{ row.id }}"`: plain lookups, no scope, no filters.
        let key = values[i];
        for (let j = 0; j < path.length; j++) key = lookup(key, path[j]);
        keys[i] = key;
      } else {
        ctx.scope = Object.create(scope);
        spec.node.bind(ctx, values[i]);
        keys[i] = spec.key!.resolve(ctx);
      }
    }
    return keys;
  });
}

/** The block an item of `value` renders: its key's output is constant when the key cannot change. */
export function bodyFor(spec: LoopSpec, value: unknown, rawKey: unknown): LiveBlock {
  if (spec.body === spec.signalBody) return spec.body;
  const stable = !isSignal(value) && (typeof rawKey !== "object" || rawKey === null) &&
    typeof rawKey !== "function";
  return stable ? spec.body : spec.signalBody;
}

/** Binds the loop variables for `value` in an item scope (untracked: unpacking may read). */
export function bindLoopVars(spec: LoopSpec, ctx: Context, scope: Scope, value: unknown): void {
  const vars = spec.node.loopVars;
  // One name: what every looping node's bind does, without the context round trip.
  if (vars.length === 1) scope[vars[0]] = value;
  else {
    ctx.scope = scope;
    untracked(() => spec.node.bind(ctx, value));
  }
}

/** A key as a map key: objects by their text. */
export function normalKey(key: unknown): unknown {
  return typeof key === "object" && key !== null ? String(key) : key;
}

/** Indices (into `seq`) of a longest strictly increasing subsequence of the non-negative values. */
export function longestIncreasing(seq: number[]): Set<number> {
  const tails: number[] = []; // index into seq of the smallest tail for each length
  const prev: number[] = new Array(seq.length).fill(-1);
  for (let i = 0; i < seq.length; i++) {
    const v = seq[i];
    if (v < 0) continue;
    let lo = 0, hi = tails.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (seq[tails[mid]] < v) lo = mid + 1;
      else hi = mid;
    }
    if (lo > 0) prev[i] = tails[lo - 1];
    tails[lo] = i;
  }
  const out = new Set<number>();
  for (let i = tails.length ? tails[tails.length - 1] : -1; i >= 0; i = prev[i]) out.add(i);
  return out;
}
