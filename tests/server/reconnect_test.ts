/**
 * State that survives network drops, restarts and deploys (in-process; the Chromium and
 * multi-process versions are in tests/e2e/durable_e2e_test.ts):
 * - a page is mounted once: its join takes over the view the page load mounted;
 * - a rejoin within the grace period takes over the same instance (timers kept running);
 * - past it, or on another App sharing the store and secret, the saved state comes back;
 * - a state that no longer fits the view is dropped and the view mounts fresh;
 * - terminate(reason) runs once when a view ends for good.
 */
import assert from "node:assert/strict";
import {
  App,
  eventHandler,
  LiveComponent,
  LiveForm,
  LiveView,
  MemorySessionStore,
  signal,
  type TerminateReason,
} from "../../mod.ts";
import { liveTest, type LiveViewTest } from "../../lib/testing/mod.ts";
import { waitFor } from "../helpers/wait.ts";
import { z } from "zod";

/** What the views did, by name, across instances. */
const log: string[] = [];

class Counter extends LiveView {
  static override template = `<p id="n">{{ n }}</p><p id="ticks">{{ ticks }}</p>
<p id="since">{{ since }}</p><p id="name">{{ form.values.name }}</p><p id="res">{{ resource }}</p>`;
  n = signal(0);
  ticks = signal(0);
  since = signal(Temporal.PlainDate.from("2024-03-05"));
  form = new LiveForm(z.object({ name: z.string().min(2) }), { name: "" });
  resource = signal("");
  _connection = "";

  override mount(): void {
    log.push("mount");
    this._connection = "db-" + crypto.randomUUID().slice(0, 4);
    this.resource.value = "";
  }
  override restored(): void {
    log.push("restored");
    this.resource.value = this._connection ? "private resources rebuilt" : "missing";
  }
  override terminate(reason: TerminateReason): void {
    log.push("terminate:" + reason);
  }

  @eventHandler()
  inc(): void {
    this.n.value++;
  }
  @eventHandler()
  tick(): void {
    this.setInterval(() => this.ticks.value++, 5);
  }
  @eventHandler()
  async slowInc(): Promise<void> {
    await new Promise((r) => setTimeout(r, 60));
    this.n.value++;
  }
  @eventHandler()
  later(): void {
    this.since.value = Temporal.PlainDate.from("2030-01-02");
    this.form.change({ name: "x", _target: "name" });
  }
}

/** The same route after a deploy that renamed `n` to `count`. */
class Renamed extends LiveView {
  static override template = `<p id="n">{{ count }}</p>`;
  count = signal(0);
  override mount(): void {
    log.push("mount renamed");
  }
}

/** Migrates an old state: `n` became `count`. */
class Migrated extends LiveView {
  static override template = `<p id="n">{{ count }}</p>`;
  count = signal(0);
  static override restore(old: Record<string, unknown>): Record<string, unknown> | null {
    return typeof old.n === "number" ? { count: old.n } : null;
  }
}

class Ephemeral extends Counter {
  static override persist = false;
}

function counterApp(
  options: { store?: MemorySessionStore; grace?: number; view?: typeof LiveView } = {},
): App {
  const app = new App({
    secret: "durable",
    logger: (_level, message) => log.push("log:" + message),
    sessionStore: options.store ?? new MemorySessionStore(),
    reconnectGraceMs: options.grace ?? 30_000,
    persistIntervalMs: 10,
  });
  // deno-lint-ignore no-explicit-any -- the routes take any view class
  app.live("/counter", (options.view ?? Counter) as any);
  app.live("/other", Renamed);
  return app;
}

const settle = () => new Promise((r) => setTimeout(r, 30));

Deno.test("durable: a page is mounted once; its join takes over the page load's view", async () => {
  log.length = 0;
  const app = counterApp();
  const view = await liveTest(app, "/counter");
  assert.equal(view.lastJoin(), "reattached");
  assert.equal(app.metrics.mounts, 1, "one mount for the page load and the join");
  assert.deepEqual(log.filter((l) => l === "mount"), ["mount"]);
  await view.event("inc");
  assert.equal(view.text("#n"), "1");
  await view.close();
  await app.close();
});

Deno.test("durable: a rejoin within the grace period gets the same instance, timers still running", async () => {
  log.length = 0;
  const app = counterApp();
  const view = await liveTest(app, "/counter");
  await view.event("inc");
  await view.event("inc");
  await view.event("tick");
  assert.deepEqual(app.parkedViews.count, 0);
  await view.disconnect();
  assert.equal(app.parkedViews.count, 1, "the dropped socket's view waits");
  assert.ok(app.parkedViews.bytes > 0);
  const ticksAtDrop = Number(view.text("#ticks"));
  await settle();
  await view.reconnect();
  assert.equal(app.parkedViews.count, 0, "the rejoin took it");
  assert.equal(view.lastJoin(), "reattached");
  assert.equal(log.filter((l) => l === "mount").length, 1, "mount did not run again");
  assert.equal(view.text("#n"), "2", "state kept");
  assert.ok(Number(view.text("#ticks")) > ticksAtDrop, "the timer ran while the browser was away");
  await view.event("inc");
  assert.equal(view.text("#n"), "3", "events work after the rejoin");
  assert.equal(view.state("n"), 3);
  await view.close();
  await app.close();
});

Deno.test("durable: a handler still running when the socket drops: the rejoin shows what it changed", async () => {
  log.length = 0;
  const app = counterApp();
  const view = await liveTest(app, "/counter");
  await view.event("inc");
  // The event reaches the server, then the network goes: its reply is lost with the socket.
  const lost = view.event("slowInc").catch(() => {});
  await new Promise((r) => setTimeout(r, 10));
  await view.disconnect();
  await view.reconnect();
  assert.equal(view.lastJoin(), "reattached");
  assert.equal(view.text("#n"), "2", "the rejoin waited for the handler and rendered its change");
  await lost;
  await view.event("inc");
  assert.equal(view.text("#n"), "3");
  await view.close();
  await app.close();
});

Deno.test("durable: past the grace period the view ends (closed) and its saved state comes back", async () => {
  log.length = 0;
  const app = counterApp({ grace: 20 });
  const view = await liveTest(app, "/counter");
  await view.event("inc");
  await view.event("later");
  await view.disconnect();
  await waitFor(() => log.includes("terminate:closed"), "the parked view to end");
  await view.reconnect();
  assert.equal(view.lastJoin(), "restored");
  assert.deepEqual(log.filter((l) => !l.startsWith("log:")), [
    "mount",
    "terminate:closed",
    "mount",
    "restored",
  ]);
  assert.equal(view.text("#n"), "1");
  assert.equal(view.text("#since"), "Jan. 2, 2030", "a Temporal date comes back (Django's format)");
  assert.equal(view.text("#name"), "x", "a LiveForm's values come back");
  assert.equal(view.text("#res"), "private resources rebuilt", "mount ran before the restore");
  await view.event("inc");
  assert.equal(view.text("#n"), "2");
  await view.close();
  await app.close();
});

Deno.test("durable: a restart (another App on the same store and secret) restores the view", async () => {
  log.length = 0;
  const store = new MemorySessionStore();
  const first = counterApp({ store });
  const view = await liveTest(first, "/counter");
  for (let i = 0; i < 3; i++) await view.event("inc");
  await view.disconnect();
  await first.close(); // the process ends: its parked view with it
  const second = counterApp({ store });
  await view.reconnect({ app: second });
  assert.equal(view.lastJoin(), "restored");
  assert.equal(view.text("#n"), "3");
  await view.event("inc");
  assert.equal(view.text("#n"), "4");
  await view.close();
  await second.close();
});

Deno.test("durable: a deploy that renamed a field mounts fresh, with a log line and no error", async () => {
  log.length = 0;
  const store = new MemorySessionStore();
  const first = counterApp({ store });
  const view = await liveTest(first, "/counter");
  await view.event("inc");
  await view.disconnect();
  await first.close();
  const second = counterApp({ store, view: Renamed });
  await view.reconnect({ app: second });
  assert.equal(view.lastJoin(), "mounted");
  assert.equal(view.text("#n"), "0");
  assert.ok(
    log.some((l) => /saved state of Renamed dropped: the view has no public field n/.test(l)),
    log.join("\n"),
  );
  await view.close();
  await second.close();
});

Deno.test("durable: static restore() migrates an old state", async () => {
  const store = new MemorySessionStore();
  const first = counterApp({ store });
  const view = await liveTest(first, "/counter");
  for (let i = 0; i < 5; i++) await view.event("inc");
  await view.disconnect();
  await first.close();
  const second = counterApp({ store, view: Migrated });
  await view.reconnect({ app: second });
  assert.equal(view.lastJoin(), "restored");
  assert.equal(view.text("#n"), "5");
  await view.close();
  await second.close();
});

Deno.test("durable: static persist = false keeps a view's state out of the store", async () => {
  const store = new MemorySessionStore();
  const first = counterApp({ store, view: Ephemeral });
  const view = await liveTest(first, "/counter");
  await view.event("inc");
  await view.disconnect();
  await first.close();
  const second = counterApp({ store, view: Ephemeral });
  await view.reconnect({ app: second });
  assert.equal(view.lastJoin(), "mounted");
  assert.equal(view.text("#n"), "0");
  await view.close();
  await second.close();
});

Deno.test("durable: terminate runs once, with the reason, when the App shuts down", async () => {
  log.length = 0;
  const app = counterApp();
  const view = await liveTest(app, "/counter");
  await view.close();
  assert.deepEqual(log.filter((l) => l.startsWith("terminate")), ["terminate:shutdown"]);
  await app.close();
  assert.deepEqual(log.filter((l) => l.startsWith("terminate")), ["terminate:shutdown"]);
});

Deno.test("durable: a join that cannot take over the view (another session's cookie) is refused", async () => {
  const app = counterApp();
  const mine = await liveTest(app, "/counter");
  await mine.event("inc");
  await mine.disconnect();
  // Another visitor replaying this page's token has another session: the token is refused.
  const theirs = await liveTest(app, "/counter");
  await theirs.close();
  await mine.reconnect();
  assert.equal(mine.lastJoin(), "reattached");
  assert.equal(mine.text("#n"), "1");
  await mine.close();
  await app.close();
});

// #region Live components' state

/** Clicks component `id`'s vote button `times` times. */
async function voteOn(view: LiveViewTest, id: string, times: number): Promise<void> {
  for (let i = 0; i < times; i++) await view.click(`#vote-${id}`);
}

/** Items the board shows; a restart may find them changed (titles come from here, as props). */
const items = [{ id: 1, title: "Write" }, { id: 2, title: "Test" }];

class Card extends LiveComponent {
  static override template =
    `<p id="card-{{ id }}">{{ title }}: {{ votes }}</p><button id="vote-{{ id }}" dj-click="vote" dj-target="{{ myself }}">+1</button>`;
  title = signal("");
  votes = signal(0);
  override mount(props: Record<string, unknown>): void {
    this.title.value = (props.item as { title: string }).title;
  }
  override update(props: Record<string, unknown>): void {
    this.title.value = (props.item as { title: string }).title;
  }
  @eventHandler()
  vote(): void {
    this.votes.value++;
  }
}

/** Its count is not worth keeping. */
class Counted extends Card {
  static override persist = false;
}

/** Holds what a snapshot cannot: it mounts from its props after a restore, the rest comes back. */
class Opaque extends Card {
  handle = new Map<string, number>();
}

class Board extends LiveView {
  static override components = { card: Card, counted: Counted, opaque: Opaque };
  static override template = `<h1>{{ name }}</h1>
{% for item in items %}{% live_component "card" id=item.id item=item %}{% endfor %}
{% live_component "counted" id=9 item=first %}{% live_component "opaque" id=7 item=first %}`;
  name = signal("board");
  override getContextData(): Record<string, unknown> {
    return { items: items.map((i) => ({ ...i })), first: items[0] };
  }
  @eventHandler()
  rename(): void {
    this.name.value = "renamed";
  }
}

function boardApp(store: MemorySessionStore, logs: string[]): App {
  const app = new App({
    secret: "durable",
    sessionStore: store,
    persistIntervalMs: 10,
    dev: true,
    logger: (_level, message) => logs.push(message),
  });
  app.live("/board", Board);
  return app;
}

Deno.test("durable: live components get their own state back after a restart; props win", async () => {
  const store = new MemorySessionStore();
  const logs: string[] = [];
  const first = boardApp(store, logs);
  const view = await liveTest(first, "/board");
  await view.event("rename");
  await voteOn(view, "1", 2);
  await voteOn(view, "2", 1);
  await voteOn(view, "9", 3);
  await voteOn(view, "7", 4);
  assert.equal(view.text("#card-1"), "Write: 2");
  assert.equal(view.text("#card-9"), "Write: 3");
  await new Promise((r) => setTimeout(r, 40)); // the state is saved (persistIntervalMs)
  assert.ok(
    logs.some((l) =>
      /components of Board left out of its saved state: opaque "7": handle is a Map/.test(l)
    ),
    "development names the component that cannot be saved",
  );
  await view.disconnect();
  await first.close();
  items[0] = { id: 1, title: "Write more" }; // changed while the server was down
  try {
    const second = boardApp(store, logs);
    await view.reconnect({ app: second });
    assert.equal(view.lastJoin(), "restored");
    assert.equal(view.text("h1"), "renamed");
    assert.equal(view.text("#card-1"), "Write more: 2", "own state back, the title from the props");
    assert.equal(view.text("#card-2"), "Test: 1");
    assert.equal(view.text("#card-9"), "Write more: 0", "static persist = false: mounted afresh");
    assert.equal(view.text("#card-7"), "Write more: 0", "unsaveable: mounted afresh");
    await voteOn(view, "1", 1);
    assert.equal(view.text("#card-1"), "Write more: 3");
    await view.close();
    await second.close();
  } finally {
    items[0] = { id: 1, title: "Write" };
  }
});

// #region A socket that closes while its view is on the way

/** A view whose mount takes a while (a database query, say). */
class Slow extends LiveView {
  static override template = `<p id="n">{{ n }}</p>`;
  n = signal(0);
  override async mount(): Promise<void> {
    log.push("mount slow");
    if (Slow.delay) await new Promise((r) => setTimeout(r, Slow.delay));
  }
  override terminate(reason: TerminateReason): void {
    log.push("terminate slow:" + reason);
  }
  static delay = 0;
}

function slowApp(store: MemorySessionStore): App {
  const app = new App({ secret: "durable", sessionStore: store, logger: () => {} });
  app.live("/slow", Slow);
  app.live("/counter", Counter);
  return app;
}

Deno.test("durable: a view whose join's mount outlasts its socket waits parked; a navigation's ends", async () => {
  log.length = 0;
  const store = new MemorySessionStore();
  const first = slowApp(store);
  const view = await liveTest(first, "/slow");
  await view.disconnect();
  await first.close();
  // A restart: the join mounts (slowly), and the socket drops before the mount is done.
  const second = slowApp(store);
  Slow.delay = 40;
  try {
    const joining = view.reconnect({ app: second }).catch(() => {});
    await new Promise((r) => setTimeout(r, 10));
    await view.disconnect();
    await joining;
    await new Promise((r) => setTimeout(r, 60));
    assert.equal(second.connectionCount, 0);
    assert.equal(second.parkedViews.count, 1, "the view waits for its page, not leaked");
    // A navigation whose mount outlasts the socket: that view ends (no page has its token).
    log.length = 0;
    const other = await liveTest(second, "/counter");
    const navigating = other.navigate("/slow").catch(() => {});
    await new Promise((r) => setTimeout(r, 10));
    await other.close();
    await navigating;
    await new Promise((r) => setTimeout(r, 60));
    assert.deepEqual(log.filter((l) => l.includes("slow")), [
      "mount slow",
      "terminate slow:closed",
    ]);
  } finally {
    Slow.delay = 0;
    await second.close();
  }
});
