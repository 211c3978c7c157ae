/**
 * A live loop (`{% for %}` or any looping node): one item region per key (its `dj-key`, or else its
 * index, as Phoenix LiveView 1.1 does for unkeyed comprehensions).
 *
 *   LoopRegion ── items (by position) ── ItemRegion ── itemScope: loop variables ── regions
 *                                          └── one tracker for all its regions (if they read signals)
 *
 * A changed list costs an identity check per item: an item whose value is the same object renders
 * nothing. A changed item re-evaluates its regions, and only those whose output changed send ops.
 * Keyed lists are reconciled by key (longest increasing subsequence for moves); lists keyed by index
 * update items in place, append and remove at the end, so a middle insertion re-renders the items
 * after it (the reason to use `dj-key`).
 * @module
 */
import type { Scope } from "../../template/context.ts";
import type { PatchOp } from "../protocol.ts";
import type { LiveBlock, LoopSpec } from "./compile.ts";
import { bindLoopVars, bodyFor, longestIncreasing, normalKey, rawKeys } from "./loop_items.ts";
import { disposeChain, Flag, markers, refreshChain, Region, type RegionChain } from "./region.ts";
import type { LiveRenderer } from "./renderer.ts";

/** Where an item scope keeps its item (template names cannot be symbols, so none can collide). */
const ITEM = Symbol("djust.item");

/** Above this many changed items (and half the list), one HTML replacement beats the ops. */
const MAX_OPS_ITEMS = 32;

/** One item of a live loop: its scope (loop variables), its regions, and their shared tracking. */
export class ItemRegion extends Region {
  readonly loop: LoopRegion;
  /** The item's key (its index when the loop is unkeyed). */
  readonly key: unknown;
  position: number;
  /** The loop variables over the loop's scope; `forloop` is a getter on the loop's prototype. */
  readonly itemScope: Scope;
  /** The block it renders: with its key's output constant, or not (see LoopSpec.signalBody). */
  readonly body: LiveBlock;
  /** The item's regions. */
  first: Region | null = null;

  constructor(
    loop: LoopRegion,
    renderer: LiveRenderer,
    key: unknown,
    value: unknown,
    position: number,
    body: LiveBlock,
  ) {
    super(renderer, null, loop.depth + 1, renderer.newAnchor());
    this.loop = loop;
    this.key = key;
    this.position = position;
    this.body = body;
    const scope: Scope = Object.create(loop.itemPrototype);
    // A `{% with %}` scope binds no `forloop`: the enclosing item's getter must find that item.
    if (!loop.spec.scopeOnly) (scope as Record<symbol, unknown>)[ITEM] = this;
    this.itemScope = scope;
    loop.bind(scope, value);
  }

  mount(): string {
    const renderer = this.renderer;
    const finish = renderer.beginTracking(this);
    try {
      return markers(this.id, renderer.renderBlock(this.body, this, this.depth + 1, this));
    } finally {
      renderer.endTracking(this, finish);
    }
  }

  /** Re-evaluates every region of the item under its one tracker. */
  refresh(ops: PatchOp[]): void {
    this.bits &= ~(Flag.Queued | Flag.ReadsLoop);
    const renderer = this.renderer;
    const finish = renderer.beginTracking(this);
    try {
      refreshChain(this.first, ops);
    } finally {
      renderer.endTracking(this, finish);
    }
  }

  override update(ops: PatchOp[]): void {
    this.refresh(ops);
  }

  /** Gives the item a new value; its regions whose output changed send ops. */
  setValue(value: unknown, ops: PatchOp[]): void {
    this.loop.bind(this.itemScope, value);
    this.refresh(ops);
  }

  /** Moves the item to `position`; it re-renders only if its regions read `forloop`. */
  moveTo(position: number, lengthChanged: boolean, ops: PatchOp[]): void {
    const moved = position !== this.position;
    this.position = position;
    if ((moved || lengthChanged) && (this.bits & Flag.ReadsLoop) !== 0) this.refresh(ops);
  }

  /** The item's `forloop`, built when a template reads it. */
  forloop(): Record<string, unknown> {
    const p = this.position, n = this.loop.length;
    return {
      counter0: p,
      counter: p + 1,
      revcounter: n - p,
      revcounter0: n - p - 1,
      first: p === 0,
      last: p === n - 1,
      parentloop: this.loop.parentLoop(),
    };
  }

  override dispose(): void {
    super.dispose();
    disposeChain(this.first);
  }
}

/** A live loop: items are added, removed and moved; changed items update inside. */
export class LoopRegion extends Region {
  items: ItemRegion[] = [];
  /**
   * The items' values, by position (compared by identity). A plain array beside `items`: scanning
   * it for the rows that changed reads contiguous memory instead of one object per row.
   */
  #values: unknown[] = [];
  /** Regions of the `{% empty %}` block while the list is empty. */
  readonly empty: RegionChain = { first: null };
  /** The list length (what `forloop.revcounter` and `last` read). */
  length = 0;
  #prototype: Scope | null = null;

  constructor(
    renderer: LiveRenderer,
    item: ItemRegion | null,
    depth: number,
    anchor: number,
    readonly spec: LoopSpec,
  ) {
    super(renderer, item, depth, anchor);
  }

  /**
   * The prototype of every item scope: the loop's scope plus a `forloop` getter, so an item that
   * never reads `forloop` pays nothing for it, and one that does is marked to re-render on moves.
   */
  get itemPrototype(): Scope {
    if (this.#prototype !== null) return this.#prototype;
    if (this.spec.scopeOnly) return this.#prototype = this.scope;
    const proto: Scope = Object.create(this.scope);
    Object.defineProperty(proto, "forloop", {
      enumerable: true,
      get(this: Record<symbol, ItemRegion>) {
        const item = this[ITEM];
        // Constants are rendered once: what they read never asks for a re-render.
        if (item.renderer.renderingConstants === 0) item.bits |= Flag.ReadsLoop;
        return item.forloop();
      },
    });
    return this.#prototype = proto;
  }

  /** The enclosing loop's `forloop` (its `parentloop`), or `{}`. */
  parentLoop(): unknown {
    return this.scope.forloop ?? {};
  }

  /** Binds the loop variables for `value` in an item scope. */
  bind(scope: Scope, value: unknown): void {
    bindLoopVars(this.spec, this.renderer.ctx, scope, value);
  }

  #read(): unknown[] {
    this.renderer.stats.renders++;
    return this.spec.node.items(this.renderer.enter(this.scope));
  }

  mount(): string {
    const finish = this.beginOwnTracking();
    let values: unknown[];
    try {
      values = this.#read();
    } finally {
      this.endOwnTracking(finish);
    }
    const html = this.#renderAll(values);
    return this.spec.target < 0 ? markers(this.id, html) : html;
  }

  /** Self-tracking: only the list is tracked; items track themselves. */
  override update(ops: PatchOp[]): void {
    const finish = this.renderer.beginTracking(this);
    let values: unknown[];
    try {
      values = this.#read();
    } finally {
      this.renderer.endTracking(this, finish);
    }
    if (this.spec.scopeOnly) return this.#rescope(values, ops);
    this.#reconcile(values, ops);
  }

  /**
   * A `{% with %}`'s values were read again: its one item takes them and re-evaluates its regions
   * (only changed output sends ops), also when the values are the same objects, since what the
   * body reads from the enclosing scope (its `forloop`) may have changed.
   */
  #rescope(values: unknown[], ops: PatchOp[]): void {
    this.#values[0] = values[0];
    this.items[0].setValue(values[0], ops);
  }

  /**
   * Inside an item: the list (and the `{% empty %}` block) are the item's dependencies; items
   * still track themselves.
   */
  refresh(ops: PatchOp[]): void {
    if (this.spec.scopeOnly) return this.#rescope(this.#read(), ops);
    this.#reconcile(this.#read(), ops);
    // The enclosing item changed or moved: items showing `forloop.parentloop` follow it.
    const items = this.items;
    for (let i = 0; i < items.length; i++) {
      if ((items[i].bits & Flag.ReadsLoop) !== 0) items[i].refresh(ops);
    }
  }

  override dispose(): void {
    super.dispose();
    for (const item of this.items) item.dispose();
    disposeChain(this.empty.first);
  }

  // #region Keys

  /** The keys of `values` (before normalisation). */
  #rawKeys(values: unknown[]): unknown[] {
    return rawKeys(this.spec, this.renderer.ctx, this.scope, values);
  }

  #bodyFor(value: unknown, rawKey: unknown): LiveBlock {
    return bodyFor(this.spec, value, rawKey);
  }

  /** Map keys for raw keys (objects by their text); equal keys are told apart by occurrence. */
  #keys(raw: unknown[]): unknown[] {
    const keys: unknown[] = new Array(raw.length);
    const seen = new Map<unknown, number>();
    for (let i = 0; i < raw.length; i++) {
      const key = normalKey(raw[i]);
      const n = seen.get(key);
      if (n === undefined) {
        seen.set(key, 1);
        keys[i] = key;
      } else {
        seen.set(key, n + 1);
        keys[i] = `${String(key)}\u0000${n}`;
      }
    }
    return keys;
  }

  /** True when `item` can take `value` (same key, same kind of body). */
  #accepts(item: ItemRegion, value: unknown): boolean {
    const raw = rawKeys(this.spec, this.renderer.ctx, this.scope, [value])[0];
    return normalKey(raw) === item.key && this.#bodyFor(value, raw) === item.body;
  }

  // #endregion
  // #region Rendering and reconciling

  #newItem(key: unknown, raw: unknown, value: unknown, position: number): ItemRegion {
    const body = this.spec.key ? this.#bodyFor(value, raw) : this.spec.body;
    return new ItemRegion(this, this.renderer, key, value, position, body);
  }

  #renderAll(values: unknown[]): string {
    for (const item of this.items) item.dispose();
    disposeChain(this.empty.first);
    this.items = [];
    this.#values = values.slice();
    this.empty.first = null;
    this.length = values.length;
    if (!values.length) {
      return this.renderer.renderBlock(this.spec.empty, this.item, this.depth + 1, this.empty);
    }
    const raw = this.spec.key ? this.#rawKeys(values) : null;
    const keys = raw !== null ? this.#keys(raw) : null;
    // Filled in place: `new Array(n)` then index writes, exactly n slots (a pushed array has spare).
    const items: ItemRegion[] = new Array(values.length);
    let html = "";
    for (let i = 0; i < values.length; i++) {
      const item = keys !== null
        ? this.#newItem(keys[i], raw![i], values[i], i)
        : this.#newItem(i, null, values[i], i);
      items[i] = item;
      html += item.mount();
    }
    this.items = items;
    return html;
  }

  /** Brings the items in line with `values`, appending ops. */
  #reconcile(values: unknown[], ops: PatchOp[]): void {
    const old = this.items;
    if (!values.length || !old.length) {
      if (values.length || old.length) {
        ops.push({ op: "html", id: this.id, html: this.#renderAll(values) });
      } else if (this.item !== null) {
        // Still empty: the {% empty %} block's regions share the enclosing item's tracking.
        refreshChain(this.empty.first, ops);
      }
      return;
    }
    if (this.spec.key) this.#reconcileKeys(values, ops);
    else this.#reconcileIndexes(values, ops);
  }

  /** Keyed by index: items keep their place and take the value now there. */
  #reconcileIndexes(values: unknown[], ops: PatchOp[]): void {
    const items = this.items, last = this.#values;
    const n = values.length, m = items.length, common = Math.min(n, m);
    // One identity comparison per item: the whole cost of the items that did not change.
    let changed: number[] | null = null;
    for (let i = 0; i < common; i++) if (last[i] !== values[i]) (changed ??= []).push(i);
    const count = changed === null ? 0 : changed.length;
    if (count > MAX_OPS_ITEMS && count > n / 2) {
      ops.push({ op: "html", id: this.id, html: this.#renderAll(values) });
      return;
    }
    this.length = n;
    if (n !== m) {
      // The length changed: unchanged items that show `forloop.last` or `revcounter` re-render.
      for (let i = 0; i < common; i++) {
        if (last[i] === values[i]) items[i].moveTo(i, true, ops);
      }
    }
    if (changed !== null) {
      for (const i of changed) {
        last[i] = values[i];
        items[i].setValue(values[i], ops);
      }
    }
    for (let i = n; i < m; i++) {
      ops.push({ op: "remove", id: items[i].id });
      items[i].dispose();
    }
    items.length = last.length = common;
    if (n > m) {
      let html = "";
      for (let i = m; i < n; i++) {
        const item = this.#newItem(i, null, values[i], i);
        items.push(item);
        last.push(values[i]);
        html += item.mount();
      }
      ops.push({ op: "insert", id: this.id, html, before: null });
    }
  }

  /** Keyed: reuse items by key, move the fewest, insert and remove the rest. */
  #reconcileKeys(values: unknown[], ops: PatchOp[]): void {
    const old = this.items, last = this.#values;
    const n = values.length;
    if (old.length === n) {
      // Fast path: the same keys in the same places. An unchanged item costs one comparison (one
      // pass: this loop is the whole cost of an event that replaces the list with `map()`).
      let changed: number[] | null = null;
      let i = 0;
      for (; i < n; i++) {
        const value = values[i];
        if (last[i] === value) continue;
        if (!this.#accepts(old[i], value)) break;
        (changed ??= []).push(i);
      }
      if (i === n) {
        if (changed !== null) {
          for (const j of changed) {
            last[j] = values[j];
            old[j].setValue(values[j], ops);
          }
        }
        return;
      }
    }
    const raw = this.#rawKeys(values);
    const keys = this.#keys(raw);
    const byKey = new Map<unknown, ItemRegion>();
    const oldIndex = new Map<ItemRegion, number>();
    for (let i = 0; i < old.length; i++) {
      byKey.set(old[i].key, old[i]);
      oldIndex.set(old[i], i);
    }
    const next: ItemRegion[] = new Array(n);
    const reused = new Set<ItemRegion>();
    for (let i = 0; i < n; i++) {
      const existing = byKey.get(keys[i]);
      if (
        existing && !reused.has(existing) &&
        (last[oldIndex.get(existing)!] === values[i] ||
          this.#bodyFor(values[i], raw[i]) === existing.body)
      ) {
        reused.add(existing);
        next[i] = existing;
      } else next[i] = this.#newItem(keys[i], raw[i], values[i], i);
    }
    // Too much movement: one HTML replacement is smaller and simpler than the ops.
    const stay = longestIncreasing(next.map((it) => (reused.has(it) ? oldIndex.get(it)! : -1)));
    const changes = n - stay.size;
    if (changes > MAX_OPS_ITEMS && changes > n / 2) {
      for (const item of next) if (!reused.has(item)) item.dispose();
      ops.push({ op: "html", id: this.id, html: this.#renderAll(values) });
      return;
    }
    for (const item of old) {
      if (!reused.has(item)) {
        ops.push({ op: "remove", id: item.id });
        item.dispose();
      }
    }
    const lengthChanged = n !== old.length;
    this.items = next;
    this.#values = values.slice();
    this.length = n;
    // From the end, so the item each op positions against is already in its final place; new items
    // next to each other go out as one insert.
    let pending = "";
    let before: string | null = null;
    for (let i = n - 1; i >= 0; i--) {
      const item = next[i];
      if (!reused.has(item)) {
        // A run of new items ends (in this backward walk: starts) before the item after it.
        if (pending === "") before = i + 1 < n ? next[i + 1].id : null;
        pending = item.mount() + pending;
        if (i > 0 && !reused.has(next[i - 1])) continue;
        ops.push({ op: "insert", id: this.id, html: pending, before });
        pending = "";
      } else if (!stay.has(i)) {
        ops.push({
          op: "move",
          id: item.id,
          list: this.id,
          before: i + 1 < n ? next[i + 1].id : null,
        });
      }
    }
    // Reused items learn their new value and position; their regions update in this same flush.
    for (let i = 0; i < n; i++) {
      const item = next[i];
      if (!reused.has(item)) continue;
      if (last[oldIndex.get(item)!] !== values[i]) {
        item.position = i;
        item.setValue(values[i], ops);
      } else item.moveTo(i, lengthChanged, ops);
    }
  }

  // #endregion
}
