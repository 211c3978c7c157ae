import assert from "node:assert/strict";
import {
  App,
  eventHandler,
  LiveView,
  type MemoryPubSub,
  type PresenceDiff,
  signal,
} from "../../mod.ts";
import { liveTest } from "../../lib/testing/mod.ts";

import { pause, waitFor } from "../helpers/wait.ts";

class Ticker extends LiveView {
  static override template =
    `<p id="n">{{ n }}</p><p id="last">{{ last }}</p><p id="online">{{ online }}</p>`;
  n = signal(0);
  last = signal("");
  online = signal(0);
  _timer = 0;

  override mount(): void {
    this.subscribe("news");
    this.trackPresence("lobby", String(this.session.get("user") ?? "anon"), {});
    this.online.value = Object.keys(this.listPresence("lobby")).length;
    this._timer = this.setInterval(() => this.n.value++, 10);
  }
  override handleInfo(message: unknown): void {
    this.last.value = String((message as { text: string }).text);
  }
  override handlePresenceDiff(_diff: PresenceDiff): void {
    this.online.value = Object.keys(this.listPresence("lobby")).length;
  }
  @eventHandler()
  stop(): void {
    this.clearTimer(this._timer);
  }
  @eventHandler()
  shout(params: { text?: string }): void {
    void this.broadcast("news", { text: params.text }, { exceptSelf: true });
  }
}

function app(): App {
  const a = new App({ secret: "rt", logger: () => {}, presenceHeartbeatMs: 20 });
  a.live("/ticker", Ticker);
  return a;
}

Deno.test("realtime: a timer's changes reach the client as patches without a ref", async () => {
  const a = app();
  const view = await liveTest(a, "/ticker");
  await waitFor(async () => {
    await view.settle();
    return Number(view.text("#n")) >= 2;
  }, "two ticks of the timer");
  assert.equal(view.lastPatch()!.ops.length >= 1, true);
  await view.event("stop");
  await view.close();
  await a.close();
});

Deno.test("realtime: the HTTP render starts no timer, subscription or presence", async () => {
  const a = app();
  const res = await a.fetch(new Request("http://t.test/ticker"));
  await res.text();
  assert.deepEqual(a.pubsub.presence.list("lobby"), {});
  await pause(30);
  await a.close();
});

Deno.test("realtime: closing a view clears its timers (the op sanitizer would catch a leak)", async () => {
  const a = app();
  const view = await liveTest(a, "/ticker");
  await view.close();
  assert.deepEqual(a.pubsub.presence.list("lobby"), {}, "its presence left too");
  await a.close();
});

Deno.test("realtime: closing a view ends its subscriptions", async () => {
  const a = app();
  const adapter = a.pubsub.adapter as MemoryPubSub;
  const view = await liveTest(a, "/ticker");
  const withView = adapter.topicCount;
  await view.close();
  assert.equal(adapter.topicCount, withView - 1, "the news topic has no subscriber left");
  await a.close();
});

Deno.test("realtime: app.pubsub.broadcast from anywhere runs handleInfo", async () => {
  const a = app();
  const view = await liveTest(a, "/ticker");
  await a.pubsub.broadcast("news", { text: "hello" });
  await waitFor(async () => {
    await view.settle();
    return view.text("#last") === "hello";
  }, "the broadcast to arrive");
  await view.close();
  await a.close();
});

Deno.test("realtime: a view can broadcast to the others and not to itself", async () => {
  const a = app();
  const me = await liveTest(a, "/ticker", { session: { user: "me" } });
  const other = await liveTest(a, "/ticker", { session: { user: "other" } });
  await me.event("shout", { text: "yo" });
  await waitFor(async () => {
    await other.settle();
    return other.text("#last") === "yo";
  }, "the other view to get the broadcast");
  await me.settle();
  assert.equal(me.text("#last"), "");
  await me.close();
  await other.close();
  await a.close();
});

Deno.test("realtime: presence diffs update every view's online count", async () => {
  const a = app();
  const ann = await liveTest(a, "/ticker", { session: { user: "ann" } });
  const bob = await liveTest(a, "/ticker", { session: { user: "bob" } });
  const online = (n: string) =>
    waitFor(async () => {
      await ann.settle();
      return ann.text("#online") === n;
    }, `${n} online`);
  await online("2");
  await bob.close();
  await online("1");
  await ann.close();
  await a.close();
});
