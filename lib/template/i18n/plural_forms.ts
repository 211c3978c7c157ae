/**
 * The `Plural-Forms` header of a gettext catalog (`nplurals=3; plural=(n==1 ? 0 : ...);`) parsed
 * into a function, without `eval`: the catalog is data, so its C expression is read by a small
 * parser into a tree of closures. Arithmetic follows Python's gettext, which translates the C
 * expression to Python (`/` is floor division, `%` takes the divisor's sign).
 *
 *   expression := or ("?" expression ":" expression)?
 *   or := and ("||" and)*        and := equality ("&&" equality)*
 *   equality := relation (("==" | "!=") relation)*
 *   relation := sum (("<" | ">" | "<=" | ">=") sum)*
 *   sum := product (("+" | "-") product)*        product := unary (("*" | "/" | "%") unary)*
 *   unary := ("!" | "-" | "+") unary | "n" | integer | "(" expression ")"
 * @module
 */

/** Which plural form (0-based) a count takes. */
export type PluralRule = (n: number) => number;

/** A catalog's plural expression could not be read. */
export class PluralFormsError extends Error {
  override name = "PluralFormsError";
}

type Evaluate = (n: number) => number;

const TOKEN = /\s*(\d+|n|\|\||&&|==|!=|<=|>=|[<>?:!()+\-*/%])/y;

/** The rule of English and of catalogs without a header: singular for exactly 1. */
export const germanicPlural: PluralRule = (n) => (n === 1 ? 0 : 1);

/**
 * Reads `plural=…` from a `Plural-Forms` header; without one, the Germanic rule.
 *
 * @example
 * ```ts
 * import { parsePluralForms } from "./plural_forms.ts";
 * const rule = parsePluralForms("nplurals=2; plural=(n != 1);");
 * rule(1); // 0
 * rule(5); // 1
 * ```
 */
export function parsePluralForms(header: string | undefined): PluralRule {
  const m = header ? /plural\s*=\s*([^;]*)/.exec(header) : null;
  if (!m) return germanicPlural;
  const evaluate = parsePluralExpression(m[1]);
  return (n) => {
    const form = evaluate(n);
    return form < 0 ? 0 : form;
  };
}

/**
 * Parses a C plural expression over `n` into an evaluator; throws PluralFormsError.
 *
 * @example
 * ```ts
 * import { parsePluralExpression } from "./plural_forms.ts";
 * parsePluralExpression("n % 10 == 1 ? 0 : 1")(21); // 0
 * ```
 */
export function parsePluralExpression(source: string): Evaluate {
  const tokens: string[] = [];
  TOKEN.lastIndex = 0;
  while (TOKEN.lastIndex < source.trimEnd().length) {
    const at = TOKEN.lastIndex;
    const m = TOKEN.exec(source);
    if (!m) throw new PluralFormsError(`Unexpected text in plural expression at ${at}: ${source}`);
    tokens.push(m[1]);
  }
  let pos = 0;
  const peek = (): string | undefined => tokens[pos];
  const expect = (token: string): void => {
    if (tokens[pos++] !== token) {
      throw new PluralFormsError(`Expected '${token}' in plural expression: ${source}`);
    }
  };

  function expression(): Evaluate {
    const condition = or();
    if (peek() !== "?") return condition;
    pos++;
    const then = expression();
    expect(":");
    const otherwise = expression();
    return (n) => (condition(n) !== 0 ? then(n) : otherwise(n));
  }

  function binaryLevel(operators: readonly string[], next: () => Evaluate): () => Evaluate {
    return () => {
      let left = next();
      while (operators.includes(peek() ?? "")) {
        const apply = BINARY[tokens[pos++]];
        const l = left, r = next();
        left = (n) => apply(l(n), r(n));
      }
      return left;
    };
  }

  function unary(): Evaluate {
    const token = tokens[pos++];
    if (token === undefined) throw new PluralFormsError(`Plural expression ends early: ${source}`);
    if (token === "!") {
      const operand = unary();
      return (n) => (operand(n) === 0 ? 1 : 0);
    }
    if (token === "-" || token === "+") {
      const operand = unary();
      return token === "-" ? (n) => -operand(n) : operand;
    }
    if (token === "n") return (n) => n;
    if (token === "(") {
      const inner = expression();
      expect(")");
      return inner;
    }
    if (/^\d+$/.test(token)) {
      const value = Number(token);
      return () => value;
    }
    throw new PluralFormsError(`Unexpected '${token}' in plural expression: ${source}`);
  }

  const product = binaryLevel(["*", "/", "%"], unary);
  const sum = binaryLevel(["+", "-"], product);
  const relation = binaryLevel(["<", ">", "<=", ">="], sum);
  const equality = binaryLevel(["==", "!="], relation);
  const and = binaryLevel(["&&"], equality);
  const or = binaryLevel(["||"], and);

  const result = expression();
  if (pos !== tokens.length) {
    throw new PluralFormsError(`Unused '${tokens[pos]}' in plural expression: ${source}`);
  }
  return result;
}

const BINARY: Record<string, (a: number, b: number) => number> = {
  "||": (a, b) => (a !== 0 || b !== 0 ? 1 : 0),
  "&&": (a, b) => (a !== 0 && b !== 0 ? 1 : 0),
  "==": (a, b) => (a === b ? 1 : 0),
  "!=": (a, b) => (a !== b ? 1 : 0),
  "<": (a, b) => (a < b ? 1 : 0),
  ">": (a, b) => (a > b ? 1 : 0),
  "<=": (a, b) => (a <= b ? 1 : 0),
  ">=": (a, b) => (a >= b ? 1 : 0),
  "+": (a, b) => a + b,
  "-": (a, b) => a - b,
  "*": (a, b) => a * b,
  "/": (a, b) => Math.floor(a / b),
  "%": (a, b) => a - b * Math.floor(a / b),
};
