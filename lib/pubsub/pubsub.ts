/**
 * The pub/sub facade the App and views use: topics, self-exclusion and presence over any adapter.
 * @module
 */
import type { PubSubAdapter } from "./adapter.ts";
import { Presence, type PresenceOptions } from "./presence.ts";

/** How a message travels through the adapter: the message and who must not receive it. */
interface Envelope {
  m: unknown;
  x?: string;
}

/** Options of {@link PubSub.broadcast}. */
export interface BroadcastOptions {
  /** Subscriber id that must not receive the message (a view broadcasting to others). */
  except?: string;
}

/**
 * Topics and presence for an App (`app.pubsub`).
 *
 * @example
 * ```ts ignore
 * app.post("/news", async (req) => {
 *   await app.pubsub.broadcast("news", await req.json());
 *   return new Response(null, { status: 204 });
 * });
 * ```
 */
export class PubSub {
  /** The transport (memory or Redis). */
  readonly adapter: PubSubAdapter;
  /** Who is on which topic, across processes. */
  readonly presence: Presence;

  /** Topics over `adapter`, and presence with `presence` options. */
  constructor(adapter: PubSubAdapter, presence: PresenceOptions = {}) {
    this.adapter = adapter;
    this.presence = new Presence(adapter, presence);
  }

  /** Publishes `message` on `topic` to every subscriber in every process. */
  broadcast(topic: string, message: unknown, options: BroadcastOptions = {}): Promise<void> {
    const envelope: Envelope = options.except ? { m: message, x: options.except } : { m: message };
    return this.adapter.broadcast("djust:topic:" + topic, envelope);
  }

  /** Calls `handler` with each message on `topic` (except those excluding `subscriberId`). */
  subscribe(topic: string, handler: (message: unknown) => void, subscriberId?: string): () => void {
    return this.adapter.subscribe("djust:topic:" + topic, (raw) => {
      const envelope = raw as Envelope;
      if (subscriberId !== undefined && envelope?.x === subscriberId) return;
      handler(envelope?.m);
    });
  }

  /** Stops presence and closes the adapter. */
  async close(): Promise<void> {
    await this.presence.close();
    await this.adapter.close();
  }
}
