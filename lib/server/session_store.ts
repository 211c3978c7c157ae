/**
 * Server-side session data, keyed by the `djust_sid` cookie.
 * @module
 */

/**
 * Session data kept in memory (one process). Oldest sessions are dropped past `limit`.
 *
 * @example
 * ```ts
 * import { MemorySessionStore } from "@djust/djust";
 * const store = new MemorySessionStore();
 * store.get("sid").user = "ann";
 * store.get("sid").user; // "ann"
 * ```
 */
export class MemorySessionStore {
  #data = new Map<string, Record<string, unknown>>();
  #limit: number;

  /** Keeps at most `limit` sessions. */
  constructor(limit = 100_000) {
    this.#limit = limit;
  }

  /** The data of session `sid` (created empty on first use). */
  get(sid: string): Record<string, unknown> {
    let data = this.#data.get(sid);
    if (!data) {
      if (this.#data.size >= this.#limit) this.#data.delete(this.#data.keys().next().value!);
      data = {};
      this.#data.set(sid, data);
    }
    return data;
  }

  /** Replaces the data of session `sid`. */
  set(sid: string, data: Record<string, unknown>): void {
    this.#data.set(sid, data);
  }

  /** Forgets session `sid` (log out). */
  delete(sid: string): void {
    this.#data.delete(sid);
  }
}
