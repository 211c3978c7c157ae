import assert from "node:assert/strict";
import { MemoryPubSub, Presence, type PresenceDiff, type PubSubAdapter } from "../../mod.ts";

import { waitFor } from "../helpers/wait.ts";
const keys = (list: Record<string, unknown>) => Object.keys(list).sort();

Deno.test("presence: track lists the key with its meta; untrack removes it", async () => {
  const p = new Presence(new MemoryPubSub(), { heartbeatMs: 20 });
  const untrack = p.track("room", "ann", { tab: 1 });
  assert.deepEqual(keys(p.list("room")), ["ann"]);
  assert.equal(p.list("room").ann.metas[0].tab, 1);
  untrack();
  assert.deepEqual(p.list("room"), {});
  await p.close();
});

Deno.test("presence: the same key on two tabs is one entry with two metas", async () => {
  const p = new Presence(new MemoryPubSub(), { heartbeatMs: 20 });
  const u1 = p.track("room", "ann", { tab: 1 });
  const u2 = p.track("room", "ann", { tab: 1 });
  assert.equal(p.list("room").ann.metas.length, 2);
  u1();
  assert.equal(p.list("room").ann.metas.length, 1);
  u2();
  await p.close();
});

Deno.test("presence: diffs report joins and leaves", async () => {
  const p = new Presence(new MemoryPubSub(), { heartbeatMs: 20 });
  const diffs: PresenceDiff[] = [];
  const stop = p.onDiff("room", (d) => diffs.push(d));
  const untrack = p.track("room", "bob", { x: 1 });
  untrack();
  assert.deepEqual(diffs.map((d) => [keys(d.joins), keys(d.leaves)]), [[["bob"], []], [[], [
    "bob",
  ]]]);
  stop();
  await p.close();
});

/** An adapter whose node can be cut off the bus, as when its process dies. */
class Cuttable implements PubSubAdapter {
  cut = false;
  constructor(readonly bus: PubSubAdapter) {}
  subscribe(topic: string, handler: (m: unknown) => void): () => void {
    return this.bus.subscribe(topic, (m) => !this.cut && handler(m));
  }
  broadcast(topic: string, message: unknown): Promise<void> {
    return this.cut ? Promise.resolve() : this.bus.broadcast(topic, message);
  }
  close(): Promise<void> {
    return Promise.resolve();
  }
}

Deno.test("presence: two nodes on one bus see each other, and a dead node's entries expire", async () => {
  const bus = new MemoryPubSub();
  const cuttable = new Cuttable(bus);
  const a = new Presence(cuttable, { heartbeatMs: 20, timeoutMs: 80 });
  const b = new Presence(bus, { heartbeatMs: 20, timeoutMs: 80 });
  const leaves: string[] = [];
  const stop = b.onDiff("room", (d) => leaves.push(...Object.keys(d.leaves)));
  a.track("room", "ann", {});
  await waitFor(() => keys(b.list("room")).join() === "ann", "b to see a's join");
  b.track("room", "bob", {});
  await waitFor(() => keys(a.list("room")).join() === "ann,bob", "a to see b's join");
  // Node a dies without saying goodbye: nothing it sends arrives any more.
  cuttable.cut = true;
  await waitFor(() => keys(b.list("room")).join() === "bob", "a's entries to expire on b");
  assert.ok(leaves.includes("ann"));
  stop();
  await a.close();
  await b.close();
});

Deno.test("presence: a late node learns who is already there", async () => {
  const bus = new MemoryPubSub();
  const a = new Presence(bus, { heartbeatMs: 20 });
  a.track("room", "ann", {});
  const b = new Presence(bus, { heartbeatMs: 20 });
  b.list("room"); // starts watching: asks the others for their state
  await waitFor(() => keys(b.list("room")).join() === "ann", "b to learn about ann");
  await a.close();
  await b.close();
});
