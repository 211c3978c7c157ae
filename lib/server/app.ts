/**
 * The App: routes, HTTP rendering of live views, the WebSocket endpoint, static files and the
 * client script. `app.fetch` is a plain `(Request) => Promise<Response>` for `Deno.serve`.
 * @module
 */
import { registerLiveComponentTag } from "../live/component_tag.ts";
import { NotFound, PermissionDenied, Redirect } from "../live/exceptions.ts";
import type { ViewClass } from "../live/mounted.ts";
import { ASSET_PREFIX, SOCKET_PATH } from "../live/protocol.ts";
import { MemoryPubSub } from "../pubsub/memory.ts";
import { PubSub } from "../pubsub/pubsub.ts";
import { MemorySessionStore } from "../session/memory_store.ts";
import type { Session } from "../session/session.ts";
import { Engine } from "../template/engine.ts";
import type { TemplateHooks } from "../template/hooks.ts";
import { CLIENT_ENTRY, CLIENT_FILES, DEV_ENTRY } from "./client_bundle.ts";
import {
  type AppMetrics,
  type CloseReason,
  Connection,
  type ConnectionContext,
  type SocketRequest,
  socketRequest,
  type Transport,
} from "./connection.ts";
import { Parking } from "./parking.ts";
import { Snapshots } from "./snapshots.ts";
import { csrfRefusal } from "./csrf.ts";
import { errorPage } from "./error_pages.ts";
import { keepFlash, takeFlash } from "./flash.ts";
import { LiveMounter, type LiveTarget } from "./mounter.ts";
import { resolveIntent } from "./navigation.ts";
import { type AppOptions, connectionLimits } from "./options.ts";
import { renderPage } from "./page.ts";
import { guardProcess } from "./process_guard.ts";
import { type Handler, layoutOf, type RouteOptions, Router } from "./router.ts";
import { Sessions } from "./sessions.ts";
import { StaticFiles } from "./static.ts";
import { registerStaticTag } from "./static_tag.ts";
import { type StopDevReload, watchTemplates } from "./dev_reload.ts";
import { forgetLiveTemplates } from "../live/mounted.ts";
import { registerUploadTags, TempFiles } from "../live/uploads/index.ts";
import { randomId, Signer } from "./tokens.ts";
import { KeptHeaders } from "./kept_headers.ts";

export type { AppOptions };

const SESSION_COOKIE = "djust_sid";
let warnedAboutSecret = false;

/** How the test toolkit and benchmarks reach an App's internals (not part of the public API). */
let openConnectionOf: (
  app: App,
  transport: Transport,
  upgrade: Request,
  options?: { detailedErrors?: boolean },
) => Connection;
let connectionsOf: (app: App) => ReadonlySet<Connection>;
let closeConnectionOf: (app: App, connection: Connection, reason: CloseReason) => void;
let sessionsOf: (app: App) => Sessions;

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
      app.#connect(transport, socketRequest(upgrade, app.#socketHeaders), options);
    connectionsOf = (app) => app.#connections;
    closeConnectionOf = (app, connection, reason) => app.#disconnect(connection, reason);
    sessionsOf = (app) => app.#sessions;
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
    mounts: 0,
    reattaches: 0,
    restores: 0,
    uploadChunks: 0,
    uploadBytes: 0,
  };
  /** Development mode. */
  readonly dev: boolean;
  /** Topics and presence: `app.pubsub.broadcast(topic, message)` from anywhere. */
  readonly pubsub: PubSub;
  readonly #router = new Router();
  readonly #options: AppOptions;
  readonly #sessions: Sessions;
  readonly #mounter: LiveMounter;
  readonly #scriptUrl = ASSET_PREFIX + CLIENT_ENTRY;
  readonly #connections = new Set<Connection>();
  readonly #context: ConnectionContext;
  readonly #unguard: () => void;
  readonly #parking: Parking;
  /** Headers kept for views mounted over a socket beyond the visitor headers (lower case). */
  readonly #socketHeaders: readonly string[];
  readonly #snapshots: Snapshots;
  readonly #tempFiles: TempFiles;
  /** Saves of dropped sockets' views still being written (closing waits for them). */
  readonly #saves = new Set<Promise<void>>();
  /** Static files, once scanned (the scan starts in the constructor). */
  #static: StaticFiles | null = null;
  readonly #staticReady: Promise<void> | null = null;
  #stopWatching: (() => Promise<void>) | null = null;
  #stopTemplateWatch: StopDevReload | null = null;

  /** Creates an app. */
  constructor(options: AppOptions = {}) {
    this.#options = options;
    this.engine = options.engine ??
      new Engine({ dirs: options.templateDirs ?? [], templates: options.templates ?? {} });
    this.dev = options.dev ?? !options.secret;
    registerLiveComponentTag(this.engine);
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
    // The HMAC key is imported on first use: constructing an App starts no asynchronous work.
    let signerPromise: Promise<Signer> | null = null;
    const signer = () => signerPromise ??= Signer.create(secret);
    // No error that escapes view code may end the process (see process_guard.ts).
    this.#unguard = guardProcess((message, error) => this.#log("error", message, error));
    this.pubsub = new PubSub(options.pubsub ?? new MemoryPubSub(), {
      heartbeatMs: options.presenceHeartbeatMs,
    });
    const store = options.sessionStore ?? new MemorySessionStore();
    this.#snapshots = new Snapshots(store, secret, options.maxPersistBytes ?? 256 * 1024);
    this.#sessions = new Sessions({
      store,
      signer,
      pubsub: this.pubsub,
      cookieName: SESSION_COOKIE,
      trustProxy: options.trustProxy ?? false,
      onEnd: (data) => this.#snapshots.dropAll(data),
    });
    this.#socketHeaders = (options.socketHeaders ?? []).map((name) => name.toLowerCase());
    const parked = options.parkedViews ?? {};
    this.#parking = new Parking({
      maxViews: parked.maxViews ?? 2000,
      maxPerSession: parked.maxPerSession ?? 16,
      maxBytes: parked.maxBytes ?? 256 * 1024 * 1024,
    }, (view, reason) => {
      const failure = view.mounted.end(reason);
      if (failure) this.#log("error", "djust: a view's terminate() failed", failure);
    });
    this.#mounter = new LiveMounter({
      engine: this.engine,
      router: this.#router,
      signer,
      sessions: this.#sessions,
      pubsub: this.pubsub,
      tokenTtlMs: options.tokenTtlMs ?? 12 * 3600_000,
      auth: options.auth ?? null,
      onMount: options.onMount ?? [],
      dev: this.dev,
      verifyStreams: options.verifyStreams ?? false,
      hooks: (csrf) => this.#hooks(csrf),
    });
    // Uploads: {% live_file_input %} on this engine, and the temporary files of every connection.
    registerUploadTags(this.engine);
    this.#tempFiles = new TempFiles({
      dir: options.uploads?.dir,
      maxBytes: options.uploads?.maxDiskBytes,
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
    if (this.dev && options.templateDirs?.length && options.watchTemplates !== false) {
      this.#stopTemplateWatch = watchTemplates(options.templateDirs, (paths) => {
        this.engine.clearCache();
        forgetLiveTemplates();
        const layout = options.layout;
        const layoutChanged = layout !== undefined &&
          paths.some((p) => p.replaceAll("\\", "/").endsWith("/" + layout));
        for (const connection of this.#connections) {
          void connection.templatesChanged(layoutChanged);
        }
      });
    }
    this.#context = {
      mounter: this.#mounter,
      sessions: this.#sessions,
      limits: connectionLimits(options),
      dev: this.dev,
      metrics: this.metrics,
      clock: options.clock,
      log: (level, message, error) => this.#log(level, message, error),
      forget: (connection) => this.#connections.delete(connection),
      parking: this.#parking,
      snapshots: this.#snapshots,
      reconnectGraceMs: options.reconnectGraceMs ?? 30_000,
      persistIntervalMs: options.persistIntervalMs ?? 250,
      saving: (save) => {
        this.#saves.add(save);
        save.finally(() => this.#saves.delete(save));
      },
      uploads: {
        files: this.#tempFiles,
        window: options.uploads?.window ?? 8,
        bytesPerSecond: options.uploads?.bytesPerSecond ?? 256 * 1024 * 1024,
      },
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

  /**
   * The session of `request` (the same object for every call during one request). What a plain
   * handler writes is saved when it returns, and the response gets the session cookie when the
   * session is new or its id changed (`login`, `logout`).
   */
  session(request: Request): Promise<Session> {
    return this.#sessions.forRequest(request);
  }

  /**
   * Renders the template `name` as the answer to `request` from a plain handler, as Django's
   * `render(request, template, context)`: `{% csrf_token %}`, `{% url %}` and `{% translate %}`
   * work, and the context also holds the session's `flash` messages (taken), the signed-in `user`
   * and the visitor's `language`.
   *
   * @example
   * ```ts
   * import { App } from "@djust/djust";
   * const app = new App({ templates: { "about.html": "<h1>About {{ name }}</h1>" } });
   * app.get("/about", (request) => app.render(request, "about.html", { name: "djust" }));
   * ```
   */
  async render(
    request: Request,
    name: string,
    context: Record<string, unknown> = {},
    init: ResponseInit = {},
  ): Promise<Response> {
    const session = await this.#sessions.forRequest(request);
    const visitor = await this.#mounter.visitor(session, KeptHeaders.of(request.headers));
    const html = this.engine.render(name, {
      flash: takeFlash(session),
      user: visitor.user,
      language: visitor.language,
      ...context,
    }, { ...this.#hooks(visitor.csrf), language: visitor.language });
    const headers = new Headers(init.headers);
    if (!headers.has("content-type")) headers.set("content-type", "text/html; charset=utf-8");
    return new Response(html, { ...init, headers });
  }

  /**
   * Keeps a flash message for the visitor's next page (a live view's or {@link App.render}'s), as
   * a view's `putFlash` does: e.g. a plain POST handler that redirects after saving.
   *
   * @example
   * ```ts
   * import { App } from "@djust/djust";
   * const app = new App();
   * app.post("/logout", async (request) => {
   *   await app.putFlash(request, "info", "Signed out");
   *   return Response.redirect(new URL("/", request.url), 303);
   * });
   * ```
   */
  async putFlash(request: Request, kind: string, message: string): Promise<void> {
    keepFlash(await this.#sessions.forRequest(request), kind, message);
  }

  /** Closes every connection, the pub/sub adapter and the session store. */
  async close(): Promise<void> {
    for (const connection of [...this.#connections]) this.#disconnect(connection, "shutdown");
    this.#parking.clear();
    this.#tempFiles.clear();
    await Promise.allSettled([...this.#saves]);
    await this.#staticReady?.catch(() => {});
    await this.#stopWatching?.();
    await this.#stopTemplateWatch?.();
    this.#sessions.close();
    await this.pubsub.close();
    await this.#sessions.store.close?.();
    this.#unguard();
  }

  /** Number of open live connections. */
  get connectionCount(): number {
    return this.#connections.size;
  }

  /**
   * Views waiting for a connection: page loads' views until their page joins, and views whose
   * socket dropped, for the reconnect grace period. `bytes` is the estimate their bound uses
   * (`App({ parkedViews })`).
   */
  get parkedViews(): { count: number; bytes: number } {
    return { count: this.#parking.size, bytes: this.#parking.bytes };
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
      if (!match) return this.#errorPage(404, request);
      const route = match.route;
      if (route.kind === "handler") {
        return await this.#handle(request, () => route.handler(request, match.params), {
          csrf: route.options.csrf ?? true,
        });
      }
      return await this.#handle(
        request,
        () => this.#renderLive(request, { route, url, params: match.params }),
        { csrf: false },
      );
    } catch (err) {
      this.#log("error", `djust: ${request.method} ${url.pathname} failed`, err);
      return this.#errorPage(500, request, err);
    }
  };

  /**
   * Runs a route for `request`: the CSRF check, then `respond`; what it throws becomes a redirect
   * or an error page; the session is saved and its cookie set.
   */
  async #handle(
    request: Request,
    respond: () => Response | Promise<Response>,
    options: { csrf: boolean },
  ): Promise<Response> {
    let response: Response;
    try {
      if (options.csrf && await this.#csrfRefused(request)) {
        return this.#errorPage(403, request);
      }
      response = await respond();
    } catch (err) {
      if (err instanceof Redirect) response = this.#redirectResponse(err, request);
      else if (err instanceof PermissionDenied) response = this.#errorPage(403, request, err);
      else if (err instanceof NotFound) response = this.#errorPage(404, request, err);
      else throw err;
    }
    return await this.#withSession(request, response);
  }

  /** True (and logged) when a state-changing request fails the CSRF check. */
  async #csrfRefused(request: Request): Promise<boolean> {
    const session = await this.#sessions.forRequest(request);
    const origin = this.#origin(request);
    const refusal = await csrfRefusal(request, await this.#sessions.csrf(session.id), origin);
    if (refusal) this.#log("warn", `djust: refused ${request.method} ${request.url}: ${refusal}`);
    return refusal !== null;
  }

  /** Saves the request's session (if it was used) and sets its cookie when it is new or rotated. */
  async #withSession(request: Request, response: Response): Promise<Response> {
    const session = await this.#sessions.loaded(request);
    if (!session) return response;
    await session.save();
    const cookie = this.#sessions.setCookie(session, request);
    if (!cookie) return response;
    try {
      // In place: a copy (`new Response(response.body, response)`) turns the body into a stream,
      // which costs a page load ~2 µs per KB.
      response.headers.append("set-cookie", cookie);
      return response;
    } catch {
      // Response.redirect and Response.error have immutable headers: copy those.
      const copy = new Response(response.body, response);
      copy.headers.append("set-cookie", cookie);
      return copy;
    }
  }

  /** The origin the browser sees (the proxy's, with `trustProxy`). */
  #origin(request: Request): string {
    const url = new URL(request.url);
    const proto = this.#options.trustProxy
      ? request.headers.get("x-forwarded-proto")?.split(",")[0].trim()
      : undefined;
    const host = request.headers.get("host") ?? url.host;
    return `${proto ? proto + ":" : url.protocol}//${host}`;
  }

  #redirectResponse(redirect: Redirect, request: Request): Response {
    const base = new URL(request.url);
    const resolved = resolveIntent(
      { kind: "redirect", to: redirect.url, external: redirect.external },
      base,
    );
    if ("refused" in resolved) {
      this.#log("warn", `djust: refused a redirect: ${resolved.refused}`);
      return this.#errorPage(403, request);
    }
    return new Response(null, { status: 302, headers: { location: resolved.url } });
  }

  #errorPage(status: number, request: Request, error?: unknown): Response {
    return errorPage(this.engine, status, { dev: this.dev, error, request });
  }

  #connect(
    transport: Transport,
    upgrade: SocketRequest,
    options?: { detailedErrors?: boolean },
  ): Connection {
    const connection = new Connection(this.#context, transport, upgrade, options);
    this.#connections.add(connection);
    return connection;
  }

  #disconnect(connection: Connection, reason: CloseReason): void {
    connection.close(reason);
    this.#connections.delete(connection);
  }

  #log(level: "info" | "warn" | "error", message: string, error?: unknown): void {
    if (this.#options.logger) return this.#options.logger(level, message, error);
    if (level === "error") console.error(message, error ?? "");
    else if (level === "warn") console.warn(message);
    else console.log(message);
  }

  /** `{% url %}` for every page and view (one function: a view keeps its hooks for life). */
  #reverseHook: NonNullable<TemplateHooks["reverse"]> = (name, args, kwargs) =>
    this.reverse(name, args, kwargs);

  #hooks(csrf?: string): TemplateHooks {
    return { csrfToken: csrf, reverse: this.#reverseHook };
  }

  /** Renders a live view's page: mount, render, sign the join token, wrap in the layout. */
  async #renderLive(request: Request, target: LiveTarget): Promise<Response> {
    const session = await this.#sessions.forRequest(request);
    // The token is signed while the session's other MACs are made and the view mounts and renders:
    // WebCrypto works off the main thread, so its latency hides behind the rest.
    const id = crypto.randomUUID();
    const token = this.#mounter.token(target, session, id);
    token.catch(() => {}); // awaited below, unless the mount throws (a redirect, a refusal)
    const visitor = await this.#mounter.visitor(session, KeptHeaders.of(request.headers));
    const mounted = await this.#mounter.mount(target, visitor, undefined, { id });
    this.metrics.mounts++;
    const html = mounted.takeHtml();
    const route = target.route;
    const title = mounted.view.pageTitle.peek() || route.options.title || route.view.name;
    if (request.method === "HEAD") mounted.dispose();
    else {
      // Mounted once: the page's join takes this view over instead of mounting it again.
      this.#parking.park(mounted.id, {
        mounted,
        target,
        visitor,
        binding: await this.#sessions.binding(session.id),
        joined: false,
      }, this.#options.joinWindowMs ?? 10_000);
    }
    const page = renderPage(this.engine, {
      title,
      html,
      token: await token,
      csrf: visitor.csrf,
      scriptUrl: this.#scriptUrl,
      devScriptUrl: this.dev ? ASSET_PREFIX + DEV_ENTRY : undefined,
      layout: layoutOf(route) ?? this.#options.layout,
      flash: takeFlash(session),
      language: mounted.view.language.peek() || visitor.language,
      hooks: this.#hooks(visitor.csrf),
      // The signed-in user, as app.render gives plain pages (a top bar in the layout).
      context: { user: visitor.user },
    });
    const response = new Response(request.method === "HEAD" ? null : page, {
      headers: { "content-type": "text/html; charset=utf-8" },
    });
    // Set after: made with any header but content-type, a Response encodes its string body at
    // once (Deno 2.9), and a server or reader encodes it again; set after, it is encoded once, when
    // sent (a page load of the 1000-row table: ~1 ms less, in process and under Deno.serve).
    response.headers.set("cache-control", "no-store");
    return response;
  }

  #upgrade(request: Request): Response {
    if (request.headers.get("upgrade")?.toLowerCase() !== "websocket") {
      return new Response("Expected a WebSocket upgrade", { status: 426 });
    }
    const origin = request.headers.get("origin");
    if (origin && !this.#originAllowed(origin, request)) {
      return new Response("Origin not allowed", { status: 403 });
    }
    // The upgrade request is unusable once upgraded: what the connection needs is read first.
    const kept = socketRequest(request, this.#socketHeaders);
    const { socket, response } = Deno.upgradeWebSocket(request, {
      idleTimeout: this.#options.idleTimeoutSeconds ?? 10,
    });
    const connection = this.#connect(socket, kept);
    socket.binaryType = "arraybuffer"; // upload chunks, read as bytes
    // One listener object for the three events: each `on…` property costs a socket a closure
    // and a wrapper (~200 bytes).
    const listener = { handleEvent: (e: Event) => this.#socketEvent(connection, e) };
    for (const type of ["message", "close", "error"]) socket.addEventListener(type, listener);
    return response;
  }

  #socketEvent(connection: Connection, e: Event): void {
    if (e.type === "message") return void connection.receive((e as MessageEvent).data);
    // A page that goes away (closed, reloaded, left) says so with 1001: its view ends at once
    // (presence included). Any other end (an error comes first, then a close) is a lost network:
    // the view waits for its page.
    const left = e.type === "close" && (e as CloseEvent).code === 1001;
    this.#disconnect(connection, left ? "left" : "dropped");
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

/**
 * Closes `connection` and forgets it: `"shutdown"` (the default) ends its view, `"dropped"` parks
 * it as a lost socket would (a rejoin within the grace period takes it back).
 */
export function closeConnection(
  app: App,
  connection: Connection,
  reason: CloseReason = "shutdown",
): void {
  closeConnectionOf(app, connection, reason);
}

/** The open connections of `app` (for tests that inspect the server's side). */
export function connections(app: App): ReadonlySet<Connection> {
  return connectionsOf(app);
}

/** Stores a session holding `data` in `app` and returns its cookie (`djust_sid=…`), for tests. */
export async function seedSession(app: App, data: Record<string, unknown>): Promise<string> {
  const sessions = sessionsOf(app);
  const session = await sessions.forRequest(new Request("http://djust.test/"));
  for (const [key, value] of Object.entries(data)) session.set(key, value);
  await session.save();
  return `${SESSION_COOKIE}=${encodeURIComponent(session.id)}`;
}
