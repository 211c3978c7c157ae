/**
 * Client hooks: `dj-hook="Name"` runs `window.djustHooks.Name` callbacks on the element:
 * mounted, updated, destroyed, disconnected, reconnected. Inside a callback, `this.el` is the element,
 * `this.pushEvent(name, params)` sends an event, and `this.handleEvent(name, fn)` receives the view's
 * `this.pushEvent(name, payload)`.
 */

/** What a hook definition may implement. */
export interface HookDefinition {
  mounted?(this: HookInstance): void;
  updated?(this: HookInstance): void;
  destroyed?(this: HookInstance): void;
  disconnected?(this: HookInstance): void;
  reconnected?(this: HookInstance): void;
}

/** `this` inside hook callbacks. */
export interface HookInstance extends HookDefinition {
  el: Element;
  pushEvent(name: string, params?: Record<string, unknown>): void;
  handleEvent(name: string, fn: (payload: unknown) => void): void;
}

type Push = (name: string, params: Record<string, unknown>, source: Element) => void;

/** Tracks hooked elements of a root and drives their callbacks. */
export class Hooks {
  #live = new Map<Element, HookInstance>();
  #handlers = new Map<string, Set<(payload: unknown) => void>>();

  constructor(readonly root: Element, readonly push: Push) {}

  /** Finds new, still-present and removed hooked elements after the DOM changed. */
  scan(): void {
    const registry = (globalThis as { djustHooks?: Record<string, HookDefinition> }).djustHooks ??
      {};
    const seen = new Set<Element>();
    for (const el of this.root.querySelectorAll("[dj-hook]")) {
      seen.add(el);
      const existing = this.#live.get(el);
      if (existing) {
        existing.updated?.();
        continue;
      }
      const definition = registry[el.getAttribute("dj-hook")!];
      if (!definition) continue;
      const instance: HookInstance = Object.assign(Object.create(definition), {
        el,
        pushEvent: (name: string, params: Record<string, unknown> = {}) =>
          this.push(name, params, el),
        handleEvent: (name: string, fn: (payload: unknown) => void) => {
          let set = this.#handlers.get(name);
          if (!set) this.#handlers.set(name, set = new Set());
          set.add(fn);
        },
      });
      this.#live.set(el, instance);
      instance.mounted?.();
    }
    for (const [el, instance] of this.#live) {
      if (!seen.has(el)) {
        this.#live.delete(el);
        instance.destroyed?.();
      }
    }
  }

  /** Calls `disconnected` or `reconnected` on every live hook. */
  connection(connected: boolean): void {
    for (const instance of this.#live.values()) {
      (connected ? instance.reconnected : instance.disconnected)?.call(instance);
    }
  }

  /** Delivers a server `pushEvent` to the hooks that asked for it. */
  dispatch(event: string, payload: unknown): void {
    for (const fn of this.#handlers.get(event) ?? []) fn(payload);
  }
}
