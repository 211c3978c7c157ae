/**
 * Streams in the browser (loaded on demand, when the view has a `dj-update="stream"` element): the
 * element's children are items the server sent and forgot. A `stream` op changes them; a render
 * that replaces the element (a rejoin, a resync, a parent re-rendered) keeps them, and only adds or
 * replaces the items it brings. Items are found by their DOM id among the element's children.
 */
import type { PatchOp } from "../lib/live/protocol.ts";

type StreamOp = Extract<PatchOp, { op: "stream" }>;

/** The child of `el` with DOM id `id`. */
function child(el: Element, id: string): Element | undefined {
  for (const c of el.children) if (c.id === id) return c;
}

/** Puts `item` in `el`: in place of the child with its id, else before the `at`th child. */
function upsert(el: Element, item: Element, at: number): void {
  const old = child(el, item.id);
  if (old) old.replaceWith(item);
  else el.insertBefore(item, at < 0 ? null : el.children[at] ?? null);
}

/** Applies a `stream` op to its element; `parse` turns an item's HTML into nodes. */
export function applyStream(el: Element, op: StreamOp, parse: (html: string) => Node): void {
  if (op.reset) el.replaceChildren();
  for (const change of op.changes) {
    if (typeof change === "string") child(el, change)?.remove();
    else {
      const item = (parse(change[2]) as ParentNode).firstElementChild;
      if (item) upsert(el, item, change[1]);
    }
  }
  const limit = op.limit, items = [...el.children];
  if (limit! < 0) items.slice(0, limit).forEach((c) => c.remove());
  else if (limit! > 0) items.slice(limit).forEach((c) => c.remove());
}

/**
 * For each stream element in `content` (about to replace part of the page) with the id of one in
 * `old`: the old items stay, and the new content's items are added or replace theirs.
 */
export function carryStreams(content: ParentNode, old: ParentNode): void {
  for (const el of content.querySelectorAll('[dj-update="stream"][id]')) {
    for (const prev of old.querySelectorAll('[dj-update="stream"][id]')) {
      if (prev.id !== el.id) continue;
      const brought = [...el.children];
      el.replaceChildren(...prev.childNodes);
      for (const item of brought) upsert(el, item, -1);
    }
  }
}
