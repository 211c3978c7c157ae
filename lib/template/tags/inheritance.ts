/**
 * Template composition: extends, block (with `{{ block.super }}`) and include.
 * @module
 */
import type { CodeWriter } from "../compiler/writer.ts";
import type { Context, Scope } from "../context.ts";
import { TemplateRenderError } from "../errors.ts";
import type { FilterExpression } from "../expression.ts";
import { Node, type NodeList, renderNodes } from "../nodes.ts";
import type { Parser, TagToken } from "../parser.ts";
import { isSafe, markSafe, type SafeString } from "../safe.ts";
import { type TagRegistry, tokenKwargs } from "./registry.ts";

/** Render-state key of the block stacks used while rendering an inheritance chain. */
const BLOCK_CONTEXT = Symbol("blockContext");

/** For each block name, the overriding blocks from the most generic (first) to the most derived (last). */
type BlockContext = Map<string, BlockNode[]>;

/** Every BlockNode in `nodes`, at any depth. */
function collectBlocks(
  nodes: NodeList,
  out: Map<string, BlockNode> = new Map(),
): Map<string, BlockNode> {
  for (const node of nodes) {
    if (node instanceof BlockNode) out.set(node.name, node);
    for (const child of node.children) collectBlocks(child, out);
  }
  return out;
}

/** What `{{ block }}` is inside a block: its name and `super`. */
export class BlockReference {
  constructor(readonly name: string, readonly node: BlockNode, readonly ctx: Context) {}
  /** Renders the parent template's version of this block. */
  super(): SafeString | string {
    const blocks = this.ctx.renderState.get(BLOCK_CONTEXT) as BlockContext | undefined;
    const stack = blocks?.get(this.name);
    if (stack && stack.length) return markSafe(this.node.render(this.ctx));
    return "";
  }
}

/** `{% block name %}...{% endblock %}`. */
export class BlockNode extends Node {
  override emit(w: CodeWriter): void {
    w.withContext(this);
  }
  constructor(readonly name: string, readonly body: NodeList) {
    super();
  }
  override get children(): readonly NodeList[] {
    return [this.body];
  }
  render(ctx: Context): string {
    const blocks = ctx.renderState.get(BLOCK_CONTEXT) as BlockContext | undefined;
    ctx.push();
    try {
      if (!blocks) {
        ctx.scope.block = new BlockReference(this.name, this, ctx);
        return renderNodes(this.body, ctx);
      }
      // Take the most derived override; while it renders, {{ block.super }} sees the next one.
      const stack = blocks.get(this.name);
      const pushed = stack?.pop();
      const block = pushed ?? this;
      ctx.scope.block = new BlockReference(this.name, this, ctx);
      const out = renderNodes(block.body, ctx);
      if (pushed) stack!.push(pushed);
      return out;
    } finally {
      ctx.pop();
    }
  }
}

function compileBlock(parser: Parser, token: TagToken): Node {
  const bits = token.contents.split(/\s+/);
  if (bits.length !== 2) throw parser.error(`'block' tag takes only one argument`, token);
  const name = bits[1];
  const seen = (parser.state.get("block:names") ?? new Set()) as Set<string>;
  parser.state.set("block:names", seen);
  if (seen.has(name)) {
    throw parser.error(`'block' tag with name '${name}' appears more than once`, token);
  }
  seen.add(name);
  const body = parser.parse(["endblock"]);
  const end = parser.nextToken();
  if (end.contents !== "endblock" && end.contents !== `endblock ${name}`) {
    throw parser.error(
      `Invalid block tag on line ${end.line}: '${end.contents}', expected 'endblock' or 'endblock ${name}'.`,
      end,
    );
  }
  return new BlockNode(name, body);
}

/** `{% extends "base.html" %}`: must be the first tag; the rest of the template is its blocks. */
export class ExtendsNode extends Node {
  override emit(w: CodeWriter): void {
    w.withContext(this);
  }
  /** Tells the parser that only text may come before this tag. */
  readonly mustBeFirst = true;
  readonly blocks: Map<string, BlockNode>;
  constructor(readonly parent: FilterExpression, readonly body: NodeList) {
    super();
    this.blocks = collectBlocks(body);
  }
  override get children(): readonly NodeList[] {
    return [this.body];
  }
  render(ctx: Context): string {
    const parentName = this.parent.resolve(ctx);
    const parent = resolveTemplate(ctx, parentName, "extends");
    let blocks = ctx.renderState.get(BLOCK_CONTEXT) as BlockContext | undefined;
    if (!blocks) ctx.renderState.set(BLOCK_CONTEXT, blocks = new Map());
    addBlocks(blocks, this.blocks);
    // A root template (one that does not extend further) contributes its own blocks as the base.
    for (const node of parent.nodes) {
      if (node.isStatic) continue;
      if (!(node instanceof ExtendsNode)) addBlocks(blocks, rootBlocks(parent.nodes));
      break;
    }
    return renderNodes(parent.nodes, ctx);
  }
}

// The blocks of each root template's node list, collected once (node lists never change).
const rootBlockCache = new WeakMap<NodeList, Map<string, BlockNode>>();

function rootBlocks(nodes: NodeList): Map<string, BlockNode> {
  let blocks = rootBlockCache.get(nodes);
  if (!blocks) rootBlockCache.set(nodes, blocks = collectBlocks(nodes));
  return blocks;
}

function addBlocks(blocks: BlockContext, add: Map<string, BlockNode>): void {
  for (const [name, node] of add) {
    const stack = blocks.get(name);
    if (stack) stack.unshift(node);
    else blocks.set(name, [node]);
  }
}

type LoadedTemplate = { render(ctx: Context): string; readonly nodes: readonly Node[] };

function resolveTemplate(ctx: Context, nameOrTemplate: unknown, tag: string): LoadedTemplate {
  if (nameOrTemplate && typeof nameOrTemplate === "object" && "nodes" in nameOrTemplate) {
    return nameOrTemplate as LoadedTemplate;
  }
  if (!ctx.templates) throw new TemplateRenderError(`'${tag}' needs an engine to load templates`);
  const name = isSafe(nameOrTemplate) ? nameOrTemplate.value : nameOrTemplate;
  if (typeof name !== "string" || !name) {
    throw new TemplateRenderError(`Invalid template name in '${tag}' tag: ${String(name)}`);
  }
  return ctx.templates.getTemplate(name);
}

function compileExtends(parser: Parser, token: TagToken): Node {
  const bits = token.splitContents();
  if (bits.length !== 2) throw parser.error(`'extends' takes one argument`, token);
  const parent = parser.compileFilter(bits[1], token);
  const body = parser.parse();
  if (body.some((n) => n instanceof ExtendsNode)) {
    throw parser.error(`'extends' cannot appear more than once in the same template`, token);
  }
  return new ExtendsNode(parent, body);
}

/** `{% include name [with a=b ...] [only] %}`. */
export class IncludeNode extends Node {
  override emit(w: CodeWriter): void {
    // One frame per include, holding the visible locals and the `with` values (Django pushes the
    // values on the caller's context; the locals are that context here).
    const template = w.value(this.template);
    const values = this.only ? new Map<string, string>() : w.visibleLocals();
    for (const [name, expression] of this.values) values.set(name, w.value(expression));
    if (this.only) {
      w.write(`${w.constant(this)}.renderWith(ctx, ${template}, ${w.objectLiteral(values)})`);
      return;
    }
    w.write(`${w.constant(this)}.renderInScope(ctx, ${template}, ${w.frame(values)})`);
  }
  constructor(
    readonly template: FilterExpression,
    readonly values: ReadonlyMap<string, FilterExpression>,
    readonly only: boolean,
  ) {
    super();
  }
  render(ctx: Context): string {
    const values: Record<string, unknown> = {};
    for (const [k, v] of this.values) values[k] = v.resolve(ctx);
    return this.renderWith(ctx, this.template.resolve(ctx), values);
  }
  /**
   * Renders the included template (`template`: a name or a Template) with `values` pushed on the
   * context, or as the only variables with `only`.
   */
  /** Renders the included template with `frame` (from `newFrame`, filled) pushed on the context. */
  renderInScope(ctx: Context, templateRef: unknown, frame: Scope): string {
    const template = resolveTemplate(ctx, templateRef, "include");
    ctx.pushFrame(frame);
    try {
      return template.render(ctx);
    } finally {
      ctx.pop();
    }
  }
  renderWith(ctx: Context, templateRef: unknown, values: Record<string, unknown>): string {
    const template = resolveTemplate(ctx, templateRef, "include");
    if (this.only) {
      const saved = ctx.isolate(values);
      try {
        return template.render(ctx);
      } finally {
        ctx.restoreScopes(saved);
      }
    }
    ctx.push(values);
    try {
      return template.render(ctx);
    } finally {
      ctx.pop();
    }
  }
}

function compileInclude(parser: Parser, token: TagToken): Node {
  const bits = token.splitContents();
  if (bits.length < 2) {
    throw parser.error(
      `'include' tag takes at least one argument: the name of the template to be included.`,
      token,
    );
  }
  const rest = bits.slice(2);
  let values: Map<string, FilterExpression> = new Map();
  let only = false;
  const seen = new Set<string>();
  while (rest.length) {
    const option = rest.shift()!;
    if (seen.has(option)) {
      throw parser.error(`The '${option}' option was specified more than once.`, token);
    }
    seen.add(option);
    if (option === "with") {
      values = tokenKwargs(rest, parser, token, false);
      if (!values.size) {
        throw parser.error(`"with" in 'include' tag needs at least one keyword argument.`, token);
      }
    } else if (option === "only") only = true;
    else throw parser.error(`Unknown argument for 'include' tag: '${option}'.`, token);
  }
  return new IncludeNode(parser.compileFilter(bits[1], token), values, only);
}

/** Registers extends, block and include. */
export function registerInheritanceTags(tags: TagRegistry): void {
  tags.set("extends", compileExtends);
  tags.set("block", compileBlock);
  tags.set("include", compileInclude);
}
