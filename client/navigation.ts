/**
 * Live navigation in the browser (loaded on demand, at the first link click, `nav` message or
 * history step): `dj-patch` / `dj-navigate` links change the URL without a page load; back and
 * forward ask the server for the view and parameters of the URL they land on. Scroll positions are
 * kept in history entries: restored on back, top on forward.
 */

/** Asks the server for `url` (a `navigate` message); false when the socket is not open. */
export type Visit = (url: string, source: Element) => boolean;

/** Adds a history entry for `url` (or replaces the current one), remembering the scroll position. */
export function changeUrl(url: string, replace: boolean): void {
  history.replaceState({ ...history.state, djScroll: scrollY }, "");
  if (replace) history.replaceState({ dj: 1 }, "", url);
  else history.pushState({ dj: 1 }, "", url);
  scrollTo(0, 0);
}

/** A `dj-patch` / `dj-navigate` link was clicked (its default action already prevented). */
export function follow(a: HTMLAnchorElement, visit: Visit): void {
  changeUrl(a.href, a.hasAttribute("dj-replace"));
  // Without a connection the link still works: as a plain page load.
  if (!visit(a.href, a)) location.href = a.href;
}

/** Back or forward landed on `state`'s entry: ask for it, then restore its scroll position. */
export function popped(root: Element, state: unknown, visit: Visit): void {
  if (!visit(location.href, root)) return location.reload();
  const y = (state as { djScroll?: number } | null)?.djScroll;
  if (y === undefined) return;
  const restore = () => scrollTo(0, y);
  root.addEventListener("dj:patch", restore, { once: true });
  root.addEventListener("dj:navigated", restore, { once: true });
}
