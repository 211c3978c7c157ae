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

/** The view code the runtime calls back into (through `run`, batched, never throwing). */
export interface RuntimeView {
  /** A message arrived on a subscribed topic. */
  handleInfo(message: unknown): unknown;
  /** Presence changed on a tracked or watched topic. */
  handlePresenceDiff(diff: PresenceDiff, topic: string): unknown;
}

/** Runs view code from outside an event: batched, a failure reported, never thrown. */
export type OutsideRunner = (fn: () => unknown) => void;

/** Ids of timers started before the view went live (mapped to real ones when it does). */
const FIRST_DEFERRED_TIMER = 2 ** 30;

/**
 * The runtime behind `this.subscribe`, `this.setInterval`… of a view. Every view has one, and most
 * use none of it: each collection is made on first use (an empty Set or Map costs ~150 bytes).
 */
export class ViewRuntime {
  #id: string | null = null;
  #pubsub: PubSub | null;
  #sink: ViewSink;
  #view: RuntimeView;
  #run: OutsideRunner;
  #cleanups: (() => void)[] | null = null;
  #timers: Set<number> | null = null;
  #watching: Set<string> | null = null;
  #disposed = false;
  #live: boolean;
  /** What `mount` started before the view went live, by timer id (or a running number). */
  #deferred: Map<number, () => void> | null = null;
  #deferredTimers: Map<number, number> | null = null;
  #nextDeferred = FIRST_DEFERRED_TIMER;
  #async: AsyncWork | null = null;
  /** Async work asked for before the view went live, by name (the last ask wins). */
  #deferredAsync: Map<string, () => void> | null = null;
  /** Development: failures of async work show their message. */
  readonly detailedErrors: boolean;

  /**
   * `live` is false for a page load's mount: what the view starts waits for `goLive`. Messages,
   * presence changes and timers reach `view` through `run`.
   */
  constructor(
    pubsub: PubSub | null,
    live: boolean,
    sink: ViewSink,
    view: RuntimeView,
    run: OutsideRunner,
    detailedErrors = false,
  ) {
    this.detailedErrors = detailedErrors;
    this.#pubsub = pubsub;
    this.#live = live;
    this.#sink = sink;
    this.#view = view;
    this.#run = run;
  }

  /** Identifies the view on pub/sub (for `exceptSelf`); made when first asked for. */
  get id(): string {
    return this.#id ??= crypto.randomUUID();
  }

  /** True over a live connection (false during the page load). */
  get connected(): boolean {
    return this.#live && this.#pubsub !== null && !this.#disposed;
  }

  /** Starts what the view asked for while it was not live. */
  goLive(): void {
    if (this.#live || this.#disposed) return;
    this.#live = true;
    const deferred = [...this.#deferred?.values() ?? [], ...this.#deferredAsync?.values() ?? []];
    this.#deferred = null;
    this.#deferredAsync = null;
    for (const start of deferred) start();
  }

  /** Runs `start` now when live, or when the view goes live. */
  #whenLive(start: () => void, key = this.#nextDeferred++): void {
    if (this.#disposed || !this.#pubsub) return;
    if (this.#live) start();
    else (this.#deferred ??= new Map()).set(key, start);
  }

  /** Runs `cleanup` when the view goes away. */
  #onDispose(cleanup: () => void): void {
    (this.#cleanups ??= []).push(cleanup);
  }

  subscribe(topic: string): void {
    this.#whenLive(() => {
      const view = this.#view;
      this.#onDispose(
        this.#pubsub!.subscribe(topic, (m) => this.#run(() => view.handleInfo(m)), this.id),
      );
    });
  }

  broadcast(topic: string, message: unknown, exceptSelf: boolean): Promise<void> {
    if (!this.#pubsub || this.#disposed) return Promise.resolve();
    return this.#pubsub.broadcast(topic, message, exceptSelf ? { except: this.id } : {});
  }

  trackPresence(topic: string, key: string, meta: Record<string, unknown>): void {
    this.#whenLive(() => {
      this.#watchPresence(topic);
      this.#onDispose(this.#pubsub!.presence.track(topic, key, meta));
    });
  }

  listPresence(topic: string): PresenceList {
    return this.#pubsub ? this.#pubsub.presence.list(topic) : {};
  }

  #watchPresence(topic: string): void {
    const watching = this.#watching ??= new Set();
    if (watching.has(topic)) return;
    watching.add(topic);
    const view = this.#view;
    this.#onDispose(
      this.#pubsub!.presence.onDiff(
        topic,
        (diff) => this.#run(() => view.handlePresenceDiff(diff, topic)),
      ),
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
      const id = (repeat ? setInterval(() => this.#run(fn), ms) : setTimeout(() => {
        this.#timers?.delete(id);
        this.#run(fn);
      }, ms)) as unknown as number;
      (this.#timers ??= new Set()).add(id);
      return id;
    };
    if (this.#live) return start();
    // Not live yet: hand out an id now and start the timer when the view goes live.
    const key = this.#nextDeferred++;
    (this.#deferred ??= new Map()).set(
      key,
      () => (this.#deferredTimers ??= new Map()).set(key, start()),
    );
    return key;
  }

  clearTimer(id: number): void {
    if (id >= FIRST_DEFERRED_TIMER) {
      this.#deferred?.delete(id);
      const real = this.#deferredTimers?.get(id);
      this.#deferredTimers?.delete(id);
      if (real === undefined) return;
      id = real;
    }
    clearTimeout(id);
    clearInterval(id);
    this.#timers?.delete(id);
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
      (this.#async ??= new AsyncWork()).start(
        name,
        work,
        (outcome) => this.#run(() => done(outcome)),
      );
    if (this.#live) start();
    else (this.#deferredAsync ??= new Map()).set(name, start);
  }

  /** Cancels async work `name`. */
  cancelAsync(name: string): void {
    this.#deferredAsync?.delete(name);
    this.#async?.cancel(name);
  }

  /**
   * Delivers `message` to the view's `handleInfo` after the current work (a component's
   * `sendParent`); held until the view is live.
   */
  sendSelf(message: unknown): void {
    if (this.#disposed) return;
    this.#whenLive(() =>
      queueMicrotask(() => {
        const view = this.#view;
        if (!this.#disposed) this.#run(() => view.handleInfo(message));
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
    this.#deferred = null;
    this.#deferredAsync = null;
    this.#async?.end();
    for (const id of this.#timers ?? []) {
      clearTimeout(id);
      clearInterval(id);
    }
    this.#timers = null;
    this.#deferredTimers = null;
    const cleanups = this.#cleanups ?? [];
    this.#cleanups = null;
    for (const cleanup of cleanups) cleanup();
  }

  /** Number of running timers (for tests). */
  get timerCount(): number {
    return this.#timers?.size ?? 0;
  }
}
