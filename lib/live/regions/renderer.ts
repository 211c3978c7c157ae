/**
 * Renders one view's LiveBlock into region instances, remembers what each region read and
 * rendered, and turns signal changes into patch ops at flush time.
 *
 *   LiveRenderer ── owns ── Region (tree) ── self-tracking regions and loop items have a tracker
 *        │                        │
 *        └── dirty list ◄── changed() (end of batch)       flush(): parents first, then children
 * @module
 */
import type { Context, Scope } from "../../template/context.ts";
import { type NodeList, renderNodes } from "../../template/nodes.ts";
import { untracked } from "@preact/signals-core";
import { ANCHOR_ATTR, type PatchOp } from "../protocol.ts";
import { AttrsRegion, BranchRegion, ElementRegion, ValueRegion } from "./basic.ts";
import { type LiveBlock, type RegionSpec, type Segment, SegmentKind } from "./compile.ts";
import { type ItemRegion, LoopRegion } from "./loop.ts";
import { disposeChain, Flag, type Region, type RegionChain } from "./region.ts";
import { renderStatic } from "./static.ts";
import { ComponentRegion } from "./component.ts";
import { StreamRegion } from "./stream.ts";
import { TemplateComponentRegion } from "./template_component.ts";
import { SlotRegion } from "./slot.ts";
import { DependencyTracker } from "./tracker.ts";
import { signal } from "../signals.ts";

/** Where a component's slots render: the caller's renderer, scope, and the depth of their regions. */
export interface SlotCaller {
  readonly renderer: LiveRenderer;
  readonly scope: Scope;
  /** Depth of the slots' regions in the caller's renderer (below the component's region). */
  readonly depth: number;
  /** The caller's loop item the component sits in (its regions join it), or null. */
  readonly item: ItemRegion | null;
}

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
  /** Statistics since creation (a component's renderer counts into its view's). */
  readonly stats: RenderStats;
  /**
   * A from-scratch render for comparison (`MountedView.renderFresh`): streams are shown from their
   * verification copy and not taken, live components are shown as they are.
   */
  readonly fresh: boolean;
  /**
   * What holds the live components a page load's render shows (it has no regions to hold them):
   * given up when the regions are built.
   */
  pageHolder: { disposed: boolean; held?: Set<unknown> } = { disposed: false };
  readonly ctx: Context;
  /** The view's variables: the scope of every region outside loops. */
  readonly rootScope: Scope;
  readonly autoescape: boolean;
  /** Above zero while constants render (their reads of `forloop` ask for no re-render). */
  renderingConstants = 0;
  /**
   * For a `{% component %}`'s renderer: who renders its slots' content with regions of their own
   * (the caller's renderer, under the component's region); null elsewhere (see slot.ts).
   */
  readonly slotCaller: SlotCaller | null;
  #nextAnchor = 0;
  #dirty: Region[] = [];
  #roots: RegionChain = { first: null };
  #onDirty: () => void;
  #block: LiveBlock | null = null;
  /** A tracker that read nothing last time, kept for the next region that tracks. */
  #spare: DependencyTracker | null = null;
  /** What a first render without regions read (see renderFirst), and whether it changed since. */
  #page: DependencyTracker | null = null;
  #stale = false;
  /** The view's renderer; a live component's renderer shares its anchors, stats and flushes. */
  readonly #root: LiveRenderer;
  /** Renderers of live components (on the view's renderer only; made with the first). */
  #children: Set<LiveRenderer> | null = null;
  /** Children with regions waiting for a flush. */
  #dirtyChildren: LiveRenderer[] = [];

  /**
   * `ctx` holds the view's variables (signals); `onDirty` is called when a flush is needed. With
   * `parent`, this renders a live component inside that view: anchors come from the view's
   * renderer, and its changes are flushed with the view's.
   */
  constructor(
    ctx: Context,
    onDirty: () => void,
    options: { parent?: LiveRenderer; fresh?: boolean; slotCaller?: SlotCaller } = {},
  ) {
    this.ctx = ctx;
    this.slotCaller = options.slotCaller ?? null;
    // Variables assigned by tags become signals, tracked like state (see Context.makeCell).
    ctx.makeCell = (value) => signal(value);
    this.rootScope = ctx.scope;
    this.autoescape = ctx.autoescape;
    this.#onDirty = onDirty;
    this.#root = options.parent ? options.parent.#root : this;
    this.stats = this.#root === this ? { renders: 0 } : this.#root.stats;
    this.fresh = options.fresh ?? this.#root.fresh ?? false;
    if (this.#root !== this) (this.#root.#children ??= new Set()).add(this);
  }

  /** The view's renderer (itself, unless this renders a live component). */
  get root(): LiveRenderer {
    return this.#root;
  }

  /** Renderers a page load's render made (template components): checked and let go at goLive. */
  #pageChildren: LiveRenderer[] = [];

  /** Keeps `child` (made by a page load's render) until the view goes live. */
  keepForPage(child: LiveRenderer): void {
    this.#pageChildren.push(child);
  }

  /** Re-renders every region now (their ops appended), each under its own tracking. */
  updateAll(ops: PatchOp[]): void {
    for (let r = this.#roots.first; r !== null; r = r.next) r.update(ops);
  }

  /** Disposes this component renderer for good and detaches it from its view's. */
  release(): void {
    this.dispose();
    this.#root.#children?.delete(this);
  }

  /** Renders `block` from scratch (disposing any previous regions) and returns its HTML. */
  mount(block: LiveBlock): string {
    this.dispose();
    this.#block = block;
    return this.renderBlock(block, null, 0, this.#roots);
  }

  /**
   * Renders `block` as `mount` would, HTML and anchors alike, without building its regions: what a
   * page load needs (see static.ts). Whatever the render read is watched until {@link goLive}, which
   * builds the regions and tells whether the page is still current.
   */
  renderFirst(block: LiveBlock): string {
    this.dispose();
    this.#block = block;
    this.#stale = false;
    this.pageHolder = { disposed: false, held: new Set() };
    const page = this.#page = new DependencyTracker({ changed: () => this.#stale = true });
    const finish = page.start();
    try {
      return renderStatic(this, block, this.rootScope);
    } finally {
      finish();
    }
  }

  /**
   * Builds the regions of a view rendered with {@link renderFirst}, with the same anchors. Returns
   * the HTML when something it read changed since (the page is out of date), else null.
   */
  goLive(): string | null {
    let stale = this.#stale || this.#page === null;
    for (const child of this.#children ?? []) stale ||= child.#stale;
    for (const child of this.#pageChildren) child.release();
    this.#pageChildren = [];
    this.#nextAnchor = 0;
    const html = this.mount(this.#block!);
    return stale ? html : null;
  }

  /** Re-renders everything with new anchors (a resync) and returns the HTML. */
  remount(): string {
    return this.mount(this.#block!);
  }

  /** True when some region (of the view or of one of its live components) waits for a flush. */
  get dirty(): boolean {
    return this.#dirty.length > 0 || this.#dirtyChildren.length > 0;
  }

  /** Re-renders every changed region, parents before children, and returns the ops. */
  flush(): PatchOp[] {
    const ops: PatchOp[] = [];
    // The view's regions first (they may give live components new props), then the components'.
    while (this.#dirty.length || this.#dirtyChildren.length) {
      this.#flushOwn(ops);
      const children = this.#dirtyChildren;
      this.#dirtyChildren = [];
      for (const child of children) child.#flushOwn(ops);
    }
    return ops;
  }

  #flushOwn(ops: PatchOp[]): void {
    while (this.#dirty.length) {
      const batch = this.#dirty;
      this.#dirty = [];
      if (batch.length > 1) batch.sort((a, b) => a.depth - b.depth);
      for (let i = 0; i < batch.length; i++) {
        const region = batch[i];
        // Refreshed meanwhile by its loop (the flag is cleared), or gone with its parent.
        if ((region.bits & Flag.Queued) === 0) continue;
        region.bits &= ~Flag.Queued;
        if ((region.bits & Flag.Disposed) === 0) region.update(ops);
      }
    }
  }

  /** Disposes every region (and its dependency tracking). */
  dispose(): void {
    this.#page?.dispose();
    this.#page = null;
    this.pageHolder.disposed = true;
    // What it held matters only while the page renders (an id shown twice); a view keeps its
    // renderer for life, and the set would stay with it.
    this.pageHolder.held = undefined;
    if (this.#pageChildren.length) {
      for (const child of this.#pageChildren) child.release();
      this.#pageChildren = [];
    }
    disposeChain(this.#roots.first);
    this.#roots.first = null;
    this.#dirty = [];
  }

  /** Queues `region` for the next flush (called by its tracker at the end of a batch). */
  markDirty(region: Region): void {
    if ((region.bits & Flag.Queued) !== 0) return;
    region.bits |= Flag.Queued;
    this.#dirty.push(region);
    if (this.#dirty.length !== 1) return;
    const root = this.#root;
    if (root === this) {
      if (root.#dirtyChildren.length === 0) this.#onDirty();
    } else {
      root.#dirtyChildren.push(this);
      if (root.#dirtyChildren.length === 1 && root.#dirty.length === 0) root.#onDirty();
    }
  }

  /** A new anchor number, unique within the view (its live components share the numbering). */
  newAnchor(): number {
    return ++this.#root.#nextAnchor;
  }

  /** Takes `n` consecutive anchor numbers (a block's slots); returns the first. */
  reserveAnchors(n: number): number {
    const root = this.#root;
    const base = root.#nextAnchor + 1;
    root.#nextAnchor += n;
    return base;
  }

  /**
   * Starts recording what `region` reads (calls nest: end them in reverse order); returns what
   * {@link endTracking} needs. No closure is made per region: this runs for every row of a page.
   */
  beginTracking(region: Region): () => void {
    let tracker = region.tracker;
    if (tracker === null) {
      tracker = this.#spare ?? new DependencyTracker();
      this.#spare = null;
      tracker.listener = region;
      region.tracker = tracker;
    }
    return tracker.start();
  }

  /**
   * Stops recording for `region`. A tracker is kept only by regions that read a signal; one that
   * read nothing becomes the spare for the next region.
   */
  endTracking(region: Region, finish: () => void): void {
    finish();
    const tracker = region.tracker!;
    if (!tracker.tracking) {
      region.tracker = null;
      tracker.listener = null;
      this.#spare = tracker;
    }
  }

  /** The index of the branch `spec` shows now (-1: none), compiled for `{% if %}`. */
  choose(spec: Extract<RegionSpec, { type: "if" }>, scope: Scope): number {
    const ctx = this.enter(scope);
    if (spec.chooser === null) return spec.node.choose(ctx);
    const index = renderNodes(spec.chooser, ctx);
    return index === "" ? -1 : +index;
  }

  /** Sets up the shared context for evaluating in `scope`. */
  enter(scope: Scope): Context {
    const ctx = this.ctx;
    if (ctx.scope !== scope) ctx.scope = scope;
    ctx.autoescape = this.autoescape;
    ctx.resetRenderState();
    return ctx;
  }

  /**
   * Renders a block's segments for `item` (null outside loops) at `depth`: its anchor slots are
   * allocated here and the regions it creates are chained into `into` (which holds none yet).
   */
  renderBlock(block: LiveBlock, item: ItemRegion | null, depth: number, into: RegionChain): string {
    // Slot k of this block is anchor `base + k`.
    const base = this.reserveAnchors(block.slots);
    let out = "";
    let last: Region | null = null;
    const segments = block.segments;
    for (let i = 0; i < segments.length; i++) {
      const seg = segments[i];
      switch (seg.kind) {
        case SegmentKind.Static:
          out += seg.html;
          break;
        case SegmentKind.Anchor:
          out += ` ${ANCHOR_ATTR}="${(base + seg.slot).toString(36)}"`;
          break;
        case SegmentKind.Plain:
          out += this.#renderConstant(seg.nodes, item);
          break;
        case SegmentKind.Region: {
          const spec = seg.region;
          if (spec.type === "frozen") {
            // Rendered once, untracked: no change can ever touch it (client code owns it).
            const scope = item !== null ? item.itemScope : this.rootScope;
            out += untracked(() => this.renderSegments(spec.segments, this.enter(scope), ""));
            break;
          }
          const region = this.#create(spec, item, depth, base);
          if (last === null) into.first = region;
          else last.next = region;
          last = region;
          out += region.mount();
          break;
        }
      }
    }
    return out;
  }

  /** Renders segments that hold no regions, with `selfId` for anchor slot 0. */
  renderSegments(segments: readonly Segment[], ctx: Context, selfId: string): string {
    let out = "";
    for (let i = 0; i < segments.length; i++) {
      const seg = segments[i];
      if (seg.kind === SegmentKind.Static) out += seg.html;
      else if (seg.kind === SegmentKind.Plain) out += renderNodes(seg.nodes, ctx);
      else if (seg.kind === SegmentKind.Anchor) out += ` ${ANCHOR_ATTR}="${selfId}"`;
    }
    return out;
  }

  /** A node of a block that is rendered once (a constant of its item). */
  #renderConstant(nodes: NodeList, item: ItemRegion | null): string {
    this.renderingConstants++;
    try {
      return renderNodes(nodes, this.enter(item !== null ? item.itemScope : this.rootScope));
    } finally {
      this.renderingConstants--;
    }
  }

  /** Instantiates the region `spec` describes; `base` is the anchor of the block's slot 0. */
  #create(spec: RegionSpec, item: ItemRegion | null, depth: number, base: number): Region {
    switch (spec.type) {
      case "value":
      case "fragment": {
        const anchor = spec.target >= 0 ? base + spec.target : this.newAnchor();
        return new ValueRegion(this, item, depth, anchor, spec);
      }
      case "attrs":
        return new AttrsRegion(this, item, depth, base + spec.slot, spec);
      case "element":
        return new ElementRegion(this, item, depth, this.newAnchor(), spec);
      case "if": {
        const anchor = spec.target >= 0 ? base + spec.target : this.newAnchor();
        return new BranchRegion(this, item, depth, anchor, spec);
      }
      case "for": {
        const anchor = spec.target >= 0 ? base + spec.target : this.newAnchor();
        return new LoopRegion(this, item, depth, anchor, spec);
      }
      case "component": {
        const anchor = spec.target >= 0 ? base + spec.target : this.newAnchor();
        return new ComponentRegion(this, item, depth, anchor, spec);
      }
      case "template-component": {
        const anchor = spec.target >= 0 ? base + spec.target : this.newAnchor();
        return new TemplateComponentRegion(this, item, depth, anchor, spec);
      }
      case "slot": {
        const anchor = spec.target >= 0 ? base + spec.target : this.newAnchor();
        return new SlotRegion(this, item, depth, anchor, spec);
      }
      case "stream":
        return new StreamRegion(this, item, depth, base + spec.slot, spec);
      case "frozen":
        throw new Error("frozen content has no region");
    }
  }
}
