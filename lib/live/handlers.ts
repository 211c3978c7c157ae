/**
 * The `@eventHandler()` decorator and the one place that decides which method an event may call.
 *
 * The browser names a handler by string. The lookup walks the view's prototype chain for a method
 * (a data property) that the decorator registered; it never reads a property of the instance, so a
 * getter or a field cannot run or be reached by a name the client chose.
 * @module
 */

/** Parameters an event carries: `dj-value-*` attributes, input values, form fields. */
export type EventParams = Record<string, unknown>;

/** Options of {@link eventHandler}. */
export interface EventHandlerOptions {
  /**
   * A permission the session's user must hold, checked at every event against the session as it
   * is now (the App's `auth.hasPermission`); without it the event is refused with `auth.forbidden`
   * and changes nothing.
   */
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

/** A handler found for an event name. */
export interface FoundHandler {
  fn: (params: EventParams) => unknown;
  options: EventHandlerOptions;
}

/** The handler registered under `name` on `view`'s class, or undefined when there is none. */
export function findHandler(view: object, name: unknown): FoundHandler | undefined {
  if (typeof name !== "string" || !name || name.startsWith("_") || name.startsWith("#")) {
    return undefined;
  }
  if (Object.hasOwn(Object.prototype, name)) return undefined;
  for (
    let proto = Object.getPrototypeOf(view);
    proto && proto !== Object.prototype;
    proto = Object.getPrototypeOf(proto)
  ) {
    const descriptor = Object.getOwnPropertyDescriptor(proto, name);
    if (!descriptor) continue;
    // Only a plain method counts; an accessor is never called to find out.
    const fn = descriptor.value;
    const options = typeof fn === "function" ? HANDLERS.get(fn) : undefined;
    return options ? { fn, options } : undefined;
  }
  return undefined;
}
