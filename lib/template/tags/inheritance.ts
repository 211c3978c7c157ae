/**
 * Template composition: extends, block (with `{{ block.super }}`) and include.
 * @module
 */
import type { CodeWriter } from "../compiler/writer.ts";
import type { Context, Scope } from "../context.ts";
import { TemplateDoesNotExist, TemplateRenderError, TemplateSyntaxError } from "../errors.ts";
import type { FilterExpression } from "../expression.ts";
import { Node, type NodeList, renderNodes } from "../nodes.ts";
import type { Parser, TagToken } from "../parser.ts";
import { relativeTemplateName } from "../loader.ts";
import { markSafe, SafeString } from "../safe.ts";
import { isDict, pyRepr, pyStr, pyTypeName, toIterableList, truthy } from "../values.ts";
import { type LoadedTemplate, type TagRegistry, tokenKwargs } from "./registry.ts";

/** Render-state key of the block stacks used while rendering an inheritance chain. */
const BLOCK_CONTEXT = Symbol("blockContext");
/** Render-state key of the paths of the templates in the chain being rendered (Django's history). */
const EXTENDS_HISTORY = Symbol("extendsHistory");

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
    if (!blocks) {
      // Django: a block outside any {% extends %} chain has no parent to render.
      throw new TemplateSyntaxError(
        "'BlockNode' object has no attribute 'context'. Did you use {{ block.super }} in a base template?",
      );
    }
    const stack = blocks.get(this.name);
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
    const parent = this.#parent(ctx);
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

  /** Django's `get_parent`: the parent template, skipping the templates already in the chain. */
  #parent(ctx: Context): LoadedTemplate {
    const value = this.parent.resolve(ctx);
    if (!truthy(value)) {
      const fromVariable = this.parent.filters.length || this.parent.variable.lookups !== null;
      throw new TemplateSyntaxError(
        `Invalid template name in 'extends' tag: ${pyRepr(value)}.` +
          (fromVariable ? ` Got this from the '${this.parent.source}' variable.` : ""),
      );
    }
    if (isTemplate(value)) return value;
    const templates = engineOf(ctx, "extends");
    let history = ctx.renderState.get(EXTENDS_HISTORY) as Set<string> | undefined;
    if (!history) {
      history = new Set(this.origin ? [this.origin.path] : []);
      ctx.renderState.set(EXTENDS_HISTORY, history);
    }
    const name = templateNameOf(value);
    const parent = templates.findTemplate(name, history);
    history.add(parent.path);
    return parent;
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

function isTemplate(value: unknown): value is LoadedTemplate {
  return typeof value === "object" && value !== null && "nodes" in value && "render" in value;
}

function engineOf(ctx: Context, tag: string): NonNullable<Context["templates"]> {
  if (!ctx.templates) throw new TemplateRenderError(`'${tag}' needs an engine to load templates`);
  return ctx.templates;
}

/**
 * A template name as Django's loaders take it: a string; other values are found nowhere
 * (TemplateDoesNotExist), and lists and dicts cannot even be looked up (Python's TypeError).
 */
function templateNameOf(value: unknown): string {
  if (typeof value === "string") return value;
  if (value instanceof SafeString) return value.value;
  if (Array.isArray(value) || isDict(value) || value instanceof Set) {
    throw new TemplateRenderError(`unhashable type: '${pyTypeName(value)}'`, {
      python: "TypeError",
    });
  }
  throw new TemplateDoesNotExist(pyRepr(value));
}

/** A `./` or `../` name in a tag's argument, resolved against the template being parsed. */
function relativeArgument(parser: Parser, bit: string): string {
  // Django strips every quote from both ends, and puts quotes back when there were some.
  const name = bit.replace(/^['"]+|['"]+$/g, "");
  if (!name.startsWith("./") && !name.startsWith("../")) return bit;
  const quoted = /^"[\s\S]*"$|^'[\s\S]*'$/.test(bit);
  const resolved = relativeTemplateName(parser.options.templateName, name);
  return quoted ? JSON.stringify(resolved) : resolved;
}

function compileExtends(parser: Parser, token: TagToken): Node {
  const bits = token.splitContents();
  if (bits.length !== 2) throw parser.error(`'extends' takes one argument`, token);
  const parent = parser.compileFilter(relativeArgument(parser, bits[1]), token);
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
  /** Renders the included template with `frame` (from `newFrame`, filled) pushed on the context. */
  renderInScope(ctx: Context, templateRef: unknown, frame: Scope): string {
    const template = this.#template(ctx, templateRef);
    ctx.pushFrame(frame);
    try {
      return template.render(ctx);
    } finally {
      ctx.pop();
    }
  }
  /**
   * Renders the included template (`templateRef`: a name, a list of names or a Template) with
   * `values` pushed on the context, or as the only variables with `only`.
   */
  renderWith(ctx: Context, templateRef: unknown, values: Record<string, unknown>): string {
    const template = this.#template(ctx, templateRef);
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

  /** Django's IncludeNode: a Template as is, else the first existing of the name(s). */
  #template(ctx: Context, value: unknown): LoadedTemplate {
    if (isTemplate(value)) return value;
    const templates = engineOf(ctx, "include");
    // The usual case, one plain name (a quoted name is a SafeString): no list to build, as this
    // runs for every include rendered.
    const name = value instanceof SafeString ? value.value : value;
    if (typeof name === "string" && name !== "" && name[0] !== ".") {
      return templates.getTemplate(name);
    }
    let names: unknown[];
    if (!truthy(value)) names = [];
    else if (typeof value === "string" || value instanceof SafeString) {
      names = [relativeTemplateName(this.origin?.name ?? "<string>", pyStr(value))];
    } else {
      const list = toIterableList(value);
      if (!list) {
        throw new TemplateRenderError(`'${pyTypeName(value)}' object is not iterable`, {
          python: "TypeError",
        });
      }
      names = list;
    }
    // Django's select_template: the first name that exists; one that is not a string exists nowhere.
    if (names.every((n) => typeof n === "string")) {
      return templates.selectTemplate(names as string[]);
    }
    const missing: string[] = [];
    for (const name of names) {
      try {
        return templates.getTemplate(templateNameOf(name));
      } catch (err) {
        if (!(err instanceof TemplateDoesNotExist)) throw err;
        missing.push(pyStr(name));
      }
    }
    throw new TemplateDoesNotExist(missing.join(", "));
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
  return new IncludeNode(
    parser.compileFilter(relativeArgument(parser, bits[1]), token),
    values,
    only,
  );
}

/** Registers extends, block and include. */
export function registerInheritanceTags(tags: TagRegistry): void {
  tags.set("extends", compileExtends);
  tags.set("block", compileBlock);
  tags.set("include", compileInclude);
}
