/**
 * The App's sessions: ids in cookies, loading and saving through the store, and ending the live
 * views of a session that signed out (in every process, through pub/sub).
 *
 * An id is `random.kind.mac`: 144 random bits, `a` (anonymous) or `u` (issued at sign-in), and an
 * HMAC of both. A cookie whose MAC is wrong (made up, tampered) is replaced. A `u` id whose data is
 * gone (expired, signed out elsewhere) is replaced too: the user is signed out. An `a` id without
 * data is simply an empty session (empty sessions are never stored).
 * @module
 */
import type { PubSub } from "../pubsub/pubsub.ts";
import { readCookies, sessionCookie } from "./cookies.ts";
import {
  Session,
  type SessionContext,
  type SessionData,
  type SessionStore,
} from "../session/session.ts";
import { randomId, safeEqual, type Signer } from "./tokens.ts";
import { type SessionKeys, SessionMacs } from "./session_macs.ts";
import type { HeaderSource } from "./kept_headers.ts";

/** The pub/sub topic on which ended sessions are announced (payload: the session's binding). */
const ENDED_TOPIC = "djust:session-ended";

/** What listens for a session's end (see {@link Sessions.listen}). */
export interface SessionEndListener {
  /** The session signed out. */
  sessionEnded(): void;
}

/** What the sessions need from the App. */
export interface SessionsConfig {
  readonly store: SessionStore;
  /** The signer (its key is imported on first use). */
  readonly signer: () => Promise<Signer>;
  readonly pubsub: PubSub;
  readonly cookieName: string;
  /** Trust `X-Forwarded-Proto` for the cookie's Secure flag (behind a TLS-terminating proxy). */
  readonly trustProxy: boolean;
  /** Called when a session signs out, with the data it had (to drop what it owned). */
  readonly onEnd?: (data: SessionData) => Promise<void>;
}

/**
 * Sessions of one App.
 *
 * @example
 * ```ts ignore
 * const session = await sessions.forRequest(request);
 * session.set("seen", true);
 * await session.save();
 * const cookie = sessions.setCookie(session, request); // when a new id was issued
 * ```
 */
export class Sessions {
  #config: SessionsConfig;
  #context: SessionContext;
  /** Sessions of requests being handled (`app.session(request)` returns the same one). */
  #byRequest = new WeakMap<Request, Promise<Session>>();
  /**
   * Who listens for a session's end, by binding (the connections of this process): the listener
   * itself while it is the only one (most sessions have one connection), else an array.
   */
  #listeners = new Map<string, SessionEndListener | SessionEndListener[]>();
  #unsubscribe: (() => void) | null = null;
  #macs: SessionMacs;

  constructor(config: SessionsConfig) {
    this.#config = config;
    this.#macs = new SessionMacs(config.signer);
    this.#context = {
      store: config.store,
      newId: () => this.#newId("u"),
      ended: async (id, data) => {
        await config.onEnd?.(data);
        await this.#announceEnd(id);
      },
    };
  }

  /** The store sessions live in. */
  get store(): SessionStore {
    return this.#config.store;
  }

  /** The session of `request` (the same object for every call with the same request). */
  forRequest(request: Request): Promise<Session> {
    let session = this.#byRequest.get(request);
    if (!session) this.#byRequest.set(request, session = this.#load(request));
    return session;
  }

  /** The session of `request` if something asked for it during the request, else null. */
  loaded(request: Request): Promise<Session | null> {
    return this.#byRequest.get(request) ?? Promise.resolve(null);
  }

  /**
   * The session named by the cookie in `headers` (a socket's, kept past its request) as it is in
   * the store now (no new id issued).
   */
  async current(headers: HeaderSource): Promise<Session | null> {
    const id = readCookies(headers)[this.#config.cookieName];
    if (!id || !(await this.#valid(id))) return null;
    const data = await this.#config.store.load(id);
    if (data === null && kindOf(id) === "u") return null;
    return new Session(this.#context, id, data);
  }

  /** A Set-Cookie value for `session` when it got a new id during `request`, else null. */
  setCookie(session: Session, request: Request): string | null {
    if (!session.issued) return null;
    return sessionCookie(this.#config.cookieName, session.id, this.#secure(request));
  }

  /** The keyed digest of a session id that join tokens carry (never the id itself). */
  async binding(id: string): Promise<string> {
    return (await this.#macs.of(id)).binding;
  }

  /** The CSRF token of a session. */
  async csrf(id: string): Promise<string> {
    return (await this.#macs.of(id)).csrf;
  }

  /** Both the CSRF token and the binding of a session (computed together, remembered). */
  keys(id: string): Promise<SessionKeys> {
    return this.#macs.of(id);
  }

  /**
   * Tells `listener` when the session with `binding` signs out (here or in another process), until
   * {@link unlisten}. An object, not a callback: every open connection listens for as long as it
   * lives, and a closure (with the one that undoes it) costs a connection ~0.3 KB.
   */
  listen(binding: string, listener: SessionEndListener): void {
    this.#unsubscribe ??= this.#config.pubsub.subscribe(ENDED_TOPIC, (message) => {
      const listeners = this.#listeners.get(String(message));
      // A copy: each listener stops listening as it runs.
      for (const each of Array.isArray(listeners) ? [...listeners] : [listeners]) {
        each?.sessionEnded();
      }
    });
    const present = this.#listeners.get(binding);
    if (!present) this.#listeners.set(binding, listener);
    else if (!Array.isArray(present)) {
      if (present !== listener) this.#listeners.set(binding, [present, listener]);
    } else if (!present.includes(listener)) present.push(listener);
  }

  /** Stops telling `listener` about the end of the session with `binding`. */
  unlisten(binding: string, listener: SessionEndListener): void {
    const present = this.#listeners.get(binding);
    if (present === listener) this.#listeners.delete(binding);
    else if (Array.isArray(present)) {
      const rest = present.filter((each) => each !== listener);
      if (rest.length > 1) this.#listeners.set(binding, rest);
      else if (rest.length === 1) this.#listeners.set(binding, rest[0]);
      else this.#listeners.delete(binding);
    }
  }

  /** Stops listening to pub/sub. */
  close(): void {
    this.#unsubscribe?.();
    this.#unsubscribe = null;
  }

  async #load(request: Request): Promise<Session> {
    const id = readCookies(request.headers)[this.#config.cookieName];
    if (id && await this.#valid(id)) {
      const data = await this.#config.store.load(id);
      // A signed-in session whose data is gone was signed out or expired: start afresh.
      if (data !== null || kindOf(id) === "a") return new Session(this.#context, id, data);
    }
    return new Session(this.#context, await this.#newId("a"), null, { issued: true });
  }

  async #newId(kind: "a" | "u"): Promise<string> {
    const body = `${randomId(18)}.${kind}`; // 144 random bits
    return `${body}.${await (await this.#config.signer()).mac(body, "sid")}`;
  }

  async #valid(id: string): Promise<boolean> {
    const dot = id.lastIndexOf(".");
    if (dot < 0 || id.length > 200) return false;
    const expected = await (await this.#config.signer()).mac(id.slice(0, dot), "sid");
    return safeEqual(id.slice(dot + 1), expected);
  }

  async #announceEnd(id: string): Promise<void> {
    await this.#config.pubsub.broadcast(ENDED_TOPIC, await this.binding(id));
  }

  #secure(request: Request): boolean {
    if (new URL(request.url).protocol === "https:") return true;
    return this.#config.trustProxy &&
      request.headers.get("x-forwarded-proto")?.split(",")[0].trim().toLowerCase() === "https";
  }
}

/** `a` or `u` (see the module doc), or "" for an id of another shape. */
function kindOf(id: string): string {
  const parts = id.split(".");
  return parts.length === 3 ? parts[1] : "";
}
