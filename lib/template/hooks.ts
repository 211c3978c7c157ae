/**
 * What a template may need from its surroundings at render time.
 * @module
 */

/**
 * Hooks a host (the djust App, or a user) gives the engine for tags that need the outside world.
 *
 * @example
 * ```ts
 * import { Engine } from "@djust/djust/template";
 * const engine = new Engine();
 * engine.renderString("{% csrf_token %}", {}, { csrfToken: "abc" });
 * ```
 */
export interface TemplateHooks {
  /** Resolves `{% url name arg1 kw=v %}` to a path; throw to signal NoReverseMatch. */
  reverse?: (name: string, args: unknown[], kwargs: Record<string, unknown>) => string;
  /** The request's CSRF token, rendered by `{% csrf_token %}`. */
  csrfToken?: string;
  /** IANA time zone in which aware datetimes are shown; default "UTC". */
  timeZone?: string;
  /**
   * The language to translate into (`"de"`, `"pt-br"`); default the engine's `locales.default`.
   * Read each time a tag translates, so it may be a getter (a LiveView reads its `language`
   * signal here, and a language switch re-renders exactly what was translated).
   */
  language?: string;
}

/**
 * `extra` over `base`: what `extra` defines wins, the rest comes from `base`. Getters stay getters
 * (an object spread would call them once), so a `language` getter over a signal keeps being read
 * on every translation of a long-lived context.
 *
 * @example
 * ```ts
 * import { mergeHooks } from "./hooks.ts";
 * let language = "de";
 * const hooks = mergeHooks({ timeZone: "UTC" }, { get language() { return language; } });
 * language = "pl";
 * hooks.language; // "pl"
 * ```
 */
export function mergeHooks(base: TemplateHooks, extra: TemplateHooks): TemplateHooks {
  // `extra` may itself be a merge: take what its whole chain defines, nearest first.
  const descriptors: PropertyDescriptorMap = {};
  for (
    let o: object | null = extra;
    o !== null && o !== Object.prototype;
    o = Object.getPrototypeOf(o)
  ) {
    for (const [key, descriptor] of Object.entries(Object.getOwnPropertyDescriptors(o))) {
      if (!(key in descriptors)) descriptors[key] = descriptor;
    }
  }
  return Object.create(base, descriptors) as TemplateHooks;
}
