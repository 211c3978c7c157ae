/**
 * The language-menu part of the `i18n` library: `{% get_available_languages %}`,
 * `{% get_language_info(_list) %}` and the `language_name*` / `language_bidi` filters.
 * @module
 */
import type { Context } from "../context.ts";
import type { FilterExpression } from "../expression.ts";
import type { FilterDefinition } from "../filters/registry.ts";
import { Node } from "../nodes.ts";
import type { Parser, TagToken } from "../parser.ts";
import { pyLen, pyStr, toIterableList } from "../values.ts";
import { availableLanguages, type LanguageInfo, languageInfo } from "./language_info.ts";

/** `{% get_available_languages as var %}`: `[code, name in the render's language]` pairs. */
export class AvailableLanguagesNode extends Node {
  constructor(readonly target: string) {
    super();
  }
  render(ctx: Context): string {
    const languages = availableLanguages(ctx.translations).map(([code, name]) => [
      code,
      ctx.translations.gettext(ctx.language, "", name),
    ]);
    ctx.set(this.target, languages);
    return "";
  }
}

/** `{% get_language_info for code as var %}` and `{% get_language_info_list for codes as var %}`. */
export class LanguageInfoNode extends Node {
  constructor(
    readonly languages: FilterExpression,
    readonly target: string,
    readonly list: boolean,
  ) {
    super();
  }
  render(ctx: Context): string {
    const value = this.languages.resolve(ctx);
    const info = (code: unknown): LanguageInfo => {
      const found = languageInfo(pyStr(code));
      found.name_translated = ctx.translations.gettext(ctx.language, "", found.name);
      return found;
    };
    if (!this.list) {
      ctx.set(this.target, info(value));
      return "";
    }
    // Each item is a code, or a sequence (a LANGUAGES pair) whose first item is the code.
    const items = toIterableList(value) ?? [];
    ctx.set(
      this.target,
      items.map((item) => info(Array.isArray(item) && (pyLen(item[0]) ?? 0) > 1 ? item[0] : item)),
    );
    return "";
  }
}

export function compileAvailableLanguages(parser: Parser, token: TagToken): Node {
  const args = token.contents.split(/\s+/);
  if (args.length !== 3 || args[1] !== "as") {
    throw parser.error(`'${args[0]}' requires 'as variable' (got ${JSON.stringify(args)})`, token);
  }
  return new AvailableLanguagesNode(args[2]);
}

export function compileLanguageInfo(list: boolean) {
  return (parser: Parser, token: TagToken): Node => {
    const args = token.splitContents();
    if (args.length !== 5 || args[1] !== "for" || args[3] !== "as") {
      throw parser.error(
        `'${args[0]}' requires 'for ${list ? "sequence" : "string"} as variable' (got ${
          JSON.stringify(args.slice(1))
        })`,
        token,
      );
    }
    return new LanguageInfoNode(parser.compileFilter(args[2], token), args[4], list);
  };
}

/** The i18n library's filters on a language code. */
export const languageFilters: Record<string, FilterDefinition> = {
  language_name: { fn: (code) => languageInfo(pyStr(code)).name },
  language_name_local: { fn: (code) => languageInfo(pyStr(code)).name_local },
  language_name_translated: {
    fn: (code, _arg, env) => {
      const name = languageInfo(pyStr(code)).name;
      return env.translate ? env.translate(name) : name;
    },
  },
  language_bidi: { fn: (code) => languageInfo(pyStr(code)).bidi },
};
