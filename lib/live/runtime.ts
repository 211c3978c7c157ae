/**
 * What a connected view can do beyond rendering: subscribe to topics, track presence, run timers,
 * push events to client hooks, navigate and flash. Everything it starts is stopped when the view
 * goes away.
 * @module
 */
import type { PubSub } from "../pubsub/pubsub.ts";
import type { PresenceDiff, PresenceList } from "../pubsub/presence.ts";
import type { NavigationIntent, ViewSink } from "./sink.ts";

/** How the runtime calls back into view code (each call runs batched and never throws). */
export interface ViewCallbacks {
  /** A message arrived on a subscribed topic. */
  info(message: unknown): void;
  /** Presence changed on a tracked or watched topic. */
  presenceDiff(topic: string, diff: PresenceDiff): void;
  /** A timer fired. */
  timer(fn: () => unknown): void;
}

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

  /** `live` is false for the HTTP render, where nothing may start (presence can still be read). */
  constructor(pubsub: PubSub | null, live: boolean, sink: ViewSink, callbacks: ViewCallbacks) {
    this.#pubsub = pubsub;
    this.#live = live;
    this.#sink = sink;
    this.#callbacks = callbacks;
  }

  /** True over a live connection (false during the HTTP render). */
  get connected(): boolean {
    return this.#live && this.#pubsub !== null && !this.#disposed;
  }

  subscribe(topic: string): void {
    if (!this.connected) return;
    this.#cleanups.add(this.#pubsub!.subscribe(topic, (m) => this.#callbacks.info(m), this.id));
  }

  broadcast(topic: string, message: unknown, exceptSelf: boolean): Promise<void> {
    if (!this.#pubsub || this.#disposed) return Promise.resolve();
    return this.#pubsub.broadcast(topic, message, exceptSelf ? { except: this.id } : {});
  }

  trackPresence(topic: string, key: string, meta: Record<string, unknown>): void {
    if (!this.connected) return;
    this.#watchPresence(topic);
    this.#cleanups.add(this.#pubsub!.presence.track(topic, key, meta));
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
    if (this.connected) this.#watchPresence(topic);
  }

  setTimeout(fn: () => unknown, ms: number): number {
    if (!this.connected) return 0;
    // Deno timer ids are numbers (the npm Node typings in scope say otherwise).
    const id = setTimeout(() => {
      this.#timers.delete(id);
      this.#callbacks.timer(fn);
    }, ms) as unknown as number;
    this.#timers.add(id);
    return id;
  }

  setInterval(fn: () => unknown, ms: number): number {
    if (!this.connected) return 0;
    const id = setInterval(() => this.#callbacks.timer(fn), ms) as unknown as number;
    this.#timers.add(id);
    return id;
  }

  clearTimer(id: number): void {
    clearTimeout(id);
    clearInterval(id);
    this.#timers.delete(id);
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

  /** Stops every subscription, presence entry and timer. */
  dispose(): void {
    this.#disposed = true;
    for (const id of this.#timers) this.clearTimer(id);
    for (const cleanup of this.#cleanups) cleanup();
    this.#cleanups.clear();
  }

  /** Number of running timers (for tests). */
  get timerCount(): number {
    return this.#timers.size;
  }
}
