/**
 * Template errors. Every syntax error knows where it happened and shows the line with a caret.
 * @module
 */

/** Where a piece of template source came from. */
export interface SourcePosition {
  /** Template name, or "<string>" for templates compiled from a string. */
  readonly templateName: string;
  /** 1-based line. */
  readonly line: number;
  /** 1-based column. */
  readonly column: number;
  /** The line of source the error points at (without its newline). */
  readonly excerpt: string;
}

/**
 * A template could not be compiled: unknown tag or filter, unclosed block, bad arguments...
 * The message names the template, line and column and shows the offending line with a caret.
 *
 * @example
 * ```ts
 * import { Engine, TemplateSyntaxError } from "@djust/djust";
 * try {
 *   new Engine().fromString("{% if x %}unclosed");
 * } catch (err) {
 *   if (err instanceof TemplateSyntaxError) console.log(err.line, err.column);
 * }
 * ```
 */
export class TemplateSyntaxError extends Error {
  override name = "TemplateSyntaxError";
  /** Template name, or "<string>". */
  readonly templateName: string;
  /** 1-based line of the offending tag. */
  readonly line: number;
  /** 1-based column of the offending tag. */
  readonly column: number;
  /** The reason alone, without the position and excerpt. */
  readonly reason: string;

  /** Builds the error; `position` is filled in by the parser when known. */
  constructor(reason: string, position?: SourcePosition) {
    super(position ? formatWithPosition(reason, position) : reason);
    this.reason = reason;
    this.templateName = position?.templateName ?? "<unknown>";
    this.line = position?.line ?? 0;
    this.column = position?.column ?? 0;
  }
}

function formatWithPosition(reason: string, p: SourcePosition): string {
  const gutter = `${p.line} | `;
  return `${reason}\n  at ${p.templateName}:${p.line}:${p.column}\n` +
    `${gutter}${p.excerpt}\n${" ".repeat(gutter.length + p.column - 1)}^`;
}

/**
 * A template name could not be found in the engine's `templates` nor in any of its `dirs`.
 *
 * @example
 * ```ts
 * import { Engine, TemplateDoesNotExist } from "@djust/djust";
 * try {
 *   new Engine().render("missing.html", {});
 * } catch (err) {
 *   console.log(err instanceof TemplateDoesNotExist); // true
 * }
 * ```
 */
export class TemplateDoesNotExist extends Error {
  override name = "TemplateDoesNotExist";
  /** The name that was asked for. */
  readonly templateName: string;
  /** Every place that was looked at, for the message. */
  readonly tried: readonly string[];
  /** Builds the error for `templateName`, listing the places `tried`. */
  constructor(templateName: string, tried: readonly string[] = []) {
    super(
      `Template "${templateName}" does not exist` +
        (tried.length ? `; looked in: ${tried.join(", ")}` : ""),
    );
    this.templateName = templateName;
    this.tried = tried;
  }
}

/**
 * An error raised while rendering (not compiling) a template, e.g. a recursive `{% include %}`.
 *
 * @example
 * ```ts
 * import { TemplateRenderError } from "@djust/djust";
 * const err = new TemplateRenderError("include recursion too deep");
 * console.log(err.name); // "TemplateRenderError"
 * ```
 */
export class TemplateRenderError extends Error {
  override name = "TemplateRenderError";
}
