/**
 * Which language a visitor's pages render in, chosen as Django's LocaleMiddleware chooses: the
 * language the visitor picked (kept in the session), the `django_language` cookie, then the
 * browser's Accept-Language, among the languages the engine has; else the default language.
 * @module
 */
import type { Translations } from "../template/i18n/translations.ts";
import { toLanguage } from "../template/i18n/translations.ts";
import { availableLanguages } from "../template/i18n/language_info.ts";
import type { Session } from "../session/session.ts";
import type { HeaderSource } from "./kept_headers.ts";

/** Session key of the language a visitor picked (`session.set(LANGUAGE_SESSION_KEY, "de")`). */
export const LANGUAGE_SESSION_KEY = "_language";
/** Cookie read for the language, as Django's LANGUAGE_COOKIE_NAME. */
export const LANGUAGE_COOKIE = "django_language";

/** Longest Accept-Language header considered (anything past it is ignored). */
const MAX_ACCEPT_LENGTH = 500;
/** A language range as RFC 4647 writes it (`*` left out: it names no language). */
const RANGE_RE = /^[A-Za-z]{1,8}(?:-[A-Za-z0-9]{1,8})*$/;
/** Most language ranges read from one header. */
const MAX_RANGES = 16;

/**
 * The supported language `code` stands for, as Django's `get_supported_language_variant`: the code
 * itself, its generic language (`de` for `de-at`), or a supported variant of it (`de-at` for `de`).
 * Null when none is supported.
 *
 * @example
 * ```ts
 * import { supportedVariant } from "./language.ts";
 * supportedVariant("de-AT", ["en-us", "de"]); // "de"
 * supportedVariant("pt", ["en-us", "pt-br"]); // "pt-br"
 * supportedVariant("fr", ["en-us", "de"]); // null
 * ```
 */
export function supportedVariant(code: string, supported: readonly string[]): string | null {
  const wanted = toLanguage(code.trim());
  if (!/^[a-z]{1,8}(?:-[a-z0-9]{1,8})*$/.test(wanted)) return null;
  if (supported.includes(wanted)) return wanted;
  const generic = wanted.split("-")[0];
  if (supported.includes(generic)) return generic;
  return supported.find((s) => s.startsWith(generic + "-")) ?? null;
}

/**
 * Language ranges of an Accept-Language header, most wanted first (`q=0` ranges and `*` left out).
 *
 * @example
 * ```ts
 * import { acceptedLanguages } from "./language.ts";
 * acceptedLanguages("fr;q=0.5, de-AT, en;q=0.8"); // ["de-AT", "en", "fr"]
 * ```
 */
export function acceptedLanguages(header: string): string[] {
  const ranges: { code: string; q: number; order: number }[] = [];
  const parts = header.slice(0, MAX_ACCEPT_LENGTH).split(",").slice(0, MAX_RANGES);
  parts.forEach((part, order) => {
    const [code, ...params] = part.trim().split(";");
    let q = 1;
    for (const param of params) {
      const [key, value] = param.trim().split("=");
      if (key === "q") q = Number(value);
    }
    if (RANGE_RE.test(code) && Number.isFinite(q) && q > 0) ranges.push({ code, q, order });
  });
  ranges.sort((a, b) => b.q - a.q || a.order - b.order);
  return ranges.map((r) => r.code);
}

/** The value of cookie `name` in a Cookie header, or null. */
function cookie(headers: HeaderSource, name: string): string | null {
  for (const part of (headers.get("cookie") ?? "").split(";")) {
    const eq = part.indexOf("=");
    if (eq !== -1 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return null;
}

/**
 * The language to render a visitor's page in: the session's pick, the language cookie, then the
 * Accept-Language header, each only when the engine supports it; else the default language.
 *
 * @example
 * ```ts
 * import { negotiateLanguage } from "./language.ts";
 * import { Translations } from "../template/i18n/translations.ts";
 * const translations = new Translations({ languages: [["en", "English"], ["de", "German"]] });
 * negotiateLanguage(translations, null, new Headers({ "accept-language": "de-CH, en;q=0.5" }));
 * // "de"
 * ```
 */
export function negotiateLanguage(
  translations: Translations,
  session: Pick<Session, "get"> | null,
  headers: HeaderSource,
): string {
  const supported = availableLanguages(translations).map(([code]) => code);
  const picked = session?.get(LANGUAGE_SESSION_KEY);
  if (typeof picked === "string") {
    const found = supportedVariant(picked, supported);
    if (found) return found;
  }
  const fromCookie = cookie(headers, LANGUAGE_COOKIE);
  if (fromCookie) {
    const found = supportedVariant(fromCookie, supported);
    if (found) return found;
  }
  for (const code of acceptedLanguages(headers.get("accept-language") ?? "")) {
    const found = supportedVariant(code, supported);
    if (found) return found;
  }
  return toLanguage(translations.defaultLanguage);
}
