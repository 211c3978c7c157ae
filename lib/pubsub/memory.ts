/**
 * In-process pub/sub: the default adapter.
 * @module
 */
import type { PubSubAdapter, TopicHandler } from "./adapter.ts";

/**
 * Pub/sub inside one process. Delivery is asynchronous (a microtask), like a networked adapter, so
 * code written against it behaves the same with Redis.
 *
 * @example
 * ```ts
 * import { App, MemoryPubSub } from "@djust/djust";
 * const app = new App({ pubsub: new MemoryPubSub() });
 * ```
 */
export class MemoryPubSub implements PubSubAdapter {
  #topics = new Map<string, Set<TopicHandler>>();

  /** Starts delivering `topic` to `handler`. */
  subscribe(topic: string, handler: TopicHandler): () => void {
    let handlers = this.#topics.get(topic);
    if (!handlers) this.#topics.set(topic, handlers = new Set());
    // Wrapped so the same function can subscribe twice and unsubscribe each independently.
    const entry: TopicHandler = (m) => handler(m);
    handlers.add(entry);
    return () => {
      handlers!.delete(entry);
      if (!handlers!.size) this.#topics.delete(topic);
    };
  }

  /** Delivers `message` to the subscribers of `topic` (a structured clone each, as over a network). */
  broadcast(topic: string, message: unknown): Promise<void> {
    const handlers = this.#topics.get(topic);
    if (!handlers) return Promise.resolve();
    const payload = JSON.stringify(message);
    for (const handler of [...handlers]) {
      queueMicrotask(() => {
        try {
          handler(JSON.parse(payload));
        } catch (err) {
          // A subscriber's failure stays its own: the others still get the message.
          console.error("djust: a pub/sub handler failed", err);
        }
      });
    }
    return Promise.resolve();
  }

  /** Number of topics with subscribers (for tests and metrics). */
  get topicCount(): number {
    return this.#topics.size;
  }

  /** Drops every subscription. */
  close(): Promise<void> {
    this.#topics.clear();
    return Promise.resolve();
  }
}
