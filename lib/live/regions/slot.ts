/**
 * The region of a `{% render_slot %}` in a `{% component %}`'s template.
 *
 * A slot shows the caller's content in the caller's variables. Where the component sits at its
 * caller's view scope (not in a loop item), that content is compiled to a live block of its own and
 * rendered by the caller's renderer: its `{{ }}`, `{% if %}` and `{% for %}` are regions of the
 * caller, each patched alone when what it reads changes. A dialog wrapped in a modal component
 * then keeps its form elements when one line of it changes, as the same markup outside a component
 * would. Inside a loop item the slot renders whole (the item's regions share one tracker, which the
 * caller's regions cannot join), and re-renders as one region.
 * @module
 */
import { type Node, renderNodes } from "../../template/nodes.ts";
import type { PatchOp } from "../protocol.ts";
import { liveBlockOf, type RegionSpec } from "./compile.ts";
import type { ItemRegion } from "./loop.ts";
import { contentOp, disposeChain, markers, Region } from "./region.ts";
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
    if (caller !== null) {
      // The caller's regions track themselves; this region reads nothing.
      const block = liveBlockOf(
        slotBody(renderer, this.spec),
        caller.renderer.ctx.templates ?? null,
      );
      html = caller.renderer.renderBlock(block, null, caller.depth + this.depth, this);
    } else {
      const finish = this.beginOwnTracking();
      try {
        html = this.#html = this.#renderWhole();
      } finally {
        this.endOwnTracking(finish);
      }
    }
    return this.spec.target < 0 ? markers(this.id, html) : html;
  }

  #renderWhole(): string {
    const renderer = this.renderer;
    renderer.stats.renders++;
    return renderNodes(this.spec.nodes, renderer.enter(this.scope));
  }

  /** Rendered whole: again, and one op if it changed. With the caller's regions: they update alone. */
  refresh(ops: PatchOp[]): void {
    if (this.renderer.slotCaller !== null) return;
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
