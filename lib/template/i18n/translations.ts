/**
 * The engine's translations: gettext catalogs by language, looked up as Django looks them up
 * (`de-at` tries `de_AT` then `de`, then the default language), and Django's language-code rules.
 * @module
 */
import { Catalog } from "./catalog.ts";

/** Where catalogs are and which language renders by default (`Engine({ locales })`). */
export interface LocalesOptions {
  /**
   * A directory laid out as Django's `locale/`: `<locale>/LC_MESSAGES/<domain>.mo` (or `.po`),
   * e.g. `locale/de/LC_MESSAGES/django.mo`.
   */
  readonly dir?: string;
  /** Language of renders that name none (Django's LANGUAGE_CODE); default "en-us". */
  readonly default?: string;
  /** Catalog file name without extension; default "django". */
  readonly domain?: string;
  /**
   * Django's LANGUAGES: `[code, English name]` pairs for `{% get_available_languages %}`; default
   * the default language and every locale that has a catalog.
   */
  readonly languages?: readonly (readonly [string, string])[];
}

/** Django's LANGUAGES_BIDI: languages written right to left. */
const BIDI = new Set(["he", "ar", "ar-dz", "fa", "ur"]);

/**
 * Django's `to_language`: `de_AT` → `de-at`.
 *
 * @example
 * ```ts
 * import { toLanguage } from "./translations.ts";
 * toLanguage("DE_at"); // "de-at"
 * ```
 */
export function toLanguage(code: string): string {
  const underscore = code.indexOf("_");
  if (underscore === -1) return code.toLowerCase();
  return code.slice(0, underscore).toLowerCase() + "-" + code.slice(underscore + 1).toLowerCase();
}

/**
 * Django's `to_locale`: `en-us` → `en_US`, `sr-latn` → `sr_Latn`.
 *
 * @example
 * ```ts
 * import { toLocale } from "./translations.ts";
 * toLocale("pt-br"); // "pt_BR"
 * ```
 */
export function toLocale(language: string): string {
  const lower = language.toLowerCase();
  const dash = lower.indexOf("-");
  if (dash === -1) return language.slice(0, 3).toLowerCase() + language.slice(3);
  const lang = lower.slice(0, dash);
  let country = lower.slice(dash + 1);
  let tail = "";
  const secondDash = country.indexOf("-");
  if (secondDash !== -1) {
    [country, tail] = [country.slice(0, secondDash), country.slice(secondDash)];
  }
  country = country.length > 2
    ? country[0].toUpperCase() + country.slice(1)
    : country.toUpperCase();
  return lang + "_" + country + tail;
}

/**
 * True when `language` is written right to left (Django's `get_language_bidi`).
 *
 * @example
 * ```ts
 * import { isBidi } from "./translations.ts";
 * isBidi("ar-dz"); // true
 * ```
 */
export function isBidi(language: string | null): boolean {
  return language !== null && BIDI.has(language.split("-")[0]);
}

/**
 * Catalogs by language, and the gettext functions over them. Without catalogs every message is
 * its own translation, which is Django's output with `USE_I18N = True` and nothing translated.
 *
 * @example
 * ```ts
 * import { Translations } from "./translations.ts";
 * const none = new Translations();
 * none.ngettext("en-us", "", "%(n)s apple", "%(n)s apples", 2); // "%(n)s apples"
 * ```
 */
export class Translations {
  /** The language of renders that name none. */
  readonly defaultLanguage: string;
  /** The `languages` option, if given. */
  readonly languages: readonly (readonly [string, string])[] | undefined;
  readonly #dir: string | null;
  readonly #domain: string;
  // The catalogs a language reads, most specific first (cached per language code).
  #chains = new Map<string, readonly Catalog[]>();
  #catalogs = new Map<string, Catalog | null>();

  /** Catalogs from `options.dir` (none without it), read when a language first needs them. */
  constructor(options: LocalesOptions = {}) {
    this.defaultLanguage = options.default ?? "en-us";
    this.languages = options.languages;
    this.#dir = options.dir ? options.dir.replace(/\/+$/, "") : null;
    this.#domain = options.domain ?? "django";
  }

  /** The locale names that have a catalog in the directory (`["de", "pl"]`). */
  get locales(): string[] {
    if (this.#dir === null) return [];
    const found: string[] = [];
    for (const entry of Deno.readDirSync(this.#dir)) {
      if (entry.isDirectory && this.#catalogOf(entry.name)) found.push(entry.name);
    }
    return found.sort();
  }

  /** Translates `message` (in `context`, "" for none) into `language`; null: untranslated. */
  gettext(language: string | null, context: string, message: string): string {
    message = message.replace(/\r\n?/g, "\n");
    if (message === "" || language === null) return message;
    for (const catalog of this.#chain(language)) {
      const found = catalog.message(context, message);
      if (found !== undefined) return found;
    }
    return message;
  }

  /** The plural form for `count` of `singular`/`plural` in `language`; null: untranslated. */
  ngettext(
    language: string | null,
    context: string,
    singular: string,
    plural: string,
    count: number,
  ): string {
    if (language !== null) {
      for (const catalog of this.#chain(language)) {
        const found = catalog.pluralMessage(context, singular, count);
        if (found !== undefined) return found;
      }
    }
    return count === 1 ? singular : plural;
  }

  /** Django's lookup order: the language's locale, its base language, then the default's. */
  #chain(language: string): readonly Catalog[] {
    let chain = this.#chains.get(language);
    if (chain) return chain;
    const names: string[] = [];
    const add = (code: string): void => {
      const locale = toLocale(code);
      for (const name of [locale, locale.split("_")[0]]) {
        if (!names.includes(name)) names.push(name);
      }
    };
    add(language);
    if (toLanguage(language) !== toLanguage(this.defaultLanguage)) add(this.defaultLanguage);
    chain = names.map((name) => this.#catalogOf(name)).filter((c): c is Catalog => c !== null);
    this.#chains.set(language, chain);
    return chain;
  }

  #catalogOf(locale: string): Catalog | null {
    if (this.#dir === null) return null;
    let catalog = this.#catalogs.get(locale);
    if (catalog !== undefined) return catalog;
    catalog = null;
    const base = `${this.#dir}/${locale}/LC_MESSAGES/${this.#domain}`;
    for (const path of [base + ".mo", base + ".po"]) {
      try {
        catalog = Catalog.fromFile(path);
        break;
      } catch (err) {
        if (!(err instanceof Deno.errors.NotFound)) throw err;
      }
    }
    this.#catalogs.set(locale, catalog);
    return catalog;
  }
}
