/**
 * How a mounted view reports to whatever carries it (a connection, or nothing during the HTTP
 * render): one typed interface instead of a bag of callbacks.
 * @module
 */

/** A URL change the view asked for. */
export type NavigationIntent =
  /** Same view, new parameters: a path, or query parameters merged into the current URL. */
  | { kind: "patch"; to: string | Readonly<Record<string, string | null>>; replace: boolean }
  /** Another live view over the same connection. */
  | { kind: "navigate"; to: string; replace: boolean }
  /** A full page load; another origin only when `external`. */
  | { kind: "redirect"; to: string; external?: boolean };

/**
 * The raw target of an intent, as a string to resolve against `current`: its URL, or for
 * `pushPatch({ page: "2" })` the current URL with the parameters merged (null removes one).
 */
export function intentTarget(intent: NavigationIntent, current: URL): string {
  if (intent.kind !== "patch" || typeof intent.to === "string") return intent.to as string;
  const next = new URL(current);
  for (const [k, v] of Object.entries(intent.to)) {
    if (v === null) next.searchParams.delete(k);
    else next.searchParams.set(k, String(v));
  }
  return next.pathname + next.search;
}

/** What a mounted view tells its carrier. Every method is called outside of rendering. */
export interface ViewSink {
  /** State changed outside an event (timer, pub/sub, presence): a flush is due. */
  dirty(): void;
  /** `pushEvent` to client hooks. */
  push(event: string, payload: unknown): void;
  /** Work outside events (a timer, `handleInfo`, presence) threw. */
  failed(error: unknown): void;
  /** `pushPatch`, `pushNavigate` or `redirect`. */
  navigate(intent: NavigationIntent): void;
  /** `putFlash`. */
  flash(kind: string, message: string): void;
}

/** A sink that drops everything (the HTTP render: nothing is connected yet). */
export const NO_SINK: ViewSink = {
  dirty() {},
  push() {},
  failed() {},
  navigate() {},
  flash() {},
};
