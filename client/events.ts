/**
 * DOM bindings: `dj-click`, `dj-input`, `dj-change`, `dj-submit`, `dj-keydown`/`dj-keyup` (with key
 * filters such as `dj-keydown.enter`), `dj-focus`, `dj-blur`, and `dj-value-*` params. One listener
 * per event type on the view root (delegation), so patched content needs no re-binding.
 */

/** Sends an event to the server; returns its ref. */
export type Push = (name: string, params: Record<string, unknown>, source: Element) => void;

const VALUE_PREFIX = "dj-value-";

/** `dj-value-*` attributes of `el` as params (names kept as written after the prefix). */
export function valueParams(el: Element): Record<string, unknown> {
  const params: Record<string, unknown> = {};
  for (const attr of el.attributes) {
    if (attr.name.startsWith(VALUE_PREFIX)) {
      params[attr.name.slice(VALUE_PREFIX.length)] = attr.value;
    }
  }
  return params;
}

/** The current value of a form control (checkboxes: boolean unless they carry a value). */
export function controlValue(el: Element): unknown {
  const input = el as HTMLInputElement;
  if (input.type === "checkbox") {
    return input.hasAttribute("value") ? (input.checked ? input.value : null) : input.checked;
  }
  if (el instanceof HTMLSelectElement && el.multiple) {
    return [...el.selectedOptions].map((o) => o.value);
  }
  return input.value;
}

/** All fields of a form: repeated names and multi-selects as arrays, checkboxes as booleans or values. */
export function formParams(form: HTMLFormElement): Record<string, unknown> {
  const params: Record<string, unknown> = {};
  const counts: Record<string, number> = {};
  for (const el of form.elements as unknown as HTMLInputElement[]) {
    if (el.name) counts[el.name] = (counts[el.name] ?? 0) + (el.type === "radio" ? 0 : 1);
  }
  for (const el of form.elements as unknown as HTMLInputElement[]) {
    const name = el.name;
    if (
      !name || el.disabled || el.type === "submit" || el.type === "button" || el.type === "file"
    ) continue;
    if (el.type === "radio") {
      if (el.checked) params[name] = el.value;
      else if (!(name in params)) params[name] = null;
      continue;
    }
    const value = controlValue(el);
    const multi = counts[name] > 1 || (el instanceof HTMLSelectElement && el.multiple);
    if (!multi) params[name] = value;
    else if (Array.isArray(value)) params[name] = value;
    else if (value !== null && value !== false) ((params[name] ??= []) as unknown[]).push(value);
    else params[name] ??= [];
  }
  return params;
}

const KEY_ALIASES: Record<string, string> = { esc: "escape", space: " ", return: "enter" };

/** Finds the binding for `type` on `el` or its ancestors inside `root`. */
function closestBinding(root: Element, start: EventTarget | null, attr: string): Element | null {
  for (let el = start as Element | null; el && el !== root.parentElement; el = el.parentElement) {
    if (el.nodeType === 1 && el.hasAttribute(attr)) return el;
    if (el === root) break;
  }
  return null;
}

/** Per-element rate-limit state: the pending timer and the latest params. */
interface Limiter {
  timer?: ReturnType<typeof setTimeout>;
  last: number;
  params?: Record<string, unknown>;
  name?: string;
}
const limiters = new WeakMap<Element, Limiter>();

/**
 * Applies `dj-throttle="ms"` (at most one event per window, the latest params last) and
 * `dj-debounce="ms"` / `dj-debounce="blur"` (send once typing pauses, or on blur) before `push`.
 * Without either attribute, the event goes out at once.
 */
export function rateLimited(push: Push, debounceMs?: number): Push {
  return (name, params, el) => {
    const throttle = Number(el.getAttribute("dj-throttle"));
    const debounce = debounceMs ? String(debounceMs) : el.getAttribute("dj-debounce");
    if (!throttle && (!debounce || debounce === "0")) return push(name, params, el);
    let state = limiters.get(el);
    if (!state) limiters.set(el, state = { last: 0 });
    const s = state;
    s.params = params;
    s.name = name;
    const fire = () => {
      s.timer = undefined;
      s.last = Date.now();
      push(s.name!, s.params!, el);
    };
    if (debounce === "blur") {
      el.addEventListener("blur", fire, { once: true });
      return;
    }
    clearTimeout(s.timer);
    if (debounce) {
      s.timer = setTimeout(fire, Number(debounce) || 300);
      return;
    }
    const wait = s.last + throttle - Date.now();
    if (wait <= 0) fire();
    else s.timer = setTimeout(fire, wait);
  };
}

/**
 * Window-level bindings inside `root`: `dj-window-keydown` / `dj-window-keyup` (optionally filtered
 * by `dj-key="Escape"`), and `dj-click-away` (a click outside the element).
 */
export function bindWindowEvents(root: Element, unlimited: Push): void {
  const push = rateLimited(unlimited);
  for (const type of ["keydown", "keyup"]) {
    const attr = `dj-window-${type}`;
    addEventListener(type, (e) => {
      const key = (e as KeyboardEvent).key;
      for (const el of root.querySelectorAll(`[${attr}]`)) {
        const only = el.getAttribute("dj-key");
        if (only && only.toLowerCase() !== key.toLowerCase()) continue;
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
}

/** Installs the delegated listeners on `root`. */
export function bindEvents(root: Element, unlimited: Push): void {
  const on = (type: string, fn: (e: Event) => void) => root.addEventListener(type, fn);
  const push = rateLimited(unlimited);

  on("mousemove", (e) => {
    const el = closestBinding(root, e.target, "dj-mousemove");
    if (!el) return;
    // Position as percentages of the element, so it means the same at every screen size.
    const box = el.getBoundingClientRect();
    const m = e as MouseEvent;
    const x = Math.round(((m.clientX - box.left) / box.width) * 1000) / 10;
    const y = Math.round(((m.clientY - box.top) / box.height) * 1000) / 10;
    push(el.getAttribute("dj-mousemove")!, { ...valueParams(el), x, y }, el);
  });

  on("click", (e) => {
    const el = closestBinding(root, e.target, "dj-click");
    if (!el) return;
    e.preventDefault();
    push(el.getAttribute("dj-click")!, valueParams(el), el);
  });

  // Text fields wait for a pause in typing by default (300 ms; dj-debounce="0" sends every key);
  // checkboxes, radios and selects send at once.
  const typing = rateLimited(unlimited, 300);
  on("input", (e) => {
    const el = e.target as Element;
    const name = el.getAttribute?.("dj-input");
    if (name) {
      const params = { ...valueParams(el), value: controlValue(el) };
      const text = el.tagName === "TEXTAREA" ||
        (el.tagName === "INPUT" &&
          !/^(checkbox|radio|range|color|file)$/.test((el as HTMLInputElement).type));
      if (text && !el.hasAttribute("dj-debounce") && !el.hasAttribute("dj-throttle")) {
        typing(name, params, el);
      } else push(name, params, el);
    }
    model(el, false);
  });

  // dj-model="field" binds a control to a public field: `.lazy` waits for change, `.debounce-N` pauses.
  const modelDebounced = new Map<number, Push>();
  const model = (el: Element, changed: boolean) => {
    if (!el.attributes) return;
    for (const attr of el.attributes) {
      if (!attr.name.startsWith("dj-model")) continue;
      const mods = attr.name.split(".").slice(1);
      if (mods.includes("lazy") !== changed) continue;
      const ms = Number(mods.find((m) => m.startsWith("debounce-"))?.slice(9));
      let send = push;
      if (ms) {
        if (!modelDebounced.has(ms)) modelDebounced.set(ms, rateLimited(unlimited, ms));
        send = modelDebounced.get(ms)!;
      }
      send("dj:model", { field: attr.value, value: controlValue(el) }, el);
    }
  };

  on("change", (e) => {
    const target = e.target as HTMLInputElement;
    model(target, true);
    const el = closestBinding(root, target, "dj-change");
    if (!el) return;
    const params = el instanceof HTMLFormElement
      ? { ...formParams(el), _target: target.name }
      : { value: controlValue(el) };
    push(el.getAttribute("dj-change")!, { ...valueParams(el), ...params }, el);
  });

  on("submit", (e) => {
    const form = e.target as HTMLFormElement;
    const name = form.getAttribute("dj-submit");
    if (!name) return;
    e.preventDefault();
    push(name, { ...valueParams(form), ...formParams(form) }, form);
  });

  for (const type of ["keydown", "keyup"]) {
    on(type, (e) => {
      const key = (e as KeyboardEvent).key;
      const el = e.target as Element;
      if (!el.attributes) return;
      for (const attr of el.attributes) {
        if (attr.name !== `dj-${type}` && !attr.name.startsWith(`dj-${type}.`)) continue;
        const filter = attr.name.slice(type.length + 4);
        if (filter && (KEY_ALIASES[filter] ?? filter) !== key.toLowerCase()) continue;
        const params: Record<string, unknown> = { ...valueParams(el), key };
        if ("value" in el) params.value = controlValue(el);
        push(attr.value, params, el);
      }
    });
  }

  // focus/blur do not bubble; focusin/focusout do.
  for (const [type, attr] of [["focusin", "dj-focus"], ["focusout", "dj-blur"]]) {
    on(type, (e) => {
      const el = e.target as Element;
      const name = el.getAttribute?.(attr);
      if (name) {
        push(
          name,
          { ...valueParams(el), ...("value" in el ? { value: controlValue(el) } : {}) },
          el,
        );
      }
    });
  }
}
