/**
 * The template engine: registries, loading, compiling and caching.
 * @module
 */
import { Context } from "./context.ts";
import { TemplateDoesNotExist } from "./errors.ts";
import { registerBuiltinFilters } from "./filters/builtins.ts";
import { FilterRegistry } from "./filters/registry.ts";
import type { TemplateHooks } from "./hooks.ts";
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
  /** Re-read templates from `dirs` when their file changes (development). Default false. */
  watch?: boolean;
}

/** Most compiled `renderString` sources kept; beyond this the oldest are dropped. */
const STRING_CACHE_LIMIT = 512;

/**
 * Compiles and renders Django templates.
 *
 * @example
 * ```ts
 * import { Engine } from "@djust/djust";
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
  #sources: Record<string, string>;
  #dirs: string[];
  #watch: boolean;
  #byName = new Map<string, { template: Template; mtime: number | null }>();
  #byString = new Map<string, Template>();

  /** Creates an engine with the built-in filters and tags. */
  constructor(options: EngineOptions = {}) {
    this.autoescape = options.autoescape ?? true;
    this.hooks = { timeZone: options.timeZone ?? "UTC" };
    this.#sources = { ...options.templates };
    this.#dirs = options.dirs ?? [];
    this.#watch = options.watch ?? false;
    this.libraries = new Set(["static", "i18n", "l10n", "tz", ...(options.libraries ?? [])]);
    registerBuiltinFilters(this.filters);
    registerControlTags(this.tags);
    registerInheritanceTags(this.tags);
    registerMiscTags(this.tags, this.libraries);
  }

  /** Compiles `source`. Throws TemplateSyntaxError with name, line and column. */
  fromString(source: string, name = "<string>"): Template {
    const parser = new Parser(source, {
      filters: this.filters,
      tags: this.tags,
      templateName: name,
    });
    return new Template(name, source, parser.parse(), this);
  }

  /** Adds or replaces an in-memory template (and forgets its compiled form). */
  addTemplate(name: string, source: string): void {
    this.#sources[name] = source;
    this.#byName.delete(name);
  }

  /** Returns the compiled template `name` (cached), from `templates` then `dirs`. */
  getTemplate(name: string): Template {
    const cached = this.#byName.get(name);
    if (cached && (!this.#watch || cached.mtime === null || cached.mtime === this.#mtimeOf(name))) {
      return cached.template;
    }
    const found = this.#load(name);
    const template = this.fromString(found.source, name);
    this.#byName.set(name, { template, mtime: found.mtime });
    return template;
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
      hooks ? { ...this.hooks, ...hooks } : this.hooks,
    );
    ctx.templates = this;
    return ctx;
  }

  /** Forgets every compiled template. */
  clearCache(): void {
    this.#byName.clear();
    this.#byString.clear();
  }

  #load(name: string): { source: string; mtime: number | null } {
    if (Object.hasOwn(this.#sources, name)) return { source: this.#sources[name], mtime: null };
    const tried = ["<templates>"];
    for (const dir of this.#dirs) {
      const path = safeJoin(dir, name);
      if (path === null) continue;
      tried.push(path);
      try {
        const source = Deno.readTextFileSync(path);
        return { source, mtime: this.#watch ? this.#mtimeOf(name) : null };
      } catch (err) {
        if (!(err instanceof Deno.errors.NotFound || err instanceof Deno.errors.IsADirectory)) {
          throw err;
        }
      }
    }
    throw new TemplateDoesNotExist(name, tried);
  }

  #mtimeOf(name: string): number | null {
    for (const dir of this.#dirs) {
      const path = safeJoin(dir, name);
      if (path === null) continue;
      try {
        return Deno.statSync(path).mtime?.getTime() ?? null;
      } catch {
        // not in this directory
      }
    }
    return null;
  }
}

/** Joins `dir` and a template name, refusing names that climb out of `dir`. */
function safeJoin(dir: string, name: string): string | null {
  const parts: string[] = [];
  for (const part of name.split("/")) {
    if (part === "" || part === ".") continue;
    if (part === "..") {
      if (!parts.length) return null;
      parts.pop();
    } else parts.push(part);
  }
  if (!parts.length) return null;
  return dir.replace(/\/+$/, "") + "/" + parts.join("/");
}
