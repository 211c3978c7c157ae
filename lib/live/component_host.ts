/**
 * The live components of one mounted view: which instance each `{% live_component %}` renders,
 * when `mount` and `update` run, which instance an event with `dj-target` reaches, and when an
 * instance the page no longer shows is let go.
 *
 * An instance is kept while a region holds it (the region that renders it); a region that
 * re-renders or goes away lets go of it, and after each render pass the instances nobody holds are
 * disposed. Two regions holding the same type and id at once is the template's mistake, reported
 * as an error naming both.
 * @module
 */
import { batch, untracked } from "@preact/signals-core";
import type { Context } from "../template/context.ts";
import type { Engine } from "../template/engine.ts";
import type { Node } from "../template/nodes.ts";
import type { TemplateHooks } from "../template/hooks.ts";
import { LiveRenderer } from "./regions/renderer.ts";
import { TemplateRenderError } from "../template/errors.ts";
import type { Session } from "../session/session.ts";
import {
  type ComponentClass,
  type ComponentMessage,
  linkComponent,
  type LiveComponent,
} from "./component.ts";
import { type EventHandlerOptions, type EventParams, findHandler } from "./handlers.ts";
import { bindField } from "./binding.ts";
import { prepareState } from "./state.ts";
import { type DispatchResult, liveTemplateOf, templateNodesOf } from "./mounted.ts";
import type { LiveBlock } from "./regions/compile.ts";
import {
  applySnapshot,
  captureSnapshot,
  readSnapshot,
  type Snapshot,
  Unsaveable,
} from "./snapshot.ts";

/**
 * Who renders an instance: its region, or a page load's render (which holds several, in `held`,
 * so the same id twice in one page is caught).
 */
export interface ComponentHolder {
  readonly disposed: boolean;
  readonly held?: Set<unknown>;
}

/** One component instance of a view. */
export interface ComponentInstance {
  /** The name in the view's `static components`. */
  readonly type: string;
  readonly cls: ComponentClass;
  /** The id from the tag, as a string. */
  readonly id: string;
  /** What `dj-target` sends to reach it. */
  readonly cid: string;
  readonly component: LiveComponent;
  /** The template's variables: its state as signals, `id` and `myself`. */
  readonly scope: Record<string, unknown>;
  /** The props it was last mounted or updated with. */
  props: Record<string, unknown>;
  holder: ComponentHolder | null;
  /** Renders its template (made on first render; shares the view's anchors and flushes). */
  renderer: LiveRenderer | null;
}

/** What the host needs from its view. */
export interface ComponentHostOptions {
  /** Compiles the components' templates. */
  readonly engine: Engine;
  /** The view's template hooks (language, csrf, url): components render with them too. */
  readonly hooks: TemplateHooks;
  /** The view's `static components`. */
  readonly classes: Readonly<Record<string, ComponentClass>>;
  readonly session: Session | undefined;
  readonly user: unknown;
  /** Delivers a component's message to the view's `handleInfo` (after the current work). */
  sendParent(message: ComponentMessage): void;
  /** Sends an event to client hooks. */
  pushEvent(name: string, payload: unknown): void;
  /** Runs handler code as the view runs its own (batched, errors reported). */
  asHandler(fn: () => unknown): Promise<DispatchResult>;
  /** Saved states of the view's components (a restored view): each goes to its instance's mount. */
  readonly saved?: Readonly<Record<string, Snapshot>>;
}

/** The components' states for a view's snapshot, and the ones left out. */
export interface ComponentStates {
  /** `type:id` → the instance's public state. */
  readonly states: Record<string, Snapshot>;
  /** Components whose state cannot be saved (they mount from their props after a restore), why. */
  readonly skipped: string[];
}

const COMPONENT_CONSTANTS = [["id"], ["myself"]] as const;

/** Most component instances one view may hold (a template looping without bound is a bug). */
export const MAX_COMPONENTS = 50_000;

/** A host as a render context uses it. */
export interface ServedHost {
  readonly host: ComponentHost;
  /** A from-scratch render for comparison: instances are shown as they are, never changed. */
  readonly readonly: boolean;
}

const HOSTS = new WeakMap<Context, ServedHost>();
const VIEW_HOSTS = new WeakMap<object, ComponentHost>();

/** The component host of a mounted view (for the view's own `sendUpdate`). */
export function hostOfView(view: object): ComponentHost | undefined {
  return VIEW_HOSTS.get(view);
}

/** Records `host` as the one of `view` (or forgets it, with null). */
export function setHostOfView(view: object, host: ComponentHost | null): void {
  if (host) VIEW_HOSTS.set(view, host);
  else VIEW_HOSTS.delete(view);
}

/** The component host of a live render context, if it is one. */
export function hostOf(ctx: Context): ServedHost | undefined {
  return HOSTS.get(ctx);
}

/** The components of one mounted view. */
export class ComponentHost {
  readonly #options: ComponentHostOptions;
  // By `type:id` and by cid; these and `#released` are made with the first instance: most views
  // have none, and an empty Map costs ~150 bytes.
  #byKey: Map<string, ComponentInstance> | null = null;
  #byCid: Map<string, ComponentInstance> | null = null;
  #nextCid = 0;
  /** Instances let go of since the last sweep (candidates for disposal). */
  #released: Set<ComponentInstance> | null = null;
  /** Instances taken by a region while another still held them: moved, or rendered twice. */
  #contested: [ComponentInstance, ComponentHolder][] = [];
  /** Saved states not yet given back (a restored view's components, until each mounts). */
  #saved: Map<string, Snapshot> | null;

  /** A host for a view with `options.classes`. */
  constructor(options: ComponentHostOptions) {
    this.#options = options;
    this.#saved = options.saved ? new Map(Object.entries(options.saved)) : null;
  }

  /**
   * The public state of every instance, for the view's snapshot. A component whose class says
   * `static persist = false`, or whose state holds what a snapshot cannot, is left out (the latter
   * named in `skipped`).
   */
  captureStates(): ComponentStates {
    const states: Record<string, Snapshot> = {};
    const skipped: string[] = [];
    for (const instance of this.#byKey?.values() ?? []) {
      if (instance.cls.persist === false) continue;
      try {
        states[savedKey(instance.type, instance.id)] = captureSnapshot(instance.component);
      } catch (err) {
        if (!(err instanceof Unsaveable)) throw err;
        skipped.push(`${instance.type} ${JSON.stringify(instance.id)}: ${err.message}`);
      }
    }
    return { states, skipped };
  }

  /**
   * Makes `ctx` render this host's components (`{% live_component %}`); `readonly` for a
   * from-scratch comparison render that must not change them.
   */
  serve(ctx: Context, options: { readonly?: boolean } = {}): void {
    HOSTS.set(ctx, { host: this, readonly: options.readonly ?? false });
  }

  /** The parsed template of a component class (for a plain render). */
  templateNodes(cls: ComponentClass): readonly Node[] {
    return templateNodesOf(this.#options.engine, cls);
  }

  /** The live template of a component class (compiled once per engine). */
  templateBlock(cls: ComponentClass): LiveBlock {
    // `id` and `myself` never change for an instance: printed once, without regions.
    return liveTemplateOf(this.#options.engine, cls, COMPONENT_CONSTANTS);
  }

  /** Number of live instances. */
  get size(): number {
    return this.#byKey?.size ?? 0;
  }

  /** The instance of `type` with `id`, if one exists. */
  find(type: string, id: unknown): ComponentInstance | undefined {
    return this.#byKey?.get(keyOf(type, String(id)));
  }

  /**
   * The instance `{% live_component type id=… %}` renders for `holder`: created and mounted the
   * first time, updated when its props changed. Throws a TemplateRenderError for an unknown type,
   * a missing id, or an id another holder shows at the same time.
   */
  instance(
    type: string,
    rawId: unknown,
    props: Record<string, unknown>,
    holder: ComponentHolder,
  ): ComponentInstance {
    const cls = Object.hasOwn(this.#options.classes, type) ? this.#options.classes[type] : null;
    if (!cls) {
      const known = Object.keys(this.#options.classes);
      throw new TemplateRenderError(
        `No live component named '${type}' (the view's static components has ${
          known.length ? known.map((k) => `'${k}'`).join(", ") : "none"
        })`,
      );
    }
    if (rawId === undefined || rawId === null || rawId === "") {
      throw new TemplateRenderError(`live_component '${type}' needs an id (id=…)`);
    }
    const id = String(rawId);
    const key = keyOf(type, id);
    let instance = this.#byKey?.get(key);
    if (instance) {
      if (holder.held?.has(instance)) throw duplicate(type, id);
      const other = instance.holder;
      // Another region still shows it: right if that region goes away in this same render pass
      // (the component moved, say to a loop rendered first); checked when the pass ends (sweep).
      if (other && other !== holder && !other.disposed) this.#contested.push([instance, other]);
      instance.holder = holder;
      holder.held?.add(instance);
      this.#released?.delete(instance);
      if (!sameProps(instance.props, props)) {
        instance.props = props;
        const target = instance.component;
        untracked(() => batch(() => target.update(props)));
      }
      return instance;
    }
    if (this.size >= MAX_COMPONENTS) {
      throw new TemplateRenderError(`More than ${MAX_COMPONENTS} live components in one view`);
    }
    instance = this.#create(type, cls, id, props, holder);
    holder.held?.add(instance);
    (this.#byKey ??= new Map()).set(key, instance);
    (this.#byCid ??= new Map()).set(instance.cid, instance);
    return instance;
  }

  #create(
    type: string,
    cls: ComponentClass,
    id: string,
    props: Record<string, unknown>,
    holder: ComponentHolder,
  ): ComponentInstance {
    const component = new cls();
    const cid = `${type}-${(++this.#nextCid).toString(36)}`;
    // Not enumerable, so they are never mistaken for public state.
    for (
      const [name, value] of [
        ["id", id],
        ["myself", cid],
        ["session", this.#options.session],
        ["user", this.#options.user ?? null],
      ] as const
    ) Object.defineProperty(component, name, { value, enumerable: false });
    linkComponent(component, {
      sendParent: (message) => this.#options.sendParent(message),
      sendUpdate: (target, targetId, targetProps) => this.sendUpdate(target, targetId, targetProps),
      pushEvent: (name, payload) => this.#options.pushEvent(name, payload),
    });
    untracked(() => batch(() => component.mount(props)));
    this.#restore(component, type, id, props);
    const scope = prepareState(component);
    scope.id = id;
    scope.myself = cid;
    return { type, cls, id, cid, component, scope, props, holder, renderer: null };
  }

  /**
   * Gives a restored view's component its saved state (when it still fits the class), then runs
   * `update(props)`: what it changed itself comes back, and props win over saved copies of them.
   */
  #restore(
    component: LiveComponent,
    type: string,
    id: string,
    props: Record<string, unknown>,
  ): void {
    const key = savedKey(type, id);
    const saved = this.#saved?.get(key);
    if (!saved) return;
    this.#saved!.delete(key);
    const read = readSnapshot(component, saved);
    if ("mismatch" in read) return; // a deploy changed the component: it starts from its props
    untracked(() =>
      batch(() => {
        applySnapshot(component, read.fields);
        component.update(props);
      })
    );
  }

  /** The renderer of `instance`, made on first use inside the renderer `parent` renders with. */
  #rendererOf(instance: ComponentInstance, parent: LiveRenderer): LiveRenderer {
    if (instance.renderer) return instance.renderer;
    const ctx = this.#options.engine.newContext(instance.scope, this.#options.hooks);
    this.serve(ctx);
    return instance.renderer = new LiveRenderer(ctx, () => {}, { parent });
  }

  /** Renders `instance` with live regions (a previous rendering's regions are dropped). */
  renderLive(instance: ComponentInstance, parent: LiveRenderer): string {
    return this.#rendererOf(instance, parent).mount(this.templateBlock(instance.cls));
  }

  /** Renders `instance` for a page load, without regions (built when the view goes live). */
  renderFirst(instance: ComponentInstance, parent: LiveRenderer): string {
    return this.#rendererOf(instance, parent).renderFirst(this.templateBlock(instance.cls));
  }

  /** Renders `instance` from scratch for a comparison render, without touching its regions. */
  renderFresh(instance: ComponentInstance, parent: LiveRenderer): string {
    const ctx = this.#options.engine.newContext(instance.scope, this.#options.hooks);
    this.serve(ctx, { readonly: true });
    const renderer = new LiveRenderer(ctx, () => {}, { parent, fresh: true });
    try {
      return renderer.mount(this.templateBlock(instance.cls));
    } finally {
      renderer.release();
    }
  }

  /** `holder` no longer shows `instance` (it re-renders or is gone); swept unless taken again. */
  release(instance: ComponentInstance, holder: ComponentHolder): void {
    if (instance.holder !== holder) return;
    instance.holder = null;
    (this.#released ??= new Set()).add(instance);
  }

  /**
   * Ends a render pass: an instance two live regions show is a template error (the same id twice);
   * instances nobody holds any more are disposed.
   */
  sweep(): void {
    if (this.#contested.length) {
      const contested = this.#contested;
      this.#contested = [];
      for (const [instance, other] of contested) {
        const holder = instance.holder;
        if (!other.disposed && holder && holder !== other && !holder.disposed) {
          throw duplicate(instance.type, instance.id);
        }
      }
    }
    const released = this.#released;
    if (!released) return;
    // Instances a dropped one lets go of join this same set, and are visited in this same loop.
    for (const instance of released) {
      if (instance.holder && !instance.holder.disposed) continue;
      this.#drop(instance);
    }
    this.#released = null;
  }

  #drop(instance: ComponentInstance): void {
    this.#byKey?.delete(keyOf(instance.type, instance.id));
    this.#byCid?.delete(instance.cid);
    linkComponent(instance.component, null);
    instance.renderer?.release();
    instance.renderer = null;
  }

  /** `sendUpdate(Component, id, props)`: runs that instance's `update(props)` (if it exists). */
  sendUpdate(cls: ComponentClass, id: unknown, props: Record<string, unknown>): void {
    for (const [type, candidate] of Object.entries(this.#options.classes)) {
      // The class listed, or one it extends (a view may list a subclass of a shared component).
      if (candidate !== cls && !Object.prototype.isPrototypeOf.call(cls, candidate)) continue;
      const instance = this.#byKey?.get(keyOf(type, String(id)));
      if (!instance) continue;
      // Only these props: the parent's next render compares with what the parent last gave.
      batch(() => instance.component.update({ ...props }));
      return;
    }
  }

  /** The options of handler `name` on the instance `cid` targets, if both exist. */
  handlerOptions(cid: unknown, name: unknown): EventHandlerOptions | undefined {
    const instance = typeof cid === "string" ? this.#byCid?.get(cid) : undefined;
    return instance ? findHandler(instance.component, name)?.options : undefined;
  }

  /** Runs event `name` on the instance `cid` targets (`dj-target`). Never throws. */
  async dispatch(cid: unknown, name: unknown, params: EventParams): Promise<DispatchResult> {
    const instance = typeof cid === "string" ? this.#byCid?.get(cid) : undefined;
    if (!instance) return unknownTarget(cid);
    if (name === undefined) return { ok: false, code: "client.malformed", reason: "No name" };
    const handler = findHandler(instance.component, name);
    if (!handler) {
      return {
        ok: false,
        code: "client.unknown_handler",
        reason: `No event handler named ${JSON.stringify(name)} on ${instance.cls.name}`,
      };
    }
    return await this.#options.asHandler(() => handler.fn.call(instance.component, params));
  }

  /** `dj-model` with `dj-target`: writes a bindable field of the instance. */
  model(cid: unknown, params: EventParams): DispatchResult {
    const instance = typeof cid === "string" ? this.#byCid?.get(cid) : undefined;
    if (!instance) return unknownTarget(cid);
    return bindField(instance.component, instance.cls.bindable ?? [], params);
  }

  /** Lets every instance go (the view ends). */
  dispose(): void {
    for (const instance of this.#byKey?.values() ?? []) {
      linkComponent(instance.component, null);
      instance.renderer?.release();
    }
    this.#byKey = null;
    this.#byCid = null;
    this.#released = null;
  }
}

/** The answer to a `dj-target` naming no instance of this view. */
function unknownTarget(cid: unknown): DispatchResult {
  return {
    ok: false,
    code: "client.unknown_target",
    reason: `No live component ${JSON.stringify(cid)} on this page (it may have been removed)`,
  };
}

function duplicate(type: string, id: string): TemplateRenderError {
  return new TemplateRenderError(
    `live_component '${type}' with id ${JSON.stringify(id)} is rendered twice; ` +
      `ids must be unique per component type`,
  );
}

/** A component's key in a view's snapshot. */
function savedKey(type: string, id: string): string {
  return `${type}:${id}`;
}

function keyOf(type: string, id: string): string {
  return type + "\u0000" + id;
}

/** Same keys with identical values (`Object.is`): a re-render that changed nothing. */
function sameProps(a: Record<string, unknown>, b: Record<string, unknown>): boolean {
  const keys = Object.keys(a);
  if (keys.length !== Object.keys(b).length) return false;
  for (const key of keys) if (!Object.hasOwn(b, key) || !Object.is(a[key], b[key])) return false;
  return true;
}
