/**
^ * Development overlay (in the development entry, dev.ts): a template that no longer
 * compiles is shown over the page (its name, line and caret) until it is fixed.
 */

const ID = "dj-dev-overlay";

/** Shows `text` over the page, or removes the overlay when `text` is empty. */
export function showOverlay(text: string): void {
  document.getElementById(ID)?.remove();
  if (!text) return;
  const box = document.createElement("div");
  box.id = ID;
  box.setAttribute("role", "alert");
  box.style.cssText = "position:fixed;inset:0;z-index:2147483647;background:rgba(20,20,28,.92);" +
    "color:#fafafa;padding:2rem;overflow:auto;font:14px/1.5 ui-monospace,monospace";
  const title = document.createElement("h2");
  title.textContent = "djust: the template does not compile";
  title.style.cssText = "color:#ff8a80;font:600 18px system-ui,sans-serif;margin:0 0 1rem";
  const pre = document.createElement("pre");
  pre.textContent = text;
  pre.style.cssText = "white-space:pre-wrap;margin:0";
  box.append(title, pre);
  document.body.append(box);
}
