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

/** Messages per second a connection may send, by kind (bursts of as many). */
export type MessageRates = Readonly<Record<string, number>>;

/** The default rates: events as typed and clicked; the rest is rare in a well-behaved client. */
export const DEFAULT_MESSAGE_RATES: MessageRates = {
  event: 60,
  navigate: 20,
  join: 4,
  resync: 2,
  ping: 2,
  upload: 10,
  upload_start: 10,
  upload_progress: 60,
};

/**
 * One token bucket per message kind for one connection (made with the kind's first message).
 *
 * @example
 * ```ts
 * import { MessageLimits } from "./rate_limit.ts";
 * const limits = new MessageLimits({ event: 2 });
 * limits.allow("event"); // true
 * limits.allow("event"); // true
 * limits.allow("event"); // false
 * ```
 */
export class MessageLimits {
  #rates: MessageRates;
  #clock: Clock;
  /**
   * `[kind, bucket, kind, bucket, …]` for the kinds sent so far: a connection sends a few kinds,
   * and a Map costs it ~150 bytes more.
   */
  #buckets: readonly (string | TokenBucket)[] = [];
  /**
   * Kinds whose refusal the client was told about since their last allowed message (made with the
   * first refusal: most connections are never refused anything).
   */
  #noticed: Set<string> | null = null;
  /** Messages refused so far. */
  refused = 0;

  constructor(rates: MessageRates, clock: Clock = monotonic) {
    this.#rates = rates;
    this.#clock = clock;
  }

  /** Takes a token of `kind`; false when the connection sends that kind too fast. */
  allow(kind: string): boolean {
    if (this.#bucket(kind).take()) {
      this.#noticed?.delete(kind);
      return true;
    }
    this.refused++;
    return false;
  }

  /** The bucket of `kind` (made full the first time). */
  #bucket(kind: string): TokenBucket {
    const buckets = this.#buckets;
    for (let i = 0; i < buckets.length; i += 2) {
      if (buckets[i] === kind) return buckets[i + 1] as TokenBucket;
    }
    const rate = this.#rates[kind] ?? 1;
    const bucket = new TokenBucket(rate, rate, this.#clock);
    // Grown by a copy of the exact length (concat): an array grown by push or made by a spread
    // keeps room for 17 elements.
    this.#buckets = buckets.concat(kind, bucket);
    return bucket;
  }

  /**
   * True the first time it is asked about `kind` since a message of that kind was last allowed:
   * a client hears about a limit once per run of refusals, not once per message.
   */
  notice(kind: string): boolean {
    const noticed = this.#noticed ??= new Set();
    if (noticed.has(kind)) return false;
    noticed.add(kind);
    return true;
  }
}
