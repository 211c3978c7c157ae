/**
 * Where template sources come from: the engine's in-memory `templates`, then its `dirs`, in order.
 * Each place a template can be found has a path (`<templates>/name` for memory, the file path
 * otherwise), which is how `{% extends %}` skips the templates already in its chain, as Django's
 * loaders skip origins.
 * @module
 */
import { TemplateDoesNotExist, TemplateSyntaxError } from "./errors.ts";

/** A template source found by a {@link TemplateLoader}. */
export interface FoundSource {
  /** The text. */
  readonly source: string;
  /** Where it was found; unique per place. */
  readonly path: string;
  /** Modification time of a file read while watching, else null. */
  readonly mtime: number | null;
}

/** Path prefix of in-memory templates. */
const MEMORY = "<templates>/";

/**
 * Finds template sources by name.
 *
 * @example
 * ```ts
 * import { TemplateLoader } from "./loader.ts";
 * const loader = new TemplateLoader({ "a.html": "A" }, [], false);
 * loader.load("a.html").path; // "<templates>/a.html"
 * ```
 */
export class TemplateLoader {
  #sources: Record<string, string>;
  #dirs: readonly string[];
  #watch: boolean;

  /** Looks in `sources` (by exact name) then in `dirs`; `watch` records file times. */
  constructor(sources: Record<string, string>, dirs: readonly string[], watch: boolean) {
    this.#sources = { ...sources };
    this.#dirs = dirs;
    this.#watch = watch;
  }

  /** Adds or replaces an in-memory template. */
  add(name: string, source: string): void {
    this.#sources[name] = source;
  }

  /**
   * The first source of `name` whose path is not in `skip`. Throws TemplateDoesNotExist listing
   * every place tried.
   */
  load(name: string, skip?: ReadonlySet<string>): FoundSource {
    const tried: string[] = [];
    const memoryPath = MEMORY + name;
    if (Object.hasOwn(this.#sources, name)) {
      if (!skip?.has(memoryPath)) {
        return { source: this.#sources[name], path: memoryPath, mtime: null };
      }
      tried.push(`${memoryPath} (skipped)`);
    } else tried.push("<templates>");
    for (const dir of this.#dirs) {
      const path = safeJoin(dir, name);
      if (path === null) continue;
      if (skip?.has(path)) {
        tried.push(`${path} (skipped)`);
        continue;
      }
      tried.push(path);
      try {
        const source = Deno.readTextFileSync(path);
        return { source, path, mtime: this.#watch ? mtimeOf(path) : null };
      } catch (err) {
        if (!(err instanceof Deno.errors.NotFound || err instanceof Deno.errors.IsADirectory)) {
          throw err;
        }
      }
    }
    throw new TemplateDoesNotExist(name, tried);
  }

  /** True when `found` came from a file that changed since (only when watching). */
  isStale(found: FoundSource): boolean {
    return this.#watch && found.mtime !== null && found.mtime !== mtimeOf(found.path);
  }
}

function mtimeOf(path: string): number | null {
  try {
    return Deno.statSync(path).mtime?.getTime() ?? null;
  } catch {
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

/**
 * Django's `construct_relative_path`: a name starting with `./` or `../` is resolved against the
 * directory of `current` (the template the tag is in). Other names are returned as they are.
 * Throws TemplateSyntaxError for a name that climbs above the root or names `current` itself.
 *
 * @example
 * ```ts
 * import { relativeTemplateName } from "./loader.ts";
 * relativeTemplateName("blog/post.html", "../base.html"); // "base.html"
 * ```
 */
export function relativeTemplateName(current: string, name: string): string {
  if (!name.startsWith("./") && !name.startsWith("../")) return name;
  const from = current.replace(/^\/+/, "");
  // A template made from a string has no directory: its relative names start at the root.
  const dir = from === "<string>" ? "" : from.slice(0, from.lastIndexOf("/") + 1);
  const resolved = normalizePath(dir + name);
  if (resolved.startsWith("../") || resolved === "..") {
    throw new TemplateSyntaxError(
      `The relative path '${name}' points outside the file hierarchy that template '${current}' is in.`,
    );
  }
  if (resolved === from) {
    throw new TemplateSyntaxError(
      `The relative path '${name}' was translated to template name '${current}', the same template in which the tag appears.`,
    );
  }
  return resolved;
}

/** Python's `posixpath.normpath` for relative paths: drops `.`, resolves `..` where it can. */
function normalizePath(path: string): string {
  const out: string[] = [];
  for (const part of path.split("/")) {
    if (part === "" || part === ".") continue;
    if (part === ".." && out.length && out[out.length - 1] !== "..") out.pop();
    else out.push(part);
  }
  return out.join("/") || ".";
}
