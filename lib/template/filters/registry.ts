/**
 * The filter registry: one entry per filter name, with Django's flags.
 * @module
 */
import type { SafeString } from "../safe.ts";

/** What a filter function receives besides its input and argument. */
export interface FilterEnv {
  /** Whether autoescaping is on where the filter is applied. */
  readonly autoescape: boolean;
  /** Whether the input value was a SafeString (for `stringFilter` filters, whose input is a plain string). */
  readonly inputSafe: boolean;
  /** IANA time zone in which aware datetimes are shown (the engine's `timeZone`, default "UTC"). */
  readonly timeZone: string;
  /** Translates a message into the render's language (for filters such as `language_name_translated`). */
  readonly translate?: (message: string) => string;
}

/** How many arguments a filter takes: Django checks this when the template compiles. */
export type FilterArity = "none" | "required" | "optional";

/** A filter function. `arg` is `undefined` when the template gave no argument. */
export type FilterFunction = (value: unknown, arg: unknown, env: FilterEnv) => unknown;

/**
 * A filter and its flags, as in Django's `register.filter(is_safe=…, needs_autoescape=…)`.
 *
 * @example
 * ```ts
 * import { Engine } from "@djust/djust/template";
 * const engine = new Engine();
 * engine.filters.set("shout", { fn: (v) => String(v).toUpperCase() + "!", arg: "none", isSafe: true });
 * engine.renderString("{{ 'hi'|shout }}", {}); // "HI!"
 * ```
 */
export interface FilterDefinition {
  /** The function itself. */
  readonly fn: FilterFunction;
  /** Argument count; default "none". */
  readonly arg?: FilterArity;
  /** Output is safe when the input was safe (Django `is_safe`). */
  readonly isSafe?: boolean;
  /** The function escapes by itself when `env.autoescape` is on (Django `needs_autoescape`). */
  readonly needsAutoescape?: boolean;
  /** Convert the input to a string first (Django `@stringfilter`); `env.inputSafe` says if it was safe. */
  readonly stringFilter?: boolean;
  /**
   * Optional fast path for compiled templates: what `{{ value|filter:arg }}` prints when the filter
   * ends the expression and autoescape is on, in one step (`fn`'s result, escaped unless it is a
   * SafeString). Only called with an input `fn` takes as it is: a plain string for a
   * `stringFilter`, anything but a SafeString otherwise. A filter whose output is cached can keep
   * the escaped text too, saving the escape's scan on every render.
   */
  readonly print?: (value: unknown, arg: unknown, env: FilterEnv) => string;
  /**
   * Optional: true when, with this literal argument (`undefined` for none), the filter's output
   * never holds a character HTML escaping changes (`& < > " '`), so a compiled template prints it
   * without scanning it (`date:"Y-m-d"`, `yesno:"yes,no"`). Not asked for arguments that are
   * variables.
   */
  readonly escapeFree?: (arg: unknown) => boolean;
}

/** A filter function may return a SafeString to declare its output already escaped. */
export type FilterResult = string | SafeString | unknown;

/**
 * The filters an engine knows, by name. A plain `Map`: `engine.filters.set(name, definition)` adds one.
 *
 * @example
 * ```ts
 * import { FilterRegistry } from "@djust/djust/template";
 * const filters = new FilterRegistry();
 * filters.set("double", { fn: (v: unknown) => Number(v) * 2 });
 * ```
 */
export class FilterRegistry extends Map<string, FilterDefinition> {
  #libraries = new Map<string, Map<string, FilterDefinition>>();

  /**
   * Registers filters that only `{% load name %}` makes available in a template (a Django tag
   * library's filters, such as `i18n`'s `language_name`). Returns this registry.
   */
  library(name: string, defs: Record<string, FilterDefinition>): this {
    const library = this.#libraries.get(name) ?? new Map<string, FilterDefinition>();
    for (const filter in defs) library.set(filter, defs[filter]);
    this.#libraries.set(name, library);
    return this;
  }

  /** The filters of library `name` (empty when it has none). */
  libraryFilters(name: string): ReadonlyMap<string, FilterDefinition> {
    return this.#libraries.get(name) ?? new Map();
  }

  /** Adds every filter of `defs` (an object of name → definition). Returns this registry. */
  addAll(defs: Record<string, FilterDefinition>): this {
    for (const name in defs) this.set(name, defs[name]);
    return this;
  }
}
