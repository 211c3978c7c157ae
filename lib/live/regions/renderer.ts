/**
 * Renders one view's LiveBlock into region instances, remembers what each region read and
 * rendered, and turns signal changes into patch ops at flush time.
 *
 *   LiveRenderer ── owns ── Region (tree) ── each has ── DependencyTracker
 *        │                        │
 *        └── dirty set ◄── onChange (end of batch)        flush(): parents first, then children
 * @module
 */
import type { Context, Scope } from "../../template/context.ts";
import { renderNodes } from "../../template/nodes.ts";
import { ANCHOR_ATTR, type PatchOp } from "../protocol.ts";
import { AttrsRegion, BranchRegion, ElementRegion, FrozenRegion, ValueRegion } from "./basic.ts";
import { type LiveBlock, type RegionSpec, type Segment, SegmentKind } from "./compile.ts";
import { LoopRegion } from "./keyed_loop.ts";
import type { Region, RegionSite } from "./region.ts";
import { signal } from "../signals.ts";

/** Counters a renderer keeps, for benchmarks and diagnostics. */
export interface RenderStats {
  /** Region renders (initial and updates). */
  renders: number;
}

/**
 * Renders one view's LiveBlock and keeps its regions up to date.
 *
 * @example
 * ```ts
 * import { signal } from "@preact/signals-core";
 * import { Engine } from "../../template/engine.ts";
 * import { compileLive } from "./compile.ts";
 * import { LiveRenderer } from "./renderer.ts";
 * const engine = new Engine();
 * const count = signal(0);
 * const r = new LiveRenderer(engine.newContext({ count }), () => {});
 * r.mount(compileLive(engine.fromString("<b>{{ count }}</b>").nodes));
 * count.value = 1;
 * r.flush(); // [{ op: "text", id: "1", text: "1" }]
 * ```
 */
export class LiveRenderer {
  /** Statistics since creation. */
  readonly stats: RenderStats = { renders: 0 };
  readonly ctx: Context;
  #nextId = 0;
  #dirty = new Set<Region>();
  #roots: Region[] = [];
  #onDirty: () => void;
  #block: LiveBlock | null = null;
  #rootScope: Scope;

  /** `ctx` holds the view's variables (signals); `onDirty` is called when a flush is needed. */
  constructor(ctx: Context, onDirty: () => void) {
    this.ctx = ctx;
    // Variables assigned by tags become signals, tracked like state (see Context.makeCell).
    ctx.makeCell = (value) => signal(value);
    this.#rootScope = ctx.scope;
    this.#onDirty = onDirty;
  }

  /** Renders `block` from scratch (disposing any previous regions) and returns its HTML. */
  mount(block: LiveBlock): string {
    this.dispose();
    this.#block = block;
    const roots: Region[] = [];
    const site: RegionSite = {
      renderer: this,
      scope: this.#rootScope,
      parent: null,
      autoescape: this.ctx.autoescape,
      slotIds: [],
    };
    const html = this.renderBlock(block, site, roots);
    this.#roots = roots;
    return html;
  }

  /** Re-renders everything with new anchors (a resync) and returns the HTML. */
  remount(): string {
    return this.mount(this.#block!);
  }

  /** True when some region waits for a flush. */
  get dirty(): boolean {
    return this.#dirty.size > 0;
  }

  /** Re-renders every changed region, parents before children, and returns the ops. */
  flush(): PatchOp[] {
    const ops: PatchOp[] = [];
    while (this.#dirty.size) {
      const batch = [...this.#dirty].sort((a, b) => a.depth - b.depth);
      this.#dirty.clear();
      for (const region of batch) if (!region.disposed) region.update(ops);
    }
    return ops;
  }

  /** Disposes every region (and its dependency tracking). */
  dispose(): void {
    for (const r of this.#roots) r.dispose();
    this.#roots = [];
    this.#dirty.clear();
  }

  /** Queues `region` for the next flush (called by its tracker at the end of a batch). */
  markDirty(region: Region): void {
    const first = this.#dirty.size === 0;
    this.#dirty.add(region);
    if (first) this.#onDirty();
  }

  /** A new anchor id, unique within this renderer. */
  newId(): string {
    return (++this.#nextId).toString(36);
  }

  /**
   * Renders a block's segments at `site` (its own anchor slots are allocated here); the regions it
   * creates are appended to `into`.
   */
  renderBlock(block: LiveBlock, site: RegionSite, into: Region[]): string {
    const slotIds: string[] = [];
    for (let i = 0; i < block.slots; i++) slotIds.push(this.newId());
    const here: RegionSite = { ...site, slotIds };
    let out = "";
    const segments = block.segments;
    for (let i = 0; i < segments.length; i++) {
      const seg = segments[i];
      switch (seg.kind) {
        case SegmentKind.Static:
          out += seg.html;
          break;
        case SegmentKind.Anchor:
          out += ` ${ANCHOR_ATTR}="${slotIds[seg.slot]}"`;
          break;
        case SegmentKind.Plain:
          this.ctx.scope = site.scope;
          this.ctx.autoescape = site.autoescape;
          out += seg.node.render(this.ctx);
          break;
        case SegmentKind.Region: {
          const region = createRegion(here, seg.region);
          into.push(region);
          out += region.mount();
          break;
        }
      }
    }
    return out;
  }

  /** Renders plain segments (no regions) with `selfId` for anchor slot 0. */
  renderPlain(
    segments: readonly Segment[],
    scope: Scope,
    autoescape: boolean,
    selfId: string,
  ): string {
    const ctx = this.enter(scope, autoescape);
    let out = "";
    for (let i = 0; i < segments.length; i++) {
      const seg = segments[i];
      if (seg.kind === SegmentKind.Static) out += seg.html;
      else if (seg.kind === SegmentKind.Plain) out += seg.node.render(ctx);
      else if (seg.kind === SegmentKind.Anchor) out += ` ${ANCHOR_ATTR}="${selfId}"`;
    }
    return out;
  }

  /** Sets up the shared context for evaluating in `scope`. */
  enter(scope: Scope, autoescape: boolean): Context {
    const ctx = this.ctx;
    ctx.scope = scope;
    ctx.autoescape = autoescape;
    ctx.resetRenderState();
    return ctx;
  }
}

/** Instantiates the region `spec` describes, at `site`. */
function createRegion(site: RegionSite, spec: RegionSpec): Region {
  const { renderer, scope, autoescape } = site;
  switch (spec.type) {
    case "value": {
      const node = spec.node;
      return new ValueRegion(
        site,
        spec.target,
        () => renderNodes([node], renderer.enter(scope, autoescape)),
      );
    }
    case "frozen":
      return new FrozenRegion(
        site,
        () => renderer.renderPlain(spec.segments, scope, autoescape, ""),
      );
    case "fragment":
      return new ValueRegion(
        site,
        spec.target,
        () => renderer.renderPlain(spec.segments, scope, autoescape, ""),
      );
    case "attrs":
      return new AttrsRegion(site, spec.slot, spec.segments);
    case "element":
      return new ElementRegion(site, spec.segments);
    case "if":
      return new BranchRegion(site, spec.target, spec.node, spec.branches);
    case "for":
      return new LoopRegion(site, spec);
  }
}
