/**
 * The `{% static %}` template tag, as in Django's `django.templatetags.static`, backed by
 * {@link StaticFiles} so the URL carries the file's content hash.
 * @module
 */
import {
  type CodeWriter,
  type Context,
  type Engine,
  type FilterExpression,
  Node,
  type Parser,
  renderValue,
  type TagToken,
} from "../template/index.ts";
import type { StaticFiles } from "./static.ts";

/**
 * Registers `{% static "path" %}`, `{% static var %}` and `{% static "path" as name %}` on
 * `engine`. The URL is escaped when autoescape is on (as Django's `conditional_escape`); with
 * `as`, the raw URL is stored and escaped when printed. A missing file throws
 * `StaticFileNotFound` while rendering. `{% load static %}` is accepted and does nothing, since
 * tags are global here. Pass a function to look the StaticFiles up at render time (an app that
 * creates it after its engine).
 *
 * @example
 * ```ts
 * import { Engine } from "../template/index.ts";
 * import { StaticFiles } from "./static.ts";
 * import { registerStaticTag } from "./static_tag.ts";
 *
 * const engine = new Engine();
 * registerStaticTag(engine, await StaticFiles.create({ dirs: { "/static": "./static" } }));
 * engine.renderString('{% load static %}<link href="{% static "css/app.css" %}">', {});
 * // '<link href="/static/css/app.3f9a1c2e.css">'
 * ```
 */
export function registerStaticTag(
  engine: Engine,
  staticFiles: StaticFiles | (() => StaticFiles),
): void {
  const resolve = typeof staticFiles === "function" ? staticFiles : () => staticFiles;
  engine.tags.set("static", (parser: Parser, token: TagToken): Node => {
    const bits = token.splitContents();
    if (bits.length < 2) {
      throw parser.error(`'${bits[0]}' takes at least one argument (path to file)`, token);
    }
    // Django's StaticNode.handle_token: `as` is only read as the last-but-one bit.
    const target = bits.length >= 4 && bits[bits.length - 2] === "as" ? bits[3] : null;
    return new StaticNode(resolve, parser.compileFilter(bits[1], token), target);
  });
}

/** `{% static path [as name] %}`. Holds no render state: nodes are shared by every render. */
class StaticNode extends Node {
  readonly #staticFiles: () => StaticFiles;
  readonly #path: FilterExpression;
  readonly #target: string | null;

  constructor(staticFiles: () => StaticFiles, path: FilterExpression, target: string | null) {
    super();
    this.#staticFiles = staticFiles;
    this.#path = path;
    this.#target = target;
  }

  render(ctx: Context): string {
    const path = this.#path.resolve(ctx);
    const url = this.#staticFiles().url(path === null || path === undefined ? "" : String(path));
    if (this.#target === null) return renderValue(url, ctx);
    ctx.set(this.#target, url);
    return "";
  }

  override emit(w: CodeWriter): void {
    // Setting a variable writes the context: the compiled function must then run in context mode.
    if (this.#target === null) w.withContext(this);
    else w.opaque(this);
  }
}
