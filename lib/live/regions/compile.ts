/**
 * Compiles a template's node list into a LiveBlock: static HTML, anchor slots and regions.
 *
 * A region is a dynamic part that re-renders on its own. Where it sits decides how the browser finds
 * it again, always through an anchor the server wrote, never through sibling positions:
 * - sole content of an element → the element gets `dj="ID"` and the region replaces its content;
 * - anything else in text → comment markers `<!--dj:ID-->…<!--/dj:ID-->` around it;
 * - inside a start tag → the element gets `dj="ID"` and changes go out as attribute sets/removals;
 * - where the HTML is unbalanced, in raw text, or rearranged by the parser → the nearest safe
 *   enclosing element is re-rendered whole (an "element" region).
 * @module
 */
import type { FilterExpression } from "../../template/expression.ts";
import {
  type BranchingNode,
  isBranching,
  isLooping,
  type LoopingNode,
  type Node,
  VariableNode,
} from "../../template/nodes.ts";
import { LOOP_KEY_ATTR, UPDATE_ATTR } from "../protocol.ts";
import {
  analyse,
  type HDynamic,
  type HElement,
  type HItem,
  type Piece,
  piecesText,
} from "./html_tree.ts";

/** The kinds of segment in a LiveBlock. */
export const enum SegmentKind {
  Static,
  Anchor,
  Plain,
  Region,
}

/** One part of a compiled block. */
export type Segment =
  | { readonly kind: SegmentKind.Static; readonly html: string }
  | { readonly kind: SegmentKind.Anchor; readonly slot: number }
  | { readonly kind: SegmentKind.Plain; readonly node: Node }
  | { readonly kind: SegmentKind.Region; readonly region: RegionSpec };

/** A compiled node list: segments plus the number of element anchor slots it allocates. */
export interface LiveBlock {
  readonly segments: readonly Segment[];
  readonly slots: number;
}

/** Where a region's content lives: the content of anchor slot N, or (-1) its own marker range. */
export type Target = number;

/** The compiled description of a region; instances are created per render (see render.ts). */
export type RegionSpec =
  | { readonly type: "value"; readonly node: Node; readonly target: Target }
  | { readonly type: "fragment"; readonly segments: readonly Segment[]; readonly target: Target }
  /** Content of a `dj-update="ignore"` element: rendered once, never updated (client JS owns it). */
  | { readonly type: "frozen"; readonly segments: readonly Segment[] }
  | { readonly type: "attrs"; readonly slot: number; readonly segments: readonly Segment[] }
  | { readonly type: "element"; readonly segments: readonly Segment[] }
  | {
    readonly type: "if";
    readonly node: BranchingNode;
    readonly branches: readonly LiveBlock[];
    readonly target: Target;
  }
  | {
    readonly type: "for";
    readonly node: LoopingNode;
    readonly body: LiveBlock;
    readonly empty: LiveBlock;
    readonly key: FilterExpression | null;
    readonly target: Target;
  };

/** Compiles a template node list rendered inside an element named `parentName`. */
export function compileLive(nodes: readonly Node[], parentName = "div"): LiveBlock {
  const { root } = analyse(nodes, parentName, false);
  return blockFromTree(root);
}

class Builder {
  segments: Segment[] = [];
  slots = 0;
  static(html: string): void {
    if (!html) return;
    const last = this.segments[this.segments.length - 1];
    if (last && last.kind === SegmentKind.Static) {
      this.segments[this.segments.length - 1] = {
        kind: SegmentKind.Static,
        html: last.html + html,
      };
    } else this.segments.push({ kind: SegmentKind.Static, html });
  }
  push(segment: Segment): void {
    this.segments.push(segment);
  }
  block(): LiveBlock {
    return { segments: this.segments, slots: this.slots };
  }
}

function blockFromTree(root: HElement): LiveBlock {
  const b = new Builder();
  if (root.escalate) {
    // Nothing inside can be addressed on its own: the whole list is one region.
    const inner = new Builder();
    for (const item of root.children) plainItem(item, inner);
    b.push({
      kind: SegmentKind.Region,
      region: { type: "fragment", segments: inner.segments, target: -1 },
    });
    return b.block();
  }
  items(root.children, -1, b);
  return b.block();
}

function items(list: readonly HItem[], parentSlot: number, b: Builder): void {
  // A dynamic node that is its element's only child is addressed through the element's anchor.
  const soleTarget = parentSlot >= 0 && list.length === 1 ? parentSlot : -1;
  for (const item of list) {
    switch (item.kind) {
      case "text":
        b.static(item.text);
        break;
      case "raw":
        for (const p of item.pieces) {
          if (typeof p === "string") b.static(p);
          else b.push({ kind: SegmentKind.Plain, node: p });
        }
        break;
      case "node":
        b.push({ kind: SegmentKind.Region, region: regionFor(item, soleTarget) });
        break;
      case "element":
        element(item, b);
        break;
    }
  }
}

/** `dj-update="ignore"` in a start tag. */
const IGNORE_RE = new RegExp(`\\s${UPDATE_ATTR}\\s*=\\s*["']?ignore`);

function element(el: HElement, b: Builder): void {
  if (el.escalate) {
    const inner = new Builder();
    plainElement(el, inner, true);
    b.push({ kind: SegmentKind.Region, region: { type: "element", segments: inner.segments } });
    return;
  }
  const ignored = IGNORE_RE.test(piecesText(el.open));
  const soleDynamic = !ignored && el.children.length === 1 && el.children[0].kind === "node";
  const slot = el.dynamicAttrs || soleDynamic ? b.slots++ : -1;
  const nameEnd = 1 + el.name.length;
  if (el.dynamicAttrs) {
    const first = el.open[0] as string;
    b.static(first.slice(0, nameEnd));
    b.push({ kind: SegmentKind.Anchor, slot });
    // Attribute section: everything after the name up to (not including) the closing ">" or "/>".
    const rest: Piece[] = [first.slice(nameEnd), ...el.open.slice(1)];
    const last = rest[rest.length - 1] as string;
    const closer = last.endsWith("/>") ? "/>" : ">";
    rest[rest.length - 1] = last.slice(0, last.length - closer.length);
    const attrs = new Builder();
    for (const p of rest) {
      if (typeof p === "string") attrs.static(p);
      else attrs.push({ kind: SegmentKind.Plain, node: p });
    }
    b.push({ kind: SegmentKind.Region, region: { type: "attrs", slot, segments: attrs.segments } });
    b.static(closer);
  } else if (slot >= 0) {
    const open = piecesText(el.open);
    b.static(open.slice(0, nameEnd));
    b.push({ kind: SegmentKind.Anchor, slot });
    b.static(open.slice(nameEnd));
  } else b.static(piecesText(el.open));
  if (ignored) {
    // The element's children belong to client code after the first render: render them once.
    const inner = new Builder();
    for (const child of el.children) plainItem(child, inner);
    b.push({ kind: SegmentKind.Region, region: { type: "frozen", segments: inner.segments } });
  } else items(el.children, slot, b);
  if (el.close !== null) b.static(el.close);
}

/** Emits an element and everything inside it as plain (non-reactive) segments. */
function plainElement(el: HElement, b: Builder, anchored: boolean): void {
  const nameEnd = 1 + el.name.length;
  el.open.forEach((p, i) => {
    if (typeof p !== "string") return b.push({ kind: SegmentKind.Plain, node: p });
    if (i === 0 && anchored) {
      b.static(p.slice(0, nameEnd));
      b.push({ kind: SegmentKind.Anchor, slot: 0 });
      b.static(p.slice(nameEnd));
    } else b.static(p);
  });
  for (const child of el.children) plainItem(child, b);
  if (el.close !== null) b.static(el.close);
}

function plainItem(item: HItem, b: Builder): void {
  switch (item.kind) {
    case "text":
      return b.static(item.text);
    case "raw":
      for (const p of item.pieces) {
        if (typeof p === "string") b.static(p);
        else b.push({ kind: SegmentKind.Plain, node: p });
      }
      return;
    case "node":
      return b.push({ kind: SegmentKind.Plain, node: item.node });
    case "element":
      return plainElement(item, b, false);
  }
}

/**
 * The region of a dynamic node, by the capability the node declares (`Node.liveRole`), so custom
 * tags can take part as `{% if %}` and `{% for %}` do.
 */
function regionFor(item: HDynamic, target: Target): RegionSpec {
  const node = item.node;
  if (isBranching(node)) {
    return { type: "if", node, branches: item.bodies.map(blockFromTree), target };
  }
  if (isLooping(node) && !dependsOnRenderOrder(node.children[0])) {
    return {
      type: "for",
      node,
      body: blockFromTree(item.bodies[0]),
      empty: blockFromTree(item.bodies[1]),
      key: findKey(item.bodies[0]),
      target,
    };
  }
  // {{ }} and every other tag: one region rendering the node whole.
  return { type: "value", node, target };
}

/** True when some node's output depends on render order across loop items (`cycle`, `ifchanged`). */
function dependsOnRenderOrder(nodes: readonly Node[]): boolean {
  for (const n of nodes) {
    if (n.dependsOnRenderOrder) return true;
    for (const list of n.children) if (dependsOnRenderOrder(list)) return true;
  }
  return false;
}

/** The end of text right before a loop key's value: ` dj-key="`. */
const KEY_RE = new RegExp(`\\s${LOOP_KEY_ATTR}=["']$`);

/** The `dj-key="{{ expr }}"` expression on a loop body's first element, if any. */
function findKey(body: HElement): FilterExpression | null {
  const first = body.children.find((c) => !(c.kind === "text" && !c.text.trim()));
  if (!first || first.kind !== "element") return null;
  const open = first.open;
  for (let i = 0; i + 2 < open.length; i++) {
    const before = open[i], node = open[i + 1], after = open[i + 2];
    if (
      typeof before === "string" && KEY_RE.test(before) && node instanceof VariableNode &&
      typeof after === "string" && /^["']/.test(after)
    ) return node.expression;
  }
  return null;
}
