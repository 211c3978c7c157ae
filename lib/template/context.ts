/**
 * The render-time context: a stack of variable scopes plus per-render state for stateful tags.
 * @module
 */
import type { FilterEnv } from "./filters/registry.ts";
import type { TemplateHooks } from "./hooks.ts";
import { Translations } from "./i18n/translations.ts";
import type { TemplateSource } from "./tags/registry.ts";
import { MISSING } from "./values.ts";

/** A scope: variables by name (a pushed frame, or a base scope that may chain others by prototype). */
export type Scope = Record<string, unknown>;

/** The outermost scope of every context: Django's builtins. Shared, so never written to. */
const BUILTINS: Scope = Object.freeze(Object.assign(Object.create(null), {
  True: true,
  False: false,
  None: null,
}));

/** The prototype of every pushed frame: empty and long-lived (see {@link Context}). */
const FRAME: Scope = Object.freeze(Object.create(null));

/** Cells made by {@link Context.makeCell}: written again, not replaced, by later assignments. */
const ASSIGNED = new WeakSet<object>();

/** Without catalogs: every message is its own translation. */
const NO_TRANSLATIONS = new Translations();

/** A new empty frame for {@link Context.pushFrame}. */
export function newFrame(): Scope {
  return Object.create(FRAME);
}

/** The scopes {@link Context.isolate} replaced, for {@link Context.restoreScopes}. */
export type SavedScopes = readonly Scope[];

/**
 * Variables visible while rendering, and per-render state.
 *
 * The variables are a *base* scope (`ctx.scope = …` sets it; it may itself chain scopes with
 * prototypes, as the LiveView layer's long-lived region scopes do) under a stack of *frames* pushed
 * for `{% for %}`, `{% with %}`, `{% block %}`, `{% include %}`. Frames are separate objects, not
 * prototype links: V8 makes an object a prototype at great cost (microseconds per push on a
 * fresh object), and every render's scopes are fresh. A lookup walks the frames, innermost first.
 * Every frame's prototype is one empty frozen object, so names like `constructor` never resolve to
 * Object's methods.
 *
 * @example
 * ```ts
 * import { Context } from "@djust/djust/template";
 * const ctx = new Context({ user: "ann" });
 * ctx.push({ user: "bob" });
 * ctx.get("user"); // "bob"
 * ctx.pop();
 * ctx.get("user"); // "ann"
 * ```
 */
export class Context {
  // Scopes, outermost first: [base, frame, frame, ...]. Never empty.
  #scopes: Scope[];
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
  get filterEnv(): FilterEnv & { autoescape: boolean; inputSafe: boolean } {
    return this.#filterEnv ??= {
      autoescape: this.autoescape,
      inputSafe: false,
      timeZone: this.hooks.timeZone ?? "UTC",
      translate: (message) => this.translations.gettext(this.language, "", message),
    };
  }
  #filterEnv: (FilterEnv & { autoescape: boolean; inputSafe: boolean }) | null = null;
  /** Hooks supplied by the caller: URL reversing, CSRF token, time zone. */
  hooks: TemplateHooks;
  /** Where `{% include %}` and `{% extends %}` find other templates (set by the engine). */
  templates?: TemplateSource;
  /** The catalogs `{% trans %}`, `{% blocktrans %}` and `_("…")` translate with (the engine's). */
  translations: Translations = NO_TRANSLATIONS;
  /**
   * The language `{% language %}` switched to for its body: a code, `null` for "no language"
   * (untranslated), `undefined` outside any `{% language %}`.
   */
  languageOverride: string | null | undefined = undefined;
  /**
   * Set by live renders: variables that tags assign (`{% url … as u %}`, `{% get_current_language
   * as L %}`, `{% firstof … as x %}`) are kept in cells this makes (signals), so the regions that
   * read such a variable re-render when the region of the tag that assigned it does.
   */
  makeCell: ((value: unknown) => { value: unknown }) | null = null;

  /**
   * The language this render translates into: a `{% language %}` in force, else the caller's
   * `hooks.language` (read on each use, so a getter over a signal tracks it), else the
   * engine's default. `null` renders untranslated.
   */
  get language(): string | null {
    const override = this.languageOverride;
    if (override !== undefined) return override;
    return this.hooks.language ?? this.translations.defaultLanguage;
  }

  /** Creates a context over `values` (copied into a fresh scope). */
  constructor(values: Record<string, unknown> = {}, autoescape = true, hooks: TemplateHooks = {}) {
    const scope: Scope = Object.create(BUILTINS);
    for (const key in values) scope[key] = values[key];
    this.#scopes = [scope];
    this.autoescape = autoescape;
    this.hooks = hooks;
  }

  /**
   * The innermost scope, where `set` writes. Assigning replaces every scope with the given one
   * (which may chain others by prototype) as the base.
   */
  get scope(): Scope {
    const scopes = this.#scopes;
    return scopes[scopes.length - 1];
  }
  set scope(scope: Scope) {
    this.#scopes = [scope];
  }

  /** Puts back the scopes {@link isolate} returned. */
  restoreScopes(saved: SavedScopes): void {
    this.#scopes = saved as Scope[];
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
    const frame: Scope = Object.create(FRAME);
    // for-in beats Object.assign for the few keys a tag pushes.
    if (values) { for (const key in values) frame[key] = values[key]; }
    this.#scopes.push(frame);
  }

  /** Opens `frame` (made by {@link newFrame}, filled by the caller) as the innermost scope. */
  pushFrame(frame: Scope): void {
    this.#scopes.push(frame);
  }

  /** Closes the innermost scope (the base scope stays). */
  pop(): void {
    if (this.#scopes.length > 1) this.#scopes.pop();
  }

  /** Sets a variable in the innermost scope. */
  set(name: string, value: unknown): void {
    const scope = this.scope;
    if (this.makeCell) {
      const current = scope[name];
      if (current !== undefined && ASSIGNED.has(current as object)) {
        (current as { value: unknown }).value = value;
        return;
      }
      const cell = this.makeCell(value);
      ASSIGNED.add(cell);
      scope[name] = cell;
      return;
    }
    scope[name] = value;
  }

  /**
   * Django's `set_upward`: overwrites `name` in the innermost scope that defines it, else sets it in
   * the innermost scope.
   */
  setUpward(name: string, value: unknown): void {
    const scopes = this.#scopes;
    for (let i = scopes.length - 1; i >= 0; i--) {
      for (let s: Scope | null = scopes[i]; s !== null; s = Object.getPrototypeOf(s)) {
        if (s === BUILTINS || s === FRAME) break;
        if (Object.hasOwn(s, name)) {
          s[name] = value;
          return;
        }
      }
    }
    this.scope[name] = value;
  }

  /** Reads a variable: its value, or `MISSING` (the template lookup marker) when no scope has it. */
  lookup(name: string): unknown {
    const scopes = this.#scopes;
    for (let i = scopes.length - 1; i > 0; i--) {
      const frame = scopes[i];
      const value = frame[name];
      if (value !== undefined || name in frame) return value;
    }
    const base = scopes[0];
    const value = base[name];
    return value !== undefined || name in base ? value : MISSING;
  }

  /** Reads a variable, or `undefined` when no scope has it. */
  get(name: string): unknown {
    const value = this.lookup(name);
    return value === MISSING ? undefined : value;
  }

  /** True when some scope defines `name`. */
  has(name: string): boolean {
    return this.lookup(name) !== MISSING;
  }

  /**
   * Replaces the scopes with one holding `values` (for `{% include ... only %}`), returning the old
   * ones for {@link restoreScopes}.
   */
  isolate(values: Record<string, unknown>): SavedScopes {
    const saved = this.#scopes;
    this.#scopes = [Object.assign(Object.create(BUILTINS), values)];
    return saved;
  }

  /** Flattens every visible variable into one plain object (innermost wins). */
  flatten(): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    const scopes = this.#scopes;
    for (let i = scopes.length - 1; i >= 0; i--) {
      for (const k in scopes[i]) if (!(k in out)) out[k] = scopes[i][k];
    }
    return out;
  }
}
