/**
 * A page load renders a view without building its regions (renderFirst); going live builds them
 * with the same anchors. Both must give the same HTML, byte for byte, or the page and the live
 * view would disagree on every anchor.
 */
import assert from "node:assert/strict";
import { compileLive } from "../../lib/live/regions/compile.ts";
import { LiveRenderer } from "../../lib/live/regions/renderer.ts";
import { Engine } from "../../lib/template/engine.ts";
import type { App } from "../../mod.ts";
import { createGalleryApp, EXAMPLES } from "../../examples/app.ts";
import { openPage } from "../helpers/join.ts";
import { signal } from "./helpers.ts";

/** Templates covering every region kind, nested loops, branches, constants and escalation. */
const TEMPLATES: [string, () => Record<string, unknown>][] = [
  ["<p>{{ a }}</p><p>x {{ a }} y</p>", () => ({ a: signal("<b>") })],
  [
    '<button class="x" dj-value-id="{{ a }}" {% if b %}disabled{% endif %} title="{{ a }}">{{ a }}</button>',
    () => ({ a: signal(1), b: signal(true) }),
  ],
  [
    '<ul>{% for r in rows %}<li dj-key="{{ r.id }}" class="{% if r.on %}on{% endif %}">{{ r.id }}:' +
    "{{ forloop.counter }}{% for t in r.tags %}<i>{{ t }}{{ forloop.parentloop.counter }}</i>" +
    "{% empty %}-{% endfor %}</li>{% empty %}<li>none</li>{% endfor %}</ul>",
    () => ({
      rows: signal([
        { id: 1, on: true, tags: ["a", "b"] },
        { id: 2, on: false, tags: [] },
        { id: 1, on: false, tags: ["c"] },
      ]),
    }),
  ],
  [
    "<table><tbody>{% for k, v in pairs %}<tr><td>{{ k }}</td><td>{{ v }}</td></tr>{% endfor %}</tbody></table>",
    () => ({ pairs: signal([["a", 1], ["b", 2]]) }),
  ],
  ['<ul>{% for r in rows %}<li dj-key="{{ r.id }}">{{ r.id }}</li>{% endfor %}</ul>', () => ({
    rows: signal([signal({ id: 1 }), signal({ id: 2 })]),
  })],
  [
    '<div>{% if on %}<p class="a">{% else %}<p class="b">{% endif %}text</p></div><textarea>{{ t }}</textarea>',
    () => ({ on: signal(true), t: signal("x") }),
  ],
  ["<table>{% for r in rows %}<tr><td>{{ r }}</td></tr>{% endfor %}</table>", () => ({
    rows: signal([1, 2]),
  })],
  [
    '<div id="m" dj-update="ignore">{{ a }}</div>{% for x in xs %}{% cycle "o" "e" %}{% endfor %}',
    () => ({ a: signal(1), xs: signal([1, 2, 3]) }),
  ],
];

for (const [template, scope] of TEMPLATES) {
  Deno.test(`static: a first render without regions equals the live build: ${template.slice(0, 60)}`, () => {
    const engine = new Engine();
    const block = compileLive(engine.fromString(template).nodes);
    const values = scope();
    const first = new LiveRenderer(engine.newContext(values), () => {});
    const live = new LiveRenderer(engine.newContext(values), () => {});
    try {
      assert.equal(first.renderFirst(block), live.mount(block));
      assert.equal(first.goLive(), null, "nothing changed: going live sends no HTML");
    } finally {
      first.dispose();
      live.dispose();
    }
  });
}

Deno.test("static: components with slots (their content with the caller's anchors) build the same", () => {
  const engine = new Engine({
    templates: {
      "components/card.html": `<section>{% if title %}<h2>{{ title }}</h2>{% endif %}<div>` +
        `{% render_slot %}</div>{% for i in extra %}<p>{% render_slot "footer" %}</p>{% endfor %}</section>`,
      // A slot passed through to another component.
      "components/panel.html":
        `<aside>{% component "card" title="p" %}{% render_slot %}{% endcomponent %}</aside>`,
    },
  });
  const template = `<main>{% component "card" title=title extra=extra %}<b>{{ a }}</b> and ` +
    `{% for r in rows %}<i>{{ r }}</i>{% endfor %}{% component "card" title="inner" %}{{ a }}` +
    `{% endcomponent %}{% slot "footer" %}<u>{{ a }}</u>{% endslot %}{% endcomponent %}` +
    `<ul>{% for r in rows %}<li>{% component "card" title=r %}<s>{{ r }}{{ a }}</s>` +
    `{% endcomponent %}</li>{% endfor %}</ul>{% component "panel" %}<em>{{ a }}</em>{% endcomponent %}</main>`;
  const block = compileLive(engine.fromString(template).nodes);
  const values = {
    title: signal("T"),
    extra: signal([1, 2]),
    a: signal("<x>"),
    rows: signal(["r1", "r2"]),
  };
  const first = new LiveRenderer(engine.newContext(values), () => {});
  const live = new LiveRenderer(engine.newContext(values), () => {});
  try {
    const html = first.renderFirst(block);
    assert.equal(html, live.mount(block));
    assert.match(html, /<b dj="\w+">&lt;x&gt;<\/b>/, "the slot's value has an anchor of its own");
    assert.match(html, /<em dj="\w+">&lt;x&gt;<\/em>/, "so has a slot passed through");
    assert.equal(first.goLive(), null, "nothing changed: going live sends no HTML");
  } finally {
    first.dispose();
    live.dispose();
  }
});

Deno.test("static: going live after a change it read returns the new HTML, and patches follow", () => {
  const engine = new Engine();
  const a = signal(1);
  const r = new LiveRenderer(engine.newContext({ a }), () => {});
  r.renderFirst(compileLive(engine.fromString("<p>{{ a }}</p>").nodes));
  a.value = 2;
  assert.equal(r.goLive(), '<p dj="1">2</p>');
  a.value = 3;
  assert.deepEqual(r.flush(), [{ op: "text", id: "1", text: "3" }]);
  r.dispose();
});

/** Examples whose state differs once live (presence counts the visitor only over a socket). */
const CHANGES_WHEN_LIVE = new Set(["/chat", "/cursors"]);

Deno.test("static: every example's page load equals its live render (the join sends no HTML)", async () => {
  const app: App = createGalleryApp({ secret: "static", logger: () => {} });
  try {
    for (const { path } of EXAMPLES) {
      if (CHANGES_WHEN_LIVE.has(path)) continue;
      const page = await openPage(app, path === "/table" ? "/table?rows=50" : path);
      const [joined] = await page.join();
      assert.equal(joined.type, "joined", `${path}: ${JSON.stringify(joined)}`);
      assert.equal(joined.html, undefined, `${path}: the join re-sent the page`);
      page.connection.close();
    }
  } finally {
    await app.close();
  }
});
