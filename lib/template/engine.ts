/**
 * The template engine: registries, loading, compiling and caching.
 * @module
 */
import { Context } from "./context.ts";
import { TemplateDoesNotExist } from "./errors.ts";
import { registerBuiltinFilters } from "./filters/builtins.ts";
import { FilterRegistry } from "./filters/registry.ts";
import { mergeHooks, type TemplateHooks } from "./hooks.ts";
import { registerI18n } from "./i18n/tags.ts";
import { type LocalesOptions, Translations } from "./i18n/translations.ts";
import { registerComponentTags } from "./tags/component.ts";
import { type FoundSource, TemplateLoader } from "./loader.ts";
import { Parser } from "./parser.ts";
import { registerControlTags } from "./tags/control.ts";
import { registerInheritanceTags } from "./tags/inheritance.ts";
import { registerMiscTags } from "./tags/misc.ts";
import { TagRegistry } from "./tags/registry.ts";
import { Template } from "./template.ts";

/** Options for {@link Engine}. */
export interface EngineOptions {
  /** Templates held in memory, by name; looked up before `dirs`. */
  templates?: Record<string, string>;
  /** Directories to load templates from, in order. */
  dirs?: string[];
  /** Escape `{{ }}` output (default true). */
  autoescape?: boolean;
  /** IANA time zone for aware datetimes (default "UTC"). */
  timeZone?: string;
  /** Names `{% load %}` accepts (their tags and filters are registered directly on the engine). */
  libraries?: string[];
  /**
   * Translations: gettext catalogs in `dir` (`<locale>/LC_MESSAGES/django.mo` or `.po`) and the
   * `default` language. Without it, the i18n tags render the source text, as Django does with
   * nothing translated.
   */
  locales?: LocalesOptions;
  /** Re-read templates from `dirs` when their file changes (development). Default false. */
  watch?: boolean;
  /**
   * Template components by name → template name, for `{% component "name" %}` (a name not listed
   * is looked up as `components/<name>.html`).
   */
  components?: Record<string, string>;
}

/** A compiled template and the source it was compiled from. */
interface CachedTemplate {
  readonly template: Template;
  readonly found: FoundSource;
}

/** Most compiled `renderString` sources kept; beyond this the oldest are dropped. */
const STRING_CACHE_LIMIT = 512;

/**
 * Compiles and renders Django templates.
 *
 * @example
 * ```ts
 * import { Engine } from "@djust/djust/template";
 * const engine = new Engine({ templates: { "hi.html": "Hi {{ name|title }}" } });
 * engine.render("hi.html", { name: "ann lee" }); // "Hi Ann Lee"
 * engine.renderString("{{ 1|add:2 }}", {}); // "3"
 * ```
 */
export class Engine {
  /** Filters by name; add your own with `filters.set(name, definition)`. */
  readonly filters: FilterRegistry = new FilterRegistry();
  /** Tags by name; add your own with `tags.set`, `tags.simpleTag` or `tags.inclusionTag`. */
  readonly tags: TagRegistry = new TagRegistry();
  /** Default autoescape for renders. */
  readonly autoescape: boolean;
  /** Default hooks for renders (time zone). */
  readonly hooks: TemplateHooks;
  /** Libraries `{% load %}` accepts. */
  readonly libraries: Set<string>;
  /**
   * Template components: name → template name (`engine.components.set("button",
   * "ui/button.html")`). Unlisted names are found as `components/<name>.html`.
   */
  readonly components: Map<string, string>;
  /** The catalogs renders translate with (empty without `locales.dir`). */
  readonly translations: Translations;
  #loader: TemplateLoader;
  // Compiled templates by the path they were found at, and the path each name was found at.
  // Compiled templates by the path they were found at, and by name (the first place that has it).
  #byPath = new Map<string, CachedTemplate>();
  #byName = new Map<string, CachedTemplate>();
  readonly #watch: boolean;
  #byString = new Map<string, Template>();

  /** Creates an engine with the built-in filters and tags. */
  constructor(options: EngineOptions = {}) {
    this.autoescape = options.autoescape ?? true;
    this.hooks = { timeZone: options.timeZone ?? "UTC" };
    this.#loader = new TemplateLoader(
      options.templates ?? {},
      options.dirs ?? [],
      options.watch ?? false,
    );
    this.#watch = options.watch ?? false;
    this.libraries = new Set(["static", "i18n", "l10n", "tz", ...(options.libraries ?? [])]);
    this.translations = new Translations(options.locales);
    this.components = new Map(Object.entries(options.components ?? {}));
    registerBuiltinFilters(this.filters);
    registerControlTags(this.tags);
    registerInheritanceTags(this.tags);
    registerMiscTags(this.tags, this.libraries);
    registerI18n(this.tags, this.filters);
    registerComponentTags(this.tags);
  }

  /** The locales that have a catalog (`["de", "pl"]`), e.g. for a language menu. */
  get locales(): string[] {
    return this.translations.locales;
  }

  /** Compiles `source`. Throws TemplateSyntaxError with name, line and column. */
  fromString(source: string, name = "<string>"): Template {
    return this.#compile(source, name, name);
  }

  #compile(source: string, name: string, path: string): Template {
    const parser = new Parser(source, {
      filters: this.filters,
      tags: this.tags,
      templateName: name,
      path,
    });
    return new Template(name, source, parser.parse(), this, path);
  }

  /** Adds or replaces an in-memory template (and forgets its compiled form). */
  addTemplate(name: string, source: string): void {
    this.#loader.add(name, source);
    this.#byPath.delete("<templates>/" + name);
    this.#byName.delete(name);
  }

  /** Returns the compiled template `name` (cached), from `templates` then `dirs`. */
  getTemplate(name: string): Template {
    // One map lookup on the way every {% include %} takes; files are checked only when watching.
    const cached = this.#byName.get(name);
    if (cached !== undefined && (!this.#watch || !this.#loader.isStale(cached.found))) {
      return cached.template;
    }
    const loaded = this.#load(name);
    this.#byName.set(name, loaded);
    return loaded.template;
  }

  /**
   * The compiled template `name` from the first place whose path is not in `skip` (how
   * `{% extends %}` reaches a template of the same name in a later directory, and how a template
   * extending itself fails with TemplateDoesNotExist rather than looping).
   */
  findTemplate(name: string, skip?: ReadonlySet<string>): Template {
    const template = this.getTemplate(name);
    return skip?.has(template.path) ? this.#load(name, skip).template : template;
  }

  #load(name: string, skip?: ReadonlySet<string>): CachedTemplate {
    const found = this.#loader.load(name, skip);
    const cached = this.#byPath.get(found.path);
    if (cached && cached.found.source === found.source) return cached;
    const loaded = { template: this.#compile(found.source, name, found.path), found };
    this.#byPath.set(found.path, loaded);
    return loaded;
  }

  /**
   * The first of `names` that exists, as Django's `select_template` (used by `{% include %}` of a
   * list). Throws TemplateDoesNotExist naming them all when none does.
   */
  selectTemplate(names: readonly string[]): Template {
    if (!names.length) throw new TemplateDoesNotExist("", [], "No template names provided");
    const missing: string[] = [];
    for (const name of names) {
      try {
        return this.getTemplate(name);
      } catch (err) {
        if (!(err instanceof TemplateDoesNotExist)) throw err;
        missing.push(name);
      }
    }
    throw new TemplateDoesNotExist(missing.join(", "), []);
  }

  /** Renders template `name` with `context`. */
  render(name: string, context: Record<string, unknown> = {}, hooks?: TemplateHooks): string {
    return this.getTemplate(name).render(context, hooks);
  }

  /** Compiles (cached by source) and renders `source` with `context`. */
  renderString(
    source: string,
    context: Record<string, unknown> = {},
    hooks?: TemplateHooks,
  ): string {
    let template = this.#byString.get(source);
    if (!template) {
      template = this.fromString(source);
      if (this.#byString.size >= STRING_CACHE_LIMIT) {
        this.#byString.delete(this.#byString.keys().next().value!);
      }
      this.#byString.set(source, template);
    }
    return template.render(context, hooks);
  }

  /** Creates a render context bound to this engine (for custom tags and advanced use). */
  newContext(values: Record<string, unknown> = {}, hooks?: TemplateHooks): Context {
    const ctx = new Context(
      values,
      this.autoescape,
      hooks ? mergeHooks(this.hooks, hooks) : this.hooks,
    );
    ctx.templates = this;
    ctx.translations = this.translations;
    return ctx;
  }

  /** Forgets every compiled template. */
  clearCache(): void {
    this.#byPath.clear();
    this.#byName.clear();
    this.#byString.clear();
  }
}
