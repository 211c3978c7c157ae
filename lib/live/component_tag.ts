/**
 * `{% live_component "name" id=… prop=value … %}`: renders a live component of the view (see
 * component.ts). In a live view each one is its own region (lib/live/regions/component.ts), so a
 * component's change patches only that component.
 * @module
 */
import type { Context } from "../template/context.ts";
import type { Engine } from "../template/engine.ts";
import { TemplateRenderError } from "../template/errors.ts";
import type { FilterExpression } from "../template/expression.ts";
import { type LiveRole, Node, renderNodes } from "../template/nodes.ts";
import type { Parser, TagToken } from "../template/parser.ts";
import { tokenKwargs } from "../template/tags/registry.ts";
import type { ComponentHolder, ComponentInstance } from "./component_host.ts";
import { hostOf } from "./component_host.ts";

/** The tag's name. */
export const LIVE_COMPONENT_TAG = "live_component";

/** Who holds instances rendered outside a component region (inside a region rendered whole). */
const HOLDERS = new WeakMap<Context, ComponentHolder>();

/**
 * Sets what holds the components a plain render in `ctx` shows from now on: the region being
 * rendered (it lets them go when it re-renders or goes away).
 */
export function setPlainHolder(ctx: Context, holder: ComponentHolder | null): void {
  if (holder) HOLDERS.set(ctx, holder);
  else HOLDERS.delete(ctx);
}

/** A holder that never goes away: what a render outside any region uses. */
const PAGE: ComponentHolder = { disposed: false };

/**
 * `{% live_component "card" id=item.id item=item %}`.
 *
 * @example
 * ```ts
 * import { LiveComponentNode } from "@djust/djust";
 * // Parsed from {% live_component "card" id=item.id title=item.title %}:
 * const isLiveComponent = (node: unknown) => node instanceof LiveComponentNode;
 * ```
 */
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
   * The instance this tag shows for `holder`: mounted or updated as needed; in a comparison render
   * (readonly) only found.
   */
  instance(ctx: Context, holder: ComponentHolder): ComponentInstance {
    const served = hostOf(ctx);
    if (!served) {
      throw new TemplateRenderError(
        `'${LIVE_COMPONENT_TAG}' renders only in a live view (list it in static components)`,
      );
    }
    const { id, props } = this.evaluate(ctx);
    if (served.readonly) {
      const found = served.host.find(this.type, id);
      if (!found) throw new TemplateRenderError(`live_component '${this.type}' ${id} is gone`);
      return found;
    }
    return served.host.instance(this.type, id, props, holder);
  }

  /** Renders the component whole, as plain HTML (inside a region rendered as one piece). */
  render(ctx: Context): string {
    const instance = this.instance(ctx, HOLDERS.get(ctx) ?? PAGE);
    const served = hostOf(ctx)!;
    const nodes = served.host.templateNodes(instance.cls);
    const autoescape = ctx.autoescape;
    const saved = ctx.isolate(instance.scope);
    ctx.autoescape = true;
    try {
      return renderNodes(nodes, ctx);
    } finally {
      ctx.restoreScopes(saved);
      ctx.autoescape = autoescape;
    }
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
