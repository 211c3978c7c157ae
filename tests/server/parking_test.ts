import assert from "node:assert/strict";
import type { MountedView } from "../../lib/live/mounted.ts";
import type { LiveTarget, Visitor } from "../../lib/server/mounter.ts";
import { type ParkedView, Parking } from "../../lib/server/parking.ts";

/** A parked view of session `binding` whose first render was `htmlLength` characters. */
function parked(binding: string, joined = false, htmlLength = 0): ParkedView {
  return {
    mounted: { htmlLength } as unknown as MountedView,
    target: {} as LiveTarget,
    visitor: {} as Visitor,
    binding,
    joined,
  };
}

/** A lot with `limits` that records what it evicts, by id. */
function lot(limits: Partial<{ maxViews: number; maxPerSession: number; maxBytes: number }> = {}) {
  const evicted: string[] = [];
  const ids = new Map<ParkedView, string>();
  const parking = new Parking(
    { maxViews: 100, maxPerSession: 100, maxBytes: 1e9, ...limits },
    (view, reason) => evicted.push(`${ids.get(view)}:${reason}`),
  );
  const park = (id: string, view: ParkedView, ms = 60_000) => {
    ids.set(view, id);
    parking.park(id, view, ms);
  };
  return { parking, park, evicted };
}

Deno.test("parking: only the session that parked a view takes it, once", () => {
  const { parking, park } = lot();
  const view = parked("b1");
  park("v1", view);
  assert.equal(parking.take("v1", "b2"), null, "another session's binding");
  assert.equal(parking.take("v1", "b1"), view);
  assert.equal(parking.take("v1", "b1"), null, "taken already");
  assert.equal(parking.size, 0);
});

Deno.test("parking: a page's view past its window is evicted when the lot is next used", () => {
  const { parking, park, evicted } = lot();
  park("old", parked("b1"), 0);
  park("new", parked("b2"));
  assert.deepEqual(evicted, ["old:closed"]);
  assert.equal(parking.take("old", "b1"), null);
  assert.equal(parking.size, 1);
});

Deno.test("parking: a page's view parked for less than those before it is not taken past its time", () => {
  const { parking, park, evicted } = lot();
  park("long", parked("b1"));
  park("short", parked("b2"), 0);
  assert.equal(parking.take("short", "b2"), null);
  assert.deepEqual(evicted, ["short:closed"]);
});

Deno.test("parking: a dropped socket's view ends on time by its own timer", async () => {
  const { parking, park, evicted } = lot();
  park("dropped", parked("b1", true), 5);
  await new Promise((r) => setTimeout(r, 30));
  assert.deepEqual(evicted, ["dropped:closed"]);
  assert.equal(parking.size, 0);
});

Deno.test("parking: past maxViews the oldest view ends", () => {
  const { parking, park, evicted } = lot({ maxViews: 2 });
  for (const id of ["a", "b", "c"]) park(id, parked(`s-${id}`));
  assert.deepEqual(evicted, ["a:closed"]);
  assert.equal(parking.size, 2);
});

Deno.test("parking: past maxBytes the oldest views end", () => {
  // A view is estimated at 4 KiB plus 4 bytes per character of its first render.
  const { parking, park, evicted } = lot({ maxBytes: 3 * 4096 + 4 * 300 });
  for (const id of ["a", "b", "c"]) park(id, parked(`s-${id}`, false, 100));
  assert.deepEqual(evicted, []);
  park("d", parked("s-d", false, 100));
  assert.deepEqual(evicted, ["a:closed"]);
  assert.equal(parking.bytes, 3 * (4096 + 400));
});

Deno.test("parking: past maxPerSession the session's oldest view ends, not another's", () => {
  const { parking, park, evicted } = lot({ maxPerSession: 2 });
  park("other", parked("b2"));
  for (const id of ["m1", "m2", "m3"]) park(id, parked("b1"));
  assert.deepEqual(evicted, ["m1:closed"]);
  assert.ok(parking.take("other", "b2"));
  // Taking one leaves room for another.
  assert.ok(parking.take("m2", "b1"));
  park("m4", parked("b1"));
  assert.deepEqual(evicted, ["m1:closed"]);
});

Deno.test("parking: parking an id again replaces the view parked under it", () => {
  const { parking, park, evicted } = lot({ maxPerSession: 1 });
  park("v", parked("b1"));
  const again = parked("b1");
  park("v", again);
  assert.deepEqual(evicted, ["v:closed"]);
  assert.equal(parking.take("v", "b1"), again);
});

Deno.test("parking: clear ends every view with shutdown", () => {
  const { parking, park, evicted } = lot();
  park("a", parked("b1"));
  park("b", parked("b2", true));
  parking.clear();
  assert.deepEqual(evicted.sort(), ["a:shutdown", "b:shutdown"]);
  assert.equal(parking.size, 0);
  assert.equal(parking.bytes, 0);
});
