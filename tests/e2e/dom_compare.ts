/**
 * The consistency invariant's comparison: the browser's DOM under the view root against the
 * browser's own parse of a fresh server render, anchors, markers and client-owned state (loading
 * classes, upload previews) left out.
 */
import type { Page } from "playwright-core";

/** Compares the live DOM with the browser's parse of `fresh`; returns null when equal. */
export function compareInPage(page: Page, fresh: string): Promise<string | null> {
  return page.evaluate((html) => {
    const normalise = (root: Element) => {
      const clone = root.cloneNode(true) as Element;
      const walker = document.createTreeWalker(clone, NodeFilter.SHOW_ALL);
      const drop: Node[] = [];
      for (let n = walker.nextNode(); n; n = walker.nextNode()) {
        if (n.nodeType === 8 && /^\/?dj:/.test((n as Comment).data)) drop.push(n);
        if (n.nodeType === 1) {
          (n as Element).removeAttribute("dj");
          (n as Element).removeAttribute("data-pick");
          (n as Element).classList.remove("dj-loading");
          // The client owns the preview of a chosen file (an object URL).
          if ((n as Element).hasAttribute("dj-preview")) (n as Element).removeAttribute("src");
          if ((n as Element).getAttribute("class") === "") (n as Element).removeAttribute("class");
        }
      }
      for (const n of drop) n.parentNode!.removeChild(n);
      return clone.innerHTML;
    };
    const live = document.querySelector("[dj-root]")!;
    const expected = document.createElement("div");
    expected.innerHTML = html;
    const a = normalise(live), b = normalise(expected);
    if (a === b) return null;
    let i = 0;
    while (i < a.length && a[i] === b[i]) i++;
    return `live:  …${a.slice(Math.max(0, i - 80), i + 120)}\nfresh: …${
      b.slice(Math.max(0, i - 80), i + 120)
    }`;
  }, fresh);
}
