/**
 * Region instances: render a LiveBlock, remember what each region read and rendered, and turn
 * signal changes into patch ops at flush time.
 *
 *   LiveRenderer ── owns ── Region (tree) ── each has ── DependencyTracker
 *        │                        │
 *        └── dirty set ◄── onChange (end of batch)        flush(): parents first, then children
 * @module
 */
import {
  computed,
  type ReadonlySignal,
  type Signal,
  signal,
  untracked,
} from "@preact/signals-core";
import type { Context, Scope } from "../template/context.ts";
import { renderNodes } from "../template/nodes.ts";
import type { ForLoopInfo } from "../template/tags/control.ts";
import { lookup } from "../template/expression.ts";
import { MISSING, toIterableList } from "../template/values.ts";
import { diffAttributes, parseAttributes } from "./attrs.ts";
import { type LiveBlock, type RegionSpec, type Segment, SegmentKind } from "./compile.ts";
import { ANCHOR_ATTR, MARKER_PREFIX, type PatchOp } from "./protocol.ts";
import { DependencyTracker } from "./tracker.ts";

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
 * import { Engine } from "../template/engine.ts";
 * import { compileLive } from "./compile.ts";
 * import { LiveRenderer } from "./render.ts";
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
    this.#rootScope = ctx.scope;
    this.#onDirty = onDirty;
  }

  /** Renders `block` from scratch (disposing any previous regions) and returns its HTML. */
  mount(block: LiveBlock): string {
    this.dispose();
    this.#block = block;
    const holder = new ListHolder();
    const html = this.renderBlock(block, this.#rootScope, null, this.ctx.autoescape, holder);
    this.#roots = holder.children;
    return html;
  }

  /** Re-renders everything (used for resync). */
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

  /** @internal */
  markDirty(region: Region): void {
    const first = this.#dirty.size === 0;
    this.#dirty.add(region);
    if (first) this.#onDirty();
  }

  /** @internal */
  newId(): string {
    return (++this.#nextId).toString(36);
  }

  /** @internal Renders a block's segments; regions become children of `holder`. */
  renderBlock(
    block: LiveBlock,
    scope: Scope,
    parent: Region | null,
    autoescape: boolean,
    holder: ListHolder,
  ): string {
    const slotIds: string[] = [];
    for (let i = 0; i < block.slots; i++) slotIds.push(this.newId());
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
          this.ctx.scope = scope;
          this.ctx.autoescape = autoescape;
          out += seg.node.render(this.ctx);
          break;
        case SegmentKind.Region: {
          const region = createRegion(this, seg.region, scope, parent, autoescape, slotIds);
          holder.children.push(region);
          out += region.mount();
          break;
        }
      }
    }
    return out;
  }

  /** @internal Renders plain segments (no regions) with `selfId` for anchor slot 0. */
  renderPlain(
    segments: readonly Segment[],
    scope: Scope,
    autoescape: boolean,
    selfId: string,
  ): string {
    const ctx = this.ctx;
    ctx.scope = scope;
    ctx.autoescape = autoescape;
    ctx.resetRenderState();
    let out = "";
    for (let i = 0; i < segments.length; i++) {
      const seg = segments[i];
      if (seg.kind === SegmentKind.Static) out += seg.html;
      else if (seg.kind === SegmentKind.Plain) out += seg.node.render(ctx);
      else if (seg.kind === SegmentKind.Anchor) out += ` ${ANCHOR_ATTR}="${selfId}"`;
    }
    return out;
  }

  /** @internal Sets up the context for evaluating in `scope`. */
  enter(scope: Scope, autoescape: boolean): Context {
    const ctx = this.ctx;
    ctx.scope = scope;
    ctx.autoescape = autoescape;
    ctx.resetRenderState();
    return ctx;
  }
}

/** Something that owns child regions. */
class ListHolder {
  children: Region[] = [];
}

function markers(id: string, html: string): string {
  return `<!--${MARKER_PREFIX}${id}-->${html}<!--/${MARKER_PREFIX}${id}-->`;
}

/** The op that sets the content of anchor `id`: text when there is no markup, else HTML. */
function contentOp(id: string, html: string): PatchOp {
  // Text without markup or character references can be set as a text node, which is cheaper.
  return !html.includes("<") && !html.includes("&")
    ? { op: "text", id, text: html }
    : { op: "html", id, html };
}

// #region Regions

/** A live region instance. */
abstract class Region extends ListHolder {
  readonly depth: number;
  disposed = false;
  tracker: DependencyTracker | null = null;
  /** The anchor id: the element slot it fills, or its own marker range. */
  readonly id: string;
  readonly ranged: boolean;

  constructor(
    readonly renderer: LiveRenderer,
    readonly scope: Scope,
    readonly parent: Region | null,
    readonly autoescape: boolean,
    target: number,
    slotIds: readonly string[],
  ) {
    super();
    this.depth = parent ? parent.depth + 1 : 0;
    this.ranged = target < 0;
    this.id = this.ranged ? renderer.newId() : slotIds[target];
  }

  /** Creates the tracker lazily: regions that read no signal never need one. */
  track<T>(fn: () => T): T {
    this.renderer.stats.renders++;
    this.tracker ??= new DependencyTracker(() => this.renderer.markDirty(this));
    return this.tracker.track(fn);
  }

  /** Initial render: returns HTML (wrapped in markers when ranged). */
  abstract mount(): string;
  /** Re-renders after a dependency changed, appending ops. */
  abstract update(ops: PatchOp[]): void;

  wrap(html: string): string {
    return this.ranged ? markers(this.id, html) : html;
  }

  disposeChildren(): void {
    for (const c of this.children) c.dispose();
    this.children = [];
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.tracker?.dispose();
    this.disposeChildren();
  }
}

/** `{{ x }}` or any tag rendered as one unit. */
class ValueRegion extends Region {
  html = "";
  constructor(
    renderer: LiveRenderer,
    readonly render: () => string,
    scope: Scope,
    parent: Region | null,
    autoescape: boolean,
    target: number,
    slotIds: readonly string[],
  ) {
    super(renderer, scope, parent, autoescape, target, slotIds);
  }
  mount(): string {
    this.html = this.track(this.render);
    return this.wrap(this.html);
  }
  update(ops: PatchOp[]): void {
    const html = this.track(this.render);
    if (html === this.html) return;
    this.html = html;
    ops.push(contentOp(this.id, html));
  }
}

/** Content that is rendered once and never updated (`dj-update="ignore"`). */
class FrozenRegion extends Region {
  constructor(
    renderer: LiveRenderer,
    readonly render: () => string,
    scope: Scope,
    parent: Region | null,
    autoescape: boolean,
  ) {
    super(renderer, scope, parent, autoescape, 0, [""]);
  }
  mount(): string {
    // Rendered without tracking: no signal change can ever touch it.
    return this.render();
  }
  update(): void {}
}

/** Dynamic attributes of one element. */
class AttrsRegion extends Region {
  attrs = new Map<string, string>();
  constructor(
    renderer: LiveRenderer,
    readonly segments: readonly Segment[],
    scope: Scope,
    parent: Region | null,
    autoescape: boolean,
    slot: number,
    slotIds: readonly string[],
  ) {
    super(renderer, scope, parent, autoescape, slot, slotIds);
  }
  #render(): string {
    return this.track(() =>
      this.renderer.renderPlain(this.segments, this.scope, this.autoescape, this.id)
    );
  }
  mount(): string {
    const html = this.#render();
    this.attrs = parseAttributes(html);
    return html;
  }
  update(ops: PatchOp[]): void {
    const attrs = parseAttributes(this.#render());
    const diff = diffAttributes(this.attrs, attrs);
    this.attrs = attrs;
    if (diff) ops.push({ op: "attrs", id: this.id, ...diff });
  }
}

/** An element re-rendered whole (its HTML could not be updated in parts). */
class ElementRegion extends Region {
  html = "";
  constructor(
    renderer: LiveRenderer,
    readonly segments: readonly Segment[],
    scope: Scope,
    parent: Region | null,
    autoescape: boolean,
  ) {
    // An element region names itself: its anchor is written into its own start tag.
    super(renderer, scope, parent, autoescape, 0, [renderer.newId()]);
  }
  #render(): string {
    return this.track(() =>
      this.renderer.renderPlain(this.segments, this.scope, this.autoescape, this.id)
    );
  }
  mount(): string {
    return this.html = this.#render();
  }
  update(ops: PatchOp[]): void {
    const html = this.#render();
    if (html === this.html) return;
    this.html = html;
    ops.push({ op: "replace", id: this.id, html });
  }
}

/** `{% if %}`: tracks only its conditions; the chosen branch's regions track themselves. */
class IfRegion extends Region {
  branch = -1;
  constructor(
    renderer: LiveRenderer,
    readonly spec: Extract<RegionSpec, { type: "if" }>,
    scope: Scope,
    parent: Region | null,
    autoescape: boolean,
    slotIds: readonly string[],
  ) {
    super(renderer, scope, parent, autoescape, spec.target, slotIds);
  }
  #choose(): number {
    return this.track(() =>
      this.spec.node.choose(this.renderer.enter(this.scope, this.autoescape))
    );
  }
  #renderBranch(): string {
    if (this.branch < 0) return "";
    return this.renderer.renderBlock(
      this.spec.branches[this.branch],
      this.scope,
      this,
      this.autoescape,
      this,
    );
  }
  mount(): string {
    this.branch = this.#choose();
    return this.wrap(this.#renderBranch());
  }
  update(ops: PatchOp[]): void {
    const branch = this.#choose();
    if (branch === this.branch) return;
    this.disposeChildren();
    this.branch = branch;
    ops.push(contentOp(this.id, this.#renderBranch()));
  }
}

/** One item of a keyed loop: its own scope with the loop variable held in a signal. */
class ItemRegion extends Region {
  /** Mirror of `item`'s value: comparing a field is much cheaper than `peek()` on 1000 rows. */
  value: unknown;
  /** Mirror of `index`'s value. */
  position: number;
  constructor(
    renderer: LiveRenderer,
    scope: Scope,
    parent: Region,
    autoescape: boolean,
    readonly key: unknown,
    readonly item: Signal<unknown>,
    readonly index: Signal<number>,
  ) {
    super(renderer, scope, parent, autoescape, -1, []);
    this.value = item.peek();
    this.position = index.peek();
  }

  /** Gives the item a new value; its regions that read what changed re-render at this flush. */
  setValue(value: unknown): void {
    if (this.value === value) return;
    this.value = value;
    this.item.value = value;
  }

  /** Moves the item to `position`; regions reading `forloop` re-render. */
  setPosition(position: number): void {
    if (this.position === position) return;
    this.position = position;
    this.index.value = position;
  }
  mount(): string {
    return "";
  }
  update(): void {}
}

/** A keyed `{% for %}`: items are added, removed and moved; changed items update inside. */
class ForRegion extends Region {
  items: ItemRegion[] = [];
  length = signal(0);
  parentLoop: unknown;
  constructor(
    renderer: LiveRenderer,
    readonly spec: Extract<RegionSpec, { type: "for" }>,
    scope: Scope,
    parent: Region | null,
    autoescape: boolean,
    slotIds: readonly string[],
  ) {
    super(renderer, scope, parent, autoescape, spec.target, slotIds);
  }

  /** Keys of object items, cached by identity: an unchanged row costs one lookup. */
  #keyCache = new WeakMap<object, unknown>();
  #keyPath: readonly string[] | null | undefined = undefined;

  #read(): unknown[] {
    return this.track(() => {
      const ctx = this.renderer.enter(this.scope, this.autoescape);
      this.parentLoop = ctx.get("forloop");
      return this.spec.node.items(ctx);
    });
  }

  /** The key of one item (before duplicates are told apart). */
  #keyOf(value: unknown): unknown {
    const expr = this.spec.key;
    if (!expr) return value;
    const cacheable = typeof value === "object" && value !== null;
    if (cacheable && this.#keyCache.has(value)) return this.#keyCache.get(value);
    let key: unknown;
    const path = this.#keyPath ??= keyPathOf(this.spec);
    if (path) {
      // Fast path for the usual `dj-key="{{ row.id }}"`: plain lookups, no scope, no filters.
      key = value;
      for (let i = 0; i < path.length && key !== MISSING; i++) key = lookup(key, path[i]);
    } else {
      const ctx = this.renderer.ctx;
      ctx.scope = Object.create(this.scope);
      this.spec.node.bind(ctx, value);
      key = expr.resolve(ctx);
    }
    if (typeof key === "object" && key !== null) key = String(key);
    if (cacheable) this.#keyCache.set(value, key);
    return key;
  }

  /** Keys of all items; equal keys are told apart by occurrence. */
  #keys(values: unknown[]): unknown[] {
    return untracked(() => {
      const keys: unknown[] = new Array(values.length);
      const seen = new Map<unknown, number>();
      for (let i = 0; i < values.length; i++) {
        const key = this.#keyOf(values[i]);
        const n = seen.get(key) ?? 0;
        seen.set(key, n + 1);
        keys[i] = n ? `${String(key)}\u0000${n}` : key;
      }
      return keys;
    });
  }

  #newItem(key: unknown, value: unknown, index: number): ItemRegion {
    const item = signal(value);
    const idx = signal(index);
    const scope: Scope = Object.create(this.scope);
    const vars = this.spec.node.loopVars;
    if (vars.length === 1) scope[vars[0]] = item;
    else {
      vars.forEach((name, i) => {
        scope[name] = computed(() => (toIterableList(item.value) ?? [item.value])[i]);
      });
    }
    scope.forloop = reactiveLoop(idx, this.length, this.parentLoop);
    return new ItemRegion(this.renderer, scope, this, this.autoescape, key, item, idx);
  }

  #renderItem(item: ItemRegion): string {
    const html = this.renderer.renderBlock(this.spec.body, item.scope, item, this.autoescape, item);
    return markers(item.id, html);
  }

  #renderAll(values: unknown[], keys: unknown[]): string {
    this.disposeChildren();
    this.items = [];
    this.length.value = values.length;
    if (!values.length) {
      return this.renderer.renderBlock(this.spec.empty, this.scope, this, this.autoescape, this);
    }
    let html = "";
    for (let i = 0; i < values.length; i++) {
      const item = this.#newItem(keys[i], values[i], i);
      this.items.push(item);
      this.children.push(item);
      html += this.#renderItem(item);
    }
    return html;
  }

  mount(): string {
    const values = this.#read();
    return this.wrap(this.#renderAll(values, this.#keys(values)));
  }

  /** Fast path: same length and same keys in the same places; items only need their new values. */
  #updateInPlace(values: unknown[]): boolean {
    const old = this.items;
    if (old.length !== values.length) return false;
    const changed = untracked(() => {
      for (let i = 0; i < values.length; i++) {
        const item = old[i];
        const value = values[i];
        if (item.value === value) continue;
        if (item.key !== this.#keyOf(value)) return false;
      }
      return true;
    });
    if (!changed) return false;
    for (let i = 0; i < values.length; i++) old[i].setValue(values[i]);
    return true;
  }

  update(ops: PatchOp[]): void {
    const values = this.#read();
    if (values.length && this.#updateInPlace(values)) return;
    const keys = this.#keys(values);
    const old = this.items;
    if (!values.length || !old.length) {
      if (!values.length && !old.length) return;
      ops.push({ op: "html", id: this.id, html: this.#renderAll(values, keys) });
      return;
    }
    const byKey = new Map<unknown, ItemRegion>();
    for (const item of old) byKey.set(item.key, item);
    const next: ItemRegion[] = [];
    const reused = new Set<ItemRegion>();
    const oldIndex = new Map<ItemRegion, number>();
    old.forEach((item, i) => oldIndex.set(item, i));
    for (let i = 0; i < values.length; i++) {
      const existing = byKey.get(keys[i]);
      if (existing && !reused.has(existing)) {
        reused.add(existing);
        next.push(existing);
      } else next.push(this.#newItem(keys[i], values[i], i));
    }
    // Too much movement: one HTML replacement is smaller and simpler than the ops.
    const stay = longestIncreasing(next.map((it) => (reused.has(it) ? oldIndex.get(it)! : -1)));
    const changes = values.length - stay.size;
    if (changes > 32 && changes > values.length / 2) {
      ops.push({ op: "html", id: this.id, html: this.#renderAll(values, keys) });
      return;
    }
    for (const item of old) {
      if (!reused.has(item)) {
        ops.push({ op: "remove", id: item.id });
        item.dispose();
      }
    }
    // From the end, so the item each op positions against is already in its final place.
    const structural: PatchOp[] = [];
    for (let i = next.length - 1; i >= 0; i--) {
      const item = next[i];
      const before = i + 1 < next.length ? next[i + 1].id : null;
      if (!reused.has(item)) {
        structural.push({ op: "insert", id: this.id, html: this.#renderItem(item), before });
      } else if (!stay.has(i)) structural.push({ op: "move", id: item.id, list: this.id, before });
    }
    ops.push(...structural);
    this.items = next;
    this.children = next;
    this.length.value = values.length;
    // Reused items learn their new value and position; their regions update in this same flush.
    for (let i = 0; i < next.length; i++) {
      const item = next[i];
      if (!reused.has(item)) continue;
      item.setPosition(i);
      item.setValue(values[i]);
    }
  }
}

/** `["id"]` when the key expression is `<loopvar>.id` with no filters; else null. */
function keyPathOf(spec: Extract<RegionSpec, { type: "for" }>): readonly string[] | null {
  const expr = spec.key;
  const lookups = expr?.variable.lookups;
  if (!expr || expr.filters.length || !lookups || spec.node.loopVars.length !== 1) return null;
  return lookups[0] === spec.node.loopVars[0] ? lookups.slice(1) : null;
}

/** A `forloop` whose fields read signals, so only items that show their position re-render. */
function reactiveLoop(index: Signal<number>, length: Signal<number>, parent: unknown): ForLoopInfo {
  return {
    get counter0() {
      return index.value;
    },
    get counter() {
      return index.value + 1;
    },
    get revcounter() {
      return length.value - index.value;
    },
    get revcounter0() {
      return length.value - index.value - 1;
    },
    get first() {
      return index.value === 0;
    },
    get last() {
      return index.value === length.value - 1;
    },
    parentloop: (parent ?? {}) as ForLoopInfo,
  };
}

/** Indices (into `seq`) of a longest strictly increasing subsequence of the non-negative values. */
function longestIncreasing(seq: number[]): Set<number> {
  const tails: number[] = []; // index into seq of the smallest tail for each length
  const prev: number[] = new Array(seq.length).fill(-1);
  for (let i = 0; i < seq.length; i++) {
    const v = seq[i];
    if (v < 0) continue;
    let lo = 0, hi = tails.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (seq[tails[mid]] < v) lo = mid + 1;
      else hi = mid;
    }
    if (lo > 0) prev[i] = tails[lo - 1];
    tails[lo] = i;
  }
  const out = new Set<number>();
  for (let i = tails.length ? tails[tails.length - 1] : -1; i >= 0; i = prev[i]) out.add(i);
  return out;
}

function createRegion(
  renderer: LiveRenderer,
  spec: RegionSpec,
  scope: Scope,
  parent: Region | null,
  autoescape: boolean,
  slotIds: readonly string[],
): Region {
  switch (spec.type) {
    case "value": {
      const node = spec.node;
      const render = () => renderNodes([node], renderer.enter(scope, autoescape));
      return new ValueRegion(renderer, render, scope, parent, autoescape, spec.target, slotIds);
    }
    case "frozen": {
      const render = () => renderer.renderPlain(spec.segments, scope, autoescape, "");
      return new FrozenRegion(renderer, render, scope, parent, autoescape);
    }
    case "fragment": {
      const render = () => renderer.renderPlain(spec.segments, scope, autoescape, "");
      return new ValueRegion(renderer, render, scope, parent, autoescape, spec.target, slotIds);
    }
    case "attrs":
      return new AttrsRegion(
        renderer,
        spec.segments,
        scope,
        parent,
        autoescape,
        spec.slot,
        slotIds,
      );
    case "element":
      return new ElementRegion(renderer, spec.segments, scope, parent, autoescape);
    case "if":
      return new IfRegion(renderer, spec, scope, parent, autoescape, slotIds);
    case "for":
      return new ForRegion(renderer, spec, scope, parent, autoescape, slotIds);
  }
}

export type { ReadonlySignal };
// #endregion
