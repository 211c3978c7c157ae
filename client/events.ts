/**
 * DOM bindings: `dj-click`, `dj-input`, `dj-change`, `dj-submit`, `dj-keydown`/`dj-keyup` (with key
 * filters such as `dj-keydown.enter`) and `dj-model`. Window-level bindings, `dj-mousemove`,
 * `dj-focus` and `dj-blur` are in extra_bindings.ts, loaded when a page uses them.
 * One listener per event type on the view root (delegation), so patched content needs no re-binding.
 * What each event carries is computed by params.ts, which the test toolkit shares.
 */
import { MODEL_EVENT } from "../lib/live/protocol.ts";
import {
  changeParams,
  controlValue,
  isTextControl,
  keyBindings,
  keyParams,
  submitParams,
  valueParams,
} from "./params.ts";
import { type Push, rateLimited } from "./rate_limit.ts";

export type { Push };

/** The element declaring `attr` at or above `start`, inside `root`. */
function closestBinding(root: Element, start: EventTarget | null, attr: string): Element | null {
  const el = (start as Element).closest?.(`[${attr}]`);
  return el && root.contains(el) ? el : null;
}

/** Installs the delegated listeners on `root`. */
export function bindEvents(root: Element, unlimited: Push): void {
  const on = (type: string, fn: (e: Event) => void) => root.addEventListener(type, fn);
  const push = rateLimited(unlimited);

  on("click", (e) => {
    const el = closestBinding(root, e.target, "dj-click");
    if (!el) return;
    e.preventDefault();
    push(el.getAttribute("dj-click")!, valueParams(el), el);
  });

  // Text fields wait for a pause in typing (300 ms) by default (dj-debounce="0" sends every key);
  // checkboxes, radios and selects send at once.
  const typing = rateLimited(unlimited, 300);
  // An element with its own dj-debounce or dj-throttle is limited by those.
  const limited = (el: Element) => el.hasAttribute("dj-debounce") || el.hasAttribute("dj-throttle");
  on("input", (e) => {
    const el = e.target as Element;
    const name = el.getAttribute?.("dj-input");
    if (name) {
      const params = { ...valueParams(el), value: controlValue(el) };
      (isTextControl(el) && !limited(el) ? typing : push)(name, params, el);
    }
    model(el, false);
    // A form's dj-change follows typing (as phx-change does), debounced like dj-input (the
    // field's own dj-debounce applies); other controls send on change (below).
    const form = isTextControl(el) ? closestBinding(root, el, "dj-change") : null;
    if (form?.tagName === "FORM") {
      (limited(el) ? push : typing)(
        form.getAttribute("dj-change")!,
        changeParams(form, el),
        el,
      );
    }
  });

  // dj-model="field" binds a control to a bindable field: `.lazy` waits for change, `.debounce-N`
  // waits for a pause.
  const modelDebounced = new Map<number, Push>();
  const model = (el: Element, changed: boolean) => {
    if (!el.attributes) return;
    for (const attr of el.attributes) {
      if (attr.name !== "dj-model" && !attr.name.startsWith("dj-model.")) continue;
      const mods = attr.name.split(".").slice(1);
      if (mods.includes("lazy") !== changed) continue;
      const ms = Number(mods.find((m) => m.startsWith("debounce-"))?.slice(9));
      let send = push;
      if (ms) {
        if (!modelDebounced.has(ms)) modelDebounced.set(ms, rateLimited(unlimited, ms));
        send = modelDebounced.get(ms)!;
      }
      send(MODEL_EVENT, { field: attr.value, value: controlValue(el) }, el);
    }
  };

  on("change", (e) => {
    const target = e.target as Element;
    model(target, true);
    const el = closestBinding(root, target, "dj-change");
    // A text field of a dj-change form already sent what it holds, as it was typed.
    if (!el || (el.tagName === "FORM" && isTextControl(target))) return;
    push(el.getAttribute("dj-change")!, changeParams(el, target), el);
  });

  on("submit", (e) => {
    const form = e.target as Element;
    const name = form.getAttribute("dj-submit");
    if (!name) return;
    e.preventDefault();
    push(name, submitParams(form), form);
  });

  for (const type of ["keydown", "keyup"] as const) {
    on(type, (e) => {
      const el = e.target as Element;
      if (!el.attributes) return;
      const key = (e as KeyboardEvent).key;
      for (const name of keyBindings(el, type, key)) push(name, keyParams(el, key), el);
    });
  }
}
