/**
 * The region of a `{% component %}` in a live view. It tracks only its attributes; the component's
 * template renders with a renderer of its own whose variables are cells (signals) the region writes
 * when the attributes change, so an attribute change re-renders just what reads it, and each
 * `{% render_slot %}` is a region that re-renders when what the slot shows (the caller's state)
 * changes.
 * @module
 */
import { batch, untracked } from "@preact/signals-core";
import { Context, type Scope } from "../../template/context.ts";
import { placeError } from "../../template/errors.ts";
import { type ComponentNode, enterComponent } from "../../template/tags/component.ts";
import type { PatchOp } from "../protocol.ts";
import { hostOf } from "../component_host.ts";
import { type Signal, signal } from "../signals.ts";
import { liveBlockOf, type RegionSpec } from "./compile.ts";
import type { ItemRegion } from "./loop.ts";
import { markers, Region } from "./region.ts";
import { LiveRenderer } from "./renderer.ts";

type Spec = Extract<RegionSpec, { type: "template-component" }>;

/** The component's variables in `parent`'s context at `scope` (errors carry the tag's position). */
function variablesAt(parent: LiveRenderer, node: ComponentNode, scope: Scope) {
  try {
    const ctx = parent.enter(scope);
    return { variables: node.variables(ctx), nodes: node.componentTemplate(ctx).nodes };
  } catch (err) {
    const position = node.position;
    throw position ? placeError(err, position) : err;
  }
}

/**
 * A renderer for the component's template: its scope is `cells`, its slots render in `scope` of
 * `parent` (the caller's variables), and it renders with the view's hooks, templates and live
 * components. The slots' content gets regions of its own in the caller's renderer, at `depth`,
 * members of the caller's loop `item` if any (see slot.ts).
 */
function componentRenderer(
  parent: LiveRenderer,
  node: ComponentNode,
  scope: Scope,
  cells: Scope,
  depth: number,
  item: ItemRegion | null,
  options: { fresh?: boolean } = {},
): LiveRenderer {
  const outer = parent.ctx;
  const ctx = new Context(cells, true, outer.hooks);
  ctx.templates = outer.templates;
  ctx.translations = outer.translations;
  enterComponent(ctx, node, [scope], parent.autoescape);
  const served = hostOf(outer);
  if (served) served.host.serve(ctx, { readonly: served.readonly });
  const slotCaller = { renderer: parent, scope, depth, item };
  return new LiveRenderer(ctx, () => {}, { parent, slotCaller, ...options });
}

/** The first render of a `{% component %}` for a page load (no regions; see static.ts). */
export function renderTemplateComponentFirst(r: LiveRenderer, spec: Spec, scope: Scope): string {
  const { variables, nodes } = variablesAt(r, spec.node, scope);
  const child = componentRenderer(r, spec.node, scope, cellsOf(variables), 0, null);
  r.root.keepForPage(child);
  return untracked(() => child.renderFirst(liveBlockOf(nodes, r.ctx.templates ?? null)));
}

function cellsOf(variables: Record<string, unknown>): Record<string, Signal<unknown>> {
  const cells: Record<string, Signal<unknown>> = {};
  for (const [name, value] of Object.entries(variables)) cells[name] = signal(value);
  return cells;
}

/** `{% component "name" … %}…{% endcomponent %}` in a live view. */
export class TemplateComponentRegion extends Region {
  #child: LiveRenderer | null = null;
  #cells: Record<string, Signal<unknown>> = {};

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
    renderer.stats.renders++;
    const finish = this.beginOwnTracking();
    let found;
    try {
      found = variablesAt(renderer, this.spec.node, this.scope);
    } finally {
      this.endOwnTracking(finish);
    }
    this.#cells = cellsOf(found.variables);
    const child = this.#child = componentRenderer(
      renderer,
      this.spec.node,
      this.scope,
      this.#cells,
      this.depth + 1,
      this.item,
      { fresh: renderer.fresh },
    );
    const html = untracked(() =>
      child.mount(liveBlockOf(found.nodes, renderer.ctx.templates ?? null))
    );
    return this.spec.target < 0 ? markers(this.id, html) : html;
  }

  /**
   * The attributes were re-read: changed cells re-render what reads them (in the same flush). In
   * a loop item, the item's variables are plain values: the slots are re-evaluated too.
   */
  refresh(ops: PatchOp[]): void {
    const renderer = this.renderer;
    renderer.stats.renders++;
    const { variables } = variablesAt(renderer, this.spec.node, this.scope);
    untracked(() =>
      batch(() => {
        for (const [name, value] of Object.entries(variables)) {
          const cell = this.#cells[name];
          if (cell && !Object.is(cell.peek(), value)) cell.value = value;
        }
      })
    );
    if (this.item !== null) this.#child?.updateAll(ops);
  }

  override dispose(): void {
    super.dispose();
    this.#child?.release();
    this.#child = null;
  }
}
