/**
 * A coarse HTML tree of a template's node list, built at compile time so the live layer knows where
 * each dynamic node sits: in text, inside a start tag, in raw text (textarea, script...), or in a
 * comment; and whether a block tag's bodies are balanced HTML.
 *
 * It models the parts of the HTML parsing algorithm that decide where nodes end up in the browser
 * (void elements, raw text elements, implied end tags, table sections), because anchors must land
 * where the browser puts them. Everything it cannot model is reported as "unbalanced" and handled by
 * re-rendering a larger, safe enclosing element instead.
 * @module
 */
import type { Node } from "../../template/nodes.ts";
import type { TemplateExpander } from "./expand.ts";

/** Template text or a dynamic template node, in source order. */
export type Piece = string | Node;

/** An element of the coarse tree. */
export interface HElement {
  readonly kind: "element";
  /** Lower-case tag name ("" for the root of a node list). */
  readonly name: string;
  /** The start tag from `<` to `>` inclusive, as pieces. */
  readonly open: Piece[];
  /** Children (for raw text elements: one "raw" item). */
  readonly children: HItem[];
  /** The end tag text, or null when implied or missing. */
  close: string | null;
  /** A dynamic node sits inside the start tag. */
  dynamicAttrs: boolean;
  /** This element must be re-rendered whole when anything inside it changes. */
  escalate: boolean;
  readonly parent: HElement | null;
}

/** A dynamic node in text position, with the analysed bodies of its child node lists. */
export interface HDynamic {
  readonly kind: "node";
  readonly node: Node;
  /** One analysed tree per child node list (same order as `node.children`). */
  readonly bodies: HElement[];
}

/** An item of the tree. */
export type HItem =
  | HElement
  | HDynamic
  | { readonly kind: "text"; text: string }
  | { readonly kind: "raw"; readonly pieces: Piece[] };

const VOID = new Set([
  "area",
  "base",
  "br",
  "col",
  "embed",
  "hr",
  "img",
  "input",
  "link",
  "meta",
  "param",
  "source",
  "track",
  "wbr",
]);
const RAW_TEXT = new Set([
  "script",
  "style",
  "textarea",
  "title",
  "xmp",
  "iframe",
  "noembed",
  "noframes",
]);
/** Start tags that close an open `<p>` (HTML's "close a p element" rule). */
const CLOSES_P = new Set([
  "address",
  "article",
  "aside",
  "blockquote",
  "details",
  "dialog",
  "div",
  "dl",
  "fieldset",
  "figcaption",
  "figure",
  "footer",
  "form",
  "h1",
  "h2",
  "h3",
  "h4",
  "h5",
  "h6",
  "header",
  "hgroup",
  "hr",
  "main",
  "menu",
  "nav",
  "ol",
  "p",
  "pre",
  "section",
  "table",
  "ul",
]);
/** Elements whose content the parser rearranges (implied tbody, foster parenting, implied ends). */
export const FRAGILE_PARENTS: ReadonlySet<string> = new Set([
  "p",
  "li",
  "dt",
  "dd",
  "option",
  "optgroup",
  "select",
  "table",
  "caption",
  "colgroup",
  "thead",
  "tbody",
  "tfoot",
  "tr",
  "td",
  "th",
  "ruby",
  "rb",
  "rt",
  "rp",
]);
const TABLE_SECTIONS = new Set(["table", "thead", "tbody", "tfoot", "tr"]);
/** Table cells: a table inside one parses on its own. */
const CELLS = new Set(["td", "th"]);

/** Which open element a new start tag implicitly closes, if any. */
function impliedClose(open: string, next: string): boolean {
  switch (open) {
    case "p":
      return CLOSES_P.has(next);
    case "li":
      return next === "li";
    case "dt":
    case "dd":
      return next === "dt" || next === "dd";
    case "option":
      return next === "option" || next === "optgroup";
    case "tr":
      return next === "tr";
    case "td":
    case "th":
      return next === "td" || next === "th" || next === "tr";
  }
  return false;
}

const enum Mode {
  Data,
  TagOpen,
  TagName,
  Attrs,
  AttrQuoted,
  EndTag,
  Comment,
  Bogus,
  Raw,
}

/** The result of analysing one node list. */
export interface Analysis {
  /** The root pseudo-element holding the list's items. */
  readonly root: HElement;
  /**
   * False when the list's HTML does not close what it opens, closes what it did not open, ends inside
   * a tag, or relies on the parser rearranging it: it cannot be delimited by markers.
   */
  readonly balanced: boolean;
}

/**
 * Analyses `nodes` (a template node list) as HTML appearing inside an element named `parentName`.
 * Static nodes (text, comments, verbatim) are read as HTML text; other nodes are dynamic.
 */
export function analyse(
  nodes: readonly Node[],
  parentName = "div",
  nested = false,
  expander: TemplateExpander | null = null,
): Analysis {
  const root: HElement = newElement("", [], null);
  let balanced = true;
  let current = root;
  let mode = Mode.Data;
  let text = "";
  // The start or end tag being read, and the raw-text/comment pieces being collected.
  let tagPieces: Piece[] = [];
  let tagName = "";
  let quote = "";
  let isEnd = false;
  let rawPieces: Piece[] = [];
  let rawEnd = "";
  // Set while reading a start tag that has a dynamic node in its attributes.
  let pendingDynamicAttrs = false;

  const flushText = (): void => {
    if (text) current.children.push({ kind: "text", text });
    text = "";
  };
  const escalateHere = (): void => {
    escalationTarget(current).escalate = true;
  };

  for (const node of nodes) visit(node);
  // End of list: anything still open or half-read means the list is not self-contained.
  if (mode !== Mode.Data) {
    balanced = false;
    if (mode === Mode.Raw || mode === Mode.Comment || mode === Mode.Bogus) {
      current.children.push({ kind: "raw", pieces: rawPieces });
    } else current.children.push({ kind: "raw", pieces: tagPieces });
  } else flushText();
  if (current !== root) balanced = false;
  return { root, balanced };

  function visit(node: Node): void {
    if (node.isStatic) {
      const s = node.render(undefined as never);
      for (let i = 0; i < s.length; i++) step(s[i]);
      return;
    }
    // In content, an include, a block or an extends whose nodes are known is read as those nodes
    // (see expand.ts); in a tag or in raw text it stays one dynamic node.
    const expansion = mode === Mode.Data ? expander?.expand(node) : null;
    if (!expansion) return dynamic(node);
    expander!.enter(expansion.key);
    try {
      for (const inner of expansion.nodes) visit(inner);
    } finally {
      expander!.leave();
    }
  }

  function dynamic(node: Node): void {
    switch (mode) {
      case Mode.Data: {
        flushText();
        const bodies: HElement[] = [];
        for (const list of node.children) {
          const sub = analyse(list, current.name || parentName, true, expander);
          bodies.push(sub.root);
          if (!sub.balanced) escalateHere();
        }
        // Text in table sections is moved out of the table by the browser ("foster parenting").
        const parent = current.name || parentName;
        if (TABLE_SECTIONS.has(parent) && node.children.length === 0) escalateHere();
        if (parent === "table" && node.children.length) {
          // Rows directly in <table> imply a <tbody>, which splits a loop's markers between the
          // two. The table alone is re-rendered whole (it parses the same on its own: the implied
          // <tbody> comes back), unless its own parent is one the parser rearranges too.
          const table = current;
          const safe = table.name === "table" && table.parent !== null &&
            (!FRAGILE_PARENTS.has(table.parent.name) || CELLS.has(table.parent.name));
          if (safe) table.escalate = true;
          else escalateHere();
        }
        // Content inside <svg> must be parsed as SVG: a patch parsed as HTML would make HTML
        // elements, so the whole <svg> is replaced (its attributes still change in place).
        const svg = svgAncestor(current);
        if (svg) svg.escalate = true;
        current.children.push({ kind: "node", node, bodies });
        return;
      }
      case Mode.Attrs:
      case Mode.AttrQuoted:
        tagPieces.push(node);
        if (isEnd) escalateHere();
        else pendingDynamicAttrs = true;
        for (const list of node.children) if (!attributeSafe(list)) escalateHere();
        return;
      case Mode.Raw:
      case Mode.Comment:
      case Mode.Bogus:
        rawPieces.push(node);
        if (mode === Mode.Raw) current.escalate = true; // the raw-text element itself
        else escalateHere();
        return;
      default:
        // A dynamic tag name: the structure is unknowable; re-render the enclosing element.
        tagPieces.push(node);
        escalateHere();
        balanced = false;
    }
  }

  function step(ch: string): void {
    switch (mode) {
      case Mode.Data:
        if (ch === "<") {
          flushText();
          mode = Mode.TagOpen;
          tagPieces = ["<"];
        } else text += ch;
        return;
      case Mode.TagOpen:
        appendTag(ch);
        if (/[a-zA-Z]/.test(ch)) {
          mode = Mode.TagName;
          isEnd = false;
          tagName = ch.toLowerCase();
        } else if (ch === "/") {
          mode = Mode.EndTag;
          isEnd = true;
          tagName = "";
        } else if (ch === "!" || ch === "?") {
          mode = Mode.Bogus;
          rawPieces = tagPieces;
          tagPieces = [];
        } else {
          mode = Mode.Data;
          text = piecesText(tagPieces);
          tagPieces = [];
        }
        return;
      case Mode.TagName:
        appendTag(ch);
        if (/\s/.test(ch)) mode = Mode.Attrs;
        else if (ch === ">") endOfTag();
        else if (ch !== "/") tagName += ch.toLowerCase();
        return;
      case Mode.EndTag:
        appendTag(ch);
        if (ch === ">") {
          tagName = piecesText(tagPieces).slice(2, -1).trim().split(/\s/)[0].toLowerCase();
          endOfTag();
        }
        return;
      case Mode.Attrs:
        appendTag(ch);
        if (ch === '"' || ch === "'") {
          quote = ch;
          mode = Mode.AttrQuoted;
        } else if (ch === ">") endOfTag();
        return;
      case Mode.AttrQuoted:
        appendTag(ch);
        if (ch === quote) mode = Mode.Attrs;
        return;
      case Mode.Bogus:
      case Mode.Comment:
        appendRaw(ch);
        if (mode === Mode.Bogus && rawText() === "<!--") mode = Mode.Comment;
        else if (
          mode === Mode.Comment ? rawText().endsWith("-->") && rawText().length >= 7 : ch === ">"
        ) {
          current.children.push({ kind: "raw", pieces: rawPieces });
          rawPieces = [];
          mode = Mode.Data;
        }
        return;
      case Mode.Raw:
        appendRaw(ch);
        if (ch === ">") {
          const all = rawText();
          const at = all.toLowerCase().lastIndexOf(rawEnd);
          if (at !== -1 && /^<\/[a-z]+\s*>$/i.test(all.slice(at))) {
            const closeText = all.slice(at);
            // Keep the content (maybe with nodes) apart from the end tag.
            rawPieces = trimTail(rawPieces, closeText.length);
            current.children.push({ kind: "raw", pieces: rawPieces });
            current.close = closeText;
            current = current.parent!;
            rawPieces = [];
            mode = Mode.Data;
          }
        }
        return;
    }
  }

  function appendTag(ch: string): void {
    const last = tagPieces[tagPieces.length - 1];
    if (typeof last === "string") tagPieces[tagPieces.length - 1] = last + ch;
    else tagPieces.push(ch);
  }
  function appendRaw(ch: string): void {
    const last = rawPieces[rawPieces.length - 1];
    if (typeof last === "string") rawPieces[rawPieces.length - 1] = last + ch;
    else rawPieces.push(ch);
  }
  function rawText(): string {
    return piecesText(rawPieces);
  }

  function endOfTag(): void {
    mode = Mode.Data;
    const pieces = tagPieces;
    tagPieces = [];
    const dynamicAttrs = pendingDynamicAttrs;
    pendingDynamicAttrs = false;
    if (isEnd) {
      closeElement(tagName, piecesText(pieces));
      return;
    }
    // Implied end tags: a new <li> closes an open <li>, a <div> closes an open <p>...
    while (current !== root && impliedClose(current.name, tagName)) current = current.parent!;
    if (current === root && impliedClose(parentName, tagName)) balanced = false;
    const el = newElement(tagName, pieces, current);
    el.dynamicAttrs = dynamicAttrs;
    current.children.push(el);
    const selfClosing = piecesText(pieces).endsWith("/>");
    if (VOID.has(tagName) || (selfClosing && !RAW_TEXT.has(tagName))) return;
    current = el;
    if (RAW_TEXT.has(tagName)) {
      mode = Mode.Raw;
      rawEnd = "</" + tagName;
      rawPieces = [];
    }
  }

  function closeElement(name: string, closeText: string): void {
    for (let el: HElement | null = current; el !== null && el !== root; el = el.parent) {
      if (el.name === name) {
        el.close = closeText;
        current = el.parent!;
        return;
      }
    }
    // An end tag with no open element in this list: it closes something outside, or nothing.
    if (nested) balanced = false;
    current.children.push({ kind: "text", text: closeText });
  }
}

function newElement(name: string, open: Piece[], parent: HElement | null): HElement {
  return {
    kind: "element",
    name,
    open,
    children: [],
    close: null,
    dynamicAttrs: false,
    escalate: false,
    parent,
  };
}

/** The element to re-render when something inside `el` cannot be updated on its own. */
export function escalationTarget(el: HElement): HElement {
  let target = el;
  while (target.parent !== null && FRAGILE_PARENTS.has(target.name)) target = target.parent;
  return target;
}

/** The `<svg>` element `el` is inside (or is), unless HTML content starts again in between. */
function svgAncestor(el: HElement): HElement | null {
  for (let e: HElement | null = el; e !== null; e = e.parent) {
    if (e.name === "foreignobject") return null;
    if (e.name === "svg") return e;
  }
  return null;
}

/** Concatenates the text of pieces (dynamic nodes count as nothing). */
export function piecesText(pieces: readonly Piece[]): string {
  let s = "";
  for (const p of pieces) if (typeof p === "string") s += p;
  return s;
}

function trimTail(pieces: Piece[], n: number): Piece[] {
  const out = pieces.slice();
  while (n > 0 && out.length) {
    const last = out[out.length - 1];
    if (typeof last !== "string") break;
    if (last.length <= n) {
      out.pop();
      n -= last.length;
    } else {
      out[out.length - 1] = last.slice(0, last.length - n);
      n = 0;
    }
  }
  return out;
}

/** True when a node list used inside a start tag cannot end the tag (no `<`/`>` outside quotes). */
function attributeSafe(nodes: readonly Node[]): boolean {
  for (const node of nodes) {
    if (node.isStatic) {
      const s = node.render(undefined as never);
      if (s.includes(">") || s.includes("<")) return false;
    }
    for (const list of node.children) if (!attributeSafe(list)) return false;
  }
  return true;
}
