/**
 * The regions that are not loops: a value (`{{ x }}` or any tag rendered whole), the dynamic
 * attributes of one element, an element re-rendered whole, and a branching tag (`{% if %}`) that
 * tracks only its choice.
 * @module
 */
import { renderNodes } from "../../template/nodes.ts";
import type { PatchOp } from "../protocol.ts";
import { decodeEntities, diffAttributes, parseAttributes } from "./attrs.ts";
import type { RegionSpec } from "./compile.ts";
import type { ItemRegion } from "./loop.ts";
import { contentOp, disposeChain, markers, refreshChain, Region } from "./region.ts";
import type { LiveRenderer } from "./renderer.ts";

type Spec<T extends RegionSpec["type"]> = Extract<RegionSpec, { type: T }>;

/** `{{ x }}`, any tag rendered as one unit, or a fragment the parser would rearrange. */
export class ValueRegion extends Region {
  /** The last output: what a change is compared with. */
  html = "";
  constructor(
    renderer: LiveRenderer,
    item: ItemRegion | null,
    depth: number,
    anchor: number,
    readonly spec: Spec<"value"> | Spec<"fragment">,
  ) {
    super(renderer, item, depth, anchor);
  }
  #render(): string {
    const renderer = this.renderer;
    renderer.stats.renders++;
    const spec = this.spec;
    const ctx = renderer.enter(this.scope);
    return spec.type === "value"
      ? renderNodes(spec.nodes, ctx)
      : renderer.renderSegments(spec.segments, ctx, "");
  }
  mount(): string {
    const finish = this.beginOwnTracking();
    try {
      this.html = this.#render();
    } finally {
      this.endOwnTracking(finish);
    }
    return this.spec.target < 0 ? markers(this.id, this.html) : this.html;
  }
  refresh(ops: PatchOp[]): void {
    const html = this.#render();
    if (html === this.html) return;
    this.html = html;
    ops.push(contentOp(this.id, html));
  }
}

/**
 * Dynamic attributes of one element. Only its dynamic groups re-render; static attributes and
 * constants are rendered once. It keeps each group's last output (the value alone for `a="{{ x }}"`)
 * and parses attributes only when something changed.
 */
export class AttrsRegion extends Region {
  /** Last output of each dynamic group (a string when there is one group). */
  #last: string | string[] = "";
  constructor(
    renderer: LiveRenderer,
    item: ItemRegion | null,
    depth: number,
    anchor: number,
    readonly spec: Spec<"attrs">,
  ) {
    super(renderer, item, depth, anchor);
  }
  mount(): string {
    const finish = this.beginOwnTracking();
    try {
      return this.#first();
    } finally {
      this.endOwnTracking(finish);
    }
  }
  /** The whole attribute section, keeping each dynamic group's output. */
  #first(): string {
    const renderer = this.renderer;
    renderer.stats.renders++;
    const ctx = renderer.enter(this.scope);
    const { section, groups } = this.spec;
    const outputs: string[] | null = groups.length === 1 ? null : [];
    let out = "";
    for (let i = 0; i < section.length; i++) {
      const piece = section[i];
      if (typeof piece === "string") out += piece;
      else if (typeof piece === "number") {
        const s = renderNodes(groups[piece], ctx);
        if (outputs === null) this.#last = s;
        else outputs[piece] = s;
        out += s;
      } else out += piece.render(ctx);
    }
    if (outputs !== null) this.#last = outputs;
    return out;
  }
  refresh(ops: PatchOp[]): void {
    this.renderer.stats.renders++;
    const ctx = this.renderer.enter(this.scope);
    const groups = this.spec.groups;
    if (groups.length === 1) {
      const last = this.#last as string, next = renderNodes(groups[0], ctx);
      if (next === last) return;
      this.#last = next;
      const single = this.spec.single;
      // `a="{{ x }}"`: the new value is the attribute, unless a raw quote (now or before) ends it
      // early and the browser reads other attributes from the rest.
      if (single !== null && !hasQuote(next) && !hasQuote(last)) {
        ops.push({ op: "attrs", id: this.id, set: { [single]: decodeEntities(next) } });
        return;
      }
      return this.#diff(last, next, ops);
    }
    const last = this.#last as string[];
    let next: string[] | null = null;
    for (let i = 0; i < groups.length; i++) {
      const s = renderNodes(groups[i], ctx);
      if (s !== last[i]) (next ??= last.slice())[i] = s;
    }
    if (next === null) return;
    this.#last = next;
    this.#diff(last, next, ops);
  }
  /** Compares the whole attribute sections as the browser reads them (the first duplicate wins). */
  #diff(last: string | string[], next: string | string[], ops: PatchOp[]): void {
    const diff = diffAttributes(
      parseAttributes(this.#section(last)),
      parseAttributes(this.#section(next)),
    );
    if (diff) ops.push({ op: "attrs", id: this.id, ...diff });
  }
  /** The attribute section with `outputs` for the dynamic groups. */
  #section(outputs: string | string[]): string {
    const ctx = this.renderer.enter(this.scope);
    let out = "";
    for (const piece of this.spec.section) {
      if (typeof piece === "string") out += piece;
      else if (typeof piece === "number") {
        out += typeof outputs === "string" ? outputs : outputs[piece];
      } else out += piece.render(ctx);
    }
    return out;
  }
}

function hasQuote(s: string): boolean {
  return s.includes('"') || s.includes("'");
}

/** An element re-rendered whole (its HTML could not be updated in parts). */
export class ElementRegion extends Region {
  html = "";
  constructor(
    renderer: LiveRenderer,
    item: ItemRegion | null,
    depth: number,
    anchor: number,
    readonly spec: Spec<"element">,
  ) {
    super(renderer, item, depth, anchor);
  }
  #render(): string {
    this.renderer.stats.renders++;
    // An element region names itself: its anchor is written into its own start tag.
    return this.renderer.renderSegments(
      this.spec.segments,
      this.renderer.enter(this.scope),
      this.id,
    );
  }
  mount(): string {
    const finish = this.beginOwnTracking();
    try {
      return this.html = this.#render();
    } finally {
      this.endOwnTracking(finish);
    }
  }
  refresh(ops: PatchOp[]): void {
    const html = this.#render();
    if (html === this.html) return;
    this.html = html;
    ops.push({ op: "replace", id: this.id, html });
  }
}

/** A branching tag (`{% if %}`): tracks only its choice; the chosen branch's regions update alone. */
export class BranchRegion extends Region {
  branch = -1;
  /** The chosen branch's regions. */
  first: Region | null = null;
  constructor(
    renderer: LiveRenderer,
    item: ItemRegion | null,
    depth: number,
    anchor: number,
    readonly spec: Spec<"if">,
  ) {
    super(renderer, item, depth, anchor);
  }
  #choose(): number {
    const renderer = this.renderer;
    renderer.stats.renders++;
    return renderer.choose(this.spec, this.scope);
  }
  #renderBranch(): string {
    if (this.branch < 0) return "";
    const block = this.spec.branches[this.branch];
    return this.renderer.renderBlock(block, this.item, this.depth + 1, this);
  }
  mount(): string {
    const finish = this.beginOwnTracking();
    try {
      this.branch = this.#choose();
    } finally {
      this.endOwnTracking(finish);
    }
    return this.spec.target < 0 ? markers(this.id, this.#renderBranch()) : this.#renderBranch();
  }
  /** Self-tracking: only the choice is tracked; the branch's regions track themselves. */
  override update(ops: PatchOp[]): void {
    const finish = this.renderer.beginTracking(this);
    let branch: number;
    try {
      branch = this.#choose();
    } finally {
      this.renderer.endTracking(this, finish);
    }
    if (branch !== this.branch) this.#switch(branch, ops);
  }
  /** Inside an item: the same branch refreshes its regions (they share the item's tracking). */
  refresh(ops: PatchOp[]): void {
    const branch = this.#choose();
    if (branch !== this.branch) return this.#switch(branch, ops);
    refreshChain(this.first, ops);
  }
  #switch(branch: number, ops: PatchOp[]): void {
    disposeChain(this.first);
    this.first = null;
    this.branch = branch;
    ops.push(contentOp(this.id, this.#renderBranch()));
  }
  override dispose(): void {
    super.dispose();
    disposeChain(this.first);
  }
}
