/**
 * One client connection: join, events, patches and errors, over any transport (a Deno WebSocket or
 * the in-process test transport). Messages are handled one at a time, in order.
 * @module
 */
import type { MountedView } from "../live/mounted.ts";

function sameParams(a: Record<string, string>, b: Record<string, string>): boolean {
  const ka = Object.keys(a), kb = Object.keys(b);
  return ka.length === kb.length && ka.every((k) => a[k] === b[k]);
}
import {
  type ClientMessage,
  type ErrorCode,
  type PatchOp,
  PROTOCOL_VERSION,
  type ServerMessage,
} from "../live/protocol.ts";

/** Where a session sends its messages. */
export interface Transport {
  send(text: string): void;
  close(code?: number, reason?: string): void;
  /** Bytes queued but not yet sent (for backpressure). */
  readonly bufferedAmount: number;
}

/** A view mounted on a session, with what navigation needs to know about it. */
export interface Attached {
  mounted: MountedView;
  /** HTML to send (undefined when the page already shows it). */
  html: string | undefined;
  remount: () => Promise<MountedView>;
  routeId: string;
  url: URL;
  params: Record<string, string>;
  sid: string;
  /** The route's title (used when the view sets no pageTitle). */
  title: string;
}

/** What the session asks of the App. */
export interface SessionHost {
  /** Validates a join and mounts the view; throws a JoinError on refusal. */
  join(
    message: Extract<ClientMessage, { type: "join" }>,
    upgrade: Request,
    onDirty: () => void,
    session: LiveSession,
  ): Promise<Attached>;
  /** The live route serving `url`, or null. */
  resolve(url: URL): { routeId: string; params: Record<string, string> } | null;
  /** Absolute page URL for a path, on the upgrade request's host. */
  pageUrl(upgrade: Request, path: string): URL;
  /** Mounts a live route on this session (navigation). */
  attach(
    routeId: string,
    url: URL,
    upgrade: Request,
    sid: string,
    csrf: string,
    onDirty: () => void,
    session: LiveSession,
  ): Promise<Attached>;
  /** A join token for a view reached by navigation. */
  tokenFor(routeId: string, url: URL, sid: string, html: string): Promise<string>;
  /** Takes (and clears) the session's pending flash messages. */
  takeFlash(sid: string): Record<string, string>;
  /** Largest accepted frame, in bytes. */
  readonly maxFrameBytes: number;
  /** Events a connection may send per second (a burst of as many is allowed). */
  readonly maxEventsPerSecond: number;
  /** Queued bytes past which server pushes wait (and coalesce). */
  readonly softBufferBytes: number;
  /** Queued bytes past which the client is disconnected. */
  readonly hardBufferBytes: number;
  /** Development mode: error replies carry stacks. */
  readonly dev: boolean;
  /** Counters. */
  readonly metrics: AppMetrics;
  /** Logs a server-side problem. */
  log(level: "warn" | "error", message: string, error?: unknown): void;
}

/** Counters an App keeps (also exposed for tests and benchmarks). */
export interface AppMetrics {
  joins: number;
  events: number;
  errors: number;
  resyncs: number;
  patches: number;
  patchBytes: number;
}

/** A refusal at join time, with its stable code. */
export class JoinError extends Error {
  override name = "JoinError";
  constructor(readonly code: ErrorCode, message: string) {
    super(message);
  }
}

const encoder = new TextEncoder();

/**
 * The server side of one connection.
 *
 * @example
 * ```ts ignore
 * const session = new LiveSession(app, transport, upgradeRequest);
 * socket.onmessage = (e) => session.receive(e.data);
 * socket.onclose = () => session.close();
 * ```
 */
export class LiveSession {
  #host: SessionHost;
  #transport: Transport;
  #upgrade: Request;
  #mounted: MountedView | null = null;
  #remount: (() => Promise<MountedView>) | null = null;
  /** The view now on this socket: route, URL and session (for navigation). */
  #attached: Attached | null = null;
  #csrf = "";
  #title = "";
  #queue: Promise<void> = Promise.resolve();
  #flushScheduled = false;
  #closed = false;
  /** Token bucket of the rate guard: events that may still be sent, refilled over time. */
  #tokens = -1;
  #refilled = 0;

  constructor(host: SessionHost, transport: Transport, upgrade: Request) {
    this.#host = host;
    this.#transport = transport;
    this.#upgrade = upgrade;
  }

  /** The mounted view, once joined. */
  get mounted(): MountedView | null {
    return this.#mounted;
  }

  /** Accepts one frame. Processing is queued so messages apply in order. */
  receive(data: string | ArrayBuffer | Uint8Array): Promise<void> {
    this.#queue = this.#queue.then(() => this.#handle(data)).catch((err) => {
      this.#host.log("error", "djust: session failure", err);
      this.#send({ type: "error", code: "server.internal", reason: "Internal server error" });
    });
    return this.#queue;
  }

  /** Resolves once every queued message and navigation has been handled. */
  async idle(): Promise<void> {
    for (let q = this.#queue;; q = this.#queue) {
      await q;
      if (q === this.#queue) return;
    }
  }

  /** Ends the session and releases the view. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#mounted?.dispose();
    this.#mounted = null;
  }

  /** Sends a server push to client hooks. */
  pushEvent(event: string, payload: unknown): void {
    this.#send({ type: "push", event, payload });
  }

  /** Reports an error from work outside events (handleInfo, timers): logged and sent to the client. */
  reportError(error: unknown): void {
    this.#host.metrics.errors++;
    this.#host.log("error", "djust: background work of a view failed", error);
    this.#error(undefined, "app.handler_error", this.#describe(error), error);
  }

  async #handle(data: string | ArrayBuffer | Uint8Array): Promise<void> {
    if (this.#closed) return;
    const size = typeof data === "string" ? encoder.encode(data).length : data.byteLength;
    if (size > this.#host.maxFrameBytes) {
      return this.#error(
        undefined,
        "client.too_large",
        `Frame of ${size} bytes exceeds the limit of ${this.#host.maxFrameBytes}`,
      );
    }
    if (typeof data !== "string") {
      return this.#error(undefined, "client.malformed", "Binary frames are not accepted here");
    }
    let message: ClientMessage;
    try {
      message = JSON.parse(data);
    } catch {
      return this.#error(undefined, "client.malformed", "Frame is not valid JSON");
    }
    if (!message || typeof message !== "object" || typeof message.type !== "string") {
      return this.#error(undefined, "client.malformed", "Message needs a string 'type'");
    }
    switch (message.type) {
      case "join":
        return await this.#join(message);
      case "event":
        return await this.#event(message);
      case "resync":
        return this.#resync();
      case "navigate":
        return await this.#navigate(message.ref, message.url, false);
      case "ping":
        return this.#send({ type: "pong" });
      default:
        return this.#error(
          undefined,
          "client.malformed",
          `Unknown message type ${JSON.stringify((message as { type: string }).type)}`,
        );
    }
  }

  async #join(message: Extract<ClientMessage, { type: "join" }>): Promise<void> {
    if (message.v !== PROTOCOL_VERSION) {
      return this.#error(
        undefined,
        "auth.version",
        `Protocol version ${message.v} is not ${PROTOCOL_VERSION}; reload the page`,
      );
    }
    try {
      this.#mounted?.dispose();
      const joined = await this.#host.join(
        message,
        this.#upgrade,
        () => this.#scheduleFlush(),
        this,
      );
      this.#use(joined);
      // The page was rendered with the same title the join computes: only later changes are sent.
      this.#title = this.#currentTitle();
      this.#csrf = message.csrf;
      this.#host.metrics.joins++;
      this.#send(
        joined.html === undefined ? { type: "joined" } : { type: "joined", html: joined.html },
      );
      this.#syncTitle();
    } catch (err) {
      if (err instanceof JoinError) return this.#error(undefined, err.code, err.message);
      this.#host.log("error", "djust: mount failed", err);
      return this.#error(undefined, "app.mount_error", this.#describe(err), err);
    }
  }

  async #event(message: Extract<ClientMessage, { type: "event" }>): Promise<void> {
    const ref = typeof message.ref === "number" ? message.ref : undefined;
    const mounted = this.#mounted;
    if (!mounted) return this.#error(ref, "client.not_joined", "Join before sending events");
    if (
      typeof message.name !== "string" ||
      (message.params !== undefined &&
        (typeof message.params !== "object" || message.params === null ||
          Array.isArray(message.params)))
    ) {
      return this.#error(
        ref,
        "client.malformed",
        "An event needs a string 'name' and an object 'params'",
      );
    }
    if (!this.#allowEvent()) {
      return this.#error(
        ref,
        "client.rate_limited",
        `More than ${this.#host.maxEventsPerSecond} events per second`,
      );
    }
    this.#host.metrics.events++;
    const result = await mounted.dispatch(message.name, message.params ?? {});
    if (!result.ok) {
      if (result.code === "app.handler_error") {
        this.#host.metrics.errors++;
        this.#host.log("error", `djust: handler ${message.name} failed`, result.error);
        this.#error(ref, result.code, result.reason, result.error);
        // The view may be half-updated: start again from a clean mount.
        return await this.#reset(ref);
      }
      return this.#error(ref, result.code, result.reason);
    }
    this.#sendPatch(mounted.flush(), ref);
    this.#syncTitle();
  }

  #allowEvent(): boolean {
    const rate = this.#host.maxEventsPerSecond;
    const now = performance.now();
    if (this.#tokens < 0) this.#tokens = rate;
    else this.#tokens = Math.min(rate, this.#tokens + ((now - this.#refilled) / 1000) * rate);
    this.#refilled = now;
    if (this.#tokens < 1) return false;
    this.#tokens -= 1;
    return true;
  }

  #use(attached: Attached): void {
    this.#attached = attached;
    this.#mounted = attached.mounted;
    this.#remount = attached.remount;
  }

  /**
   * The URL changes to `path`: within the current view, `handleParams` runs and a patch follows;
   * for another live view, it is mounted on this socket and `navigated` carries its HTML and token.
   */
  async #navigate(ref: number | undefined, path: unknown, fromView: boolean): Promise<void> {
    const attached = this.#attached;
    if (!attached || !this.#mounted) {
      return this.#error(ref, "client.not_joined", "Join before navigating");
    }
    if (typeof path !== "string") {
      return this.#error(ref, "client.malformed", "navigate needs a 'url'");
    }
    let url: URL;
    try {
      url = new URL(path, attached.url);
    } catch {
      return this.#error(ref, "client.malformed", `Bad URL ${JSON.stringify(path)}`);
    }
    if (url.origin !== attached.url.origin) {
      return this.#send({ type: "nav", kind: "redirect", url: url.href, replace: false });
    }
    const target = this.#host.resolve(url);
    if (!target) {
      return this.#send({
        type: "nav",
        kind: "redirect",
        url: url.pathname + url.search,
        replace: false,
      });
    }
    if (target.routeId === attached.routeId && sameParams(target.params, attached.params)) {
      attached.url = url;
      const result = await this.#mounted.patchParams(url, target.params);
      if (!result.ok) {
        this.#error(ref, result.code, result.reason, result.error);
        return await this.#reset(ref);
      }
      this.#sendPatch(this.#mounted.flush(), ref);
      return this.#syncTitle();
    }
    try {
      const next = await this.#host.attach(
        target.routeId,
        url,
        this.#upgrade,
        attached.sid,
        this.#csrf,
        () => this.#scheduleFlush(),
        this,
      );
      this.#mounted.dispose();
      this.#use(next);
      const token = await this.#host.tokenFor(next.routeId, url, next.sid, next.mounted.html);
      this.#title = this.#currentTitle();
      const message: ServerMessage = {
        type: "navigated",
        html: next.mounted.html,
        token,
        title: this.#title,
      };
      if (ref !== undefined && !fromView) message.ref = ref;
      this.#send(message);
      for (const [kind, text] of Object.entries(this.#host.takeFlash(next.sid))) {
        this.showFlash(kind, text);
      }
    } catch (err) {
      this.#host.log("error", "djust: navigation failed", err);
      this.#error(ref, "app.mount_error", this.#describe(err), err);
    }
  }

  /** `pushPatch`, `pushNavigate` and `redirect` from the view (run after the current message). */
  navigateFromView(kind: "patch" | "navigate" | "redirect", to: string, replace: boolean): void {
    const attached = this.#attached;
    if (!attached) return;
    let url: string;
    if (kind === "patch" && to.startsWith("{")) {
      // pushPatch({ page: "2" }): merge into the current query string.
      const next = new URL(attached.url);
      for (const [k, v] of Object.entries(JSON.parse(to) as Record<string, string | null>)) {
        if (v === null) next.searchParams.delete(k);
        else next.searchParams.set(k, String(v));
      }
      url = next.pathname + next.search;
    } else url = to;
    if (kind === "redirect") return this.#send({ type: "nav", kind, url, replace });
    this.#queue = this.#queue.then(async () => {
      this.#send({ type: "nav", kind, url, replace });
      await this.#navigate(undefined, url, true);
    });
  }

  /** Sends a flash message to show now. */
  showFlash(kind: string, message: string): void {
    this.#send({ type: "flash", kind, message });
  }

  #currentTitle(): string {
    const view = this.#mounted?.view;
    return view?.pageTitle.peek() || this.#attached?.title || "";
  }

  /** Sends the page title when the view changed it. */
  #syncTitle(): void {
    const title = this.#currentTitle();
    if (title && title !== this.#title) {
      this.#title = title;
      this.#send({ type: "title", title });
    }
  }

  async #reset(ref: number | undefined): Promise<void> {
    if (!this.#remount) return;
    this.#mounted?.dispose();
    try {
      this.#mounted = await this.#remount();
      this.#send({ type: "render", ref, html: this.#mounted.html });
    } catch (err) {
      this.#mounted = null;
      this.#error(ref, "app.mount_error", this.#describe(err), err);
    }
  }

  #resync(): void {
    const mounted = this.#mounted;
    if (!mounted) return this.#error(undefined, "client.not_joined", "Join before resync");
    this.#host.metrics.resyncs++;
    this.#host.log("warn", "djust: client could not apply a patch; sending a full render");
    this.#send({ type: "render", html: mounted.renderer.remount() });
  }

  #scheduleFlush(delay = 0): void {
    if (this.#flushScheduled) return;
    this.#flushScheduled = true;
    const run = () => {
      // Run after any queued message, so a push never interleaves with an event's patch.
      this.#queue = this.#queue.then(() => {
        this.#flushScheduled = false;
        const mounted = this.#mounted;
        if (!mounted || this.#closed) return;
        const buffered = this.#transport.bufferedAmount;
        if (buffered > this.#host.hardBufferBytes) {
          this.#host.log(
            "warn",
            `djust: closing a client that stopped reading (${buffered} bytes queued)`,
          );
          this.#transport.close(1008, "client too slow");
          this.close();
          return;
        }
        if (buffered > this.#host.softBufferBytes) {
          // The client is behind: keep changes in the dirty regions and send one combined patch
          // once it has caught up (Deno has no drain event, so poll).
          this.#scheduleFlush(50);
          return;
        }
        this.#sendPatch(mounted.flush(), undefined);
      });
    };
    if (delay) setTimeout(run, delay);
    else queueMicrotask(run);
  }

  #sendPatch(ops: PatchOp[], ref: number | undefined): void {
    // An event always gets a reply (even with no ops) so the client can clear its loading state.
    if (!ops.length && ref === undefined) return;
    const text = JSON.stringify(
      ref === undefined ? { type: "patch", ops } : { type: "patch", ref, ops },
    );
    this.#host.metrics.patches++;
    this.#host.metrics.patchBytes += text.length;
    this.#sendText(text);
  }

  #error(ref: number | undefined, code: ErrorCode, reason: string, error?: unknown): void {
    const message: ServerMessage = { type: "error", code, reason };
    if (ref !== undefined) message.ref = ref;
    if (this.#host.dev && error instanceof Error && error.stack) message.stack = error.stack;
    this.#send(message);
  }

  #describe(err: unknown): string {
    return err instanceof Error ? `${err.name}: ${err.message}` : String(err);
  }

  #send(message: ServerMessage): void {
    this.#sendText(JSON.stringify(message));
  }

  #sendText(text: string): void {
    if (this.#closed) return;
    try {
      this.#transport.send(text);
    } catch (err) {
      this.#host.log("warn", "djust: send failed; closing session", err);
      this.close();
    }
  }
}
