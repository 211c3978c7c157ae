/**
 * Template components in live views: the component's attributes and each slot update on their
 * own (the slot in the caller's variables), also inside loops; page loads and joins agree.
 */
import assert from "node:assert/strict";
import { App, eventHandler, LiveView, signal } from "../../mod.ts";
import { liveTest } from "../../lib/testing/mod.ts";
import { Engine } from "../../lib/template/engine.ts";
import { visible as plain } from "./helpers.ts";

const CARD = `<section class="card"><h2 class="title">{{ title }}</h2><div class="body">` +
  `{% render_slot %}</div>{% if slots.footer %}<footer>{% render_slot "footer" %}</footer>` +
  `{% endif %}</section>`;

class Page extends LiveView {
  static override template = `{% component "card" title=title %}<b id="count">{{ count }}</b>` +
    `{% slot "footer" %}<i id="who">{{ who }}</i>{% endslot %}{% endcomponent %}` +
    `<ul>{% for item in items %}<li dj-key="{{ item.id }}">{% component "card" title=item.title %}` +
    `<span class="n">{{ item.n }}</span>{% endcomponent %}</li>{% endfor %}</ul>`;
  title = signal("Hello");
  count = signal(0);
  who = signal("ann");
  items = signal([{ id: 1, title: "One", n: 1 }, { id: 2, title: "Two", n: 2 }]);

  @eventHandler()
  inc(): void {
    this.count.value++;
  }
  @eventHandler()
  retitle(): void {
    this.title.value = "Bye";
  }
  @eventHandler()
  bump(): void {
    this.items.value = this.items.value.map((i) => (i.id === 2 ? { ...i, n: i.n + 10 } : i));
  }
}

function app(): App {
  const a = new App({ logger: () => {}, templates: { "components/card.html": CARD } });
  a.live("/", Page);
  return a;
}

Deno.test("template components: a slot's change patches the slot only", async () => {
  const a = app();
  const view = await liveTest(a, "/");
  assert.equal(view.text("#count"), "0");
  await view.event("inc");
  assert.equal(view.text("#count"), "1");
  const ops = view.lastPatch()!.ops;
  assert.equal(ops.length, 1);
  assert.doesNotMatch(JSON.stringify(ops), /title|footer|section/, JSON.stringify(ops));
  await view.close();
  await a.close();
});

Deno.test("template components: an attribute's change patches what reads it", async () => {
  const a = app();
  const view = await liveTest(a, "/");
  await view.event("retitle");
  assert.equal(view.text(".card .title"), "Bye");
  assert.deepEqual(view.lastPatch()!.ops.map((o) => o.op), ["text"]);
  assert.equal(view.text("#who"), "ann");
  await view.close();
  await a.close();
});

Deno.test("template components: inside a loop, an item's change reaches its slot", async () => {
  const a = app();
  const view = await liveTest(a, "/");
  await view.event("bump");
  assert.deepEqual(
    [...view.element("ul").querySelectorAll(".n")].map((e) => e.textContent),
    ["1", "12"],
  );
  assert.ok(view.lastPatch()!.bytes < 120, `${view.lastPatch()!.bytes} bytes`);
  await view.close();
  await a.close();
});

/** A dialog in a modal component: a form, a list and a counter in its slot. */
class Dialog extends LiveView {
  static override template = `{% component "modal" title=title %}<form id="f" dj-submit="save">` +
    `<input id="name" name="name" value="{{ name }}"><b id="count">{{ count }}</b></form>` +
    `<ul id="files">{% for f in files %}<li dj-key="{{ f }}">{{ f }}</li>{% endfor %}</ul>` +
    `{% if count > 1 %}<p id="many">many</p>{% endif %}{% endcomponent %}` +
    `{% component "panel" %}<em id="passed">{{ count }}</em>{% endcomponent %}`;
  title = signal("Card");
  name = signal("Ann");
  count = signal(0);
  files = signal(["a.txt"]);

  @eventHandler()
  inc(): void {
    this.count.value++;
  }
  @eventHandler()
  attach(): void {
    this.files.value = [...this.files.value, `f${this.files.value.length}.txt`];
  }
  @eventHandler()
  rename(): void {
    this.name.value = "Bo";
  }
}

function dialogApp(): App {
  const a = new App({
    logger: () => {},
    templates: {
      "components/modal.html":
        `<div class="modal" role="dialog"><h2>{{ title }}</h2><div class="content">{% render_slot %}</div></div>`,
      // Passes its slot on to the modal.
      "components/panel.html":
        `{% component "modal" title="Panel" %}{% render_slot %}{% endcomponent %}`,
    },
  });
  a.live("/", Dialog);
  return a;
}

Deno.test("template components: a slot's content is patched in place, part by part", async () => {
  const a = dialogApp();
  const view = await liveTest(a, "/");
  const form = view.element("#f"), input = view.element("#name");
  await view.event("inc");
  assert.equal(view.text("#count"), "1");
  assert.equal(view.text("#passed"), "1");
  // One text op for the counter (and one for the slot passed through), not the slot's HTML again.
  assert.deepEqual(view.lastPatch()!.ops.map((o) => o.op), ["text", "text"]);
  await view.event("attach");
  assert.deepEqual(
    [...view.element("#files").querySelectorAll("li")].map((e) => e.textContent),
    ["a.txt", "f1.txt"],
  );
  assert.deepEqual(view.lastPatch()!.ops.map((o) => o.op), ["insert"]);
  await view.event("rename");
  assert.deepEqual(view.lastPatch()!.ops.map((o) => o.op), ["attrs"]);
  await view.event("inc");
  assert.equal(view.text("#many"), "many");
  // The form and its field are the same elements: a click or typing in them is never lost.
  assert.equal(view.element("#f"), form);
  assert.equal(view.element("#name"), input);
  await view.close();
  await a.close();
});

/** Cards in a keyed loop, each with a field and values in its slot (one reading `forloop`). */
const CARDS =
  `<ul>{% for item in items %}<li dj-key="{{ item.id }}">{% component "card" title=item.title %}` +
  `<input class="f" value="{{ item.title }}"><span class="n">{{ item.n }}</span>` +
  `<i class="pos">{{ forloop.counter }}</i>{% endcomponent %}</li>{% endfor %}</ul>`;

class Cards extends LiveView {
  static override template = CARDS;
  items = signal([{ id: 1, title: "One", n: 1 }, { id: 2, title: "Two", n: 2 }]);
  @eventHandler()
  bump(): void {
    this.items.value = this.items.value.map((i) => (i.id === 2 ? { ...i, n: i.n + 10 } : i));
  }
  @eventHandler()
  reverse(): void {
    this.items.value = [...this.items.value].reverse();
  }
  @eventHandler()
  add(): void {
    const id = this.items.value.length + 1;
    this.items.value = [{ id, title: `T${id}`, n: id }, ...this.items.value];
  }
}

Deno.test("template components: in a loop item, the slot is patched part by part too", async () => {
  const a = new App({ logger: () => {}, templates: { "components/card.html": CARD } });
  a.live("/", Cards);
  const view = await liveTest(a, "/");
  const second = view.element("li:nth-child(2) .f");
  await view.event("bump");
  assert.deepEqual(view.lastPatch()!.ops.map((o) => o.op), ["text"]);
  assert.equal(view.element("li:nth-child(2) .f"), second, "the field is the same element");
  // Moves and inserts: the page equals the engine's render of the state.
  const engine = new Engine({ templates: { "components/card.html": CARD } });
  for (const event of ["reverse", "add", "bump", "reverse"]) {
    await view.event(event);
    assert.equal(
      plain(view.html()),
      engine.renderString(CARDS, { items: view.state("items") }),
      event,
    );
  }
  await view.close();
  await a.close();
});
