/** MemorySessionStore's bounds: its byte estimate follows the heap it takes, and evicts by it. */
import assert from "node:assert/strict";
import v8 from "node:v8";
import vm from "node:vm";
import { MemorySessionStore } from "../../mod.ts";

// A full collection on demand, without --expose-gc on the command line.
v8.setFlagsFromString("--expose-gc");
const gc: () => void = vm.runInNewContext("gc");

Deno.test("memory store: bytes counts ids, JSON and a per-entry overhead; evicts past maxBytes", async () => {
  const store = new MemorySessionStore({ maxBytes: 10_000 });
  await store.save("id-1", { a: "x".repeat(100) });
  const one = store.bytes;
  assert.ok(
    one > "id-1".length + JSON.stringify({ a: "x".repeat(100) }).length,
    "overhead counted",
  );
  await store.save("id-1", { a: "y" });
  assert.ok(store.bytes < one, "a smaller save replaces the old size");
  await store.destroy("id-1");
  assert.equal(store.bytes, 0);
  for (let i = 0; i < 100; i++) await store.save(`id-${i}`, { a: "z".repeat(100) });
  assert.ok(store.bytes <= 10_000, `bounded: ${store.bytes}`);
  assert.ok(store.size < 100, "the least recently used went");
  assert.equal(await store.load("id-0"), null);
  assert.deepEqual(await store.load("id-99"), { a: "z".repeat(100) });
});

Deno.test({
  name: "memory store: the estimate is within a quarter of the heap it takes",
  async fn() {
    const store = new MemorySessionStore();
    gc();
    const before = Deno.memoryUsage().heapUsed;
    for (let i = 0; i < 20_000; i++) {
      await store.save(`${crypto.randomUUID()}.a.${i}`, { __djust_views: [crypto.randomUUID()] });
    }
    gc();
    const taken = Deno.memoryUsage().heapUsed - before;
    const ratio = taken / store.bytes;
    assert.ok(ratio > 0.75 && ratio < 1.25, `heap ${taken} vs estimate ${store.bytes}`);
  },
});
