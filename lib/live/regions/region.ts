/**
 * The base of every live region: where it lives (its site), its anchor, its children and the
 * dependency tracker that marks it dirty.
 * @module
 */
import type { Scope } from "../../template/context.ts";
import { MARKER_CLOSE, MARKER_OPEN, type PatchOp } from "../protocol.ts";
import type { LiveRenderer } from "./renderer.ts";
import { DependencyTracker } from "./tracker.ts";

/** Where a region is instantiated: its renderer, scope, parent and escaping mode. */
export interface RegionSite {
  readonly renderer: LiveRenderer;
  readonly scope: Scope;
  readonly parent: Region | null;
  readonly autoescape: boolean;
  /** Ids of the element anchor slots of the block being rendered. */
  readonly slotIds: readonly string[];
}

/** Where a region's content lives: anchor slot N of its block, or (-1) its own marker range. */
export type Target = number;

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

/** A live region instance. */
export abstract class Region {
  readonly renderer: LiveRenderer;
  readonly scope: Scope;
  readonly parent: Region | null;
  readonly autoescape: boolean;
  readonly depth: number;
  /** The anchor id: the element slot it fills, or its own marker range. */
  readonly id: string;
  /** True when the region is addressed by its own marker range (not an element's content). */
  readonly ranged: boolean;
  children: Region[] = [];
  disposed = false;
  tracker: DependencyTracker | null = null;

  constructor(site: RegionSite, target: Target) {
    this.renderer = site.renderer;
    this.scope = site.scope;
    this.parent = site.parent;
    this.autoescape = site.autoescape;
    this.depth = site.parent ? site.parent.depth + 1 : 0;
    this.ranged = target < 0;
    this.id = this.ranged ? site.renderer.newId() : site.slotIds[target];
  }

  /** The site of this region's children (their parent is this region). */
  childSite(slotIds: readonly string[] = [], scope: Scope = this.scope): RegionSite {
    return { renderer: this.renderer, scope, parent: this, autoescape: this.autoescape, slotIds };
  }

  /** Runs `fn` recording what it reads; the tracker is created lazily (many regions never need one). */
  track<T>(fn: () => T): T {
    this.renderer.stats.renders++;
    this.tracker ??= new DependencyTracker(() => this.renderer.markDirty(this));
    return this.tracker.track(fn);
  }

  /** Initial render: returns HTML (wrapped in markers when ranged). */
  abstract mount(): string;
  /** Re-renders after a dependency changed, appending ops. */
  abstract update(ops: PatchOp[]): void;

  /** Wraps `html` in this region's markers when it is ranged. */
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
