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
  filterArgMissing,
  lookup,
  resolveMember,
  translateLiteral,
} from "../expression.ts";
import { VariableDoesNotExist } from "../errors.ts";
import { errorAt, type Node, renderValue } from "../nodes.ts";
import type { FilterEnv } from "../filters/registry.ts";
import { escapeHtml, SafeString } from "../safe.ts";
import { type ForLoopInfo, loopItems, newLoop, setLoop, unpackLoopItem } from "../tags/control.ts";
import { spaceless } from "../tags/misc.ts";
import { isSignal, MISSING, truthy } from "../values.ts";

/** Reads a signal (and a signal holding a signal) the way a template lookup does. */
function unwrap(v: unknown): unknown {
  while (isSignal(v)) v = v.value;
  return v;
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
  readonly UP: typeof unpackLoopItem;
  readonly NL: (parent: ForLoopInfo | undefined) => ForLoopInfo;
  readonly SL: typeof setLoop;
  readonly SP: typeof spaceless;
  readonly NF: typeof newFrame;
  /** Places an error at the node whose code threw it. */
  readonly PE: (node: Node, err: unknown) => unknown;
  /** The class `{% if %}` conditions treat as false. */
  readonly VD: typeof VariableDoesNotExist;
  /** Translates a `_("text")` literal. */
  readonly TL: typeof translateLiteral;
  /** The filter env for an input that is not safe, as applyFilterTo sets it. */
  readonly FE: (ctx: Context) => FilterEnv;
  /** SafeString, to tell inputs that need Django's safety rules. */
  readonly SS: typeof SafeString;
}

/** The context's filter env, set for an input that is not safe. */
function stringInputEnv(ctx: Context): FilterEnv {
  const env = ctx.filterEnv;
  env.autoescape = ctx.autoescape;
  env.inputSafe = false;
  return env;
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
    UP: unpackLoopItem,
    NL: newLoop,
    SL: setLoop,
    SP: spaceless,
    NF: newFrame,
    PE: errorAt,
    VD: VariableDoesNotExist,
    TL: translateLiteral,
    FE: stringInputEnv,
    SS: SafeString,
  });
}
