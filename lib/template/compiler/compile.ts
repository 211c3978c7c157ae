/**
 * Compiles a node list into one JavaScript function (compile once, render many).
 *
 * Interpreting nodes costs a virtual call per node, a scope-chain walk and a megamorphic property
 * read per variable. A generated function instead inlines loops and conditions, keeps loop
 * variables in JS locals, and reads each member at its own call site, which V8 caches per row
 * shape. Everything user-supplied enters the generated source through `JSON.stringify` or as a
 * constant slot, never as code.
 * @module
 */
import type { Context } from "../context.ts";
import { type NodeList, useNodeListCompiler } from "../nodes.ts";
import { getRuntime } from "./runtime.ts";
import { CodeWriter, NeedsContextMode } from "./writer.ts";

/** A compiled node list. */
export type RenderFunction = (ctx: Context) => string;

const HELPERS =
  "const { M, SB, U, L, LM, E, RV, F, FA, T, LI, UP, NL, SL, SP, NF, PE, VD, TL, FE, SS } = rt;";

/** Emits `nodes` in local mode, or in context mode when some node needs it. */
function generate(nodes: NodeList): CodeWriter {
  const local = new CodeWriter(true);
  try {
    local.nodes(nodes);
    return local;
  } catch (err) {
    if (!(err instanceof NeedsContextMode)) throw err;
  }
  const context = new CodeWriter(false);
  context.nodes(nodes);
  return context;
}

/** Compiles `nodes` to a render function equivalent to interpreting them. */
export function compileNodes(nodes: NodeList): RenderFunction {
  const { source, constants } = generate(nodes).finish();
  const factory = new Function(
    "rt",
    "k",
    `"use strict";\n${HELPERS}\nreturn function render(ctx) {\n${source}\n};`,
  ) as (rt: unknown, k: unknown[]) => RenderFunction;
  return factory(getRuntime(), constants);
}

/** The generated source for `nodes`, and which mode it uses (for debugging and tests). */
export function compiledSource(nodes: NodeList): { localMode: boolean; source: string } {
  const writer = generate(nodes);
  return { localMode: writer.localMode, source: writer.finish().source };
}

// Node lists rendered through renderNodes are compiled from their second render on.
useNodeListCompiler(compileNodes);
