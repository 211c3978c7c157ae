import assert from "node:assert/strict";
import { MemoryPubSub, PubSub } from "../../mod.ts";

const tick = () => new Promise((r) => setTimeout(r, 0));

Deno.test("pubsub: subscribers of a topic receive broadcasts, others do not", async () => {
  const ps = new PubSub(new MemoryPubSub());
  const a: unknown[] = [], b: unknown[] = [];
  const stopA = ps.subscribe("t1", (m) => a.push(m));
  const stopB = ps.subscribe("t2", (m) => b.push(m));
  await ps.broadcast("t1", { n: 1 });
  await tick();
  assert.deepEqual(a, [{ n: 1 }]);
  assert.deepEqual(b, []);
  stopA();
  stopB();
  await ps.close();
});

Deno.test("pubsub: unsubscribing stops delivery and frees the topic", async () => {
  const adapter = new MemoryPubSub();
  const ps = new PubSub(adapter);
  const got: unknown[] = [];
  const stop = ps.subscribe("t", (m) => got.push(m));
  stop();
  await ps.broadcast("t", 1);
  await tick();
  assert.deepEqual(got, []);
  assert.equal(adapter.topicCount, 0);
  await ps.close();
});

Deno.test("pubsub: a broadcast can exclude its sender", async () => {
  const ps = new PubSub(new MemoryPubSub());
  const me: unknown[] = [], other: unknown[] = [];
  const s1 = ps.subscribe("room", (m) => me.push(m), "me");
  const s2 = ps.subscribe("room", (m) => other.push(m), "other");
  await ps.broadcast("room", "hi", { except: "me" });
  await tick();
  assert.deepEqual(me, []);
  assert.deepEqual(other, ["hi"]);
  s1();
  s2();
  await ps.close();
});

Deno.test("pubsub: messages are copies (as over a network)", async () => {
  const ps = new PubSub(new MemoryPubSub());
  const sent = { list: [1] };
  let got: { list: number[] } | undefined;
  const stop = ps.subscribe("t", (m) => (got = m as typeof sent));
  await ps.broadcast("t", sent);
  await tick();
  sent.list.push(2);
  assert.deepEqual(got, { list: [1] });
  stop();
  await ps.close();
});
