/**
 * Applies patch ops to the DOM. Every op names an anchor the server wrote: an element with a `dj`
 * attribute, or a pair of `<!--dj:ID-->`/`<!--/dj:ID-->` comments. Nothing is found by position.
 */
import {
  ANCHOR_ATTR as ANCHOR,
  MARKER_CLOSE as CLOSE,
  MARKER_OPEN as OPEN,
  type PatchOp,
  UPDATE_ATTR,
} from "../lib/live/protocol.ts";

/** Elements whose children client code owns after the first render. */
const IGNORED = `[${UPDATE_ATTR}="ignore"][id]`;

/** Where an anchor lives: an element (its content), or a comment range. */
type Anchor = Element | [Comment, Comment];

/** Parses HTML into a fragment; `<template>` accepts table rows and cells without context. */
export function fragment(doc: Document, html: string): DocumentFragment {
  const t = doc.createElement("template");
  t.innerHTML = html;
  return t.content;
}

/** NodeFilter.SHOW_ELEMENT | SHOW_COMMENT, spelled out so the patcher also runs on server DOMs. */
const SHOW_ANCHORS = 129;

/** Thrown when an op names an anchor the page does not have (`apply` turns it into its result). */
class MissingAnchor extends Error {}

/**
 * Applies ops to one view root. It uses only DOM APIs that linkedom also implements, so the test
 * toolkit applies patches with this same code.
 *
 * Anchors are found through one map (id → element or opening marker), filled by one walk over the
 * view and then by walks over only what the patcher inserts: an op costs the same on a 10-row and a
 * 1000-row page, also on linkedom, whose selectors scan the whole document.
 */
export class Patcher {
  /** Stream handling, once its chunk is in (client/streams.ts; the toolkit sets it at once). */
  streams: typeof import("./streams.ts") | null = null;
  #anchors = new Map<string, Node>();
  /** Past this size the index holds mostly removed nodes: it is dropped and rebuilt. */
  #cap = 0;

  constructor(readonly root: Element) {}

  /**
   * Applies `ops` in order, keeping focus, caret and the value being typed. Returns the id of an
   * anchor the page does not have (the rest of the ops are not applied; ask for a resync), or null.
   */
  apply(ops: PatchOp[]): string | null {
    const keep = saveFocus(this.root);
    try {
      for (const op of ops) this.#apply(op);
      return null;
    } catch (err) {
      if (err instanceof MissingAnchor) return err.message;
      throw err;
    } finally {
      restoreFocus(this.root, keep);
    }
  }

  /** Replaces the whole view content (join, resync, reset), keeping focus where possible. */
  replaceAll(html: string): void {
    const keep = saveFocus(this.root);
    // The new content is indexed as it is parsed; entries of the old one fail `contains`.
    this.root.replaceChildren(this.#parse(html, this.root));
    restoreFocus(this.root, keep);
  }

  /**
   * Parses `html` to replace content inside `old`, and indexes its anchors. Children of
   * `dj-update="ignore"` elements (with an id) are carried over from `old`, so what client code put
   * there survives.
   */
  #parse(html: string, old: ParentNode | null): DocumentFragment {
    const content = fragment(this.root.ownerDocument, html);
    if (old) this.streams?.carryStreams(content, old);
    const kept = old?.querySelectorAll(IGNORED);
    if (kept?.length) {
      for (const el of content.querySelectorAll(IGNORED)) {
        for (const k of kept) if (k.id === el.id) el.replaceChildren(...k.childNodes);
      }
    }
    this.#index(content);
    if (this.#anchors.size > this.#cap) this.#anchors.clear();
    return content;
  }

  #apply(op: PatchOp): void {
    switch (op.op) {
      case "text":
        return this.#setContent(this.#find(op.id), this.root.ownerDocument.createTextNode(op.text));
      case "html": {
        const anchor = this.#find(op.id);
        const old = Array.isArray(anchor) ? anchor[0].parentNode : anchor;
        return this.#setContent(anchor, this.#parse(op.html, old));
      }
      case "attrs":
        return setAttributes(this.#element(op.id), op.set, op.remove);
      case "replace": {
        const el = this.#element(op.id);
        return el.replaceWith(this.#parse(op.html, el.parentNode));
      }
      case "insert":
        return this.#insert(this.#find(op.id), this.#parse(op.html, null), op.before);
      case "remove":
        for (const n of this.#rangeNodes(op.id)) n.parentNode?.removeChild(n);
        return;
      case "stream":
        // Without the chunk (a view just navigated to), ask for a render, which keeps the items.
        if (!this.streams) throw new MissingAnchor(op.id);
        return this.streams.applyStream(this.#element(op.id), op, (h) => this.#parse(h, null));
      case "move": {
        const moving = this.root.ownerDocument.createDocumentFragment();
        moving.append(...this.#rangeNodes(op.id));
        return this.#insert(this.#find(op.list), moving, op.before);
      }
    }
  }

  #insert(list: Anchor, nodes: Node, before: string | null): void {
    if (before !== null) {
      const [start] = this.#range(before);
      start.parentNode!.insertBefore(nodes, start);
    } else if (Array.isArray(list)) list[1].parentNode!.insertBefore(nodes, list[1]);
    else list.appendChild(nodes);
  }

  #setContent(anchor: Anchor, content: Node): void {
    if (!Array.isArray(anchor)) return anchor.replaceChildren(content);
    const [start, end] = anchor;
    while (start.nextSibling && start.nextSibling !== end) start.nextSibling.remove();
    end.parentNode!.insertBefore(content, end);
  }

  /** The element or marker range of anchor `id`. */
  #find(id: string): Anchor {
    let node = this.#anchors.get(id);
    if (!node?.isConnected) {
      // Not indexed, or gone from the view (replaced, or changed by client code): walk it all.
      this.#anchors.clear();
      this.#index(this.root);
      this.#cap = 3 * this.#anchors.size;
      node = this.#anchors.get(id);
      if (!node) throw new MissingAnchor(id);
    }
    if (node.nodeType !== 8) return node as Element;
    const closing = CLOSE + id;
    for (let n = node.nextSibling; n; n = n.nextSibling) {
      if (n.nodeType === 8 && (n as Comment).data === closing) {
        return [node as Comment, n as Comment];
      }
    }
    throw new MissingAnchor(id);
  }

  #element(id: string): Element {
    const anchor = this.#find(id);
    if (Array.isArray(anchor)) throw new MissingAnchor(id);
    return anchor;
  }

  #range(id: string): [Comment, Comment] {
    const anchor = this.#find(id);
    if (!Array.isArray(anchor)) throw new MissingAnchor(id);
    return anchor;
  }

  /** The nodes of a range, markers included. */
  #rangeNodes(id: string): Node[] {
    const [start, end] = this.#range(id);
    const nodes: Node[] = [];
    for (let n: Node | null = start; n; n = n.nextSibling) {
      nodes.push(n);
      if (n === end) break;
    }
    return nodes;
  }

  /** Adds the anchors under `node` (elements with a `dj` id, opening markers) to the index. */
  #index(node: Node): void {
    const walker = this.root.ownerDocument.createTreeWalker(node, SHOW_ANCHORS);
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      const id = n.nodeType === 8
        ? ((n as Comment).data.startsWith(OPEN) ? (n as Comment).data.slice(OPEN.length) : "")
        : (n as Element).getAttribute(ANCHOR);
      if (id) this.#anchors.set(id, n);
    }
  }
}

function setAttributes(el: Element, set?: Record<string, string>, remove?: string[]): void {
  const focused = el === el.ownerDocument.activeElement;
  for (const name in set) {
    el.setAttribute(name, set[name]);
    // Attributes are defaults; the live properties are what the user sees. The focused field's
    // value belongs to the user until it loses focus.
    if (name === "value" && !focused) (el as HTMLInputElement).value = set[name];
    if (name === "checked") (el as HTMLInputElement).checked = true;
    if (name === "selected") (el as HTMLOptionElement).selected = true;
  }
  for (const name of remove ?? []) {
    el.removeAttribute(name);
    if (name === "checked") (el as HTMLInputElement).checked = false;
    if (name === "selected") (el as HTMLOptionElement).selected = false;
    if (name === "value" && !focused) (el as HTMLInputElement).value = "";
  }
}

interface FocusState {
  el: HTMLInputElement;
  key: string | null;
  value: string;
  start: number | null;
  end: number | null;
}

/** Quotes a value for an attribute selector. */
function quote(value: string): string {
  return `"${value.replace(/["\\]/g, "\\$&")}"`;
}

function focusKey(el: Element): string | null {
  if (el.id) return `[id=${quote(el.id)}]`;
  const name = el.getAttribute("name");
  if (name) return `${el.tagName.toLowerCase()}[name=${quote(name)}]`;
  const anchor = el.getAttribute(ANCHOR);
  return anchor ? `[${ANCHOR}="${anchor}"]` : null;
}

function saveFocus(root: Element): FocusState | null {
  const el = root.ownerDocument.activeElement as HTMLInputElement | null;
  if (!el || !root.contains(el) || !("value" in el)) return null;
  let start: number | null = null, end: number | null = null;
  try {
    start = el.selectionStart;
    end = el.selectionEnd;
  } catch {
    // inputs like type=number have no selection
  }
  return { el, key: focusKey(el), value: el.value, start, end };
}

function restoreFocus(root: Element, state: FocusState | null): void {
  if (!state) return;
  let el = state.el;
  if (!el.isConnected) {
    if (!state.key) return;
    const found = root.querySelector(state.key) as HTMLInputElement | null;
    if (!found) return;
    el = found;
    el.value = state.value;
  }
  if (root.ownerDocument.activeElement !== el) el.focus();
  try {
    if (state.start !== null) el.setSelectionRange(state.start, state.end);
  } catch {
    // not all inputs support selection
  }
}
