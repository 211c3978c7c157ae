/**
 * What a view can do beyond rendering: subscribe to topics, track presence, run timers, push events
 * to client hooks, navigate and flash. Everything it starts is stopped when the view goes away.
 *
 * A view mounted for the page load is not live yet: what it starts in `mount` (subscriptions,
 * presence, timers) is kept and started when a connection takes the view over (`goLive`), so the
 * page load's mount is the only mount, and a view nobody joins starts nothing.
 * @module
 */
import type { PubSub } from "../pubsub/pubsub.ts";
import type { PresenceDiff, PresenceList } from "../pubsub/presence.ts";
import type { NavigationIntent, ViewSink } from "./sink.ts";
import { type AsyncOutcome, AsyncWork } from "./async_work.ts";

/** How the runtime calls back into view code (each call runs batched and never throws). */
export interface ViewCallbacks {
  /** A message arrived on a subscribed topic. */
  info(message: unknown): void;
  /** Presence changed on a tracked or watched topic. */
  presenceDiff(topic: string, diff: PresenceDiff): void;
  /** A timer fired. */
  timer(fn: () => unknown): void;
}

/** Ids of timers started before the view went live (mapped to real ones when it does). */
const FIRST_DEFERRED_TIMER = 2 ** 30;

/** The runtime behind `this.subscribe`, `this.setInterval`… of a view. */
export class ViewRuntime {
  /** Identifies the view on pub/sub (for `exceptSelf`). */
  readonly id: string = crypto.randomUUID();
  #pubsub: PubSub | null;
  #sink: ViewSink;
  #callbacks: ViewCallbacks;
  #cleanups = new Set<() => void>();
  #timers = new Set<number>();
  #watching = new Set<string>();
  #disposed = false;
  #live: boolean;
  /** What `mount` started before the view went live, by timer id (or a running number). */
  #deferred = new Map<number, () => void>();
  #deferredTimers = new Map<number, number>();
  #nextDeferred = FIRST_DEFERRED_TIMER;
  #async = new AsyncWork();
  /** Async work asked for before the view went live, by name (the last ask wins). */
  #deferredAsync = new Map<string, () => void>();
  /** Development: failures of async work show their message. */
  readonly detailedErrors: boolean;

  /** `live` is false for a page load's mount: what the view starts waits for `goLive`. */
  constructor(
    pubsub: PubSub | null,
    live: boolean,
    sink: ViewSink,
    callbacks: ViewCallbacks,
    detailedErrors = false,
  ) {
    this.detailedErrors = detailedErrors;
    this.#pubsub = pubsub;
    this.#live = live;
    this.#sink = sink;
    this.#callbacks = callbacks;
  }

  /** True over a live connection (false during the page load). */
  get connected(): boolean {
    return this.#live && this.#pubsub !== null && !this.#disposed;
  }

  /** Starts what the view asked for while it was not live. */
  goLive(): void {
    if (this.#live || this.#disposed) return;
    this.#live = true;
    const deferred = [...this.#deferred.values(), ...this.#deferredAsync.values()];
    this.#deferred.clear();
    this.#deferredAsync.clear();
    for (const start of deferred) start();
  }

  /** Runs `start` now when live, or when the view goes live. */
  #whenLive(start: () => void, key = this.#nextDeferred++): void {
    if (this.#disposed || !this.#pubsub) return;
    if (this.#live) start();
    else this.#deferred.set(key, start);
  }

  subscribe(topic: string): void {
    this.#whenLive(() => {
      this.#cleanups.add(this.#pubsub!.subscribe(topic, (m) => this.#callbacks.info(m), this.id));
    });
  }

  broadcast(topic: string, message: unknown, exceptSelf: boolean): Promise<void> {
    if (!this.#pubsub || this.#disposed) return Promise.resolve();
    return this.#pubsub.broadcast(topic, message, exceptSelf ? { except: this.id } : {});
  }

  trackPresence(topic: string, key: string, meta: Record<string, unknown>): void {
    this.#whenLive(() => {
      this.#watchPresence(topic);
      this.#cleanups.add(this.#pubsub!.presence.track(topic, key, meta));
    });
  }

  listPresence(topic: string): PresenceList {
    return this.#pubsub ? this.#pubsub.presence.list(topic) : {};
  }

  #watchPresence(topic: string): void {
    if (this.#watching.has(topic)) return;
    this.#watching.add(topic);
    this.#cleanups.add(
      this.#pubsub!.presence.onDiff(topic, (diff) => this.#callbacks.presenceDiff(topic, diff)),
    );
  }

  /** Watches presence on a topic without being present (for lists of who is online). */
  watchPresence(topic: string): void {
    this.#whenLive(() => this.#watchPresence(topic));
  }

  setTimeout(fn: () => unknown, ms: number): number {
    return this.#timer(fn, ms, false);
  }

  setInterval(fn: () => unknown, ms: number): number {
    return this.#timer(fn, ms, true);
  }

  #timer(fn: () => unknown, ms: number, repeat: boolean): number {
    if (this.#disposed || !this.#pubsub) return 0;
    const start = (): number => {
      // Deno timer ids are numbers (the npm Node typings in scope say otherwise).
      const id = (repeat ? setInterval(() => this.#callbacks.timer(fn), ms) : setTimeout(() => {
        this.#timers.delete(id);
        this.#callbacks.timer(fn);
      }, ms)) as unknown as number;
      this.#timers.add(id);
      return id;
    };
    if (this.#live) return start();
    // Not live yet: hand out an id now and start the timer when the view goes live.
    const key = this.#nextDeferred++;
    this.#deferred.set(key, () => this.#deferredTimers.set(key, start()));
    return key;
  }

  clearTimer(id: number): void {
    if (id >= FIRST_DEFERRED_TIMER) {
      this.#deferred.delete(id);
      const real = this.#deferredTimers.get(id);
      this.#deferredTimers.delete(id);
      if (real === undefined) return;
      id = real;
    }
    clearTimeout(id);
    clearInterval(id);
    this.#timers.delete(id);
  }

  /**
   * Runs `work` as async work `name` once the view is live; `done` runs (batched, like a timer)
   * with its outcome unless it is cancelled first.
   */
  startAsync<T>(
    name: string,
    work: (signal: AbortSignal) => T | Promise<T>,
    done: (outcome: AsyncOutcome<T>) => void,
  ): void {
    if (this.#disposed) return;
    const start = () =>
      this.#async.start(name, work, (outcome) => this.#callbacks.timer(() => done(outcome)));
    if (this.#live) start();
    else this.#deferredAsync.set(name, start);
  }

  /** Cancels async work `name`. */
  cancelAsync(name: string): void {
    this.#deferredAsync.delete(name);
    this.#async.cancel(name);
  }

  /**
   * Delivers `message` to the view's `handleInfo` after the current work (a component's
   * `sendParent`); held until the view is live.
   */
  sendSelf(message: unknown): void {
    if (this.#disposed) return;
    this.#whenLive(() =>
      queueMicrotask(() => {
        if (!this.#disposed) this.#callbacks.info(message);
      })
    );
  }

  push(event: string, payload: unknown): void {
    if (this.connected) this.#sink.push(event, payload);
  }

  navigate(intent: NavigationIntent): void {
    if (!this.#disposed) this.#sink.navigate(intent);
  }

  flash(kind: string, message: string): void {
    if (!this.#disposed) this.#sink.flash(kind, message);
  }

  /** Stops every subscription, presence entry and timer; drops what never started. */
  dispose(): void {
    this.#disposed = true;
    this.#deferred.clear();
    this.#deferredAsync.clear();
    this.#async.end();
    for (const id of this.#timers) {
      clearTimeout(id);
      clearInterval(id);
    }
    this.#timers.clear();
    this.#deferredTimers.clear();
    for (const cleanup of this.#cleanups) cleanup();
    this.#cleanups.clear();
  }

  /** Number of running timers (for tests). */
  get timerCount(): number {
    return this.#timers.size;
  }
}
