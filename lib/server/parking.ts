/**
 * Views waiting for a connection: one mounted for a page load, until the page joins (so a page is
 * mounted once), and one whose socket dropped, until the browser rejoins within the grace period
 * (the same instance comes back: no mount, nothing lost, timers and subscriptions kept).
 *
 * Memory is bounded by count and by bytes, per session and per app; past a bound the oldest parked
 * view ends (the browser then gets its state back from the saved snapshot, or a fresh mount).
 * @module
 */
import type { MountedView } from "../live/mounted.ts";
import type { LiveTarget, Visitor } from "./mounter.ts";

/** A parked view with what a connection needs to take it over. */
export interface ParkedView {
  readonly mounted: MountedView;
  readonly target: LiveTarget;
  readonly visitor: Visitor;
  /** The keyed digest of the session id it belongs to (only that session may take it). */
  readonly binding: string;
  /** True when the view was shown on a connection before (a rejoin, not a page's first join). */
  readonly joined: boolean;
  /** Settles when work its last connection began on it (a handler still running) is over. */
  readonly settled?: Promise<void>;
}

/** The bounds of the parking lot. */
export interface ParkingLimits {
  /** Views parked in this process, at most. */
  readonly maxViews: number;
  /** Views parked for one session, at most. */
  readonly maxPerSession: number;
  /** Estimated bytes of parked views in this process, at most. */
  readonly maxBytes: number;
}

interface Entry {
  readonly view: ParkedView;
  readonly bytes: number;
  /** When the entry expires (monotonic ms). */
  readonly expires: number;
  /** The expiry timer of a view that was live (it runs timers of its own and must end on time). */
  readonly timer: number | undefined;
}

/**
 * Parked views by instance id. Every operation costs the same however many views wait (a page load
 * parks one, so this is on every GET):
 *
 *   #entries   id → entry, oldest first (a Map keeps insertion order): lookup, and eviction past a
 *              bound takes from the front
 *   #pages     the timerless entries (page loads' views, all parked for the App's join window), in
 *              the same order, which is therefore their order of expiry: a sweep stops at the
 *              first one still in time
 *   #perSession  how many entries each session has (the per-session bound)
 *
 * @example
 * ```ts ignore
 * parking.park(id, view, 30_000, (v) => v.mounted.end("closed"));
 * const back = parking.take(id, binding); // within 30 s, by the same session
 * ```
 */
export class Parking {
  #entries = new Map<string, Entry>();
  #pages = new Map<string, Entry>();
  #perSession = new Map<string, number>();
  #limits: ParkingLimits;
  #bytes = 0;
  #onEvict: (view: ParkedView, reason: "closed" | "shutdown") => void;

  /** `onEvict` ends a view that leaves the lot without being taken (time out, a bound, shutdown). */
  constructor(
    limits: ParkingLimits,
    onEvict: (view: ParkedView, reason: "closed" | "shutdown") => void,
  ) {
    this.#limits = limits;
    this.#onEvict = onEvict;
  }

  /** Views parked now. */
  get size(): number {
    return this.#entries.size;
  }

  /** Estimated bytes parked now. */
  get bytes(): number {
    return this.#bytes;
  }

  /**
   * Parks `view` under `id` for `ms`; past that (or past a bound) it is evicted. A view that was
   * live gets a timer (it must stop its own timers on time); a page's view, which started nothing,
   * expires lazily, when the lot is next used.
   */
  park(id: string, view: ParkedView, ms: number): void {
    this.#sweep();
    this.#remove(id, true);
    const bytes = estimateBytes(view.mounted);
    const timer = view.joined
      ? setTimeout(() => this.#remove(id, true), ms) as unknown as number
      : undefined;
    const entry: Entry = { view, bytes, expires: performance.now() + ms, timer };
    this.#entries.set(id, entry);
    if (timer === undefined) this.#pages.set(id, entry);
    this.#perSession.set(view.binding, (this.#perSession.get(view.binding) ?? 0) + 1);
    this.#bytes += bytes;
    this.#enforce(view.binding);
  }

  /** Takes the view parked under `id` for the session with `binding`, or null. */
  take(id: string, binding: string): ParkedView | null {
    this.#sweep();
    const entry = this.#entries.get(id);
    if (!entry || entry.view.binding !== binding) return null;
    // Past its time (a page view parked for a shorter window than those before it).
    if (entry.expires <= performance.now()) {
      this.#remove(id, true);
      return null;
    }
    this.#remove(id, false);
    return entry.view;
  }

  /** Evicts the page views past their time (the others have timers). */
  #sweep(): void {
    const now = performance.now();
    for (const [id, entry] of this.#pages) {
      if (entry.expires > now) break;
      this.#remove(id, true);
    }
  }

  /** Ends every parked view (the App is closing). */
  clear(): void {
    for (const id of [...this.#entries.keys()]) this.#remove(id, true, "shutdown");
  }

  #remove(id: string, evict: boolean, reason: "closed" | "shutdown" = "closed"): void {
    const entry = this.#entries.get(id);
    if (!entry) return;
    clearTimeout(entry.timer);
    this.#entries.delete(id);
    this.#pages.delete(id);
    const binding = entry.view.binding;
    const left = this.#perSession.get(binding)! - 1;
    if (left) this.#perSession.set(binding, left);
    else this.#perSession.delete(binding);
    this.#bytes -= entry.bytes;
    if (evict) this.#onEvict(entry.view, reason);
  }

  #enforce(binding: string): void {
    // Oldest first: a Map iterates in insertion order (deleting while iterating is safe).
    for (const id of this.#entries.keys()) {
      if (this.#entries.size <= this.#limits.maxViews && this.#bytes <= this.#limits.maxBytes) {
        break;
      }
      this.#remove(id, true);
    }
    // Rarely over: only then are the session's oldest looked for.
    let over = (this.#perSession.get(binding) ?? 0) - this.#limits.maxPerSession;
    if (over <= 0) return;
    for (const [id, entry] of this.#entries) {
      if (entry.view.binding !== binding) continue;
      this.#remove(id, true);
      if (--over === 0) break;
    }
  }
}

/**
 * A rough size of a mounted view: its first render's HTML (which its regions hold in pieces) and
 * per-region overhead. Enough to bound memory, not an exact measure.
 */
function estimateBytes(mounted: MountedView): number {
  return 4096 + mounted.htmlLength * 4;
}
