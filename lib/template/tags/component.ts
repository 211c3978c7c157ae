/**
 * Template components: `{% component "button" variant="primary" %}Save{% endcomponent %}` renders
 * the component's template with its attributes as the only variables, and the tag's body as slots
 * the template places with `{% render_slot %}` (the default slot) or `{% render_slot "footer" %}`
 * (a body part written `{% slot "footer" %}…{% endslot %}`).
 *
 * Slot content belongs to the caller: it renders with the caller's variables, wherever the
 * component's template puts it. A component's template is found through the engine's
 * `components` map (name → template name), else as `components/<name>.html`.
 * @module
 */
import type { Context, SavedScopes } from "../context.ts";
import { TemplateRenderError } from "../errors.ts";
import type { FilterExpression } from "../expression.ts";
import { type LiveRole, Node, type NodeList, renderNodes } from "../nodes.ts";
import type { Parser, TagToken } from "../parser.ts";
import { type LoadedTemplate, type TagRegistry, tokenKwargs } from "./registry.ts";

/** Name of the slot a component's body fills when no `{% slot %}` names one. */
export const DEFAULT_SLOT = "default";

/**
 * Where a component's template is, by component name, when it is not in the engine's map.
 *
 * @example
 * ```ts
 * import { conventionalTemplateName } from "@djust/djust/template";
 * conventionalTemplateName("button"); // "components/button.html"
 * ```
 */
export function conventionalTemplateName(component: string): string {
  return `components/${component}.html`;
}

/** Finds component templates: the engine (`engine.components` and its loaders). */
export interface ComponentSource {
  /** Template names of registered components, by component name. */
  readonly components: ReadonlyMap<string, string>;
  /** Returns the compiled template named `name`; throws TemplateDoesNotExist. */
  getTemplate(name: string): LoadedTemplate;
}

/** A component being rendered: its slots and the caller's scopes, which the slots render in. */
interface ComponentFrame {
  readonly node: ComponentNode;
  readonly callerScopes: SavedScopes;
  readonly callerAutoescape: boolean;
}

/**
 * The components being rendered in a context, innermost last. Kept beside the context, not in its
 * per-render state, which each template render (the component's own) starts afresh.
 */
const FRAMES = new WeakMap<Context, ComponentFrame[]>();

function framesOf(ctx: Context): ComponentFrame[] {
  let frames = FRAMES.get(ctx);
  if (!frames) FRAMES.set(ctx, frames = []);
  return frames;
}

/**
 * `{% component "name" attr=value … %}…{% endcomponent %}`, or `{% component "name" … / %}` with
 * no body.
 *
 * @example
 * ```ts
 * import { Engine } from "@djust/djust/template";
 * const engine = new Engine({
 *   templates: {
 *     "components/button.html":
 *       `<button class="btn btn-{{ variant }}">{% render_slot %}</button>`,
 *   },
 * });
 * engine.renderString(`{% component "button" variant="primary" %}Save {{ n }}{% endcomponent %}`, {
 *   n: 3,
 * }); // '<button class="btn btn-primary">Save 3</button>'
 * ```
 */
export class ComponentNode extends Node {
  /** Builds the node: the component's name, its attributes and its slots by name. */
  constructor(
    readonly component: string,
    readonly attributes: ReadonlyMap<string, FilterExpression>,
    readonly slots: ReadonlyMap<string, NodeList>,
  ) {
    super();
  }

  /** The slots' bodies (they are the caller's template). */
  override get children(): readonly NodeList[] {
    return [...this.slots.values()];
  }

  /** The component's template, through the engine's `components` map or the naming convention. */
  componentTemplate(ctx: Context): LoadedTemplate {
    const source = ctx.templates as Partial<ComponentSource> | undefined;
    if (!source?.getTemplate) {
      throw new TemplateRenderError(`'component' needs an engine to load templates`);
    }
    const name = source.components?.get(this.component) ??
      conventionalTemplateName(this.component);
    return source.getTemplate(name);
  }

  /**
   * The component's variables: its attributes evaluated in the caller's context, `attrs` (all of
   * them, for passing on) and `slots` (`{% if slots.footer %}`: which slots the caller filled).
   */
  variables(ctx: Context): Record<string, unknown> {
    const attrs: Record<string, unknown> = {};
    for (const [name, expression] of this.attributes) attrs[name] = expression.resolve(ctx);
    return { ...attrs, attrs, slots: this.#filled };
  }

  /** Which slots the caller filled (the same object every render: it never changes). */
  get #filled(): Readonly<Record<string, boolean>> {
    if (this.#filledCache) return this.#filledCache;
    const slots: Record<string, boolean> = {};
    for (const [name, body] of this.slots) slots[name] = body.length > 0;
    return this.#filledCache = Object.freeze(slots);
  }
  #filledCache: Readonly<Record<string, boolean>> | null = null;

  /** Live views give it a region whose content updates in parts (attributes, each slot). */
  override get liveRole(): LiveRole {
    return "template-component";
  }

  /** Renders the component's template with its attributes and this tag's slots. */
  render(ctx: Context): string {
    const template = this.componentTemplate(ctx);
    return this.renderWith(ctx, template, this.variables(ctx));
  }

  /** Renders `template` with `variables` as the only variables and this node's slots available. */
  renderWith(ctx: Context, template: LoadedTemplate, variables: Record<string, unknown>): string {
    const frames = framesOf(ctx);
    const callerAutoescape = ctx.autoescape;
    const callerScopes = ctx.isolate(variables);
    frames.push({ node: this, callerScopes, callerAutoescape });
    try {
      return template.render(ctx);
    } finally {
      frames.pop();
      ctx.restoreScopes(callerScopes);
      ctx.autoescape = callerAutoescape;
    }
  }
}

/**
 * `{% render_slot %}` or `{% render_slot "name" %}` in a component's template: the caller's slot
 * content, rendered with the caller's variables. An unfilled slot renders nothing.
 *
 * @example
 * ```ts
 * import { Engine } from "@djust/djust/template";
 * const engine = new Engine({
 *   templates: {
 *     "components/card.html": `<div>{% render_slot %}<footer>{% render_slot "footer" %}</footer></div>`,
 *   },
 * });
 * engine.renderString(
 *   `{% component "card" %}Body{% slot "footer" %}{{ who }}{% endslot %}{% endcomponent %}`,
 *   { who: "Ann" },
 * ); // "<div>Body<footer>Ann</footer></div>"
 * ```
 */
export class RenderSlotNode extends Node {
  /** Builds the node for the slot named `slot`. */
  constructor(readonly slot: string) {
    super();
  }

  /** The body of this slot in the component being rendered, or null outside any component. */
  body(ctx: Context): NodeList | null {
    const frame = framesOf(ctx).at(-1);
    return frame ? frame.node.slots.get(this.slot) ?? [] : null;
  }

  /**
   * Live views render the slot's content with the caller's regions, so what changes in it is
   * patched in place (see lib/live/regions/slot.ts).
   */
  override get liveRole(): LiveRole {
    return "slot";
  }

  /** Renders the slot's content in the caller's variables (nothing when the slot is unfilled). */
  render(ctx: Context): string {
    const frames = framesOf(ctx);
    const frame = frames.at(-1);
    if (!frame) {
      throw new TemplateRenderError(
        `'render_slot' is only valid in a component's template ({% component %})`,
      );
    }
    const body = frame.node.slots.get(this.slot);
    if (!body?.length) return "";
    // The slot renders as the caller wrote it: in the caller's scopes, outside this component (a
    // render_slot in the slot content belongs to an enclosing component).
    frames.pop();
    const componentAutoescape = ctx.autoescape;
    const componentScopes = ctx.isolate({});
    ctx.restoreScopes(frame.callerScopes);
    ctx.autoescape = frame.callerAutoescape;
    try {
      return renderNodes(body, ctx);
    } finally {
      ctx.restoreScopes(componentScopes);
      ctx.autoescape = componentAutoescape;
      frames.push(frame);
    }
  }
}

/**
 * Makes `ctx` (a context of its own, with `variables` as its scope) render the template of `node`
 * for good: `{% render_slot %}` in it renders the slots in `callerScopes`. The live layer renders a
 * component's template this way, so its attributes and slots update on their own.
 */
export function enterComponent(
  ctx: Context,
  node: ComponentNode,
  callerScopes: SavedScopes,
  callerAutoescape: boolean,
): void {
  framesOf(ctx).push({ node, callerScopes, callerAutoescape });
}

/** `{% slot "name" %}…{% endslot %}` outside a component body: always an error (see compile). */
function compileStraySlot(parser: Parser, token: TagToken): Node {
  throw parser.error(
    `'slot' is only valid directly inside {% component %}…{% endcomponent %}`,
    token,
  );
}

/** The name argument of `component`, `slot` and `render_slot`: a quoted string. */
function quotedName(parser: Parser, token: TagToken, bit: string | undefined): string {
  const match = bit === undefined ? null : /^(["'])([\w.-]+)\1$/.exec(bit);
  if (!match) {
    throw parser.error(
      `'${token.name}' takes a quoted name as its first argument (letters, digits, _ . -)`,
      token,
    );
  }
  return match[2];
}

function compileComponent(parser: Parser, token: TagToken): Node {
  const bits = token.splitContents();
  const name = quotedName(parser, token, bits[1]);
  const rest = bits.slice(2);
  const selfClosing = rest.at(-1) === "/";
  if (selfClosing) rest.pop();
  const attributes = tokenKwargs(rest, parser, token, false);
  if (rest.length) {
    throw parser.error(
      `'component' attributes are written name=value; cannot read '${rest[0]}'`,
      token,
    );
  }
  const slots = new Map<string, NodeList>();
  if (selfClosing) return new ComponentNode(name, attributes, slots);
  const defaultBody: Node[] = [];
  for (;;) {
    defaultBody.push(...parser.parse(["slot", "endcomponent"]));
    const end = parser.nextToken();
    if (end.name === "endcomponent") break;
    const slotBits = end.splitContents();
    const slot = quotedName(parser, end, slotBits[1]);
    if (slotBits.length > 2) throw parser.error(`'slot' takes one argument: the slot's name`, end);
    if (slot === DEFAULT_SLOT) {
      throw parser.error(`the default slot is the body outside {% slot %} tags`, end);
    }
    if (slots.has(slot)) throw parser.error(`slot '${slot}' is filled more than once`, end);
    const body = parser.parse(["endslot"]);
    parser.nextToken();
    slots.set(slot, body);
  }
  // Only whitespace around named slots is no default content.
  const hasDefault = defaultBody.some((n) => !isBlankText(n));
  slots.set(DEFAULT_SLOT, hasDefault ? defaultBody : []);
  return new ComponentNode(name, attributes, slots);
}

function isBlankText(node: Node): boolean {
  const text = (node as { text?: unknown }).text;
  return node.isStatic && typeof text === "string" && text.trim() === "";
}

function compileRenderSlot(parser: Parser, token: TagToken): Node {
  const bits = token.splitContents();
  if (bits.length > 2) throw parser.error(`'render_slot' takes at most one argument`, token);
  return new RenderSlotNode(bits.length === 2 ? quotedName(parser, token, bits[1]) : DEFAULT_SLOT);
}

/** Registers component, slot (only valid in a component's body) and render_slot. */
export function registerComponentTags(tags: TagRegistry): void {
  tags.set("component", compileComponent);
  tags.set("slot", compileStraySlot);
  tags.set("render_slot", compileRenderSlot);
}
