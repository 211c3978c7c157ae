/**
 * Live navigation in the browser (loaded on demand: when the view has `dj-patch` / `dj-navigate`
 * links, when the server first changes the URL, or at start when the history entry is one of
 * ours): links change the URL without a page load; back and forward ask the server for the view
 * and parameters of the URL they land on. Scroll positions are kept in history entries: restored
 * on back, top on forward. (A link clicked before this loads is a plain page load, which works.)
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

let bound = false;

/** Installs the link and history listeners for the view at `root` (once). */
export function bindNavigation(root: Element, visit: Visit): void {
  if (bound) return;
  bound = true;
  document.addEventListener("click", (e) => {
    const m = e as MouseEvent;
    const a = (e.target as Element).closest?.("a[dj-patch], a[dj-navigate]") as
      | HTMLAnchorElement
      | null;
    if (!a || e.defaultPrevented || m.button || m.metaKey || m.ctrlKey || m.shiftKey) return;
    e.preventDefault();
    changeUrl(a.href, a.hasAttribute("dj-replace"));
    // Without a connection the link still works: as a plain page load.
    if (!visit(a.href, a)) location.href = a.href;
  });
  addEventListener("popstate", (e) => {
    if (!visit(location.href, root)) return location.reload();
    const y = (e.state as { djScroll?: number } | null)?.djScroll;
    if (y === undefined) return;
    const restore = () => scrollTo(0, y);
    root.addEventListener("dj:patch", restore, { once: true });
    root.addEventListener("dj:navigated", restore, { once: true });
  });
}
