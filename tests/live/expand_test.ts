/**
 * Live templates built from other templates: `{% extends %}` chains, blocks and includes are read
 * as the nodes they stand for, so a change inside them is patched in place; what cannot be
 * expanded exactly (block.super, a block inside another tag, an include with values, a name from a
 * variable) renders whole, as before. Either way the HTML is the template engine's.
 */
import assert from "node:assert/strict";
import { signal as rawSignal } from "@preact/signals-core";
import { compileLive } from "../../lib/live/regions/compile.ts";
import { LiveRenderer } from "../../lib/live/regions/renderer.ts";
import { Engine } from "../../lib/template/engine.ts";
import type { PatchOp } from "../../lib/live/protocol.ts";
import { visible as plain } from "./helpers.ts";
import { App, eventHandler, LiveView, signal } from "../../mod.ts";
import { liveTest } from "../../lib/testing/mod.ts";

const TEMPLATES: Record<string, string> = {
  "base.html":
    `<div class="page"><header>{% block header %}<h1>{{ title }}</h1>{% endblock %}</header>` +
    `<main>{% block content %}base content{% endblock %}</main>` +
    `<footer>{% block footer %}{% include "footer.html" %}{% endblock %}</footer></div>`,
  "mid.html": `{% extends "base.html" %}{% block content %}<section>{% block inner %}mid` +
    `{% endblock %}</section>{% endblock %}`,
  "footer.html": `<small>{{ note }}</small>`,
  "row.html": `<span class="{% cycle 'odd' 'even' %}">{{ r }}</span>`,
  "super.html":
    `{% extends "base.html" %}{% block header %}{{ block.super }}<p>{{ note }}</p>{% endblock %}`,
  "nested-if.html": `<b>{% if on %}{% block maybe %}on{% endblock %}{% endif %}</b>`,
  "uses-nested-if.html":
    `{% extends "nested-if.html" %}{% block maybe %}<i>{{ note }}</i>{% endblock %}`,
  "tree.html": `<li>{{ depth }}{% if more %}<ul>{% include "tree.html" %}</ul>{% endif %}</li>`,
  // "block" in a quoted name is not the `block` variable.
  "parts/block.html": `<em>{{ note }}</em>`,
  "quoted.html": `<div>{% include "parts/block.html" %}{% block content %}{% endblock %}</div>`,
  // Tags that assign a name the view also has: what they assign must end with the include/block.
  "assign.html": `{% firstof a b as name %}<i>{{ name }}</i>`,
  "assign-base.html": `<div>{% block x %}{% endblock %}<b>{{ name }}</b></div>`,
};

interface Setup {
  html: string;
  renderer: LiveRenderer;
  values: Record<string, ReturnType<typeof rawSignal>>;
  engine: Engine;
}

function mount(template: string, values: Record<string, unknown>): Setup {
  const engine = new Engine({ templates: TEMPLATES });
  const signals = Object.fromEntries(
    Object.entries(values).map(([k, v]) => [k, rawSignal(v)]),
  );
  const nodes = engine.fromString(template).nodes;
  const renderer = new LiveRenderer(engine.newContext(signals), () => {});
  const html = renderer.mount(compileLive(nodes, "div", [], engine));
  // The live HTML is the engine's.
  assert.equal(plain(html), engine.renderString(template, values));
  // A page load (no regions) builds the same anchors.
  const first = new LiveRenderer(engine.newContext(signals), () => {});
  assert.equal(first.renderFirst(compileLive(nodes, "div", [], engine)), html);
  first.dispose();
  return { html, renderer, values: signals, engine };
}

const kinds = (ops: PatchOp[]) => ops.map((o) => o.op);

Deno.test("expand: a change in a block of a three-level chain is one op", () => {
  const { renderer, values } = mount(
    `{% extends "mid.html" %}{% block inner %}<form><input name="q" value="{{ q }}">` +
      `<b>{{ count }}</b></form>{% endblock %}{% block header %}<h2>{{ title }}!</h2>{% endblock %}`,
    { title: "T", q: "x", count: 1, note: "n" },
  );
  values.count.value = 2;
  let ops = renderer.flush();
  assert.deepEqual(kinds(ops), ["text"]);
  assert.equal((ops[0] as { text: string }).text, "2");
  // In the base's footer, through an include.
  values.note.value = "<n>";
  ops = renderer.flush();
  assert.deepEqual(ops.map((o) => [o.op, (o as { html?: string }).html]), [["html", "&lt;n&gt;"]]);
  values.q.value = "y";
  assert.deepEqual(kinds(renderer.flush()), ["attrs"]);
  renderer.dispose();
});

Deno.test("expand: a quoted name holding the word block does not stop a chain's expansion", () => {
  const { renderer, values } = mount(
    `{% extends "quoted.html" %}{% block content %}<b>{{ count }}</b>{% endblock %}`,
    { note: "n", count: 1 },
  );
  values.count.value = 2;
  assert.deepEqual(kinds(renderer.flush()), ["text"]);
  renderer.dispose();
});

Deno.test("expand: what an include's or a block's tags assign ends with it, as in Django", () => {
  // mount() checks the HTML against the engine's render: `name` after them is the view's.
  for (
    const template of [
      `{% include "assign.html" %}<b>{{ name }}</b>`,
      `{% extends "assign-base.html" %}{% block x %}{% firstof a b as name %}<i>{{ name }}</i>` +
      `{% endblock %}`,
      `{% block x %}{% firstof a b as name %}<i>{{ name }}</i>{% endblock %}<b>{{ name }}</b>`,
    ]
  ) {
    const { renderer, values } = mount(template, { a: "A", b: "B", name: "view" });
    values.a.value = "A2";
    values.name.value = "view2";
    assert.deepEqual(kinds(renderer.flush()), ["text", "text"], template);
    renderer.dispose();
  }
});

Deno.test("expand: a view's own block and a plain include are patched in place", () => {
  const { renderer, values } = mount(
    `<main>{% block content %}<i>{{ note }}</i>{% endblock %}{% include "footer.html" %}</main>`,
    { note: "a" },
  );
  values.note.value = "b";
  assert.deepEqual(kinds(renderer.flush()), ["text", "text"]);
  renderer.dispose();
});

Deno.test("expand: what cannot be expanded exactly renders whole, with the engine's output", () => {
  // block.super reads the parent's body through the `block` variable.
  let setup = mount(`{% extends "super.html" %}`, { title: "T", note: "n" });
  assert.match(plain(setup.html), /<h1>T<\/h1><p>n<\/p>/);
  setup.values.note.value = "m";
  assert.deepEqual(kinds(setup.renderer.flush()), ["html"]);
  setup.renderer.dispose();
  // A block inside another tag of the chain.
  setup = mount(`{% extends "uses-nested-if.html" %}`, { on: true, note: "n" });
  assert.match(plain(setup.html), /<b><i>n<\/i><\/b>/);
  setup.values.note.value = "m";
  assert.deepEqual(kinds(setup.renderer.flush()), ["html"]);
  setup.renderer.dispose();
  // An include whose name is a variable, and one with `only`.
  setup = mount(
    `<p>{% include name %}</p><p>{% include "footer.html" with note=other only %}</p>`,
    { other: "o", note: "n", name: "footer.html" },
  );
  setup.values.note.value = "m";
  setup.values.other.value = "p";
  assert.deepEqual(kinds(setup.renderer.flush()), ["html", "html"]); // each include whole
  setup.renderer.dispose();
});

Deno.test("expand: with blocks and includes with values have scopes of their own, patched in place", () => {
  const { renderer, values } = mount(
    `{% with n=count|add:1 other=note %}<p><b>{{ n }}</b><i>{{ other }}</i><s>{{ count }}</s></p>` +
      `{% endwith %}<div>{% include "footer.html" with note=count %}</div>`,
    { count: 1, note: "x" },
  );
  values.count.value = 5;
  const ops = renderer.flush();
  assert.deepEqual(ops.map((o) => [o.op, (o as { text?: string }).text]), [
    ["text", "6"],
    ["text", "5"],
    ["text", "5"], // inside the include's <small>, not the <div> again
  ]);
  values.note.value = "y";
  assert.deepEqual(renderer.flush().map((o) => (o as { text?: string }).text), ["y"]);
  renderer.dispose();
});

Deno.test("expand: an include of itself expands once, then renders whole", () => {
  // tree.html includes itself under `{% if more %}`: the inner include stays a node.
  const { renderer, values, html } = mount(`<ul>{% include "tree.html" %}</ul>`, {
    depth: 0,
    more: false,
  });
  assert.equal(plain(html), "<ul><li>0</li></ul>");
  values.depth.value = 1;
  assert.deepEqual(kinds(renderer.flush()), ["text"]);
  renderer.dispose();
});

Deno.test("expand: an include in a loop is patched per item, its cycle restarting at each include", () => {
  const template = `<ul>{% for r in rows %}<li>{% include "row.html" %}</li>{% endfor %}</ul>`;
  const { renderer, values, engine } = mount(template, { rows: ["a", "b", "c"] });
  values.rows.value = ["a", "c", "d"];
  const ops = renderer.flush();
  assert.ok(ops.every((o) => o.op !== "html" || !o.html.includes("<li")), JSON.stringify(ops));
  // As Django renders it: each include starts the cycle again.
  assert.equal(plain(renderer.remount()), engine.renderString(template, { rows: ["a", "c", "d"] }));
  assert.match(plain(renderer.remount()), /odd">a<.*odd">c<.*odd">d</);
  renderer.dispose();
});

const ROWS = `<ul>{% for r in rows %}<li dj-key="{{ r.id }}">{% with label=r.name|upper %}` +
  `<b>{{ label }}</b> {{ forloop.counter }}/{{ forloop.revcounter }}{% endwith %}` +
  `{% include "footer.html" with note=r.name %}</li>{% endfor %}</ul>`;

/** A keyed list whose rows use `{% with %}` (reading the row's `forloop`) and an include with values. */
class Rows extends LiveView {
  static override template = ROWS;
  rows = signal([{ id: 1, name: "ann" }, { id: 2, name: "bo" }, { id: 3, name: "cy" }]);
  @eventHandler()
  reverse(): void {
    this.rows.value = [...this.rows.value].reverse();
  }
  @eventHandler()
  prepend(): void {
    const id = this.rows.value.length + 1;
    this.rows.value = [{ id, name: `n${id}` }, ...this.rows.value];
  }
  @eventHandler()
  rename(): void {
    this.rows.value = this.rows.value.map((r) => (r.id === 2 ? { ...r, name: r.name + "!" } : r));
  }
}

Deno.test("expand: after reorders, inserts and edits, the page equals the engine's render", async () => {
  const app = new App({ logger: () => {}, templates: TEMPLATES });
  app.live("/", Rows);
  const view = await liveTest(app, "/");
  const engine = new Engine({ templates: TEMPLATES });
  const state = () => ({ rows: view.state("rows") });
  for (const event of ["reverse", "prepend", "rename", "reverse", "prepend", "rename"]) {
    await view.event(event);
    assert.equal(plain(view.html()), engine.renderString(ROWS, state()), event);
  }
  await view.close();
  await app.close();
});

Deno.test("expand: an error in a with's values is placed at the with tag", () => {
  const engine = new Engine({ templates: TEMPLATES });
  const template = `<p>x</p>\n  {% with n=a|divisibleby:0 %}<b>{{ n }}</b>{% endwith %}`;
  const renderer = new LiveRenderer(engine.newContext({ a: rawSignal(4) }), () => {});
  const block = compileLive(engine.fromString(template).nodes, "div", [], engine);
  assert.throws(
    () => renderer.mount(block),
    (err: Error & { position?: { line: number; column: number } }) =>
      err.position?.line === 2 && err.position.column === 3,
  );
  renderer.dispose();
});
