/**
 * `{% live_component "name" id=… prop=value … %}`: renders a live component of the view (see
 * component.ts). Each one is its own region (lib/live/regions/component.ts), so a component's change
 * patches only that component.
 * @module
 */
import type { Context } from "../template/context.ts";
import type { Engine } from "../template/engine.ts";
import { TemplateRenderError } from "../template/errors.ts";
import type { FilterExpression } from "../template/expression.ts";
import { type LiveRole, Node } from "../template/nodes.ts";
import type { Parser, TagToken } from "../template/parser.ts";
import { tokenKwargs } from "../template/tags/registry.ts";

/** The tag's name. */
export const LIVE_COMPONENT_TAG = "live_component";

/** `{% live_component "card" id=item.id item=item %}`. */
export class LiveComponentNode extends Node {
  /** Builds the node for component `type` with its `id` and other props. */
  constructor(
    readonly type: string,
    readonly id: FilterExpression,
    readonly props: ReadonlyMap<string, FilterExpression>,
  ) {
    super();
  }

  /** Live views give it a region of its own. */
  override get liveRole(): LiveRole {
    return "component";
  }

  /** Its id and props, evaluated in the view's context. */
  evaluate(ctx: Context): { id: unknown; props: Record<string, unknown> } {
    const props: Record<string, unknown> = {};
    for (const [name, expression] of this.props) props[name] = expression.resolve(ctx);
    return { id: this.id.resolve(ctx), props };
  }

  /**
   * Outside a region of its own the tag cannot render: the enclosing part is re-rendered whole
   * (rows directly inside `<table>`, content the parser would move), and a component must be
   * patched on its own.
   */
  render(_ctx: Context): string {
    throw new TemplateRenderError(
      `'${LIVE_COMPONENT_TAG}' "${this.type}" is inside a part of the template that is re-rendered ` +
        `whole (such as rows directly inside <table>: add <tbody>, or an attribute); put it where ` +
        `it can be its own region`,
    );
  }
}

function compileLiveComponent(parser: Parser, token: TagToken): Node {
  const bits = token.splitContents();
  const match = bits[1] === undefined ? null : /^(["'])([\w.-]+)\1$/.exec(bits[1]);
  if (!match) {
    throw parser.error(
      `'${LIVE_COMPONENT_TAG}' takes the component's name (quoted) as its first argument`,
      token,
    );
  }
  const rest = bits.slice(2);
  const kwargs = tokenKwargs(rest, parser, token, false);
  if (rest.length) {
    throw parser.error(
      `'${LIVE_COMPONENT_TAG}' props are written name=value; cannot read '${rest[0]}'`,
      token,
    );
  }
  const id = kwargs.get("id");
  if (!id) throw parser.error(`'${LIVE_COMPONENT_TAG}' needs an id (id=…)`, token);
  kwargs.delete("id");
  return new LiveComponentNode(match[2], id, kwargs);
}

/** Registers `{% live_component %}` on `engine` (the App does this for its engine). */
export function registerLiveComponentTag(engine: Engine): void {
  engine.tags.set(LIVE_COMPONENT_TAG, compileLiveComponent);
}
