/**
 * The first render of a view without regions: the HTML, anchors included, that
 * `LiveRenderer.mount` produces (anchors are numbered in the same order), but no region, item or
 * tracker object is made. A page load renders this way; the regions are built when the view goes
 * live (`LiveRenderer.goLive`).
 *
 * Each LiveBlock is compiled once to a JavaScript function (static text inlined, anchors numbered
 * from locals, node lists rendered through their own compiled functions): walking segments instead
 * costs megamorphic property reads per segment, ~8× a plain template render on a 1000-row table.
 * Every case here mirrors one `mount()` of renderer.ts, basic.ts or loop.ts;
 * tests/live/static_test.ts checks that both give the same HTML.
 * @module
 */
import { untracked } from "@preact/signals-core";
import type { Scope } from "../../template/context.ts";
import { compileNodes } from "../../template/compiler/compile.ts";
import { type Node, type NodeList, renderNodes, TextNode } from "../../template/nodes.ts";
import { ANCHOR_ATTR } from "../protocol.ts";
import {
  type LiveBlock,
  liveBlockOf,
  type LoopSpec,
  type RegionSpec,
  type Segment,
  SegmentKind,
} from "./compile.ts";
import { bindLoopVars, bodyFor, rawKeys } from "./loop_items.ts";
import { markers } from "./region.ts";
import { acquireInstance, servedHost } from "./component.ts";
import { renderStreamFirst, streamOf } from "./stream.ts";
import { renderTemplateComponentFirst } from "./template_component.ts";
import { slotBody } from "./slot.ts";

type ComponentSpec = Extract<RegionSpec, { type: "component" }>;
type StreamSpec = Extract<RegionSpec, { type: "stream" }>;
type SlotSpec = Extract<RegionSpec, { type: "slot" }>;
import type { LiveRenderer } from "./renderer.ts";

/** A compiled block: its HTML at `scope`, anchors taken from `r`. */
type StaticBlock = (r: LiveRenderer, scope: Scope) => string;

const compiled = new WeakMap<LiveBlock, StaticBlock>();

/** Renders `block` in `scope` as `renderBlock` would, without regions. */
export function renderStatic(r: LiveRenderer, block: LiveBlock, scope: Scope): string {
  return compiledBlock(block)(r, scope);
}

function compiledBlock(block: LiveBlock): StaticBlock {
  let fn = compiled.get(block);
  if (fn === undefined) compiled.set(block, fn = compileBlock(block));
  return fn;
}

/** What generated code calls (passed in, never reached through globals). */
const RUNTIME = {
  compiledBlock,
  markers,
  loop,
  frozen,
  component,
  stream,
  templateComponent: renderTemplateComponentFirst,
  slot,
};

/** Generates the function of one block. Template text enters the source only via JSON.stringify. */
function compileBlock(block: LiveBlock): StaticBlock {
  const k: unknown[] = [];
  const constant = (value: unknown) => `k[${k.push(value) - 1}]`;
  const lines: string[] = [
    `const base = r.reserveAnchors(${block.slots});`,
    "let ctx = r.enter(scope);",
  ];
  // Text and nodes between anchors and regions form one run, compiled to one function.
  let run: Node[] = [];
  const flush = () => {
    if (run.every((n) => n instanceof TextNode)) {
      const text = run.map((n) => (n as TextNode).text).join("");
      if (text) lines.push(`out += ${JSON.stringify(text)};`);
    } else lines.push(`out += ${constant(compileNodes(run))}(ctx);`);
    run = [];
  };
  const write = (expression: string) => {
    flush();
    lines.push(`out += ${expression};`);
  };
  const text = (s: string) => void (s && run.push(new TextNode(s)));
  const nodes = (list: NodeList) => void run.push(...list);
  /** After a nested block or loop (which enter other scopes), this block's scope again. */
  const reenter = () => lines.push("ctx = r.enter(scope);");
  /** A ranged region takes its anchor before it renders, as its constructor does. */
  const anchor = () => {
    flush();
    lines.push("a = r.newAnchor().toString(36);");
  };
  for (const seg of block.segments) {
    switch (seg.kind) {
      case SegmentKind.Static:
        text(seg.html);
        break;
      case SegmentKind.Anchor:
        write(`${JSON.stringify(` ${ANCHOR_ATTR}="`)} + (base + ${seg.slot}).toString(36) + '"'`);
        break;
      case SegmentKind.Plain:
        nodes(seg.nodes);
        break;
      case SegmentKind.Region:
        region(seg.region);
        break;
    }
  }
  function region(spec: RegionSpec): void {
    const ranged = "target" in spec && spec.target < 0;
    switch (spec.type) {
      case "value":
        if (!ranged) return nodes(spec.nodes);
        anchor();
        write(`M(a, ${constant(compileNodes(spec.nodes))}(ctx))`);
        return;
      case "fragment":
        if (ranged) anchor();
        write(`${ranged ? "M(a, " : "("}r.renderSegments(${constant(spec.segments)}, ctx, ""))`);
        return;
      case "frozen":
        write(`FZ(r, ${constant(spec.segments)}, scope)`);
        reenter();
        return;
      case "attrs":
        for (const piece of spec.section) {
          if (typeof piece === "string") text(piece);
          else if (typeof piece === "number") nodes(spec.groups[piece]);
          else nodes([piece]);
        }
        return;
      case "element":
        anchor();
        write(`r.renderSegments(${constant(spec.segments)}, ctx, a)`);
        return;
      case "if": {
        if (ranged) anchor();
        else flush();
        if (spec.chooser !== null) {
          lines.push(`b = ${constant(compileNodes(spec.chooser))}(ctx);`);
          lines.push(`b = b === "" ? -1 : +b;`);
        } else lines.push(`b = r.choose(${constant(spec)}, scope);`);
        // Each branch's function is looked up on first use, then kept in its slot.
        const branches = spec.branches.map((branch, i) => {
          const slot = constant(null);
          return `b === ${i} ? (${slot} ??= B(${constant(branch)}))(r, scope) : `;
        }).join("");
        write(ranged ? `M(a, ${branches}"")` : `(${branches}"")`);
        reenter();
        return;
      }
      case "for":
        if (ranged) anchor();
        write(ranged ? `M(a, L(r, ${constant(spec)}, scope))` : `L(r, ${constant(spec)}, scope)`);
        reenter();
        return;
      case "component":
        if (ranged) anchor();
        write(ranged ? `M(a, C(r, ${constant(spec)}, scope))` : `C(r, ${constant(spec)}, scope)`);
        reenter();
        return;
      case "stream":
        write(`S(r, ${constant(spec)}, scope)`);
        reenter();
        return;
      case "template-component":
        if (ranged) anchor();
        write(ranged ? `M(a, T(r, ${constant(spec)}, scope))` : `T(r, ${constant(spec)}, scope)`);
        reenter();
        return;
      case "slot":
        if (ranged) anchor();
        write(ranged ? `M(a, SL(r, ${constant(spec)}, scope))` : `SL(r, ${constant(spec)}, scope)`);
        reenter();
        return;
    }
  }
  flush();
  const source =
    `"use strict";\nconst { compiledBlock: B, markers: M, loop: L, frozen: FZ, component: C, ` +
    `stream: S, templateComponent: T, slot: SL } = rt;\n` +
    `return function block(r, scope) {\nlet out = "", a, b;\n${lines.join("\n")}\nreturn out;\n};`;
  return new Function("rt", "k", source)(RUNTIME, k) as StaticBlock;
}

/**
 * A live component for a page load: its instance (mounted now), held by the page until the regions
 * are built, and its template rendered without regions.
 */
function component(r: LiveRenderer, spec: ComponentSpec, scope: Scope): string {
  const instance = acquireInstance(r, spec, scope, r.root.pageHolder);
  const served = servedHost(r);
  return untracked(() =>
    served.readonly ? served.host.renderFresh(instance, r) : served.host.renderFirst(instance, r)
  );
}

/** A stream element's first items (taken from the stream, as the region's first render takes them). */
function stream(r: LiveRenderer, spec: StreamSpec, scope: Scope): string {
  return renderStreamFirst(r, spec, scope, streamOf(r, spec, scope));
}

/** A component's slot, as SlotRegion mounts it: with the caller's anchors, or whole. */
function slot(r: LiveRenderer, spec: SlotSpec, scope: Scope): string {
  const caller = r.slotCaller;
  if (caller === null) return renderNodes(spec.nodes, r.enter(scope));
  const block = liveBlockOf(slotBody(r, spec), caller.renderer.ctx.templates ?? null);
  return renderStatic(caller.renderer, block, caller.scope);
}

/** Content of a `dj-update="ignore"` element: rendered once, untracked. */
function frozen(r: LiveRenderer, segments: readonly Segment[], scope: Scope): string {
  return untracked(() => r.renderSegments(segments, r.enter(scope), ""));
}

/** Where a static item scope keeps its position. */
const POSITION = Symbol("djust.position");

/** A loop's items, each in its markers, as LoopRegion renders them. */
function loop(r: LiveRenderer, spec: LoopSpec, scope: Scope): string {
  const values = spec.node.items(r.enter(scope));
  const n = values.length;
  if (!n) return renderStatic(r, spec.empty, scope);
  const raw = spec.key ? rawKeys(spec, r.ctx, scope, values) : null;
  if (spec.scopeOnly) {
    // A `{% with %}`: one item, no `forloop` of its own (see LoopRegion).
    const itemScope: Scope = Object.create(scope);
    bindLoopVars(spec, r.ctx, itemScope, values[0]);
    return markers(r.newAnchor().toString(36), compiledBlock(spec.body)(r, itemScope));
  }
  const proto: Scope = Object.create(scope);
  Object.defineProperty(proto, "forloop", {
    enumerable: true,
    get(this: Record<symbol, number>) {
      const p = this[POSITION];
      return {
        counter0: p,
        counter: p + 1,
        revcounter: n - p,
        revcounter0: n - p - 1,
        first: p === 0,
        last: p === n - 1,
        parentloop: scope.forloop ?? {},
      };
    },
  });
  const body = compiledBlock(spec.body), signalBody = compiledBlock(spec.signalBody);
  // One scope for every item, rebound per item: nothing keeps a scope after its item rendered, and
  // the context then never changes scope (which costs it an allocation) between items.
  const itemScope: Scope = Object.create(proto);
  let html = "";
  for (let i = 0; i < n; i++) {
    const id = r.newAnchor();
    (itemScope as Record<symbol, number>)[POSITION] = i;
    bindLoopVars(spec, r.ctx, itemScope, values[i]);
    const fn = raw === null || bodyFor(spec, values[i], raw[i]) === spec.body ? body : signalBody;
    html += markers(id.toString(36), fn(r, itemScope));
  }
  return html;
}
