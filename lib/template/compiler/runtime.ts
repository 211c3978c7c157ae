/**
 * The helpers that compiled templates call. Generated code receives them as one object and binds
 * each to a short local name, so a template's code stays small and its calls monomorphic.
 *
 * Every helper here repeats, for one case, exactly what the node interpreter does (nodes.ts,
 * expression.ts, tags/control.ts); the conformance suite renders every case both ways.
 * @module
 */
import { type Context, newFrame } from "../context.ts";
import {
  type AppliedFilter,
  applyFilterTo,
  callInTemplate,
  filterArgMissing,
  lookup,
} from "../expression.ts";
import { renderValue } from "../nodes.ts";
import { escapeHtml } from "../safe.ts";
import { type ForLoopInfo, newLoop, setLoop } from "../tags/control.ts";
import { isSignal, MISSING, toIterableList, truthy } from "../values.ts";

/** Reads a signal (and a signal holding a signal) the way a template lookup does. */
function unwrap(v: unknown): unknown {
  while (isSignal(v)) v = v.value;
  return v;
}

/** What a lookup does with a found member that is a signal or a callable. */
function resolveMember(member: unknown, owner: unknown): unknown {
  while (isSignal(member)) member = member.value;
  return typeof member === "function" ? callInTemplate(member, owner) : member;
}

/** The list a `{% for %}` iterates, as ForNode.items computes it. */
function loopItems(value: unknown, reversed: boolean): unknown[] {
  const list = value === null || value === undefined ? [] : toIterableList(value) ?? [];
  return reversed ? [...list].reverse() : list;
}

/** Splits a loop item for `{% for a, b in ... %}`, as ForNode.bind does. */
function unpack(item: unknown, count: number): unknown[] {
  const parts = toIterableList(item) ?? [item];
  if (parts.length !== count) {
    throw new Error(`Need ${count} values to unpack in for loop; got ${parts.length}.`);
  }
  return parts;
}

/** Output of `{% spaceless %}`. */
function spaceless(html: string): string {
  return html.trim().replace(/>\s+</g, "><");
}

/** The helpers, by the short names generated code uses. */
export interface Runtime {
  /** The missing-variable marker. */
  readonly M: typeof MISSING;
  /** The signals brand, compared inline to spot a signal without a call. */
  readonly SB: symbol;
  readonly U: typeof unwrap;
  readonly L: typeof lookup;
  readonly LM: typeof resolveMember;
  readonly E: typeof escapeHtml;
  readonly RV: typeof renderValue;
  readonly F: (filter: AppliedFilter, value: unknown, arg: unknown, ctx: Context) => unknown;
  readonly FA: typeof filterArgMissing;
  readonly T: typeof truthy;
  readonly LI: typeof loopItems;
  readonly UP: typeof unpack;
  readonly NL: (parent: ForLoopInfo | undefined) => ForLoopInfo;
  readonly SL: typeof setLoop;
  readonly SP: typeof spaceless;
  readonly NF: typeof newFrame;
}

let runtime: Runtime | null = null;

/** The helper object, built on first use (after every module it draws on has loaded). */
export function getRuntime(): Runtime {
  return runtime ??= Object.freeze({
    M: MISSING,
    SB: Symbol.for("preact-signals"),
    U: unwrap,
    L: lookup,
    LM: resolveMember,
    E: escapeHtml,
    RV: renderValue,
    F: applyFilterTo,
    FA: filterArgMissing,
    T: truthy,
    LI: loopItems,
    UP: unpack,
    NL: newLoop,
    SL: setLoop,
    SP: spaceless,
    NF: newFrame,
  });
}
