/**
 * View state as signals: the `@preact/signals-core` primitives under djust's own names and docs.
 * They are the library's functions (no wrapper cost beyond a call); the types describe what views
 * use of them, so the public API does not depend on the library's declaration files.
 * @module
 */
import {
  batch as preactBatch,
  computed as preactComputed,
  effect as preactEffect,
  signal as preactSignal,
} from "@preact/signals-core";

/** A value that can be read (tracked by regions that read it) but not written. */
export interface ReadonlySignal<T = unknown> {
  /** The current value; reading it inside a render records the dependency. */
  readonly value: T;
  /** The current value, without recording a dependency. */
  peek(): T;
  /** Calls `fn` with the value now and after every change; returns the unsubscribe function. */
  subscribe(fn: (value: T) => void): () => void;
}

/** A writable signal: setting `value` marks every region that read it for the next flush. */
export interface Signal<T = unknown> extends ReadonlySignal<T> {
  /** The current value; assigning it notifies readers. */
  value: T;
}

/**
 * A writable signal holding `value`: public view state.
 *
 * @example
 * ```ts
 * import { signal } from "@djust/djust";
 * const count = signal(0);
 * count.value++;
 * count.peek(); // 1
 * ```
 */
export function signal<T>(value: T): Signal<T> {
  return preactSignal(value);
}

/**
 * A signal derived from others, recomputed lazily when one of them changes.
 *
 * @example
 * ```ts
 * import { computed, signal } from "@djust/djust";
 * const price = signal(3);
 * const total = computed(() => price.value * 2);
 * total.value; // 6
 * ```
 */
export function computed<T>(fn: () => T): ReadonlySignal<T> {
  return preactComputed(fn);
}

/**
 * Runs `fn` now and again whenever a signal it read changes; returns the function that stops it.
 * Views rarely need it: regions already re-render what changed.
 *
 * @example
 * ```ts
 * import { effect, signal } from "@djust/djust";
 * const name = signal("ann");
 * const stop = effect(() => console.log(name.value));
 * stop();
 * ```
 */
export function effect(fn: () => void | (() => void)): () => void {
  return preactEffect(fn);
}

/**
 * Runs `fn` with its signal writes batched: readers are notified once, at the end. Event handlers
 * already run batched.
 *
 * @example
 * ```ts
 * import { batch, signal } from "@djust/djust";
 * const a = signal(1), b = signal(2);
 * batch(() => {
 *   a.value = 10;
 *   b.value = 20;
 * });
 * ```
 */
export function batch<T>(fn: () => T): T {
  return preactBatch(fn);
}
