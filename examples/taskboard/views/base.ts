/**
 * What every task board page has in common: the signed-in member (`me` in templates), the app's
 * services, and leaving at once when an admin removes the member from the team.
 */
import { LiveView, type ViewClass } from "../../../mod.ts";
import type { User } from "../data/model.ts";
import type { Services } from "../services.ts";
import { isMemberMessage, memberTopic } from "./topics.ts";

/**
 * The base of the task board's views. Views reach the store through `this.services`, a getter that
 * {@link withServices} defines on a per-app subclass: a getter on the prototype is never state, so
 * it is neither sent, nor saved, nor visible to templates.
 */
export abstract class TaskboardView extends LiveView {
  /** Everything a page shows comes from the database and the URL: nothing to save or restore. */
  static override persist = false;

  /** The app's services (see {@link withServices}). */
  protected get services(): Services {
    throw new Error(`${this.constructor.name} is not bound to an app: use withServices()`);
  }

  /** The signed-in member (every route needs one: `loginRequired()` runs before `mount`). */
  protected get me(): User {
    return this.user as User;
  }

  override mount(_request: Request, _params: Record<string, string>): void | Promise<void> {
    this.subscribe(memberTopic(this.me.id));
  }

  override getContextData(): Record<string, unknown> {
    return { me: this.me };
  }

  /** Messages of the member's topic; subclasses handle their own topics in {@link receive}. */
  override handleInfo(message: unknown): void | Promise<void> {
    if (isMemberMessage(message)) {
      this.putFlash("error", "An admin removed your account from the team.");
      return this.redirect("/login");
    }
    return this.receive(message);
  }

  /** Messages of the view's own topics, and of its live components (`sendParent`). */
  protected receive(_message: unknown): void | Promise<void> {}
}

/** A subclass of `view` whose instances use `services` (one per app; keeps the class name). */
export function withServices(view: typeof TaskboardView, services: Services): ViewClass {
  const Base = view as unknown as new () => TaskboardView;
  const Bound = class extends Base {
    protected override get services(): Services {
      return services;
    }
  };
  Object.defineProperty(Bound, "name", { value: view.name });
  return Bound as unknown as ViewClass;
}
