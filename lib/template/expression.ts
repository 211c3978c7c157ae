/**
 * Variables and filter expressions: `user.name|default:"anon"|upper`.
 *
 * Parsed once at compile time (literals decoded, filters looked up and their argument counts checked,
 * as Django's FilterExpression does); resolved many times at render time with no further parsing.
 * @module
 */
import type { Context } from "./context.ts";
import { TemplateSyntaxError, VariableDoesNotExist } from "./errors.ts";
import type { FilterDefinition, FilterEnv } from "./filters/registry.ts";
import { markSafe, SafeString } from "./safe.ts";
import { dictEntries, dictGet, isDict, isSignal, MISSING, pyStr } from "./values.ts";

export { VariableDoesNotExist };

// #region Literals

const FLOAT_RE = /^[+-]?(?:\d+\.?\d*(?:e[+-]?\d+)?|\.\d+(?:e[+-]?\d+)?|inf(?:inity)?|nan)$/i;
const INT_RE = /^[+-]?\d+$/;

/** Parses a numeric literal as Python's int()/float() would, or returns `undefined`. */
function parseNumberLiteral(text: string): number | undefined {
  if (text.includes(".") || text.toLowerCase().includes("e")) {
    if (text.endsWith(".") || !FLOAT_RE.test(text)) return undefined;
    const lower = text.toLowerCase().replace(/^[+]/, "");
    if (lower.endsWith("inf") || lower.endsWith("infinity")) {
      return lower.startsWith("-") ? -Infinity : Infinity;
    }
    return Number(text);
  }
  return INT_RE.test(text) ? Number(text) : undefined;
}

/** Decodes a quoted template string literal (`"a\"b"`), or returns `undefined` if `text` is not one. */
export function unquote(text: string): string | undefined {
  const q = text[0];
  if ((q !== '"' && q !== "'") || text.length < 2 || text[text.length - 1] !== q) return undefined;
  return text.slice(1, -1).replaceAll("\\" + q, q).replaceAll("\\\\", "\\");
}

// #endregion
// #region Variable

/**
 * A literal (number, quoted string) or a dotted lookup path (`user.address.city`, `items.0`).
 * String literals are safe, as in Django.
 *
 * @example
 * ```ts
 * import { Engine, Variable } from "@djust/djust/template";
 * const ctx = new Engine().newContext({ user: { city: "Oslo" } });
 * new Variable("user.city").resolve(ctx); // "Oslo"
 * ```
 */
export class Variable {
  /** The source text. */
  readonly source: string;
  /** The literal value, when the variable is a literal. */
  readonly literal: unknown;
  /** Dotted lookup parts, or `null` for a literal. */
  readonly lookups: readonly string[] | null;
  /** True for `_("text")`: the literal is translated into the render's language. */
  readonly translate: boolean = false;

  /** Parses `source`; throws TemplateSyntaxError for names starting with `_`. */
  constructor(source: string) {
    this.source = source;
    const num = parseNumberLiteral(source);
    if (num !== undefined) {
      this.literal = num;
      this.lookups = null;
      return;
    }
    let text = source;
    if (text.startsWith("_(") && text.endsWith(")")) {
      text = text.slice(2, -1);
      this.translate = true;
    }
    const str = unquote(text);
    if (str !== undefined) {
      this.literal = markSafe(str);
      this.lookups = null;
      return;
    }
    if (text[0] === "_" || text.includes("._")) {
      throw new TemplateSyntaxError(
        `Variables and attributes may not begin with underscores: '${text}'`,
      );
    }
    this.literal = undefined;
    this.lookups = text.split(".");
  }

  /** Resolves against the context; returns {@link MISSING} when a lookup fails. */
  resolve(ctx: Context): unknown {
    const lookups = this.lookups;
    if (lookups === null) {
      return this.translate ? translateLiteral(this.literal, ctx) : this.literal;
    }
    let current = ctx.lookup(lookups[0]);
    if (current === MISSING) return MISSING;
    while (isSignal(current)) current = current.value;
    for (let i = 1; i < lookups.length; i++) {
      current = lookup(current, lookups[i]);
      if (current === MISSING) return MISSING;
    }
    return current;
  }
}

/**
 * Django's translation of a `_("text")` literal: `%` doubled (as the message id in a catalog has
 * it), translated into the render's language, still safe. The `%` stay doubled in the output,
 * as in Django; only `{% trans %}` undoubles them.
 */
export function translateLiteral(literal: unknown, ctx: Context): unknown {
  if (!(literal instanceof SafeString)) return literal;
  const id = literal.value.replaceAll("%", "%%");
  return markSafe(ctx.translations.gettext(ctx.language, "", id));
}

const INDEX_RE = /^-?\d+$/;

/**
 * One step of Django's lookup: key, then attribute, then numeric index; callables are called;
 * signals are read (which is how a LiveView region learns what it depends on).
 */
export function lookup(current: unknown, bit: string): unknown {
  if (current === null || current === undefined) return MISSING;
  let next: unknown = MISSING;
  if (typeof current === "object") {
    if (isSignal(current)) return lookup(current.value, bit);
    if (Array.isArray(current)) {
      if (INDEX_RE.test(bit)) {
        const i = Number(bit);
        const at = i < 0 ? current.length + i : i;
        if (at >= 0 && at < current.length) next = current[at];
      } else if (bit === "length") next = current.length;
    } else if (current instanceof Map) {
      if (current.has(bit)) next = current.get(bit);
      else if (INDEX_RE.test(bit) && current.has(Number(bit))) next = current.get(Number(bit));
      else next = dictMethod(current, bit);
    } else if (current instanceof SafeString) {
      next = stringLookup(current.value, bit);
    } else {
      // Plain objects and class instances: own data and class members, never Object.prototype's.
      const obj = current as Record<string, unknown>;
      next = obj[bit];
      if (next === undefined) {
        next = bit in obj ? undefined : isDict(current) ? dictMethod(current, bit) : MISSING;
      } else if (next === OBJECT_PROTO[bit] && !Object.hasOwn(obj, bit)) next = MISSING;
    }
  } else if (typeof current === "string") next = stringLookup(current, bit);
  else if (typeof current === "function" && bit in current) {
    next = (current as unknown as Record<string, unknown>)[bit];
  }
  if (next === MISSING) return MISSING;
  return resolveMember(next, current);
}

/** The last step of a lookup: a found member that is a signal is read, a callable is called. */
export function resolveMember(member: unknown, owner: unknown): unknown {
  while (isSignal(member)) member = member.value;
  return typeof member === "function" ? callInTemplate(member, owner) : member;
}

const OBJECT_PROTO = Object.prototype as unknown as Record<string, unknown>;

function stringLookup(text: string, bit: string): unknown {
  if (INDEX_RE.test(bit)) {
    const chars = [...text];
    const i = Number(bit);
    const at = i < 0 ? chars.length + i : i;
    return at >= 0 && at < chars.length ? chars[at] : MISSING;
  }
  return stringMethod(text, bit);
}

/** Calls a zero-argument function found by a lookup, as Django calls callables. */
// deno-lint-ignore ban-types -- any callable found by a lookup
export function callInTemplate(fn: Function, owner: unknown): unknown {
  const marked = fn as { doNotCallInTemplates?: boolean; altersData?: boolean };
  if (marked.doNotCallInTemplates) return fn;
  if (marked.altersData || fn.length > 0) return ""; // Django: string_if_invalid
  // Classes cannot be called without `new`; Django would instantiate, we leave them out.
  if (/^class[\s{]/.test(Function.prototype.toString.call(fn))) return "";
  return fn.call(owner);
}

/** Python dict methods that templates call without arguments (`{% for k, v in d.items %}`). */
function dictMethod(d: Record<string, unknown> | Map<unknown, unknown>, bit: string): unknown {
  switch (bit) {
    case "items":
      return dictEntries(d);
    case "keys":
      return dictEntries(d).map((e) => e[0]);
    case "values":
      return dictEntries(d).map((e) => e[1]);
  }
  return MISSING;
}

/** The few Python str methods that templates commonly call without arguments. */
function stringMethod(text: string, bit: string): unknown {
  switch (bit) {
    case "upper":
      return text.toUpperCase();
    case "lower":
      return text.toLowerCase();
    case "strip":
      return text.trim();
    case "length":
      return text.length;
  }
  return MISSING;
}

export { dictGet };

// #endregion
// #region FilterExpression

/** A filter applied in an expression, looked up at compile time. */
export interface AppliedFilter {
  /** The filter's name in the template. */
  readonly name: string;
  /** Its definition, from the engine's registry. */
  readonly def: FilterDefinition;
  /** Its argument, or null. */
  readonly arg: Variable | null;
}

// Django's filter grammar: a constant or variable first, then `|name` or `|name:arg` repeated.
const CONSTANT = String
  .raw`(?:_\("[^"\\]*(?:\\.[^"\\]*)*"\)|_\('[^'\\]*(?:\\.[^'\\]*)*'\)|"[^"\\]*(?:\\.[^"\\]*)*"|'[^'\\]*(?:\\.[^'\\]*)*')`;
const NUM = String.raw`[-+.]?\d[\d.e]*`;
const VAR = String.raw`(?:[\w.]+|${NUM})`;
const HEAD_RE = new RegExp(`(${CONSTANT})|(${VAR})`, "y");
const FILTER_RE = new RegExp(String.raw`\s*\|\s*(\w+)(?::(?:(${CONSTANT})|(${VAR})))?`, "y");

/** Looks a filter up by name; the parser passes the engine's registry. */
export type FilterLookup = (name: string) => FilterDefinition | undefined;

/**
 * `var|filter:arg|filter`: compiled once, resolved per render.
 *
 * @example
 * ```ts
 * import { Engine } from "@djust/djust/template";
 * new Engine().renderString('{{ name|default:"anon"|upper }}', {}); // "ANON"
 * ```
 */
export class FilterExpression {
  /** The source text. */
  readonly source: string;
  /** The leading variable or literal. */
  readonly variable: Variable;
  /** The filters, in order. */
  readonly filters: readonly AppliedFilter[];

  /** Parses `source`, looking filters up with `findFilter`; throws TemplateSyntaxError. */
  constructor(source: string, findFilter: FilterLookup) {
    this.source = source;
    HEAD_RE.lastIndex = 0;
    const head = HEAD_RE.exec(source);
    if (!head) {
      if (/^\s*\|/.test(source)) {
        throw new TemplateSyntaxError(`Could not find variable at start of ${source}.`);
      }
      throw new TemplateSyntaxError(`Could not parse the remainder: '${source}' from '${source}'`);
    }
    this.variable = new Variable(head[1] ?? head[2]);
    const filters: AppliedFilter[] = [];
    let upto = HEAD_RE.lastIndex;
    while (upto < source.length) {
      FILTER_RE.lastIndex = upto;
      const m = FILTER_RE.exec(source);
      if (!m) {
        throw new TemplateSyntaxError(
          `Could not parse the remainder: '${source.slice(upto)}' from '${source}'`,
        );
      }
      const name = m[1];
      const def = findFilter(name);
      if (!def) throw new TemplateSyntaxError(`Invalid filter: '${name}'`);
      const argText = m[2] ?? m[3];
      const arg = argText === undefined ? null : new Variable(argText);
      checkArity(name, def, arg !== null);
      filters.push({ name, def, arg });
      upto = FILTER_RE.lastIndex;
    }
    this.filters = filters;
  }

  /** True when the expression is a bare literal with no filters (its value never changes). */
  get isConstant(): boolean {
    return this.variable.lookups === null && this.filters.length === 0 && !this.variable.translate;
  }

  /**
   * Resolves the value and applies the filters. A missing variable becomes `""` (Django's
   * `string_if_invalid`), or `null` when `ignoreFailures` (as `{% if %}` and `{% for %}` ask).
   */
  resolve(ctx: Context, ignoreFailures = false): unknown {
    let value = this.variable.resolve(ctx);
    if (value === MISSING) value = ignoreFailures ? null : "";
    return this.applyFilters(value, ctx);
  }

  /** Applies the filters to `value` (what the leading variable resolved to, or stands for). */
  applyFilters(value: unknown, ctx: Context): unknown {
    const filters = this.filters;
    for (let i = 0; i < filters.length; i++) value = applyFilter(filters[i], value, ctx);
    return value;
  }
}

function checkArity(name: string, def: FilterDefinition, hasArg: boolean): void {
  const arity = def.arg ?? "none";
  if (arity === "none" && hasArg) {
    throw new TemplateSyntaxError(`${name} requires 1 arguments, 2 provided`);
  }
  if (arity === "required" && !hasArg) {
    throw new TemplateSyntaxError(`${name} requires 2 arguments, 1 provided`);
  }
}

function applyFilter(filter: AppliedFilter, value: unknown, ctx: Context): unknown {
  let arg: unknown = undefined;
  if (filter.arg !== null) {
    arg = filter.arg.resolve(ctx);
    if (arg === MISSING) filterArgMissing(filter);
  }
  return applyFilterTo(filter, value, arg, ctx);
}

/** Throws Django's error for a filter argument that names a missing variable. */
export function filterArgMissing(filter: AppliedFilter): never {
  throw new VariableDoesNotExist(
    `Failed lookup for key [${filter.arg?.source}] in filter argument of '${filter.name}'`,
  );
}

/**
 * Calls `filter` on `value` with an already resolved `arg` (`undefined` when the template gave
 * none), applying Django's string conversion and safety rules. Compiled templates call this directly.
 */
export function applyFilterTo(
  filter: AppliedFilter,
  value: unknown,
  arg: unknown,
  ctx: Context,
): unknown {
  const def = filter.def;
  const inputSafe = value instanceof SafeString;
  // One env object per context, updated in place: a filter call allocates nothing for it.
  const env: FilterEnv = ctx.filterEnv;
  (env as { autoescape: boolean }).autoescape = ctx.autoescape;
  (env as { inputSafe: boolean }).inputSafe = inputSafe;
  const input = def.stringFilter
    ? (inputSafe ? (value as SafeString).value : typeof value === "string" ? value : pyStr(value))
    : value;
  const result = def.fn(input, arg, env);
  if (def.isSafe && inputSafe && !(result instanceof SafeString)) {
    return markSafe(typeof result === "string" ? result : pyStr(result));
  }
  return result;
}

// #endregion
