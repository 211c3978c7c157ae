/**
 * A view instance brought to life: mounted, its state made reactive, its template rendered into
 * regions, and its events dispatched with batched writes. It reports to its carrier (a connection)
 * through one {@link ViewSink}.
 * @module
 */
import { batch } from "@preact/signals-core";
import type { Engine } from "../template/engine.ts";
import type { TemplateHooks } from "../template/hooks.ts";
import { isSignal } from "../template/values.ts";
import type { PubSub } from "../pubsub/pubsub.ts";
import { type EventHandlerOptions, type EventParams, findHandler } from "./handlers.ts";
import { type ErrorCode, MODEL_EVENT, type PatchOp } from "./protocol.ts";
import { compileLive, type LiveBlock } from "./regions/compile.ts";
import { LiveRenderer } from "./regions/renderer.ts";
import { ViewRuntime } from "./runtime.ts";
import { NO_SINK, type ViewSink } from "./sink.ts";
import { prepareState, publicFieldNames } from "./state.ts";
import { attachRuntime, type LiveView, type TerminateReason } from "./view.ts";
import { Redirect } from "./exceptions.ts";
import { existingUploadsOf, uploadsOf } from "./uploads/index.ts";
import type { Session } from "../session/session.ts";
import { intentTarget, type NavigationIntent } from "./sink.ts";
import {
  applySnapshot,
  checkFields,
  decodeSnapshot,
  readSnapshot,
  type Snapshot,
} from "./snapshot.ts";

/** A LiveView subclass (its constructor and static template). */
export type ViewClass = (new () => LiveView) & {
  template?: string;
  templateName?: string;
  layout?: string;
  bindable?: readonly string[];
  persist?: boolean;
  restore?(snapshot: Record<string, unknown>): Record<string, unknown> | null;
};

const compiled = new WeakMap<Engine, WeakMap<ViewClass, LiveBlock>>();

/** The compiled live template of a view class (compiled once per engine). */
export function liveTemplateOf(engine: Engine, viewClass: ViewClass): LiveBlock {
  let perEngine = compiled.get(engine);
  if (!perEngine) compiled.set(engine, perEngine = new WeakMap());
  let block = perEngine.get(viewClass);
  if (!block) {
    let nodes;
    if (viewClass.template !== undefined) {
      nodes = engine.fromString(viewClass.template, `${viewClass.name}.template`).nodes;
    } else if (viewClass.templateName) nodes = engine.getTemplate(viewClass.templateName).nodes;
    else throw new Error(`${viewClass.name} has neither a static template nor a templateName`);
    block = compileLive(nodes);
    perEngine.set(viewClass, block);
  }
  return block;
}

/** Query parameters of `url` merged under the route's own parameters. */
export function paramsOf(url: URL, routeParams: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of url.searchParams) out[k] = v;
  return { ...out, ...routeParams };
}

/** Converts a value from the browser to the type of the field it replaces. */
function coerceLike(current: unknown, value: unknown): unknown {
  if (typeof current === "number") {
    const n = Number(value);
    return value === "" || Number.isNaN(n) ? current : n;
  }
  if (typeof current === "boolean") return value === true || value === "true" || value === "on";
  if (Array.isArray(current)) return Array.isArray(value) ? value : value === null ? [] : [value];
  return value === null || value === undefined ? "" : String(value);
}

/** The outcome of dispatching an event. */
export type DispatchResult =
  | { ok: true }
  | { ok: false; code: ErrorCode; reason: string; error?: unknown };

/** What a mounted view needs from its surroundings. */
export interface MountOptions {
  readonly engine: Engine;
  readonly viewClass: ViewClass;
  readonly request: Request;
  readonly params: Record<string, string>;
  readonly hooks?: TemplateHooks;
  /** Topics and presence (also read during the HTTP render). */
  readonly pubsub?: PubSub;
  /** True over a live connection: subscriptions, presence and timers may start. */
  readonly live?: boolean;
  /** Where the view reports (default: nowhere, as during the HTTP render). */
  readonly sink?: ViewSink;
  /** The visitor's session, visible to the view as `this.session`. */
  readonly session: Session;
  /** The signed-in user, visible to the view as `this.user`. */
  readonly user?: unknown;
  /**
   * Runs after the view is created and before `mount` (the `onMount` hooks); throwing stops the
   * mount.
   */
  readonly beforeMount?: (view: LiveView) => void | Promise<void>;
  /** This view instance's id (join tokens name it, snapshots are stored under it). */
  readonly id?: string;
  /** A saved state to put back after `mount` and `handleParams` (see snapshot.ts). */
  readonly snapshot?: Snapshot;
}

/** What happened to a snapshot given to `mount`. */
export type RestoreOutcome =
  | { restored: true }
  | { restored: false; reason: string };

/**
 * A mounted view with its renderer.
 *
 * @example
 * ```ts ignore
 * const mv = await MountedView.mount({ engine, viewClass: Counter, request, params: {} });
 * await mv.dispatch("increment", {});
 * mv.flush(); // ops
 * ```
 */
export class MountedView {
  /** This instance's id (join tokens name it; its snapshot is stored under it). */
  id = "";
  /** What happened to the snapshot given to `mount` (null when none was). */
  restore: RestoreOutcome | null = null;
  readonly view: LiveView;
  /** HTML of the first render. */
  readonly html: string;
  /** Subscriptions, presence and timers of this view. */
  readonly runtime: ViewRuntime;
  #renderer: LiveRenderer;
  #inHandler = false;
  #sink: MountingSink;
  #fresh: () => string;
  #ended = false;

  private constructor(
    view: LiveView,
    renderer: LiveRenderer,
    html: string,
    sink: MountingSink,
    fresh: () => string,
    runtime: ViewRuntime,
  ) {
    this.view = view;
    this.#renderer = renderer;
    this.html = html;
    this.#sink = sink;
    this.#fresh = fresh;
    this.runtime = runtime;
  }

  /**
   * Hands the view to a carrier: from now on it reports to `sink`, and what `mount` started while
   * the view was not live (subscriptions, presence, timers) starts now.
   */
  attach(sink: ViewSink): void {
    this.#sink.retarget(sink);
    this.runtime.goLive();
  }

  /** Detaches the view from its carrier (parked): it keeps running, reporting nowhere. */
  park(): void {
    this.#sink.retarget(NO_SINK);
    // Bytes in flight cannot continue on another socket: those entries fail, their files go.
    existingUploadsOf(this.view)?.interrupt();
  }

  /** Creates the view, runs `mount` and `handleParams`, and renders it. */
  static async mount(options: MountOptions): Promise<MountedView> {
    const view = new options.viewClass();
    // Not enumerable, so they are never mistaken for public state.
    Object.defineProperty(view, "session", { value: options.session, enumerable: false });
    Object.defineProperty(view, "user", { value: options.user ?? null, enumerable: false });
    // While mounting, navigation is not sent anywhere: redirect, pushNavigate and pushPatch answer
    // the mount itself (a 302 on a page load, a redirect over the socket).
    const mounting = new MountingSink(options.sink ?? NO_SINK, new URL(options.request.url));
    const sink: ViewSink = mounting;
    // Work from outside events (messages, presence, timers) runs batched; its writes mark regions
    // dirty and the renderer asks the sink for a flush. A failure goes to the sink, never further.
    const outside = (fn: () => unknown) => {
      try {
        const result = batch(fn);
        if (result instanceof Promise) result.catch((error) => sink.failed(error));
      } catch (error) {
        sink.failed(error);
      }
    };
    const runtime = new ViewRuntime(options.pubsub ?? null, options.live ?? false, sink, {
      info: (message) => outside(() => view.handleInfo(message)),
      presenceDiff: (topic, diff) => outside(() => view.handlePresenceDiff(diff, topic)),
      timer: (fn) => outside(fn),
    });
    attachRuntime(view, runtime);
    let restore: RestoreOutcome | null = null;
    try {
      await options.beforeMount?.(view);
      await view.mount(options.request, options.params);
      mounting.check();
      const url = new URL(options.request.url);
      await view.handleParams(paramsOf(url, options.params), url);
      mounting.check();
      if (options.snapshot) restore = await restoreInto(view, options.viewClass, options.snapshot);
    } catch (err) {
      runtime.dispose();
      throw err;
    }
    mounting.mounted();
    const block = liveTemplateOf(options.engine, options.viewClass);
    const scope = prepareState(view);
    // `uploads.NAME` in templates: the view's uploads, outside its public (saved) state.
    scope.uploads ??= uploadsOf(view).scope;
    const ctx = options.engine.newContext(scope, options.hooks);
    let self: MountedView | null = null;
    const renderer = new LiveRenderer(ctx, () => {
      // Inside a handler the flush happens when it returns; outside, the sink schedules one.
      if (self && !self.#inHandler) self.#sink.dirty();
    });
    let html: string;
    try {
      html = renderer.mount(block);
    } catch (err) {
      renderer.dispose();
      runtime.dispose();
      throw err;
    }
    // A from-scratch render of the current state, with its own renderer (for consistency checks).
    const fresh = () => {
      const other = new LiveRenderer(options.engine.newContext(scope, options.hooks), () => {});
      try {
        return other.mount(block);
      } finally {
        other.dispose();
      }
    };
    self = new MountedView(view, renderer, html, mounting, fresh, runtime);
    self.id = options.id ?? crypto.randomUUID();
    self.restore = restore;
    return self;
  }

  /** The options of the `@eventHandler()` named `name` (permission), or undefined. */
  handlerOptions(name: unknown): EventHandlerOptions | undefined {
    return findHandler(this.view, name)?.options;
  }

  /** Runs the event handler `name`; signal writes are batched. Never throws. */
  async dispatch(name: unknown, params: EventParams): Promise<DispatchResult> {
    if (name === MODEL_EVENT) return this.#model(params);
    const handler = findHandler(this.view, name);
    if (!handler) {
      return {
        ok: false,
        code: "client.unknown_handler",
        reason: `No event handler named ${JSON.stringify(name)} on ${this.view.constructor.name}`,
      };
    }
    return await this.#asHandler(() => handler.fn.call(this.view, params));
  }

  /**
   * Runs view code the way events run: writes batched, no flush until it returns (the caller
   * flushes), exceptions reported as `app.handler_error`.
   */
  async #asHandler(fn: () => unknown): Promise<DispatchResult> {
    this.#inHandler = true;
    try {
      const result = batch(fn);
      if (result instanceof Promise) await result;
      return { ok: true };
    } catch (error) {
      return {
        ok: false,
        code: "app.handler_error",
        reason: error instanceof Error ? `${error.name}: ${error.message}` : String(error),
        error,
      };
    } finally {
      this.#inHandler = false;
    }
  }

  /** Renders the current state from scratch (new anchors), without touching the live regions. */
  renderFresh(): string {
    return this.#fresh();
  }

  /** Renders the whole view again with new anchors (after a resync); returns its HTML. */
  rerender(): string {
    return this.#renderer.remount();
  }

  /** The URL changed within this view: runs `handleParams` (batched). Never throws. */
  patchParams(url: URL, routeParams: Record<string, string>): Promise<DispatchResult> {
    return this.#asHandler(() => this.view.handleParams(paramsOf(url, routeParams), url));
  }

  /**
   * `dj-model`: writes a field from the client, converted to the field's current type. Only the
   * fields the view lists in `static bindable` can be written; anything else is refused and
   * changes nothing.
   */
  #model(params: EventParams): DispatchResult {
    const field = params.field;
    const bindable = (this.view.constructor as ViewClass).bindable ?? [];
    if (
      typeof field !== "string" || !bindable.includes(field) ||
      !publicFieldNames(this.view).includes(field)
    ) {
      return {
        ok: false,
        code: "client.not_bindable",
        reason: `dj-model names no bindable field: ${
          JSON.stringify(field)
        } (list it in static bindable)`,
      };
    }
    const record = this.view as unknown as Record<string, unknown>;
    const current = record[field];
    const target = isSignal(current) ? current : null;
    const value = coerceLike(target ? target.peek() : current, params.value);
    batch(() => {
      if (target) (target as { value: unknown }).value = value;
      else record[field] = value;
    });
    return { ok: true };
  }

  /** Ops for everything that changed since the last flush. */
  flush(): PatchOp[] {
    return this.#renderer.flush();
  }

  /** True when changes wait for a flush. */
  get dirty(): boolean {
    return this.#renderer.dirty;
  }

  /** Region renders since mount (for benchmarks and tests). */
  get renders(): number {
    return this.#renderer.stats.renders;
  }

  /**
   * Ends the view for good: `terminate(reason)` runs once (its own failure is only logged by the
   * caller), then regions, trackers, subscriptions, presence, timers and async work are released.
   */
  end(reason: TerminateReason): unknown {
    if (this.#ended) return undefined;
    this.#ended = true;
    let failure: unknown = undefined;
    try {
      const result = batch(() => this.view.terminate(reason));
      if (result instanceof Promise) result.catch((err) => this.#sink.failed(err));
    } catch (err) {
      failure = err;
    }
    this.dispose();
    return failure;
  }

  /** Releases regions, trackers, subscriptions, presence and timers (without `terminate`). */
  dispose(): void {
    existingUploadsOf(this.view)?.dispose();
    this.runtime.dispose();
    this.#renderer.dispose();
    attachRuntime(this.view, null);
  }
}

/**
 * The sink of a view being mounted: navigation asked for during `mount` or `handleParams` becomes
 * a {@link Redirect} that stops the mount; once mounted, everything goes to the real sink.
 */
class MountingSink implements ViewSink {
  #sink: ViewSink;
  #url: URL;
  #asked: NavigationIntent | null = null;
  #mounted = false;

  constructor(sink: ViewSink, url: URL) {
    this.#sink = sink;
    this.#url = url;
  }

  /** Throws the redirect the view asked for, if any. */
  check(): void {
    const intent = this.#asked;
    if (!intent) return;
    this.#asked = null;
    const external = intent.kind === "redirect" && intent.external;
    throw new Redirect(intentTarget(intent, this.#url), { external });
  }

  /** The mount is over: from now on everything goes to the real sink. */
  mounted(): void {
    this.#mounted = true;
  }

  /** Reports to `sink` from now on (the view moved to a connection, or was parked). */
  retarget(sink: ViewSink): void {
    this.#sink = sink;
  }

  dirty(): void {
    if (this.#mounted) this.#sink.dirty();
  }
  push(event: string, payload: unknown): void {
    this.#sink.push(event, payload);
  }
  failed(error: unknown): void {
    this.#sink.failed(error);
  }
  navigate(intent: NavigationIntent): void {
    if (this.#mounted) this.#sink.navigate(intent);
    else this.#asked ??= intent;
  }
  flash(kind: string, message: string): void {
    this.#sink.flash(kind, message);
  }
}

/**
 * Puts a saved state back into a freshly mounted view: checked against its fields (and by its
 * class's `static restore`), applied whole or not at all, then `restored()` runs.
 */
async function restoreInto(
  view: LiveView,
  viewClass: ViewClass,
  snapshot: Snapshot,
): Promise<RestoreOutcome> {
  // A class with `static restore` sees the saved fields as they are (it may migrate them);
  // whatever it returns must fit the view, as a snapshot applied directly must.
  const read = viewClass.restore ? decodeSnapshot(snapshot) : readSnapshot(view, snapshot);
  if ("mismatch" in read) return { restored: false, reason: read.mismatch };
  let fields: Record<string, unknown> | null = read.fields;
  if (viewClass.restore) {
    fields = viewClass.restore(fields);
    if (!fields) return { restored: false, reason: `${viewClass.name}.restore refused the state` };
    const mismatch = checkFields(view, fields);
    if (mismatch) return { restored: false, reason: mismatch };
  }
  batch(() => applySnapshot(view, fields!));
  const result = batch(() => view.restored());
  if (result instanceof Promise) await result;
  return { restored: true };
}
