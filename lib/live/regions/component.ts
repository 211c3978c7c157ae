/**
 * The region of a `{% live_component %}`: it tracks only what its id and props read. Its content
 * is the component instance's own template, rendered by the instance's renderer, whose regions
 * track the instance's state: a change inside a component patches that component only, and a
 * parent re-render that gives the same props touches nothing inside it.
 * @module
 */
import { untracked } from "@preact/signals-core";
import { placeError, TemplateRenderError } from "../../template/errors.ts";
import type { PatchOp } from "../protocol.ts";
import { type ComponentInstance, hostOf, type ServedHost } from "../component_host.ts";
import type { RegionSpec } from "./compile.ts";
import type { ItemRegion } from "./loop.ts";
import { contentOp, markers, Region } from "./region.ts";
import type { LiveRenderer } from "./renderer.ts";

type ComponentSpec = Extract<RegionSpec, { type: "component" }>;

/** The host serving `renderer`'s context; a live component needs a live view. */
export function servedHost(renderer: LiveRenderer): ServedHost {
  const served = hostOf(renderer.ctx);
  if (!served) {
    throw new TemplateRenderError("'live_component' renders only in a live view");
  }
  return served;
}

/**
 * Evaluates a component tag's id and props in `renderer`'s context at `scope`, and returns the
 * instance for `holder` (found only, in a comparison render). Errors carry the tag's position.
 */
export function acquireInstance(
  renderer: LiveRenderer,
  spec: ComponentSpec,
  scope: Parameters<LiveRenderer["enter"]>[0],
  holder: { readonly disposed: boolean; readonly held?: Set<unknown> },
): ComponentInstance {
  const node = spec.node;
  try {
    const served = servedHost(renderer);
    const { id, props } = node.evaluate(renderer.enter(scope));
    if (served.readonly) {
      const found = served.host.find(node.type, id);
      if (!found) throw new TemplateRenderError(`live_component '${node.type}' ${id} is gone`);
      return found;
    }
    return served.host.instance(node.type, id, props, holder);
  } catch (err) {
    const position = node.position;
    throw position ? placeError(err, position) : err;
  }
}

/** `{% live_component "name" id=… %}`. */
export class ComponentRegion extends Region {
  #instance: ComponentInstance | null = null;

  constructor(
    renderer: LiveRenderer,
    item: ItemRegion | null,
    depth: number,
    anchor: number,
    readonly spec: ComponentSpec,
  ) {
    super(renderer, item, depth, anchor);
  }

  /** Evaluates id and props (recorded by whoever tracks) and takes the instance. */
  #acquire(): ComponentInstance {
    const renderer = this.renderer;
    renderer.stats.renders++;
    return acquireInstance(renderer, this.spec, this.scope, this);
  }

  /** The instance's content: its own regions, which track themselves (not this region). */
  #content(instance: ComponentInstance): string {
    const served = servedHost(this.renderer);
    return untracked(() =>
      served.readonly
        ? served.host.renderFresh(instance, this.renderer)
        : served.host.renderLive(instance, this.renderer)
    );
  }

  mount(): string {
    const finish = this.beginOwnTracking();
    let instance: ComponentInstance;
    try {
      instance = this.#acquire();
    } finally {
      this.endOwnTracking(finish);
    }
    this.#instance = instance;
    const html = this.#content(instance);
    return this.spec.target < 0 ? markers(this.id, html) : html;
  }

  /** The parent re-rendered it: new props reach `update`; another id shows another instance. */
  refresh(ops: PatchOp[]): void {
    const instance = this.#acquire();
    if (instance === this.#instance) return;
    this.#release();
    this.#instance = instance;
    ops.push(contentOp(this.id, this.#content(instance)));
  }

  #release(): void {
    const instance = this.#instance;
    if (instance === null) return;
    this.#instance = null;
    const served = hostOf(this.renderer.ctx);
    if (served && !served.readonly) served.host.release(instance, this);
  }

  override dispose(): void {
    super.dispose();
    this.#release();
  }
}
