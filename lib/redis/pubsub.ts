/**
 * Pub/sub over Redis (`npm:redis`), so several processes or machines share topics and presence.
 * @module
 */
import { createClient } from "redis";
import type { PubSubAdapter, TopicHandler } from "../pubsub/adapter.ts";

/** Options of {@link RedisPubSub}. */
export interface RedisPubSubOptions {
  /** `redis://host:port/db` of the Redis server. */
  url: string;
  /** Prefix for channel names, to share one Redis between apps (default "djust:"). */
  prefix?: string;
}

type RedisClient = ReturnType<typeof createClient>;

/**
 * A pub/sub adapter backed by Redis PUBLISH/SUBSCRIBE. One connection publishes; a second one (Redis
 * requires it) subscribes. Subscriptions made before the connection is up are applied once it is.
 *
 * @example
 * ```ts ignore
 * import { App } from "@djust/djust";
 * import { RedisPubSub } from "@djust/djust/redis";
 * const app = new App({ pubsub: new RedisPubSub({ url: "redis://127.0.0.1:6379" }) });
 * ```
 */
export class RedisPubSub implements PubSubAdapter {
  #prefix: string;
  #publisher: RedisClient;
  #subscriber: RedisClient;
  #ready: Promise<void>;
  #topics = new Map<string, Set<TopicHandler>>();
  #closed = false;

  /** Connects (in the background) to the Redis server at `options.url`. */
  constructor(options: RedisPubSubOptions) {
    this.#prefix = options.prefix ?? "djust:";
    this.#publisher = createClient({ url: options.url });
    this.#subscriber = this.#publisher.duplicate();
    for (const client of [this.#publisher, this.#subscriber]) {
      client.on("error", (err: unknown) => {
        if (!this.#closed) console.error("djust: redis error", err);
      });
    }
    this.#ready = Promise.all([this.#publisher.connect(), this.#subscriber.connect()]).then(
      () => {},
    );
    // Failures surface where the adapter is used; this only marks the promise as handled.
    this.#ready.catch(() => {});
  }

  /** Resolves once both connections are up (rejects if they cannot be made). */
  ready(): Promise<void> {
    return this.#ready;
  }

  /** Starts delivering `topic` (from every process) to `handler`. */
  subscribe(topic: string, handler: TopicHandler): () => void {
    let handlers = this.#topics.get(topic);
    if (!handlers) {
      this.#topics.set(topic, handlers = new Set());
      const channel = this.#prefix + topic;
      this.#ready.then(() =>
        this.#subscriber.subscribe(channel, (raw: string) => this.#deliver(topic, raw))
      )
        .catch((err) => console.error("djust: redis subscribe failed", err));
    }
    const entry: TopicHandler = (m) => handler(m);
    handlers.add(entry);
    return () => {
      handlers!.delete(entry);
      if (handlers!.size || this.#topics.get(topic) !== handlers) return;
      this.#topics.delete(topic);
      if (!this.#closed) {
        this.#ready.then(() => this.#subscriber.unsubscribe(this.#prefix + topic)).catch(() => {});
      }
    };
  }

  /** Publishes `message` (as JSON) to every process subscribed to `topic`. */
  async broadcast(topic: string, message: unknown): Promise<void> {
    if (this.#closed) return;
    await this.#ready;
    await this.#publisher.publish(this.#prefix + topic, JSON.stringify(message));
  }

  #deliver(topic: string, raw: string): void {
    let message: unknown;
    try {
      message = JSON.parse(raw);
    } catch {
      return; // not ours
    }
    for (const handler of [...(this.#topics.get(topic) ?? [])]) {
      try {
        handler(message);
      } catch (err) {
        // A subscriber's failure must not reach the Redis client's event loop.
        console.error("djust: a pub/sub handler failed", err);
      }
    }
  }

  /** Unsubscribes and closes both connections. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.#topics.clear();
    try {
      await this.#ready;
    } catch {
      return;
    }
    await Promise.allSettled([this.#subscriber.close(), this.#publisher.close()]);
  }
}
