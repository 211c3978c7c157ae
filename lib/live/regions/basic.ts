/**
 * The regions that are not loops: a value (`{{ x }}` or any tag rendered whole), frozen content
 * (`dj-update="ignore"`), the dynamic attributes of one element, an element re-rendered whole, and a
 * branching tag (`{% if %}`) that tracks only its choice.
 * @module
 */
import type { BranchingNode } from "../../template/nodes.ts";
import type { PatchOp } from "../protocol.ts";
import { diffAttributes, parseAttributes } from "./attrs.ts";
import type { LiveBlock, Segment } from "./compile.ts";
import { contentOp, Region, type RegionSite, type Target } from "./region.ts";

/** `{{ x }}` or any tag rendered as one unit. */
export class ValueRegion extends Region {
  html = "";
  constructor(site: RegionSite, target: Target, readonly render: () => string) {
    super(site, target);
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
export class FrozenRegion extends Region {
  constructor(site: RegionSite, readonly render: () => string) {
    super({ ...site, slotIds: [""] }, 0);
  }
  mount(): string {
    // Rendered without tracking: no signal change can ever touch it.
    return this.render();
  }
  update(): void {}
}

/** Dynamic attributes of one element. */
export class AttrsRegion extends Region {
  attrs = new Map<string, string>();
  constructor(site: RegionSite, slot: number, readonly segments: readonly Segment[]) {
    super(site, slot);
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
export class ElementRegion extends Region {
  html = "";
  constructor(site: RegionSite, readonly segments: readonly Segment[]) {
    // An element region names itself: its anchor is written into its own start tag.
    super({ ...site, slotIds: [site.renderer.newId()] }, 0);
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

/** A branching tag (`{% if %}`): tracks only its choice; the chosen branch's regions track themselves. */
export class BranchRegion extends Region {
  branch = -1;
  constructor(
    site: RegionSite,
    target: Target,
    readonly node: BranchingNode,
    readonly branches: readonly LiveBlock[],
  ) {
    super(site, target);
  }
  #choose(): number {
    return this.track(() => this.node.choose(this.renderer.enter(this.scope, this.autoescape)));
  }
  #renderBranch(): string {
    if (this.branch < 0) return "";
    return this.renderer.renderBlock(this.branches[this.branch], this.childSite(), this.children);
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
