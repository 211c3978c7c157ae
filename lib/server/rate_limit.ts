/**
 * Token buckets: a connection may send `rate` messages of a kind per second, in bursts of up to
 * `burst`. The clock is injectable so tests need not wait for refills.
 * @module
 */

/** A monotonic clock in milliseconds. */
export type Clock = () => number;

/** The default clock. */
export const monotonic: Clock = () => performance.now();

/**
 * A token bucket.
 *
 * @example
 * ```ts
 * import { TokenBucket } from "./rate_limit.ts";
 * let now = 0;
 * const bucket = new TokenBucket(2, 2, () => now);
 * bucket.take(); // true
 * bucket.take(); // true
 * bucket.take(); // false: empty
 * now += 500;
 * bucket.take(); // true: one token back after half a second
 * ```
 */
export class TokenBucket {
  #rate: number;
  #burst: number;
  #clock: Clock;
  #tokens: number;
  #refilled: number;

  /** `rate` tokens per second, at most `burst` saved up; starts full. */
  constructor(rate: number, burst: number = rate, clock: Clock = monotonic) {
    this.#rate = rate;
    this.#burst = burst;
    this.#clock = clock;
    this.#tokens = burst;
    this.#refilled = clock();
  }

  /** Takes one token; false when none is left. */
  take(): boolean {
    const now = this.#clock();
    this.#tokens = Math.min(
      this.#burst,
      this.#tokens + ((now - this.#refilled) / 1000) * this.#rate,
    );
    this.#refilled = now;
    if (this.#tokens < 1) return false;
    this.#tokens -= 1;
    return true;
  }
}
