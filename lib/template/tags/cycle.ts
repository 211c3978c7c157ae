/**
 * `{% cycle a b c [as name [silent]] %}` and `{% resetcycle [name] %}`: values taken in turn, per
 * render.
 * @module
 */
import type { CodeWriter } from "../compiler/writer.ts";
import type { Context } from "../context.ts";
import type { FilterExpression } from "../expression.ts";
import { Node, renderValue } from "../nodes.ts";
import type { Parser, TagToken } from "../parser.ts";
import type { TagRegistry } from "./registry.ts";

/** `{% cycle a b c [as name [silent]] %}`. */
export class CycleNode extends Node {
  constructor(
    readonly values: readonly FilterExpression[],
    readonly variableName: string | null,
    readonly silent: boolean,
  ) {
    super();
  }
  override get dependsOnRenderOrder(): boolean {
    return true;
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
    const [state, index] = [w.temp(), w.temp()];
    const self = w.constant(this);
    w.line(`${state} = ctx.renderState;`);
    w.line(`${index} = ${state}.get(${self}) ?? 0;`);
    w.line(`${state}.set(${self}, (${index} + 1) % ${this.values.length});`);
    w.line(`switch (${index}) {`);
    this.values.forEach((expression, i) => {
      w.line(`case ${i}: {`);
      w.printExpression(expression); // literal values print as template text
      w.line("break; }");
    });
    w.line("}");
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
  override get dependsOnRenderOrder(): boolean {
    return true;
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

/** Registers `cycle` and `resetcycle`. */
export function registerCycleTags(tags: TagRegistry): void {
  tags.set("cycle", compileCycle);
  tags.set("resetcycle", compileResetCycle);
}
