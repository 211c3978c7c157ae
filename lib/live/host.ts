/**
 * What a connected view can do beyond rendering: subscribe to topics, track presence, run timers,
 * push events to client hooks. Everything it starts is stopped when the view goes away.
 * @module
 */
import type { PubSub } from "../pubsub/pubsub.ts";
import type { PresenceDiff, PresenceList } from "../pubsub/presence.ts";

/** Callbacks the host drives on the view (each runs batched, then the view flushes). */
export interface HostCallbacks {
  /** A message arrived on a subscribed topic. */
  info(message: unknown): void | Promise<void>;
  /** Presence changed on a tracked or watched topic. */
  presenceDiff(topic: string, diff: PresenceDiff): void | Promise<void>;
  /** A timer fired. */
  timer(fn: () => unknown): void | Promise<void>;
  /** Sends an event to client hooks. */
  push(event: string, payload: unknown): void;
  /** Changes the URL: same view (`patch`), another view (`navigate`), full load (`redirect`). */
  nav?(kind: "patch" | "navigate" | "redirect", url: string, replace: boolean): void;
  /** Shows a flash message (and keeps it for the next navigation). */
  flash?(kind: string, message: string): void;
}

/** The runtime behind `this.subscribe`, `this.setInterval`... of a connected view. */
export class ViewRuntime {
  readonly id: string = crypto.randomUUID();
  #pubsub: PubSub | null;
  #callbacks: HostCallbacks;
  #cleanups = new Set<() => void>();
  #timers = new Set<number>();
  #disposed = false;

  #live: boolean;

  /** `live` is false for the HTTP render, where nothing may start (presence can still be read). */
  constructor(pubsub: PubSub | null, live: boolean, callbacks: HostCallbacks) {
    this.#pubsub = pubsub;
    this.#live = live;
    this.#callbacks = callbacks;
  }

  /** True over a live connection (false during the HTTP render). */
  get connected(): boolean {
    return this.#live && this.#pubsub !== null && !this.#disposed;
  }

  subscribe(topic: string): void {
    if (!this.connected) return;
    this.#cleanups.add(
      this.#pubsub!.subscribe(topic, (m) => void this.#callbacks.info(m), this.id),
    );
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

  #watching = new Set<string>();
  #watchPresence(topic: string): void {
    if (this.#watching.has(topic)) return;
    this.#watching.add(topic);
    this.#cleanups.add(
      this.#pubsub!.presence.onDiff(
        topic,
        (diff) => void this.#callbacks.presenceDiff(topic, diff),
      ),
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
      void this.#callbacks.timer(fn);
    }, ms) as unknown as number;
    this.#timers.add(id);
    return id;
  }

  setInterval(fn: () => unknown, ms: number): number {
    if (!this.connected) return 0;
    const id = setInterval(() => void this.#callbacks.timer(fn), ms) as unknown as number;
    this.#timers.add(id);
    return id;
  }

  clearTimer(id: number): void {
    clearTimeout(id);
    clearInterval(id);
    this.#timers.delete(id);
  }

  push(event: string, payload: unknown): void {
    if (this.connected) this.#callbacks.push(event, payload);
  }

  nav(kind: "patch" | "navigate" | "redirect", url: string, replace: boolean): void {
    this.#callbacks.nav?.(kind, url, replace);
  }

  flash(kind: string, message: string): void {
    this.#callbacks.flash?.(kind, message);
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
