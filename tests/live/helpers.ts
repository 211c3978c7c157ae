/** Shared helpers for live-layer unit tests. */
import { signal } from "@preact/signals-core";
import { compileLive } from "../../lib/live/regions/compile.ts";
import type { PatchOp } from "../../lib/live/protocol.ts";
import { LiveRenderer } from "../../lib/live/regions/renderer.ts";
import { Engine } from "../../lib/template/engine.ts";

export { signal };

/** Renders `template` with `scope` (signals) and returns the renderer and its first HTML. */
export function live(template: string, scope: Record<string, unknown>): {
  renderer: LiveRenderer;
  html: string;
  flush: () => PatchOp[];
} {
  const engine = new Engine();
  const renderer = new LiveRenderer(engine.newContext(scope), () => {});
  const html = renderer.mount(compileLive(engine.fromString(template).nodes));
  return { renderer, html, flush: () => renderer.flush() };
}

/** Removes anchors and markers: what the user sees. */
export function visible(html: string): string {
  return html.replace(/ dj="[^"]*"/g, "").replace(/<!--\/?dj:[^>]*-->/g, "");
}
