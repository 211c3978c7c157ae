/**
 * Streams: collections the server sends and forgets. `this.stream("messages", items)` queues
 * inserts; the next render sends them (inside an element with `dj-update="stream"`, as
 * `{% for id, msg in streams.messages %}`) and drops them, so a view that streamed 100 000 items
 * holds what one that streamed 10 holds. The browser keeps the items: later inserts with an id it
 * has replace that item in place, deletes remove by DOM id, `limit` trims the far end.
 * @module
 */
import { type Signal, signal } from "./signals.ts";

/** Where an insert goes: -1 at the end (default), 0 at the start, n before the nth item. */
export type StreamAt = number;

/** Options of `stream()`. */
export interface StreamOptions<T> {
  /** Where the items go (default -1: the end). */
  at?: StreamAt;
  /**
   * Items the browser keeps: negative keeps the last n (trimming from the start), positive the
   * first n (trimming from the end). Applied once this call's items are in (the last limit given
   * before a render applies to everything that render sends).
   */
  limit?: number;
  /** Removes every item the browser shows before inserting these. */
  reset?: boolean;
  /** The DOM id of an item (default `<name>-<item.id>`). Set once, on the first call. */
  domId?: (item: T) => string;
}

/** One queued change of a stream. */
export type StreamChange =
  | { readonly kind: "insert"; readonly domId: string; readonly item: unknown; readonly at: number }
  | { readonly kind: "delete"; readonly domId: string };

/** What the next render sends for one stream (and then forgets). */
export interface StreamBatch {
  readonly reset: boolean;
  readonly changes: readonly StreamChange[];
  readonly limit: number | undefined;
}

/** Most changes one stream queues before a render takes them (bounds a view that never renders). */
export const MAX_PENDING = 100_000;

/**
 * Applies `batch` to `items` (`[domId, item]` in order) as the browser applies a stream op to its
 * container: reset, then each change in order (an insert whose DOM id is present replaces that
 * item where it is; otherwise it goes `at` its index, -1 the end), then `limit`.
 *
 * @example
 * ```ts
 * import { applyStreamBatch } from "./streams.ts";
 * const items: [string, unknown][] = [["m-1", 1], ["m-2", 2]];
 * applyStreamBatch(items, {
 *   reset: false,
 *   changes: [{ kind: "insert", domId: "m-0", item: 0, at: 0 }],
 *   limit: -2,
 * });
 * // m-0 goes first, then limit -2 keeps the last two:
 * items.map(([id]) => id); // ["m-1", "m-2"]
 * ```
 */
export function applyStreamBatch(items: [string, unknown][], batch: StreamBatch): void {
  if (batch.reset) items.length = 0;
  for (const change of batch.changes) {
    const at = items.findIndex(([id]) => id === change.domId);
    if (change.kind === "delete") {
      if (at >= 0) items.splice(at, 1);
    } else if (at >= 0) items[at] = [change.domId, change.item];
    else if (change.at < 0 || change.at >= items.length) items.push([change.domId, change.item]);
    else items.splice(change.at, 0, [change.domId, change.item]);
  }
  const limit = batch.limit;
  if (limit !== undefined && limit < 0 && items.length > -limit) {
    items.splice(0, items.length + limit);
  } else if (limit !== undefined && limit > 0 && items.length > limit) items.length = limit;
}

/**
 * One stream of a view. Iterating it (what `{% for id, item in streams.name %}` does in a render
 * that is not live) yields `[domId, item]` for the queued inserts.
 *
 * @example
 * ```ts
 * import { Stream } from "./streams.ts";
 * const s = new Stream<{ id: number }>("messages");
 * s.insert([{ id: 1 }, { id: 2 }], {});
 * [...s].map(([domId]) => domId); // ["messages-1", "messages-2"]
 * s.take().changes.length; // 2, and the stream holds nothing any more
 * ```
 */
export class Stream<T = unknown> implements Iterable<[string, T]> {
  /** Bumped whenever changes are queued: the render that shows the stream reads it. */
  readonly version: Signal<number> = signal(0);
  #domId: (item: T) => string;
  #changes: StreamChange[] = [];
  #reset = false;
  #limit: number | undefined;
  /** What the browser shows, kept only to verify renders (see {@link Streams.verify}). */
  #shown: [string, unknown][] | null = null;

  /** A stream named `name` (the default DOM ids start with it). */
  constructor(readonly name: string, domId?: (item: T) => string) {
    this.#domId = domId ?? ((item) => `${name}-${(item as { id?: unknown }).id}`);
  }

  /** Queues `items` (see {@link StreamOptions}). */
  insert(items: Iterable<T>, options: StreamOptions<T>): void {
    if (options.reset) {
      this.#changes = [];
      this.#reset = true;
    }
    if (options.limit !== undefined) this.#limit = options.limit;
    let at = options.at ?? -1;
    for (const item of items) {
      const domId = this.#domId(item);
      if (typeof domId !== "string" || domId === "") {
        throw new TypeError(`stream ${this.name}: an item has no DOM id (give domId)`);
      }
      this.#queue({ kind: "insert", domId, item, at });
      // Several items inserted at one place keep their order.
      if (at >= 0) at++;
    }
    this.version.value++;
  }

  /** Queues the removal of `item` (or of the DOM id given as a string). */
  delete(item: T | string): void {
    const domId = typeof item === "string" ? item : this.#domId(item);
    this.#queue({ kind: "delete", domId });
    this.version.value++;
  }

  /** Sets the DOM id function (only before anything was queued with another). */
  setDomId(domId: (item: T) => string): void {
    this.#domId = domId;
  }

  #queue(change: StreamChange): void {
    if (this.#changes.length >= MAX_PENDING) {
      throw new RangeError(
        `stream ${this.name}: more than ${MAX_PENDING} changes queued without a render`,
      );
    }
    this.#changes.push(change);
  }

  /** True when changes wait for a render. */
  get pending(): boolean {
    return this.#changes.length > 0 || this.#reset;
  }

  /** Takes the queued changes (the stream forgets them, unless it keeps a verification copy). */
  take(): StreamBatch {
    const batch = { reset: this.#reset, changes: this.#changes, limit: this.#limit };
    this.#changes = [];
    this.#reset = false;
    this.#limit = undefined;
    if (this.#shown) applyStreamBatch(this.#shown, batch);
    return batch;
  }

  /** Starts keeping a copy of what the browser shows (for tests that compare renders). */
  keepShown(): void {
    this.#shown ??= [];
  }

  /** What the browser shows, when a copy is kept (else null). */
  get shown(): readonly [string, unknown][] | null {
    return this.#shown;
  }

  /** `[domId, item]` of each queued insert not deleted after (reads `version` when tracked). */
  *[Symbol.iterator](): Iterator<[string, T]> {
    void this.version.value;
    const deleted = new Set<string>();
    for (const change of this.#changes) if (change.kind === "delete") deleted.add(change.domId);
    for (const change of this.#changes) {
      if (change.kind === "insert" && !deleted.has(change.domId)) {
        yield [change.domId, change.item as T];
      }
    }
  }
}

/** True when `value` is a {@link Stream} (a loop over it renders as a stream). */
export function isStream(value: unknown): value is Stream {
  return value instanceof Stream;
}

/**
 * A view's streams by name. The template sees them as `streams` (a signal holding a plain object of
 * the streams created so far), so a loop written before the view's first `stream()` call shows
 * the stream once it exists.
 */
export class Streams {
  /** The template's `streams`. */
  readonly scope: Signal<Readonly<Record<string, Stream>>> = signal(Object.freeze({}));
  /**
   * Keep a copy of what the browser shows of each stream, so a from-scratch render can be compared
   * with the page (the consistency tests; `App({ verifyStreams: true })`). Costs the memory that
   * streams otherwise save.
   */
  verify = false;

  /** The stream `name`, created if needed. */
  get<T>(name: string): Stream<T> {
    const current = this.scope.peek();
    if (Object.hasOwn(current, name)) return current[name] as Stream<T>;
    const stream = new Stream<T>(name);
    if (this.verify) stream.keepShown();
    this.scope.value = Object.freeze({ ...current, [name]: stream as Stream });
    return stream;
  }

  /** Every stream created so far. */
  all(): Stream[] {
    return Object.values(this.scope.peek());
  }
}

const STREAMS = new WeakMap<object, Streams>();

/** The streams of a view (created on first use). */
export function streamsOf(owner: object): Streams {
  let streams = STREAMS.get(owner);
  if (!streams) STREAMS.set(owner, streams = new Streams());
  return streams;
}
