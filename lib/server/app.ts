/**
 * The App: routes, HTTP rendering of live views, the WebSocket endpoint and the client script.
 * `app.fetch` is a plain `(Request) => Promise<Response>` for `Deno.serve`.
 * @module
 */
import { MountedView as Mounted, type ViewClass } from "../live/mounted.ts";
import { type ClientMessage, DEFAULT_MAX_FRAME } from "../live/protocol.ts";
import { Engine } from "../template/engine.ts";
import type { TemplateHooks } from "../template/hooks.ts";
import { CLIENT_ENTRY, CLIENT_FILES } from "./client_bundle.ts";
import { readCookies, sessionCookie } from "./cookies.ts";
import { renderPage } from "./page.ts";
import { type Handler, type RouteOptions, Router } from "./router.ts";
import {
  type AppMetrics,
  type Attached,
  JoinError,
  LiveSession,
  type SessionHost,
  type Transport,
} from "./session.ts";
import { MemorySessionStore } from "./sessions.ts";
import type { PubSubAdapter } from "../pubsub/adapter.ts";
import { MemoryPubSub } from "../pubsub/memory.ts";
import { PubSub } from "../pubsub/pubsub.ts";
import { digest, randomId, safeEqual, Signer } from "./tokens.ts";

/** Options for {@link App}. */
export interface AppOptions {
  /** Directories holding templates (`templateName`, layouts, includes). */
  templateDirs?: string[];
  /** In-memory templates by name. */
  templates?: Record<string, string>;
  /** Secret for signing tokens. Without one, development mode generates one and warns once. */
  secret?: string;
  /** Development mode (error stacks reach the browser). Default: true when no secret is given. */
  dev?: boolean;
  /** Origins allowed to open the WebSocket besides the page's own host. */
  allowedOrigins?: string[];
  /** Events one connection may send per second, with bursts up to as many (default 60). */
  maxEventsPerSecond?: number;
  /** Largest accepted WebSocket frame in bytes (default 1 MiB). */
  maxFrameBytes?: number;
  /** Pub/sub transport: `new MemoryPubSub()` (default, one process) or `new RedisPubSub({ url })`. */
  pubsub?: PubSubAdapter;
  /** Presence heartbeat in milliseconds (default 1000); a silent node is dropped after 3. */
  presenceHeartbeatMs?: number;
  /** Bytes queued on a socket past which pushes are held and coalesced (default 256 KiB). */
  softBufferBytes?: number;
  /** Bytes queued on a socket past which the client is disconnected (default 4 MiB). */
  hardBufferBytes?: number;
  /**
   * Seconds without an answer to the server's WebSocket ping after which a connection counts as lost
   * (default 10): a vanished client leaves presence within about this long.
   */
  idleTimeoutSeconds?: number;
  /** Lifetime of join tokens in milliseconds (default 12 hours). */
  tokenTtlMs?: number;
  /**
   * Name of a layout template rendering `{{ title }}`, `{{ head }}`, `{{ body }}` and flash messages
   * (`{% for kind, text in flash.items %}` inside an element with `dj-flash`). It may itself
   * `{% extends %}` other templates. A view can set its own with `static layout`.
   */
  layout?: string;
  /** A template engine to use instead of a new one. */
  engine?: Engine;
  /** Where log lines go (default: console). */
  logger?: (level: "info" | "warn" | "error", message: string, error?: unknown) => void;
}

const WS_PATH = "/_djust/ws";
/** Session key holding flash messages until the next page. */
const FLASH_KEY = "__djust_flash";
const SESSION_COOKIE = "djust_sid";
let warnedAboutSecret = false;

/**
 * A djust application: live views and plain handlers on one router.
 *
 * @example
 * ```ts
 * import { App, eventHandler, LiveView, signal } from "@djust/djust";
 * class Counter extends LiveView {
 *   static override template = `<button dj-click="increment">{{ count }}</button>`;
 *   count = signal(0);
 *   @eventHandler()
 *   increment(): void {
 *     this.count.value++;
 *   }
 * }
 * const app = new App();
 * app.live("/counter", Counter);
 * app.get("/health", () => new Response("ok"));
 * // Deno.serve({ port: 8000 }, app.fetch);
 * ```
 */
export class App {
  /** The template engine views and layouts render with. */
  readonly engine: Engine;
  /** Counters: joins, events, errors, resyncs, patches and bytes. */
  readonly metrics: AppMetrics = {
    joins: 0,
    events: 0,
    errors: 0,
    resyncs: 0,
    patches: 0,
    patchBytes: 0,
  };
  /** Development mode. */
  readonly dev: boolean;
  /** Topics and presence: `app.pubsub.broadcast(topic, message)` from anywhere. */
  readonly pubsub: PubSub;
  /** Session data by session id; views see theirs as `this.session`. */
  readonly sessions: MemorySessionStore = new MemorySessionStore();
  /** Largest accepted frame. */
  readonly maxFrameBytes: number;
  readonly #router = new Router();
  readonly #options: AppOptions;
  readonly #signer: Promise<Signer>;
  readonly #scriptUrl = `/_djust/${CLIENT_ENTRY}`;
  readonly #sessions = new Set<LiveSession>();
  readonly #host: SessionHost;

  /** Creates an app. */
  constructor(options: AppOptions = {}) {
    this.#options = options;
    this.engine = options.engine ??
      new Engine({ dirs: options.templateDirs ?? [], templates: options.templates ?? {} });
    this.dev = options.dev ?? !options.secret;
    this.maxFrameBytes = options.maxFrameBytes ?? DEFAULT_MAX_FRAME;
    let secret = options.secret;
    if (!secret) {
      secret = randomId(32);
      if (!warnedAboutSecret) {
        warnedAboutSecret = true;
        this.log(
          "warn",
          "djust: no secret configured; using a random development secret (set DJUST_SECRET in production)",
        );
      }
    }
    this.#signer = Signer.create(secret);
    this.pubsub = new PubSub(options.pubsub ?? new MemoryPubSub(), {
      heartbeatMs: options.presenceHeartbeatMs,
    });
    this.#host = {
      softBufferBytes: options.softBufferBytes ?? 256 * 1024,
      hardBufferBytes: options.hardBufferBytes ?? 4 * 1024 * 1024,
      maxFrameBytes: this.maxFrameBytes,
      maxEventsPerSecond: options.maxEventsPerSecond ?? 60,
      dev: this.dev,
      metrics: this.metrics,
      log: (level, message, error) => this.log(level, message, error),
      join: (message, upgrade, onDirty, session) => this.#join(message, upgrade, onDirty, session),
      resolve: (url) => this.#resolve(url),
      pageUrl: (upgrade, path) => this.#pageUrl(upgrade, path),
      attach: (routeId, url, upgrade, sid, csrf, onDirty, session) =>
        this.#attach(routeId, url, upgrade, sid, csrf, onDirty, session),
      tokenFor: (routeId, url, sid, html) => this.#tokenFor(routeId, url, sid, html),
      takeFlash: (sid) => this.#takeFlash(sid),
    };
  }

  /** Serves `view` at `path` (URLPattern syntax, e.g. "/items/:id"). */
  live(path: string, view: ViewClass, options: RouteOptions = {}): this {
    const id = String(this.#router.routes.length);
    this.#router.add({
      kind: "live",
      id,
      pattern: new URLPattern({ pathname: path }),
      path,
      view,
      options,
    });
    return this;
  }

  /** Adds a plain handler for `method` ("*" for any). */
  route(method: string, path: string, handler: Handler, options: RouteOptions = {}): this {
    this.#router.add({
      kind: "handler",
      method: method.toUpperCase(),
      pattern: new URLPattern({ pathname: path }),
      path,
      handler,
      options,
    });
    return this;
  }

  /** Adds a GET handler. */
  get(path: string, handler: Handler, options?: RouteOptions): this {
    return this.route("GET", path, handler, options);
  }

  /** Adds a POST handler. */
  post(path: string, handler: Handler, options?: RouteOptions): this {
    return this.route("POST", path, handler, options);
  }

  /** Path of the route named `name` (for `{% url %}` too). */
  reverse(name: string, args: unknown[] = [], kwargs: Record<string, unknown> = {}): string {
    return this.#router.reverse(name, args, kwargs);
  }

  /** The session data of `request` (by its session cookie), or an empty object without one. */
  session(request: Request): Record<string, unknown> {
    const sid = readCookies(request)[SESSION_COOKIE];
    return sid ? this.sessions.get(sid) : {};
  }

  /** Closes every session and the pub/sub adapter (for shutdown and tests). */
  async close(): Promise<void> {
    for (const session of [...this.#sessions]) this.disconnect(session);
    await this.pubsub.close();
  }

  /** Number of open live sessions. */
  get sessionCount(): number {
    return this.#sessions.size;
  }

  /** Handles one HTTP request: `Deno.serve({ port }, app.fetch)`. */
  fetch = async (request: Request): Promise<Response> => {
    const url = new URL(request.url);
    try {
      if (url.pathname === WS_PATH) return this.#upgrade(request);
      if (url.pathname.startsWith("/_djust/")) {
        // The client and its chunks: content-hashed names, so they are cached for good.
        const code = CLIENT_FILES[url.pathname.slice(8)];
        if (code !== undefined) {
          return new Response(code, {
            headers: {
              "content-type": "text/javascript; charset=utf-8",
              "cache-control": "public, max-age=31536000, immutable",
            },
          });
        }
      }
      const match = this.#router.match(request.method, url.pathname);
      if (!match) {
        return new Response("Not Found", {
          status: 404,
          headers: { "content-type": "text/plain" },
        });
      }
      if (match.route.kind === "handler") return await match.route.handler(request, match.params);
      return await this.#renderLive(
        request,
        match.route.id,
        match.route.view,
        match.params,
        match.route.options,
      );
    } catch (err) {
      this.log("error", `djust: ${request.method} ${url.pathname} failed`, err);
      const body = this.dev && err instanceof Error
        ? `Internal Server Error\n\n${err.stack}`
        : "Internal Server Error";
      return new Response(body, {
        status: 500,
        headers: { "content-type": "text/plain; charset=utf-8" },
      });
    }
  };

  /** Attaches a session to any transport (used by the WebSocket endpoint and the test toolkit). */
  connect(transport: Transport, upgrade: Request): LiveSession {
    const session = new LiveSession(this.#host, transport, upgrade);
    this.#sessions.add(session);
    return session;
  }

  /** Forgets a closed session. */
  disconnect(session: LiveSession): void {
    session.close();
    this.#sessions.delete(session);
  }

  /** @internal */
  log(level: "info" | "warn" | "error", message: string, error?: unknown): void {
    if (this.#options.logger) return this.#options.logger(level, message, error);
    if (level === "error") console.error(message, error ?? "");
    else if (level === "warn") console.warn(message);
    else console.log(message);
  }

  #hooks(csrf?: string): TemplateHooks {
    return { csrfToken: csrf, reverse: (name, args, kwargs) => this.reverse(name, args, kwargs) };
  }

  async #renderLive(
    request: Request,
    routeId: string,
    view: ViewClass,
    params: Record<string, string>,
    options: RouteOptions,
  ): Promise<Response> {
    const signer = await this.#signer;
    const cookies = readCookies(request);
    let sid = cookies[SESSION_COOKIE];
    const headers = new Headers({
      "content-type": "text/html; charset=utf-8",
      "cache-control": "no-store",
    });
    if (!sid || sid.length > 64) {
      sid = randomId();
      headers.append(
        "set-cookie",
        sessionCookie(SESSION_COOKIE, sid, new URL(request.url).protocol === "https:"),
      );
    }
    const csrf = await signer.mac(sid);
    const mounted = await Mounted.mount({
      engine: this.engine,
      viewClass: view,
      request,
      params,
      hooks: this.#hooks(csrf),
      session: this.sessions.get(sid),
      pubsub: this.pubsub,
      live: false,
    });
    const html = mounted.html;
    mounted.dispose();
    const url = new URL(request.url);
    const token = await signer.sign(
      { r: routeId, u: url.pathname + url.search, s: sid, h: await digest(html) },
      this.#options.tokenTtlMs ?? 12 * 3600_000,
    );
    const page = renderPage(this.engine, {
      title: mounted.view.pageTitle.peek() || options.title || view.name,
      html,
      token,
      csrf,
      scriptUrl: this.#scriptUrl,
      layout: view.layout ?? this.#options.layout,
      flash: this.#takeFlash(sid),
    });
    return new Response(request.method === "HEAD" ? null : page, { headers });
  }

  #upgrade(request: Request): Response {
    if (request.headers.get("upgrade")?.toLowerCase() !== "websocket") {
      return new Response("Expected a WebSocket upgrade", { status: 426 });
    }
    const origin = request.headers.get("origin");
    if (origin && !this.#originAllowed(origin, request)) {
      return new Response("Origin not allowed", { status: 403 });
    }
    // The upgrade request is unusable once upgraded: keep a copy of its URL and headers.
    const snapshot = new Request(request.url, { headers: new Headers(request.headers) });
    const { socket, response } = Deno.upgradeWebSocket(request, {
      idleTimeout: this.#options.idleTimeoutSeconds ?? 10,
    });
    const session = this.connect(socket, snapshot);
    socket.onmessage = (e) => void session.receive(e.data);
    socket.onclose = () => this.disconnect(session);
    socket.onerror = () => this.disconnect(session);
    return response;
  }

  #originAllowed(origin: string, request: Request): boolean {
    if (this.#options.allowedOrigins?.includes(origin)) return true;
    try {
      const host = request.headers.get("host") ?? new URL(request.url).host;
      return new URL(origin).host === host;
    } catch {
      return false;
    }
  }

  async #join(
    message: Extract<ClientMessage, { type: "join" }>,
    upgrade: Request,
    onDirty: () => void,
    session: LiveSession,
  ): Promise<Attached> {
    const signer = await this.#signer;
    const verdict = await signer.verify(message.token);
    if (!verdict.ok) {
      throw new JoinError(
        verdict.reason === "expired" ? "auth.expired" : "auth.bad_token",
        `Join token refused (${verdict.reason})`,
      );
    }
    const payload = verdict.payload;
    const sid = readCookies(upgrade)[SESSION_COOKIE];
    if (!sid || payload.s !== sid) {
      throw new JoinError("auth.bad_token", "Join token belongs to another session");
    }
    if (typeof message.csrf !== "string" || !safeEqual(message.csrf, await signer.mac(sid))) {
      throw new JoinError("auth.bad_csrf", "CSRF token does not match the session");
    }
    const route = this.#router.liveRoute(String(payload.r));
    if (!route) throw new JoinError("auth.bad_token", "Join token names an unknown view");
    const pageUrl = this.#pageUrl(upgrade, String(payload.u));
    if (!route.pattern.exec({ pathname: pageUrl.pathname })) {
      throw new JoinError("auth.bad_token", "Join token URL does not match its view");
    }
    const attached = await this.#attach(
      route.id,
      pageUrl,
      upgrade,
      sid,
      message.csrf,
      onDirty,
      session,
    );
    const same = (await digest(attached.mounted.html)) === payload.h;
    return { ...attached, html: same ? undefined : attached.mounted.html };
  }

  #pageUrl(upgrade: Request, path: string): URL {
    const base = new URL(upgrade.url);
    return new URL(path, `${base.protocol === "wss:" ? "https:" : "http:"}//${base.host}`);
  }

  /** The live route serving `url`, with its parameters. */
  #resolve(url: URL): { routeId: string; params: Record<string, string> } | null {
    const match = this.#router.match("GET", url.pathname);
    if (!match || match.route.kind !== "live") return null;
    return { routeId: match.route.id, params: match.params };
  }

  /** Mounts the live route `routeId` for `pageUrl` on a session. */
  async #attach(
    routeId: string,
    pageUrl: URL,
    upgrade: Request,
    sid: string,
    csrf: string,
    onDirty: () => void,
    session: LiveSession,
  ): Promise<Attached> {
    const route = this.#router.liveRoute(routeId)!;
    const params = route.pattern.exec({ pathname: pageUrl.pathname })?.pathname.groups ?? {};
    const clean: Record<string, string> = {};
    for (const [k, v] of Object.entries(params)) if (v !== undefined) clean[k] = v;
    const request = new Request(pageUrl, { headers: upgrade.headers });
    const mount = () =>
      Mounted.mount({
        engine: this.engine,
        viewClass: route.view,
        request,
        params: clean,
        hooks: this.#hooks(csrf),
        session: this.sessions.get(sid),
        onDirty,
        pubsub: this.pubsub,
        live: true,
        onPush: (event, payload) => session.pushEvent(event, payload),
        onError: (error) => session.reportError(error),
        onNav: (kind, url, replace) => session.navigateFromView(kind, url, replace),
        onFlash: (kind, text) => {
          const flash = (this.sessions.get(sid)[FLASH_KEY] ??= {}) as Record<string, string>;
          flash[kind] = text;
          session.showFlash(kind, text);
        },
      });
    const mounted = await mount();
    return {
      mounted,
      html: mounted.html,
      remount: mount,
      routeId,
      url: pageUrl,
      params: clean,
      sid,
      title: route.options.title ?? route.view.name,
    };
  }

  /** Signs a join token for a view mounted by navigation, so the client can rejoin it later. */
  async #tokenFor(routeId: string, url: URL, sid: string, html: string): Promise<string> {
    const signer = await this.#signer;
    return signer.sign(
      { r: routeId, u: url.pathname + url.search, s: sid, h: await digest(html) },
      this.#options.tokenTtlMs ?? 12 * 3600_000,
    );
  }

  /** Flash messages of session `sid`, removed (they are shown once more after a navigation). */
  #takeFlash(sid: string): Record<string, string> {
    const data = this.sessions.get(sid);
    const flash = (data[FLASH_KEY] ?? {}) as Record<string, string>;
    delete data[FLASH_KEY];
    return flash;
  }
}
