/**
 * The user's session: server-side data keyed by a server-issued id that travels only in an
 * HttpOnly cookie. (A *connection* is a socket: see connection.ts.)
 *
 * Ids are `random.mac`: 144 random bits and an HMAC of them, so the server can tell ids it issued
 * from ids a client made up without storing empty sessions. A made-up, tampered, unknown or
 * expired id is replaced by a fresh one; signing in and out rotates the id (session fixation).
 * @module
 */

/** What a session holds: JSON-serialisable values by key. */
export type SessionData = Record<string, unknown>;

/**
 * Where sessions live: `MemorySessionStore` (one process, the default) or `RedisSessionStore`
 * (`@djust/djust/redis`, several processes). Every method may be asynchronous.
 */
export interface SessionStore {
  /** The data of session `id`, or null when there is none (never stored, expired, destroyed). */
  load(id: string): Promise<SessionData | null>;
  /** Stores `data` under `id`, refreshing its idle timeout. */
  save(id: string, data: SessionData): Promise<void>;
  /** Forgets session `id`. */
  destroy(id: string): Promise<void>;
  /** Releases connections (called by `App.close`). */
  close?(): Promise<void>;
}

/** Session key holding the signed-in user's id. */
export const USER_KEY = "userId";

/** What a Session needs from its App. */
export interface SessionContext {
  readonly store: SessionStore;
  /** A fresh signed id. */
  newId(): Promise<string>;
  /** Tells every live view of the session (in every process) that it ended; `data` was its data. */
  ended(id: string, data: SessionData): Promise<void>;
}

/**
 * One visitor's session. Reads are synchronous (the data was loaded with the request); writes
 * are kept and saved when the request, event or handler is over, key by key, so two tabs writing
 * different keys do not undo each other.
 *
 * @example
 * ```ts ignore
 * app.post("/login", async (request) => {
 *   const session = await app.session(request);
 *   await session.login("ann"); // rotates the id, keeps the data
 *   session.set("theme", "dark");
 *   return Response.redirect(new URL("/account", request.url), 303);
 * });
 * ```
 */
export class Session {
  #context: SessionContext;
  #id: string;
  #data: SessionData;
  /** True when the data came from the store (so a missing entry later means it ended). */
  #stored: boolean;
  /**
   * What changed since the last save, by key (null: deleted). Made with the first change and
   * dropped when saved: a live view keeps its session for life, and a cleared Map keeps its table.
   */
  #changed: Map<string, { value: unknown } | null> | null = null;
  #issued: boolean;

  /** A session over `data` (null for a new one) under `id`; use `app.session(request)`. */
  constructor(
    context: SessionContext,
    id: string,
    data: SessionData | null,
    options: { issued?: boolean } = {},
  ) {
    this.#context = context;
    this.#id = id;
    this.#data = data ?? {};
    this.#stored = data !== null;
    this.#issued = options.issued ?? false;
  }

  /** The session id: server side only; it must never be sent anywhere but the HttpOnly cookie. */
  get id(): string {
    return this.#id;
  }

  /** True when this request was given a new id (the response must set the cookie). */
  get issued(): boolean {
    return this.#issued;
  }

  /** The signed-in user's id, or null. */
  get userId(): string | null {
    const id = this.#data[USER_KEY];
    return typeof id === "string" ? id : null;
  }

  /** The value stored under `key`. */
  get(key: string): unknown {
    return this.#data[key];
  }

  /** Stores `value` under `key` (saved when the request or event is over). */
  set(key: string, value: unknown): void {
    this.#data[key] = value;
    (this.#changed ??= new Map()).set(key, { value });
  }

  /** Removes `key`. */
  delete(key: string): void {
    delete this.#data[key];
    (this.#changed ??= new Map()).set(key, null);
  }

  /** A copy of everything the session holds. */
  entries(): SessionData {
    return structuredClone(this.#data);
  }

  /**
   * Signs `userId` in: stores it, gives the session a new id (the old one stops working, so an id
   * planted before the login is useless) and keeps the data.
   */
  async login(userId: string): Promise<void> {
    const old = this.#id;
    this.#data[USER_KEY] = userId;
    this.#id = await this.#context.newId();
    this.#issued = true;
    await this.#context.store.save(this.#id, this.#data);
    this.#stored = true;
    this.#changed = null;
    await this.#context.store.destroy(old);
  }

  /** Signs out: destroys the data, ends the session's live views, and starts a fresh session. */
  async logout(): Promise<void> {
    const old = this.#id;
    const current = await this.#context.store.load(old);
    await this.#context.store.destroy(old);
    await this.#context.ended(old, current ?? this.#data);
    this.#data = {};
    this.#changed = null;
    this.#stored = false;
    this.#id = await this.#context.newId();
    this.#issued = true;
  }

  /**
   * Writes what changed since the last save. A session that was stored and has since disappeared
   * from the store (signed out elsewhere, expired) stays gone: a stale copy never resurrects it.
   */
  async save(): Promise<void> {
    if (!this.#changed?.size) return;
    const store = this.#context.store;
    const current = await store.load(this.#id);
    if (current === null && this.#stored) {
      this.#changed = null;
      return;
    }
    const next = current ?? {};
    for (const [key, change] of this.#changed ?? []) {
      if (change) next[key] = change.value;
      else delete next[key];
    }
    this.#changed = null;
    this.#data = next;
    if (!Object.keys(next).length) {
      // Empty sessions are not stored: anonymous traffic costs the store nothing.
      if (current !== null) await store.destroy(this.#id);
      this.#stored = false;
      return;
    }
    await store.save(this.#id, next);
    this.#stored = true;
  }
}
