/**
 * Immediate feedback on the element that fired an event (loaded on demand, when the view has a
 * `dj-optimistic` or `dj-disable-with`):
 * - `dj-optimistic="toggle_class:done"` (or `add_class:`, `remove_class:`, `text:`) changes the
 *   element at once;
 * - `dj-disable-with="Saving…"` disables the element and shows that label.
 * When the reply arrives both are undone before the server's patch applies, so the page ends as the
 * server decided; on an error they are simply rolled back.
 */
import type { Undo } from "./loading.ts";

/** Applies the element's optimistic change and disable-with label, if any; returns the undo. */
export function applyOptimistic(el: Element): Undo | null {
  const undo = [optimistic(el), disableWith(el)].filter((u) => u !== null);
  return undo.length ? () => undo.forEach((u) => u()) : null;
}

function optimistic(el: Element): Undo | null {
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

function disableWith(el: Element): Undo | null {
  const label = el.getAttribute("dj-disable-with");
  if (label === null) return null;
  const button = el as HTMLButtonElement;
  const wasDisabled = button.disabled;
  const text = el.textContent;
  button.disabled = true;
  el.textContent = label;
  return () => {
    button.disabled = wasDisabled;
    // A patch may already have written the element's new content: only restore our own label.
    if (el.textContent === label) el.textContent = text;
  };
}
