/**
 * The region of a `dj-update="stream"` element: it tracks the stream (not its items). Each render
 * takes the changes the view queued and sends them as one `stream` op, with each new item rendered
 * once; the server then forgets them. The browser applies the op to the element's children (see
 * client/streams.ts), keeping the items it has.
 * @module
 */
import { untracked } from "@preact/signals-core";
import type { Scope } from "../../template/context.ts";
import { placeError, TemplateRenderError } from "../../template/errors.ts";
import type { PatchOp, StreamChangeWire } from "../protocol.ts";
import { applyStreamBatch, isStream, type Stream, type StreamBatch } from "../streams.ts";
import type { RegionSpec } from "./compile.ts";
import type { ItemRegion } from "./loop.ts";
import { Region } from "./region.ts";
import type { LiveRenderer } from "./renderer.ts";

type StreamSpec = Extract<RegionSpec, { type: "stream" }>;

/**
 * The stream a stream element's loop iterates (read tracked: a new batch re-renders the region), or
 * null while the view has not created it yet (the region shows it once the view does).
 */
export function streamOf(renderer: LiveRenderer, spec: StreamSpec, scope: Scope): Stream | null {
  const ctx = renderer.enter(scope);
  const sequence = (spec.node as { sequence?: { resolve(ctx: unknown): unknown } }).sequence;
  let value: unknown;
  try {
    value = sequence?.resolve(ctx);
  } catch (err) {
    const position = spec.node.position;
    throw position ? placeError(err, position) : err;
  }
  if (value === undefined || value === null || value === "") return null;
  if (!isStream(value)) {
    const error = new TemplateRenderError(
      `The loop of a dj-update="stream" element must iterate a stream (streams.NAME)`,
    );
    const position = spec.node.position;
    throw position ? error.locate(position) : error;
  }
  void value.version.value;
  return value;
}

/** Renders one item (`[domId, item]` bound to the loop's variables), untracked: it is sent once. */
export function renderStreamItem(
  renderer: LiveRenderer,
  spec: StreamSpec,
  scope: Scope,
  entry: readonly [string, unknown],
): string {
  return untracked(() => {
    const ctx = renderer.enter(Object.create(scope));
    // Sent once and never re-rendered: the loop variables need no cells (see Context.makeCell).
    const makeCell = ctx.makeCell;
    ctx.makeCell = null;
    try {
      spec.node.bind(ctx, entry);
      return renderer.renderSegments(spec.item, ctx, "");
    } finally {
      ctx.makeCell = makeCell;
    }
  });
}

/** The items a first render shows: the batch applied to nothing. */
export function renderStreamFirst(
  renderer: LiveRenderer,
  spec: StreamSpec,
  scope: Scope,
  stream: Stream | null,
): string {
  if (stream === null) return "";
  if (renderer.fresh) {
    // A comparison render shows what the browser has, when the stream keeps that copy.
    const shown = stream.shown ?? [];
    return shown.map((entry) => renderStreamItem(renderer, spec, scope, entry)).join("");
  }
  const items: [string, unknown][] = [];
  applyStreamBatch(items, stream.take());
  return items.map((entry) => renderStreamItem(renderer, spec, scope, entry)).join("");
}

/** A stream element's content. */
export class StreamRegion extends Region {
  constructor(
    renderer: LiveRenderer,
    item: ItemRegion | null,
    depth: number,
    anchor: number,
    readonly spec: StreamSpec,
  ) {
    super(renderer, item, depth, anchor);
  }

  mount(): string {
    const finish = this.beginOwnTracking();
    let stream: Stream | null;
    try {
      stream = streamOf(this.renderer, this.spec, this.scope);
    } finally {
      this.endOwnTracking(finish);
    }
    return renderStreamFirst(this.renderer, this.spec, this.scope, stream);
  }

  /** Sends what the view queued since the last render, as one op. */
  refresh(ops: PatchOp[]): void {
    const renderer = this.renderer;
    renderer.stats.renders++;
    const stream = streamOf(renderer, this.spec, this.scope);
    if (stream === null || renderer.fresh || !stream.pending) return;
    ops.push(this.#op(stream.take()));
  }

  #op(batch: StreamBatch): PatchOp {
    const changes: StreamChangeWire[] = batch.changes.map((change) =>
      change.kind === "delete" ? change.domId : [
        change.domId,
        change.at,
        renderStreamItem(this.renderer, this.spec, this.scope, [change.domId, change.item]),
      ]
    );
    const op: PatchOp = { op: "stream", id: this.id, changes };
    if (batch.reset) op.reset = true;
    if (batch.limit !== undefined) op.limit = batch.limit;
    return op;
  }
}
