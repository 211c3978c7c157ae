/**
 * The `{% if %}` expression language: and/or/not, in/not in, is/is not, ==, !=, <, >, <=, >=,
 * with Django's precedence (a Pratt parser, as in Django's smartif).
 * @module
 */
import type { CodeWriter } from "../compiler/writer.ts";
import type { Context } from "../context.ts";
import { TemplateSyntaxError } from "../errors.ts";
import type { FilterExpression } from "../expression.ts";
import { isSafe } from "../safe.ts";
import { pyCompare, pyEquals, pyIn, truthy } from "../values.ts";

/** A compiled condition. */
export interface Condition {
  /** Evaluates to a Python-truthy value; errors inside operators evaluate to false, as in Django. */
  evaluate(ctx: Context): unknown;
  /** Emits the evaluation into compiled code; returns the local holding the value. */
  emit(w: CodeWriter): string;
  /** True when some operand applies filters (only filters can raise VariableDoesNotExist). */
  readonly hasFilters: boolean;
}

class Literal implements Condition {
  readonly hasFilters: boolean;
  constructor(readonly expression: FilterExpression) {
    this.hasFilters = expression.filters.length > 0;
  }
  evaluate(ctx: Context): unknown {
    return this.expression.resolve(ctx, true);
  }
  emit(w: CodeWriter): string {
    return w.value(this.expression, true);
  }
}

type Binary = (a: unknown, b: unknown) => unknown;

function same(a: unknown, b: unknown): boolean {
  if (a === undefined) a = null;
  if (b === undefined) b = null;
  if (isSafe(a) || isSafe(b)) return a === b;
  return a === b;
}

const INFIX: Record<string, { bp: number; fn: Binary }> = {
  "or": { bp: 6, fn: (a, b) => a || b }, // evaluated lazily below
  "and": { bp: 7, fn: (a, b) => a && b },
  "in": { bp: 9, fn: (a, b) => pyIn(a, b) ?? false },
  "not in": {
    bp: 9,
    fn: (a, b) => {
      const r = pyIn(a, b);
      return r === undefined ? false : !r;
    },
  },
  "is": { bp: 10, fn: same },
  "is not": { bp: 10, fn: (a, b) => !same(a, b) },
  "==": { bp: 10, fn: pyEquals },
  "!=": { bp: 10, fn: (a, b) => !pyEquals(a, b) },
  ">": { bp: 10, fn: (a, b) => (pyCompare(a, b) ?? NaN) > 0 },
  ">=": { bp: 10, fn: (a, b) => (pyCompare(a, b) ?? NaN) >= 0 },
  "<": { bp: 10, fn: (a, b) => (pyCompare(a, b) ?? NaN) < 0 },
  "<=": { bp: 10, fn: (a, b) => (pyCompare(a, b) ?? NaN) <= 0 },
};
const NOT_BP = 8;

class Infix implements Condition {
  readonly fn: Binary;
  readonly hasFilters: boolean;
  constructor(readonly op: string, readonly left: Condition, readonly right: Condition) {
    this.fn = INFIX[op].fn;
    this.hasFilters = left.hasFilters || right.hasFilters;
  }
  evaluate(ctx: Context): unknown {
    try {
      if (this.op === "or") {
        const a = this.left.evaluate(ctx);
        return truthy(a) ? a : this.right.evaluate(ctx);
      }
      if (this.op === "and") {
        const a = this.left.evaluate(ctx);
        return truthy(a) ? this.right.evaluate(ctx) : a;
      }
      return this.fn(this.left.evaluate(ctx), this.right.evaluate(ctx));
    } catch {
      return false;
    }
  }
  emit(w: CodeWriter): string {
    const r = w.temp();
    w.line("try {");
    const a = this.left.emit(w);
    if (this.op === "or" || this.op === "and") {
      w.line(`if (${this.op === "and" ? "!" : ""}${w.truthy(a)}) ${r} = ${a}; else {`);
      w.line(`${r} = ${this.right.emit(w)};`);
      w.line("}");
    } else {
      const b = this.right.emit(w);
      w.line(`${r} = ${w.constant(this.fn)}(${a}, ${b});`);
    }
    w.line(`} catch { ${r} = false; }`);
    return r;
  }
}

class Not implements Condition {
  readonly hasFilters: boolean;
  constructor(readonly operand: Condition) {
    this.hasFilters = operand.hasFilters;
  }
  evaluate(ctx: Context): unknown {
    try {
      return !truthy(this.operand.evaluate(ctx));
    } catch {
      return false;
    }
  }
  emit(w: CodeWriter): string {
    const r = w.temp();
    w.line("try {");
    const a = this.operand.emit(w);
    w.line(`${r} = !${w.truthy(a)};`);
    w.line(`} catch { ${r} = false; }`);
    return r;
  }
}

const END = Symbol("end");
type Item = { op: string } | { literal: Condition } | typeof END;

/**
 * Parses the words of an `{% if %}` tag into a Condition.
 * `compile` turns a non-operator word into a filter expression.
 */
export function parseCondition(
  words: string[],
  compile: (w: string) => FilterExpression,
): Condition {
  const items: Item[] = [];
  for (let i = 0; i < words.length; i++) {
    const w = words[i];
    if (w === "not" && words[i + 1] === "in") {
      items.push({ op: "not in" });
      i++;
    } else if (w === "is" && words[i + 1] === "not") {
      items.push({ op: "is not" });
      i++;
    } else if (w === "not" || w in INFIX) items.push({ op: w });
    else items.push({ literal: new Literal(compile(w)) });
  }
  let pos = 0;
  const next = (): Item => pos < items.length ? items[pos++] : END;
  const peek = (): Item => pos < items.length ? items[pos] : END;
  const opName = (it: Item): string => it === END ? "" : "op" in it ? it.op : "";

  function expression(rbp: number): Condition {
    const t = next();
    let left = nud(t);
    for (;;) {
      const p = peek();
      const op = opName(p);
      const bp = op && op !== "not" ? INFIX[op].bp : 0;
      if (p !== END && !op) {
        throw new TemplateSyntaxError(`Unused '${displayOf(p)}' at end of if expression.`);
      }
      if (op === "not") {
        throw new TemplateSyntaxError(`Not expecting 'not' as infix operator in if tag.`);
      }
      if (rbp >= bp) break;
      next();
      left = new Infix(op, left, expression(bp));
    }
    return left;
  }

  function nud(t: Item): Condition {
    if (t === END) throw new TemplateSyntaxError("Unexpected end of expression in if tag.");
    if ("literal" in t) return t.literal;
    if (t.op === "not") return new Not(expression(NOT_BP));
    throw new TemplateSyntaxError(`Not expecting '${t.op}' in this position in if tag.`);
  }

  function displayOf(it: Item): string {
    if (it === END) return "";
    return "op" in it ? it.op : (it.literal as Literal).expression.source;
  }

  const result = expression(0);
  if (peek() !== END) {
    throw new TemplateSyntaxError(`Unused '${displayOf(peek())}' at end of if expression.`);
  }
  return result;
}
