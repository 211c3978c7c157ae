/**
 * The `i18n` tag library (`{% load i18n %}`): trans/translate, blocktrans/blocktranslate (with
 * `with`, `count` … `{% plural %}`, `context`, `trimmed`, `asvar`), language,
 * get_current_language(_bidi), get_available_languages, get_language_info(_list) and the
 * language_name* / language_bidi filters, as Django 3.2 renders them.
 * @module
 */
import type { CodeWriter } from "../compiler/writer.ts";
import type { Context } from "../context.ts";
import { TemplateSyntaxError } from "../errors.ts";
import type { FilterExpression } from "../expression.ts";
import { Node, type NodeList, renderNodes, renderValue } from "../nodes.ts";
import { type Parser, TagToken, TokenKind } from "../parser.ts";
import { markSafe, SafeString } from "../safe.ts";
import { type TagRegistry, tokenKwargs } from "../tags/registry.ts";
import type { FilterRegistry } from "../filters/registry.ts";
import { MISSING, pyStr } from "../values.ts";
import {
  compileAvailableLanguages,
  compileLanguageInfo,
  languageFilters,
} from "./language_tags.ts";
import { formatMessage, MessageFormatError } from "./message_format.ts";
import { isBidi, toLanguage } from "./translations.ts";

// #region trans

/** `{% trans "text"|filters [noop] [context "ctx"] [as var] %}`. */
export class TranslateNode extends Node {
  constructor(
    readonly message: FilterExpression,
    readonly noop: boolean,
    readonly target: string | null,
    readonly messageContext: FilterExpression | null,
  ) {
    super();
  }
  render(ctx: Context): string {
    // A literal is read as written (`{% trans _("x") %}` translates once, like `{% trans "x" %}`).
    const variable = this.message.variable;
    let value = variable.lookups === null ? variable.literal : variable.resolve(ctx);
    if (value === MISSING) value = "";
    else if (!this.noop && (typeof value === "string" || value instanceof SafeString)) {
      // Django's Variable with `translate`: `%` doubled for the catalog, safety kept.
      const id = String(value).replaceAll("%", "%%");
      const context = this.messageContext ? pyStr(this.messageContext.resolve(ctx)) : "";
      const translated = ctx.translations.gettext(ctx.language, context, id);
      value = value instanceof SafeString ? markSafe(translated) : translated;
    }
    value = this.message.applyFilters(value, ctx);
    const safe = ctx.autoescape || value instanceof SafeString;
    const text = renderValue(value, ctx).replaceAll("%%", "%");
    if (this.target !== null) {
      ctx.set(this.target, safe ? markSafe(text) : text);
      return "";
    }
    return text;
  }
  override emit(w: CodeWriter): void {
    if (this.target !== null) w.opaque(this);
    else w.withContext(this);
  }
}

function compileTranslate(parser: Parser, token: TagToken): Node {
  const bits = token.splitContents();
  if (bits.length < 2) throw parser.error(`'${bits[0]}' takes at least one argument`, token);
  const message = parser.compileFilter(bits[1], token);
  const remaining = bits.slice(2);
  let noop = false, target: string | null = null, context: FilterExpression | null = null;
  const seen = new Set<string>();
  while (remaining.length) {
    const option = remaining.shift()!;
    if (seen.has(option)) {
      throw parser.error(`The '${option}' option was specified more than once.`, token);
    }
    if (option === "noop") noop = true;
    else if (option === "context") {
      const value = remaining.shift();
      if (value === undefined) {
        throw parser.error(
          `No argument provided to the '${bits[0]}' tag for the context option.`,
          token,
        );
      }
      if (value === "as" || value === "noop") {
        throw parser.error(
          `Invalid argument '${value}' provided to the '${bits[0]}' tag for the context option`,
          token,
        );
      }
      context = parser.compileFilter(value, token);
    } else if (option === "as") {
      const value = remaining.shift();
      if (value === undefined) {
        throw parser.error(
          `No argument provided to the '${bits[0]}' tag for the as option.`,
          token,
        );
      }
      target = value;
    } else {
      throw parser.error(
        `Unknown argument for '${bits[0]}' tag: '${option}'. The only options available are ` +
          `'noop', 'context' "xxx", and 'as VAR'.`,
        token,
      );
    }
    seen.add(option);
  }
  return new TranslateNode(message, noop, target, context);
}

// #endregion
// #region blocktrans

/** A blocktrans body as a catalog message: text with `%` doubled, `{{ x }}` as `%(x)s`. */
interface Message {
  readonly id: string;
  readonly names: readonly string[];
}

/** `{% blocktrans [with …] [count c=n] [context "ctx"] [trimmed] [asvar v] %}…{% endblocktrans %}`. */
export class BlockTranslateNode extends Node {
  constructor(
    readonly tagName: string,
    readonly values: ReadonlyMap<string, FilterExpression>,
    readonly singular: Message,
    readonly plural: Message | null,
    readonly counter: readonly [string, FilterExpression] | null,
    readonly messageContext: FilterExpression | null,
    readonly target: string | null,
  ) {
    super();
  }
  render(ctx: Context): string {
    return this.#render(ctx, false);
  }
  /** Django's render; `untranslated` is its retry under `translation.override(None)`. */
  #render(ctx: Context, untranslated: boolean): string {
    const language = untranslated ? null : ctx.language;
    const context = this.messageContext ? pyStr(this.messageContext.resolve(ctx)) : "";
    const values: Record<string, unknown> = {};
    for (const [name, expression] of this.values) values[name] = expression.resolve(ctx);
    ctx.push(values);
    let message: string;
    const data: Record<string, string> = {};
    try {
      let names = this.singular.names;
      if (this.plural !== null && this.counter !== null) {
        const [name, expression] = this.counter;
        const count = expression.resolve(ctx);
        if (typeof count !== "number" && typeof count !== "boolean") {
          throw new TemplateSyntaxError(
            `'${name}' argument to '${this.tagName}' tag must be a number.`,
          );
        }
        ctx.set(name, count);
        message = ctx.translations.ngettext(
          language,
          context,
          this.singular.id,
          this.plural.id,
          Number(count),
        );
        names = [...names, ...this.plural.names];
      } else message = ctx.translations.gettext(language, context, this.singular.id);
      // `{{ name }}` in the body reads the context by that exact key (no lookups, no filters).
      for (const name of names) data[name] = renderValue(ctx.has(name) ? ctx.get(name) : "", ctx);
    } finally {
      ctx.pop();
    }
    let result: string;
    try {
      result = formatMessage(message, data);
    } catch (err) {
      if (!(err instanceof MessageFormatError)) throw err;
      if (untranslated) {
        throw new TemplateSyntaxError(
          `'${this.tagName}' is unable to format string returned by gettext: '${message}'`,
        );
      }
      result = this.#render(ctx, true); // a translation that does not fit: the source text
    }
    if (this.target !== null) {
      ctx.set(this.target, result);
      return "";
    }
    return result;
  }
  override emit(w: CodeWriter): void {
    if (this.target !== null) w.opaque(this);
    else w.withContext(this);
  }
}

/** Django's `trim_whitespace`: the text stripped, each line break and its indentation one space. */
function trimWhitespace(text: string): string {
  return text.trim().replace(/\s*\n\s*/g, " ");
}

/** Reads text and `{{ }}` tokens up to the next tag, as a catalog message. */
function readMessage(parser: Parser, trimmed: boolean): { message: Message; end: TagToken | null } {
  let id = "";
  const names: string[] = [];
  for (let token = parser.takeToken(); token !== undefined; token = parser.takeToken()) {
    if (token.kind === TokenKind.Text) id += token.contents.replaceAll("%", "%%");
    else if (token.kind === TokenKind.Var) {
      id += `%(${token.contents})s`;
      names.push(token.contents);
    } else {
      return {
        message: { id: trimmed ? trimWhitespace(id) : id, names },
        end: new TagToken(token),
      };
    }
  }
  return { message: { id, names }, end: null };
}

function compileBlockTranslate(parser: Parser, token: TagToken): Node {
  const bits = token.splitContents();
  const tagName = bits[0];
  const remaining = bits.slice(1);
  const seen = new Set<string>();
  let values = new Map<string, FilterExpression>();
  let counter: [string, FilterExpression] | null = null;
  let context: FilterExpression | null = null;
  let trimmed = false;
  let target: string | null = null;
  while (remaining.length) {
    const option = remaining.shift()!;
    if (seen.has(option)) {
      throw parser.error(`The '${option}' option was specified more than once.`, token);
    }
    if (option === "with") {
      values = tokenKwargs(remaining, parser, token, true);
      if (!values.size) {
        throw parser.error(
          `"with" in '${tagName}' tag needs at least one keyword argument.`,
          token,
        );
      }
    } else if (option === "count") {
      const count = tokenKwargs(remaining, parser, token, true);
      if (count.size !== 1) {
        throw parser.error(
          `"count" in '${tagName}' tag expected exactly one keyword argument.`,
          token,
        );
      }
      counter = [...count][0];
    } else if (option === "context") {
      const value = remaining.shift();
      if (value === undefined) {
        throw parser.error(`"context" in '${tagName}' tag expected exactly one argument.`, token);
      }
      context = parser.compileFilter(value, token);
    } else if (option === "trimmed") trimmed = true;
    else if (option === "asvar") {
      const value = remaining.shift();
      if (value === undefined) {
        throw parser.error(
          `No argument provided to the '${tagName}' tag for the asvar option.`,
          token,
        );
      }
      target = value;
    } else throw parser.error(`Unknown argument for '${tagName}' tag: '${option}'.`, token);
    seen.add(option);
  }
  let { message: singular, end } = readMessage(parser, trimmed);
  let plural: Message | null = null;
  if (counter !== null) {
    if (end?.contents.trim() !== "plural") {
      throw parser.error(`'${tagName}' doesn't allow other block tags inside it`, end ?? token);
    }
    ({ message: plural, end } = readMessage(parser, trimmed));
  }
  if (end === null) {
    throw parser.error(`Unclosed tag '${tagName}'. Looking for: end${tagName}.`, token);
  }
  if (end.contents.trim() !== `end${tagName}`) {
    throw parser.error(
      `'${tagName}' doesn't allow other block tags (seen '${end.contents}') inside it`,
      end,
    );
  }
  return new BlockTranslateNode(tagName, values, singular, plural, counter, context, target);
}

// #endregion
// #region language

/** `{% language "de" %}…{% endlanguage %}`: renders its body in another language. */
export class LanguageNode extends Node {
  constructor(readonly language: FilterExpression, readonly body: NodeList) {
    super();
  }
  override get children(): readonly NodeList[] {
    return [this.body];
  }
  render(ctx: Context): string {
    const saved = ctx.languageOverride;
    ctx.languageOverride = languageOf(this.language.resolve(ctx));
    try {
      return renderNodes(this.body, ctx);
    } finally {
      ctx.languageOverride = saved;
    }
  }
  override emit(w: CodeWriter): void {
    const saved = w.temp();
    const language = w.value(this.language);
    w.line(
      `${saved} = ctx.languageOverride; ctx.languageOverride = ${
        w.constant(languageOf)
      }(${language});`,
    );
    w.line("try {");
    w.nodes(this.body);
    w.line(`} finally { ctx.languageOverride = ${saved}; }`);
  }
}

/** Django's `translation.override(value)`: a code, or no language at all for an empty value. */
function languageOf(value: unknown): string | null {
  const code = value instanceof SafeString ? value.value : value;
  return code === null || code === undefined || code === "" || code === false ? null : pyStr(code);
}

function compileLanguage(parser: Parser, token: TagToken): Node {
  const bits = token.splitContents();
  if (bits.length !== 2) throw parser.error(`'${bits[0]}' takes one argument (language)`, token);
  const language = parser.compileFilter(bits[1], token);
  const body = parser.parse(["endlanguage"]);
  parser.nextToken();
  return new LanguageNode(language, body);
}

/** `{% get_current_language as var %}` and `{% get_current_language_bidi as var %}`. */
export class CurrentLanguageNode extends Node {
  constructor(readonly target: string, readonly bidi: boolean) {
    super();
  }
  render(ctx: Context): string {
    const language = ctx.language;
    ctx.set(
      this.target,
      this.bidi ? isBidi(language) : language === null ? null : toLanguage(language),
    );
    return "";
  }
}

function compileCurrentLanguage(bidi: boolean) {
  return (parser: Parser, token: TagToken): Node => {
    // Django splits on spaces here: the tag takes no variables.
    const args = token.contents.split(/\s+/);
    if (args.length !== 3 || args[1] !== "as") {
      throw parser.error(
        `'${args[0]}' requires 'as variable' (got ${JSON.stringify(args)})`,
        token,
      );
    }
    return new CurrentLanguageNode(args[2], bidi);
  };
}

// #endregion

/**
 * Registers the `i18n` library: its tags and filters become usable after `{% load i18n %}`.
 *
 * @example
 * ```ts
 * import { Engine } from "../engine.ts";
 * new Engine().renderString("{% load i18n %}{% trans 'Hi' %}"); // "Hi" (Engine registers the library)
 * ```
 */
export function registerI18n(tags: TagRegistry, filters: FilterRegistry): void {
  filters.library("i18n", languageFilters);
  tags.library("i18n", {
    trans: compileTranslate,
    translate: compileTranslate,
    blocktrans: compileBlockTranslate,
    blocktranslate: compileBlockTranslate,
    language: compileLanguage,
    get_current_language: compileCurrentLanguage(false),
    get_current_language_bidi: compileCurrentLanguage(true),
    get_available_languages: compileAvailableLanguages,
    get_language_info: compileLanguageInfo(false),
    get_language_info_list: compileLanguageInfo(true),
  });
}
