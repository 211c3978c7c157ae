/**
 * Slows down password guessing: after `maxFailures` wrong passwords for one email within
 * `windowMs`, further attempts for it are refused until the oldest failure ages out. Kept in
 * memory, per process (behind a load balancer each process counts its own; a shared limit would
 * live in Redis).
 */

/** Failed sign-ins per email. */
export class LoginThrottle {
  readonly #failures = new Map<string, number[]>();
  readonly #maxFailures: number;
  readonly #windowMs: number;
  readonly #now: () => number;

  /** Defaults: 5 failures per 15 minutes. */
  constructor(
    options: { maxFailures?: number; windowMs?: number; now?: () => number } = {},
  ) {
    this.#maxFailures = options.maxFailures ?? 5;
    this.#windowMs = options.windowMs ?? 15 * 60_000;
    this.#now = options.now ?? Date.now;
  }

  /** True when `email` may try now. */
  allows(email: string): boolean {
    return this.#recent(email).length < this.#maxFailures;
  }

  /** Counts a wrong password for `email`. */
  failed(email: string): void {
    const key = email.toLowerCase();
    this.#failures.set(key, [...this.#recent(key), this.#now()]);
    // Bounded: a flood of made-up emails cannot grow the map without limit.
    if (this.#failures.size > 10_000) this.#failures.delete(this.#failures.keys().next().value!);
  }

  /** Forgets the failures of `email` (it signed in). */
  succeeded(email: string): void {
    this.#failures.delete(email.toLowerCase());
  }

  #recent(email: string): number[] {
    const since = this.#now() - this.#windowMs;
    return (this.#failures.get(email.toLowerCase()) ?? []).filter((t) => t > since);
  }
}
