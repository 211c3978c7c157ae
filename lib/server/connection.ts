/**
 * One client connection (a socket): join, events, navigation, patches and errors, over any
 * transport (a Deno WebSocket or the in-process test transport). Messages are handled one at a
 * time, in order. The user's *session* (cookie-keyed data) is something else: see session_store.ts.
 * @module
 */
import type { MountedView } from "../live/mounted.ts";
import {
  type ClientMessage,
  type ErrorCode,
  type EventMessage,
  type JoinMessage,
  type PatchOp,
  PROTOCOL_VERSION,
  type ServerMessage,
} from "../live/protocol.ts";
import type { NavigationIntent, ViewSink } from "../live/sink.ts";
import { keepFlash, takeFlash } from "./flash.ts";
import { JoinError, type LiveMounter, type LiveTarget, type Visitor } from "./mounter.ts";
import { planNavigation, resolveIntent } from "./navigation.ts";
import { type Clock, monotonic, TokenBucket } from "./rate_limit.ts";
import type { MemorySessionStore } from "./session_store.ts";
import { readCookies } from "./cookies.ts";
import { describeError, templatePosition } from "./error_report.ts";
import { randomId } from "./tokens.ts";

/** Where a connection sends its messages. */
export interface Transport {
  send(text: string): void;
  close(code?: number, reason?: string): void;
  /** Bytes queued but not yet sent (for backpressure). */
  readonly bufferedAmount: number;
}

/** Counters an App keeps (also exposed for tests and benchmarks). */
export interface AppMetrics {
  /** Joins accepted. */
  joins: number;
  /** Events handled (refused ones excluded). */
  events: number;
  /** Handler and background failures of views. */
  errors: number;
  /** Full renders a client asked for because a patch named a missing anchor. */
  resyncs: number;
  /** Patch messages sent. */
  patches: number;
  /** Bytes of those patch messages. */
  patchBytes: number;
}

/** The limits a connection enforces. */
export interface ConnectionLimits {
  /** Largest accepted frame, in bytes. */
  readonly maxFrameBytes: number;
  /** Events a connection may send per second (a burst of as many is allowed). */
  readonly maxEventsPerSecond: number;
  /** Queued bytes past which server pushes wait (and coalesce). */
  readonly softBufferBytes: number;
  /** Queued bytes past which the client is disconnected. */
  readonly hardBufferBytes: number;
}

/** What a connection works with (given by its App). */
export interface ConnectionContext {
  readonly mounter: LiveMounter;
  readonly sessions: MemorySessionStore;
  readonly limits: ConnectionLimits;
  /** Development mode: error replies carry stacks. */
  readonly dev: boolean;
  readonly metrics: AppMetrics;
  /** The session cookie's name. */
  readonly sessionCookie: string;
  /** The clock of rate limits (tests inject one). */
  readonly clock?: Clock;
  /** Logs a server-side problem. */
  log(level: "warn" | "error", message: string, error?: unknown): void;
}

/** The view a connection shows, with where it came from (for navigation and resets). */
interface Attachment {
  mounted: MountedView;
  /** The route and the URL the view now shows (live patches move the URL). */
  target: LiveTarget;
  visitor: Visitor;
}

const encoder = new TextEncoder();

/** What production clients are told about a failure of the view's code: what, never why. */
const PUBLIC_REASONS: Partial<Record<ErrorCode, string>> = {
  "app.handler_error": "The view could not handle that",
  "app.render_error": "The view could not be rendered",
  "app.mount_error": "The view could not be opened",
};

/**
 * The server side of one connection.
 *
 * @example
 * ```ts ignore
 * const connection = new Connection(context, transport, upgradeRequest);
 * socket.onmessage = (e) => connection.receive(e.data);
 * socket.onclose = () => connection.close();
 * ```
 */
export class Connection {
  #context: ConnectionContext;
  #transport: Transport;
  #upgrade: Request;
  #view: Attachment | null = null;
  #title = "";
  #queue: Promise<void> = Promise.resolve();
  #flushScheduled = false;
  #closed = false;
  #events: TokenBucket;

  #detailedErrors: boolean;

  /**
   * `detailedErrors` sends exception messages, stacks and template positions even in production:
   * for the in-process test toolkit, whose "client" is the developer.
   */
  constructor(
    context: ConnectionContext,
    transport: Transport,
    upgrade: Request,
    options: { detailedErrors?: boolean } = {},
  ) {
    this.#context = context;
    this.#detailedErrors = options.detailedErrors ?? context.dev;
    this.#transport = transport;
    this.#upgrade = upgrade;
    const rate = context.limits.maxEventsPerSecond;
    this.#events = new TokenBucket(rate, rate, context.clock ?? monotonic);
  }

  /** The mounted view, once joined. */
  get mounted(): MountedView | null {
    return this.#view?.mounted ?? null;
  }

  /** Accepts one frame. Processing is queued so messages apply in order. */
  receive(data: string | ArrayBuffer | Uint8Array): Promise<void> {
    return this.#enqueue(() => this.#handle(data));
  }

  /** Resolves once every queued message and navigation has been handled. */
  async idle(): Promise<void> {
    for (let q = this.#queue;; q = this.#queue) {
      await q;
      if (q === this.#queue) return;
    }
  }

  /** Ends the connection and releases the view. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#view?.mounted.dispose();
    this.#view = null;
  }

  /** Runs `work` after everything queued; a failure is logged and reported, never thrown. */
  #enqueue(work: () => unknown): Promise<void> {
    this.#queue = this.#queue.then(work).then(() => {}, (err) => {
      this.#context.log("error", "djust: connection failure", err);
      this.#send({ type: "error", code: "server.internal", reason: "Internal server error" });
    });
    return this.#queue;
  }

  async #handle(data: string | ArrayBuffer | Uint8Array): Promise<void> {
    if (this.#closed) return;
    const limit = this.#context.limits.maxFrameBytes;
    const size = typeof data === "string" ? encoder.encode(data).length : data.byteLength;
    if (size > limit) {
      return this.#error(
        undefined,
        "client.too_large",
        `Frame of ${size} bytes exceeds the limit of ${limit}`,
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

  // #region Join and events

  async #join(message: JoinMessage): Promise<void> {
    if (message.v !== PROTOCOL_VERSION) {
      return this.#error(
        undefined,
        "auth.version",
        `Protocol version ${message.v} is not ${PROTOCOL_VERSION}; reload the page`,
      );
    }
    const { mounter } = this.#context;
    try {
      this.#view?.mounted.dispose();
      this.#view = null;
      const { target, sid, pageDigest } = await mounter.verifyJoin(message, {
        sid: readCookies(this.#upgrade)[this.#context.sessionCookie],
        pageUrl: (path) => this.#pageUrl(path),
      });
      const visitor: Visitor = { sid, csrf: message.csrf, headers: this.#upgrade.headers };
      const mounted = await mounter.mount(target, visitor, this.#sink());
      this.#view = { mounted, target, visitor };
      // The page was rendered with the same title the join computes: only later changes are sent.
      this.#title = this.#currentTitle();
      this.#context.metrics.joins++;
      const same = await mounter.showsSame(pageDigest, mounted.html);
      this.#send(same ? { type: "joined" } : { type: "joined", html: mounted.html });
      this.#syncTitle();
    } catch (err) {
      if (err instanceof JoinError) return this.#error(undefined, err.code, err.message);
      this.#fail(undefined, "app.mount_error", err, "mounting a view at join failed");
    }
  }

  async #event(message: EventMessage): Promise<void> {
    const ref = typeof message.ref === "number" ? message.ref : undefined;
    const mounted = this.mounted;
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
    if (!this.#events.take()) {
      return this.#error(
        ref,
        "client.rate_limited",
        `More than ${this.#context.limits.maxEventsPerSecond} events per second`,
      );
    }
    this.#context.metrics.events++;
    const result = await mounted.dispatch(message.name, message.params ?? {});
    if (!result.ok) {
      if (result.code === "app.handler_error") {
        this.#fail(ref, result.code, result.error, `handler ${message.name} failed`);
        // The view may be half-updated: start again from a clean mount.
        return await this.#reset(ref);
      }
      return this.#error(ref, result.code, result.reason);
    }
    await this.#flush(ref);
  }

  /**
   * Sends what changed as one patch (an event's reply when `ref` is given). A render that throws
   * is the view's failure: reported, and the view starts again from a clean mount.
   */
  async #flush(ref: number | undefined): Promise<void> {
    const mounted = this.mounted;
    if (!mounted) return;
    let ops: PatchOp[];
    try {
      ops = mounted.flush();
    } catch (error) {
      this.#fail(ref, "app.render_error", error, "rendering a view failed");
      return await this.#reset(ref);
    }
    this.#sendPatch(ops, ref);
    this.#syncTitle();
  }

  #resync(): void {
    const mounted = this.mounted;
    if (!mounted) return this.#error(undefined, "client.not_joined", "Join before resync");
    this.#context.metrics.resyncs++;
    this.#context.log("warn", "djust: client could not apply a patch; sending a full render");
    this.#send({ type: "render", html: mounted.rerender() });
  }

  /** Mounts the current view afresh (after its handler failed) and sends its whole render. */
  async #reset(ref: number | undefined): Promise<void> {
    const view = this.#view;
    if (!view) return;
    view.mounted.dispose();
    try {
      view.mounted = await this.#context.mounter.mount(view.target, view.visitor, this.#sink());
      this.#send({ type: "render", ref, html: view.mounted.html });
    } catch (err) {
      this.#view = null;
      this.#fail(ref, "app.mount_error", err, "mounting a view again after a failure failed");
    }
  }

  // #endregion
  // #region Navigation

  /**
   * The URL changes to `path`: within the current view, `handleParams` runs and a patch follows;
   * for another live view, it is mounted on this connection and `navigated` carries its HTML and
   * token; anything else is loaded by the browser.
   */
  async #navigate(ref: number | undefined, path: unknown, fromView: boolean): Promise<void> {
    const view = this.#view;
    if (!view) return this.#error(ref, "client.not_joined", "Join before navigating");
    if (typeof path !== "string") {
      return this.#error(ref, "client.malformed", "navigate needs a 'url'");
    }
    let url: URL;
    try {
      url = new URL(path, view.target.url);
    } catch {
      return this.#error(ref, "client.malformed", `Bad URL ${JSON.stringify(path)}`);
    }
    const step = planNavigation(this.#context.mounter, view.target, url);
    if (!step) {
      return this.#error(ref, "client.malformed", "Live navigation stays on this origin");
    }
    if (step.kind === "load") {
      return this.#send({ type: "nav", kind: "redirect", url: step.url, replace: false });
    }
    if (step.kind === "params") {
      view.target = step.target;
      const result = await view.mounted.patchParams(url, step.target.params);
      if (!result.ok) {
        this.#fail(ref, result.code, result.error, "handleParams failed");
        return await this.#reset(ref);
      }
      return await this.#flush(ref);
    }
    try {
      const next = await this.#context.mounter.mount(step.target, view.visitor, this.#sink());
      view.mounted.dispose();
      this.#view = { mounted: next, target: step.target, visitor: view.visitor };
      const token = await this.#context.mounter.token(step.target, view.visitor, next.html);
      this.#title = this.#currentTitle();
      const message: ServerMessage = {
        type: "navigated",
        html: next.html,
        token,
        title: this.#title,
      };
      if (ref !== undefined && !fromView) message.ref = ref;
      this.#send(message);
      const session = this.#context.sessions.get(view.visitor.sid);
      for (const [kind, text] of Object.entries(takeFlash(session))) {
        this.#send({ type: "flash", kind, message: text });
      }
    } catch (err) {
      this.#fail(ref, "app.mount_error", err, "mounting a view for navigation failed");
    }
  }

  /** `pushPatch`, `pushNavigate` and `redirect` from the view (run after the current message). */
  #navigateFromView(intent: NavigationIntent): void {
    const view = this.#view;
    if (!view) return;
    const resolved = resolveIntent(intent, view.target.url);
    if ("refused" in resolved) {
      return this.#context.log(
        "warn",
        `djust: refused a ${intent.kind} from ${view.target.route.view.name}: ${resolved.refused}`,
      );
    }
    const url = resolved.url;
    if (intent.kind === "redirect") {
      return this.#send({ type: "nav", kind: "redirect", url, replace: false });
    }
    const replace = intent.replace;
    this.#enqueue(async () => {
      this.#send({ type: "nav", kind: intent.kind, url, replace });
      await this.#navigate(undefined, url, true);
    });
  }

  #pageUrl(path: string): URL {
    const base = new URL(this.#upgrade.url);
    return new URL(path, `${base.protocol === "wss:" ? "https:" : "http:"}//${base.host}`);
  }

  // #endregion
  // #region What the view reports

  /** The sink a view mounted on this connection reports to. */
  #sink(): ViewSink {
    return {
      dirty: () => this.#scheduleFlush(),
      push: (event, payload) => this.#send({ type: "push", event, payload }),
      failed: (error) => this.#reportError(error),
      navigate: (intent) => this.#navigateFromView(intent),
      flash: (kind, message) => {
        const view = this.#view;
        if (view) keepFlash(this.#context.sessions.get(view.visitor.sid), kind, message);
        this.#send({ type: "flash", kind, message });
      },
    };
  }

  /** Reports an error from work outside events (handleInfo, timers): logged and sent to the client. */
  #reportError(error: unknown): void {
    this.#fail(undefined, "app.handler_error", error, "background work of a view failed");
  }

  #currentTitle(): string {
    const view = this.#view;
    if (!view) return "";
    return view.mounted.view.pageTitle.peek() || view.target.route.options.title ||
      view.target.route.view.name;
  }

  /** Sends the page title when the view changed it. */
  #syncTitle(): void {
    const title = this.#currentTitle();
    if (title && title !== this.#title) {
      this.#title = title;
      this.#send({ type: "title", title });
    }
  }

  // #endregion
  // #region Sending

  #scheduleFlush(delay = 0): void {
    if (this.#flushScheduled) return;
    this.#flushScheduled = true;
    const run = () => {
      // Run after any queued message, so a push never interleaves with an event's patch.
      this.#enqueue(() => {
        this.#flushScheduled = false;
        const mounted = this.mounted;
        if (!mounted || this.#closed) return;
        const buffered = this.#transport.bufferedAmount;
        const limits = this.#context.limits;
        if (buffered > limits.hardBufferBytes) {
          this.#context.log(
            "warn",
            `djust: closing a client that stopped reading (${buffered} bytes queued)`,
          );
          this.#transport.close(1008, "client too slow");
          this.close();
          return;
        }
        if (buffered > limits.softBufferBytes) {
          // The client is behind: keep changes in the dirty regions and send one combined patch
          // once it has caught up (Deno has no drain event, so poll).
          this.#scheduleFlush(50);
          return;
        }
        return this.#flush(undefined);
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
    this.#context.metrics.patches++;
    this.#context.metrics.patchBytes += text.length;
    this.#sendText(text);
  }

  /** Refuses a message: the reason is djust's own words, safe to send in any mode. */
  #error(ref: number | undefined, code: ErrorCode, reason: string): void {
    const message: ServerMessage = { type: "error", code, reason };
    if (ref !== undefined) message.ref = ref;
    this.#send(message);
  }

  /**
   * The view's code failed. The server's log gets the error under an incident id; the client gets
   * the code and that id, plus (in development only) the message, the stack and the template
   * position. Production replies never carry an exception's text.
   */
  #fail(ref: number | undefined, code: ErrorCode, error: unknown, what: string): void {
    this.#context.metrics.errors++;
    const incident = randomId(6);
    this.#context.log("error", `djust: ${what} [incident ${incident}]`, error);
    const message: ServerMessage = {
      type: "error",
      code,
      reason: this.#detailedErrors
        ? describeError(error)
        : PUBLIC_REASONS[code] ?? "The view failed",
      incident,
    };
    if (ref !== undefined) message.ref = ref;
    if (this.#detailedErrors) {
      if (error instanceof Error && error.stack) message.stack = error.stack;
      const where = templatePosition(error);
      if (where) message.where = where;
    }
    this.#send(message);
  }

  #send(message: ServerMessage): void {
    this.#sendText(JSON.stringify(message));
  }

  #sendText(text: string): void {
    if (this.#closed) return;
    try {
      this.#transport.send(text);
    } catch (err) {
      this.#context.log("warn", "djust: send failed; closing the connection", err);
      this.close();
    }
  }

  // #endregion
}
