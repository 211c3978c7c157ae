/**
 * The development entry (pages of an App in development load it beside the client): shows the
 * overlay the server sends when a template stops compiling. The core client dispatches every server
 * message on the view root as a `dj:<type>` event, so this needs nothing from it.
 */
import { showOverlay } from "./dev_overlay.ts";

// The view root's attribute (ROOT_ATTR in lib/live/protocol.ts; importing it would make esbuild
// split a chunk that every page then loads).
document.querySelector("[dj-root]")?.addEventListener("dj:overlay", (e) => {
  showOverlay((e as CustomEvent<{ text: string }>).detail.text);
});
