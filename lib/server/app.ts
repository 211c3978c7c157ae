/**
 * The App: routes, HTTP rendering of live views, the WebSocket endpoint and the client script.
 * `app.fetch` is a plain `(Request) => Promise<Response>` for `Deno.serve`.
 * @module
 */
import type { ViewClass } from "../live/mounted.ts";
import { ASSET_PREFIX, DEFAULT_MAX_FRAME, SOCKET_PATH } from "../live/protocol.ts";
import { Engine } from "../template/engine.ts";
import type { TemplateHooks } from "../template/hooks.ts";
import type { PubSubAdapter } from "../pubsub/adapter.ts";
import { MemoryPubSub } from "../pubsub/memory.ts";
import { PubSub } from "../pubsub/pubsub.ts";
import { CLIENT_ENTRY, CLIENT_FILES } from "./client_bundle.ts";
import {
  type AppMetrics,
  Connection,
  type ConnectionContext,
  type Transport,
} from "./connection.ts";
import { readCookies, sessionCookie } from "./cookies.ts";
import { takeFlash } from "./flash.ts";
import { LiveMounter, type LiveTarget } from "./mounter.ts";
import { renderPage } from "./page.ts";
import { type Handler, type LiveRoute, type RouteOptions, Router } from "./router.ts";
import { MemorySessionStore } from "./session_store.ts";
import { randomId, Signer } from "./tokens.ts";
import { StaticFiles } from "./static.ts";
import { guardProcess } from "./process_guard.ts";
import { registerStaticTag } from "./static_tag.ts";

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
  /**
   * Static files: URL prefix → directory (`{ "/static": "./static" }`), served with content types,
   * ETags, ranges and compression, and named by `{% static "css/app.css" %}` with a content hash in
   * the file name (cached for good). In development they are watched and re-hashed on change.
   * See docs/static.md.
   */
  staticDirs?: Record<string, string>;
  /**
   * The monotonic clock (milliseconds) rate limits read; tests inject one to refill budgets
   * without waiting. Default: `performance.now`.
   */
  clock?: () => number;
  /** Where log lines go (default: console). */
  logger?: (level: "info" | "warn" | "error", message: string, error?: unknown) => void;
}

const SESSION_COOKIE = "djust_sid";
let warnedAboutSecret = false;

/** How the test toolkit and benchmarks reach an App's connections (not part of the public API). */
let openConnectionOf: (
  app: App,
  transport: Transport,
  upgrade: Request,
  options?: { detailedErrors?: boolean },
) => Connection;
let connectionsOf: (app: App) => ReadonlySet<Connection>;
let closeConnectionOf: (app: App, connection: Connection) => void;

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
  static {
    openConnectionOf = (app, transport, upgrade, options) =>
      app.#connect(transport, upgrade, options);
    connectionsOf = (app) => app.#connections;
    closeConnectionOf = (app, connection) => app.#disconnect(connection);
  }

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
  readonly #router = new Router();
  readonly #options: AppOptions;
  readonly #signer: Promise<Signer>;
  readonly #mounter: LiveMounter;
  readonly #scriptUrl = ASSET_PREFIX + CLIENT_ENTRY;
  readonly #connections = new Set<Connection>();
  readonly #context: ConnectionContext;
  /** Static files, once scanned (the scan starts in the constructor). */
  #static: StaticFiles | null = null;
  readonly #staticReady: Promise<void> | null = null;
  #stopWatching: (() => Promise<void>) | null = null;
  readonly #unguard: () => void;

  /** Creates an app. */
  constructor(options: AppOptions = {}) {
    this.#options = options;
    this.engine = options.engine ??
      new Engine({ dirs: options.templateDirs ?? [], templates: options.templates ?? {} });
    this.dev = options.dev ?? !options.secret;
    let secret = options.secret;
    if (!secret) {
      secret = randomId(32);
      if (!warnedAboutSecret) {
        warnedAboutSecret = true;
        this.#log(
          "warn",
          "djust: no secret configured; using a random development secret (set DJUST_SECRET in production)",
        );
      }
    }
    this.#signer = Signer.create(secret);
    // No error that escapes view code may end the process (see process_guard.ts).
    this.#unguard = guardProcess((message, error) => this.#log("error", message, error));
    this.pubsub = new PubSub(options.pubsub ?? new MemoryPubSub(), {
      heartbeatMs: options.presenceHeartbeatMs,
    });
    this.#mounter = new LiveMounter({
      engine: this.engine,
      router: this.#router,
      signer: this.#signer,
      sessions: this.sessions,
      pubsub: this.pubsub,
      tokenTtlMs: options.tokenTtlMs ?? 12 * 3600_000,
      hooks: (csrf) => this.#hooks(csrf),
    });
    if (options.staticDirs) {
      const dirs = options.staticDirs;
      this.#staticReady = StaticFiles.create({ dirs, dev: this.dev, logger: options.logger })
        .then((files) => {
          this.#static = files;
          if (this.dev) this.#stopWatching = files.watch();
        });
      // Handled where it is awaited (every request); this only keeps an early failure from
      // being reported as unhandled before the first request comes.
      this.#staticReady.catch(() => {});
      registerStaticTag(this.engine, () => {
        if (!this.#static) throw new Error("static files are not scanned yet");
        return this.#static;
      });
    }
    this.#context = {
      mounter: this.#mounter,
      sessions: this.sessions,
      limits: {
        softBufferBytes: options.softBufferBytes ?? 256 * 1024,
        hardBufferBytes: options.hardBufferBytes ?? 4 * 1024 * 1024,
        maxFrameBytes: options.maxFrameBytes ?? DEFAULT_MAX_FRAME,
        maxEventsPerSecond: options.maxEventsPerSecond ?? 60,
      },
      dev: this.dev,
      metrics: this.metrics,
      sessionCookie: SESSION_COOKIE,
      clock: options.clock,
      log: (level, message, error) => this.#log(level, message, error),
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

  /** Closes every connection and the pub/sub adapter (for shutdown and tests). */
  async close(): Promise<void> {
    for (const connection of [...this.#connections]) this.#disconnect(connection);
    await this.#staticReady?.catch(() => {});
    await this.#stopWatching?.();
    await this.pubsub.close();
    this.#unguard();
  }

  /** Number of open live connections. */
  get connectionCount(): number {
    return this.#connections.size;
  }

  /** Handles one HTTP request: `Deno.serve({ port }, app.fetch)`. */
  fetch = async (request: Request): Promise<Response> => {
    const url = new URL(request.url);
    try {
      if (url.pathname === SOCKET_PATH) return this.#upgrade(request);
      if (url.pathname.startsWith(ASSET_PREFIX)) {
        // The client and its chunks: content-hashed names, so they are cached for good.
        const code = CLIENT_FILES[url.pathname.slice(ASSET_PREFIX.length)];
        if (code !== undefined) {
          return new Response(code, {
            headers: {
              "content-type": "text/javascript; charset=utf-8",
              "cache-control": "public, max-age=31536000, immutable",
            },
          });
        }
      }
      if (this.#staticReady) {
        await this.#staticReady;
        const served = await this.#static!.handle(request);
        if (served) return served;
      }
      const match = this.#router.match(request.method, url.pathname);
      if (!match) {
        return new Response("Not Found", {
          status: 404,
          headers: { "content-type": "text/plain" },
        });
      }
      if (match.route.kind === "handler") return await match.route.handler(request, match.params);
      return await this.#renderLive(request, { route: match.route, url, params: match.params });
    } catch (err) {
      this.#log("error", `djust: ${request.method} ${url.pathname} failed`, err);
      const body = this.dev && err instanceof Error
        ? `Internal Server Error\n\n${err.stack}`
        : "Internal Server Error";
      return new Response(body, {
        status: 500,
        headers: { "content-type": "text/plain; charset=utf-8" },
      });
    }
  };

  #connect(
    transport: Transport,
    upgrade: Request,
    options?: { detailedErrors?: boolean },
  ): Connection {
    const connection = new Connection(this.#context, transport, upgrade, options);
    this.#connections.add(connection);
    return connection;
  }

  #disconnect(connection: Connection): void {
    connection.close();
    this.#connections.delete(connection);
  }

  #log(level: "info" | "warn" | "error", message: string, error?: unknown): void {
    if (this.#options.logger) return this.#options.logger(level, message, error);
    if (level === "error") console.error(message, error ?? "");
    else if (level === "warn") console.warn(message);
    else console.log(message);
  }

  #hooks(csrf?: string): TemplateHooks {
    return { csrfToken: csrf, reverse: (name, args, kwargs) => this.reverse(name, args, kwargs) };
  }

  /** Renders a live view's page: mount, render, sign the join token, wrap in the layout. */
  async #renderLive(request: Request, target: LiveTarget): Promise<Response> {
    const headers = new Headers({
      "content-type": "text/html; charset=utf-8",
      "cache-control": "no-store",
    });
    let sid = readCookies(request)[SESSION_COOKIE];
    if (!sid || sid.length > 64) {
      sid = randomId();
      headers.append(
        "set-cookie",
        sessionCookie(SESSION_COOKIE, sid, target.url.protocol === "https:"),
      );
    }
    const visitor = { sid, csrf: await this.#mounter.csrfFor(sid), headers: request.headers };
    const mounted = await this.#mounter.mount(target, visitor);
    const html = mounted.html;
    mounted.dispose();
    const route: LiveRoute = target.route;
    const page = renderPage(this.engine, {
      title: mounted.view.pageTitle.peek() || route.options.title || route.view.name,
      html,
      token: await this.#mounter.token(target, visitor, html),
      csrf: visitor.csrf,
      scriptUrl: this.#scriptUrl,
      layout: route.view.layout ?? this.#options.layout,
      flash: takeFlash(this.sessions.get(sid)),
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
    const connection = this.#connect(socket, snapshot);
    socket.onmessage = (e) => void connection.receive(e.data);
    socket.onclose = () => this.#disconnect(connection);
    socket.onerror = () => this.#disconnect(connection);
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
}

/**
 * Opens a connection on `app` over any transport (the test toolkit's in-memory one). With
 * `detailedErrors`, failures carry their messages even in production mode.
 */
export function openConnection(
  app: App,
  transport: Transport,
  upgrade: Request,
  options?: { detailedErrors?: boolean },
): Connection {
  return openConnectionOf(app, transport, upgrade, options);
}

/** Closes `connection` and forgets it. */
export function closeConnection(app: App, connection: Connection): void {
  closeConnectionOf(app, connection);
}

/** The open connections of `app` (for tests that inspect the server's side). */
export function connections(app: App): ReadonlySet<Connection> {
  return connectionsOf(app);
}
