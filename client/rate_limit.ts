/**
 * `dj-debounce` and `dj-throttle`: rate limits applied before an event leaves the browser.
 *
 * State is kept per binding (element, event name and wrapper), not per element: a field with both
 * `dj-input` and `dj-model.debounce-500` has two independent timers, so neither cancels the other's
 * event.
 */

/** Sends an event to the server. */
export type Push = (name: string, params: Record<string, unknown>, source: Element) => void;

/** The pending state of one binding. */
interface Limiter {
  timer?: ReturnType<typeof setTimeout>;
  /** When the last event of this binding went out (throttle). */
  last: number;
  /** The latest params, sent when the timer fires or the field loses focus. */
  params: Record<string, unknown>;
  /** True once a blur listener waits on the element (`dj-debounce="blur"`). */
  waitsForBlur?: boolean;
}

/**
 * Wraps `push` with the element's `dj-throttle="ms"` (at most one event per window, the latest
 * params last) and `dj-debounce="ms"` / `dj-debounce="blur"` (send once typing pauses, or when the
 * field loses focus). `debounceMs` overrides the element's attributes (text fields, `dj-model`
 * modifiers). Without either, the event goes out at once.
 */
export function rateLimited(push: Push, debounceMs?: number): Push {
  // Per wrapper too: `dj-input` typing and `dj-model.debounce-N` on one field never share a timer.
  const limiters = new WeakMap<Element, Map<string, Limiter>>();
  return (name, params, el) => {
    const throttle = Number(el.getAttribute("dj-throttle"));
    const debounce = debounceMs ? String(debounceMs) : el.getAttribute("dj-debounce");
    if (!throttle && (!debounce || debounce === "0")) return push(name, params, el);
    let byName = limiters.get(el);
    if (!byName) limiters.set(el, byName = new Map());
    let s = byName.get(name);
    if (!s) byName.set(name, s = { last: 0 } as Limiter); // params: set next
    s.params = params;
    const fire = () => {
      s.timer = undefined;
      s.last = Date.now();
      push(name, s.params, el);
    };
    if (debounce === "blur") {
      // One listener however many keystrokes come before the blur: one event, the latest value.
      if (!s.waitsForBlur) {
        s.waitsForBlur = true;
        el.addEventListener("blur", () => {
          s.waitsForBlur = false;
          fire();
        }, { once: true });
      }
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
