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
import type { Context } from "../../template/context.ts";
import type { FilterExpression } from "../../template/expression.ts";
import {
  type BranchingNode,
  isBranching,
  isLooping,
  type LoopingNode,
  type Node,
  type NodeList,
  TextNode,
  VariableNode,
} from "../../template/nodes.ts";
import { IfNode } from "../../template/tags/control.ts";
import { TemplateSyntaxError } from "../../template/errors.ts";
import { ComponentNode, RenderSlotNode } from "../../template/tags/component.ts";
import { LOOP_KEY_ATTR, UPDATE_ATTR } from "../protocol.ts";
import { attributeSection, type AttrPiece } from "./attr_section.ts";
import { TemplateExpander } from "./expand.ts";
import { ScopeNode } from "./scope_node.ts";
import type { TemplateSource } from "../../template/tags/registry.ts";
import { analyse, type HDynamic, type HElement, type HItem, piecesText } from "./html_tree.ts";

/** The kinds of segment in a LiveBlock. */
export const enum SegmentKind {
  Static,
  Anchor,
  /**
   * A node rendered with the block and never again. At block level that is a value that cannot
   * change while its block lives (a literal, a loop item's key); inside a region's segments it is
   * part of what the region re-renders.
   */
  Plain,
  Region,
}

/** One part of a compiled block. */
export type Segment =
  | { readonly kind: SegmentKind.Static; readonly html: string }
  | { readonly kind: SegmentKind.Anchor; readonly slot: number }
  | {
    readonly kind: SegmentKind.Plain;
    readonly node: Node;
    /** `[node]`, one stable list: rendered through it, the node is compiled to JS. */
    readonly nodes: NodeList;
  }
  | { readonly kind: SegmentKind.Region; readonly region: RegionSpec };

/** A compiled node list: segments plus the number of element anchor slots it allocates. */
export interface LiveBlock {
  readonly segments: readonly Segment[];
  readonly slots: number;
}

/** Where a region's content lives: the content of anchor slot N, or (-1) its own marker range. */
export type Target = number;

export type { AttrPiece };

/** The compiled description of a region; instances are created per render (see renderer.ts). */
export type RegionSpec =
  /** `{{ x }}` or any tag rendered whole; `nodes` is one stable list, so it compiles to JS. */
  | { readonly type: "value"; readonly nodes: NodeList; readonly target: Target }
  | { readonly type: "fragment"; readonly segments: readonly Segment[]; readonly target: Target }
  /** Content of a `dj-update="ignore"` element: rendered once, never updated (client JS owns it). */
  | { readonly type: "frozen"; readonly segments: readonly Segment[] }
  | {
    readonly type: "attrs";
    readonly slot: number;
    /** The whole attribute section, in source order. */
    readonly section: readonly AttrPiece[];
    /** The dynamic groups (one attribute, or what one tag in name position prints). */
    readonly groups: readonly NodeList[];
    /**
     * When the only dynamic group is the quoted value of attribute `single` (and no other attribute
     * of the tag can be named so), its output is the value itself, and a change is one `set`.
     */
    readonly single: string | null;
  }
  | { readonly type: "element"; readonly segments: readonly Segment[] }
  | {
    readonly type: "if";
    readonly node: BranchingNode;
    readonly branches: readonly LiveBlock[];
    /**
     * For `{% if %}`: the same conditions printing the chosen branch's index, one stable list, so
     * the choice runs as compiled JS with the row's variables as locals. Null for other tags.
     */
    readonly chooser: NodeList | null;
    readonly target: Target;
  }
  | LoopSpec
  /** `{% live_component %}`: its instance's own regions render inside (see component.ts). */
  | { readonly type: "component"; readonly node: ComponentNodeLike; readonly target: Target }
  /** `{% component %}`: its template renders with regions of its own (template_component.ts). */
  | { readonly type: "template-component"; readonly node: ComponentNode; readonly target: Target }
  /**
   * `{% render_slot %}` in a component's template: the caller's content with the caller's
   * regions, or rendered whole where it cannot have them (slot.ts). `nodes` is `[node]`.
   */
  | {
    readonly type: "slot";
    readonly node: RenderSlotNode;
    readonly nodes: NodeList;
    readonly target: Target;
  }
  /**
   * The loop inside a `dj-update="stream"` element: items are sent once and forgotten (see
   * stream.ts). `item` renders one item, plainly: a sent item is replaced, never patched.
   */
  | {
    readonly type: "stream";
    readonly node: LoopingNode;
    readonly item: readonly Segment[];
    readonly slot: number;
  };

/** What a live component tag offers its region (lib/live/component_tag.ts). */
export interface ComponentNodeLike extends Node {
  /** The component's name in the view's `static components`. */
  readonly type: string;
  /** Its id and props in `ctx`. */
  evaluate(ctx: Context): { id: unknown; props: Record<string, unknown> };
}

/** A live loop: keyed by `dj-key`, or else by index. */
export interface LoopSpec {
  readonly type: "for";
  readonly node: LoopingNode;
  /** The body, with the item's constants (its key, or its position when unkeyed) rendered once. */
  readonly body: LiveBlock;
  /**
   * The body for items whose key may change while they live (a signal, an object key): only
   * literals are constant. The same block as `body` when that makes no difference.
   */
  readonly signalBody: LiveBlock;
  readonly empty: LiveBlock;
  /** The `dj-key` expression; null for a loop keyed by index. */
  readonly key: FilterExpression | null;
  /** The lookups from the item to its key (`["id"]` for `row.id`) when the key is that simple. */
  readonly keyPath: readonly string[] | null;
  readonly target: Target;
  /**
   * A `{% with %}` (scope_node.ts): one item, always there, binding no `forloop`; its body re-reads
   * its values whenever the loop or the enclosing item updates.
   */
  readonly scopeOnly: boolean;
}

/**
 * What cannot change while a loop item lives, as lookup paths (`["row", "id"]` when rows are keyed
 * by `row.id`; `["forloop", "counter"]` when they are keyed by index). Literals never change.
 */
interface Constants {
  readonly paths: readonly (readonly string[])[];
}

const NO_CONSTANTS: Constants = { paths: [] };

/** The `forloop` fields an item of a loop keyed by index keeps for its whole life. */
const POSITION_FIELDS = ["counter", "counter0", "first"];

/**
 * Compiles a template node list rendered inside an element named `parentName`. Variables at
 * `constants` (lookup paths such as `["myself"]`) never change while the block lives: they are
 * rendered with it, without a region.
 */
export function compileLive(
  nodes: readonly Node[],
  parentName = "div",
  constants: readonly (readonly string[])[] = [],
  templates: TemplateSource | null = null,
): LiveBlock {
  // With the engine at hand, extends, blocks and includes are read as the nodes they stand for.
  const expander = templates ? new TemplateExpander(templates) : null;
  const { root } = analyse(nodes, parentName, false, expander);
  return blockFromTree(root, constants.length ? { paths: constants } : NO_CONSTANTS);
}

/** Live blocks of node lists that are not a view's template (components, slots), by list. */
let blocks = new WeakMap<readonly Node[], LiveBlock>();

/**
 * The live block of `nodes`, compiled once per list, with includes and blocks expanded from
 * `templates` (the engine of the context rendering it).
 */
export function liveBlockOf(nodes: readonly Node[], templates: TemplateSource | null): LiveBlock {
  let block = blocks.get(nodes);
  if (!block) blocks.set(nodes, block = compileLive(nodes, "div", [], templates));
  return block;
}

/** Forgets the compiled blocks (development: a template file changed, maybe an included one). */
export function forgetLiveBlocks(): void {
  blocks = new WeakMap();
}

/** True when `node` prints a value that cannot change while its block lives. */
function isConstant(node: Node, c: Constants): boolean {
  if (!(node instanceof VariableNode)) return false;
  const expr = node.expression;
  if (expr.filters.length) return false;
  const lookups = expr.variable.lookups;
  if (lookups === null) return true;
  return c.paths.some((p) => p.length === lookups.length && p.every((x, i) => x === lookups[i]));
}

/** A Plain segment for `node`. */
function plain(node: Node): Segment {
  return { kind: SegmentKind.Plain, node, nodes: [node] };
}

/** `{% if a %}0{% elif b %}1{% else %}2{% endif %}` for an IfNode: its choice, compiled. */
function chooserOf(node: BranchingNode): NodeList | null {
  if (!(node instanceof IfNode)) return null;
  return [
    new IfNode(
      node.branches.map((b, i) => ({ condition: b.condition, nodes: [new TextNode(`${i}`)] })),
    ),
  ];
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

function blockFromTree(root: HElement, c: Constants): LiveBlock {
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
  items(root.children, -1, b, c);
  return b.block();
}

function items(list: readonly HItem[], parentSlot: number, b: Builder, c: Constants): void {
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
          else b.push(plain(p));
        }
        break;
      case "node":
        if (isConstant(item.node, c)) b.push(plain(item.node));
        else b.push({ kind: SegmentKind.Region, region: regionFor(item, soleTarget, c) });
        break;
      case "element":
        element(item, b, c);
        break;
    }
  }
}

/** `dj-update="ignore"` in a start tag. */
const IGNORE_RE = new RegExp(`\\s${UPDATE_ATTR}\\s*=\\s*["']?ignore`);
/** `dj-update="stream"` in a start tag. */
const STREAM_RE = new RegExp(`\\s${UPDATE_ATTR}\\s*=\\s*["']?stream`);

function element(el: HElement, b: Builder, c: Constants): void {
  if (el.escalate) {
    const inner = new Builder();
    plainElement(el, inner, true);
    b.push({ kind: SegmentKind.Region, region: { type: "element", segments: inner.segments } });
    return;
  }
  const openText = piecesText(el.open);
  if (STREAM_RE.test(openText)) return streamElement(el, b);
  const ignored = IGNORE_RE.test(openText);
  const sole = el.children.length === 1 && el.children[0].kind === "node" ? el.children[0] : null;
  const soleDynamic = !ignored && sole !== null && !isConstant(sole.node, c);
  const attrs = el.dynamicAttrs ? attributeSection(el, (node) => isConstant(node, c)) : null;
  const dynamicAttrs = attrs !== null && attrs.groups.length > 0;
  const slot = dynamicAttrs || soleDynamic ? b.slots++ : -1;
  const nameEnd = 1 + el.name.length;
  if (attrs) {
    b.static((el.open[0] as string).slice(0, nameEnd));
    if (slot >= 0) b.push({ kind: SegmentKind.Anchor, slot });
    if (dynamicAttrs) {
      const { section, groups, single } = attrs;
      b.push({
        kind: SegmentKind.Region,
        region: { type: "attrs", slot, section, groups, single },
      });
    } else {
      // Only static attributes and constants: rendered with the block, no region.
      for (const p of attrs.section) {
        if (typeof p === "string") b.static(p);
        else b.push(plain(p as Node));
      }
    }
    b.static(attrs.closer);
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
  } else items(el.children, slot, b, c);
  if (el.close !== null) b.static(el.close);
}

/**
 * A `dj-update="stream"` element: its content is one loop over a stream, whose items the browser
 * keeps; the element is anchored so stream ops can name it.
 */
function streamElement(el: HElement, b: Builder): void {
  const content = el.children.filter((c) => !(c.kind === "text" && !c.text.trim()));
  const loop = content.length === 1 && content[0].kind === "node" && isLooping(content[0].node)
    ? content[0]
    : null;
  if (loop === null || el.dynamicAttrs || !/\sid\s*=/.test(piecesText(el.open))) {
    const at = content.find((c) => c.kind === "node") as HDynamic | undefined;
    throw new TemplateSyntaxError(
      `A dj-update="stream" element needs a static id and one {% for id, item in streams.NAME %} ` +
        `as its only content`,
      at?.node.position,
    );
  }
  const slot = b.slots++;
  const open = piecesText(el.open);
  const nameEnd = 1 + el.name.length;
  b.static(open.slice(0, nameEnd));
  b.push({ kind: SegmentKind.Anchor, slot });
  b.static(open.slice(nameEnd));
  const item = new Builder();
  for (const child of loop.bodies[0].children) plainItem(child, item);
  b.push({
    kind: SegmentKind.Region,
    region: { type: "stream", node: loop.node as LoopingNode, item: item.segments, slot },
  });
  if (el.close !== null) b.static(el.close);
}

/** Emits an element and everything inside it as plain (non-reactive) segments. */
function plainElement(el: HElement, b: Builder, anchored: boolean): void {
  const nameEnd = 1 + el.name.length;
  el.open.forEach((p, i) => {
    if (typeof p !== "string") return b.push(plain(p));
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
        else b.push(plain(p));
      }
      return;
    case "node":
      return b.push(plain(item.node));
    case "element":
      return plainElement(item, b, false);
  }
}

/**
 * The region of a dynamic node, by the capability the node declares (`Node.liveRole`), so custom
 * tags can take part as `{% if %}` and `{% for %}` do.
 */
function regionFor(item: HDynamic, target: Target, c: Constants): RegionSpec {
  const node = item.node;
  if (isBranching(node)) {
    const branches = item.bodies.map((b) => blockFromTree(b, c));
    return { type: "if", node, branches, chooser: chooserOf(node), target };
  }
  if (isLooping(node) && !dependsOnRenderOrder(node.children[0])) return loopSpec(item, target, c);
  if (node.liveRole === "component") {
    return { type: "component", node: node as ComponentNodeLike, target };
  }
  if (node.liveRole === "template-component" && node instanceof ComponentNode) {
    return { type: "template-component", node, target };
  }
  if (node.liveRole === "slot" && node instanceof RenderSlotNode) {
    return { type: "slot", node, nodes: [node], target };
  }
  // {{ }} and every other tag: one region rendering the node whole.
  return { type: "value", nodes: [node], target };
}

function loopSpec(item: HDynamic, target: Target, c: Constants): LoopSpec {
  const node = item.node as LoopingNode;
  const vars = node.loopVars;
  if (node instanceof ScopeNode) {
    // What is constant outside stays so inside, but for the names the scope binds.
    const body = blockFromTree(item.bodies[0], {
      paths: c.paths.filter((p) => !vars.includes(p[0])),
    });
    return {
      type: "for",
      node,
      body,
      signalBody: body,
      empty: blockFromTree(item.bodies[1], c),
      key: null,
      keyPath: null,
      target,
      scopeOnly: true,
    };
  }
  // Inside the body, the loop's own variables and `forloop` shadow the outer ones.
  const outer = c.paths.filter((p) => p[0] !== "forloop" && !vars.includes(p[0]));
  const key = findKey(item.bodies[0]);
  const lookups = key?.variable.lookups;
  const keyPath = key && !key.filters.length && lookups && vars.length === 1 &&
      lookups[0] === vars[0]
    ? lookups
    : null;
  let body: LiveBlock, signalBody: LiveBlock;
  if (key) {
    // An item is reused only for its key: whatever prints the key is constant while it lives.
    body = blockFromTree(item.bodies[0], { paths: keyPath ? [...outer, keyPath] : outer });
    signalBody = keyPath ? blockFromTree(item.bodies[0], { paths: outer }) : body;
  } else {
    // Keyed by index: an item keeps its position for life.
    const position = POSITION_FIELDS.map((f) => ["forloop", f]);
    body = signalBody = blockFromTree(item.bodies[0], { paths: [...outer, ...position] });
  }
  return {
    type: "for",
    node,
    body,
    signalBody,
    empty: blockFromTree(item.bodies[1], c),
    key,
    keyPath: keyPath ? keyPath.slice(1) : null,
    target,
    scopeOnly: false,
  };
}

/**
 * True when some node's output depends on render order across loop items (`cycle`, `ifchanged`).
 * An included template's nodes do not count: Django restarts their state at each include, as a
 * region restarts it at each render.
 */
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
