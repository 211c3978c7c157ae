/**
 * A view instance brought to life: mounted, its state made reactive, its template rendered into
 * regions, and its events dispatched with batched writes.
 * @module
 */
import type { Engine } from "../template/engine.ts";
import type { TemplateHooks } from "../template/hooks.ts";
import { compileLive, type LiveBlock } from "./compile.ts";
import type { ErrorCode, PatchOp } from "./protocol.ts";
import { LiveRenderer } from "./render.ts";
import { ViewRuntime } from "./host.ts";
import type { PubSub } from "../pubsub/pubsub.ts";
import {
  attachRuntime,
  type EventParams,
  findHandler,
  type LiveView,
  prepareState,
  publicFieldNames,
  runHandler,
} from "./view.ts";
import { isSignal } from "../template/values.ts";

/** A LiveView subclass (its constructor and static template). */
export type ViewClass = (new () => LiveView) & {
  template?: string;
  templateName?: string;
  layout?: string;
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

/** The event name the client uses for `dj-model` bindings. */
export const MODEL_EVENT = "dj:model";

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
  /** Called when state changed outside an event (timers, pub/sub): a flush is due. */
  readonly onDirty?: () => void;
  /** Topics and presence (also read during the HTTP render). */
  readonly pubsub?: PubSub;
  /** True over a live connection: subscriptions, presence and timers may start. */
  readonly live?: boolean;
  /** Receives `pushEvent` calls. */
  readonly onPush?: (event: string, payload: unknown) => void;
  /** Receives errors thrown by handleInfo, handlePresenceDiff and timers. */
  readonly onError?: (error: unknown) => void;
  /** Receives `pushPatch`, `pushNavigate` and `redirect`. */
  readonly onNav?: (kind: "patch" | "navigate" | "redirect", url: string, replace: boolean) => void;
  /** Receives `putFlash`. */
  readonly onFlash?: (kind: string, message: string) => void;
  /** Session data, visible to the view as `this.session`. */
  readonly session?: Record<string, unknown>;
}

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
  readonly view: LiveView;
  readonly renderer: LiveRenderer;
  /** HTML of the first render. */
  readonly html: string;
  /** Subscriptions, presence and timers of this view. */
  readonly runtime: ViewRuntime;
  #inHandler = false;
  #onDirty: () => void;
  #fresh: () => string;

  private constructor(
    view: LiveView,
    renderer: LiveRenderer,
    html: string,
    onDirty: () => void,
    fresh: () => string,
    runtime: ViewRuntime,
  ) {
    this.view = view;
    this.renderer = renderer;
    this.html = html;
    this.#onDirty = onDirty;
    this.#fresh = fresh;
    this.runtime = runtime;
  }

  /** Creates the view, runs `mount`, and renders it. */
  static async mount(options: MountOptions): Promise<MountedView> {
    const view = new options.viewClass();
    // Not enumerable, so it is never mistaken for public state.
    Object.defineProperty(view, "session", { value: options.session ?? {}, enumerable: false });
    // Work from outside events (messages, presence, timers) runs batched; its writes mark regions
    // dirty and the renderer asks the owner for a flush.
    const outside = async (fn: () => unknown) => {
      try {
        const result = runHandler(fn);
        if (result instanceof Promise) await result;
      } catch (error) {
        options.onError?.(error);
      }
    };
    const runtime = new ViewRuntime(options.pubsub ?? null, options.live ?? false, {
      info: (message) => outside(() => view.handleInfo(message)),
      presenceDiff: (topic, diff) => outside(() => view.handlePresenceDiff(diff, topic)),
      timer: (fn) => outside(fn),
      push: (event, payload) => options.onPush?.(event, payload),
      nav: (kind, url, replace) => options.onNav?.(kind, url, replace),
      flash: (kind, message) => options.onFlash?.(kind, message),
    });
    attachRuntime(view, runtime);
    try {
      await view.mount(options.request, options.params);
      const url = new URL(options.request.url);
      await view.handleParams(paramsOf(url, options.params), url);
    } catch (err) {
      runtime.dispose();
      throw err;
    }
    const block = liveTemplateOf(options.engine, options.viewClass);
    const scope = prepareState(view);
    const ctx = options.engine.newContext(scope, options.hooks);
    let self: MountedView | null = null;
    const renderer = new LiveRenderer(ctx, () => {
      // Inside a handler the flush happens when it returns; outside, the owner schedules one.
      if (self && !self.#inHandler) self.#onDirty();
    });
    const html = renderer.mount(block);
    // A from-scratch render of the current state, with its own renderer (for consistency checks).
    const fresh = () => {
      const other = new LiveRenderer(options.engine.newContext(scope, options.hooks), () => {});
      try {
        return other.mount(block);
      } finally {
        other.dispose();
      }
    };
    self = new MountedView(view, renderer, html, options.onDirty ?? (() => {}), fresh, runtime);
    return self;
  }

  /** Runs the event handler `name`; signal writes are batched. Never throws. */
  async dispatch(name: unknown, params: EventParams): Promise<DispatchResult> {
    if (name === MODEL_EVENT) return this.#model(params);
    const handler = typeof name === "string" ? findHandler(this.view, name) : undefined;
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
      const result = runHandler(fn);
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

  /** The URL changed within this view: runs `handleParams` (batched). Never throws. */
  patchParams(url: URL, routeParams: Record<string, string>): Promise<DispatchResult> {
    return this.#asHandler(() => this.view.handleParams(paramsOf(url, routeParams), url));
  }

  /** `dj-model`: writes a public field from the client, converted to the field's current type. */
  #model(params: EventParams): DispatchResult {
    const field = params.field;
    if (typeof field !== "string" || !publicFieldNames(this.view).includes(field)) {
      return {
        ok: false,
        code: "client.unknown_handler",
        reason: `dj-model names no public field: ${JSON.stringify(field)}`,
      };
    }
    const record = this.view as unknown as Record<string, unknown>;
    const current = record[field];
    const target = isSignal(current) ? current : null;
    const value = coerceLike(target ? target.peek() : current, params.value);
    runHandler(() => {
      if (target) (target as { value: unknown }).value = value;
      else record[field] = value;
    });
    return { ok: true };
  }

  /** Ops for everything that changed since the last flush. */
  flush(): PatchOp[] {
    return this.renderer.flush();
  }

  /** True when changes wait for a flush. */
  get dirty(): boolean {
    return this.renderer.dirty;
  }

  /** Releases regions, trackers, subscriptions, presence and timers. */
  dispose(): void {
    this.runtime.dispose();
    this.renderer.dispose();
    attachRuntime(this.view, null);
  }
}
