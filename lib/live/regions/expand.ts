/**
 * Template structure a live view patches in parts instead of re-rendering whole.
 *
 * `{% extends %}`, `{% block %}` and `{% include %}` render other node lists. Left as nodes, each
 * is one region: any change inside a page built on a base template would re-render the page, and
 * an included form would be replaced (with its focus and a click in progress) when one line of it
 * changed. Where the structure is known when the live template compiles, the live compiler reads
 * the nodes they stand for instead, so their `{{ }}`, `{% if %}` and `{% for %}` become regions of
 * their own:
 *
 * - `{% extends "base.html" %}` (a literal name): the root template of the chain, each block
 *   replaced by its most derived body, as Django resolves them;
 * - `{% block %}` outside a chain: its body;
 * - `{% include "x.html" %}` (a literal name, not `only`): the template's nodes (themselves
 *   expanded in turn), inside a scope of their own when the include has `with` values;
 * - `{% with %}`: its body inside a scope of its own (scope_node.ts).
 *
 * What cannot be expanded exactly stays a node rendered whole, as before: a name from a variable,
 * `{{ block.super }}` or any other use of the `block` variable in a chain, a block inside another
 * tag of a chain (`{% if %}{% block %}`), an `only` include, a missing template (its error comes
 * at render time, with its position), or an include of a template already being expanded.
 * A block or include whose template has a tag assigning a variable (`{% url … as x %}`) is a
 * scope of its own, so the variable ends with it, as in Django.
 * @module
 */
import type { Node, NodeList, TemplateOrigin } from "../../template/nodes.ts";
import { relativeTemplateName } from "../../template/loader.ts";
import { SafeString } from "../../template/safe.ts";
import { BlockNode, ExtendsNode, IncludeNode } from "../../template/tags/inheritance.ts";
import type { LoadedTemplate, TemplateSource } from "../../template/tags/registry.ts";
import type { FilterExpression } from "../../template/expression.ts";
import { WithNode } from "../../template/tags/control.ts";
import { ScopeNode } from "./scope_node.ts";

/** What the analysis reads instead of a node, and the template it comes from. */
export interface Expansion {
  readonly nodes: readonly Node[];
  /** The template expanded (its path): an include of it inside itself is not expanded again. */
  readonly key: string;
}

/** Deepest nesting of expanded templates (a guard; real templates stay far below). */
const MAX_DEPTH = 32;

/** Expands nodes for one compilation (see the module documentation). */
export class TemplateExpander {
  readonly #templates: TemplateSource;
  /** Templates being expanded, outermost first. */
  readonly #open: string[] = [];

  constructor(templates: TemplateSource) {
    this.#templates = templates;
  }

  /** The nodes to read instead of `node`, or null to keep it. */
  expand(node: Node): Expansion | null {
    if (this.#open.length >= MAX_DEPTH) return null;
    let expansion: Expansion | null = null;
    try {
      if (node instanceof ExtendsNode) expansion = this.#extends(node);
      else if (node instanceof IncludeNode) expansion = this.#include(node);
      else if (node instanceof BlockNode) expansion = this.#block(node);
      else if (node instanceof WithNode) expansion = this.#with(node);
    } catch {
      return null; // a template that does not load or parse: the node reports it when rendered
    }
    if (expansion === null || this.#open.includes(expansion.key)) return null;
    return expansion;
  }

  /** Marks `key` as being expanded until {@link leave}. */
  enter(key: string): void {
    this.#open.push(key);
  }

  leave(): void {
    this.#open.pop();
  }

  #block(node: BlockNode): Expansion | null {
    if (usesBlockVariable(node.origin)) return null;
    const key = `block:${node.origin?.path ?? ""}:${node.name}`;
    // A block is a scope in Django: what its tags assign ends with it.
    if (assignsVariables(node.origin)) return { nodes: [scopeOf(node, NO_VALUES, node.body)], key };
    return { nodes: node.body, key };
  }

  #include(node: IncludeNode): Expansion | null {
    if (node.only) return null;
    let name = literalName(node.template);
    if (name === null || name === "") return null;
    if (name.startsWith(".")) name = relativeTemplateName(node.origin?.name ?? "<string>", name);
    const template = this.#templates.getTemplate(name);
    // `with name=value`, or tags that assign variables (which must not outlive the include, as
    // Django pops them with its context): a scope of its own around the template's nodes.
    if (node.values.size === 0 && !assignsVariables(originOf(template.nodes))) {
      return { nodes: template.nodes, key: template.path };
    }
    return { nodes: [scopeOf(node, node.values, template.nodes)], key: template.path };
  }

  #with(node: WithNode): Expansion {
    return { nodes: [scopeOf(node, node.values, node.body)], key: `with:${++withKeys}` };
  }

  /** The chain's root template with every block replaced by its most derived body. */
  #extends(node: ExtendsNode): Expansion | null {
    // The chain, child first, as ExtendsNode resolves it (skipping templates already in it).
    const chain: { origin: TemplateOrigin | null; extending: ExtendsNode | null }[] = [];
    const history = new Set<string>(node.origin ? [node.origin.path] : []);
    let extending: ExtendsNode | null = node;
    let origin = node.origin;
    let root: LoadedTemplate | null = null;
    while (extending !== null) {
      chain.push({ origin, extending });
      const name = literalName(extending.parent);
      if (name === null || name === "") return null;
      const parent = this.#templates.findTemplate(name, history);
      history.add(parent.path);
      extending = firstExtends(parent.nodes);
      origin = extending?.origin ?? null;
      if (extending === null) root = parent;
      if (chain.length > MAX_DEPTH) return null;
    }
    const rootNodes = root!.nodes;
    // Every template of the chain must keep its blocks where they can be replaced in place, and
    // none may read `block` (`{{ block.super }}` renders the parent's body through it).
    const rootOrigin = rootNodes.find((n) => n.origin !== null)?.origin ?? null;
    if (!blocksInPlace(rootNodes) || usesBlockVariable(rootOrigin)) return null;
    for (const link of chain) {
      if (!blocksInPlace(link.extending!.body) || usesBlockVariable(link.origin)) return null;
    }
    // The most derived definition of each block: the root's first, then each child's over it.
    const chosen = new Map<string, BlockNode>();
    collectBlocks(rootNodes, chosen);
    for (let i = chain.length - 1; i >= 0; i--) collectBlocks(chain[i].extending!.body, chosen);
    // Blocks are scopes in Django: where a template of the chain assigns variables with tags,
    // each block's body gets a scope of its own, so what it assigns ends with it.
    const scoped = assignsVariables(rootOrigin) ||
      chain.some((link) => assignsVariables(link.origin));
    return { nodes: substitute(rootNodes, chosen, scoped), key: root!.path };
  }
}

let withKeys = 0;
// One scope node per tag and body, so compiled node lists stay the same objects.
const scopes = new WeakMap<Node, WeakMap<NodeList, ScopeNode>>();

/** The scope node standing for `node` (a with, or an include with values) around `body`. */
function scopeOf(
  node: Node,
  values: ReadonlyMap<string, FilterExpression>,
  body: NodeList,
): ScopeNode {
  let byBody = scopes.get(node);
  if (!byBody) scopes.set(node, byBody = new WeakMap());
  let scope = byBody.get(body);
  if (!scope) byBody.set(body, scope = new ScopeNode(values, body, node));
  return scope;
}

/** The template name a filter-free literal gives, or null (a variable, a filter, a number). */
function literalName(expression: FilterExpression): string | null {
  const v = expression.variable;
  if (expression.filters.length || v.lookups !== null || v.translate) return null;
  const literal = v.literal;
  return literal instanceof SafeString
    ? literal.value
    : typeof literal === "string"
    ? literal
    : null;
}

/** The template's `{% extends %}` (its first non-text node), or null for a root template. */
function firstExtends(nodes: NodeList): ExtendsNode | null {
  for (const node of nodes) {
    if (node.isStatic) continue;
    return node instanceof ExtendsNode ? node : null;
  }
  return null;
}

/** Every block of `nodes` (at any depth) into `out`, replacing earlier ones of the same name. */
function collectBlocks(nodes: NodeList, out: Map<string, BlockNode>): void {
  for (const node of nodes) {
    if (node instanceof BlockNode) out.set(node.name, node);
    for (const list of node.children) collectBlocks(list, out);
  }
}

/** True when `nodes` holds a block at any depth. */
function hasBlock(nodes: NodeList): boolean {
  for (const node of nodes) {
    if (node instanceof BlockNode) return true;
    for (const list of node.children) if (hasBlock(list)) return true;
  }
  return false;
}

/** True when every block of `nodes` sits in the list itself or in another block's body. */
function blocksInPlace(nodes: NodeList): boolean {
  for (const node of nodes) {
    if (node instanceof BlockNode) {
      if (!blocksInPlace(node.body)) return false;
    } else {
      for (const list of node.children) if (hasBlock(list)) return false;
    }
  }
  return true;
}

/**
 * `nodes` with each block replaced by the chosen body, itself substituted; with `scoped`, each
 * body inside a scope of its own.
 */
function substitute(nodes: NodeList, chosen: Map<string, BlockNode>, scoped: boolean): Node[] {
  const out: Node[] = [];
  for (const node of nodes) {
    if (!(node instanceof BlockNode)) {
      out.push(node);
      continue;
    }
    const block = chosen.get(node.name)!;
    const body = substitute(block.body, chosen, scoped);
    if (scoped) out.push(new ScopeNode(NO_VALUES, body, block));
    else out.push(...body);
  }
  return out;
}

/** A scope that binds nothing: it only keeps what its body assigns inside it. */
const NO_VALUES: ReadonlyMap<string, FilterExpression> = new Map();

/** The origin of a node list's template (its first node that has one). */
function originOf(nodes: NodeList): TemplateOrigin | null {
  return nodes.find((n) => n.origin !== null)?.origin ?? null;
}

// The tags of a template (`{{ … }}` and `{% … %}`), and quoted text inside one, which names no
// variable (`{% include "blocks/x.html" %}`).
const TAG_RE = /\{\{[\s\S]*?\}\}|\{%[\s\S]*?%\}/g;
const QUOTED_RE = /"[^"]*"|'[^']*'/g;

/**
 * True when some tag of the template of `origin`, its quoted text blanked, passes `test`; answers
 * are kept per template in `cache`. An unknown origin: assume one does.
 */
function someTag(
  origin: TemplateOrigin | null,
  cache: WeakMap<TemplateOrigin, boolean>,
  test: (tag: string) => boolean,
): boolean {
  if (origin === null) return true;
  let found = cache.get(origin);
  if (found === undefined) {
    found = (origin.source.match(TAG_RE) ?? []).some((tag) => test(tag.replace(QUOTED_RE, '""')));
    cache.set(origin, found);
  }
  return found;
}

// The `block` variable in a tag other than block/endblock (`{{ block.super }}`, `{% if block.super %}`).
const BLOCK_TAG_RE = /^\{%-?\s*(?:end)?block\b/;
const BLOCK_WORD_RE = /\bblock\b/;
const blockVariableCache = new WeakMap<TemplateOrigin, boolean>();

/** True when the template of `origin` mentions the `block` variable. */
function usesBlockVariable(origin: TemplateOrigin | null): boolean {
  return someTag(
    origin,
    blockVariableCache,
    (tag) => !BLOCK_TAG_RE.test(tag) && BLOCK_WORD_RE.test(tag),
  );
}

// A tag assigning a variable: `{% url … as x %}`, `{% firstof … as x %}`, `{% cycle … as x %}`,
// `{% regroup … as x %}`, `{% trans … as x %}`, `{% blocktrans asvar x %}`… (not the old
// `{% with a as b %}`, which is a scope already).
const ASSIGN_RE = /\s(?:as|asvar)\s+[A-Za-z_]\w*/;
const WITH_TAG_RE = /^\{%-?\s*with\b/;
const assignsCache = new WeakMap<TemplateOrigin, boolean>();

/** True when the template of `origin` has a tag that assigns a variable. */
function assignsVariables(origin: TemplateOrigin | null): boolean {
  return someTag(
    origin,
    assignsCache,
    (tag) => tag.startsWith("{%") && !WITH_TAG_RE.test(tag) && ASSIGN_RE.test(tag),
  );
}
