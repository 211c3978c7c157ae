/**
 * What Django's `get_language_info` tells about a language (name, name in the language itself,
 * direction) and its `LANGUAGES` setting, for the language-menu tags and filters of the `i18n`
 * library. Names come from the runtime's `Intl.DisplayNames` (Unicode CLDR data), not from
 * Django's own table, so a few differ in wording (`Brazilian Portuguese` is `Brazilian Portuguese`
 * in both, but a local name may be capitalized differently).
 * @module
 */
import { pythonError } from "../filters/python.ts";
import { isBidi, toLanguage, type Translations } from "./translations.ts";

/** Django's language info dictionary. */
export interface LanguageInfo {
  /** The language code (`de`, `pt-br`). */
  readonly code: string;
  /** Its English name. */
  readonly name: string;
  /** Its name in itself (`Deutsch`). */
  readonly name_local: string;
  /** Its English name translated into the render's language (filled by the tag). */
  name_translated: string;
  /** True when it is written right to left. */
  readonly bidi: boolean;
}

const english = new Intl.DisplayNames(["en"], { type: "language", fallback: "none" });

/** The English name of `code` from CLDR, or undefined when CLDR does not know it. */
function englishName(code: string): string | undefined {
  try {
    const name = english.of(code);
    return name === undefined || name.toLowerCase() === code.toLowerCase() ? undefined : name;
  } catch {
    return undefined; // not a well-formed language tag
  }
}

/**
 * Django's `get_language_info(code)`: the code itself, else its generic language (`de-at` →
 * `de`); Python's KeyError for a language nobody knows.
 *
 * @example
 * ```ts
 * import { languageInfo } from "./language_info.ts";
 * languageInfo("de").name_local; // "Deutsch"
 * ```
 */
export function languageInfo(code: string): LanguageInfo {
  const normalized = toLanguage(code);
  // Django describes a regional code (`de-at`, `en-us`) by its generic language, but keeps scripts
  // (`sr-latn`, `zh-hans`) apart.
  const [language, subtag] = normalized.split("-");
  let found = subtag !== undefined && subtag.length === 2 ? language : normalized;
  let name = englishName(found);
  if (name === undefined) {
    if (!normalized.includes("-")) {
      throw pythonError("KeyError", `Unknown language code ${code}.`);
    }
    found = normalized.split("-")[0];
    name = englishName(found);
    if (name === undefined) {
      throw pythonError("KeyError", `Unknown language code ${code} and ${found}.`);
    }
  }
  let local = name;
  try {
    local = new Intl.DisplayNames([found], { type: "language" }).of(found) ?? name;
  } catch {
    // the runtime has no data for it: keep the English name
  }
  return { code: found, name, name_local: local, name_translated: name, bidi: isBidi(found) };
}

/**
 * The English name of a language code for the `LANGUAGES` list (the code when unknown).
 *
 * @example
 * ```ts
 * import { languageName } from "./language_info.ts";
 * languageName("de"); // "German"
 * ```
 */
export function languageName(code: string): string {
  return englishName(toLanguage(code)) ?? englishName(toLanguage(code).split("-")[0]) ?? code;
}

/**
 * Django's `LANGUAGES` for `{% get_available_languages %}`: the engine's `locales.languages`, else
 * the default language and every locale that has a catalog, named in English.
 *
 * @example
 * ```ts
 * import { availableLanguages } from "./language_info.ts";
 * import { Translations } from "./translations.ts";
 * availableLanguages(new Translations()); // [["en-us", "American English"]]
 * ```
 */
export function availableLanguages(
  translations: Translations,
): readonly (readonly [string, string])[] {
  if (translations.languages) return translations.languages;
  const codes = [toLanguage(translations.defaultLanguage)];
  for (const locale of translations.locales) {
    const code = toLanguage(locale);
    if (!codes.includes(code)) codes.push(code);
  }
  return codes.map((code) => [code, languageName(code)] as const);
}
