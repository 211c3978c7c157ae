/**
 * Session data in memory (one process): least recently used sessions go first, bounded by count and
 * by bytes, and idle sessions expire.
 * @module
 */
import type { SessionData, SessionStore } from "./session.ts";

/** Options of {@link MemorySessionStore}. */
export interface MemorySessionStoreOptions {
  /** Most sessions kept (default 100 000). */
  maxSessions?: number;
  /**
   * Most bytes kept (default 64 MiB): each session's id and JSON text, plus a fixed estimate of
   * what holding an entry costs (see {@link MemorySessionStore.bytes}).
   */
  maxBytes?: number;
  /** A session not used for this long is gone (default 14 days, as Django's cookie age). */
  idleTtlMs?: number;
  /** The clock, in milliseconds (tests inject one). */
  now?: () => number;
}

interface Entry {
  json: string;
  touched: number;
}

/**
 * What an entry costs besides its id's and JSON's characters, in V8: two string headers, the entry
 * object, its time stamp (a heap number) and the map's slot.
 */
const ENTRY_OVERHEAD = 128;

/** The bytes an entry holds (one byte a character: ids and sealed data are ASCII). */
function entryBytes(id: string, json: string): number {
  return id.length + json.length + ENTRY_OVERHEAD;
}

/**
 * Sessions in memory. A `Map` keeps insertion order, and every use re-inserts its entry, so the
 * first entry is always the least recently used one: eviction takes from the front.
 *
 * @example
 * ```ts
 * import { App, MemorySessionStore } from "@djust/djust";
 * const app = new App({
 *   sessionStore: new MemorySessionStore({ maxSessions: 50_000, idleTtlMs: 86_400_000 }),
 * });
 * ```
 */
export class MemorySessionStore implements SessionStore {
  #entries = new Map<string, Entry>();
  #bytes = 0;
  #maxSessions: number;
  #maxBytes: number;
  #idleTtlMs: number;
  #now: () => number;

  /** A store bounded by `options` (see {@link MemorySessionStoreOptions} for the defaults). */
  constructor(options: MemorySessionStoreOptions = {}) {
    this.#maxSessions = options.maxSessions ?? 100_000;
    this.#maxBytes = options.maxBytes ?? 64 * 1024 * 1024;
    this.#idleTtlMs = options.idleTtlMs ?? 14 * 24 * 3600_000;
    this.#now = options.now ?? Date.now;
  }

  /** Sessions held now. */
  get size(): number {
    return this.#entries.size;
  }

  /**
   * Bytes held now, estimated: ids and JSON text (a byte a character), and a fixed 128 bytes per
   * entry. Within a few percent of the heap the store takes.
   */
  get bytes(): number {
    return this.#bytes;
  }

  /** The data of `id` (a copy), or null; using a session makes it the most recently used. */
  load(id: string): Promise<SessionData | null> {
    const entry = this.#entries.get(id);
    if (!entry) return Promise.resolve(null);
    const now = this.#now();
    if (now - entry.touched > this.#idleTtlMs) {
      this.#remove(id, entry);
      return Promise.resolve(null);
    }
    this.#entries.delete(id);
    entry.touched = now;
    this.#entries.set(id, entry);
    return Promise.resolve(JSON.parse(entry.json));
  }

  /** Stores `data` under `id` as the most recently used session, evicting the least used. */
  save(id: string, data: SessionData): Promise<void> {
    const json = JSON.stringify(data);
    const old = this.#entries.get(id);
    if (old) this.#remove(id, old);
    this.#entries.set(id, { json, touched: this.#now() });
    this.#bytes += entryBytes(id, json);
    this.#evict();
    return Promise.resolve();
  }

  /** Forgets `id`. */
  destroy(id: string): Promise<void> {
    const entry = this.#entries.get(id);
    if (entry) this.#remove(id, entry);
    return Promise.resolve();
  }

  #remove(id: string, entry: Entry): void {
    this.#entries.delete(id);
    this.#bytes -= entryBytes(id, entry.json);
  }

  #evict(): void {
    const now = this.#now();
    for (const [id, entry] of this.#entries) {
      const over = this.#entries.size > this.#maxSessions || this.#bytes > this.#maxBytes;
      // Expired sessions are dropped on the way; past the bounds, the least recently used too.
      if (!over && now - entry.touched <= this.#idleTtlMs) break;
      this.#remove(id, entry);
    }
  }
}
