/**
 * The attribute section of a start tag, split for attribute regions: static attributes, constants
 * (rendered once) and dynamic groups (re-rendered), in source order.
 * @module
 */
import { type Node, type NodeList, TextNode } from "../../template/nodes.ts";
import { type HElement, type Piece, piecesText } from "./html_tree.ts";

/**
 * A piece of an attribute section: static text, a node rendered with the block (constant), or the
 * index of a dynamic attribute group.
 */
export type AttrPiece = string | Node | number;

/** A start tag's attributes after its name, split into static, constant and dynamic groups. */
export interface AttributeSection {
  readonly section: AttrPiece[];
  readonly groups: NodeList[];
  readonly single: string | null;
  /** `>` or `/>`. */
  readonly closer: string;
}

const WS = /\s/;
const NAMED_VALUE_RE = /^([^\s"'=<>`/]+)\s*=\s*(["'])/;

/**
 * Splits the attribute section of `el` at unquoted whitespace into groups (one attribute each, or
 * what one tag in name position prints). Groups without nodes stay static text, groups whose nodes
 * are all constant are rendered with the block, and the rest are the dynamic groups an attrs region
 * re-renders: static attributes cost nothing after the first render.
 */
export function attributeSection(
  el: HElement,
  isConstant: (node: Node) => boolean,
): AttributeSection {
  const first = el.open[0] as string;
  const rest: Piece[] = [first.slice(1 + el.name.length), ...el.open.slice(1)];
  const last = rest[rest.length - 1] as string;
  const closer = last.endsWith("/>") ? "/>" : ">";
  rest[rest.length - 1] = last.slice(0, last.length - closer.length);
  // One character or one node per entry: groups are found with plain lookahead.
  const flat: Piece[] = [];
  for (const p of rest) {
    if (typeof p === "string") { for (const ch of p) flat.push(ch); }
    else flat.push(p);
  }
  const section: AttrPiece[] = [];
  const groups: NodeList[] = [];
  /** Names of the attributes outside the dynamic groups; null when one cannot be known. */
  let fixedNames: Set<string> | null = new Set();
  let single: string | null = null;
  const text = (s: string) => {
    if (typeof section[section.length - 1] === "string") section[section.length - 1] += s;
    else section.push(s);
  };
  let i = 0;
  while (i < flat.length) {
    let ws = "";
    while (i < flat.length && typeof flat[i] === "string" && WS.test(flat[i] as string)) {
      ws += flat[i++];
    }
    text(ws);
    if (i >= flat.length) break;
    const group: Piece[] = [];
    let quote = "";
    for (; i < flat.length; i++) {
      const x = flat[i];
      if (typeof x !== "string") group.push(x);
      else if (quote) {
        if (x === quote) quote = "";
        appendText(group, x);
      } else if (x === '"' || x === "'") {
        quote = x;
        appendText(group, x);
      } else if (WS.test(x)) {
        // Whitespace around `=` belongs to the attribute (`a = "b"`).
        let j = i;
        while (j < flat.length && typeof flat[j] === "string" && WS.test(flat[j] as string)) j++;
        const before = group.length ? group[group.length - 1] : "";
        if (flat[j] !== "=" && !(typeof before === "string" && before.trimEnd().endsWith("="))) {
          break;
        }
        appendText(group, x);
      } else appendText(group, x);
    }
    const nodes = group.filter((p): p is Node => typeof p !== "string");
    const head = typeof group[0] === "string" ? group[0] : "";
    const name = /^[^\s"'=<>`/]+/.exec(head)?.[0].toLowerCase() ?? null;
    if (nodes.length === 0 || nodes.every(isConstant)) {
      for (const p of group) {
        if (typeof p === "string") text(p);
        else section.push(p);
      }
      if (name === null) fixedNames = null;
      else fixedNames?.add(name);
      continue;
    }
    const at = groups.length;
    const named = NAMED_VALUE_RE.exec(head);
    const tail = group[group.length - 1];
    if (
      named && typeof tail === "string" && tail.endsWith(named[2]) &&
      !piecesText(group).slice(named[0].length, -1).includes(named[2])
    ) {
      // name="…": the section keeps `name="` and `"`, the group prints the value alone.
      text(named[0]);
      section.push(at);
      text(named[2]);
      groups.push(
        nodeList([head.slice(named[0].length), ...group.slice(1, -1), tail.slice(0, -1)]),
      );
      if (at === 0) single = named[1].toLowerCase();
    } else {
      section.push(at);
      groups.push(nodeList(group));
    }
  }
  const safe = groups.length === 1 && single !== null && fixedNames !== null &&
    !fixedNames.has(single);
  return { section, groups, single: safe ? single : null, closer };
}

function appendText(pieces: Piece[], s: string): void {
  const last = pieces.length - 1;
  if (last >= 0 && typeof pieces[last] === "string") pieces[last] += s;
  else pieces.push(s);
}

/** Pieces as a node list (text as TextNodes): one stable list, compiled to JS after two renders. */
export function nodeList(pieces: readonly Piece[]): NodeList {
  const out: Node[] = [];
  for (const p of pieces) {
    if (typeof p !== "string") out.push(p);
    else if (p) out.push(new TextNode(p));
  }
  return out;
}
