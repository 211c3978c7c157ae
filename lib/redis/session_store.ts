/**
 * Sessions in Redis, shared by every process of an app: a signed-in user stays signed in whichever
 * process serves the next request, and a logout anywhere ends the session everywhere.
 * @module
 */
import { createClient } from "redis";
import type { SessionData, SessionStore } from "../session/session.ts";

/** Options of {@link RedisSessionStore}. */
export interface RedisSessionStoreOptions {
  /** `redis://host:port/db` of the Redis server. */
  url: string;
  /** Prefix of the keys, to share one Redis between apps (default "djust:session:"). */
  prefix?: string;
  /** A session not used for this long expires (default 14 days); every use extends it. */
  idleTtlMs?: number;
}

type RedisClient = ReturnType<typeof createClient>;

/**
 * A session store backed by Redis strings (JSON), one key per session with an idle expiry that
 * every read extends. Memory is bounded by Redis itself: give it a `maxmemory` and the
 * `volatile-lru` policy so the least recently used sessions go first.
 *
 * @example
 * ```ts ignore
 * import { App } from "@djust/djust";
 * import { RedisSessionStore } from "@djust/djust/redis";
 * const app = new App({ sessionStore: new RedisSessionStore({ url: "redis://127.0.0.1:6379" }) });
 * ```
 */
export class RedisSessionStore implements SessionStore {
  #client: RedisClient;
  #ready: Promise<void>;
  #prefix: string;
  #ttlMs: number;
  #closed = false;

  /** Connects (in the background) to the Redis server at `options.url`. */
  constructor(options: RedisSessionStoreOptions) {
    this.#prefix = options.prefix ?? "djust:session:";
    this.#ttlMs = options.idleTtlMs ?? 14 * 24 * 3600_000;
    this.#client = createClient({ url: options.url });
    this.#client.on("error", (err: unknown) => {
      if (!this.#closed) console.error("djust: redis session store error", err);
    });
    this.#ready = this.#client.connect().then(() => {});
    // Failures surface where the store is used; this only marks the promise as handled.
    this.#ready.catch(() => {});
  }

  /** The data of `id`, or null; reading extends the session's life. */
  async load(id: string): Promise<SessionData | null> {
    await this.#ready;
    const json = await this.#client.getEx(this.#prefix + id, { type: "PX", value: this.#ttlMs });
    if (json === null) return null;
    try {
      return JSON.parse(String(json));
    } catch {
      return null; // not ours, or damaged: as if there were no session
    }
  }

  /** Stores `data` under `id` for `idleTtlMs`. */
  async save(id: string, data: SessionData): Promise<void> {
    await this.#ready;
    await this.#client.set(this.#prefix + id, JSON.stringify(data), {
      expiration: { type: "PX", value: this.#ttlMs },
    });
  }

  /** Forgets `id`. */
  async destroy(id: string): Promise<void> {
    await this.#ready;
    await this.#client.del(this.#prefix + id);
  }

  /** Closes the connection. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    try {
      await this.#ready;
    } catch {
      return;
    }
    await this.#client.close();
  }
}
