/**
 * Turns tokens into a node tree. Tags are compiled by functions from the tag registry, which call
 * back into the parser for their bodies (`parser.parse(["endif"])`), as in Django.
 * @module
 */
import { TemplateSyntaxError } from "./errors.ts";
import { FilterExpression } from "./expression.ts";
import { positionOf, splitContents, type Token, tokenize, TokenKind } from "./lexer.ts";
import { type Node, type NodeList, type TemplateOrigin, TextNode, VariableNode } from "./nodes.ts";
import type { FilterDefinition, FilterRegistry } from "./filters/registry.ts";
import type { TagCompiler, TagRegistry } from "./tags/registry.ts";

/**
 * A block tag being compiled: its contents and position. Tag compile functions receive it.
 *
 * @example
 * ```ts
 * import { Engine, type Parser, type TagToken, TextNode } from "@djust/djust/template";
 * const engine = new Engine();
 * engine.tags.set("shout", (_parser: Parser, token: TagToken) => {
 *   const [, word] = token.splitContents(); // {% shout hello %} → ["shout", "hello"]
 *   return new TextNode(word.toUpperCase());
 * });
 * engine.renderString("{% shout hello %}", {}); // "HELLO"
 * ```
 */
export class TagToken {
  /** Everything between `{%` and `%}`, trimmed. */
  readonly contents: string;
  /** 0-based offset in the source. */
  readonly offset: number;
  /** 1-based line. */
  readonly line: number;
  /** Wraps a lexer token. */
  constructor(token: Token) {
    this.contents = token.contents;
    this.offset = token.offset;
    this.line = token.line;
  }
  /** The tag name (first word). */
  get name(): string {
    const space = this.contents.search(/\s/);
    return space === -1 ? this.contents : this.contents.slice(0, space);
  }
  /** Splits the contents on spaces, keeping quoted strings whole (Django's `split_contents`). */
  splitContents(): string[] {
    return splitContents(this.contents);
  }
}

/** The options a parser needs from its engine. */
export interface ParserOptions {
  /** The engine's filters. */
  readonly filters: FilterRegistry;
  /** The engine's tags (and its tag libraries, for `{% load %}`). */
  readonly tags: TagRegistry;
  /** Template name for error messages and relative names (`./x.html`). */
  readonly templateName: string;
  /** Where the template was loaded from; default: its name. */
  readonly path?: string;
}

/**
 * Compiles one template source. Tag compile functions receive it and use `parse`, `nextToken`,
 * `compileFilter` and `error`.
 *
 * @example
 * ```ts
 * import { Engine, Node } from "@djust/djust/template";
 * class ShoutNode extends Node {
 *   constructor(readonly body: readonly Node[]) { super(); }
 *   render(): string { return "LOUD"; }
 * }
 * const engine = new Engine();
 * engine.tags.set("shout", (parser) => {
 *   const body = parser.parse(["endshout"]);
 *   parser.nextToken();
 *   return new ShoutNode(body);
 * });
 * ```
 */
export class Parser {
  /** The source being compiled. */
  readonly source: string;
  /** The engine's registries and the template name. */
  readonly options: ParserOptions;
  /** Per-parse scratch space for tags (e.g. `block` names already seen, to reject duplicates). */
  readonly state: Map<string, unknown> = new Map();
  /** The template being parsed, as its nodes refer to it for error positions. */
  readonly origin: TemplateOrigin;
  #tokens: Token[];
  #pos = 0;
  /** Tags and filters made available by `{% load %}` in this template. */
  #loaded = new Map<string, TagCompiler>();
  #loadedFilters = new Map<string, FilterDefinition>();
  /** Open block tags, for "unclosed tag" errors. */
  #openTags: TagToken[] = [];

  /** Prepares to parse `source`. */
  constructor(source: string, options: ParserOptions) {
    this.source = source;
    this.options = options;
    this.origin = {
      name: options.templateName,
      source,
      path: options.path ?? options.templateName,
    };
    this.#tokens = tokenize(source);
  }

  /** Parses until a block tag whose name is in `until` (left unconsumed), or to the end. */
  parse(until: readonly string[] = []): Node[] {
    const nodes: Node[] = [];
    const tokens = this.#tokens;
    while (this.#pos < tokens.length) {
      const token = tokens[this.#pos++];
      switch (token.kind) {
        case TokenKind.Text:
          this.#push(nodes, new TextNode(token.contents), token);
          break;
        case TokenKind.Var: {
          if (!token.contents) throw this.error(`Empty variable tag on line ${token.line}`, token);
          const expr = this.compileFilter(token.contents, token);
          this.#push(nodes, new VariableNode(expr), token);
          break;
        }
        case TokenKind.Block: {
          if (!token.contents) throw this.error(`Empty block tag on line ${token.line}`, token);
          const tag = new TagToken(token);
          const name = tag.name;
          if (until.includes(name)) {
            this.#pos--; // leave the end tag for the caller's nextToken()
            return nodes;
          }
          const compile = this.options.tags.get(name) ?? this.#loaded.get(name);
          if (!compile) throw this.#invalidTag(tag, until);
          this.#openTags.push(tag);
          let node: Node;
          try {
            node = compile(this, tag);
          } catch (err) {
            // Errors raised without a position (e.g. by a Variable) get the tag's position.
            if (err instanceof TemplateSyntaxError && err.line === 0) {
              throw this.error(err.reason, tag);
            }
            throw err;
          }
          this.#openTags.pop();
          // Like Django's `contains_nontext`: only plain text may come before {% extends %}.
          if (
            (node as { mustBeFirst?: boolean }).mustBeFirst &&
            nodes.some((n) => !(n instanceof TextNode))
          ) {
            throw this.error(`'${name}' must be the first tag in the template.`, tag);
          }
          this.#push(nodes, node, token);
          break;
        }
        case TokenKind.Comment:
          break;
      }
    }
    if (until.length) {
      const open = this.#openTags[this.#openTags.length - 1];
      const where = open ?? { offset: this.source.length, line: 0, name: "?" };
      throw this.error(
        `Unclosed tag on line ${where.line}: '${where.name}'. Looking for one of: ${
          until.join(", ")
        }.`,
        where,
      );
    }
    return nodes;
  }

  /** Makes `tags` usable in the rest of this template (what `{% load %}` does). */
  loadTags(tags: ReadonlyMap<string, TagCompiler>): void {
    for (const [name, compile] of tags) this.#loaded.set(name, compile);
  }

  /** Makes `filters` usable in the rest of this template (what `{% load %}` does). */
  loadFilters(filters: ReadonlyMap<string, FilterDefinition>): void {
    for (const [name, def] of filters) this.#loadedFilters.set(name, def);
  }

  /**
   * Consumes and returns the next raw token (text, variable, block tag or comment), or undefined
   * at the end: for tags that read their body token by token, as `{% blocktrans %}` does.
   */
  takeToken(): Token | undefined {
    return this.#tokens[this.#pos++];
  }

  /** Consumes and returns the next token as a block tag (the end tag that stopped `parse`). */
  nextToken(): TagToken {
    const token = this.#tokens[this.#pos++];
    return new TagToken(token);
  }

  /** Skips tokens until just past the block tag named `endTag` (for `comment`). */
  skipPast(endTag: string): void {
    const tokens = this.#tokens;
    while (this.#pos < tokens.length) {
      const token = tokens[this.#pos++];
      if (token.kind === TokenKind.Block && token.contents === endTag) return;
    }
    const open = this.#openTags[this.#openTags.length - 1];
    throw this.error(
      `Unclosed tag on line ${open?.line ?? 0}: '${open?.name}'. Looking for one of: ${endTag}.`,
      open ?? { offset: this.source.length },
    );
  }

  /** Compiles a filter expression, attaching the token's position to any syntax error. */
  compileFilter(text: string, at?: { offset: number }): FilterExpression {
    try {
      return new FilterExpression(
        text,
        (name) => this.options.filters.get(name) ?? this.#loadedFilters.get(name),
      );
    } catch (err) {
      if (err instanceof TemplateSyntaxError && at) throw this.error(err.reason, at);
      throw err;
    }
  }

  /** Builds a TemplateSyntaxError pointing at `at` (a token or tag). */
  error(reason: string, at: { offset: number }): TemplateSyntaxError {
    return new TemplateSyntaxError(
      reason,
      positionOf(this.source, at.offset, this.options.templateName),
    );
  }

  #push(nodes: Node[], node: Node, token: Token): void {
    node.offset = token.offset;
    node.origin = this.origin;
    nodes.push(node);
  }

  #invalidTag(tag: TagToken, until: readonly string[]): TemplateSyntaxError {
    const name = tag.name;
    if (until.length) {
      return this.error(
        `Invalid block tag on line ${tag.line}: '${name}', expected ${
          until.map((u) => `'${u}'`).join(" or ")
        }. Did you forget to register or load this tag?`,
        tag,
      );
    }
    return this.error(
      `Invalid block tag on line ${tag.line}: '${name}'. Did you forget to register or load this tag?`,
      tag,
    );
  }
}

/** Re-export for tag authors. */
export type { NodeList, Token };
export { TokenKind };
