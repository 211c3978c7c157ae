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
  return Object.create(base, descriptorsOf([extra])) as TemplateHooks;
}

/**
 * `extra` over `base`, as {@link mergeHooks} makes them, in one object of its own: for hooks kept
 * long whose `base` was made for them. `mergeHooks` makes `base` a prototype, and V8 gives each
 * prototype its own map, prototype info and dictionary of properties (~0.5 KB).
 *
 * @example
 * ```ts
 * import { flattenHooks } from "./hooks.ts";
 * const base = { csrfToken: "abc" };
 * const hooks = flattenHooks(base, { get language() { return "de"; } });
 * Object.getPrototypeOf(hooks) === Object.prototype; // true: `base` stays an ordinary object
 * ```
 */
export function flattenHooks(base: TemplateHooks, extra: TemplateHooks): TemplateHooks {
  return Object.defineProperties({}, descriptorsOf([extra, base])) as TemplateHooks;
}

/** What `layers` (and their prototype chains) define, the first layer winning. */
function descriptorsOf(layers: readonly TemplateHooks[]): PropertyDescriptorMap {
  // A layer may itself be a merge: take what its whole chain defines, nearest first.
  const descriptors: PropertyDescriptorMap = {};
  for (const layer of layers) {
    for (
      let o: object | null = layer;
      o !== null && o !== Object.prototype;
      o = Object.getPrototypeOf(o)
    ) {
      for (const [key, descriptor] of Object.entries(Object.getOwnPropertyDescriptors(o))) {
        if (!(key in descriptors)) descriptors[key] = descriptor;
      }
    }
  }
  return descriptors;
}
