/**
 * Dependency tracking for regions, on top of @preact/signals-core.
 *
 * A region must learn which signals it read while rendering, and be told when one changes, without
 * re-rendering at that moment (we render at flush time, parents before children, once per flush).
 * signals-core's public `effect()` always re-runs its function when notified, which would render
 * eagerly and in no useful order. Its Preact adapter solves the same problem with internals of the
 * Effect class; so do we, by subclassing it: `_start()` (begin tracking; returns the function that
 * ends it), `_callback` (what runs when a dependency changed, overridden here) and `_sources` (the
 * dependency list, to tell whether anything was read). The published build mangles them to `S`,
 * `c` and `s`.
 *
 * A tracker is one object (~80 B) plus one link per signal it read (~90 B): no closures, no
 * `effect()` wrapper (which costs ~350 B). The version is pinned exactly in deno.json, and
 * tests/live/tracker_test.ts fails if the internals stop behaving as used here. This is the only
 * module that touches them.
 * @module
 */
import { Effect } from "@preact/signals-core";

/** Who hears about a tracker's changes. */
export interface ChangeListener {
  /** A signal read during the last `track` changed (called once per batch). */
  changed(): void;
}

/** The mangled internals of signals-core's Effect (1.14.5) that this module relies on. */
interface EffectInternals {
  /** `_start`: begins tracking; returns the function that ends it. */
  S(): () => void;
  /** `_sources`: the first dependency link, undefined when the last run read no signal. */
  s: unknown;
}

/**
 * Tracks the signals read during `track`, and tells its listener (once per batch) when any of them
 * changes. Each `track` replaces the previous set of dependencies.
 *
 * @example
 * ```ts
 * import { signal } from "@preact/signals-core";
 * import { DependencyTracker } from "./tracker.ts";
 * const s = signal(1);
 * const t = new DependencyTracker({ changed: () => console.log("changed") });
 * t.track(() => s.value);
 * s.value = 2; // logs "changed"
 * t.dispose();
 * ```
 */
export class DependencyTracker extends Effect {
  /** Who is told about changes; a spare tracker has none until it is handed to a region. */
  listener: ChangeListener | null;

  /** A tracker reporting to `listener`. */
  constructor(listener: ChangeListener | null = null) {
    // No effect function: the tracker never runs anything on its own.
    super(undefined as never);
    this.listener = listener;
  }

  /** signals-core's `_callback` (mangled `c`): a dependency changed. */
  c(): void {
    this.listener?.changed();
  }

  /** Runs `fn`, recording the signals it reads as this tracker's dependencies. */
  track<T>(fn: () => T): T {
    const finish = this.start();
    try {
      return fn();
    } finally {
      finish();
    }
  }

  /**
   * Starts recording (what `track` does around its function); call the returned function to stop.
   * Recordings nest: stop them in reverse order.
   */
  start(): () => void {
    return (this as unknown as EffectInternals).S();
  }

  /** True when the last `track` read at least one signal (so a change can reach the listener). */
  get tracking(): boolean {
    return (this as unknown as EffectInternals).s !== undefined;
  }
}
