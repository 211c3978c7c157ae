/**
 * Presence: who is on a topic, across every process sharing a pub/sub adapter.
 *
 * Each node owns its entries and announces them on the topic's presence channel (join and leave as
 * they happen, and its full state on every heartbeat). Every node keeps a replica per node and
 * computes the merged list; a node not heard from within `timeoutMs` is considered gone and its entries
 * leave. Nothing needs a central store, and state converges after a node dies.
 *
 *   node A ──join/leave/state──►  presence:topic  ──► every node: replicas[A], replicas[B] → list()
 * @module
 */
import type { PubSubAdapter } from "./adapter.ts";

/** The metas of one presence key (one user on two tabs is one key with two metas). */
export interface PresenceEntry {
  /** One meta per tracked view (tab), as given to `trackPresence`. */
  metas: Record<string, unknown>[];
}

/** Everyone on a topic, by key. */
export type PresenceList = Record<string, PresenceEntry>;

/** What changed: keys that gained metas and keys that lost metas. */
export interface PresenceDiff {
  /** Keys that gained metas, with the metas they gained. */
  joins: PresenceList;
  /** Keys that lost metas, with the metas they lost. */
  leaves: PresenceList;
}

/** Entries of one node: key → ref → meta (a ref is one tracked view). */
type NodeEntries = Map<string, Map<string, Record<string, unknown>>>;

type PresenceMessage =
  | { t: "join"; node: string; key: string; ref: string; meta: Record<string, unknown> }
  | { t: "leave"; node: string; key: string; ref: string }
  | { t: "state"; node: string; entries: [string, [string, Record<string, unknown>][]][] }
  | { t: "sync"; node: string }
  | { t: "bye"; node: string };

/** Options of {@link Presence}. */
export interface PresenceOptions {
  /** How often a node announces its state (default 1000 ms). */
  heartbeatMs?: number;
  /** After how long without news a node's entries are dropped (default 3 heartbeats). */
  timeoutMs?: number;
}

/**
 * Tracks presence on topics over a pub/sub adapter.
 *
 * @example
 * ```ts ignore
 * const presence = new Presence(new MemoryPubSub());
 * const untrack = presence.track("room:1", "ann", { tab: 1 });
 * presence.list("room:1"); // { ann: { metas: [{ tab: 1 }] } }
 * ```
 */
export class Presence {
  /** This process's id among the nodes sharing the adapter. */
  readonly node: string = crypto.randomUUID();
  #adapter: PubSubAdapter;
  #heartbeatMs: number;
  #timeoutMs: number;
  /** Per topic: node → its entries and when it was last heard. */
  #replicas = new Map<string, Map<string, { entries: NodeEntries; seen: number }>>();
  #listeners = new Map<string, Set<(diff: PresenceDiff) => void>>();
  #subscriptions = new Map<string, () => void>();
  #timer: number | undefined;
  #refs = 0;

  /** Presence over `adapter` (shared by every process that tracks on it). */
  constructor(adapter: PubSubAdapter, options: PresenceOptions = {}) {
    this.#adapter = adapter;
    this.#heartbeatMs = options.heartbeatMs ?? 1000;
    this.#timeoutMs = options.timeoutMs ?? this.#heartbeatMs * 3;
  }

  /** Adds `key` with `meta` on `topic` for this node; returns the function that removes it. */
  track(topic: string, key: string, meta: Record<string, unknown>): () => void {
    this.#watch(topic);
    const ref = `${this.node}:${++this.#refs}`;
    this.#apply(topic, { t: "join", node: this.node, key, ref, meta });
    void this.#adapter.broadcast(channel(topic), { t: "join", node: this.node, key, ref, meta });
    this.#startHeartbeat();
    let done = false;
    return () => {
      if (done) return;
      done = true;
      this.#apply(topic, { t: "leave", node: this.node, key, ref });
      void this.#adapter.broadcast(channel(topic), { t: "leave", node: this.node, key, ref });
    };
  }

  /** Everyone on `topic`, merged across nodes. */
  list(topic: string): PresenceList {
    this.#watch(topic);
    const out: PresenceList = {};
    for (const { entries } of this.#replicas.get(topic)?.values() ?? []) {
      for (const [key, refs] of entries) {
        // Each meta carries its ref, so two tabs with equal metas stay two entries in diffs.
        for (const [ref, meta] of refs) {
          (out[key] ??= { metas: [] }).metas.push({ ...meta, presenceRef: ref });
        }
      }
    }
    return out;
  }

  /** Calls `listener` with every change on `topic`; returns the function that stops it. */
  onDiff(topic: string, listener: (diff: PresenceDiff) => void): () => void {
    this.#watch(topic);
    let set = this.#listeners.get(topic);
    if (!set) this.#listeners.set(topic, set = new Set());
    set.add(listener);
    return () => void set!.delete(listener);
  }

  /** Stops heartbeats and subscriptions; other nodes see this node's entries leave. */
  async close(): Promise<void> {
    clearInterval(this.#timer);
    this.#timer = undefined;
    for (const topic of this.#subscriptions.keys()) {
      await this.#adapter.broadcast(channel(topic), { t: "bye", node: this.node });
    }
    for (const stop of this.#subscriptions.values()) stop();
    this.#subscriptions.clear();
  }

  #watch(topic: string): void {
    if (this.#subscriptions.has(topic)) return;
    this.#subscriptions.set(
      topic,
      this.#adapter.subscribe(channel(topic), (m) => this.#receive(topic, m as PresenceMessage)),
    );
    // Ask the other nodes for their state, so a new node sees who is already here.
    void this.#adapter.broadcast(channel(topic), { t: "sync", node: this.node });
    this.#startHeartbeat();
  }

  #startHeartbeat(): void {
    if (this.#timer !== undefined) return;
    this.#timer = setInterval(() => this.#beat(), this.#heartbeatMs) as unknown as number;
    // A heartbeat must not keep a process (or a test) alive on its own.
    Deno.unrefTimer(this.#timer);
  }

  #beat(): void {
    const now = Date.now();
    for (const [topic, nodes] of this.#replicas) {
      const mine = nodes.get(this.node);
      if (mine) mine.seen = now;
      if (mine?.entries.size) void this.#adapter.broadcast(channel(topic), this.#state(topic));
      for (const [node, replica] of nodes) {
        if (node !== this.node && now - replica.seen > this.#timeoutMs) this.#dropNode(topic, node);
      }
    }
  }

  #state(topic: string): PresenceMessage {
    const entries = this.#replicas.get(topic)?.get(this.node)?.entries ?? new Map();
    return {
      t: "state",
      node: this.node,
      entries: [...entries].map(([k, refs]) => [k, [...refs]]),
    };
  }

  #receive(topic: string, message: PresenceMessage): void {
    if (!message || typeof message !== "object" || message.node === this.node) return;
    if (message.t === "sync") {
      if (this.#replicas.get(topic)?.get(this.node)?.entries.size) {
        void this.#adapter.broadcast(channel(topic), this.#state(topic));
      }
      return;
    }
    if (message.t === "bye") return this.#dropNode(topic, message.node);
    this.#apply(topic, message);
  }

  #replica(topic: string, node: string): { entries: NodeEntries; seen: number } {
    let nodes = this.#replicas.get(topic);
    if (!nodes) this.#replicas.set(topic, nodes = new Map());
    let replica = nodes.get(node);
    if (!replica) nodes.set(node, replica = { entries: new Map(), seen: Date.now() });
    replica.seen = Date.now();
    return replica;
  }

  #apply(topic: string, message: PresenceMessage): void {
    const before = this.list(topic);
    const replica = this.#replica(topic, message.node);
    if (message.t === "join") {
      let refs = replica.entries.get(message.key);
      if (!refs) replica.entries.set(message.key, refs = new Map());
      refs.set(message.ref, message.meta);
    } else if (message.t === "leave") {
      const refs = replica.entries.get(message.key);
      refs?.delete(message.ref);
      if (refs && !refs.size) replica.entries.delete(message.key);
    } else if (message.t === "state") {
      replica.entries = new Map(message.entries.map(([k, refs]) => [k, new Map(refs)]));
    }
    this.#emit(topic, before);
  }

  #dropNode(topic: string, node: string): void {
    const nodes = this.#replicas.get(topic);
    if (!nodes?.has(node)) return;
    const before = this.list(topic);
    nodes.delete(node);
    this.#emit(topic, before);
  }

  #emit(topic: string, before: PresenceList): void {
    const listeners = this.#listeners.get(topic);
    if (!listeners?.size) return;
    const diff = diffLists(before, this.list(topic));
    if (!Object.keys(diff.joins).length && !Object.keys(diff.leaves).length) return;
    for (const l of [...listeners]) l(diff);
  }
}

function channel(topic: string): string {
  return "djust:presence:" + topic;
}

/** Metas added and removed between two lists (compared by their JSON). */
export function diffLists(before: PresenceList, after: PresenceList): PresenceDiff {
  const joins: PresenceList = {}, leaves: PresenceList = {};
  const keys = new Set([...Object.keys(before), ...Object.keys(after)]);
  for (const key of keys) {
    const a = (before[key]?.metas ?? []).map((m) => JSON.stringify(m));
    const b = (after[key]?.metas ?? []).map((m) => JSON.stringify(m));
    const added = b.filter((m) => !a.includes(m)), removed = a.filter((m) => !b.includes(m));
    if (added.length) joins[key] = { metas: added.map((m) => JSON.parse(m)) };
    if (removed.length) leaves[key] = { metas: removed.map((m) => JSON.parse(m)) };
  }
  return { joins, leaves };
}
