/**
 * Live navigation decisions: where a URL leads from the view a connection shows. The connection
 * carries out the step; this module only decides it, so the policy reads in one place.
 * @module
 */
import type { NavigationIntent } from "../live/sink.ts";
import type { LiveMounter, LiveTarget } from "./mounter.ts";

/** What following a URL means for a connection. */
export type NavigationStep =
  /** The same view with other parameters: `handleParams` runs, a patch follows. */
  | { kind: "params"; target: LiveTarget }
  /** Another live view: mounted on the same connection. */
  | { kind: "mount"; target: LiveTarget }
  /** Not a live route of this app (or another origin): the browser loads it. */
  | { kind: "load"; url: string };

/** The URL a view's navigation intent names, as a path (or absolute URL) from `current`. */
export function intentUrl(intent: NavigationIntent, current: URL): string {
  if (intent.kind !== "patch" || typeof intent.to === "string") return intent.to as string;
  // pushPatch({ page: "2" }): merged into the current query string; null removes a parameter.
  const next = new URL(current);
  for (const [k, v] of Object.entries(intent.to)) {
    if (v === null) next.searchParams.delete(k);
    else next.searchParams.set(k, String(v));
  }
  return next.pathname + next.search;
}

/** Decides the step for `url` (already resolved against the page) from the view at `current`. */
export function planNavigation(
  mounter: LiveMounter,
  current: LiveTarget,
  url: URL,
): NavigationStep {
  if (url.origin !== current.url.origin) return { kind: "load", url: url.href };
  const target = mounter.resolve(url);
  if (!target) return { kind: "load", url: url.pathname + url.search };
  if (target.route.id === current.route.id && sameParams(target.params, current.params)) {
    return { kind: "params", target };
  }
  return { kind: "mount", target };
}

function sameParams(a: Record<string, string>, b: Record<string, string>): boolean {
  const ka = Object.keys(a), kb = Object.keys(b);
  return ka.length === kb.length && ka.every((k) => a[k] === b[k]);
}
