/**
 * A template variable whose signal is made when a template first reads it. Every view's templates
 * can read `streams` and `uploads`, and most views have neither: their registries (a signal, maps,
 * an entry in a WeakMap: ~0.5 KB a view) wait for a read or a `stream()`/`allowUpload()` call.
 * @module
 */

/** What templates read from a signal (see `isSignal` in lib/template/values.ts). */
export interface Readable<T> {
  readonly value: T;
  peek(): T;
}

/**
 * Reads as the signal `of(owner)` returns (made on first read): the template engine takes it for a
 * signal (it carries the brand of @preact/signals-core), and a read inside an effect tracks the
 * real signal. `of` must return the same signal for the same owner every time.
 *
 * @example
 * ```ts
 * import { signal } from "@preact/signals-core";
 * import { DeferredSignal } from "./deferred_signal.ts";
 * const made = new WeakMap<object, ReturnType<typeof signal<number>>>();
 * const of = (owner: object) => made.get(owner) ?? made.set(owner, signal(1)).get(owner)!;
 * const owner = {};
 * const lazy = new DeferredSignal(owner, of); // nothing made yet
 * lazy.value; // 1: made now
 * ```
 */
export class DeferredSignal<T> implements Readable<T> {
  readonly #owner: object;
  readonly #of: (owner: object) => Readable<T>;

  constructor(owner: object, of: (owner: object) => Readable<T>) {
    this.#owner = owner;
    this.#of = of;
  }

  /** The signal's value (tracked, as a signal's is). */
  get value(): T {
    return this.#of(this.#owner).value;
  }

  /** The signal's value, untracked. */
  peek(): T {
    return this.#of(this.#owner).peek();
  }
}

// On the prototype, so instances stay two fields: `isSignal` checks `brand`.
Object.defineProperty(DeferredSignal.prototype, "brand", { value: Symbol.for("preact-signals") });
