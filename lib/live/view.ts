/**
 * The LiveView base class: what a view's code can call (`this.subscribe`, `this.pushPatch`, …).
 * @module
 */
import { type ReadonlySignal, type Signal, signal } from "./signals.ts";
import type { PresenceDiff, PresenceList } from "../pubsub/presence.ts";
import type { ViewRuntime } from "./runtime.ts";
import { type AsyncOutcome, AsyncResult } from "./async_work.ts";
import { type StreamOptions, streamsOf } from "./streams.ts";
import { isSignal } from "../template/values.ts";
import type { Session } from "../session/session.ts";
import type { ComponentClass } from "./component.ts";
import { hostOfView } from "./component_host.ts";
import { type UploadedEntry, type UploadOptions, uploadsOf } from "./uploads/index.ts";

/** For each view, which `assignAsync` group loads each key (so `cancelAsync(key)` can stop it). */
const ASSIGN_GROUPS = new WeakMap<LiveView, Map<string, string>>();

/** The runtime attached to each mounted view (kept outside the instance so it is never state). */
const RUNTIMES = new WeakMap<LiveView, ViewRuntime>();

/** Attaches (or detaches, with null) the runtime of a mounted view. */
export function attachRuntime(view: LiveView, runtime: ViewRuntime | null): void {
  if (runtime) RUNTIMES.set(view, runtime);
  else RUNTIMES.delete(view);
}

function runtimeOf(view: LiveView): ViewRuntime | undefined {
  return RUNTIMES.get(view);
}

/**
 * A server-rendered, stateful view. Subclass it, declare state as signals (or plain fields, which
 * are made reactive after `mount`), write a Django template, and mark event handlers.
 *
 * Fields whose names start with `_` are private: never in the template, never serialized or sent.
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
 * ```
 */
export abstract class LiveView {
  /** Inline Django template of the view. */
  static template?: string;
  /** Or: name of a template file found through the App's template dirs. */
  static templateName?: string;
  /** Layout template for this view's pages (default: the App's `layout`). */
  static layout?: string;
  /**
   * Public fields the browser may write through `dj-model="field"`. Nothing else can be written
   * from the client: any other name is refused with `client.not_bindable`.
   */
  static bindable?: readonly string[];
  /**
   * False keeps this view's state out of the session store: after a restart, a deploy or a
   * reconnect past the grace period it mounts fresh. (Reattaching within the grace period keeps
   * the same instance either way.)
   */
  static persist?: boolean;
  /**
   * Checks (or migrates) a saved state before it is applied after a restart or deploy: return the
   * fields to apply, or null to mount fresh. Fields are public field names with plain values.
   */
  static restore?(snapshot: Record<string, unknown>): Record<string, unknown> | null;
  /**
   * Live components the template renders with `{% live_component "name" id=… %}`, by name.
   * Their messages (`sendParent`) arrive in `handleInfo` as `{ event, id, payload }`.
   */
  static components?: Readonly<Record<string, ComponentClass>>;

  /**
   * The visitor's session (server side only; never sent to the browser). Writes are saved when the
   * event is over.
   */
  declare readonly session: Session;

  /** The signed-in user (from the App's `auth.user`), or null. */
  declare readonly user: unknown;

  /** The page title; changing it updates `document.title`. Empty: the route's title. */
  pageTitle: Signal<string> = signal("");

  /**
   * The language this view's templates translate into (`{% translate %}`, `{% blocktranslate %}`,
   * `{% get_current_language %}`). Set before `mount` from the visitor's choice (the session's
   * `_language`, the `django_language` cookie, Accept-Language); assigning it re-renders just the
   * translated parts. It is state: a restored view keeps the language it had. To make a choice
   * stick for the visitor's next pages too, also `this.session.set("_language", code)`.
   */
  language: Signal<string> = signal("");

  /**
   * Called on the HTTP render and again when the socket joins; set up state here. `request` is the
   * page's on the HTTP render. Over the socket (a join that mounts afresh, a navigation, a reset)
   * it carries the page's URL and the headers a connection keeps of its socket's: cookie,
   * accept-language, user-agent, origin, referer, host and the proxy forwarding headers
   * (`VISITOR_HEADERS` in lib/server/kept_headers.ts), and any the App lists in `socketHeaders`.
   */
  mount(_request: Request, _params: Record<string, string>): void | Promise<void> {}

  /** Derived values for the template, merged over public state. Runs inside a `computed`. */
  getContextData(): Record<string, unknown> {
    return {};
  }

  /** Sends an event to client-side hooks (`this.handleEvent(name, fn)` in a hook). */
  pushEvent(name: string, payload: unknown = {}): void {
    runtimeOf(this)?.push(name, payload);
  }

  /** True when the view runs over a live connection; false during the first HTTP render. */
  get connected(): boolean {
    return runtimeOf(this)?.connected ?? false;
  }

  /** Receives messages of `topic` in `handleInfo` until the view closes (no-op during HTTP render). */
  subscribe(topic: string): void {
    runtimeOf(this)?.subscribe(topic);
  }

  /** Publishes `message` on `topic` in every process; `exceptSelf` skips this view. */
  broadcast(
    topic: string,
    message: unknown,
    options: { exceptSelf?: boolean } = {},
  ): Promise<void> {
    return runtimeOf(this)?.broadcast(topic, message, options.exceptSelf ?? false) ??
      Promise.resolve();
  }

  /** Marks this view present on `topic` as `key` (one key may have several metas: tabs). */
  trackPresence(topic: string, key: string, meta: Record<string, unknown> = {}): void {
    runtimeOf(this)?.trackPresence(topic, key, meta);
  }

  /** Calls `handlePresenceDiff` for changes on `topic` without being present on it. */
  watchPresence(topic: string): void {
    runtimeOf(this)?.watchPresence(topic);
  }

  /** Everyone present on `topic`, across processes: `{ key: { metas: [...] } }`. */
  listPresence(topic: string): PresenceList {
    return runtimeOf(this)?.listPresence(topic) ?? {};
  }

  /** Runs `fn` after `ms` (batched, then flushed to the client); cleared when the view closes. */
  setTimeout(fn: () => unknown, ms: number): number {
    return runtimeOf(this)?.setTimeout(fn, ms) ?? 0;
  }

  /** Runs `fn` every `ms` (batched, then flushed to the client); cleared when the view closes. */
  setInterval(fn: () => unknown, ms: number): number {
    return runtimeOf(this)?.setInterval(fn, ms) ?? 0;
  }

  /**
   * Loads a value asynchronously into the field `key` (declared `stats = asyncResult()`): the
   * template sees `stats.loading`, then `stats.ok` and `stats.result`, or `stats.failed`. With
   * several keys, `work` returns an object with a value per key. The work runs beside the view's
   * events once the view is connected, and is cancelled when the view ends or `assignAsync` runs
   * again for the same keys.
   */
  assignAsync(
    key: string | readonly string[],
    work: (signal: AbortSignal) => unknown | Promise<unknown>,
  ): void {
    const keys = typeof key === "string" ? [key] : [...key];
    const record = this as unknown as Record<string, unknown>;
    const set = (name: string, value: AsyncResult) => {
      const field = record[name];
      if (isSignal(field)) (field as { value: unknown }).value = value;
      else record[name] = value;
    };
    const current = (name: string) => {
      const field = record[name];
      const value = isSignal(field) ? field.peek() : field;
      return value instanceof AsyncResult ? value.result : undefined;
    };
    for (const name of keys) set(name, AsyncResult.loading(current(name)));
    const runtime = runtimeOf(this);
    const group = "assign:" + keys.join(",");
    let groups = ASSIGN_GROUPS.get(this);
    if (!groups) ASSIGN_GROUPS.set(this, groups = new Map());
    for (const name of keys) groups.set(name, group);
    runtime?.startAsync(group, work, (outcome) => {
      if (outcome.ok) {
        for (const name of keys) {
          const value = keys.length === 1
            ? outcome.value
            : (outcome.value as Record<string, unknown> | null)?.[name];
          set(name, AsyncResult.ok(value));
        }
      } else if (!outcome.cancelled) {
        const reason = runtime.detailedErrors && outcome.error instanceof Error
          ? outcome.error.message
          : "failed";
        for (const name of keys) set(name, AsyncResult.failed(reason));
      }
    });
  }

  /**
   * Runs `work` as async work `name`, beside the view's events; `handleAsync(name, outcome)` gets
   * its result. Starting the same name again cancels the running one (its AbortSignal fires).
   */
  startAsync(name: string, work: (signal: AbortSignal) => unknown | Promise<unknown>): void {
    runtimeOf(this)?.startAsync(name, work, (outcome) => this.handleAsync(name, outcome));
  }

  /**
   * Cancels async work `name` (its AbortSignal fires; `handleAsync` is not called). For a key of
   * `assignAsync` still loading, the load stops and the key shows `failed` ("cancelled").
   */
  cancelAsync(name: string): void {
    const runtime = runtimeOf(this);
    runtime?.cancelAsync(name);
    const group = ASSIGN_GROUPS.get(this)?.get(name);
    if (group === undefined) return;
    runtime?.cancelAsync(group);
    const record = this as unknown as Record<string, unknown>;
    for (const [key, of] of ASSIGN_GROUPS.get(this)!) {
      if (of !== group) continue;
      const field = record[key];
      const value = isSignal(field) ? field.peek() : field;
      if (!(value instanceof AsyncResult) || !value.loading) continue;
      const failed = AsyncResult.failed("cancelled");
      if (isSignal(field)) (field as { value: unknown }).value = failed;
      else record[key] = failed;
    }
  }

  /** Receives the outcome of `startAsync(name, …)`: `{ ok: true, value }` or `{ ok: false, error }`. */
  handleAsync(_name: string, _outcome: AsyncOutcome): void | Promise<void> {}

  /**
   * Calls `update(props)` of the live component `component` with `id` in this view (if it is on
   * the page), with only these props: e.g. after data it shows changed elsewhere.
   */
  sendUpdate(component: ComponentClass, id: unknown, props: Record<string, unknown>): void {
    hostOfView(this)?.sendUpdate(component, id, props);
  }

  /**
   * Sends `items` to the stream `name`, which the template shows as
   * `{% for id, item in streams.name %}<li id="{{ id }}">…{% endfor %}` inside an element with an
   * `id` and `dj-update="stream"`. The server forgets the items once they are sent; calling it again
   * appends (or inserts `at`), unless `reset: true` replaces what the browser shows. An item whose
   * DOM id the browser already shows is replaced in place.
   */
  stream<T>(name: string, items: Iterable<T>, options: StreamOptions<T> = {}): void {
    const stream = streamsOf(this).get<T>(name);
    if (options.domId) stream.setDomId(options.domId);
    stream.insert(items, options);
  }

  /** Sends one item to the stream `name` (`at: 0` puts it first; `limit` trims the other end). */
  streamInsert<T>(
    name: string,
    item: T,
    options: Pick<StreamOptions<T>, "at" | "limit"> = {},
  ): void {
    streamsOf(this).get<T>(name).insert([item], options);
  }

  /** Removes `item` (or the DOM id given as a string) from the stream `name` in the browser. */
  streamDelete<T>(name: string, item: T | string): void {
    streamsOf(this).get<T>(name).delete(item);
  }

  /** Stops a timer started with `setTimeout` or `setInterval`. */
  clearTimer(id: number): void {
    runtimeOf(this)?.clearTimer(id);
  }

  /**
   * Called after `mount` and whenever the URL changes within this view (`pushPatch`, `dj-patch`
   * links, back/forward): `params` holds the route's parameters and the query string.
   */
  handleParams(_params: Record<string, string>, _url: URL): void | Promise<void> {}

  /**
   * Changes the URL without remounting: `handleParams` runs with the new parameters. Give a path
   * ("/items?page=2") or query parameters to merge into the current URL ({ page: "2" }).
   */
  pushPatch(to: string | Record<string, string | null>, options: { replace?: boolean } = {}): void {
    runtimeOf(this)?.navigate({ kind: "patch", to, replace: options.replace ?? false });
  }

  /** Switches to the live view at `url` over the same connection (no page load). */
  pushNavigate(url: string, options: { replace?: boolean } = {}): void {
    runtimeOf(this)?.navigate({ kind: "navigate", to: url, replace: options.replace ?? false });
  }

  /**
   * Loads `url` as a full page (in `mount`: answers the page load with a redirect). Another origin
   * only with `{ external: true }`; `javascript:` and `data:` URLs are refused.
   */
  redirect(url: string, options: { external?: boolean } = {}): void {
    runtimeOf(this)?.navigate({ kind: "redirect", to: url, external: options.external ?? false });
  }

  /** Shows a flash message now and on the next page the user navigates to. */
  putFlash(kind: string, message: string): void {
    runtimeOf(this)?.flash(kind, message);
  }

  /**
   * Called after the view's public state came back from a saved snapshot (after a restart, a deploy
   * or a reconnect past the grace period): `mount` ran first, so private resources exist again.
   */
  restored(): void | Promise<void> {}

  /**
   * Called once when the view ends for good: `"closed"` (the browser went away and did not come
   * back within the grace period), `"navigated"` (live navigation to another view), `"replaced"`
   * (the same page joined again), `"shutdown"` (the App closed). Timers, subscriptions, presence and
   * async work end right after.
   */
  terminate(_reason: TerminateReason): void | Promise<void> {}

  // #region Uploads (see docs/uploads.md; the state lives in uploads/, never in public fields)

  /**
   * Accepts files for the upload `name` (`{% live_file_input uploads.name %}` or
   * `<input type="file" dj-upload="name">`); the template sees `uploads.name.entries` and
   * `uploads.name.errors`. Call it in `mount`.
   */
  allowUpload(name: string, options: UploadOptions = {}): void {
    uploadsOf(this).allow(name, options);
  }

  /** Cancels entry `ref` of upload `name` (in any state): it leaves the list, its file is deleted. */
  cancelUpload(name: string, ref: string): void {
    uploadsOf(this).cancel(name, ref);
  }

  /**
   * Hands each finished entry of upload `name` to `fn` (`path` is its temporary file: move it to
   * keep it), then removes the entry and deletes whatever is left at `path`. Returns what `fn`
   * returned, in order. Entries still uploading stay.
   */
  consumeUploadedEntries<T>(
    name: string,
    fn: (entry: UploadedEntry) => T | Promise<T>,
  ): Promise<T[]> {
    return uploadsOf(this).consume(name, fn);
  }

  // #endregion

  /** Called with each message of a subscribed topic. */
  handleInfo(_message: unknown): void | Promise<void> {}

  /** Called when presence changes on a tracked or watched topic. */
  handlePresenceDiff(_diff: PresenceDiff, _topic: string): void | Promise<void> {}
}

/** Why a view ended (see {@link LiveView.terminate}). */
export type TerminateReason = "closed" | "navigated" | "replaced" | "shutdown" | "logout";

export type { ReadonlySignal };
