/**
 * A compiled template.
 * @module
 */
import "./compiler/compile.ts"; // installs the node-list compiler renderNodes uses
import { Context } from "./context.ts";
import { mergeHooks, type TemplateHooks } from "./hooks.ts";
import type { Translations } from "./i18n/translations.ts";
import { type NodeList, renderNodes } from "./nodes.ts";
import type { TemplateSource } from "./tags/registry.ts";

/** What a Template needs from the engine that compiled it. */
export interface TemplateOwner extends TemplateSource {
  /** Default autoescape setting for new contexts. */
  readonly autoescape: boolean;
  /** Default hooks (time zone...) for new contexts. */
  readonly hooks: TemplateHooks;
  /** The catalogs renders translate with. */
  readonly translations: Translations;
}

/**
 * A template compiled once and rendered many times. Obtain one from `engine.fromString` or
 * `engine.getTemplate`.
 *
 * @example
 * ```ts
 * import { Engine } from "@djust/djust/template";
 * const t = new Engine().fromString("Hi {{ name }}");
 * t.render({ name: "Ann" }); // "Hi Ann"
 * ```
 */
export class Template {
  /** The name it was loaded under, or "<string>". */
  readonly name: string;
  /** The source text. */
  readonly source: string;
  /** The compiled nodes. */
  readonly nodes: NodeList;
  /** The engine that compiled it. */
  readonly owner: TemplateOwner;
  /** Where it was loaded from (`<templates>/name`, a file path), or its name. */
  readonly path: string;

  /** Wraps compiled nodes; use the engine to create templates. */
  constructor(
    name: string,
    source: string,
    nodes: NodeList,
    owner: TemplateOwner,
    path: string = name,
  ) {
    this.name = name;
    this.source = source;
    this.nodes = nodes;
    this.owner = owner;
    this.path = path;
  }

  /**
   * Renders with `context` (plain values, or a Context when called from a tag). Each render gets
   * its own per-render state, so included templates restart their cycles as in Django.
   */
  render(context: Record<string, unknown> | Context = {}, hooks?: TemplateHooks): string {
    if (context instanceof Context) {
      const saved = context.swapRenderState(null);
      try {
        return renderNodes(this.nodes, context);
      } finally {
        context.swapRenderState(saved);
      }
    }
    const ctx = new Context(
      context,
      this.owner.autoescape,
      hooks ? mergeHooks(this.owner.hooks, hooks) : this.owner.hooks,
    );
    ctx.templates = this.owner;
    ctx.translations = this.owner.translations;
    return renderNodes(this.nodes, ctx);
  }
}
