/**
 * Flash messages in the layout's `[dj-flash]` element (loaded on demand): one `<p>` per kind,
 * replaced or removed as the server says. The markup matches what the layout renders for flash
 * messages on a page load.
 */

/** Shows `message` as the flash of `kind` in `box` (an empty message removes it). */
export function showFlash(box: Element, kind: string, message: string): void {
  for (const old of box.querySelectorAll("[data-kind]")) {
    if (old.getAttribute("data-kind") === kind) old.remove();
  }
  if (!message) return;
  const p = box.ownerDocument.createElement("p");
  p.className = `dj-flash dj-flash-${kind}`;
  p.setAttribute("data-kind", kind);
  p.setAttribute("role", "alert");
  p.textContent = message;
  box.append(p);
}
