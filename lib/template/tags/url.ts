/**
 * `{% url "name" arg1 key=value [as var] %}`: reversed by the host's `reverse` hook; what cannot be
 * reversed is a NoReverseMatch.
 * @module
 */
import type { CodeWriter } from "../compiler/writer.ts";
import type { Context } from "../context.ts";
import { NoReverseMatch, TemplateError } from "../errors.ts";
import type { FilterExpression } from "../expression.ts";
import { Node, renderValue } from "../nodes.ts";
import type { Parser, TagToken } from "../parser.ts";
import { pyStr } from "../values.ts";

/** `{% url "name" arg1 key=value [as var] %}`: reversed by the host's `reverse` hook. */
export class UrlNode extends Node {
  override emit(w: CodeWriter): void {
    // Setting a variable writes the context: the whole function then runs in context mode.
    if (this.target !== null) w.opaque(this);
    else w.withContext(this);
  }
  constructor(
    readonly name: FilterExpression,
    readonly args: readonly FilterExpression[],
    readonly kwargs: ReadonlyMap<string, FilterExpression>,
    readonly target: string | null,
  ) {
    super();
  }
  render(ctx: Context): string {
    const name = pyStr(this.name.resolve(ctx));
    const args = this.args.map((a) => a.resolve(ctx));
    const kwargs: Record<string, unknown> = {};
    for (const [k, v] of this.kwargs) kwargs[k] = v.resolve(ctx);
    let url = "";
    try {
      url = reverseUrl(ctx, name, args, kwargs);
    } catch (err) {
      // Django: `{% url … as var %}` leaves var empty instead of raising.
      if (this.target === null || !(err instanceof NoReverseMatch)) throw err;
    }
    if (this.target !== null) {
      ctx.set(this.target, url);
      return "";
    }
    return renderValue(url, ctx);
  }
}

/** Reverses through the host's hook; what it throws becomes a NoReverseMatch (cause kept). */
function reverseUrl(
  ctx: Context,
  name: string,
  args: unknown[],
  kwargs: Record<string, unknown>,
): string {
  const reverse = ctx.hooks.reverse;
  if (!reverse) {
    throw new NoReverseMatch(
      `Reverse for '${name}' not found: no URL resolver is configured (the engine's 'reverse' hook).`,
    );
  }
  try {
    return reverse(name, args, kwargs);
  } catch (err) {
    if (err instanceof TemplateError) throw err;
    const message = err instanceof Error
      ? err.message.replace(/^NoReverseMatch:\s*/, "")
      : String(err);
    throw new NoReverseMatch(message, { cause: err });
  }
}

export function compileUrl(parser: Parser, token: TagToken): Node {
  const bits = token.splitContents();
  if (bits.length < 2) {
    throw parser.error("'url' takes at least one argument, a URL pattern name.", token);
  }
  const name = parser.compileFilter(bits[1], token);
  let rest = bits.slice(2);
  let target: string | null = null;
  if (rest.length >= 2 && rest[rest.length - 2] === "as") {
    target = rest[rest.length - 1];
    rest = rest.slice(0, -2);
  }
  const args: FilterExpression[] = [];
  const kwargs = new Map<string, FilterExpression>();
  for (const bit of rest) {
    const m = /^(\w+)=(.+)$/s.exec(bit);
    if (m) kwargs.set(m[1], parser.compileFilter(m[2], token));
    else args.push(parser.compileFilter(bit, token));
  }
  return new UrlNode(name, args, kwargs, target);
}
