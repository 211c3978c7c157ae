/**
 * The LiveComponent base class: a part of a live view with its own state, template and event
 * handlers, rendered by `{% live_component "name" id=… prop=… %}` in the view's template.
 * @module
 */
import { isSignal } from "../template/values.ts";
import type { Session } from "../session/session.ts";
import { publicFieldNames } from "./state.ts";

/** What a component reaches through its host (kept outside the instance: never state). */
export interface ComponentLink {
  /** `this.sendParent`: delivered to the view's `handleInfo`. */
  sendParent(message: ComponentMessage): void;
  /** `this.sendUpdate`: another component's `update(props)`. */
  sendUpdate(component: ComponentClass, id: unknown, props: Record<string, unknown>): void;
  /** `this.pushEvent`: an event for client hooks. */
  pushEvent(name: string, payload: unknown): void;
}

/** What `sendParent` delivers to the parent view's `handleInfo`. */
export interface ComponentMessage {
  /** The name given to `sendParent`. */
  readonly event: string;
  /** The sending component's `id`. */
  readonly id: string;
  /** The payload given to `sendParent`. */
  readonly payload: unknown;
}

const LINKS = new WeakMap<LiveComponent, ComponentLink>();

/** Connects (or, with null, disconnects) a component instance to its host. */
export function linkComponent(component: LiveComponent, link: ComponentLink | null): void {
  if (link) LINKS.set(component, link);
  else LINKS.delete(component);
}

/** A LiveComponent subclass, as `static components` lists them. */
export interface ComponentClass {
  /** The class name (in errors). */
  readonly name: string;
  /** Inline template. */
  readonly template?: string;
  /** Or: a template name found through the App's template dirs. */
  readonly templateName?: string;
  /** Public fields `dj-model` may write (with `dj-target`). */
  readonly bindable?: readonly string[];
  /** False: the component's state is left out of its view's saved state. */
  readonly persist?: boolean;
  /** Creates an instance. */
  new (): LiveComponent;
}

/**
 * A stateful part of a live view. Declare state as signals, write a template, mark event handlers
 * with `@eventHandler()`; events reach the component when the element that sends them has
 * `dj-target="{{ myself }}"`. List the component in the view's `static components` and render it
 * with `{% live_component "name" id=… prop=value %}`; `id` is required and unique per component
 * type within the view.
 *
 * `mount(props)` runs once, when the component first renders; `update(props)` whenever the view
 * renders it again with different props (by default both copy props onto same-named public
 * fields). A component's template sees its public fields, `getContextData()`, `id` and `myself`.
 *
 * @example
 * ```ts
 * import { eventHandler, LiveComponent, LiveView, signal } from "@djust/djust";
 * class Card extends LiveComponent {
 *   static override template = `<div>{{ title }} {{ votes }}
 *     <button dj-click="vote" dj-target="{{ myself }}">+1</button></div>`;
 *   title = signal("");
 *   votes = signal(0);
 *   @eventHandler()
 *   vote(): void {
 *     this.votes.value++;
 *     this.sendParent("voted", { votes: this.votes.value });
 *   }
 * }
 * class Board extends LiveView {
 *   static override components = { card: Card };
 *   static override template =
 *     `{% for item in items %}{% live_component "card" id=item.id title=item.title %}{% endfor %}`;
 *   items = signal([{ id: 1, title: "One" }, { id: 2, title: "Two" }]);
 * }
 * ```
 */
export abstract class LiveComponent {
  /** Inline Django template of the component. */
  static template?: string;
  /** Or: name of a template file found through the App's template dirs. */
  static templateName?: string;
  /** Public fields `dj-model` may write (the element also needs `dj-target="{{ myself }}"`). */
  static bindable?: readonly string[];
  /**
   * `false` leaves this component's public state out of its view's saved state: after a restore it
   * mounts from its props. By default it is saved with the view's and given back after `mount`.
   */
  static persist?: boolean;

  /** The `id` the view gave in `{% live_component %}` (as a string). */
  declare readonly id: string;
  /** What `dj-target` names to reach this instance (`dj-target="{{ myself }}"`). */
  declare readonly myself: string;
  /** The visitor's session (server side only). */
  declare readonly session: Session;
  /** The signed-in user, or null. */
  declare readonly user: unknown;

  /** Runs once, before the first render, with the props of the tag. Default: {@link assignProps}. */
  mount(props: Record<string, unknown>): void {
    this.assignProps(props);
  }

  /**
   * Runs when the view renders the component again with props that differ from the last ones (or
   * on `sendUpdate`). Default: {@link assignProps}.
   */
  update(props: Record<string, unknown>): void {
    this.assignProps(props);
  }

  /** Copies each prop onto the public field of the same name, if there is one. */
  assignProps(props: Record<string, unknown>): void {
    const record = this as unknown as Record<string, unknown>;
    const fields = new Set(publicFieldNames(this));
    for (const [name, value] of Object.entries(props)) {
      if (!fields.has(name)) continue;
      const current = record[name];
      if (isSignal(current)) (current as { value: unknown }).value = value;
      else record[name] = value;
    }
  }

  /** Derived values for the template, merged over public state. Runs inside a `computed`. */
  getContextData(): Record<string, unknown> {
    return {};
  }

  /**
   * Sends a message to the parent view: its `handleInfo` receives `{ event, id, payload }` right
   * after the current event or render.
   */
  sendParent(event: string, payload: unknown = {}): void {
    LINKS.get(this)?.sendParent({ event, id: this.id, payload });
  }

  /** Calls `update(props)` of the `component` instance with `id` in the same view, if it exists. */
  sendUpdate(component: ComponentClass, id: unknown, props: Record<string, unknown>): void {
    LINKS.get(this)?.sendUpdate(component, id, props);
  }

  /** Sends an event to client-side hooks, as the view's `pushEvent`. */
  pushEvent(name: string, payload: unknown = {}): void {
    LINKS.get(this)?.pushEvent(name, payload);
  }
}
