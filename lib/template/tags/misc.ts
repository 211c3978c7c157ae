/**
 * The remaining built-in tags: autoescape, comment, csrf_token, filter, load, lorem, now, spaceless,
 * templatetag, verbatim, widthratio, and `url` (from url.ts).
 * @module
 */
import type { CodeWriter } from "../compiler/writer.ts";
import type { Context } from "../context.ts";
import { TemplateSyntaxError, VariableDoesNotExist } from "../errors.ts";
import type { FilterExpression } from "../expression.ts";
import { formatDate } from "../filters/date_format.ts";
import { widthRatio } from "../filters/numeric.ts";
import { loremParagraphs, loremWords } from "../filters/lorem.ts";
import { Node, type NodeList, renderNodes, renderValue } from "../nodes.ts";
import type { Parser, TagToken } from "../parser.ts";
import { escapeHtml, markSafe } from "../safe.ts";
import { pyStr } from "../values.ts";
import type { TagRegistry } from "./registry.ts";
import { compileUrl } from "./url.ts";

export { UrlNode } from "./url.ts";

/** `{% autoescape on|off %}...{% endautoescape %}`. */
export class AutoescapeNode extends Node {
  override emit(w: CodeWriter): void {
    const saved = w.temp();
    w.line(`${saved} = ctx.autoescape; ctx.autoescape = ${this.enabled};`);
    w.line("try {");
    w.nodes(this.body);
    w.line(`} finally { ctx.autoescape = ${saved}; }`);
  }
  constructor(readonly enabled: boolean, readonly body: NodeList) {
    super();
  }
  override get children(): readonly NodeList[] {
    return [this.body];
  }
  render(ctx: Context): string {
    const saved = ctx.autoescape;
    ctx.autoescape = this.enabled;
    try {
      return renderNodes(this.body, ctx);
    } finally {
      ctx.autoescape = saved;
    }
  }
}

function compileAutoescape(parser: Parser, token: TagToken): Node {
  const bits = token.contents.split(/\s+/);
  if (bits.length !== 2) {
    throw parser.error("'autoescape' tag requires exactly one argument.", token);
  }
  if (bits[1] !== "on" && bits[1] !== "off") {
    throw parser.error("'autoescape' argument should be 'on' or 'off'", token);
  }
  const body = parser.parse(["endautoescape"]);
  parser.nextToken();
  return new AutoescapeNode(bits[1] === "on", body);
}

/** A node that renders fixed text (comment, verbatim, templatetag). */
export class ConstantNode extends Node {
  override emit(w: CodeWriter): void {
    w.text(this.text);
  }
  constructor(readonly text: string) {
    super();
  }
  render(): string {
    return this.text;
  }
  override get isStatic(): boolean {
    return true;
  }
}

function compileComment(parser: Parser): Node {
  parser.skipPast("endcomment");
  return new ConstantNode("");
}

function compileVerbatim(parser: Parser, token: TagToken): Node {
  const body = parser.parse([`endverbatim`]);
  const end = parser.nextToken();
  const expected = "end" + token.contents;
  if (end.contents !== expected) {
    throw parser.error(`Invalid block tag: '${end.contents}', expected '${expected}'.`, end);
  }
  // The lexer turned everything inside into text tokens, so the body is plain text.
  let text = "";
  for (const node of body) text += node.render(undefined as unknown as Context);
  return new ConstantNode(text);
}

const TEMPLATETAG: Record<string, string> = {
  openblock: "{%",
  closeblock: "%}",
  openvariable: "{{",
  closevariable: "}}",
  openbrace: "{",
  closebrace: "}",
  opencomment: "{#",
  closecomment: "#}",
};

function compileTemplateTag(parser: Parser, token: TagToken): Node {
  const bits = token.contents.split(/\s+/);
  if (bits.length !== 2) throw parser.error("'templatetag' statement takes one argument", token);
  const text = TEMPLATETAG[bits[1]];
  if (text === undefined) {
    throw parser.error(
      `Invalid templatetag argument: '${bits[1]}'. Must be one of: ${
        Object.keys(TEMPLATETAG).join(", ")
      }`,
      token,
    );
  }
  return new ConstantNode(text);
}

/** `{% csrf_token %}`: a hidden input with the request's CSRF token. */
export class CsrfTokenNode extends Node {
  override emit(w: CodeWriter): void {
    w.withContext(this);
  }
  render(ctx: Context): string {
    const token = ctx.hooks.csrfToken ?? ctx.get("csrf_token");
    if (!token || token === "NOTPROVIDED") return "";
    return `<input type="hidden" name="csrfmiddlewaretoken" value="${escapeHtml(pyStr(token))}">`;
  }
}

/** `{% filter f1|f2 %}...{% endfilter %}`: applies filters to the rendered body. */
export class FilterNode extends Node {
  override emit(w: CodeWriter): void {
    w.withContext(this);
  }
  constructor(readonly expression: FilterExpression, readonly body: NodeList) {
    super();
  }
  override get children(): readonly NodeList[] {
    return [this.body];
  }
  render(ctx: Context): string {
    ctx.push({ var: markSafe(renderNodes(this.body, ctx)) });
    try {
      return pyStr(this.expression.resolve(ctx));
    } finally {
      ctx.pop();
    }
  }
}

function compileFilterTag(parser: Parser, token: TagToken): Node {
  const rest = token.contents.replace(/^\S+\s*/, "");
  const expression = parser.compileFilter("var|" + rest, token);
  for (const f of expression.filters) {
    if (f.name === "escape" || f.name === "safe") {
      throw parser.error(
        `"filter ${f.name}" is not permitted.  Use the "autoescape" tag instead.`,
        token,
      );
    }
  }
  const body = parser.parse(["endfilter"]);
  parser.nextToken();
  return new FilterNode(expression, body);
}

/** `{% spaceless %}`: removes whitespace between HTML tags. */
export class SpacelessNode extends Node {
  override emit(w: CodeWriter): void {
    w.write(`SP(${w.capture(() => w.nodes(this.body))})`);
  }
  constructor(readonly body: NodeList) {
    super();
  }
  override get children(): readonly NodeList[] {
    return [this.body];
  }
  render(ctx: Context): string {
    return spaceless(renderNodes(this.body, ctx));
  }
}

/** What `{% spaceless %}` makes of its rendered body: no whitespace between tags, none around. */
export function spaceless(html: string): string {
  return html.trim().replace(/>\s+</g, "><");
}

function compileSpaceless(parser: Parser): Node {
  const body = parser.parse(["endspaceless"]);
  parser.nextToken();
  return new SpacelessNode(body);
}

/** `{% now "format" [as var] %}`. */
export class NowNode extends Node {
  override emit(w: CodeWriter): void {
    // Setting a variable writes the context: the whole function then runs in context mode.
    if (this.target !== null) w.opaque(this);
    else w.withContext(this);
  }
  constructor(readonly format: string, readonly target: string | null) {
    super();
  }
  render(ctx: Context): string {
    const tz = ctx.hooks.timeZone ?? "UTC";
    const text = formatDate(Temporal.Now.plainDateTimeISO(tz), this.format, tz);
    if (this.target !== null) {
      ctx.set(this.target, text);
      return "";
    }
    return renderValue(text, ctx);
  }
}

function compileNow(parser: Parser, token: TagToken): Node {
  const bits = token.splitContents();
  let target: string | null = null;
  if (bits.length === 4 && bits[2] === "as") {
    target = bits[3];
    bits.length = 2;
  }
  if (bits.length !== 2) throw parser.error("'now' statement takes one argument", token);
  return new NowNode(bits[1].slice(1, -1), target);
}

/** `{% lorem [count] [w|p|b] [random] %}`. */
export class LoremNode extends Node {
  override emit(w: CodeWriter): void {
    w.withContext(this);
  }
  constructor(
    readonly count: FilterExpression,
    readonly method: string,
    readonly common: boolean,
  ) {
    super();
  }
  render(ctx: Context): string {
    let count = Number.parseInt(pyStr(this.count.resolve(ctx)), 10);
    if (!Number.isFinite(count)) count = 1;
    if (this.method === "w") return loremWords(count, this.common);
    let paragraphs = loremParagraphs(count, this.common);
    if (this.method === "p") paragraphs = paragraphs.map((p) => `<p>${p}</p>`);
    return paragraphs.join("\n\n");
  }
}

function compileLorem(parser: Parser, token: TagToken): Node {
  const bits = token.splitContents();
  const common = bits[bits.length - 1] !== "random";
  if (!common) bits.pop();
  const method = ["w", "p", "b"].includes(bits[bits.length - 1]) ? bits.pop()! : "b";
  const count = bits.length > 1 ? bits.pop()! : "1";
  if (bits.length !== 1) throw parser.error("Incorrect format for 'lorem' tag", token);
  return new LoremNode(parser.compileFilter(count, token), method, common);
}

/** `{% widthratio value max width [as var] %}`. */
export class WidthRatioNode extends Node {
  override emit(w: CodeWriter): void {
    // Setting a variable writes the context: the whole function then runs in context mode.
    if (this.target !== null) w.opaque(this);
    else w.withContext(this);
  }
  constructor(
    readonly value: FilterExpression,
    readonly max: FilterExpression,
    readonly width: FilterExpression,
    readonly target: string | null,
  ) {
    super();
  }
  render(ctx: Context): string {
    let text: string | undefined;
    try {
      text = widthRatio(this.value.resolve(ctx), this.max.resolve(ctx), this.width.resolve(ctx));
    } catch (err) {
      // Django: a filter argument naming a missing variable makes the tag render nothing.
      if (!(err instanceof VariableDoesNotExist)) throw err;
      text = "";
    }
    if (text === undefined) {
      // Django raises the syntax error at render time, when the width resolves to a non-number.
      throw new TemplateSyntaxError("widthratio final argument must be a number");
    }
    if (this.target !== null) {
      ctx.set(this.target, text);
      return "";
    }
    return text;
  }
}

function compileWidthRatio(parser: Parser, token: TagToken): Node {
  const bits = token.splitContents();
  let target: string | null = null;
  if (bits.length === 6 && bits[4] === "as") target = bits[5];
  else if (bits.length !== 4) {
    throw parser.error("widthratio takes at least three arguments", token);
  }
  return new WidthRatioNode(
    parser.compileFilter(bits[1], token),
    parser.compileFilter(bits[2], token),
    parser.compileFilter(bits[3], token),
    target,
  );
}

/** Registers the remaining built-in tags. `load` accepts the names in `libraries`. */
export function registerMiscTags(tags: TagRegistry, libraries: ReadonlySet<string>): void {
  tags.set("autoescape", compileAutoescape);
  tags.set("comment", compileComment);
  tags.set("verbatim", compileVerbatim);
  tags.set("templatetag", compileTemplateTag);
  tags.set("csrf_token", () => new CsrfTokenNode());
  tags.set("filter", compileFilterTag);
  tags.set("spaceless", compileSpaceless);
  tags.set("now", compileNow);
  tags.set("lorem", compileLorem);
  tags.set("url", compileUrl);
  tags.set("widthratio", compileWidthRatio);
  tags.set("load", (parser, token) => {
    const bits = token.splitContents().slice(1);
    const fromAt = bits.indexOf("from");
    const names = fromAt === -1 ? bits : [bits[bits.length - 1]];
    for (const name of names) {
      const library = tags.libraryTags(name);
      const filters = parser.options.filters.libraryFilters(name);
      if (!libraries.has(name) && library.size === 0 && filters.size === 0) {
        throw parser.error(
          `'${name}' is not a registered tag library. Must be one of:\n${
            [...libraries].join("\n")
          }`,
          token,
        );
      }
      if (fromAt === -1) {
        parser.loadTags(library);
        parser.loadFilters(filters);
        continue;
      }
      // Libraries whose tags djust does not provide (static, l10n, tz) load as nothing.
      if (library.size === 0 && filters.size === 0) continue;
      // {% load trans language_name from i18n %}: only what is named.
      for (const wanted of bits.slice(0, fromAt)) {
        const compile = library.get(wanted), filter = filters.get(wanted);
        if (!compile && !filter) {
          throw parser.error(
            `'${wanted}' is not a valid tag or filter in tag library '${name}'`,
            token,
          );
        }
        if (compile) parser.loadTags(new Map([[wanted, compile]]));
        if (filter) parser.loadFilters(new Map([[wanted, filter]]));
      }
    }
    return new ConstantNode("");
  });
}
