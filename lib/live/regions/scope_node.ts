/**
 * `{% with %}` and `{% include … with name=value %}` as the live compiler reads them: a loop of
 * exactly one item whose variables are the values (see expand.ts). The live loop machinery then
 * gives the body a scope of its own and regions of its own, patched in place like a row's; the
 * values are re-read when a signal they read changes, and the body's regions send ops only for
 * output that changed. Unlike a real loop it binds no `forloop`: the body sees the enclosing one.
 * @module
 */
import type { Context } from "../../template/context.ts";
import type { FilterExpression } from "../../template/expression.ts";
import { errorAt, type LiveRole, Node, type NodeList } from "../../template/nodes.ts";

/** A scope around `body` holding `values` (live compilation only; it renders as `source` does). */
export class ScopeNode extends Node {
  readonly loopVars: readonly string[];
  readonly #expressions: readonly FilterExpression[];

  constructor(
    values: ReadonlyMap<string, FilterExpression>,
    readonly body: NodeList,
    /** The tag this stands for: what renders it where it cannot have regions. */
    readonly source: Node,
  ) {
    super();
    this.loopVars = [...values.keys()];
    this.#expressions = [...values.values()];
    this.origin = source.origin;
    this.offset = source.offset;
  }

  override get children(): readonly NodeList[] {
    return [this.body, []];
  }

  override get liveRole(): LiveRole {
    return "loop";
  }

  /** One item: the value (one name), or the values in order (several). */
  items(ctx: Context): unknown[] {
    try {
      const values = this.#expressions.map((e) => e.resolve(ctx));
      return [values.length === 1 ? values[0] : values];
    } catch (err) {
      throw errorAt(this.source, err); // placed at the with or include tag
    }
  }

  /** Binds the names to an item of {@link items}. */
  bind(ctx: Context, item: unknown): void {
    const names = this.loopVars;
    if (names.length === 1) ctx.scope[names[0]] = item;
    else names.forEach((name, i) => ctx.scope[name] = (item as unknown[])[i]);
  }

  render(ctx: Context): string {
    return this.source.render(ctx);
  }
}
