/**
 * Infinite scroll (loaded on demand, when the view has one): on a container, `dj-viewport-top=
 * "event"` sends `event` when its first child comes into view, `dj-viewport-bottom="event"` when its
 * last child does. Each edge child sends once; when the event brings more items the new edge child
 * sends again, and so does the same one after it left the view and came back.
 */
import type { Push } from "./rate_limit.ts";

const EDGES = [["top", "firstElementChild"], ["bottom", "lastElementChild"]] as const;

/**
 * Watches the edge children of `[dj-viewport-top]` / `[dj-viewport-bottom]` containers in
 * `root`; returns the function to call after the DOM changed (it watches the new edges).
 */
export function bindViewport(root: Element, push: Push): () => void {
  /** Edge child → [container, edge]. */
  const watched = new Map<Element, [Element, "top" | "bottom"]>();
  /** Edge children that already sent (until they leave the view). */
  const sent = new WeakSet<Element>();
  const observer = new IntersectionObserver((entries) => {
    for (const entry of entries) {
      const child = entry.target;
      const found = watched.get(child);
      if (!entry.isIntersecting) {
        sent.delete(child);
        continue;
      }
      if (!found || sent.has(child)) continue;
      sent.add(child);
      const [container, edge] = found;
      const name = container.getAttribute(`dj-viewport-${edge}`);
      if (name) push(name, {}, container);
    }
  });
  const scan = () => {
    const edges = new Map<Element, [Element, "top" | "bottom"]>();
    for (const [edge, prop] of EDGES) {
      for (const container of root.querySelectorAll(`[dj-viewport-${edge}]`)) {
        const child = container[prop];
        if (child) edges.set(child, [container, edge]);
      }
    }
    for (const child of watched.keys()) {
      if (!edges.has(child)) {
        observer.unobserve(child);
        watched.delete(child);
      }
    }
    for (const [child, where] of edges) {
      if (!watched.has(child)) observer.observe(child);
      watched.set(child, where);
    }
  };
  scan();
  return scan;
}
