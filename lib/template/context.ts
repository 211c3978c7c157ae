/**
 * The render-time context: a stack of variable scopes plus per-render state for stateful tags.
 * @module
 */
import type { TemplateHooks } from "./hooks.ts";
import type { TemplateSource } from "./tags/registry.ts";

/** A scope: an object whose prototype is the enclosing scope, so lookups walk the chain natively. */
export type Scope = Record<string, unknown>;

/** The outermost scope of every context: Django's builtins. Shared, so never written to. */
const BUILTINS: Scope = Object.freeze(Object.assign(Object.create(null), {
  True: true,
  False: false,
  None: null,
}));

/**
 * Variables visible while rendering, and per-render state.
 *
 * Scopes are chained with prototypes (`Object.create(parent)`): pushing is one allocation and a lookup
 * is a single `in` + property read, which keeps the per-variable cost of large loops low. The root
 * scope has a null prototype, so names like `constructor` never resolve to Object's methods.
 *
 * @example
 * ```ts
 * import { Context } from "@djust/djust";
 * const ctx = new Context({ user: "ann" });
 * ctx.push({ user: "bob" });
 * ctx.get("user"); // "bob"
 * ctx.pop();
 * ctx.get("user"); // "ann"
 * ```
 */
export class Context {
  /** The innermost scope. */
  scope: Scope;
  /** Whether `{{ }}` output is escaped here (changed by `{% autoescape %}`). */
  autoescape: boolean;
  /**
   * Per-render state of stateful nodes (cycle, ifchanged, block inheritance), keyed by node.
   * Each template render gets a fresh one, so shared compiled nodes hold no render state.
   */
  get renderState(): Map<unknown, unknown> {
    // Created on first use: most renders have no stateful tag, and a Map per render is not free.
    return this.#renderState ??= new Map();
  }
  set renderState(state: Map<unknown, unknown>) {
    this.#renderState = state;
  }
  #renderState: Map<unknown, unknown> | null = null;
  /** Reused for every filter call of this context (filters must not keep it); made on first use. */
  get filterEnv(): { autoescape: boolean; inputSafe: boolean; timeZone: string } {
    return this.#filterEnv ??= {
      autoescape: this.autoescape,
      inputSafe: false,
      timeZone: this.hooks.timeZone ?? "UTC",
    };
  }
  #filterEnv: { autoescape: boolean; inputSafe: boolean; timeZone: string } | null = null;
  /** Hooks supplied by the caller: URL reversing, CSRF token, time zone. */
  hooks: TemplateHooks;
  /** Where `{% include %}` and `{% extends %}` find other templates (set by the engine). */
  templates?: TemplateSource;

  /** Creates a context over `values` (copied into a fresh scope). */
  constructor(values: Record<string, unknown> = {}, autoescape = true, hooks: TemplateHooks = {}) {
    const scope: Scope = Object.create(BUILTINS);
    for (const key in values) scope[key] = values[key];
    this.scope = scope;
    this.autoescape = autoescape;
    this.hooks = hooks;
  }

  /** Drops per-render state (the next render starts fresh). */
  resetRenderState(): void {
    this.#renderState = null;
  }

  /** Replaces the per-render state with `next` (null: fresh), returning the previous one. */
  swapRenderState(next: Map<unknown, unknown> | null): Map<unknown, unknown> | null {
    const previous = this.#renderState;
    this.#renderState = next;
    return previous;
  }

  /** Opens a new innermost scope, optionally with initial values. */
  push(values?: Record<string, unknown>): void {
    const scope = Object.create(this.scope);
    // for-in beats Object.assign for the few keys a tag pushes.
    if (values) { for (const key in values) scope[key] = values[key]; }
    this.scope = scope;
  }

  /** Closes the innermost scope. */
  pop(): void {
    this.scope = Object.getPrototypeOf(this.scope);
  }

  /** Sets a variable in the innermost scope. */
  set(name: string, value: unknown): void {
    this.scope[name] = value;
  }

  /** Reads a variable, or `undefined` when no scope has it. */
  get(name: string): unknown {
    return this.scope[name];
  }

  /** True when some scope defines `name`. */
  has(name: string): boolean {
    return name in this.scope;
  }

  /** Replaces the scopes with one holding `values` (for `{% include ... only %}`), returning the old one. */
  isolate(values: Record<string, unknown>): Scope {
    const old = this.scope;
    let root = old;
    for (let p = Object.getPrototypeOf(root); p !== null; p = Object.getPrototypeOf(p)) root = p;
    this.scope = Object.assign(Object.create(root), values);
    return old;
  }

  /** Flattens every visible variable into one plain object (innermost wins). */
  flatten(): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    for (const k in this.scope) if (!(k in out)) out[k] = this.scope[k];
    return out;
  }
}
