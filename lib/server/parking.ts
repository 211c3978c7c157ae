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
  view: ParkedView;
  bytes: number;
  /** When the entry expires (monotonic ms). */
  expires: number;
  /** The expiry timer of a view that was live (it runs timers of its own and must end on time). */
  timer: number | undefined;
}

/**
 * Parked views by instance id. A `Map` keeps insertion order: eviction takes the oldest first.
 *
 * @example
 * ```ts ignore
 * parking.park(id, view, 30_000, (v) => v.mounted.end("closed"));
 * const back = parking.take(id, binding); // within 30 s, by the same session
 * ```
 */
export class Parking {
  #entries = new Map<string, Entry>();
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
    this.#entries.set(id, { view, bytes, expires: performance.now() + ms, timer });
    this.#bytes += bytes;
    this.#enforce(view.binding);
  }

  /** Takes the view parked under `id` for the session with `binding`, or null. */
  take(id: string, binding: string): ParkedView | null {
    this.#sweep();
    const entry = this.#entries.get(id);
    if (!entry || entry.view.binding !== binding) return null;
    this.#remove(id, false);
    return entry.view;
  }

  /** Evicts the entries past their time. */
  #sweep(): void {
    const now = performance.now();
    for (const [id, entry] of this.#entries) if (entry.expires <= now) this.#remove(id, true);
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
    const mine = [...this.#entries].filter(([, e]) => e.view.binding === binding);
    for (let i = 0; i < mine.length - this.#limits.maxPerSession; i++) {
      this.#remove(mine[i][0], true);
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
