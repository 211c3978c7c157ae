/**
 * Optimistic updates: `dj-optimistic="toggle_class:done"` (or `add_class:`, `remove_class:`,
 * `text:`) changes the element at once. When the reply arrives the change is undone before the server's
 * patch applies, so the page ends as the server decided; on an error it is simply rolled back.
 */
import type { Undo } from "./loading.ts";

/** Applies the element's optimistic change, if any; returns how to undo it. */
export function applyOptimistic(el: Element): Undo | null {
  const spec = el.getAttribute("dj-optimistic");
  if (!spec) return null;
  const colon = spec.indexOf(":");
  const action = spec.slice(0, colon), arg = spec.slice(colon + 1);
  if (action === "text") {
    const before = el.textContent;
    el.textContent = arg;
    return () => {
      if (el.textContent === arg) el.textContent = before;
    };
  }
  const classes = arg.split(/\s+/).filter(Boolean);
  const had = classes.map((c) => el.classList.contains(c));
  for (const c of classes) {
    el.classList.toggle(c, action === "toggle_class" ? undefined : action === "add_class");
  }
  return () => classes.forEach((c, i) => el.classList.toggle(c, had[i]));
}
