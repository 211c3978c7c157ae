/**
 * The region of a `{% render_slot %}` in a `{% component %}`'s template.
 *
 * A slot shows the caller's content in the caller's variables. That content is compiled to a live
 * block of its own and rendered by the caller's renderer: its `{{ }}`, `{% if %}` and `{% for %}`
 * are regions of the caller, each patched alone when what it reads changes. A dialog wrapped in a
 * modal component then keeps its form elements when one line of it changes, as the same markup
 * outside a component would. At the caller's view scope those regions track themselves; in a loop
 * item they are members of the item (its variables are their scope), and this region records what
 * they read and refreshes them, as does the item's own refresh through the component's region.
 * `{% render_slot %}` outside a component renders whole (and fails as Django does).
 * @module
 */
import { type Node, renderNodes } from "../../template/nodes.ts";
import type { PatchOp } from "../protocol.ts";
import { liveBlockOf, type RegionSpec } from "./compile.ts";
import type { ItemRegion } from "./loop.ts";
import { contentOp, disposeChain, markers, refreshChain, Region } from "./region.ts";
import type { LiveRenderer } from "./renderer.ts";

type Spec = Extract<RegionSpec, { type: "slot" }>;

/** The slot's content in the component rendered by `r`: its node list, or none. */
export function slotBody(r: LiveRenderer, spec: Spec): readonly Node[] {
  return spec.node.body(r.ctx) ?? [];
}

/** `{% render_slot %}`: the caller's regions (see the module documentation), or one whole region. */
export class SlotRegion extends Region {
  /** The caller's regions showing the slot's content (when it has them). */
  first: Region | null = null;
  /** The last output, when the slot renders whole. */
  #html = "";

  constructor(
    renderer: LiveRenderer,
    item: ItemRegion | null,
    depth: number,
    anchor: number,
    readonly spec: Spec,
  ) {
    super(renderer, item, depth, anchor);
  }

  mount(): string {
    const renderer = this.renderer;
    const caller = renderer.slotCaller;
    let html: string;
    const finish = caller?.item === null ? null : this.beginOwnTracking();
    try {
      if (caller === null) html = this.#html = this.#renderWhole();
      else {
        // At the view scope the caller's regions track themselves; in a loop item they are the
        // item's members, whose reads this region records (see the module documentation).
        const block = liveBlockOf(
          slotBody(renderer, this.spec),
          caller.renderer.ctx.templates ?? null,
        );
        html = caller.renderer.renderBlock(block, caller.item, caller.depth + this.depth, this);
      }
    } finally {
      if (finish !== null) this.endOwnTracking(finish);
    }
    return this.spec.target < 0 ? markers(this.id, html) : html;
  }

  #renderWhole(): string {
    const renderer = this.renderer;
    renderer.stats.renders++;
    return renderNodes(this.spec.nodes, renderer.enter(this.scope));
  }

  /**
   * In a loop item, the caller's regions update here (the item refreshed, or what they read
   * changed); at the view scope they update alone. Rendered whole: again, one op if it changed.
   */
  refresh(ops: PatchOp[]): void {
    const caller = this.renderer.slotCaller;
    if (caller !== null) {
      if (caller.item !== null) refreshChain(this.first, ops);
      return;
    }
    const html = this.#renderWhole();
    if (html === this.#html) return;
    this.#html = html;
    ops.push(contentOp(this.id, html));
  }

  override dispose(): void {
    super.dispose();
    disposeChain(this.first);
    this.first = null;
  }
}
