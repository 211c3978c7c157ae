import assert from "node:assert/strict";
import { live, signal, visible } from "./helpers.ts";

interface Row {
  id: number;
  label: string;
}
const rows3: Row[] = [{ id: 1, label: "a" }, { id: 2, label: "b" }, { id: 3, label: "c" }];
const TEMPLATE =
  '<ul>{% for r in rows %}<li dj-key="{{ r.id }}">{{ r.label }}</li>{% endfor %}</ul>';

function labels(html: string): string {
  return visible(html).replace(/ dj-key="\d+"/g, "");
}

Deno.test("loops: changing one keyed row re-renders that row only", () => {
  const rows = signal(rows3);
  const { renderer, flush } = live(TEMPLATE, { rows });
  const before = renderer.stats.renders;
  rows.value = rows.value.map((r) => (r.id === 2 ? { ...r, label: "B" } : r));
  const ops = flush();
  assert.equal(ops.length, 1);
  assert.equal(ops[0].op, "text");
  assert.equal((ops[0] as { text: string }).text, "B");
  // the list itself, plus the changed row's key attribute and label
  assert.ok(renderer.stats.renders - before <= 3, `renders: ${renderer.stats.renders - before}`);
});

Deno.test("loops: an appended row is one insert op at the end", () => {
  const rows = signal(rows3);
  const { html, flush } = live(TEMPLATE, { rows });
  assert.equal(labels(html), "<ul><li>a</li><li>b</li><li>c</li></ul>");
  rows.value = [...rows.value, { id: 4, label: "d" }];
  const ops = flush();
  assert.equal(ops.length, 1);
  assert.equal(ops[0].op, "insert");
  assert.equal((ops[0] as { before: string | null }).before, null);
  assert.match((ops[0] as { html: string }).html, /<li dj="\w+" dj-key="4">d<\/li>/);
});

Deno.test("loops: a removed row is one remove op", () => {
  const rows = signal(rows3);
  const { flush } = live(TEMPLATE, { rows });
  rows.value = rows.value.filter((r) => r.id !== 2);
  const ops = flush();
  assert.deepEqual(ops.map((o) => o.op), ["remove"]);
});

Deno.test("loops: moving a row is one move op and no re-render of rows", () => {
  const rows = signal(rows3);
  const { flush } = live(TEMPLATE, { rows });
  const [a, b, c] = rows.value;
  rows.value = [c, a, b];
  const ops = flush();
  assert.deepEqual(ops.map((o) => o.op), ["move"]);
});

Deno.test("loops: forloop.counter updates for rows that moved", () => {
  const rows = signal(rows3);
  const { flush } = live(
    '<ul>{% for r in rows %}<li dj-key="{{ r.id }}">{{ forloop.counter }}</li>{% endfor %}</ul>',
    { rows },
  );
  rows.value = rows.value.slice(1);
  const ops = flush();
  assert.deepEqual(ops.map((o) => o.op), ["remove", "text", "text"]);
  assert.deepEqual(ops.slice(1).map((o) => (o as { text: string }).text), ["1", "2"]);
});

Deno.test("loops: emptying a list renders {% empty %}; filling it renders the rows", () => {
  const rows = signal(rows3);
  const { flush } = live(
    '<ul>{% for r in rows %}<li dj-key="{{ r.id }}">{{ r.label }}</li>{% empty %}<li>none</li>{% endfor %}</ul>',
    { rows },
  );
  rows.value = [];
  assert.deepEqual(flush(), [{ op: "html", id: "1", html: "<li>none</li>" }]);
  rows.value = rows3;
  const ops = flush();
  assert.equal(ops.length, 1);
  assert.equal(ops[0].op, "html");
});

Deno.test("loops: unkeyed primitives keep duplicates apart", () => {
  const items = signal(["x", "x", "y"]);
  const { flush, html } = live("<ul>{% for i in items %}<li>{{ i }}</li>{% endfor %}</ul>", {
    items,
  });
  assert.equal(labels(html), "<ul><li>x</li><li>x</li><li>y</li></ul>");
  items.value = ["x", "y"];
  assert.deepEqual(flush().map((o) => o.op), ["remove"]);
});

Deno.test("loops: unpacking loop variables update with the item", () => {
  const pairs = signal([["a", 1], ["b", 2]]);
  const { flush } = live(
    "<dl>{% for k, v in pairs %}<dt>{{ k }}</dt><dd>{{ v }}</dd>{% endfor %}</dl>",
    {
      pairs,
    },
  );
  pairs.value = [pairs.value[0], ["b", 3]];
  const ops = flush();
  // unkeyed: the changed pair is a new identity, so it is replaced as a whole row
  assert.deepEqual(ops.map((o) => o.op), ["remove", "insert"]);
});
