/** Shared helpers for live-layer unit tests. */
import { signal } from "@preact/signals-core";
import { parseHTML } from "linkedom";
import { Patcher } from "../../client/patch.ts";
import { compileLive, type LiveBlock } from "../../lib/live/regions/compile.ts";
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

/** A live render applied to a DOM (linkedom) with the browser client's own patcher. */
export interface LiveDom {
  /** The view root. */
  root: Element;
  /** Flushes, applies the ops to the DOM and returns them. */
  patch(): PatchOp[];
  /** What the user sees now (anchors and markers removed). */
  visible(): string;
  /** What a fresh render of the current state shows (parsed the same way, so comparable). */
  fresh(): string;
}

/** Renders `template` into a DOM root, so that ops can be applied and compared with fresh renders. */
export function liveDom(template: string, scope: Record<string, unknown>): LiveDom {
  const engine = new Engine();
  const block: LiveBlock = compileLive(engine.fromString(template).nodes);
  const renderer = new LiveRenderer(engine.newContext(scope), () => {});
  const { document } = parseHTML(`<html><body><div id="root"></div></body></html>`);
  const root = document.getElementById("root") as unknown as Element;
  root.innerHTML = renderer.mount(block);
  const patcher = new Patcher(root);
  return {
    root,
    patch() {
      const ops = renderer.flush();
      const missing = patcher.apply(ops);
      if (missing) throw new Error(`missing anchor ${missing} in ${JSON.stringify(ops)}`);
      return ops;
    },
    visible: () => normalised(root),
    fresh() {
      const other = new LiveRenderer(engine.newContext(scope), () => {});
      try {
        const parsed = document.createElement("div");
        parsed.innerHTML = other.mount(block);
        return normalised(parsed);
      } finally {
        other.dispose();
      }
    },
  };
}

/**
 * What the user sees under `root`, comparable across DOMs: anchors and markers removed, attributes
 * in name order (linkedom puts attributes set later first; browsers put them last).
 */
function normalised(root: Element): string {
  const clone = root.cloneNode(true) as Element;
  for (const el of clone.querySelectorAll("*")) {
    const attrs = [...el.attributes].map((a) => [a.name, a.value]).sort((a, b) =>
      a[0] < b[0] ? -1 : 1
    );
    for (const [name] of attrs) el.removeAttribute(name);
    for (const [name, value] of attrs) el.setAttribute(name, value);
  }
  return visible(clone.innerHTML);
}

/** Removes anchors and markers: what the user sees. */
export function visible(html: string): string {
  return html.replace(/ dj="[^"]*"/g, "").replace(/<!--\/?dj:[^>]*-->/g, "");
}
