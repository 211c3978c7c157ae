/**
 * Control-flow tags: if, for, with, ifchanged, ifequal/ifnotequal, cycle, resetcycle, firstof, regroup.
 * @module
 */
import type { CodeWriter, LocalBinding } from "../compiler/writer.ts";
import type { Context } from "../context.ts";
import { TemplateRenderError, VariableDoesNotExist } from "../errors.ts";
import type { FilterExpression } from "../expression.ts";
import { errorAt, Node, type NodeList, renderNodes, renderValue } from "../nodes.ts";
import type { Parser, TagToken } from "../parser.ts";
import { markSafe } from "../safe.ts";
import { pyEquals, toIterableList, truthy } from "../values.ts";
import { type Condition, parseCondition } from "./if_expression.ts";
import { type TagRegistry, tokenKwargs } from "./registry.ts";

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
// #region for

/** The `forloop` variable. */
export interface ForLoopInfo {
  counter: number;
  counter0: number;
  revcounter: number;
  revcounter0: number;
  first: boolean;
  last: boolean;
  parentloop: ForLoopInfo | Record<string, never>;
}

/** `{% for a, b in seq [reversed] %}...{% empty %}...{% endfor %}`. */
export class ForNode extends Node {
  constructor(
    readonly loopVars: readonly string[],
    readonly sequence: FilterExpression,
    readonly reversed: boolean,
    readonly body: NodeList,
    readonly empty: NodeList,
  ) {
    super();
  }
  override get children(): readonly NodeList[] {
    return [this.body, this.empty];
  }
  /** The list the loop iterates (after `reversed`), resolved in `ctx`. */
  items(ctx: Context): unknown[] {
    try {
      return loopItems(this.sequence.resolve(ctx, true), this.reversed);
    } catch (err) {
      throw errorAt(this, err); // the LiveView layer calls items() directly
    }
  }
  /** Sets the loop variables for `item` in the current scope. */
  bind(ctx: Context, item: unknown): void {
    const vars = this.loopVars;
    if (vars.length === 1) {
      ctx.scope[vars[0]] = item;
      return;
    }
    let parts: unknown[];
    try {
      parts = unpackLoopItem(item, vars.length);
    } catch (err) {
      throw errorAt(this, err); // the LiveView layer calls bind() directly
    }
    for (let i = 0; i < vars.length; i++) ctx.scope[vars[i]] = parts[i];
  }
  render(ctx: Context): string {
    const parent = ctx.get("forloop") as ForLoopInfo | undefined;
    ctx.push();
    try {
      const items = this.items(ctx);
      const n = items.length;
      if (n === 0) return renderNodes(this.empty, ctx);
      const loop = newLoop(parent);
      ctx.scope.forloop = loop;
      let out = "";
      for (let i = 0; i < n; i++) {
        setLoop(loop, i, n);
        this.bind(ctx, items[i]);
        out += renderNodes(this.body, ctx);
      }
      return out;
    } finally {
      ctx.pop();
    }
  }
  override emit(w: CodeWriter): void {
    // The interpreter's steps with the body inlined. Context mode keeps the loop variables in a
    // frame pushed for the whole loop, as render() does; local mode keeps them in JS locals.
    const [list, n, i, loop, parent] = [w.temp(), w.temp(), w.temp(), w.temp(), w.temp()];
    const local = w.localMode;
    const outer = local ? w.local("forloop")?.js : undefined;
    w.line(`${parent} = ${outer ?? w.contextValue("forloop")};`);
    if (!local) w.line("ctx.push(); try {");
    w.line(`${list} = LI(${w.value(this.sequence, true)}, ${this.reversed});`);
    w.line(`${n} = ${list}.length;`);
    w.line(`if (${n} === 0) {`);
    w.nodes(this.empty);
    w.line("} else {");
    w.line(`${loop} = NL(${parent});`);
    if (!local) w.line(`ctx.scope.forloop = ${loop};`);
    w.line(`for (${i} = 0; ${i} < ${n}; ${i}++) {`);
    w.line(`SL(${loop}, ${i}, ${n});`);
    const bindings = new Map<string, LocalBinding>([["forloop", { js: loop, loop: { i, n } }]]);
    this.#emitBind(w, `${list}[${i}]`, (name, js) => {
      if (!local) {
        w.line(`ctx.scope[${JSON.stringify(name)}] = ${js};`);
        return;
      }
      const t = w.temp();
      w.line(`${t} = ${js};`);
      bindings.set(name, { js: t });
    });
    if (local) w.withLocals(bindings, () => w.nodes(this.body));
    else w.nodes(this.body);
    w.line("}");
    w.line("}");
    if (!local) w.line("} finally { ctx.pop(); }");
  }
  /** Emits the binding of the loop variables to `item` (unpacking several), via `bind`. */
  #emitBind(w: CodeWriter, item: string, bind: (name: string, js: string) => void): void {
    const vars = this.loopVars;
    if (vars.length === 1) {
      bind(vars[0], item);
      return;
    }
    const parts = w.temp();
    w.at(this); // the previous item's body marked its own nodes
    w.line(`${parts} = UP(${item}, ${vars.length});`);
    for (let j = 0; j < vars.length; j++) bind(vars[j], `${parts}[${j}]`);
  }
}

/** The list a `{% for %}` iterates: `value` as a Python iterable (nothing for None), maybe reversed. */
export function loopItems(value: unknown, reversed: boolean): unknown[] {
  const list = value === null || value === undefined ? [] : toIterableList(value) ?? [];
  return reversed ? [...list].reverse() : list;
}

/** Splits a loop item for `{% for a, b in ... %}` into `count` values, as Python unpacks. */
export function unpackLoopItem(item: unknown, count: number): unknown[] {
  const parts = toIterableList(item) ?? [item];
  if (parts.length !== count) {
    throw new TemplateRenderError(
      `Need ${count} values to unpack in for loop; got ${parts.length}. `,
      {
        python: "ValueError",
      },
    );
  }
  return parts;
}

/** A fresh `forloop` object (also used by the LiveView keyed-loop renderer). */
export function newLoop(parent: ForLoopInfo | undefined): ForLoopInfo {
  return {
    counter: 1,
    counter0: 0,
    revcounter: 0,
    revcounter0: 0,
    first: true,
    last: false,
    parentloop: parent ?? {},
  };
}

/** Updates `loop` for item `i` of `n`. */
export function setLoop(loop: ForLoopInfo, i: number, n: number): void {
  loop.counter0 = i;
  loop.counter = i + 1;
  loop.revcounter = n - i;
  loop.revcounter0 = n - i - 1;
  loop.first = i === 0;
  loop.last = i === n - 1;
}

const BAD_LOOPVAR = /[ "'|]/;

function compileFor(parser: Parser, token: TagToken): Node {
  const bits = token.splitContents();
  if (bits.length < 4) {
    throw parser.error(
      `'for' statements should have at least four words: ${token.contents}`,
      token,
    );
  }
  const reversed = bits[bits.length - 1] === "reversed";
  const inIndex = bits.length + (reversed ? -3 : -2);
  if (bits[inIndex] !== "in") {
    throw parser.error(
      `'for' statements should use the format 'for x in y': ${token.contents}`,
      token,
    );
  }
  const loopVars = bits.slice(1, inIndex).join(" ").split(/ *, */);
  for (const v of loopVars) {
    if (!v || BAD_LOOPVAR.test(v)) {
      throw parser.error(`'for' tag received an invalid argument: ${token.contents}`, token);
    }
  }
  const sequence = parser.compileFilter(bits[inIndex + 1], token);
  const body = parser.parse(["empty", "endfor"]);
  let empty: NodeList = [];
  if (parser.nextToken().name === "empty") {
    empty = parser.parse(["endfor"]);
    parser.nextToken();
  }
  return new ForNode(loopVars, sequence, reversed, body, empty);
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
  render(ctx: Context): string {
    const equal = pyEquals(this.left.resolve(ctx, true), this.right.resolve(ctx, true));
    return renderNodes(equal !== this.negate ? this.body : this.otherwise, ctx);
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
// #region cycle / resetcycle

/** `{% cycle a b c [as name [silent]] %}`. */
export class CycleNode extends Node {
  constructor(
    readonly values: readonly FilterExpression[],
    readonly variableName: string | null,
    readonly silent: boolean,
  ) {
    super();
  }
  render(ctx: Context): string {
    const state = ctx.renderState;
    const index = (state.get(this) as number | undefined) ?? 0;
    state.set(this, (index + 1) % this.values.length);
    const value = this.values[index].resolve(ctx);
    if (this.variableName !== null) ctx.setUpward(this.variableName, value);
    return this.silent ? "" : renderValue(value, ctx);
  }
  override emit(w: CodeWriter): void {
    if (this.variableName !== null) {
      w.opaque(this); // `as name` writes the context
      return;
    }
    const [state, index, value] = [w.temp(), w.temp(), w.temp()];
    const self = w.constant(this);
    w.line(`${state} = ctx.renderState;`);
    w.line(`${index} = ${state}.get(${self}) ?? 0;`);
    w.line(`${state}.set(${self}, (${index} + 1) % ${this.values.length});`);
    w.line(`switch (${index}) {`);
    this.values.forEach((expression, i) => {
      w.line(`case ${i}: {`);
      w.line(`${value} = ${w.value(expression)};`);
      w.line("break; }");
    });
    w.line("}");
    w.print(value);
  }
}

const NAMED_CYCLES = "cycle:named";
const LAST_CYCLE = "cycle:last";

function compileCycle(parser: Parser, token: TagToken): Node {
  let bits = token.splitContents();
  if (bits.length < 2) throw parser.error("'cycle' tag requires at least two arguments", token);
  const named = (parser.state.get(NAMED_CYCLES) ?? new Map()) as Map<string, CycleNode>;
  parser.state.set(NAMED_CYCLES, named);
  if (bits.length === 2) {
    const node = named.get(bits[1]);
    if (!named.size) {
      throw parser.error(`No named cycles in template. '${bits[1]}' is not defined`, token);
    }
    if (!node) throw parser.error(`Named cycle '${bits[1]}' does not exist`, token);
    return node;
  }
  let asForm = false, silent = false;
  if (bits.length > 4) {
    if (bits[bits.length - 3] === "as") {
      if (bits[bits.length - 1] !== "silent") {
        throw parser.error(
          `Only 'silent' flag is allowed after cycle's name, not '${bits[bits.length - 1]}'.`,
          token,
        );
      }
      asForm = silent = true;
      bits = bits.slice(0, -1);
    } else if (bits[bits.length - 2] === "as") asForm = true;
  }
  let node: CycleNode;
  if (asForm) {
    const name = bits[bits.length - 1];
    node = new CycleNode(
      bits.slice(1, -2).map((b) => parser.compileFilter(b, token)),
      name,
      silent,
    );
    named.set(name, node);
  } else {
    node = new CycleNode(bits.slice(1).map((b) => parser.compileFilter(b, token)), null, false);
  }
  parser.state.set(LAST_CYCLE, node);
  return node;
}

/** `{% resetcycle [name] %}`. */
export class ResetCycleNode extends Node {
  constructor(readonly cycle: CycleNode) {
    super();
  }
  render(ctx: Context): string {
    ctx.renderState.delete(this.cycle);
    return "";
  }
  override emit(w: CodeWriter): void {
    w.line(`ctx.renderState.delete(${w.constant(this.cycle)});`);
  }
}

function compileResetCycle(parser: Parser, token: TagToken): Node {
  const bits = token.splitContents();
  if (bits.length > 2) throw parser.error(`${bits[0]} tag accepts at most one argument.`, token);
  if (bits.length === 2) {
    const named = parser.state.get(NAMED_CYCLES) as Map<string, CycleNode> | undefined;
    const node = named?.get(bits[1]);
    if (!node) throw parser.error(`Named cycle '${bits[1]}' does not exist.`, token);
    return new ResetCycleNode(node);
  }
  const last = parser.state.get(LAST_CYCLE) as CycleNode | undefined;
  if (!last) throw parser.error("No cycles in template.", token);
  return new ResetCycleNode(last);
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
  tags.set("for", compileFor);
  tags.set("with", compileWith);
  tags.set("ifchanged", compileIfChanged);
  tags.set("ifequal", compileIfEqual(false));
  tags.set("ifnotequal", compileIfEqual(true));
  tags.set("cycle", compileCycle);
  tags.set("resetcycle", compileResetCycle);
  tags.set("firstof", compileFirstOf);
  tags.set("regroup", compileRegroup);
}
