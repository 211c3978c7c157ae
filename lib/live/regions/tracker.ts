/**
 * Dependency tracking for regions, on top of @preact/signals-core.
 *
 * A region must learn which signals it read while rendering, and be told when one changes, without
 * re-rendering at that moment (we render at flush time, parents before children, once per flush).
 * signals-core's public `effect()` always re-runs its function when notified, which would render
 * eagerly and in no useful order. Its Preact adapter solves the same problem with two internals of
 * the Effect class: `_start()` (begin tracking; returns the function that ends it) and `_callback`
 * (what runs when a dependency changed). The published build mangles them to `S` and `c`.
 *
 * This is the only module that touches those internals. The version is pinned exactly in deno.json,
 * and tests/live/tracker_test.ts fails if the internals stop behaving as used here.
 * @module
 */
import { effect } from "@preact/signals-core";

/** The mangled internals of signals-core's Effect (1.14.5) that this module relies on. */
interface EffectInternals {
  /** `_start`: begins tracking; returns the function that ends it. */
  S(): () => void;
  /** `_callback`: called (at the end of the outermost batch) when a tracked signal changed. */
  c: () => void;
}

/**
 * Tracks the signals read between `track` calls, and calls `onChange` (once per batch) when any of
 * them changes. Each `track` replaces the previous set of dependencies.
 *
 * @example
 * ```ts
 * import { signal } from "@preact/signals-core";
 * import { DependencyTracker } from "./tracker.ts";
 * const s = signal(1);
 * const t = new DependencyTracker(() => console.log("changed"));
 * t.track(() => s.value);
 * s.value = 2; // logs "changed"
 * t.dispose();
 * ```
 */
export class DependencyTracker {
  #effect: EffectInternals;
  #dispose: () => void;

  /** Creates a tracker that calls `onChange` when a dependency of the last `track` changes. */
  constructor(onChange: () => void) {
    let captured: EffectInternals | undefined;
    this.#dispose = effect(function (this: unknown) {
      captured = this as EffectInternals;
    });
    if (!captured || typeof captured.S !== "function") {
      throw new Error(
        "@preact/signals-core internals changed (Effect._start); pin the version deno.json expects",
      );
    }
    captured.c = onChange;
    this.#effect = captured;
  }

  /** Runs `fn`, recording the signals it reads as this tracker's dependencies. */
  track<T>(fn: () => T): T {
    const finish = this.#effect.S();
    try {
      return fn();
    } finally {
      finish();
    }
  }

  /** Stops tracking for good. */
  dispose(): void {
    this.#dispose();
  }
}
