/**
 * One client connection (a socket): join, events, navigation, patches and errors, over any
 * transport (a Deno WebSocket or the in-process test transport). Messages are handled one at a
 * time, in order. The user's *session* (cookie-keyed data) is something else: see lib/session/.
 *
 * Everything a client sends is hostile until checked here: frame size, JSON shape, message kind,
 * a rate per kind, the join deadline; handlers are found only through `@eventHandler()` and checked
 * against the session's user as it is now.
 * @module
 */
import { isMountRefusal } from "./auth.ts";
import { type NotFound, PermissionDenied, Redirect } from "../live/exceptions.ts";
import type { MountedView } from "../live/mounted.ts";
import {
  CLIENT_MESSAGES,
  type ClientMessage,
  type ErrorCode,
  type EventMessage,
  type JoinMessage,
  PROTOCOL_VERSION,
  type ServerMessage,
} from "../live/protocol.ts";
import type { NavigationIntent, ViewSink } from "../live/sink.ts";
import { describeError, templatePosition } from "./error_report.ts";
import { keepFlash, takeFlash } from "./flash.ts";
import { JoinError, type LiveMounter, type LiveTarget, type Visitor } from "./mounter.ts";
import { planNavigation, resolveIntent } from "./navigation.ts";
import { CLOSE_TOO_BIG, Outbox, type Transport } from "./outbox.ts";
import { type Clock, MessageLimits, type MessageRates, monotonic } from "./rate_limit.ts";
import type { SessionEndListener, Sessions } from "./sessions.ts";
import type { Parking } from "./parking.ts";
import { type Snapshots, SnapshotTooLarge } from "./snapshots.ts";
import { Unsaveable } from "../live/snapshot.ts";
import type { TerminateReason } from "../live/view.ts";
import { randomId } from "./tokens.ts";
import { UploadChannel, type UploadContext } from "./upload_channel.ts";
import { KeptHeaders, VISITOR_HEADERS } from "./kept_headers.ts";

export type { Transport };

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
  /** Views mounted (page loads, joins that found no parked view, navigation, resets). */
  mounts: number;
  /** Joins that took over a parked view (the page's own, or one whose socket had dropped). */
  reattaches: number;
  /** Joins that mounted a view and put its saved state back. */
  restores: number;
  /** Upload chunks written (binary frames accepted). */
  uploadChunks: number;
  /** Bytes of those chunks. */
  uploadBytes: number;
}

/** The limits a connection enforces. */
export interface ConnectionLimits {
  /** Largest accepted frame, in bytes. */
  readonly maxFrameBytes: number;
  /** Messages per second by kind (`event`, `navigate`, `join`, `resync`, `ping`). */
  readonly rates: MessageRates;
  /** Queued bytes past which server pushes wait (and coalesce). */
  readonly softBufferBytes: number;
  /** Queued bytes past which the client is disconnected. */
  readonly hardBufferBytes: number;
  /** How long a client may stay past the soft mark before it is disconnected. */
  readonly slowClientTimeoutMs: number;
  /** How long a socket may stay open without joining. */
  readonly joinTimeoutMs: number;
}

/** What a connection works with (given by its App). */
export interface ConnectionContext {
  readonly mounter: LiveMounter;
  readonly sessions: Sessions;
  readonly limits: ConnectionLimits;
  /** Development mode: error replies carry messages, stacks and template positions. */
  readonly dev: boolean;
  readonly metrics: AppMetrics;
  /** The clock of rate limits and deadlines (tests inject one). */
  readonly clock?: Clock;
  /** Logs a server-side problem. */
  log(level: "warn" | "error", message: string, error?: unknown): void;
  /** The connection closed itself (a slow client, a missed deadline): forget it. */
  forget(connection: Connection): void;
  /** Views waiting for a connection (a page's until it joins, a dropped socket's until it rejoins). */
  readonly parking: Parking;
  /** Saved view state. */
  readonly snapshots: Snapshots;
  /** How long a view whose socket dropped waits for the browser to rejoin. */
  readonly reconnectGraceMs: number;
  /** Saved state is written at most this often per view (0: never). */
  readonly persistIntervalMs: number;
  /** A save in progress, which closing the App waits for (a restart must find it). */
  saving?(save: Promise<void>): void;
  /** Temporary files, window and byte budget of uploads. */
  readonly uploads: UploadContext;
}

/**
 * Why a connection closes: the network dropped, the page went away (a clean close: closed,
 * reloaded, navigated off), djust cut it off, or the App is closing.
 */
export type CloseReason = "dropped" | "left" | "policy" | "shutdown";

/** What a connection keeps of the request that opened its socket (the request itself is ~3 KB). */
export interface SocketRequest {
  /** Where the socket's pages come from (`http://host`): the base of the URLs joins name. */
  readonly origin: string;
  /** Its {@link VISITOR_HEADERS}. */
  readonly headers: KeptHeaders;
}

/**
 * What a connection keeps of `upgrade` (read it before upgrading: the request is unusable after).
 *
 * @example
 * ```ts ignore
 * const kept = socketRequest(request);
 * const { socket, response } = Deno.upgradeWebSocket(request);
 * new Connection(context, socket, kept);
 * ```
 */
export function socketRequest(
  upgrade: Request,
  moreHeaders: readonly string[] = [],
): SocketRequest {
  const url = new URL(upgrade.url);
  const names = moreHeaders.length ? [...VISITOR_HEADERS, ...moreHeaders] : VISITOR_HEADERS;
  return {
    origin: `${url.protocol === "wss:" ? "https:" : "http:"}//${url.host}`,
    headers: KeptHeaders.pick(upgrade.headers, names),
  };
}

/** The view a connection shows, with where it came from (for navigation and resets). */
interface Attachment {
  mounted: MountedView;
  /** The route and the URL the view now shows (live patches move the URL). */
  target: LiveTarget;
  visitor: Visitor;
  /** The keyed digest of the session id (set by `#attach`). */
  binding?: string;
}

/** What production clients are told about a failure of the view's code: what, never why. */
const PUBLIC_REASONS: Partial<Record<ErrorCode, string>> = {
  "app.handler_error": "The view could not handle that",
  "app.render_error": "The view could not be rendered",
  "app.mount_error": "The view could not be opened",
};

/** The message types a client may send (anything else is malformed). */
const KINDS = new Set<string>(CLIENT_MESSAGES);

/** Longest `target` (a live component's `myself`) an event may name. */
const MAX_TARGET_LENGTH = 200;

/** How long a signed-out page waits before it is told to load again (see #sessionEnded). */
const SIGNED_OUT_RELOAD_MS = 1_000;

/** How long a rejoin waits for a handler its dropped connection left running. */
const HANDOVER_WAIT_MS = 5_000;

/** Resolves when `work` settles or after `ms`, whichever comes first; never rejects. */
function settledWithin(work: Promise<unknown> | undefined, ms: number): Promise<void> {
  if (!work) return Promise.resolve();
  let timer: number | undefined;
  const late = new Promise<void>((resolve) => {
    timer = setTimeout(resolve, ms) as unknown as number;
  });
  return Promise.race([work.then(() => {}, () => {}), late]).finally(() => clearTimeout(timer));
}

/** What a connection's views report to, and what hears of their session's end. */
type ConnectionListener = ViewSink & SessionEndListener;

/** Makes the sink of a connection's views (see the static block of Connection). */
let sinkOf: (connection: Connection) => ConnectionListener;

/**
 * The server side of one connection.
 *
 * @example
 * ```ts ignore
 * const connection = new Connection(context, transport, socketRequest(upgradeRequest));
 * socket.onmessage = (e) => connection.receive(e.data);
 * socket.onclose = () => connection.close();
 * ```
 */
export class Connection {
  static {
    /**
     * What a view on a connection reports to, and what hears of its session's end: one small
     * object whose methods live on a shared prototype (a closure per method costs a connection
     * ~400 bytes). Declared here to reach the connection's private methods.
     */
    class ConnectionSink implements ViewSink, SessionEndListener {
      readonly #connection: Connection;
      constructor(connection: Connection) {
        this.#connection = connection;
      }
      dirty(): void {
        this.#connection.#scheduleFlush();
      }
      push(event: string, payload: unknown): void {
        this.#connection.#send({ type: "push", event, payload });
      }
      failed(error: unknown): void {
        const message = "background work of a view failed";
        this.#connection.#fail(undefined, "app.handler_error", error, message);
      }
      navigate(intent: NavigationIntent): void {
        this.#connection.#navigateFromView(intent);
      }
      flash(kind: string, message: string): void {
        const view = this.#connection.#view;
        if (view) keepFlash(view.visitor.session, kind, message);
        this.#connection.#send({ type: "flash", kind, message });
      }
      sessionEnded(): void {
        this.#connection.#sessionEnded();
      }
    }
    sinkOf = (connection) => new ConnectionSink(connection);
  }

  #context: ConnectionContext;
  /** What the connection keeps of the request that opened the socket. */
  #upgrade: SocketRequest;
  #outbox: Outbox;
  #limits: MessageLimits;
  #detailedErrors: boolean;
  #view: Attachment | null = null;
  #title = "";
  #queue: Promise<void> = Promise.resolve();
  /** Work queued or running (0: the connection is idle). */
  #pending = 0;
  #flushScheduled = false;
  #closed = false;
  #joinDeadline: number | undefined;
  #persistTimer: number | undefined;
  #loggedNoise = false;
  /** Why the connection closed (a view that arrives later is parked or ended accordingly). */
  #closeReason: CloseReason = "shutdown";
  /** The reload a signed-out page is sent (see #sessionEnded). */
  #signedOutReload: number | undefined;
  /** Development: components left out of a saved state were reported (once per connection). */
  #warnedSkipped = false;
  /** True while the page shows a development overlay. */
  #overlay = false;
  /** Made on the first upload message or chunk: most connections never upload. */
  #uploads: UploadChannel | null = null;
  /** The sink of this connection's views (made with the first). */
  #viewSink: ConnectionListener | null = null;

  /**
   * `detailedErrors` sends exception messages, stacks and template positions even in production:
   * for the in-process test toolkit, whose "client" is the developer.
   */
  constructor(
    context: ConnectionContext,
    transport: Transport,
    upgrade: SocketRequest,
    options: { detailedErrors?: boolean } = {},
  ) {
    this.#context = context;
    this.#detailedErrors = options.detailedErrors ?? context.dev;
    this.#upgrade = upgrade;
    const clock = context.clock ?? monotonic;
    this.#outbox = new Outbox(transport, context.limits, clock, (reason) => {
      context.log("warn", `djust: closing a connection: ${reason}`);
      this.close("policy");
      context.forget(this);
    });
    this.#limits = new MessageLimits(context.limits.rates, clock);
    // A socket that never joins holds memory for nothing: it gets a few seconds.
    // Deno timer ids are numbers (the npm Node typings in scope say otherwise).
    this.#joinDeadline = setTimeout(() => {
      this.#joinDeadline = undefined;
      if (!this.#view && !this.#closed) this.#outbox.cutOff("no join before the deadline");
    }, context.limits.joinTimeoutMs) as unknown as number;
  }

  /** The mounted view, once joined. */
  get mounted(): MountedView | null {
    return this.#view?.mounted ?? null;
  }

  /** Accepts one frame. Processing is queued so messages apply in order. */
  receive(data: string | ArrayBuffer | Uint8Array): Promise<void> {
    // The size is checked before queueing: an oversized frame is refused at once, not stored.
    if (this.#oversized(data)) return Promise.resolve();
    if (typeof data !== "string") {
      // A binary frame is an upload chunk, admitted before it queues: a client past its window
      // is refused here, so the queue never holds more chunks than the windows allow.
      if (this.#closed) return Promise.resolve();
      const uploads = this.#uploadChannel();
      const chunk = uploads.admit(data, this.mounted);
      if (!chunk) return Promise.resolve();
      return this.#enqueue(() => uploads.write(chunk, this.mounted));
    }
    return this.#enqueue(() => this.#handle(data));
  }

  /**
   * Development: the App's template files changed. The view compiles its template again and shows
   * it with the same state; a template that does not compile shows over the page until it does.
   * A changed layout (outside the live root) reloads the page.
   */
  templatesChanged(layoutChanged: boolean): Promise<void> {
    return this.#enqueue(() => {
      const view = this.#view;
      if (!view) return;
      if (layoutChanged) {
        const url = view.target.url;
        return this.#send({
          type: "nav",
          kind: "redirect",
          url: url.pathname + url.search,
          replace: false,
        });
      }
      let html: string;
      try {
        html = view.mounted.recompile();
      } catch (err) {
        this.#overlay = true;
        return this.#send({ type: "overlay", text: describeError(err) });
      }
      if (this.#overlay) {
        this.#overlay = false;
        this.#send({ type: "overlay", text: "" });
      }
      this.#send({ type: "render", html });
    });
  }

  /** Resolves once every queued message and navigation has been handled. */
  async idle(): Promise<void> {
    for (let q = this.#queue;; q = this.#queue) {
      await q;
      if (q === this.#queue) return;
    }
  }

  /**
   * Ends the connection. When the browser went away (`dropped`), its view is parked for the grace
   * period, its state saved, so a rejoin gets the same instance back; otherwise the view ends.
   */
  close(reason: CloseReason = "shutdown"): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#closeReason = reason;
    this.#outbox.closed();
    this.#uploads?.close();
    this.#clearJoinDeadline();
    clearTimeout(this.#signedOutReload);
    if (reason === "dropped" && this.#view) this.#park(this.#view);
    else this.#release(reason === "shutdown" ? "shutdown" : "closed");
  }

  /** The deadline is met (or moot): its timer goes, and so does the object Deno made for it. */
  #clearJoinDeadline(): void {
    clearTimeout(this.#joinDeadline);
    this.#joinDeadline = undefined;
  }

  /** The connection's uploads (the channel is made on first use). */
  #uploadChannel(): UploadChannel {
    if (this.#uploads) return this.#uploads;
    const context = this.#context;
    const clock = context.clock ?? monotonic;
    return this.#uploads = new UploadChannel(
      context.uploads,
      context.limits.maxFrameBytes,
      clock,
      {
        send: (message) => this.#send(message),
        log: (level, message, error) => context.log(level, message, error),
        cutOff: (reason) => this.#outbox.cutOff(reason),
        written: (bytes) => {
          context.metrics.uploadChunks++;
          context.metrics.uploadBytes += bytes;
        },
      },
    );
  }

  /** Runs `work` after everything queued; a failure is logged and reported, never thrown. */
  #enqueue(work: () => unknown): Promise<void> {
    this.#pending++;
    this.#queue = this.#queue.then(work).then(() => {
      this.#pending--;
    }, (err) => {
      this.#pending--;
      const incident = randomId(6);
      this.#context.log("error", `djust: connection failure [incident ${incident}]`, err);
      this.#send({
        type: "error",
        code: "server.internal",
        reason: "Internal server error",
        incident,
      });
    });
    return this.#queue;
  }

  // #region Intake

  /** True (and the socket closed) when a frame exceeds the limit. */
  #oversized(data: string | ArrayBuffer | Uint8Array): boolean {
    const limit = this.#context.limits.maxFrameBytes;
    const size = typeof data === "string" ? utf8Length(data, limit) : data.byteLength;
    if (size <= limit) return false;
    this.#error(undefined, "client.too_large", `Frame of ${size} bytes exceeds ${limit}`);
    this.#outbox.cutOff("a frame over the size limit", CLOSE_TOO_BIG);
    return true;
  }

  async #handle(data: string): Promise<void> {
    if (this.#closed) return;
    let message: ClientMessage;
    try {
      message = JSON.parse(data);
    } catch {
      return this.#error(undefined, "client.malformed", "Frame is not valid JSON");
    }
    if (!message || typeof message !== "object" || !KINDS.has(message.type)) {
      return this.#error(undefined, "client.malformed", "Message needs a known 'type'");
    }
    if (!this.#limits.allow(message.type)) return this.#refuseNoise(message);
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
      case "upload":
      case "upload_start":
      case "upload_progress":
        return await this.#uploadChannel().message(message, this.mounted);
    }
  }

  /**
   * A message over its kind's rate is dropped. Each event gets its refusal (the client clears its
   * loading state by ref); other kinds get one refusal per run. The log hears about it once per
   * connection, and a client that keeps flooding is disconnected.
   */
  #refuseNoise(message: ClientMessage): void {
    if (!this.#loggedNoise) {
      this.#loggedNoise = true;
      this.#context.log("warn", `djust: a connection sends ${message.type} messages too fast`);
    }
    if (this.#limits.refused > 1000) return this.#outbox.cutOff("flooding");
    const ref = "ref" in message && typeof message.ref === "number" ? message.ref : undefined;
    if (message.type === "event" || this.#limits.notice(message.type)) {
      this.#error(ref, "client.rate_limited", `Too many ${message.type} messages per second`);
    }
  }

  // #endregion
  // #region Join and events

  async #join(message: JoinMessage): Promise<void> {
    if (message.v !== PROTOCOL_VERSION) {
      return this.#error(
        undefined,
        "auth.version",
        `Protocol version ${message.v} is not ${PROTOCOL_VERSION}; reload the page`,
      );
    }
    const { mounter, sessions, parking, snapshots, metrics } = this.#context;
    this.#release("replaced");
    let target: LiveTarget | null = null;
    try {
      const session = await sessions.current(this.#upgrade.headers);
      const joined = await mounter.verifyJoin(message, session, (path) => this.#pageUrl(path));
      target = joined.target;
      const visitor = await mounter.visitor(session!, this.#upgrade.headers);
      let html: string | undefined;
      const parked = parking.take(joined.viewId, joined.binding);
      if (parked) {
        // Work the dropped connection began on it ends first (a handler that hangs is not
        // waited for past HANDOVER_WAIT_MS: its changes then reach this connection as a patch).
        await settledWithin(parked.settled, HANDOVER_WAIT_MS);
        // The same instance comes back: the page's own mount, or the view of a dropped socket.
        // The guards decide again with the session as it is now.
        try {
          await mounter.recheck(parked.mounted.view, target, visitor);
        } catch (err) {
          parked.mounted.end("closed");
          throw err;
        }
        // A page load's view builds its regions now (with the page's anchors); the page is
        // current unless what it showed changed in between.
        const changed = parked.mounted.goLive();
        parked.mounted.attach(this.#sink());
        // The page load's headers go: what mounts on this socket later (navigation, a reset)
        // gets the socket's, as a join's own mount does.
        const kept = { ...parked.visitor, headers: visitor.headers };
        if (!await this.#attach({ mounted: parked.mounted, target, visitor: kept })) return;
        metrics.reattaches++;
        // The browser may show anything from before the drop: it gets what the view is now.
        if (parked.joined || message.rejoin || parked.mounted.dirty) {
          html = parked.mounted.rerender();
        } else if (changed !== null) html = changed;
      } else {
        const snapshot = this.#persists(target)
          ? await snapshots.load(joined.viewId, joined.binding)
          : null;
        const mounted = await mounter.mount(target, visitor, this.#sink(), {
          id: joined.viewId,
          snapshot: snapshot ?? undefined,
        });
        metrics.mounts++;
        if (mounted.restore?.restored) metrics.restores++;
        else if (mounted.restore) {
          this.#context.log(
            "warn",
            `djust: saved state of ${target.route.view.name} dropped: ${mounted.restore.reason}`,
          );
        }
        if (!await this.#attach({ mounted, target, visitor })) return;
        // The page's own view is gone (its join came late, or it was evicted): what the page shows
        // cannot be vouched for, so it gets this render. (Tokens carry no digest of the page: it
        // cost a SHA-256 of the whole page on every page load, for this rare case.)
        html = mounted.takeHtml();
      }
      this.#clearJoinDeadline();
      // The page was rendered with the same title the join computes: only later changes are sent.
      this.#title = this.#currentTitle();
      metrics.joins++;
      this.#send(html === undefined ? { type: "joined" } : { type: "joined", html });
      this.#syncTitle();
      await this.#view?.visitor.session.save();
    } catch (err) {
      if (err instanceof JoinError) return this.#error(undefined, err.code, err.message);
      if (target && isMountRefusal(err)) return this.#refusedMount(undefined, err, target.url);
      this.#fail(undefined, "app.mount_error", err, "mounting a view at join failed");
    }
  }

  async #event(message: EventMessage): Promise<void> {
    const ref = typeof message.ref === "number" ? message.ref : undefined;
    const view = this.#view;
    if (!view) return this.#error(ref, "client.not_joined", "Join before sending events");
    if (
      typeof message.name !== "string" ||
      (message.params !== undefined &&
        (typeof message.params !== "object" || message.params === null ||
          Array.isArray(message.params))) ||
      (message.target !== undefined &&
        (typeof message.target !== "string" || message.target.length > MAX_TARGET_LENGTH))
    ) {
      return this.#error(
        ref,
        "client.malformed",
        "An event needs a string 'name', an object 'params' and, if any, a string 'target'",
      );
    }
    const target = message.target;
    const permission = view.mounted.handlerOptions(message.name, target)?.permission;
    if (permission !== undefined && !(await this.#userMay(permission))) {
      return this.#error(ref, "auth.forbidden", `This needs the permission ${permission}`);
    }
    this.#context.metrics.events++;
    const result = await view.mounted.dispatch(message.name, message.params ?? {}, target);
    // The socket dropped while the handler ran: the view's next carrier sends what it changed.
    if (this.#view !== view) return view.mounted.handOver();
    if (!result.ok) {
      if (result.code !== "app.handler_error") return this.#error(ref, result.code, result.reason);
      if (result.error instanceof PermissionDenied) {
        return this.#error(ref, "auth.forbidden", "Permission denied");
      }
      if (result.error instanceof Redirect) return this.#redirectTo(result.error, ref);
      this.#fail(ref, result.code, result.error, `handler ${message.name} failed`);
      // The view may be half-updated: start again from a clean mount.
      return await this.#reset(ref);
    }
    await this.#flush(ref);
  }

  /** Whether the session's user, as the store has it now, holds `permission`. */
  async #userMay(permission: string): Promise<boolean> {
    const { mounter, sessions } = this.#context;
    const session = await sessions.current(this.#upgrade.headers);
    if (!session) return false;
    return mounter.can(await mounter.visitor(session, this.#upgrade.headers), permission);
  }

  /**
   * Sends what changed as one patch (an event's reply when `ref` is given), and saves the
   * session if the view wrote to it. A render that throws is the view's failure: reported, and
   * the view starts again from a clean mount.
   */
  async #flush(ref: number | undefined): Promise<void> {
    const view = this.#view;
    if (!view) return;
    let ops;
    try {
      ops = view.mounted.flush();
    } catch (error) {
      this.#fail(ref, "app.render_error", error, "rendering a view failed");
      return await this.#reset(ref);
    }
    // An event always gets a reply (even with no ops) so the client can clear its loading state.
    if (ops.length || ref !== undefined) {
      const text = JSON.stringify(
        ref === undefined ? { type: "patch", ops } : { type: "patch", ref, ops },
      );
      this.#context.metrics.patches++;
      this.#context.metrics.patchBytes += text.length;
      this.#outbox.send(text);
    }
    this.#syncTitle();
    this.#schedulePersist();
    await view.visitor.session.save();
  }

  #resync(): void {
    const mounted = this.mounted;
    if (!mounted) return this.#error(undefined, "client.not_joined", "Join before resync");
    this.#context.metrics.resyncs++;
    if (this.#context.metrics.resyncs === 1 || this.#context.dev) {
      this.#context.log("warn", "djust: a client could not apply a patch; sending a full render");
    }
    this.#send({ type: "render", html: mounted.rerender() });
  }

  /** Mounts the current view afresh (after its code failed) and sends its whole render. */
  async #reset(ref: number | undefined): Promise<void> {
    // Off the connection while it mounts again: a close meanwhile has no half-reset view to park.
    const view = this.#detach();
    if (!view) return;
    const id = view.mounted.id;
    view.mounted.dispose();
    try {
      view.mounted = await this.#context.mounter.mount(view.target, view.visitor, this.#sink(), {
        id,
      });
      this.#context.metrics.mounts++;
      if (!await this.#attach(view)) return;
      this.#send({ type: "render", ref, html: view.mounted.takeHtml() });
    } catch (err) {
      const failure = view.mounted.end("closed");
      if (failure) this.#context.log("error", "djust: a view's terminate() failed", failure);
      if (isMountRefusal(err)) return this.#refusedMount(ref, err, view.target.url);
      this.#fail(ref, "app.mount_error", err, "mounting a view again after a failure failed");
    }
  }

  /**
   * A mount stopped by a hook or the view: over the socket that is a page load, of the redirect's
   * URL, or of the page itself (which then answers 403 or 404).
   */
  #refusedMount(
    ref: number | undefined,
    refusal: Redirect | PermissionDenied | NotFound,
    url: URL,
  ): void {
    if (refusal instanceof Redirect) return this.#redirectTo(refusal, ref);
    this.#send({ type: "nav", kind: "redirect", url: url.pathname + url.search, replace: false });
  }

  /** `throw new Redirect(url)` from view code: a page load of `url`, if it is a safe one. */
  #redirectTo(redirect: Redirect, ref: number | undefined): void {
    const base = this.#view?.target.url ?? this.#pageUrl("/");
    const intent: NavigationIntent = {
      kind: "redirect",
      to: redirect.url,
      external: redirect.external,
    };
    const resolved = resolveIntent(intent, base);
    if ("refused" in resolved) {
      this.#context.log("warn", `djust: refused a redirect: ${resolved.refused}`);
      return this.#error(ref, "auth.forbidden", "Permission denied");
    }
    this.#send({ type: "nav", kind: "redirect", url: resolved.url, replace: false });
  }

  // #endregion
  // #region Navigation

  /**
   * The URL changes to `path`: within the current view, `handleParams` runs and a patch follows;
   * for another live view, it is mounted on this connection and `navigated` carries its HTML and
   * token; anything else on this origin is loaded by the browser.
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
      return this.#error(ref, "client.malformed", "navigate needs a URL");
    }
    const step = planNavigation(this.#context.mounter, view.target, url);
    if (!step) return this.#error(ref, "client.malformed", "Live navigation stays on this origin");
    if (step.kind === "load") {
      return this.#send({ type: "nav", kind: "redirect", url: step.url, replace: false });
    }
    if (step.kind === "params") {
      view.target = step.target;
      const result = await view.mounted.patchParams(url, step.target.params);
      if (this.#view !== view) return view.mounted.handOver();
      if (!result.ok) {
        if (isMountRefusal(result.error)) return this.#refusedMount(ref, result.error, url);
        this.#fail(ref, result.code, result.error, "handleParams failed");
        return await this.#reset(ref);
      }
      return await this.#flush(ref);
    }
    const { mounter } = this.#context;
    try {
      const next = await mounter.mount(step.target, view.visitor, this.#sink());
      this.#context.metrics.mounts++;
      this.#release("navigated");
      const attached = { mounted: next, target: step.target, visitor: view.visitor };
      if (!await this.#attach(attached, "end")) return;
      const html = next.takeHtml();
      const token = await mounter.token(step.target, view.visitor.session, next.id);
      this.#title = this.#currentTitle();
      const message: ServerMessage = {
        type: "navigated",
        html,
        token,
        title: this.#title,
      };
      if (ref !== undefined && !fromView) message.ref = ref;
      this.#send(message);
      for (const [kind, text] of Object.entries(takeFlash(view.visitor.session))) {
        this.#send({ type: "flash", kind, message: text });
      }
      await view.visitor.session.save();
    } catch (err) {
      if (isMountRefusal(err)) return this.#refusedMount(ref, err, url);
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
    return new URL(path, this.#upgrade.origin);
  }

  // #endregion
  // #region The attached view

  /**
   * Shows `view` on this connection, and ends it when its session signs out anywhere. False when
   * the connection closed meanwhile: the view is then parked (`late`: a join's) or ended.
   */
  async #attach(view: Attachment, late: "park" | "end" = "park"): Promise<boolean> {
    this.#view = view;
    const { sessions } = this.#context;
    const binding = view.binding = await sessions.binding(view.visitor.session.id);
    if (this.#view !== view) return false;
    if (this.#closed) {
      // The socket closed while the view was on its way (a slow mount, a handler of a dropped
      // connection waited for): nothing else will end it. A join's view waits for its page as a
      // dropped socket's does; a navigation's, whose token no page has, ends.
      if (late === "park" && this.#closeReason === "dropped") this.#park(view);
      else this.#release("closed");
      return false;
    }
    // The sink hears of the session's end (see #sessionEnded); #detach stops it listening.
    sessions.listen(binding, this.#sink());
    return true;
  }

  /**
   * The attached view's session signed out (here or elsewhere): the view ends now, and the page
   * loads again (as whoever the visitor is now) a moment later. A sign-out form posted from this
   * very page is navigating it already, and the answer to the post (say, `/login`) must win over a
   * reload of the page (`/login?next=…`): the post's navigation closes this socket with 1001, and
   * the reload is never sent.
   */
  #sessionEnded(): void {
    const view = this.#view;
    if (!view) return;
    const url = view.target.url;
    const reload = url.pathname + url.search;
    this.#release("logout");
    clearTimeout(this.#signedOutReload);
    this.#signedOutReload = setTimeout(() => {
      this.#send({ type: "nav", kind: "redirect", url: reload, replace: false });
    }, SIGNED_OUT_RELOAD_MS) as unknown as number;
  }

  /** Takes the view off this connection and stops listening for its session's end. */
  #detach(): Attachment | null {
    const view = this.#view;
    if (view?.binding) this.#context.sessions.unlisten(view.binding, this.#sink());
    clearTimeout(this.#persistTimer);
    this.#persistTimer = undefined;
    this.#view = null;
    return view;
  }

  /**
   * Ends the view for good (`terminate(reason)`, then everything it started). Its saved state is
   * dropped when it cannot be wanted again (navigated away, replaced, signed out), kept otherwise
   * (closed or shut down: a later rejoin may restore it).
   */
  #release(reason: TerminateReason): void {
    const view = this.#detach();
    if (!view) return;
    const failure = view.mounted.end(reason);
    if (failure) this.#context.log("error", "djust: a view's terminate() failed", failure);
    if (reason === "navigated" || reason === "replaced" || reason === "logout") {
      this.#context.snapshots.drop(view.mounted.id).catch(() => {});
    }
  }

  /** The browser went away: the view waits for it (grace period), its state saved meanwhile. */
  #park(view: Attachment): void {
    this.#detach();
    // A handler may still be running (the socket dropped mid-event): the snapshot, and a rejoin
    // that takes the view, wait for it, so neither misses what it changes. Otherwise the state is
    // taken now (an App closing right after ends the view).
    const settled = this.#pending ? this.idle() : undefined;
    const save = settled ? settled.then(() => this.#persist(view)) : this.#persist(view);
    this.#context.saving?.(save);
    view.mounted.park();
    if (!view.binding) return void view.mounted.end("closed");
    this.#context.parking.park(view.mounted.id, {
      mounted: view.mounted,
      target: view.target,
      visitor: view.visitor,
      binding: view.binding,
      joined: true,
      settled,
    }, this.#context.reconnectGraceMs);
  }

  /** True when views of `target` save their state (the App's setting and the view's). */
  #persists(target: LiveTarget): boolean {
    return this.#context.persistIntervalMs > 0 && target.route.view.persist !== false;
  }

  /** Saves the view's state soon (at most once per `persistIntervalMs`). */
  #schedulePersist(): void {
    const view = this.#view;
    if (!view || this.#persistTimer !== undefined || !this.#persists(view.target)) return;
    this.#persistTimer = setTimeout(() => {
      this.#persistTimer = undefined;
      if (this.#view === view) void this.#persist(view);
    }, this.#context.persistIntervalMs) as unknown as number;
  }

  /** Seals and stores the view's public state now. Failures are logged, never thrown. */
  async #persist(view: Attachment): Promise<void> {
    // An ended view (the App closed while a handler ran) has let its components go: the last
    // snapshot stands.
    if (!this.#persists(view.target) || view.mounted.ended) return;
    try {
      const binding = view.binding ?? await this.#context.sessions.binding(view.visitor.session.id);
      const { snapshot, skipped } = view.mounted.snapshot();
      if (skipped.length && this.#context.dev && !this.#warnedSkipped) {
        this.#warnedSkipped = true;
        this.#context.log(
          "warn",
          `djust: components of ${view.target.route.view.name} left out of its saved state: ${
            skipped.join("; ")
          }`,
        );
      }
      await this.#context.snapshots.save(view.mounted.id, view.visitor.session, binding, snapshot);
      await view.visitor.session.save();
    } catch (err) {
      if (err instanceof SnapshotTooLarge || err instanceof Unsaveable) {
        const name = view.target.route.view.name;
        const level = this.#context.dev ? "error" : "warn";
        this.#context.log(level, `djust: the state of ${name} is not saved: ${err.message}`);
      } else this.#context.log("error", "djust: saving a view's state failed", err);
    }
  }

  /** The sink a view mounted on this connection reports to. */
  #sink(): ConnectionListener {
    return this.#viewSink ??= sinkOf(this);
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
        if (!this.#view || this.#closed) return;
        // A client that is behind keeps its changes in the dirty regions and gets one combined
        // patch once it has caught up (Deno has no drain event, so poll); one that stays behind
        // past the deadline is disconnected by the outbox.
        if (this.#outbox.behind) {
          if (this.#outbox.open) this.#scheduleFlush(50);
          return;
        }
        return this.#flush(undefined);
      });
    };
    if (delay) setTimeout(run, delay);
    else queueMicrotask(run);
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
    const detailed = this.#detailedErrors;
    const message: ServerMessage = {
      type: "error",
      code,
      reason: detailed ? describeError(error) : PUBLIC_REASONS[code] ?? "The view failed",
      incident,
    };
    if (ref !== undefined) message.ref = ref;
    if (detailed) {
      if (error instanceof Error && error.stack) message.stack = error.stack;
      const where = templatePosition(error);
      if (where) message.where = where;
    }
    this.#send(message);
  }

  #send(message: ServerMessage): void {
    if (!this.#closed) this.#outbox.send(JSON.stringify(message));
  }

  // #endregion
}

/**
 * The UTF-8 length of `text`, counted without encoding it (no copy of a large frame); stops
 * counting once past `limit`.
 */
function utf8Length(text: string, limit: number): number {
  // Each UTF-16 unit is 1 to 3 bytes: short strings and very long ones need no counting.
  if (text.length * 3 <= limit) return text.length;
  if (text.length > limit) return text.length;
  let bytes = 0;
  for (let i = 0; i < text.length && bytes <= limit; i++) {
    const c = text.charCodeAt(i);
    bytes += c < 0x80 ? 1 : c < 0x800 ? 2 : c >= 0xd800 && c < 0xdc00 ? (i++, 4) : 3;
  }
  return bytes;
}
