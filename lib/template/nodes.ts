/**
 * The compiled form of a template: a tree of nodes that render themselves against a Context.
 *
 * Nodes are shared by every render of a template, so they hold no render state (that goes in
 * `ctx.renderState`). Each node exposes its child node lists through `children`, which is how the
 * LiveView layer finds the dynamic regions of a template without re-parsing it.
 * @module
 */
import type { CodeWriter } from "./compiler/writer.ts";
import type { Context } from "./context.ts";
import { placeError, type TemplatePosition } from "./errors.ts";
import type { FilterExpression } from "./expression.ts";
import { localizeDateLike } from "./filters/date_format.ts";
import { positionOf } from "./lexer.ts";
import { escapeHtml, SafeString } from "./safe.ts";
import { isDateLike, isSignal, pyStr } from "./values.ts";

/** The template a node was parsed from: what an error position needs. */
export interface TemplateOrigin {
  /** Template name, or "<string>". */
  readonly name: string;
  /** The whole source text. */
  readonly source: string;
  /** Where it was loaded from (`<templates>/name`, a file path), or its name. */
  readonly path: string;
}

/**
 * A compiled piece of template.
 *
 * Errors thrown while a node renders leave it carrying the node's position (see
 * {@link TemplateError}): the first time a node class is constructed, its `render` is wrapped once
 * so that every caller gets placed errors, including the LiveView layer, which renders nodes one
 * by one. A custom node needs to do nothing for that.
 *
 * @example
 * ```ts
 * import { Node, type Context } from "@djust/djust/template";
 * class HelloNode extends Node {
 *   render(_ctx: Context): string {
 *     return "hello";
 *   }
 * }
 * ```
 */
export abstract class Node {
  /** 0-based offset of the tag in the template source (for errors and regions). */
  offset = 0;
  /** The template the node was parsed from (set by the parser), for error positions. */
  origin: TemplateOrigin | null = null;

  /** Sets the node up; its class's `render` is made to place errors (once per class). */
  constructor() {
    placeRenderErrors(new.target.prototype);
  }

  /** Renders this node. */
  abstract render(ctx: Context): string;

  /** Where the node is in its template (name, line, column, the line), when known. */
  get position(): TemplatePosition | undefined {
    const origin = this.origin;
    return origin === null ? undefined : positionOf(origin.source, this.offset, origin.name);
  }

  /** Child node lists (bodies of block tags), in source order. */
  get children(): readonly NodeList[] {
    return [];
  }
  /** True when the node's output never changes (plain text). */
  get isStatic(): boolean {
    return false;
  }
  /**
   * Emits this node as JavaScript into a compiled template. The default calls `render(ctx)` and
   * assumes the node may set context variables; override it to inline the node
   * (see {@link CodeWriter}), or call `w.withContext(this)` if the node only reads the context.
   */
  emit(w: CodeWriter): void {
    w.opaque(this);
  }
  /**
   * How live views split this node into regions (see lib/live/regions/compile.ts): `"whole"`
   * re-renders the node as one unit when anything it read changes; `"branches"` promises
   * {@link BranchingNode} (only the choice is tracked, each branch updates itself); `"loop"` promises
   * {@link LoopingNode} (items are reconciled by key). Custom tags opt in by overriding it.
   */
  get liveRole(): LiveRole {
    return "whole";
  }
  /**
   * True when the output depends on what rendered before it in the same render (`cycle`,
   * `ifchanged`): a live loop containing such a node renders as one region.
   */
  get dependsOnRenderOrder(): boolean {
    return false;
  }
}

/**
 * How a node takes part in live regions; see {@link Node.liveRole}. `"component"` is the live
 * layer's `{% live_component %}`: a region of its own whose content its instance's regions update;
 * `"template-component"` is `{% component %}`: its template renders with regions of its own;
 * `"slot"` is `{% render_slot %}` in such a template: the caller's content, with the caller's
 * regions.
 */
export type LiveRole = "whole" | "branches" | "loop" | "component" | "template-component" | "slot";

/** A node that renders one of its child node lists (`children[i]`), chosen by `choose`. */
export interface BranchingNode extends Node {
  /** Index into `children` of the list that renders, or -1 for none. */
  choose(ctx: Context): number;
}

/**
 * A node that renders `children[0]` once per item and `children[1]` when there are none
 * (`{% for %}`), with the loop variables bound by `bind`.
 */
export interface LoopingNode extends Node {
  /** Names the loop binds for each item. */
  readonly loopVars: readonly string[];
  /** The items, resolved in `ctx`. */
  items(ctx: Context): unknown[];
  /** Binds the loop variables for `item` in the current scope of `ctx`. */
  bind(ctx: Context, item: unknown): void;
}

/**
 * True when `node` declares itself a {@link BranchingNode}.
 *
 * @example
 * ```ts
 * import { Engine, isBranching } from "@djust/djust/template";
 * const [node] = new Engine().fromString("{% if a %}x{% endif %}").nodes;
 * isBranching(node); // true
 * ```
 */
export function isBranching(node: Node): node is BranchingNode {
  return node.liveRole === "branches";
}

/**
 * True when `node` declares itself a {@link LoopingNode}.
 *
 * @example
 * ```ts
 * import { Engine, isLooping } from "@djust/djust/template";
 * const [node] = new Engine().fromString("{% for x in xs %}{{ x }}{% endfor %}").nodes;
 * isLooping(node); // true
 * ```
 */
export function isLooping(node: Node): node is LoopingNode {
  return node.liveRole === "loop";
}

/** A sequence of nodes. */
export type NodeList = readonly Node[];

/**
 * `err` placed at `node` (see {@link placeError}), to rethrow: for compiled code, and where a node's
 * work is called other than through `render` (an `{% if %}` choosing its branch, a `{% for %}` its
 * items).
 *
 * @example
 * ```ts
 * import { Engine } from "./engine.ts";
 * import { errorAt } from "./nodes.ts";
 * const node = new Engine().fromString("{{ x }}", "a.html").nodes[0];
 * (errorAt(node, new Error("boom")) as Error).message.split("\n")[1]; // "  at a.html:1:1"
 * ```
 */
export function errorAt(node: Node, err: unknown): unknown {
  const position = node.position;
  return position === undefined ? err : placeError(err, position);
}

// Prototypes whose `render` already places errors (own wrapper, or inherited one).
const placing = new WeakSet<object>();
const PLACES_ERRORS = Symbol("placesErrors");

/** Wraps the `render` of a node class so that errors leave it with the node's position. */
function placeRenderErrors(prototype: Node): void {
  if (placing.has(prototype)) return;
  placing.add(prototype);
  const render = prototype.render as ((ctx: Context) => string) & { [PLACES_ERRORS]?: true };
  if (typeof render !== "function" || render[PLACES_ERRORS]) return; // a parent's wrapper does it
  const placed = function (this: Node, ctx: Context): string {
    try {
      return render.call(this, ctx);
    } catch (err) {
      throw errorAt(this, err);
    }
  };
  (placed as typeof render)[PLACES_ERRORS] = true;
  Object.defineProperty(prototype, "render", { value: placed, writable: true, configurable: true });
}

/** A compiled node list: one generated function (see compiler/compile.ts). */
type CompiledNodes = (ctx: Context) => string;

let compileList: ((nodes: NodeList) => CompiledNodes) | null = null;
// Per node list: how many times it was interpreted, then its compiled function. Lists made for one
// render (throwaway arrays) never reach the threshold, so they cost no compilation.
const compiled = new WeakMap<NodeList, number | CompiledNodes>();
const COMPILE_AFTER = 1;

/** @internal Installs the compiler renderNodes uses (done by compiler/compile.ts when it loads). */
export function useNodeListCompiler(compile: (nodes: NodeList) => CompiledNodes): void {
  compileList = compile;
}

/**
 * Renders every node of `nodes` and joins their output. A list rendered more than once is compiled
 * to one JavaScript function on its second render, and that function renders it from then on.
 *
 * @example
 * ```ts
 * import { Engine, renderNodes } from "@djust/djust/template";
 * const engine = new Engine();
 * const { nodes } = engine.fromString("Hi {{ name }}");
 * renderNodes(nodes, engine.newContext({ name: "Ann" })); // "Hi Ann"
 * ```
 */
export function renderNodes(nodes: NodeList, ctx: Context): string {
  const state = compiled.get(nodes);
  if (typeof state === "function") return state(ctx);
  if (compileList !== null && state !== undefined && state >= COMPILE_AFTER) {
    const fn = compileList(nodes);
    compiled.set(nodes, fn);
    return fn(ctx);
  }
  compiled.set(nodes, (state ?? 0) + 1);
  return interpretNodes(nodes, ctx);
}

/**
 * Renders `nodes` one by one, without compiling.
 *
 * @example
 * ```ts
 * import { Engine, interpretNodes } from "@djust/djust/template";
 * const engine = new Engine();
 * interpretNodes(engine.fromString("{{ 2|add:3 }}").nodes, engine.newContext({})); // "5"
 * ```
 */
export function interpretNodes(nodes: NodeList, ctx: Context): string {
  let out = "";
  // Plain indexed loop: this is the innermost loop of every interpreted render.
  for (let i = 0; i < nodes.length; i++) out += nodes[i].render(ctx);
  return out;
}

/**
 * Literal template text.
 *
 * @example
 * ```ts
 * import { Engine, renderNodes, TextNode } from "@djust/djust/template";
 * renderNodes([new TextNode("<p>")], new Engine().newContext({})); // "<p>"
 * ```
 */
export class TextNode extends Node {
  /** The text, output as is. */
  readonly text: string;
  /** Wraps `text`. */
  constructor(text: string) {
    super();
    this.text = text;
  }
  /** The text itself. */
  render(): string {
    return this.text;
  }
  /** Always true: text never changes. */
  override get isStatic(): boolean {
    return true;
  }
  /** Emits the text as a string constant. */
  override emit(w: CodeWriter): void {
    w.text(this.text);
  }
}

/**
 * `{{ expression }}`.
 *
 * @example
 * ```ts
 * import { Engine, VariableNode } from "@djust/djust/template";
 * const node = new Engine().fromString("{{ x }}").nodes[0] as VariableNode;
 * node.render(new Engine().newContext({ x: "<b>" })); // "&lt;b&gt;"
 * ```
 */
export class VariableNode extends Node {
  /** The expression to print. */
  readonly expression: FilterExpression;
  /** Wraps `expression`. */
  constructor(expression: FilterExpression) {
    super();
    this.expression = expression;
  }
  /** The expression's value, printed as `{{ }}` prints (see {@link renderValue}). */
  render(ctx: Context): string {
    return renderValue(this.expression.resolve(ctx), ctx);
  }
  /** Emits the expression and its printing inline. */
  override emit(w: CodeWriter): void {
    w.printExpression(this.expression);
  }
}

/**
 * How `{{ }}` prints a value: localized (dates via DATE_FORMAT...), stringified the Python way,
 * then escaped unless autoescape is off or the value is a SafeString.
 *
 * @example
 * ```ts
 * import { Engine, renderValue } from "@djust/djust/template";
 * const ctx = new Engine().newContext({});
 * renderValue([1, "a", null], ctx); // "[1, &#x27;a&#x27;, None]"
 * ```
 */
export function renderValue(value: unknown, ctx: Context): string {
  if (typeof value === "string") return ctx.autoescape ? escapeHtml(value) : value;
  if (value instanceof SafeString) return value.value;
  if (isSignal(value)) return renderValue(value.value, ctx);
  let text: string;
  if (typeof value === "number") text = numberOutput(value);
  else if (isDateLike(value)) text = localizeDateLike(value, ctx.hooks.timeZone ?? "UTC") ?? "";
  else text = pyStr(value);
  return ctx.autoescape ? escapeHtml(text) : text;
}

/** Django's `localize` of a number with USE_L10N off: floats print in positional notation. */
function numberOutput(x: number): string {
  const text = pyStr(x);
  return text.includes("e") ? expandExponent(text) : text;
}

/**
 * Django's `numberformat.format` of a float whose repr has an exponent: as `Decimal(repr)`
 * printed positionally (`1e-05` → `0.00001`), or, past 200 digits, in Decimal's `{:e}` form
 * (`1.5e+300`).
 */
function expandExponent(repr: string): string {
  const negative = repr.startsWith("-");
  const body = negative ? repr.slice(1) : repr;
  const [mantissa, expText] = body.split("e");
  const [intPart, fracPart = ""] = mantissa.split(".");
  const digits = intPart + fracPart;
  const exponent = Number(expText) - fracPart.length; // value = digits × 10^exponent
  let out: string;
  if (Math.abs(exponent) + digits.length > 200) {
    const adjusted = exponent + digits.length - 1;
    out = digits[0] + (digits.length > 1 ? "." + digits.slice(1) : "") + "e" +
      (adjusted < 0 ? "-" : "+") + Math.abs(adjusted);
  } else {
    const point = digits.length + exponent;
    if (point <= 0) out = "0." + "0".repeat(-point) + digits;
    else if (point >= digits.length) out = digits + "0".repeat(point - digits.length);
    else out = digits.slice(0, point) + "." + digits.slice(point);
  }
  return negative ? "-" + out : out;
}
