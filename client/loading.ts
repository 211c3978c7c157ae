/**
 * Loading states while an event is pending: the element that fired it and every `dj-loading` element
 * (all events, or `dj-loading="eventName"`) get a class (`dj-loading`, or their `dj-loading-class`),
 * removed when the reply has been applied. (`dj-disable-with` is in optimistic.ts.)
 */

/** What to undo when an event's reply arrives. */
export type Undo = () => void;

function classFor(el: Element): string {
  return el.getAttribute("dj-loading-class") || "dj-loading";
}

/** Applies loading state for event `name` fired by `source`; returns how to undo it. */
export function startLoading(root: Element, source: Element, name: string): Undo {
  const touched: [Element, string][] = [[source, classFor(source)]];
  for (const el of root.querySelectorAll("[dj-loading]")) {
    const only = el.getAttribute("dj-loading");
    if (!only || only === name) touched.push([el, classFor(el)]);
  }
  for (const [el, cls] of touched) el.classList.add(cls);
  return () => {
    for (const [el, cls] of touched) el.classList.remove(cls);
  };
}
