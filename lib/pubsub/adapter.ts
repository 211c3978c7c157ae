/**
 * The pub/sub extension point: one small interface, implemented in memory (one process) and over
 * Redis (several processes or machines). The core imports only this interface.
 * @module
 */

/** Receives the messages of a topic. */
export type TopicHandler = (message: unknown) => void;

/**
 * Delivers messages published on a topic to every subscriber of that topic, in every process that
 * shares the adapter's backend. Messages must be JSON-serializable.
 *
 * @example
 * ```ts
 * import { MemoryPubSub } from "@djust/djust";
 * const pubsub = new MemoryPubSub();
 * const stop = pubsub.subscribe("news", (m) => console.log(m));
 * await pubsub.broadcast("news", { title: "hi" });
 * stop();
 * ```
 */
export interface PubSubAdapter {
  /** Starts delivering `topic` to `handler`; returns the function that stops it. */
  subscribe(topic: string, handler: TopicHandler): () => void;
  /** Publishes `message` to every subscriber of `topic` (this process included). */
  broadcast(topic: string, message: unknown): Promise<void>;
  /** Releases connections and timers. */
  close(): Promise<void>;
}
