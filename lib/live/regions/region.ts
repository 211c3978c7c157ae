/**
 * The base of every live region: its renderer, its anchor, and who tracks what it reads.
 *
 * A region outside loops tracks itself (its own {@link DependencyTracker}, created only when it read
 * a signal). Inside a loop item, every region shares the item's tracker: when anything the item
 * read changes, the item re-evaluates its regions in order and each sends ops only if its output
 * changed. That keeps a row to one tracker however many regions it holds.
 * @module
 */
import type { Scope } from "../../template/context.ts";
import { MARKER_CLOSE, MARKER_OPEN, type PatchOp } from "../protocol.ts";
import type { ItemRegion } from "./loop.ts";
import type { LiveRenderer } from "./renderer.ts";
import type { ChangeListener, DependencyTracker } from "./tracker.ts";

/** Wraps `html` in the marker comments of anchor `id`. */
export function markers(id: string, html: string): string {
  return `<!--${MARKER_OPEN}${id}-->${html}<!--${MARKER_CLOSE}${id}-->`;
}

/** The op that sets the content of anchor `id`: text when there is no markup, else HTML. */
export function contentOp(id: string, html: string): PatchOp {
  // Text without markup or character references can be set as a text node, which is cheaper.
  return !html.includes("<") && !html.includes("&")
    ? { op: "text", id, text: html }
    : { op: "html", id, html };
}

/** Region flags (the low bits of `Region.bits`; the depth is stored above them). */
export const enum Flag {
  /** Waiting in the renderer's dirty list. */
  Queued = 1,
  Disposed = 2,
  /** An item whose regions read `forloop`: it re-renders when its position or the length changes. */
  ReadsLoop = 4,
  /** Lives inside a loop item (its owner is the item, not the renderer). */
  Member = 8,
}

const DEPTH_SHIFT = 4;

/**
 * A live region instance. Regions are the per-row cost of a live loop, so they are kept small:
 * five fields here (one owner, depth and flags in one small integer, children as a linked list).
 */
export abstract class Region implements ChangeListener {
  /** The loop item whose tracking this region shares, or (self-tracking) the renderer. */
  readonly owner: LiveRenderer | ItemRegion;
  /** The anchor number (`dj="…"` and markers carry it in base 36). */
  readonly anchor: number;
  /** Tracks what this region read; null inside loop items and when it read no signal. */
  tracker: DependencyTracker | null = null;
  /** {@link Flag} bits, and the nesting depth above them. */
  bits: number;
  /** The next region of the same parent. */
  next: Region | null = null;

  constructor(renderer: LiveRenderer, item: ItemRegion | null, depth: number, anchor: number) {
    this.owner = item ?? renderer;
    this.anchor = anchor;
    this.bits = (depth << DEPTH_SHIFT) | (item !== null ? Flag.Member : 0);
  }

  get renderer(): LiveRenderer {
    return (this.bits & Flag.Member) !== 0
      ? (this.owner as ItemRegion).renderer
      : this.owner as LiveRenderer;
  }

  /** The loop item whose tracking this region shares; null when the region tracks itself. */
  get item(): ItemRegion | null {
    return (this.bits & Flag.Member) !== 0 ? this.owner as ItemRegion : null;
  }

  /** Nesting depth: a flush updates parents before children. */
  get depth(): number {
    return this.bits >>> DEPTH_SHIFT;
  }

  /** The anchor id on the wire. */
  get id(): string {
    return this.anchor.toString(36);
  }

  /** The variables this region renders with: its item's, or the view's. */
  get scope(): Scope {
    return (this.bits & Flag.Member) !== 0
      ? (this.owner as ItemRegion).itemScope
      : (this.owner as LiveRenderer).rootScope;
  }

  get disposed(): boolean {
    return (this.bits & Flag.Disposed) !== 0;
  }

  /** Initial render: returns HTML (wrapped in markers when ranged). */
  abstract mount(): string;

  /**
   * Renders again and appends ops for what changed. Reads are recorded by whoever tracks at the
   * moment: the item being refreshed, or this region's own tracker (see {@link update}).
   */
  abstract refresh(ops: PatchOp[]): void;

  /** A dependency of this (self-tracking) region changed: re-render under its own tracking. */
  update(ops: PatchOp[]): void {
    const renderer = this.renderer;
    const finish = renderer.beginTracking(this);
    try {
      this.refresh(ops);
    } finally {
      renderer.endTracking(this, finish);
    }
  }

  /**
   * Starts recording reads when this region tracks itself (returns null inside an item, whose
   * recording is already running). Pair with {@link endOwnTracking} in a `finally`.
   */
  beginOwnTracking(): (() => void) | null {
    return (this.bits & Flag.Member) === 0 ? this.renderer.beginTracking(this) : null;
  }

  endOwnTracking(finish: (() => void) | null): void {
    if (finish !== null) this.renderer.endTracking(this, finish);
  }

  /** Signals read by this region changed: queue it for the next flush. */
  changed(): void {
    this.renderer.markDirty(this);
  }

  dispose(): void {
    this.bits |= Flag.Disposed;
    if (this.tracker !== null) {
      this.tracker.dispose();
      this.tracker = null;
    }
  }
}

/** Where a block's regions are chained (an item, a branch, a loop's empty block, the view). */
export interface RegionChain {
  first: Region | null;
}

/** Disposes `first` and the regions chained after it. */
export function disposeChain(first: Region | null): void {
  for (let r = first; r !== null; r = r.next) r.dispose();
}

/** Refreshes `first` and the regions chained after it. */
export function refreshChain(first: Region | null, ops: PatchOp[]): void {
  for (let r = first; r !== null; r = r.next) r.refresh(ops);
}
