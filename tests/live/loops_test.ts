import assert from "node:assert/strict";
import { live, liveDom, signal, visible } from "./helpers.ts";

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

Deno.test("loops: unkeyed lists are keyed by index: dropping a middle item shifts values, removes the last", () => {
  const items = signal(["x", "x", "y"]);
  const { flush, html } = live("<ul>{% for i in items %}<li>{{ i }}</li>{% endfor %}</ul>", {
    items,
  });
  assert.equal(labels(html), "<ul><li>x</li><li>x</li><li>y</li></ul>");
  items.value = ["x", "y"];
  const ops = flush();
  assert.deepEqual(ops.map((o) => o.op), ["text", "remove"], JSON.stringify(ops));
});

Deno.test("loops: unpacking loop variables update with the item", () => {
  const pairs = signal([["a", 1], ["b", 2]]);
  const { flush } = live(
    "<dl>{% for k, v in pairs %}<dt>{{ k }}</dt><dd>{{ v }}</dd>{% endfor %}</dl>",
    { pairs },
  );
  pairs.value = [pairs.value[0], ["b", 3]];
  const ops = flush();
  // keyed by index: the changed pair keeps its place and only its changed cell is sent
  assert.deepEqual(
    ops.map((o) => [o.op, (o as { text?: string }).text]),
    [["text", "3"]],
    JSON.stringify(ops),
  );
});

// #region Loops keyed by index (no dj-key), as Phoenix LiveView 1.1

interface Cell {
  id: number;
  label: string;
}
const cells = (n: number): Cell[] =>
  Array.from({ length: n }, (_, i) => ({ id: i + 1, label: `Row ${i + 1}` }));
const TABLE = `<table><tbody>{% for r in rows %}<tr class="row"><td>{{ r.id }}</td>` +
  `<td>{{ r.label }}</td><td><input name="note"></td></tr>{% endfor %}</tbody></table>`;

Deno.test("loops: unkeyed, a one-cell change is one small op and the row's elements survive", () => {
  const rows = signal(cells(100));
  const dom = liveDom(TABLE, { rows });
  const row = dom.root.querySelectorAll("tr")[49];
  const input = row.querySelector("input")!;
  rows.value = rows.value.map((r) => (r.id === 50 ? { ...r, label: "Changed" } : r));
  const ops = dom.patch();
  assert.equal(ops.length, 1, `one op, got ${JSON.stringify(ops)}`);
  assert.equal(ops[0].op, "text", JSON.stringify(ops));
  const bytes = JSON.stringify({ type: "patch", ref: 1, ops }).length;
  assert.ok(bytes <= 150, `patch of ${bytes} B: ${JSON.stringify(ops)}`);
  assert.equal(dom.root.querySelectorAll("tr")[49], row, "the row element is the same node");
  assert.ok(input.isConnected, "the row's input is still in the page");
  assert.equal(dom.visible(), dom.fresh());
});

Deno.test("loops: unkeyed, appending at the end is one insert op", () => {
  const rows = signal(cells(10));
  const dom = liveDom(TABLE, { rows });
  rows.value = [...rows.value, { id: 11, label: "New" }];
  const ops = dom.patch();
  assert.deepEqual(ops.map((o) => o.op), ["insert"], JSON.stringify(ops));
  assert.equal(dom.visible(), dom.fresh());
});

Deno.test("loops: unkeyed, appending several rows is still one insert op", () => {
  const rows = signal(cells(3));
  const dom = liveDom(TABLE, { rows });
  rows.value = cells(6);
  const ops = dom.patch();
  assert.deepEqual(ops.map((o) => o.op), ["insert"], JSON.stringify(ops));
  assert.equal(dom.visible(), dom.fresh());
});

Deno.test("loops: unkeyed, removing the last row is one remove op", () => {
  const rows = signal(cells(10));
  const dom = liveDom(TABLE, { rows });
  rows.value = rows.value.slice(0, -1);
  const ops = dom.patch();
  assert.deepEqual(ops.map((o) => o.op), ["remove"], JSON.stringify(ops));
  assert.equal(dom.visible(), dom.fresh());
});

Deno.test("loops: unkeyed, a middle insertion re-renders from there on and the DOM equals a fresh render", () => {
  const rows = signal(cells(10));
  const dom = liveDom(TABLE, { rows });
  const first = dom.root.querySelectorAll("tr")[0];
  const next = [...rows.value];
  next.splice(5, 0, { id: 99, label: "Inserted" });
  rows.value = next;
  const ops = dom.patch();
  // rows 6..10 take the values after the insertion point, and one row is appended
  assert.equal(ops.filter((o) => o.op === "insert").length, 1, JSON.stringify(ops));
  assert.equal(ops.filter((o) => o.op === "remove").length, 0, JSON.stringify(ops));
  assert.equal(dom.visible(), dom.fresh());
  assert.equal(dom.root.querySelectorAll("tr")[0], first, "rows before the insertion stay");
});

Deno.test("loops: unkeyed, forloop.counter is printed once; forloop.last follows the length", () => {
  const items = signal(["a", "b"]);
  const dom = liveDom(
    "<ol>{% for i in items %}<li>{{ forloop.counter }}:{{ i }}{% if forloop.last %}.{% endif %}</li>{% endfor %}</ol>",
    { items },
  );
  items.value = ["a", "b", "c"];
  dom.patch();
  assert.equal(dom.visible(), "<ol><li>1:a</li><li>2:b</li><li>3:c.</li></ol>");
  assert.equal(dom.visible(), dom.fresh());
  items.value = ["b", "c"];
  dom.patch();
  assert.equal(dom.visible(), "<ol><li>1:b</li><li>2:c.</li></ol>");
  assert.equal(dom.visible(), dom.fresh());
});

// #endregion
// #region What a keyed item renders once

Deno.test("loops: whatever prints a row's key carries no region (no anchor on a dj-value of the key)", () => {
  const rows = signal(cells(2));
  const { html, flush } = live(
    `<ul>{% for r in rows %}<li dj-key="{{ r.id }}"><button dj-click="x" dj-value-id="{{ r.id }}">` +
      `x</button>{{ r.label }}</li>{% endfor %}</ul>`,
    { rows },
  );
  assert.match(html, /<li dj-key="1"><button dj-click="x" dj-value-id="1">x<\/button>/, html);
  rows.value = rows.value.map((r) => (r.id === 2 ? { ...r, label: "two" } : r));
  const ops = flush();
  assert.deepEqual(ops.map((o) => o.op), ["text"], JSON.stringify(ops));
});

Deno.test("loops: rows held in signals print their key live (it may change while the row lives)", () => {
  const a = signal({ id: 1, label: "a" }), b = signal({ id: 2, label: "b" });
  const rows = signal([a, b]);
  const dom = liveDom(
    `<ul>{% for r in rows %}<li dj-key="{{ r.id }}">{{ r.id }} {{ r.label }}</li>{% endfor %}</ul>`,
    { rows },
  );
  b.value = { id: 9, label: "b" };
  dom.patch();
  assert.equal(dom.visible(), dom.fresh());
  assert.match(dom.visible(), /<li dj-key="9">9 b<\/li>/);
});

Deno.test("loops: an item reading a view signal re-renders when it changes; the others send nothing", () => {
  const rows = signal(cells(5));
  const editing = signal(0);
  const dom = liveDom(
    `<ul>{% for r in rows %}<li dj-key="{{ r.id }}">{% if editing == r.id %}<input value="{{ r.label }}">` +
      `{% else %}{{ r.label }}{% endif %}</li>{% endfor %}</ul>`,
    { rows, editing },
  );
  editing.value = 3;
  const ops = dom.patch();
  assert.equal(ops.length, 1, JSON.stringify(ops));
  assert.equal(dom.visible(), dom.fresh());
});

// #endregion
