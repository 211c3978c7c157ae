/**
 * A live loop (`{% for %}` or any looping node): one item region per key. A changed list is
 * reconciled by key (longest increasing subsequence for moves); reused items just receive their new
 * value, so only the regions that read what changed re-render.
 *
 *   LoopRegion ── items (by position) ── ItemRegion ── scope: loop vars, forloop ── child regions
 * @module
 */
import { computed, type Signal, signal, untracked } from "@preact/signals-core";
import type { Scope } from "../../template/context.ts";
import { lookup } from "../../template/expression.ts";
import type { LoopingNode } from "../../template/nodes.ts";
import type { ForLoopInfo } from "../../template/tags/control.ts";
import { MISSING, toIterableList } from "../../template/values.ts";
import type { PatchOp } from "../protocol.ts";
import type { RegionSpec } from "./compile.ts";
import { markers, Region, type RegionSite } from "./region.ts";

type LoopSpec = Extract<RegionSpec, { type: "for" }>;

/** One item of a live loop: its own scope with the loop variable held in a signal. */
export class ItemRegion extends Region {
  /** Mirror of `item`'s value: comparing a field is much cheaper than `peek()` on 1000 rows. */
  value: unknown;
  /** Mirror of `index`'s value. */
  position: number;
  constructor(
    site: RegionSite,
    readonly key: unknown,
    readonly item: Signal<unknown>,
    readonly index: Signal<number>,
  ) {
    super(site, -1);
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

/** A live loop: items are added, removed and moved; changed items update inside. */
export class LoopRegion extends Region {
  items: ItemRegion[] = [];
  length: Signal<number> = signal(0);
  parentLoop: unknown;
  /** Keys of object items, cached by identity: an unchanged row costs one lookup. */
  #keyCache = new WeakMap<object, unknown>();
  #keyPath: readonly string[] | null | undefined = undefined;

  constructor(site: RegionSite, readonly spec: LoopSpec) {
    super(site, spec.target);
  }

  get #node(): LoopingNode {
    return this.spec.node;
  }

  #read(): unknown[] {
    return this.track(() => {
      const ctx = this.renderer.enter(this.scope, this.autoescape);
      this.parentLoop = ctx.get("forloop");
      return this.#node.items(ctx);
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
      this.#node.bind(ctx, value);
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
    const vars = this.#node.loopVars;
    if (vars.length === 1) scope[vars[0]] = item;
    else {
      vars.forEach((name, i) => {
        scope[name] = computed(() => (toIterableList(item.value) ?? [item.value])[i]);
      });
    }
    scope.forloop = reactiveLoop(idx, this.length, this.parentLoop);
    return new ItemRegion(this.childSite([], scope), key, item, idx);
  }

  #renderItem(item: ItemRegion): string {
    const html = this.renderer.renderBlock(this.spec.body, item.childSite(), item.children);
    return markers(item.id, html);
  }

  #renderAll(values: unknown[], keys: unknown[]): string {
    this.disposeChildren();
    this.items = [];
    this.length.value = values.length;
    if (!values.length) {
      return this.renderer.renderBlock(this.spec.empty, this.childSite(), this.children);
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
    const sameKeys = untracked(() => {
      for (let i = 0; i < values.length; i++) {
        const item = old[i];
        const value = values[i];
        if (item.value === value) continue;
        if (item.key !== this.#keyOf(value)) return false;
      }
      return true;
    });
    if (!sameKeys) return false;
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
function keyPathOf(spec: LoopSpec): readonly string[] | null {
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
