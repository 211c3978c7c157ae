/**
 * The two MACs every live page and join needs from a session id: its CSRF token and its binding
 * (the keyed digest join tokens carry instead of the id). Each is an HMAC through WebCrypto, whose
 * latency (a round trip to a worker thread, ~50 µs) a page load would otherwise pay several times:
 * both are computed at once, and remembered for the sessions used most recently.
 * @module
 */
import type { Signer } from "./tokens.ts";

/** A session's CSRF token and binding. */
export interface SessionKeys {
  readonly csrf: string;
  readonly binding: string;
}

/** Sessions remembered by default: ids come from cookies, so the cache is bounded. */
export const SESSION_KEYS_CACHED = 1024;

/**
 * CSRF tokens and bindings by session id, least recently used first (a `Map` keeps insertion
 * order and every use re-inserts, so eviction takes from the front).
 *
 * @example
 * ```ts
 * import { Signer } from "./tokens.ts";
 * import { SessionMacs } from "./session_macs.ts";
 * const signer = await Signer.create("secret");
 * const macs = new SessionMacs(() => Promise.resolve(signer));
 * const { csrf, binding } = await macs.of("a-session-id");
 * csrf === (await macs.of("a-session-id")).csrf; // true: remembered
 * ```
 */
export class SessionMacs {
  #signer: () => Promise<Signer>;
  #limit: number;
  /** Promises, so that two requests of one session at once compute them once. */
  #cache = new Map<string, Promise<SessionKeys>>();

  /** `limit` sessions are remembered at most. */
  constructor(signer: () => Promise<Signer>, limit = SESSION_KEYS_CACHED) {
    this.#signer = signer;
    this.#limit = limit;
  }

  /** The CSRF token and binding of session `id`. */
  of(id: string): Promise<SessionKeys> {
    const cache = this.#cache;
    let keys = cache.get(id);
    if (keys) {
      // Most recently used goes last.
      cache.delete(id);
      cache.set(id, keys);
      return keys;
    }
    keys = this.#compute(id);
    cache.set(id, keys);
    if (cache.size > this.#limit) cache.delete(cache.keys().next().value!);
    // A failure is not remembered: the next use tries again.
    keys.catch(() => {
      if (cache.get(id) === keys) cache.delete(id);
    });
    return keys;
  }

  async #compute(id: string): Promise<SessionKeys> {
    const signer = await this.#signer();
    // Two HMACs in flight at once cost about one's latency.
    const [csrf, binding] = await Promise.all([signer.mac(id, "csrf"), signer.mac(id, "bind")]);
    return { csrf, binding };
  }
}
