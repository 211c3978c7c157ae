/**
 * A view instance brought to life: mounted, its state made reactive, its template rendered into
 * regions, and its events dispatched with batched writes. It reports to its carrier (a connection)
 * through one {@link ViewSink}.
 * @module
 */
import { batch } from "@preact/signals-core";
import type { Engine } from "../template/engine.ts";
import type { Node } from "../template/nodes.ts";
import { flattenHooks, type TemplateHooks } from "../template/hooks.ts";
import { isSignal } from "../template/values.ts";
import type { PubSub } from "../pubsub/pubsub.ts";
import { type EventHandlerOptions, type EventParams, findHandler } from "./handlers.ts";
import { type ErrorCode, MODEL_EVENT, type PatchOp } from "./protocol.ts";
import { compileLive, forgetLiveBlocks, type LiveBlock } from "./regions/compile.ts";
import { LiveRenderer } from "./regions/renderer.ts";
import { ViewRuntime } from "./runtime.ts";
import { NO_SINK, type ViewSink } from "./sink.ts";
import { prepareState } from "./state.ts";
import { attachRuntime, type LiveView, type TerminateReason } from "./view.ts";
import { Redirect } from "./exceptions.ts";
import { bindField } from "./binding.ts";
import type { ComponentClass } from "./component.ts";
import { ComponentHost, setHostOfView } from "./component_host.ts";
import { streamsOf } from "./streams.ts";
import { existingUploadsOf, uploadsOf } from "./uploads/index.ts";
import { DeferredSignal, type Readable } from "./deferred_signal.ts";
import type { Session } from "../session/session.ts";
import { intentTarget, type NavigationIntent } from "./sink.ts";
import {
  applySnapshot,
  captureSnapshot,
  checkFields,
  COMPONENTS_KEY,
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
  components?: Readonly<Record<string, ComponentClass>>;
};

/** What has a live template: a view or a component class. */
export interface TemplatedClass {
  readonly name: string;
  readonly template?: string;
  readonly templateName?: string;
}

let compiled = new WeakMap<Engine, WeakMap<TemplatedClass, LiveBlock>>();

/** Forgets every compiled live template (development: template files changed). */
export function forgetLiveTemplates(): void {
  compiled = new WeakMap();
  forgetLiveBlocks();
}

/** The compiled live template of a view class (compiled once per engine). */
export function liveTemplateOf(
  engine: Engine,
  viewClass: TemplatedClass,
  constants: readonly (readonly string[])[] = [],
): LiveBlock {
  let perEngine = compiled.get(engine);
  if (!perEngine) compiled.set(engine, perEngine = new WeakMap());
  let block = perEngine.get(viewClass);
  if (!block) {
    block = compileLive(templateNodesOf(engine, viewClass), "div", constants, engine);
    perEngine.set(viewClass, block);
  }
  return block;
}

/** The parsed template of a view or component class (the engine caches it). */
export function templateNodesOf(engine: Engine, cls: TemplatedClass): readonly Node[] {
  if (cls.template !== undefined) {
    return engine.fromString(cls.template, `${cls.name}.template`).nodes;
  }
  if (cls.templateName) return engine.getTemplate(cls.templateName).nodes;
  throw new Error(`${cls.name} has neither a static template nor a templateName`);
}

/** Query parameters of `url` merged under the route's own parameters. */
export function paramsOf(url: URL, routeParams: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of url.searchParams) out[k] = v;
  return { ...out, ...routeParams };
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
  /** The visitor's language (see `LiveView.language`); default the engine's. */
  readonly language?: string;
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
  /** Development: failures the view shows itself (async results) carry their messages. */
  readonly dev?: boolean;
  /** Keep a copy of what each stream shows, so `renderFresh` can be compared with the page. */
  readonly verifyStreams?: boolean;
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
  /** Subscriptions, presence and timers of this view. */
  readonly runtime: ViewRuntime;
  /** Length of the first render's HTML (a size estimate once the HTML itself is gone). */
  htmlLength = 0;
  /** The view's live components. */
  components!: ComponentHost;
  #renderer: LiveRenderer;
  /** HTML of the first render, until taken (a page is hundreds of KB: it is not kept). */
  #html: string | null;
  #inHandler = false;
  #sink: MountingSink;
  #fresh: () => string;
  #recompile: () => string = () => this.rerender();
  #ended = false;
  /** Whether the regions are built (a page load's view builds them when it goes live). */
  #regions = false;

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
    this.#html = html;
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

  /**
   * Work begun by a carrier that has since let the view go (a handler still running when its socket
   * dropped) is over: what it changed goes out through the view's carrier now, if it has one; a
   * parked view keeps it for the render its rejoin gets.
   */
  handOver(): void {
    if (!this.#ended && this.dirty) this.#sink.dirty();
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
    if (options.language) view.language.value = options.language;
    if (options.verifyStreams) streamsOf(view).verify = true;
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
    const runtime = new ViewRuntime(
      options.pubsub ?? null,
      options.live ?? false,
      sink,
      view,
      outside,
      options.dev ?? false,
    );
    attachRuntime(view, runtime);
    let restore: RestoreOutcome | null = null;
    // The components' states go to each instance as it mounts, if the view's own state came back.
    const { [COMPONENTS_KEY]: componentStates, ...viewState } = options.snapshot ?? {};
    try {
      await options.beforeMount?.(view);
      await view.mount(options.request, options.params);
      mounting.check();
      const url = new URL(options.request.url);
      await view.handleParams(paramsOf(url, options.params), url);
      mounting.check();
      if (options.snapshot) restore = await restoreInto(view, options.viewClass, viewState);
    } catch (err) {
      runtime.dispose();
      throw err;
    }
    mounting.mounted();
    let block = liveTemplateOf(options.engine, options.viewClass);
    const scope = prepareState(view);
    // `uploads.NAME` in templates: the view's uploads, outside its public (saved) state (made when
    // a template reads them).
    scope.uploads ??= new DeferredSignal(view, uploadsScope);
    const hooks = withViewLanguage(options.hooks, view);
    const ctx = options.engine.newContext(scope, hooks);
    let self: MountedView | null = null;
    const components = new ComponentHost({
      engine: options.engine,
      hooks,
      classes: options.viewClass.components ?? {},
      session: options.session,
      user: options.user,
      sendParent: (message) => runtime.sendSelf(message),
      pushEvent: (name, payload) => runtime.push(name, payload),
      asHandler: (fn) => self!.#asHandler(fn),
      saved: restore?.restored ? componentStates as Record<string, Snapshot> : undefined,
    });
    components.serve(ctx);
    setHostOfView(view, components);
    const renderer = new LiveRenderer(ctx, () => {
      // Inside a handler the flush happens when it returns; outside, the sink schedules one.
      if (self && !self.#inHandler) self.#sink.dirty();
    });
    let html: string;
    try {
      // A page load renders without building regions (see goLive); a live view builds them now.
      html = options.live ? renderer.mount(block) : renderer.renderFirst(block);
    } catch (err) {
      renderer.dispose();
      runtime.dispose();
      throw err;
    }
    // A from-scratch render of the current state, with its own renderer (for consistency checks).
    // It closes over what it needs, not `options`: that would keep the request (and all its
    // headers) alive for the life of the view.
    const { engine } = options;
    const fresh = () => {
      const otherCtx = engine.newContext(scope, hooks);
      // Renders the instances as they are: never mounts, updates or lets one go.
      components.serve(otherCtx, { readonly: true });
      const other = new LiveRenderer(otherCtx, () => {}, { fresh: true });
      try {
        return other.mount(block);
      } finally {
        other.dispose();
      }
    };
    self = new MountedView(view, renderer, html, mounting, fresh, runtime);
    self.components = components;
    self.htmlLength = html.length;
    self.id = options.id ?? crypto.randomUUID();
    self.restore = restore;
    self.#regions = options.live ?? false;
    const { viewClass } = options;
    self.#recompile = () => {
      block = liveTemplateOf(engine, viewClass);
      self!.#regions = true;
      const html = renderer.mount(block);
      components.sweep();
      return html;
    };
    return self;
  }

  /**
   * The view's public state and its live components' as one snapshot (throws `Unsaveable` when the
   * view's own state cannot be saved); `skipped` names components left out for holding what a
   * snapshot cannot.
   */
  snapshot(): { snapshot: Snapshot; skipped: string[] } {
    const snapshot = captureSnapshot(this.view);
    const { states, skipped } = this.components.captureStates();
    if (Object.keys(states).length) snapshot[COMPONENTS_KEY] = states;
    return { snapshot, skipped };
  }

  /**
   * The HTML of the first render, handed over once (to the page, the join or the navigation that
   * sends it); the view does not keep it.
   */
  takeHtml(): string {
    const html = this.#html;
    if (html === null) throw new Error("The first render of this view was already taken");
    this.#html = null;
    return html;
  }

  /**
   * Builds the regions of a view mounted for a page load (`live: false`), with the anchors that page
   * shows, so the view can go on over a socket. Returns the HTML when the state the page showed
   * changed since (send it), else null (the page is current).
   */
  goLive(): string | null {
    if (this.#regions) return null;
    this.#regions = true;
    const html = this.#renderer.goLive();
    this.components.sweep();
    return html;
  }

  /**
   * The options of the `@eventHandler()` named `name` (permission), or undefined; on the live
   * component `target` names when one is given.
   */
  handlerOptions(name: unknown, target?: unknown): EventHandlerOptions | undefined {
    if (target !== undefined) return this.components.handlerOptions(target, name);
    return findHandler(this.view, name)?.options;
  }

  /**
   * Runs the event handler `name` of the view, or of the live component `target` names
   * (`dj-target`); signal writes are batched. Never throws.
   */
  async dispatch(name: unknown, params: EventParams, target?: unknown): Promise<DispatchResult> {
    if (target !== undefined) {
      if (name === MODEL_EVENT) return this.components.model(target, params);
      return await this.components.dispatch(target, name, params);
    }
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
    this.#regions = true;
    const html = this.#renderer.remount();
    this.components.sweep();
    return html;
  }

  /**
   * Compiles the view's template again and renders it with the same state (development: a template
   * file changed); returns the HTML. Throws a TemplateSyntaxError when the template is broken.
   */
  recompile(): string {
    return this.#recompile();
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
    return bindField(this.view, (this.view.constructor as ViewClass).bindable ?? [], params);
  }

  /** Ops for everything that changed since the last flush. */
  flush(): PatchOp[] {
    const ops = this.#renderer.flush();
    // Live components no region shows any more are let go.
    this.components.sweep();
    return ops;
  }

  /** True once the view ended (see {@link end}). */
  get ended(): boolean {
    return this.#ended;
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
    this.components?.dispose();
    setHostOfView(this.view, null);
    attachRuntime(this.view, null);
  }
}

/**
 * The sink of a view being mounted: navigation asked for during `mount` or `handleParams` becomes
 * a {@link Redirect} that stops the mount; once mounted, everything goes to the real sink.
 */
class MountingSink implements ViewSink {
  #sink: ViewSink;
  /** The URL being mounted (a patch asked for while mounting is relative to it); then null. */
  #url: URL | null;
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
    throw new Redirect(intentTarget(intent, this.#url!), { external });
  }

  /** The mount is over: from now on everything goes to the real sink. */
  mounted(): void {
    this.#mounted = true;
    this.#url = null;
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

/** The `uploads` of a view's templates. */
function uploadsScope(view: object): Readable<unknown> {
  return uploadsOf(view).scope;
}

/**
 * `hooks` with the view's language: a getter, so each translation reads the `language` signal
 * and a region that translated re-renders when it changes (and no other region does).
 */
function withViewLanguage(hooks: TemplateHooks | undefined, view: LiveView): TemplateHooks {
  // Flattened: `hooks` are made for this mount, and kept as a prototype they would cost ~0.5 KB.
  return flattenHooks(hooks ?? {}, {
    get language(): string | undefined {
      const language: unknown = (view as { language?: unknown }).language;
      const code = isSignal(language) ? language.value : language;
      return typeof code === "string" && code !== "" ? code : undefined;
    },
  });
}
