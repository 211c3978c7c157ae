import assert from "node:assert/strict";
import { live, signal, visible } from "./helpers.ts";

Deno.test("regions: a variable that is an element's only content is updated by a text op on the element", () => {
  const count = signal(1);
  const { html, flush } = live("<p>{{ count }}</p>", { count });
  assert.equal(html, '<p dj="1">1</p>');
  count.value = 2;
  assert.deepEqual(flush(), [{ op: "text", id: "1", text: "2" }]);
});

Deno.test("regions: a variable among other text is wrapped in comment markers", () => {
  const name = signal("Ann");
  const { html, flush } = live("<p>Hello {{ name }}!</p>", { name });
  assert.equal(html, "<p>Hello <!--dj:1-->Ann<!--/dj:1-->!</p>");
  name.value = "<Bob>";
  assert.deepEqual(flush(), [{ op: "html", id: "1", html: "&lt;Bob&gt;" }]);
});

Deno.test("regions: only regions that read a changed signal re-render", () => {
  const a = signal(1), b = signal(1);
  const { renderer, flush } = live("<p>{{ a }}</p><p>{{ b }}</p><p>{{ a }}{{ b }}</p>", { a, b });
  const before = renderer.stats.renders;
  a.value = 2;
  const ops = flush();
  assert.equal(renderer.stats.renders - before, 2, "two regions read a");
  assert.deepEqual(ops.map((o) => o.id), ["1", "3"]);
});

Deno.test("regions: an unchanged output sends nothing", () => {
  const n = signal(1);
  const { flush } = live("<p>{% if n > 0 %}positive{% endif %}</p>", { n });
  n.value = 5;
  assert.deepEqual(flush(), []);
});

Deno.test("regions: an if switching branch replaces its content; its inner regions update alone", () => {
  const on = signal(true), label = signal("x");
  const { html, flush } = live("<div>{% if on %}<b>{{ label }}</b>{% else %}off{% endif %}</div>", {
    on,
    label,
  });
  assert.equal(visible(html), "<div><b>x</b></div>");
  label.value = "y";
  assert.deepEqual(flush(), [{ op: "text", id: "2", text: "y" }]);
  on.value = false;
  assert.deepEqual(flush(), [{ op: "text", id: "1", text: "off" }]);
});

Deno.test("regions: dynamic attributes become attribute sets and removals", () => {
  const cls = signal("a"), disabled = signal(true);
  const { html, flush } = live(
    '<button class="{{ cls }}" {% if disabled %}disabled{% endif %}>x</button>',
    {
      cls,
      disabled,
    },
  );
  assert.equal(html, '<button dj="1" class="a" disabled>x</button>');
  cls.value = "a b";
  disabled.value = false;
  assert.deepEqual(flush(), [{
    op: "attrs",
    id: "1",
    set: { class: "a b" },
    remove: ["disabled"],
  }]);
});

Deno.test("regions: attribute values travel decoded, not as HTML", () => {
  const title = signal("a");
  const { flush } = live('<span title="{{ title }}">x</span>', { title });
  title.value = `"<&>'`;
  assert.deepEqual(flush(), [{ op: "attrs", id: "1", set: { title: `"<&>'` } }]);
});

Deno.test("regions: content of a textarea re-renders the whole element", () => {
  const text = signal("a");
  const { html, flush } = live("<form><textarea>{{ text }}</textarea></form>", { text });
  assert.equal(html, '<form><textarea dj="1">a</textarea></form>');
  text.value = "b";
  assert.deepEqual(flush(), [{ op: "replace", id: "1", html: '<textarea dj="1">b</textarea>' }]);
});

Deno.test("regions: an if that opens a tag it does not close re-renders the enclosing element", () => {
  const on = signal(true);
  const { html, flush } = live(
    '<section><div>{% if on %}<p class="a">{% else %}<p class="b">{% endif %}text</p></div></section>',
    { on },
  );
  assert.equal(visible(html), '<section><div><p class="a">text</p></div></section>');
  on.value = false;
  const ops = flush();
  assert.equal(ops.length, 1);
  assert.equal(ops[0].op, "replace");
  assert.equal(visible((ops[0] as { html: string }).html), '<div><p class="b">text</p></div>');
});

Deno.test("regions: loop rows directly inside <table> re-render the table alone (the browser adds <tbody>)", () => {
  const rows = signal([1, 2]);
  const { flush } = live(
    "<div><table>{% for r in rows %}<tr><td>{{ r }}</td></tr>{% endfor %}</table></div>",
    {
      rows,
    },
  );
  rows.value = [1, 2, 3];
  const ops = flush();
  assert.equal(ops.length, 1);
  assert.equal(ops[0].op, "replace");
  assert.match((ops[0] as { html: string }).html, /^<table dj="\w+"><tr>/);
});

Deno.test("regions: a table of loop rows inside a <p> or <li> still escalates past them", () => {
  const rows = signal([1, 2]);
  const { flush } = live(
    "<div><ul><li><table>{% for r in rows %}<tr><td>{{ r }}</td></tr>{% endfor %}</table></li></ul></div>",
    { rows },
  );
  rows.value = [1, 2, 3];
  const ops = flush();
  assert.equal(ops.length, 1);
  assert.match((ops[0] as { html: string }).html, /^<ul dj="\w+"><li><table>/);
});

Deno.test("regions: a variable a tag assigns updates where it is read when the tag re-renders", () => {
  const a = signal(""), b = signal("fallback"), other = signal(1);
  const { html, renderer, flush } = live(
    "{% firstof a b as x %}<p>{{ x }}</p><p>{{ other }}</p><i>{{ x|upper }}</i>",
    { a, b, other },
  );
  assert.equal(visible(html), "<p>fallback</p><p>1</p><i>FALLBACK</i>");
  a.value = "first";
  const ops = flush();
  assert.deepEqual(ops.filter((o) => o.op === "text").map((o) => (o as { text: string }).text), [
    "first",
    "FIRST",
  ]);
  const before = renderer.stats.renders;
  other.value = 2;
  flush();
  assert.equal(renderer.stats.renders - before, 1, "the assignment does not re-render the others");
});

Deno.test("regions: an attribute value that stops breaking out of its quotes drops what it added", () => {
  const title = signal(`a" data-x="1`);
  const { flush } = live('<span title="{{ title|safe }}">x</span>', { title });
  title.value = "b";
  assert.deepEqual(flush(), [{ op: "attrs", id: "1", set: { title: "b" }, remove: ["data-x"] }]);
});

Deno.test("regions: static attributes and a row's key carry no region; only what changes is sent", () => {
  const cls = signal("a");
  const { html, flush, renderer } = live(
    '<a href="/x" class="{{ cls }}" title="t">x</a><b title="{{ "lit" }}">y</b>',
    { cls },
  );
  assert.equal(html, '<a dj="1" href="/x" class="a" title="t">x</a><b title="lit">y</b>');
  const before = renderer.stats.renders;
  cls.value = "b";
  assert.deepEqual(flush(), [{ op: "attrs", id: "1", set: { class: "b" } }]);
  assert.equal(renderer.stats.renders - before, 1, "one region re-rendered");
});

Deno.test("regions: content inside <svg> replaces the whole <svg>, parsed as SVG", () => {
  const shown = signal(false);
  const { html, flush } = live(
    `<div><svg viewBox="0 0 10 10"><line/>{% if shown %}<circle r="1"/>{% endif %}</svg></div>`,
    { shown },
  );
  assert.match(html, /<svg dj="\d+"/);
  shown.value = true;
  const ops = flush();
  assert.deepEqual(ops.map((o) => o.op), ["replace"]);
  assert.match((ops[0] as { html: string }).html, /^<svg[^>]*>.*<circle r="1"\/?><\/svg>$/s);
});

Deno.test("regions: an <svg> whose dynamic parts are attributes only changes them in place", () => {
  const points = signal("0,0");
  const { flush } = live(`<svg><polyline points="{{ points }}"/></svg>`, { points });
  points.value = "1,1";
  assert.deepEqual(flush().map((o) => o.op), ["attrs"]);
});
