/**
 * The tag registry, plus helpers for the two kinds of custom tag Django users write most:
 * simple tags (a function whose result is printed) and inclusion tags (a function whose result is the
 * context of another template).
 * @module
 */
import type { CodeWriter } from "../compiler/writer.ts";
import type { Context } from "../context.ts";
import type { FilterExpression } from "../expression.ts";
import { Node, renderValue } from "../nodes.ts";
import type { Parser, TagToken } from "../parser.ts";

/** Compiles one block tag into a node. */
export type TagCompiler = (parser: Parser, token: TagToken) => Node;

/** A compiled template as tags see it (a {@link Template}). */
export interface LoadedTemplate {
  /** Where it was loaded from (unique per place). */
  readonly path: string;
  /** Its nodes. */
  readonly nodes: readonly Node[];
  /** Renders it in `ctx`, with its own per-render state. */
  render(ctx: Context): string;
}

/** A loader that nodes use to find other templates (include, extends, inclusion tags). */
export interface TemplateSource {
  /** Returns the compiled template named `name`; throws TemplateDoesNotExist. */
  getTemplate(name: string): LoadedTemplate;
  /** Like `getTemplate`, from the first place whose path is not in `skip`. */
  findTemplate(name: string, skip?: ReadonlySet<string>): LoadedTemplate;
  /** The first of `names` that exists; throws TemplateDoesNotExist naming them all. */
  selectTemplate(names: readonly string[]): LoadedTemplate;
}

/** Options for {@link TagRegistry.simpleTag}. */
export interface SimpleTagOptions {
  /** Pass the render context as the first argument. */
  takesContext?: boolean;
}

/**
 * The block tags an engine knows, by name.
 *
 * @example
 * ```ts
 * import { Engine } from "@djust/djust/template";
 * const engine = new Engine();
 * engine.tags.simpleTag("greet", (name) => `Hello, ${name}!`);
 * engine.renderString('{% greet "Ann" %}', {}); // "Hello, Ann!"
 * ```
 */
export class TagRegistry extends Map<string, TagCompiler> {
  #libraries = new Map<string, Map<string, TagCompiler>>();

  /**
   * Registers tags that only `{% load name %}` makes available in a template (a Django tag
   * library, such as `i18n`). Returns this registry.
   */
  library(name: string, tags: Record<string, TagCompiler>): this {
    const library = this.#libraries.get(name) ?? new Map<string, TagCompiler>();
    for (const tag in tags) library.set(tag, tags[tag]);
    this.#libraries.set(name, library);
    return this;
  }

  /** The tags of library `name` (empty when it has none). */
  libraryTags(name: string): ReadonlyMap<string, TagCompiler> {
    return this.#libraries.get(name) ?? new Map();
  }

  /**
   * Registers `{% name arg1 arg2 key=value [as var] %}`: calls `fn(...args, kwargs)` and prints the
   * result (escaped when autoescape is on), or stores it in `var`.
   */
  simpleTag(
    name: string,
    fn: (...args: unknown[]) => unknown,
    options: SimpleTagOptions = {},
  ): this {
    this.set(name, (parser, token) => {
      const bits = token.splitContents().slice(1);
      let target: string | null = null;
      if (bits.length >= 2 && bits[bits.length - 2] === "as") {
        target = bits[bits.length - 1];
        bits.length -= 2;
      }
      const { args, kwargs } = parseArguments(parser, token, bits);
      return new SimpleTagNode(fn, args, kwargs, target, options.takesContext ?? false);
    });
    return this;
  }

  /**
   * Registers `{% name args %}` that renders `templateName` with the object `fn` returns.
   */
  inclusionTag(
    name: string,
    templateName: string,
    fn: (...args: unknown[]) => Record<string, unknown>,
    options: SimpleTagOptions = {},
  ): this {
    this.set(name, (parser, token) => {
      const { args, kwargs } = parseArguments(parser, token, token.splitContents().slice(1));
      return new InclusionTagNode(fn, args, kwargs, templateName, options.takesContext ?? false);
    });
    return this;
  }
}

const KWARG_RE = /^(?:(\w+)=)?(.+)$/s;

function parseArguments(
  parser: Parser,
  token: TagToken,
  bits: string[],
): { args: FilterExpression[]; kwargs: Map<string, FilterExpression> } {
  const args: FilterExpression[] = [];
  const kwargs = new Map<string, FilterExpression>();
  for (const bit of bits) {
    const m = KWARG_RE.exec(bit)!;
    if (m[1]) kwargs.set(m[1], parser.compileFilter(m[2], token));
    else if (kwargs.size) {
      throw parser.error(
        `'${token.name}' received a positional argument after keyword arguments`,
        token,
      );
    } else args.push(parser.compileFilter(m[2], token));
  }
  return { args, kwargs };
}

function resolveArguments(
  ctx: Context,
  args: FilterExpression[],
  kwargs: Map<string, FilterExpression>,
  takesContext: boolean,
): unknown[] {
  const values: unknown[] = takesContext ? [ctx] : [];
  for (const a of args) values.push(a.resolve(ctx));
  if (kwargs.size) {
    const kw: Record<string, unknown> = {};
    for (const [k, v] of kwargs) kw[k] = v.resolve(ctx);
    values.push(kw);
  }
  return values;
}

class SimpleTagNode extends Node {
  override emit(w: CodeWriter): void {
    // Setting a variable writes the context: the whole function then runs in context mode.
    if (this.target !== null || this.takesContext) w.opaque(this);
    else w.withContext(this);
  }
  constructor(
    readonly fn: (...args: unknown[]) => unknown,
    readonly args: FilterExpression[],
    readonly kwargs: Map<string, FilterExpression>,
    readonly target: string | null,
    readonly takesContext: boolean,
  ) {
    super();
  }
  render(ctx: Context): string {
    const value = this.fn(...resolveArguments(ctx, this.args, this.kwargs, this.takesContext));
    if (this.target !== null) {
      ctx.set(this.target, value);
      return "";
    }
    return renderValue(value, ctx);
  }
}

class InclusionTagNode extends Node {
  override emit(w: CodeWriter): void {
    // Setting a variable writes the context: the whole function then runs in context mode.
    if (this.takesContext) w.opaque(this);
    else w.withContext(this);
  }
  constructor(
    readonly fn: (...args: unknown[]) => Record<string, unknown>,
    readonly args: FilterExpression[],
    readonly kwargs: Map<string, FilterExpression>,
    readonly templateName: string,
    readonly takesContext: boolean,
  ) {
    super();
  }
  render(ctx: Context): string {
    const values = this.fn(...resolveArguments(ctx, this.args, this.kwargs, this.takesContext));
    const template = ctx.templates!.getTemplate(this.templateName);
    const saved = ctx.isolate(values);
    try {
      return template.render(ctx);
    } finally {
      ctx.restoreScopes(saved);
    }
  }
}

/**
 * Parses `a=1 b=x` (or the legacy `x as a and y as b`) as Django's `token_kwargs` does, consuming the
 * bits it used from the front of `bits`.
 */
export function tokenKwargs(
  bits: string[],
  parser: Parser,
  token: TagToken,
  supportLegacy: boolean,
): Map<string, FilterExpression> {
  const out = new Map<string, FilterExpression>();
  if (!bits.length) return out;
  const first = /^(\w+)=(.+)$/s.exec(bits[0]);
  const kwargFormat = first !== null;
  if (!kwargFormat && (!supportLegacy || bits.length < 3 || bits[1] !== "as")) return out;
  while (bits.length) {
    let key: string, value: string;
    if (kwargFormat) {
      const m = /^(\w+)=(.+)$/s.exec(bits[0]);
      if (!m) return out;
      [key, value] = [m[1], m[2]];
      bits.splice(0, 1);
    } else {
      if (bits.length < 3 || bits[1] !== "as") return out;
      [key, value] = [bits[2], bits[0]];
      bits.splice(0, 3);
    }
    out.set(key, parser.compileFilter(value, token));
    if (bits.length && !kwargFormat) {
      if (bits[0] !== "and") return out;
      bits.splice(0, 1);
    }
  }
  return out;
}
