/**
 * `{% for a, b in seq [reversed] %}…{% empty %}…{% endfor %}` and the `forloop` variable (also
 * used by compiled templates and by the LiveView keyed-loop renderer).
 * @module
 */
import type { CodeWriter, LocalBinding } from "../compiler/writer.ts";
import type { Context } from "../context.ts";
import { TemplateRenderError } from "../errors.ts";
import type { FilterExpression } from "../expression.ts";
import { errorAt, type LiveRole, Node, type NodeList, renderNodes } from "../nodes.ts";
import type { Parser, TagToken } from "../parser.ts";
import { toIterableList } from "../values.ts";
import type { TagRegistry } from "./registry.ts";

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
  override get liveRole(): LiveRole {
    return "loop";
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

/** Registers `for`. */
export function registerForTag(tags: TagRegistry): void {
  tags.set("for", compileFor);
}
