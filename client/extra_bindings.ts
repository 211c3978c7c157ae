/**
 * Bindings few views use (loaded on demand, when the view has one): `dj-window-keydown` /
 * `dj-window-keyup`, filtered by `dj-window-key` (its own name: `dj-key` keys loop items),
 * `dj-click-away` (a click outside the element), `dj-mousemove` (the pointer's position in the
 * element, in percent), `dj-focus` and `dj-blur`, drag and drop (`dj-drop`, drag.ts) and infinite
 * scroll (`dj-viewport-top` / `dj-viewport-bottom`, viewport.ts).
 */
import type { controlValue, isControl, keyMatches, valueParams } from "./params.ts";
import type { Push, rateLimited } from "./rate_limit.ts";
import { bindDrag } from "./drag.ts";
import { bindViewport } from "./viewport.ts";

/**
 * What this chunk uses from the core, passed in rather than imported: importing core modules from a
 * chunk would make esbuild split them into shared chunks every page loads.
 */
export interface ExtraBindingsDeps {
  keyMatches: typeof keyMatches;
  valueParams: typeof valueParams;
  rateLimited: typeof rateLimited;
  controlValue: typeof controlValue;
  isControl: typeof isControl;
}

/** The key filter of window key bindings. */
const WINDOW_KEY_ATTR = "dj-window-key";

/**
 * Installs the listeners for these bindings inside `root` (once per root); returns the function to
 * call after each DOM change (infinite scroll watches the new edge items).
 */
export function bindExtraBindings(
  root: Element,
  unlimited: Push,
  deps: ExtraBindingsDeps,
): () => void {
  const { keyMatches, valueParams, controlValue, isControl } = deps;
  const push = deps.rateLimited(unlimited);
  bindDrag(root, push, valueParams);
  const rescan = bindViewport(root, push);
  for (const type of ["keydown", "keyup"] as const) {
    const attr = `dj-window-${type}`;
    addEventListener(type, (e) => {
      const key = (e as KeyboardEvent).key;
      for (const el of root.querySelectorAll(`[${attr}]`)) {
        if (!keyMatches(el.getAttribute(WINDOW_KEY_ATTR) ?? "", key)) continue;
        push(el.getAttribute(attr)!, { ...valueParams(el), key }, el);
      }
    });
  }
  addEventListener("click", (e) => {
    for (const el of root.querySelectorAll("[dj-click-away]")) {
      if (!el.contains(e.target as Node)) {
        push(el.getAttribute("dj-click-away")!, valueParams(el), el);
      }
    }
  });
  root.addEventListener("mousemove", (e) => {
    const el = (e.target as Element).closest?.("[dj-mousemove]");
    if (!el || !root.contains(el)) return;
    // Position as percentages of the element, so it means the same at every screen size.
    const box = el.getBoundingClientRect();
    const m = e as MouseEvent;
    const x = Math.round(((m.clientX - box.left) / box.width) * 1000) / 10;
    const y = Math.round(((m.clientY - box.top) / box.height) * 1000) / 10;
    push(el.getAttribute("dj-mousemove")!, { ...valueParams(el), x, y }, el);
  });
  // focus/blur do not bubble; focusin/focusout do.
  for (const [type, attr] of [["focusin", "dj-focus"], ["focusout", "dj-blur"]]) {
    root.addEventListener(type, (e) => {
      const el = e.target as Element;
      const name = el.getAttribute?.(attr);
      if (!name) return;
      const params = valueParams(el);
      if (isControl(el)) params.value = controlValue(el);
      push(name, params, el);
    });
  }
  return rescan;
}
