/**
 * Async work of a view: `assignAsync` (a value the template shows as loading, ok or failed) and
 * `startAsync` (work whose result the view handles in `handleAsync`). Work runs beside the view's
 * events (an event handler that itself awaits holds the view's other events until it returns;
 * this does not), and is cancelled (its AbortSignal fires) when the view ends, navigates away, or
 * starts the same name again.
 * @module
 */
import { type Signal, signal } from "./signals.ts";

/**
 * The state of a value loading asynchronously, as the template sees it: `{{ stats.loading }}`,
 * `{% if stats.ok %}{{ stats.result.total }}{% endif %}`, `{% if stats.failed %}…{% endif %}`.
 *
 * @example
 * ```ts
 * import { AsyncResult } from "@djust/djust";
 * const loading = AsyncResult.loading<number>();
 * loading.loading; // true
 * ```
 */
export class AsyncResult<T = unknown> {
  /** True while the work runs. */
  readonly loading: boolean;
  /** True once the work succeeded. */
  readonly ok: boolean;
  /** The value, once ok (the previous one while reloading). */
  readonly result: T | undefined;
  /** Why it failed: the error's message in development, a generic text in production. */
  readonly failed: string | false;

  private constructor(
    loading: boolean,
    ok: boolean,
    result: T | undefined,
    failed: string | false,
  ) {
    this.loading = loading;
    this.ok = ok;
    this.result = result;
    this.failed = failed;
  }

  /** Loading (keeping `previous`, if any, as the result shown meanwhile). */
  static loading<T>(previous?: T): AsyncResult<T> {
    return new AsyncResult<T>(true, false, previous, false);
  }

  /** Done, with `result`. */
  static ok<T>(result: T): AsyncResult<T> {
    return new AsyncResult<T>(false, true, result, false);
  }

  /** Failed, with `reason`. */
  static failed<T>(reason: string): AsyncResult<T> {
    return new AsyncResult<T>(false, false, undefined, reason);
  }
}

/**
 * A field holding an {@link AsyncResult}, to declare on a view for `assignAsync`:
 * `stats = asyncResult<Stats>()`.
 *
 * @example
 * ```ts
 * import { asyncResult, LiveView } from "@djust/djust";
 * class Dashboard extends LiveView {
 *   stats = asyncResult<{ total: number }>();
 * }
 * ```
 */
export function asyncResult<T>(): Signal<AsyncResult<T>> {
  return signal(AsyncResult.loading<T>());
}

/** How a `startAsync` work ended, for `handleAsync`. */
export type AsyncOutcome<T = unknown> =
  | { ok: true; value: T }
  | { ok: false; error: unknown; cancelled: boolean };

/** The running works of one view, by name. */
export class AsyncWork {
  #running = new Map<string, AbortController>();
  #ended = false;

  /**
   * Runs `work` under `name` (cancelling a work of the same name); `done` receives its outcome
   * unless it was cancelled first.
   */
  start<T>(
    name: string,
    work: (signal: AbortSignal) => T | Promise<T>,
    done: (outcome: AsyncOutcome<T>) => void,
  ): void {
    if (this.#ended) return;
    this.cancel(name);
    const controller = new AbortController();
    this.#running.set(name, controller);
    const finish = (outcome: AsyncOutcome<T>) => {
      if (this.#running.get(name) !== controller) return; // replaced or cancelled meanwhile
      this.#running.delete(name);
      done(outcome);
    };
    // The work starts after the current handler: it never runs inside the handler's batch.
    queueMicrotask(async () => {
      if (controller.signal.aborted) return;
      try {
        finish({ ok: true, value: await work(controller.signal) });
      } catch (error) {
        finish({ ok: false, error, cancelled: controller.signal.aborted });
      }
    });
  }

  /** Cancels the work `name` (its AbortSignal fires; its outcome is dropped). */
  cancel(name: string): void {
    const controller = this.#running.get(name);
    if (!controller) return;
    this.#running.delete(name);
    controller.abort(new DOMException(`${name} was cancelled`, "AbortError"));
  }

  /** True while a work of that name runs. */
  running(name: string): boolean {
    return this.#running.has(name);
  }

  /** Cancels everything, for good (the view ended). */
  end(): void {
    this.#ended = true;
    for (const name of [...this.#running.keys()]) this.cancel(name);
  }
}
