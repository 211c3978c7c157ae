/**
 * Live components through the test toolkit: own state per instance, events by dj-target, messages
 * to the parent, updates from the parent and from sendUpdate, the security rules of views, and
 * clear errors for template mistakes.
 */
import assert from "node:assert/strict";
import { App, eventHandler, type EventParams, LiveComponent, LiveView, signal } from "../../mod.ts";
import { liveTest, LiveTestError } from "../../lib/testing/mod.ts";

class Card extends LiveComponent {
  static override template =
    `<div class="card" id="card-{{ id }}"><b class="title">{{ title }}</b>` +
    ` <span class="votes">{{ votes }}</span>{{ secret }}` +
    `<button class="vote" dj-click="vote" dj-target="{{ myself }}">+1</button>` +
    `<input class="note" dj-model="note" dj-target="{{ myself }}" value="{{ note }}">` +
    `<input class="locked" dj-model="votes" dj-target="{{ myself }}"></div>`;
  static override bindable = ["note"];
  title = signal("");
  votes = signal(0);
  note = signal("");
  _secret = "hidden-value";
  mounts = 0;
  updates = 0;

  override mount(props: Record<string, unknown>): void {
    this.mounts++;
    super.mount(props);
  }

  override update(props: Record<string, unknown>): void {
    this.updates++;
    super.update(props);
  }

  @eventHandler()
  vote(): void {
    this.votes.value++;
    this.sendParent("voted", { votes: this.votes.value });
  }

  @eventHandler({ permission: "cards.admin" })
  wipe(): void {
    this.votes.value = 0;
  }

  notAHandler(): void {
    this.votes.value = 1000;
  }
}

class Board extends LiveView {
  static override components = { card: Card };
  static override template = `<p id="log">{{ log }}</p>` +
    `<ul>{% for item in items %}<li dj-key="{{ item.id }}">{% live_component "card" id=item.id title=item.title %}</li>{% endfor %}</ul>` +
    `<button id="rename" dj-click="rename">rename</button><button id="poke" dj-click="poke">poke</button>`;
  items = signal([{ id: 1, title: "One" }, { id: 2, title: "Two" }]);
  log = signal("");

  override handleInfo(message: unknown): void {
    this.log.value = JSON.stringify(message);
  }

  @eventHandler()
  rename(): void {
    this.items.value = this.items.value.map((i) => (i.id === 1 ? { ...i, title: "Uno" } : i));
  }

  @eventHandler()
  poke(): void {
    // From the view: that instance's update(props), with only these props.
    this.sendUpdate(Card, 2, { title: "Poked" });
  }

  @eventHandler()
  pokeFromCard(): void {
    // From a component: the same, through the card's own sendUpdate.
    Board.lastCard?.sendUpdate(Card, 1, { title: "Poked by two" });
  }

  static lastCard: Card | null = null;
}

function boardApp(view: typeof LiveView = Board): App {
  const app = new App({ logger: () => {} });
  app.live("/board", view as unknown as typeof Board);
  return app;
}

Deno.test("live components: two instances keep their own state; events go to the targeted one", async () => {
  const app = boardApp();
  try {
    const view = await liveTest(app, "/board");
    await view.click("#card-2 .vote");
    await view.click("#card-2 .vote");
    await view.click("#card-1 .vote");
    assert.equal(view.text("#card-1 .votes"), "1");
    assert.equal(view.text("#card-2 .votes"), "2");
    await view.close();
  } finally {
    await app.close();
  }
});

Deno.test("live components: sendParent reaches the view's handleInfo as { event, id, payload }", async () => {
  const app = boardApp();
  try {
    const view = await liveTest(app, "/board");
    await view.click("#card-2 .vote");
    await view.settle();
    assert.deepEqual(JSON.parse(view.text("#log")), {
      event: "voted",
      id: "2",
      payload: { votes: 1 },
    });
    await view.close();
  } finally {
    await app.close();
  }
});

Deno.test("live components: update(props) runs only when the parent gives other props", async () => {
  let card1: Card | null = null;
  class Spy extends Card {
    override mount(props: Record<string, unknown>): void {
      super.mount(props);
      if (this.id === "1") card1 = this;
    }
  }
  class SpyBoard extends Board {
    static override components = { card: Spy };
  }
  const app = boardApp(SpyBoard);
  try {
    const view = await liveTest(app, "/board");
    const spy = card1 as unknown as Card;
    assert.equal(spy.mounts, 1);
    await view.click("#card-2 .vote"); // the view re-renders nothing of card 1
    assert.equal(spy.updates, 0);
    await view.click("#rename");
    assert.equal(spy.updates, 1);
    assert.equal(spy.mounts, 1, "mounted once, kept across the parent's re-render");
    assert.equal(view.text("#card-1 .title"), "Uno");
    assert.equal(view.text("#card-1 .votes"), "0");
    await view.close();
  } finally {
    await app.close();
  }
});

Deno.test("live components: sendUpdate calls another instance's update with the given props", async () => {
  class Sender extends Card {
    override mount(props: Record<string, unknown>): void {
      super.mount(props);
      Board.lastCard = this;
    }
  }
  class SenderBoard extends Board {
    static override components = { card: Sender };
  }
  const app = boardApp(SenderBoard);
  try {
    const view = await liveTest(app, "/board");
    await view.click("#poke");
    assert.equal(view.text("#card-2 .title"), "Poked");
    assert.equal(view.text("#card-1 .title"), "One");
    await view.event("pokeFromCard");
    assert.equal(view.text("#card-1 .title"), "Poked by two");
    await view.close();
  } finally {
    await app.close();
  }
});

Deno.test("live components: only @eventHandlers, bindable fields and existing targets are reachable", async () => {
  const app = boardApp();
  try {
    const view = await liveTest(app, "/board");
    assert.ok(!view.html().includes("hidden-value"), "private fields are never rendered");
    const target = view.element("#card-1 .vote").getAttribute("dj-target")!;
    for (const name of ["notAHandler", "constructor", "__proto__", "mount", "update", "_secret"]) {
      await assert.rejects(
        () => view.event(name, {}, target),
        (e) => e instanceof LiveTestError && e.code === "client.unknown_handler",
        name,
      );
    }
    await assert.rejects(
      () => view.event("vote", {}, "card-999"),
      (e) => e instanceof LiveTestError && e.code === "client.unknown_target",
    );
    await assert.rejects(
      () => view.event("wipe", {}, target),
      (e) => e instanceof LiveTestError && e.code === "auth.forbidden",
    );
    // dj-model with dj-target: bindable fields only.
    await view.input("#card-1 .note", "remember");
    assert.equal(view.element("#card-1 .note").getAttribute("value"), "remember");
    await assert.rejects(
      () => view.input("#card-1 .locked", "99"),
      (e) => e instanceof LiveTestError && e.code === "client.not_bindable",
    );
    assert.equal(view.text("#card-1 .votes"), "0");
    // The view's own handlers are not reachable through a component target, nor the reverse.
    await assert.rejects(
      () => view.event("rename", {}, target),
      (e) => e instanceof LiveTestError && e.code === "client.unknown_handler",
    );
    await assert.rejects(
      () => view.event("vote"),
      (e) => e instanceof LiveTestError && e.code === "client.unknown_handler",
    );
    await view.close();
  } finally {
    await app.close();
  }
});

Deno.test("live components: template mistakes are clear errors", async () => {
  const cases: [string, RegExp][] = [
    [`{% live_component "nope" id=1 %}`, /No live component named 'nope'.*'card'/],
    [`{% live_component "card" id=missing %}`, /needs an id/],
    [`{% live_component "card" title="x" %}`, /needs an id \(id=…\)/],
    [`{% live_component card id=1 %}`, /quoted/],
  ];
  for (const [template, message] of cases) {
    class Broken extends LiveView {
      static override components = { card: Card };
      static override template = template;
    }
    const app = boardApp(Broken);
    try {
      const response = await app.fetch(new Request("http://localhost/board"));
      const body = (await response.text()).replaceAll("&#x27;", "'").replaceAll("&quot;", '"');
      assert.equal(response.status, 500, template);
      assert.match(body, message, template);
    } finally {
      await app.close();
    }
  }
});

Deno.test("live components: a component handler's exception is reported, the view recovers", async () => {
  class Faulty extends LiveComponent {
    static override template =
      `<button class="boom" dj-click="boom" dj-target="{{ myself }}">x</button>`;
    @eventHandler()
    boom(_p: EventParams): void {
      throw new Error("component failed");
    }
  }
  class Host extends LiveView {
    static override components = { faulty: Faulty };
    static override template = `{% live_component "faulty" id="f" %}<p id="n">{{ n }}</p>` +
      `<button id="inc" dj-click="inc">+</button>`;
    n = signal(0);
    @eventHandler()
    inc(): void {
      this.n.value++;
    }
  }
  const app = boardApp(Host);
  try {
    const view = await liveTest(app, "/board");
    await assert.rejects(
      () => view.click(".boom"),
      (e) => e instanceof LiveTestError && e.code === "app.handler_error",
    );
    await view.click("#inc");
    assert.equal(view.text("#n"), "1");
    await view.close();
  } finally {
    await app.close();
  }
});

Deno.test("live components: a vote in a page of 100 cards patches that card only", async () => {
  /** The vote's patch with `n` cards: its ops and bytes. */
  const vote = async (n: number) => {
    class Many extends Board {
      override items = signal(
        Array.from({ length: n }, (_, i) => ({ id: i + 1, title: `Card ${i + 1}` })),
      );
    }
    const app = boardApp(Many);
    try {
      const view = await liveTest(app, "/board");
      await view.click("#card-7 .vote");
      assert.equal(view.text("#card-7 .votes"), "1");
      return view.lastPatch()!;
    } finally {
      await app.close();
    }
  };
  const small = await vote(10), large = await vote(100);
  // The parent's log line (sendParent arrives before the reply) and the card's own text op.
  assert.deepEqual(large.ops.map((o) => o.op), ["html", "text"]);
  assert.ok(large.bytes - small.bytes <= 2, `${small.bytes} vs ${large.bytes} bytes`);
});

Deno.test("live components: one the parent stops rendering is let go; its id can come back fresh", async () => {
  class Removing extends Board {
    @eventHandler()
    drop(): void {
      this.items.value = this.items.value.filter((i) => i.id !== 2);
    }
    @eventHandler()
    restore(): void {
      this.items.value = [...this.items.value, { id: 2, title: "Two again" }];
    }
  }
  const app = boardApp(Removing);
  try {
    const view = await liveTest(app, "/board");
    await view.click("#card-2 .vote");
    const target = view.element("#card-2 .vote").getAttribute("dj-target")!;
    await view.event("drop");
    assert.ok(!view.has("#card-2"));
    await assert.rejects(
      () => view.event("vote", {}, target),
      (e) => e instanceof LiveTestError && e.code === "client.unknown_target",
    );
    await view.event("restore");
    assert.equal(view.text("#card-2 .votes"), "0", "a new instance, mounted afresh");
    assert.notEqual(view.element("#card-2 .vote").getAttribute("dj-target"), target);
    await view.close();
  } finally {
    await app.close();
  }
});

Deno.test("live components: the same id twice is an error, on the page and after a change", async () => {
  class Twice extends Board {
    @eventHandler()
    duplicate(): void {
      this.items.value = [...this.items.value, { id: 1, title: "again" }];
    }
  }
  const app = boardApp(Twice);
  try {
    const view = await liveTest(app, "/board");
    await assert.rejects(
      () => view.event("duplicate"),
      (e) =>
        e instanceof LiveTestError && e.code === "app.render_error" &&
        /rendered twice/.test(e.message),
    );
    await view.close();
  } finally {
    await app.close();
  }
  class TwicePage extends Board {
    override items = signal([{ id: 1, title: "a" }, { id: 1, title: "b" }]);
  }
  const page = boardApp(TwicePage);
  try {
    const response = await page.fetch(new Request("http://localhost/board"));
    assert.equal(response.status, 500);
    assert.match(await response.text(), /rendered twice/);
  } finally {
    await page.close();
  }
});

Deno.test("live components: a component moving to a loop rendered earlier keeps its state", async () => {
  const { Kanban } = await import("../../examples/kanban/kanban.ts");
  const app = new App({ logger: () => {} });
  app.live("/kanban", Kanban);
  try {
    const view = await liveTest(app, "/kanban");
    await view.click("#card-3 button.vote");
    // "doing" → "todo": the todo column's loop renders before the doing column's removes it.
    await view.click("#card-3 button.left");
    assert.ok(view.has(".column[dj-key='todo'] #card-3"));
    assert.equal(view.text("#card-3 .votes"), "1", "the same instance, with its votes");
    await view.click("#card-3 button.right");
    assert.ok(view.has(".column[dj-key='doing'] #card-3"));
    assert.equal(view.text("#card-3 .votes"), "1");
    await view.close();
  } finally {
    await app.close();
  }
});
