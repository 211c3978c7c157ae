/**
 * CodeWriter: what a node uses to turn itself into JavaScript (see `Node.emit`).
 *
 * A compiled node list is one function `render(ctx)` that appends to a local `out`. The writer
 * works in one of two modes, chosen per function:
 *
 * - **local mode**: variables bound inside the function (`{% for %}` items, `forloop`,
 *   `{% with %}` names) are JS locals and never touch the Context. Nodes that only *read* the
 *   context (include, block, custom tags without `as`) get the visible locals pushed as one scope
 *   around their call.
 * - **context mode**: every name lives in the Context, exactly as the interpreter keeps it. Used
 *   when some node may *write* variables (`{% cycle … as x %}`, `{% regroup %}`, unknown custom
 *   nodes), because a later read must see that write.
 *
 * The writer first emits in local mode; a node that needs context mode calls {@link CodeWriter.opaque},
 * which marks the attempt spoiled, and the compiler starts again in context mode.
 * @module
 */
import type { AppliedFilter, FilterExpression, Variable } from "../expression.ts";
import type { Node, NodeList } from "../nodes.ts";
import { SafeString } from "../safe.ts";

/** A name bound to a JS local by the function being generated. */
export interface LocalBinding {
  /** The JS expression holding the value. */
  readonly js: string;
  /** For `forloop`: the loop index and length locals, so `forloop.counter` reads `i + 1` directly. */
  readonly loop?: { readonly i: string; readonly n: string };
}

// Member names that must take the full lookup path: on these a plain property read would answer
// differently from Django's key/attribute/index order (Map and list methods, SafeString.value,
// Object.prototype members, `size`, `length`).
const SLOW_KEYS: ReadonlySet<string> = new Set([
  ...Object.getOwnPropertyNames(Object.prototype),
  ...Object.getOwnPropertyNames(Array.prototype),
  ...Object.getOwnPropertyNames(Map.prototype),
  ...Object.getOwnPropertyNames(Set.prototype),
  ...Object.getOwnPropertyNames(String.prototype),
  ...Object.getOwnPropertyNames(SafeString.prototype),
  "value",
  "size",
  "length",
  "brand",
]);
const INDEX_RE = /^-?\d+$/;
/** A filter argument that is a variable (or a translated literal): unknown when compiling. */
const NOT_LITERAL = Symbol("not a literal");

/** `forloop` members computed from the loop's locals in local mode. */
const LOOP_FIELDS: Record<string, (i: string, n: string) => string> = {
  counter: (i) => `(${i} + 1)`,
  counter0: (i) => i,
  revcounter: (i, n) => `(${n} - ${i})`,
  revcounter0: (i, n) => `(${n} - ${i} - 1)`,
  first: (i) => `(${i} === 0)`,
  last: (i, n) => `(${i} === ${n} - 1)`,
};

/** Raised internally when local mode cannot express a node; the compiler retries in context mode. */
export class NeedsContextMode extends Error {
  override name = "NeedsContextMode";
}

/**
 * Emits the body of one render function.
 *
 * @example
 * ```ts
 * import { Node, type Context, type CodeWriter } from "@djust/djust/template";
 * class HelloNode extends Node {
 *   render(_ctx: Context): string {
 *     return "hello";
 *   }
 *   override emit(w: CodeWriter): void {
 *     w.text("hello");
 *   }
 * }
 * ```
 */
export class CodeWriter {
  /** True in local mode (see the module documentation). */
  readonly localMode: boolean;
  #lines: string[] = [];
  #temps = 0;
  #constants: unknown[] = [];
  #constantIndex = new Map<unknown, number>();
  #scopes: Map<string, LocalBinding>[] = [];
  #out = "out";

  /** Starts an empty function body in local or context mode. */
  constructor(localMode: boolean) {
    this.localMode = localMode;
  }

  // #region Building blocks

  /** A reference to `value` from generated code (`k[3]`); the same object gets the same slot. */
  constant(value: unknown): string {
    let index = this.#constantIndex.get(value);
    if (index === undefined) {
      index = this.#constants.length;
      this.#constants.push(value);
      this.#constantIndex.set(value, index);
    }
    return `k[${index}]`;
  }

  /** A fresh local variable name (declared at the top of the function). */
  temp(): string {
    return `t${this.#temps++}`;
  }

  /** Appends one statement. */
  line(code: string): void {
    this.#lines.push(code);
  }

  /** Appends `expression` (a JS string expression) to the output. */
  write(expression: string): void {
    this.#lines.push(`${this.#out} += ${expression};`);
  }

  /** Appends literal text to the output. */
  text(text: string): void {
    if (text !== "") this.write(JSON.stringify(text));
  }

  /** Emits every node of `nodes`, each marked as the place of errors its code throws. */
  nodes(nodes: NodeList): void {
    for (let i = 0; i < nodes.length; i++) {
      const node = nodes[i];
      if (!node.isStatic) this.at(node);
      node.emit(this);
    }
  }

  /**
   * Marks `node` as the place of errors thrown by the code emitted next (the generated function
   * catches them and gives them its position). `nodes` marks each node; a node whose own code runs
   * again after its body (a loop binding its next item) marks itself again first.
   */
  at(node: Node): void {
    this.line(`at = ${this.constant(node).slice(2, -1)};`);
  }

  /** Emits `body` with its output collected into a new local, whose name is returned. */
  capture(body: () => void): string {
    const target = this.temp();
    this.line(`${target} = "";`);
    const saved = this.#out;
    this.#out = target;
    try {
      body();
    } finally {
      this.#out = saved;
    }
    return target;
  }

  /** Emits `body` with `bindings` visible as locals (local mode only). */
  withLocals(bindings: Map<string, LocalBinding>, body: () => void): void {
    this.#scopes.push(bindings);
    try {
      body();
    } finally {
      this.#scopes.pop();
    }
  }

  /** The local binding of `name`, innermost first, or undefined. */
  local(name: string): LocalBinding | undefined {
    for (let i = this.#scopes.length - 1; i >= 0; i--) {
      const b = this.#scopes[i].get(name);
      if (b !== undefined) return b;
    }
    return undefined;
  }

  /** Every name bound to a local here, innermost binding first wins, with its JS expression. */
  visibleLocals(): Map<string, string> {
    const visible = new Map<string, string>();
    for (let i = this.#scopes.length - 1; i >= 0; i--) {
      for (const [name, b] of this.#scopes[i]) if (!visible.has(name)) visible.set(name, b.js);
    }
    return visible;
  }

  /** A JS object literal from names to JS expressions. */
  objectLiteral(entries: Map<string, string>): string {
    return `{ ${[...entries].map(([name, js]) => `${JSON.stringify(name)}: ${js}`).join(", ")} }`;
  }

  /** A JS expression reading `name` from the context as it is (`undefined` when missing). */
  contextValue(name: string): string {
    return `ctx.get(${JSON.stringify(name)})`;
  }

  // #endregion
  // #region Values

  /**
   * Emits the resolution of `v` into a new local (its name is returned), holding the value or
   * `M` (missing), with signals read, as `Variable.resolve` does.
   */
  variable(v: Variable): string {
    const t = this.temp();
    const lookups = v.lookups;
    if (lookups === null) {
      const literal = this.constant(v.literal);
      this.line(v.translate ? `${t} = TL(${literal}, ctx);` : `${t} = ${literal};`);
      return t;
    }
    const head = lookups[0];
    const binding = this.localMode ? this.local(head) : undefined;
    let from = 1;
    if (binding?.loop && lookups.length >= 2 && Object.hasOwn(LOOP_FIELDS, lookups[1])) {
      this.line(`${t} = ${LOOP_FIELDS[lookups[1]](binding.loop.i, binding.loop.n)};`);
      from = 2;
    } else if (binding) {
      this.line(`${t} = ${binding.js};`);
      this.#unwrapSignal(t);
    } else {
      this.line(`${t} = ctx.lookup(${JSON.stringify(head)});`);
      this.#unwrapSignal(t);
    }
    for (let i = from; i < lookups.length; i++) this.#member(t, lookups[i]);
    return t;
  }

  #unwrapSignal(t: string): void {
    this.line(
      `if (typeof ${t} === "object" && ${t} !== null && ${t}.brand === SB) ${t} = U(${t});`,
    );
  }

  /** One lookup step on local `t`, in place. */
  #member(t: string, bit: string): void {
    const key = JSON.stringify(bit);
    if (SLOW_KEYS.has(bit) || INDEX_RE.test(bit)) {
      this.line(`if (${t} !== M) ${t} = L(${t}, ${key});`);
      return;
    }
    // Fast path: a plain property read at its own call site (monomorphic for same-shaped rows).
    // Lists and Maps answer differently from objects, so they go the full way.
    this.line(
      `if (${t} !== M) { if (typeof ${t} === "object" && ${t} !== null && (u = ${t}[${key}]) !== undefined && !Array.isArray(${t}) && !(${t} instanceof Map)) ${t} = typeof u === "function" || (typeof u === "object" && u !== null && u.brand === SB) ? LM(u, ${t}) : u; else ${t} = L(${t}, ${key}); }`,
    );
  }

  /**
   * Emits `expression` (variable and filters) into a new local and returns its name. A missing
   * variable becomes `""`, or `null` when `ignoreFailures` (as `FilterExpression.resolve`).
   * `filters` is how many of its filters to apply (all by default).
   */
  value(
    expression: FilterExpression,
    ignoreFailures = false,
    filters = expression.filters.length,
  ): string {
    const t = this.variable(expression.variable);
    if (expression.variable.lookups !== null) {
      this.line(`if (${t} === M) ${t} = ${ignoreFailures ? "null" : '""'};`);
    }
    for (let i = 0; i < filters; i++) {
      const filter = expression.filters[i];
      this.line(`${t} = ${this.#applyFilter(filter, t, this.#filterArg(filter))};`);
    }
    return t;
  }

  /** Emits a filter's argument into a local (or `undefined`), with Django's missing-argument error. */
  #filterArg(filter: AppliedFilter): string {
    if (filter.arg === null) return "undefined";
    const arg = this.variable(filter.arg);
    if (filter.arg.lookups !== null) this.line(`if (${arg} === M) FA(${this.constant(filter)});`);
    return arg;
  }

  /**
   * The JS condition under which local `t` goes straight to the filter: an input that needs none
   * of Django's conversions or safety rules (a plain string, or anything but a SafeString for a
   * filter that takes any value).
   */
  #direct(filter: AppliedFilter, t: string): string {
    return filter.def.stringFilter ? `typeof ${t} === "string"` : `!(${t} instanceof SS)`;
  }

  /**
   * A JS expression applying `filter` to local `t`. A direct input is passed from its own call
   * site, which V8 can inline; F's call is shared by every filter, so megamorphic.
   */
  #applyFilter(filter: AppliedFilter, t: string, arg: string): string {
    return `${this.#direct(filter, t)} ? ${
      this.constant(filter.def.fn)
    }(${t}, ${arg}, FE(ctx)) : F(${this.constant(filter)}, ${t}, ${arg}, ctx)`;
  }

  /**
   * Appends `expression` to the output as `{{ }}` prints it, skipping what the compiler knows is
   * not needed: a string literal without filters is template text; a last filter with a `print`
   * fast path prints in one step; one whose output is `escapeFree` for its literal argument is
   * not scanned for escaping.
   */
  printExpression(expression: FilterExpression): void {
    const { variable, filters } = expression;
    const last = filters.at(-1);
    if (last === undefined) {
      // Django marks string literals safe: `{{ "x" }}` and `{% cycle 'odd' 'even' %}` print as text.
      if (
        variable.lookups === null && !variable.translate && variable.literal instanceof SafeString
      ) {
        this.text(variable.literal.value);
      } else this.print(this.value(expression));
      return;
    }
    const t = this.value(expression, false, filters.length - 1);
    const arg = this.#filterArg(last);
    const apply = `${t} = ${this.#applyFilter(last, t, arg)};`;
    const { print, escapeFree } = last.def;
    if (print) {
      this.line(
        `if (${this.#direct(last, t)} && ctx.autoescape) ${this.#out} += ${
          this.constant(print)
        }(${t}, ${arg}, FE(ctx)); else {`,
      );
      this.line(apply);
      this.print(t);
      this.line("}");
      return;
    }
    this.line(apply);
    const literalArg = last.arg === null
      ? undefined
      : last.arg.lookups === null && !last.arg.translate
      ? last.arg.literal
      : NOT_LITERAL;
    if (escapeFree && literalArg !== NOT_LITERAL && escapeFree(literalArg)) {
      this.line(`${this.#out} += typeof ${t} === "string" ? ${t} : RV(${t}, ctx);`);
    } else this.print(t);
  }

  /** Appends local `t` to the output as `{{ }}` prints it. */
  print(t: string): void {
    this.line(
      `${this.#out} += typeof ${t} === "string" ? (ctx.autoescape ? E(${t}) : ${t}) : typeof ${t} === "number" && (${t} | 0) === ${t} && ${t} !== 0 ? "" + ${t} : RV(${t}, ctx);`,
    );
  }

  /** A JS boolean expression: Python truthiness of local `t`. */
  truthy(t: string): string {
    return `(${t} === true || (${t} !== false && T(${t})))`;
  }

  // #endregion
  // #region Nodes that render themselves

  /**
   * Emits a call to `node.render(ctx)` for a node that may write variables into the context.
   * Forces context mode for the whole function.
   */
  opaque(node: Node): void {
    if (this.localMode) throw new NeedsContextMode();
    this.write(`${this.constant(node)}.render(ctx)`);
  }

  /**
   * Emits a call to `node.render(ctx)` for a node that reads the context but never writes to it
   * (include, block, custom tags without `as`): the visible locals are pushed as one scope first.
   */
  withContext(node: Node): void {
    const call = `${this.constant(node)}.render(ctx)`;
    const visible = this.visibleLocals();
    if (visible.size === 0) {
      this.write(call);
      return;
    }
    this.line(`ctx.pushFrame(${this.frame(visible)});`);
    this.line("try {");
    this.write(call);
    this.line("} finally { ctx.pop(); }");
  }

  /**
   * Emits a new context frame holding `values` (names to JS expressions) and returns the local that
   * holds it. Filled property by property: stores at fixed sites stay monomorphic.
   */
  frame(values: Map<string, string>): string {
    const frame = this.temp();
    this.line(`${frame} = NF();`);
    for (const [name, js] of values) this.line(`${frame}[${JSON.stringify(name)}] = ${js};`);
    return frame;
  }

  // #endregion

  /** The generated source (the function body) and the constants it refers to. */
  finish(): { source: string; constants: unknown[] } {
    const temps = Array.from({ length: this.#temps }, (_, i) => `t${i}`);
    const declarations = temps.length ? `let ${temps.join(", ")};\n` : "";
    // `at` is the constant slot of the node whose code is running, for the error's position.
    return {
      source: `let out = "", u, at = -1;\n${declarations}try {\n${
        this.#lines.join("\n")
      }\n} catch (e) { throw at === -1 ? e : PE(k[at], e); }\nreturn out;`,
      constants: this.#constants,
    };
  }
}
