/**
 * Drag and drop without JavaScript in the page (loaded on demand, when the view has a `dj-drop`):
 * an element with `draggable="true"` can be dropped on an element with `dj-drop="event"`, which
 * sends `event` with the dragged element's `dj-value-*`, the drop zone's (which win), and `index`:
 * where among the zone's draggable items it was dropped (0 = before the first), so one handler
 * moves a card between columns and reorders within one.
 *
 * While dragging, the dragged element has the class `dj-dragging` and the zone under the pointer
 * `dj-drag-over`.
 */
import type { valueParams } from "./params.ts";
import type { Push } from "./rate_limit.ts";

/** Installs the drag-and-drop listeners inside `root` (once per root). */
export function bindDrag(root: Element, push: Push, values: typeof valueParams): void {
  let dragged: Element | null = null;
  let over: Element | null = null;
  const zoneOf = (e: Event) => {
    const zone = (e.target as Element).closest?.("[dj-drop]");
    return zone && root.contains(zone) ? zone : null;
  };
  const hover = (zone: Element | null) => {
    if (zone === over) return;
    over?.classList.remove("dj-drag-over");
    zone?.classList.add("dj-drag-over");
    over = zone;
  };
  root.addEventListener("dragstart", (e) => {
    const el = (e.target as Element).closest?.('[draggable="true"]');
    if (!el || !root.contains(el)) return;
    dragged = el;
    el.classList.add("dj-dragging");
    const data = (e as DragEvent).dataTransfer;
    if (data) {
      data.effectAllowed = "move";
      data.setData("text/plain", el.id || "");
    }
  });
  root.addEventListener("dragend", () => {
    dragged?.classList.remove("dj-dragging");
    dragged = null;
    hover(null);
  });
  root.addEventListener("dragover", (e) => {
    const zone = dragged && zoneOf(e);
    hover(zone);
    if (zone) e.preventDefault(); // allows the drop
  });
  root.addEventListener("drop", (e) => {
    const zone = zoneOf(e);
    const el = dragged;
    hover(null);
    if (!zone || !el) return;
    e.preventDefault();
    const y = (e as DragEvent).clientY;
    let index = 0;
    for (const item of zone.querySelectorAll('[draggable="true"]')) {
      if (item === el) continue;
      const box = item.getBoundingClientRect();
      if (box.top + box.height / 2 < y) index++;
    }
    push(zone.getAttribute("dj-drop")!, { ...values(el), ...values(zone), index }, zone);
  });
}
