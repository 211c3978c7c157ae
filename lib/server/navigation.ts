/**
 * Live navigation decisions: where a URL leads from the view a connection shows. The connection
 * carries out the step; this module only decides it, so the policy reads in one place.
 * @module
 */
import { intentTarget, type NavigationIntent } from "../live/sink.ts";
import type { LiveMounter, LiveTarget } from "./mounter.ts";
import { layoutOf } from "./router.ts";

/** What following a URL means for a connection. */
export type NavigationStep =
  /** The same view with other parameters: `handleParams` runs, a patch follows. */
  | { kind: "params"; target: LiveTarget }
  /** Another live view: mounted on the same connection. */
  | { kind: "mount"; target: LiveTarget }
  /** Not a live route of this app (or another origin): the browser loads it. */
  | { kind: "load"; url: string };

/** Where a view's navigation intent leads, or why it is refused. */
export type ResolvedIntent = { url: string } | { refused: string };

/**
 * The URL a view's navigation intent names, checked: only http(s) URLs, and only this origin for
 * live navigation (`pushPatch`, `pushNavigate`) and for `redirect` unless it says
 * `{ external: true }`. The result is a path for this origin, or an absolute URL for another.
 */
export function resolveIntent(intent: NavigationIntent, current: URL): ResolvedIntent {
  let url: URL;
  try {
    url = new URL(intentTarget(intent, current), current);
  } catch {
    return { refused: "it is not a URL" };
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    return { refused: `${url.protocol} URLs are never followed` };
  }
  if (url.origin !== current.origin) {
    if (intent.kind !== "redirect" || !intent.external) {
      return {
        refused: intent.kind === "redirect"
          ? "it leaves this origin (pass { external: true } to allow that)"
          : "live navigation stays on this origin (use redirect(url, { external: true }))",
      };
    }
    return { url: url.href };
  }
  return { url: url.pathname + url.search + url.hash };
}

/**
 * Decides the step for `url` (already resolved against the page) from the view at `current`, or
 * null when the URL is not one the browser should be sent to (another origin, not http(s)).
 */
export function planNavigation(
  mounter: LiveMounter,
  current: LiveTarget,
  url: URL,
): NavigationStep | null {
  if (url.origin !== current.url.origin) return null;
  const target = mounter.resolve(url);
  if (!target) return { kind: "load", url: url.pathname + url.search };
  if (target.route.id === current.route.id && sameParams(target.params, current.params)) {
    return { kind: "params", target };
  }
  // The layout is outside the live root: another layout needs a page load to show.
  if (layoutOf(target.route) !== layoutOf(current.route)) {
    return { kind: "load", url: url.pathname + url.search };
  }
  return { kind: "mount", target };
}

function sameParams(a: Record<string, string>, b: Record<string, string>): boolean {
  const ka = Object.keys(a), kb = Object.keys(b);
  return ka.length === kb.length && ka.every((k) => a[k] === b[k]);
}
