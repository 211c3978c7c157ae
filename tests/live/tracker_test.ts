import assert from "node:assert/strict";
import { batch, effect, signal } from "@preact/signals-core";
import { DependencyTracker } from "../../lib/live/regions/tracker.ts";

Deno.test("tracker: a change of a signal read during track is reported once per batch", () => {
  const a = signal(1);
  let changes = 0;
  const t = new DependencyTracker({ changed: () => changes++ });
  t.track(() => a.value);
  a.value = 2;
  batch(() => {
    a.value = 3;
    a.value = 4;
  });
  assert.equal(changes, 2);
  t.dispose();
});

Deno.test("tracker: each track replaces the previous dependencies", () => {
  const a = signal(1), b = signal(1);
  let changes = 0;
  const t = new DependencyTracker({ changed: () => changes++ });
  t.track(() => a.value);
  t.track(() => b.value);
  a.value = 2;
  assert.equal(changes, 0, "a is no longer a dependency");
  b.value = 2;
  assert.equal(changes, 1);
  t.dispose();
});

Deno.test("tracker: nothing is reported after dispose", () => {
  const a = signal(1);
  let changes = 0;
  const t = new DependencyTracker({ changed: () => changes++ });
  t.track(() => a.value);
  t.dispose();
  a.value = 2;
  assert.equal(changes, 0);
});

Deno.test("tracker: nested tracking attributes reads to the innermost tracker", () => {
  const outer = signal(1), inner = signal(1);
  const seen: string[] = [];
  const o = new DependencyTracker({ changed: () => seen.push("outer") });
  const i = new DependencyTracker({ changed: () => seen.push("inner") });
  o.track(() => {
    outer.value;
    i.track(() => inner.value);
  });
  inner.value = 2;
  assert.deepEqual(seen, ["inner"]);
  outer.value = 2;
  assert.deepEqual(seen, ["inner", "outer"]);
  o.dispose();
  i.dispose();
});

Deno.test("tracker: `tracking` tells whether the last run read a signal", () => {
  const a = signal(1);
  const t = new DependencyTracker({ changed() {} });
  t.track(() => 1);
  assert.equal(t.tracking, false, "read nothing");
  t.track(() => a.value);
  assert.equal(t.tracking, true, "read a");
  t.dispose();
  assert.equal(t.tracking, false, "disposed");
});

// The tracker relies on three mangled internals of @preact/signals-core's Effect. If an upgrade
// renames them, this test fails before anything subtle breaks.
Deno.test("tracker: the signals-core Effect internals it relies on are present", () => {
  let captured: Record<string, unknown> | undefined;
  const dispose = effect(function (this: unknown) {
    captured = this as Record<string, unknown>;
  });
  assert.equal(typeof captured?.S, "function", "Effect._start (mangled S)");
  assert.equal(typeof captured?.c, "function", "Effect._callback (mangled c)");
  assert.ok(captured && "s" in captured, "Effect._sources (mangled s)");
  dispose();
});
