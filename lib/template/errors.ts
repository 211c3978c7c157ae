/**
 * Template errors. Every error that leaves the engine, at compile time or while rendering, says
 * where it happened: the template name, line and column, and the line with a caret.
 *
 * The class names are Django's (`TemplateSyntaxError`, `TemplateDoesNotExist`,
 * `VariableDoesNotExist`, `NoReverseMatch`), and so is `err.name`; where Django lets a Python
 * exception through (`int("x")` in `center`), the error is a {@link TemplateRenderError} named after
 * that exception (`ValueError`). An exception thrown by user code (a custom filter or tag) is
 * wrapped in a `TemplateRenderError` that keeps it as `cause`.
 * @module
 */

/** Where in a template something happened. */
export interface TemplatePosition {
  /** Template name, or "<string>" for templates compiled from a string. */
  readonly template: string;
  /** 1-based line. */
  readonly line: number;
  /** 1-based column. */
  readonly column: number;
  /** The line of source the error points at (without its newline). */
  readonly excerpt: string;
}

/** Options for the template error classes. */
export interface TemplateErrorOptions {
  /** Where it happened, when already known (the engine fills it in otherwise). */
  readonly position?: TemplatePosition;
  /** The error this one stands for. */
  readonly cause?: unknown;
}

/**
 * The base class of every error the engine raises. `reason` is the message alone; `message` adds
 * the position and excerpt once the engine knows them:
 *
 * ```
 * Invalid filter: 'nosuchfilter'
 *   at page.html:3:8
 * 3 | <p>{{ x|nosuchfilter }}</p>
 *            ^
 * ```
 *
 * @example
 * ```ts
 * import { Engine, TemplateError } from "@djust/djust/template";
 * try {
 *   new Engine().renderString("{{ x|center:'wide' }}", { x: 1 });
 * } catch (err) {
 *   if (err instanceof TemplateError) console.log(err.name, err.position?.line); // ValueError 1
 * }
 * ```
 */
export class TemplateError extends Error {
  /** What went wrong, without the position. */
  readonly reason: string;
  /** Where it went wrong; undefined until known. */
  position: TemplatePosition | undefined;

  /** Builds the error; the engine adds the position when it is not given. */
  constructor(reason: string, options: TemplateErrorOptions = {}) {
    super(reason, options.cause === undefined ? undefined : { cause: options.cause });
    this.reason = reason;
    if (options.position) this.locate(options.position);
  }

  /** 1-based line, or 0 when unknown. */
  get line(): number {
    return this.position?.line ?? 0;
  }

  /** 1-based column, or 0 when unknown. */
  get column(): number {
    return this.position?.column ?? 0;
  }

  /**
   * Records where the error happened, unless it already knows (the innermost template wins), and
   * puts the position and excerpt into the message. Returns the error.
   */
  locate(position: TemplatePosition): this {
    if (this.position) return this;
    this.position = position;
    this.message = formatWithPosition(this.reason, position);
    if (this.stack) {
      // V8 wrote the first message into the stack when the error was made; show the new one.
      const frames = this.stack.indexOf("\n    at ");
      this.stack = `${this.name}: ${this.message}` +
        (frames === -1 ? "" : this.stack.slice(frames));
    }
    return this;
  }
}

function formatWithPosition(reason: string, p: TemplatePosition): string {
  const gutter = `${p.line} | `;
  return `${reason}\n  at ${p.template}:${p.line}:${p.column}\n` +
    `${gutter}${p.excerpt}\n${" ".repeat(gutter.length + p.column - 1)}^`;
}

/**
 * A template could not be compiled: unknown tag or filter, unclosed block, bad arguments... Django
 * also raises it while rendering for a few tags (`{% extends %}` of an empty name, `widthratio`
 * with a width that is not a number).
 *
 * @example
 * ```ts
 * import { Engine, TemplateSyntaxError } from "@djust/djust/template";
 * try {
 *   new Engine().fromString("{% if x %}unclosed");
 * } catch (err) {
 *   if (err instanceof TemplateSyntaxError) console.log(err.line, err.column);
 * }
 * ```
 */
export class TemplateSyntaxError extends TemplateError {
  /** "TemplateSyntaxError", Django's class name. */
  override name = "TemplateSyntaxError";

  /** Builds the error; `position` is filled in by the parser when known. */
  constructor(reason: string, position?: TemplatePosition) {
    super(reason, { position });
  }

  /** The template the error points into, or "<unknown>". */
  get templateName(): string {
    return this.position?.template ?? "<unknown>";
  }
}

/**
 * A template name could not be found in the engine's `templates` nor in any of its `dirs`.
 *
 * @example
 * ```ts
 * import { Engine, TemplateDoesNotExist } from "@djust/djust/template";
 * try {
 *   new Engine().render("missing.html", {});
 * } catch (err) {
 *   console.log(err instanceof TemplateDoesNotExist); // true
 * }
 * ```
 */
export class TemplateDoesNotExist extends TemplateError {
  /** "TemplateDoesNotExist", Django's class name. */
  override name = "TemplateDoesNotExist";
  /** The name that was asked for (the first one, when several were tried). */
  readonly templateName: string;
  /** Every place that was looked at, for the message. */
  readonly tried: readonly string[];
  /** Builds the error for `templateName`, listing the places `tried`. */
  constructor(templateName: string, tried: readonly string[] = [], reason?: string) {
    super(
      reason ?? `Template "${templateName}" does not exist` +
          (tried.length ? `; looked in: ${tried.join(", ")}` : ""),
    );
    this.templateName = templateName;
    this.tried = tried;
  }
}

/** Python exceptions that Django lets through while rendering, by class name. */
export type PythonErrorName =
  | "AttributeError"
  | "IndexError"
  | "KeyError"
  | "OverflowError"
  | "RecursionError"
  | "TypeError"
  | "ValueError"
  | "ZeroDivisionError";

/** Options for {@link TemplateRenderError}. */
export interface TemplateRenderErrorOptions extends TemplateErrorOptions {
  /** The Python exception Django raises here; it becomes the error's `name`. */
  readonly python?: PythonErrorName;
}

/**
 * An error raised while rendering (not compiling) a template. Its `name` is the Python exception
 * Django raises in the same place (`ValueError` for `{{ x|center:"wide" }}`), or
 * "TemplateRenderError" when it wraps an exception thrown by user code, kept as `cause`.
 *
 * @example
 * ```ts
 * import { TemplateRenderError } from "@djust/djust/template";
 * const err = new TemplateRenderError("invalid literal for int() with base 10: 'x'", {
 *   python: "ValueError",
 * });
 * console.log(err.name); // "ValueError"
 * ```
 */
export class TemplateRenderError extends TemplateError {
  /** The Python exception's name (`ValueError`...), or "TemplateRenderError". */
  override name: string;
  /** Builds the error, named after `options.python` when given. */
  constructor(reason: string, options: TemplateRenderErrorOptions = {}) {
    super(reason, options);
    this.name = options.python ?? "TemplateRenderError";
  }
}

/**
 * A filter argument names a variable that does not exist. Django raises it there too; elsewhere a
 * missing variable prints as `""` (and is false in `{% if %}`).
 *
 * @example
 * ```ts
 * import { Engine, VariableDoesNotExist } from "@djust/djust/template";
 * try {
 *   new Engine().renderString("{{ 1|add:missing }}", {});
 * } catch (err) {
 *   console.log(err instanceof VariableDoesNotExist); // true
 * }
 * ```
 */
export class VariableDoesNotExist extends TemplateError {
  /** "VariableDoesNotExist", Django's class name. */
  override name = "VariableDoesNotExist";
}

/**
 * `{% url %}` found no route for a name and arguments (Django's `NoReverseMatch`). The error the
 * host's `reverse` hook threw, if any, is its `cause`.
 *
 * @example
 * ```ts
 * import { Engine, NoReverseMatch } from "@djust/djust/template";
 * try {
 *   new Engine().renderString("{% url 'home' %}", {});
 * } catch (err) {
 *   console.log(err instanceof NoReverseMatch); // true: no URL resolver configured
 * }
 * ```
 */
export class NoReverseMatch extends TemplateError {
  /** "NoReverseMatch", Django's class name. */
  override name = "NoReverseMatch";
}

/**
 * Makes any thrown value a {@link TemplateError} placed at `position` (unless it already has a
 * position: the innermost template wins). Template errors are placed as they are; anything else
 * (an exception from user code, a JavaScript error) is wrapped in a `TemplateRenderError` with the
 * original as `cause`.
 *
 * @example
 * ```ts
 * import { placeError } from "./errors.ts";
 * const err = placeError(new Error("boom"), { template: "a.html", line: 1, column: 4, excerpt: "{{ x|boom }}" });
 * console.log(err.message.split("\n")[0]); // "Error: boom"
 * ```
 */
export function placeError(err: unknown, position: TemplatePosition): TemplateError {
  if (err instanceof TemplateError) return err.locate(position);
  const reason = err instanceof Error ? `${err.name}: ${err.message}` : `thrown: ${String(err)}`;
  // Running out of stack is how a template that includes itself ends, as Python's RecursionError.
  const python = err instanceof RangeError && /call stack/i.test(err.message)
    ? "RecursionError"
    : undefined;
  return new TemplateRenderError(reason, { cause: err, python }).locate(position);
}
