/**
 * The LiveView base class and the `@eventHandler()` decorator.
 * @module
 */
import {
  batch,
  computed,
  type ReadonlySignal,
  type Signal,
  signal,
  untracked,
} from "@preact/signals-core";
import { isSignal } from "../template/values.ts";

/** Parameters an event carries: `dj-value-*` attributes, input values, form fields. */
export type EventParams = Record<string, unknown>;

/** Options of {@link eventHandler}. */
export interface EventHandlerOptions {
  /** Free-form name of a permission the App's `authorize` hook must grant (see App options). */
  permission?: string;
}

// deno-lint-ignore ban-types -- keys are any method, whatever its signature
const HANDLERS = new WeakMap<Function, EventHandlerOptions>();

/** The decorator `eventHandler()` returns. */
export type EventHandlerDecorator = <T extends (...args: never[]) => unknown>(
  method: T,
  context: ClassMethodDecoratorContext,
) => T;

/**
 * Marks a method as callable from the browser. Only marked methods can be called by events; any
 * other name gets an error reply and changes nothing.
 *
 * @example
 * ```ts
 * import { eventHandler, LiveView, signal } from "@djust/djust";
 * class Counter extends LiveView {
 *   static override template = `<button dj-click="increment">{{ count }}</button>`;
 *   count = signal(0);
 *   @eventHandler()
 *   increment(): void {
 *     this.count.value++;
 *   }
 * }
 * ```
 */
export function eventHandler(options: EventHandlerOptions = {}): EventHandlerDecorator {
  return function <T extends (...args: never[]) => unknown>(
    method: T,
    context: ClassMethodDecoratorContext,
  ): T {
    if (context.private || context.static) {
      throw new TypeError("@eventHandler() applies to public instance methods only");
    }
    HANDLERS.set(method, options);
    return method;
  };
}

/** The handler registered under `name` on `view`, or undefined when `name` is not an event handler. */
export function findHandler(
  view: LiveView,
  name: string,
): { fn: (params: EventParams) => unknown; options: EventHandlerOptions } | undefined {
  if (typeof name !== "string" || !name || name.startsWith("_") || name.startsWith("#")) {
    return undefined;
  }
  if (Object.hasOwn(Object.prototype, name)) return undefined;
  const fn = (view as unknown as Record<string, unknown>)[name];
  if (typeof fn !== "function") return undefined;
  const options = HANDLERS.get(fn);
  return options ? { fn: fn as (params: EventParams) => unknown, options } : undefined;
}

/** Hooks the runtime gives a mounted view (push to the client, navigation...). */
export interface ViewHost {
  /** Sends an event to client hooks. */
  pushEvent(name: string, payload: unknown): void;
}

/** The runtime attached to each mounted view (kept outside the instance so it is never state). */
const VIEW_HOSTS = new WeakMap<LiveView, ViewHost>();

/** Attaches (or detaches, with null) the runtime of a mounted view. */
export function attachHost(view: LiveView, host: ViewHost | null): void {
  if (host) VIEW_HOSTS.set(view, host);
  else VIEW_HOSTS.delete(view);
}

/**
 * A server-rendered, stateful view. Subclass it, declare state as signals (or plain fields, which
 * are made reactive after `mount`), write a Django template, and mark event handlers.
 *
 * Fields whose names start with `_` are private: never in the template, never serialized or sent.
 *
 * @example
 * ```ts
 * import { App, eventHandler, LiveView, signal } from "@djust/djust";
 * class Counter extends LiveView {
 *   static override template = `<button dj-click="increment">{{ count }}</button>`;
 *   count = signal(0);
 *   @eventHandler()
 *   increment(): void {
 *     this.count.value++;
 *   }
 * }
 * const app = new App();
 * app.live("/counter", Counter);
 * ```
 */
export abstract class LiveView {
  /** Inline Django template of the view. */
  static template?: string;
  /** Or: name of a template file found through the App's template dirs. */
  static templateName?: string;

  /** Server-side session data of the visitor (see `App.sessions`); never sent to the browser. */
  declare readonly session: Record<string, unknown>;

  /** Called on the HTTP render and again when the socket joins; set up state here. */
  mount(_request: Request, _params: Record<string, string>): void | Promise<void> {}

  /** Derived values for the template, merged over public state. Runs inside a `computed`. */
  getContextData(): Record<string, unknown> {
    return {};
  }

  /** Sends an event to client-side hooks (`this.handleEvent(name, fn)` in a hook). */
  pushEvent(name: string, payload: unknown = {}): void {
    VIEW_HOSTS.get(this)?.pushEvent(name, payload);
  }
}

/** Names of the public state fields of a view (own, enumerable, not `_`-prefixed, not functions). */
export function publicFieldNames(view: LiveView): string[] {
  const names: string[] = [];
  for (const key of Object.keys(view)) {
    if (key.startsWith("_")) continue;
    const value = (view as unknown as Record<string, unknown>)[key];
    if (typeof value === "function") continue;
    names.push(key);
  }
  return names;
}

/**
 * Makes public plain fields reactive (each becomes an accessor over a signal) and returns the
 * template scope: one signal per public field, plus one computed per `getContextData` key.
 */
export function prepareState(view: LiveView): Record<string, unknown> {
  const scope: Record<string, unknown> = {};
  const record = view as unknown as Record<string, unknown>;
  for (const name of publicFieldNames(view)) {
    const value = record[name];
    if (isSignal(value)) {
      scope[name] = value;
      continue;
    }
    const backing: Signal<unknown> = signal(value);
    Object.defineProperty(view, name, {
      get: () => backing.value,
      set: (v) => {
        backing.value = v;
      },
      enumerable: true,
      configurable: true,
    });
    scope[name] = backing;
  }
  // getContextData runs inside one computed; each key gets its own computed so a key whose value
  // keeps its identity does not wake the regions that read it.
  const data = computed(() => view.getContextData());
  const keys = Object.keys(untracked(() => data.value));
  for (const key of keys) scope[key] = computed(() => data.value[key]);
  return scope;
}

/** Reads the public state as plain values (signals unwrapped), for serialization and tests. */
export function readPublicState(view: LiveView): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const record = view as unknown as Record<string, unknown>;
  for (const name of publicFieldNames(view)) {
    const value = record[name];
    out[name] = isSignal(value) ? value.peek() : value;
  }
  return out;
}

/** Runs an event handler with its signal writes batched. */
export function runHandler(fn: () => unknown): unknown {
  return batch(fn);
}

export type { ReadonlySignal };
