/**
 * Control-flow tags: if, with, ifchanged, ifequal/ifnotequal, firstof, regroup; `for` and
 * `cycle`/`resetcycle` have their own modules, registered and re-exported here.
 * @module
 */
import type { CodeWriter } from "../compiler/writer.ts";
import type { Context } from "../context.ts";
import { VariableDoesNotExist } from "../errors.ts";
import type { FilterExpression } from "../expression.ts";
import { errorAt, type LiveRole, Node, type NodeList, renderNodes, renderValue } from "../nodes.ts";
import type { Parser, TagToken } from "../parser.ts";
import { markSafe } from "../safe.ts";
import { pyEquals, toIterableList, truthy } from "../values.ts";
import { type Condition, parseCondition } from "./if_expression.ts";
import { registerCycleTags } from "./cycle.ts";
import { registerForTag } from "./for_loop.ts";
import { type TagRegistry, tokenKwargs } from "./registry.ts";

export { CycleNode, ResetCycleNode } from "./cycle.ts";
export {
  type ForLoopInfo,
  ForNode,
  loopItems,
  newLoop,
  setLoop,
  unpackLoopItem,
} from "./for_loop.ts";

// #region if

/** One `{% if %}`/`{% elif %}`/`{% else %}` branch; `condition` is null for else. */
export interface IfBranch {
  readonly condition: Condition | null;
  readonly nodes: NodeList;
}

/** `{% if %}...{% elif %}...{% else %}...{% endif %}`. */
export class IfNode extends Node {
  constructor(readonly branches: readonly IfBranch[]) {
    super();
  }
  override get children(): readonly NodeList[] {
    return this.branches.map((b) => b.nodes);
  }
  override get liveRole(): LiveRole {
    return "branches";
  }
  /** Index of the branch that renders, or -1. */
  choose(ctx: Context): number {
    const branches = this.branches;
    try {
      for (let i = 0; i < branches.length; i++) {
        const c = branches[i].condition;
        if (c === null || truthy(evaluateCondition(c, ctx))) return i;
      }
    } catch (err) {
      throw errorAt(this, err); // the LiveView layer calls choose() directly
    }
    return -1;
  }
  render(ctx: Context): string {
    const i = this.choose(ctx);
    return i === -1 ? "" : renderNodes(this.branches[i].nodes, ctx);
  }
  override emit(w: CodeWriter): void {
    // if (c1) {...} else { if (c2) {...} else {...} }: each condition is evaluated only when reached.
    let open = 0;
    for (const branch of this.branches) {
      if (branch.condition === null) {
        w.nodes(branch.nodes);
        break;
      }
      const c = emitCondition(branch.condition, w);
      w.line(`if (${w.truthy(c)}) {`);
      w.nodes(branch.nodes);
      w.line("} else {");
      open++;
    }
    for (let i = 0; i < open; i++) w.line("}");
  }
}

/** Django: a condition that raises VariableDoesNotExist (a filter argument) is false. */
function evaluateCondition(condition: Condition, ctx: Context): unknown {
  try {
    return condition.evaluate(ctx);
  } catch (err) {
    if (err instanceof VariableDoesNotExist) return null;
    throw err;
  }
}

/** Emits {@link evaluateCondition}; only conditions with filters can raise, so only they get a try. */
function emitCondition(condition: Condition, w: CodeWriter): string {
  if (!condition.hasFilters) return condition.emit(w);
  const result = w.temp();
  w.line("try {");
  w.line(`${result} = ${condition.emit(w)};`);
  w.line(`} catch (e) { if (!(e instanceof VD)) throw e; ${result} = null; }`);
  return result;
}

function compileIf(parser: Parser, token: TagToken): Node {
  const branches: IfBranch[] = [];
  let current: TagToken = token;
  for (;;) {
    const words = current.splitContents().slice(1);
    let condition: Condition | null = null;
    if (current.name !== "else") {
      if (!words.length) {
        throw parser.error(`'${current.name}' statement requires a condition`, current);
      }
      try {
        condition = parseCondition(words, (w) => parser.compileFilter(w, current));
      } catch (err) {
        if (
          err instanceof Error && err.name === "TemplateSyntaxError" && !("line" in err && err.line)
        ) {
          throw parser.error((err as Error & { reason: string }).reason, current);
        }
        throw err;
      }
    }
    const nodes = parser.parse(current.name === "else" ? ["endif"] : ["elif", "else", "endif"]);
    branches.push({ condition, nodes });
    current = parser.nextToken();
    // Django compares whole contents: `{% else if x %}` or `{% endif x %}` is malformed.
    if (current.name !== "elif" && current.contents !== "else" && current.contents !== "endif") {
      throw parser.error(
        `Malformed template tag at line ${current.line}: "${current.contents}"`,
        current,
      );
    }
    if (current.name === "endif") break;
  }
  return new IfNode(branches);
}

// #endregion
// #region with

/** `{% with a=x b=y %}...{% endwith %}`. */
export class WithNode extends Node {
  constructor(readonly values: ReadonlyMap<string, FilterExpression>, readonly body: NodeList) {
    super();
  }
  override get children(): readonly NodeList[] {
    return [this.body];
  }
  render(ctx: Context): string {
    const scope: Record<string, unknown> = {};
    for (const [k, v] of this.values) scope[k] = v.resolve(ctx);
    ctx.push(scope);
    try {
      return renderNodes(this.body, ctx);
    } finally {
      ctx.pop();
    }
  }
  override emit(w: CodeWriter): void {
    const values: [string, string][] = [];
    for (const [name, expression] of this.values) values.push([name, w.value(expression)]);
    if (w.localMode) {
      w.withLocals(new Map(values.map(([name, js]) => [name, { js }])), () => w.nodes(this.body));
      return;
    }
    w.line("ctx.push();");
    for (const [name, js] of values) w.line(`ctx.scope[${JSON.stringify(name)}] = ${js};`);
    w.line("try {");
    w.nodes(this.body);
    w.line("} finally { ctx.pop(); }");
  }
}

function compileWith(parser: Parser, token: TagToken): Node {
  const bits = token.splitContents().slice(1);
  const values = tokenKwargs(bits, parser, token, true);
  if (!values.size) throw parser.error(`'with' expected at least one variable assignment`, token);
  if (bits.length) throw parser.error(`'with' received an invalid token: '${bits[0]}'`, token);
  const body = parser.parse(["endwith"]);
  parser.nextToken();
  return new WithNode(values, body);
}

// #endregion
// #region ifchanged

const IFCHANGED_STATE = Symbol("ifchanged");

/** `{% ifchanged [vars] %}...{% else %}...{% endifchanged %}`. */
export class IfChangedNode extends Node {
  constructor(
    readonly watched: readonly FilterExpression[],
    readonly body: NodeList,
    readonly otherwise: NodeList,
  ) {
    super();
  }
  override get children(): readonly NodeList[] {
    return [this.body, this.otherwise];
  }
  override get dependsOnRenderOrder(): boolean {
    return true;
  }
  render(ctx: Context): string {
    // State lives on the enclosing forloop (so it resets with each run of the loop), else per render.
    const loop = ctx.get("forloop") as Record<symbol, Map<Node, unknown>> | undefined;
    let state: Map<unknown, unknown>;
    if (loop && typeof loop === "object") state = loop[IFCHANGED_STATE] ??= new Map();
    else state = ctx.renderState;
    let output: string | null = null;
    let compareTo: unknown;
    if (this.watched.length) compareTo = this.watched.map((w) => w.resolve(ctx, true));
    else compareTo = output = renderNodes(this.body, ctx);
    const seen = state.has(this);
    if (!seen || !pyEquals(compareTo, state.get(this))) {
      state.set(this, compareTo);
      return output ?? renderNodes(this.body, ctx);
    }
    return renderNodes(this.otherwise, ctx);
  }
  override emit(w: CodeWriter): void {
    w.withContext(this);
  }
}

function compileIfChanged(parser: Parser, token: TagToken): Node {
  const bits = token.splitContents().slice(1);
  const body = parser.parse(["else", "endifchanged"]);
  let otherwise: NodeList = [];
  if (parser.nextToken().name === "else") {
    otherwise = parser.parse(["endifchanged"]);
    parser.nextToken();
  }
  return new IfChangedNode(bits.map((b) => parser.compileFilter(b, token)), body, otherwise);
}

// #endregion
// #region ifequal / ifnotequal

/** `{% ifequal a b %}` / `{% ifnotequal a b %}` (deprecated in Django, still supported in 3.2). */
export class IfEqualNode extends Node {
  constructor(
    readonly left: FilterExpression,
    readonly right: FilterExpression,
    readonly negate: boolean,
    readonly body: NodeList,
    readonly otherwise: NodeList,
  ) {
    super();
  }
  override get children(): readonly NodeList[] {
    return [this.body, this.otherwise];
  }
  override get liveRole(): LiveRole {
    return "branches";
  }
  /** 0 (the body) when the comparison holds, else 1 (the `else` part). */
  choose(ctx: Context): number {
    try {
      const equal = pyEquals(this.left.resolve(ctx, true), this.right.resolve(ctx, true));
      return equal !== this.negate ? 0 : 1;
    } catch (err) {
      throw errorAt(this, err); // the LiveView layer calls choose() directly
    }
  }
  render(ctx: Context): string {
    return renderNodes(this.choose(ctx) === 0 ? this.body : this.otherwise, ctx);
  }
  override emit(w: CodeWriter): void {
    w.withContext(this);
  }
}

function compileIfEqual(negate: boolean) {
  return (parser: Parser, token: TagToken): Node => {
    const bits = token.splitContents();
    const name = bits[0];
    if (bits.length !== 3) throw parser.error(`${name} takes two arguments`, token);
    const end = "end" + name;
    const body = parser.parse(["else", end]);
    let otherwise: NodeList = [];
    if (parser.nextToken().name === "else") {
      otherwise = parser.parse([end]);
      parser.nextToken();
    }
    return new IfEqualNode(
      parser.compileFilter(bits[1], token),
      parser.compileFilter(bits[2], token),
      negate,
      body,
      otherwise,
    );
  };
}

// #endregion
// #region firstof

/** `{% firstof a b "fallback" [as var] %}`. */
export class FirstOfNode extends Node {
  constructor(readonly values: readonly FilterExpression[], readonly target: string | null) {
    super();
  }
  render(ctx: Context): string {
    let first = "";
    for (const v of this.values) {
      const value = v.resolve(ctx, true);
      if (truthy(value)) {
        first = renderValue(value, ctx);
        break;
      }
    }
    if (this.target !== null) {
      // Django 3.2 stores the rendered (so already escaped) text: safe when autoescape is on.
      ctx.set(this.target, ctx.autoescape ? markSafe(first) : first);
      return "";
    }
    return first;
  }
  override emit(w: CodeWriter): void {
    if (this.target !== null) w.opaque(this);
    else w.withContext(this);
  }
}

function compileFirstOf(parser: Parser, token: TagToken): Node {
  const bits = token.splitContents().slice(1);
  let target: string | null = null;
  if (bits.length >= 2 && bits[bits.length - 2] === "as") {
    target = bits[bits.length - 1];
    bits.length -= 2;
  }
  if (!bits.length) throw parser.error("'firstof' statement requires at least one argument", token);
  return new FirstOfNode(bits.map((b) => parser.compileFilter(b, token)), target);
}

// #endregion
// #region regroup

/** One group made by `{% regroup %}`: `grouper` and `list`, also unpackable as a pair. */
export class GroupedResult {
  constructor(readonly grouper: unknown, readonly list: unknown[]) {}
  *[Symbol.iterator](): Iterator<unknown> {
    yield this.grouper;
    yield this.list;
  }
}

/** `{% regroup list by key as groups %}`. */
export class RegroupNode extends Node {
  constructor(
    readonly target: FilterExpression,
    readonly key: FilterExpression,
    readonly name: string,
  ) {
    super();
  }
  render(ctx: Context): string {
    const source = this.target.resolve(ctx, true);
    const items = source === null ? [] : toIterableList(source) ?? [];
    const groups: GroupedResult[] = [];
    for (const item of items) {
      // The key expression is `name.key`, so it is resolved with `name` bound to the item.
      ctx.set(this.name, item);
      const key = this.key.resolve(ctx, true);
      const last = groups[groups.length - 1];
      if (last && pyEquals(last.grouper, key)) last.list.push(item);
      else groups.push(new GroupedResult(key, [item]));
    }
    ctx.set(this.name, groups);
    return "";
  }
}

function compileRegroup(parser: Parser, token: TagToken): Node {
  const bits = token.splitContents();
  if (bits.length !== 6) throw parser.error("'regroup' tag takes five arguments", token);
  if (bits[2] !== "by") {
    throw parser.error("second argument to 'regroup' tag must be 'by'", token);
  }
  if (bits[4] !== "as") {
    throw parser.error("next-to-last argument to 'regroup' tag must be 'as'", token);
  }
  return new RegroupNode(
    parser.compileFilter(bits[1], token),
    parser.compileFilter(bits[5] + "." + bits[3], token),
    bits[5],
  );
}

// #endregion

/** Registers the control-flow tags. */
export function registerControlTags(tags: TagRegistry): void {
  tags.set("if", compileIf);
  registerForTag(tags);
  tags.set("with", compileWith);
  tags.set("ifchanged", compileIfChanged);
  tags.set("ifequal", compileIfEqual(false));
  tags.set("ifnotequal", compileIfEqual(true));
  registerCycleTags(tags);
  tags.set("firstof", compileFirstOf);
  tags.set("regroup", compileRegroup);
}
