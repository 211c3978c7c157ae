/**
 * The template compiler (lib/template/compiler/): node lists compiled to JavaScript render exactly
 * what the node interpreter renders, in local mode (loop and `with` variables as JS locals) and in
 * context mode (when a tag may write variables), and nothing in a template becomes code.
 */
import assert from "node:assert/strict";
import { signal } from "@preact/signals-core";
import { type Context, Engine, interpretNodes, markSafe } from "../../lib/template/index.ts";
import { compiledSource, compileNodes } from "../../lib/template/compiler/compile.ts";

const engine = new Engine({
  templates: {
    "row.html": "{{ forloop.counter }}:{{ x }};",
    "card.html": "[{{ item.title }}|{{ extra }}]",
    "sets.html": "{% firstof a b as chosen %}{{ chosen }}",
  },
});
engine.filters.set("boom", {
  fn: () => {
    throw new Error("boom");
  },
});

/** Renders `source` interpreted (a fresh template, first render) and compiled; both must agree. */
function both(source: string, context: Record<string, unknown>): string {
  const template = engine.fromString(source);
  const interpreted = interpretNodes(template.nodes, newContext(context));
  const compiled = compileNodes(template.nodes)(newContext(context));
  assert.equal(compiled, interpreted, `compiled and interpreted differ for ${source}`);
  return compiled;
}

function newContext(values: Record<string, unknown>): Context {
  return engine.newContext(values);
}

function mode(source: string): boolean {
  return compiledSource(engine.fromString(source).nodes).localMode;
}

Deno.test("compiler: loop variables become locals and render as the interpreter does", () => {
  const source = "{% for x in xs %}{{ forloop.counter }}{{ x }}{% if forloop.last %}.{% endif %}" +
    "{% endfor %}";
  assert.equal(both(source, { xs: ["a", "b"] }), "1a2b.");
  assert.equal(mode(source), true);
});

Deno.test("compiler: forloop fields and parentloop in nested loops", () => {
  const source = "{% for a in xs %}{% for b in xs %}" +
    "{{ forloop.parentloop.counter }}{{ forloop.counter0 }}{{ forloop.revcounter }}" +
    "{{ forloop.revcounter0 }}{{ forloop.first }} {% endfor %}{% endfor %}";
  assert.equal(
    both(source, { xs: [1, 2] }),
    "1021True 1110False 2021True 2110False ",
  );
});

Deno.test("compiler: an include inside a loop sees the loop variable and forloop", () => {
  const source = '{% for x in xs %}{% include "row.html" %}{% endfor %}';
  assert.equal(both(source, { xs: ["a", "b"] }), "1:a;2:b;");
  assert.equal(mode(source), true);
});

Deno.test("compiler: include with values and only", () => {
  const source = "{% for item in items %}" +
    '{% include "card.html" with extra=forloop.counter %}' +
    '{% include "card.html" with item=item only %}{% endfor %}';
  assert.equal(
    both(source, { items: [{ title: "A" }, { title: "B" }], extra: "outer" }),
    "[A|1][A|][B|2][B|]",
  );
});

Deno.test("compiler: writes by an included template stay inside it", () => {
  const source = '{% for z in xs %}{% include "sets.html" %}{{ chosen }}{% endfor %}';
  assert.equal(both(source, { xs: [1], a: "", b: "B", chosen: "outer" }), "Bouter");
});

Deno.test("compiler: a tag that sets a variable switches to context mode, later reads see it", () => {
  const source = "{% for x in xs %}{% cycle 'a' 'b' as c %}{{ c }}{% firstof x as y %}{{ y }}" +
    "{% endfor %}";
  assert.equal(both(source, { xs: [1, 2] }), "aa1bb2");
  assert.equal(mode(source), false);
});

Deno.test("compiler: with shadows a loop variable only inside its body", () => {
  const source = "{% for x in xs %}{% with x=x|upper y=x %}{{ x }}{{ y }}{% endwith %}{{ x }} " +
    "{% endfor %}";
  assert.equal(both(source, { xs: ["a", "b"] }), "Aaa Bbb ");
});

Deno.test("compiler: loop unpacking, reversed and empty", () => {
  assert.equal(
    both("{% for k, v in pairs reversed %}{{ k }}={{ v }} {% endfor %}", {
      pairs: [["a", 1], ["b", 2]],
    }),
    "b=2 a=1 ",
  );
  assert.equal(both("{% for x in nothing %}x{% empty %}none{% endfor %}", {}), "none");
  assert.throws(
    () =>
      compileNodes(engine.fromString("{% for a, b in xs %}{% endfor %}").nodes)(
        newContext({ xs: [[1, 2, 3]] }),
      ),
    /Need 2 values to unpack/,
  );
});

Deno.test("compiler: signals are read in loops and lookups", () => {
  const rows = signal([signal({ name: "a" }), signal({ name: "<b>" })]);
  assert.equal(
    both("{% for r in rows %}{{ r.name }}{% endfor %}{{ count }}", { rows, count: signal(3) }),
    "a&lt;b&gt;3",
  );
});

Deno.test("compiler: lookups keep Django's key, attribute and index order", () => {
  class Person {
    first = "Ann";
    get full(): string {
      return `${this.first} Lee`;
    }
    greet(): string {
      return `hi ${this.first}`;
    }
  }
  const context = {
    m: new Map<string, unknown>([["size", 3], ["a", 1]]),
    list: ["x", "y"],
    p: new Person(),
    o: { name: "n" },
    s: markSafe("<i>"),
  };
  const source = "{{ m.size }} {% for k in m.keys %}{{ k }}{% endfor %} {{ m.items }} " +
    "{{ list.1 }} {{ list.length }} {{ list.map }}| {{ p.full }} {{ p.greet }} {{ o.constructor }}|" +
    "{{ o.missing|default:'d' }} {{ s }} {{ s.value }}|";
  assert.equal(
    both(source, context),
    "3 sizea [[&#x27;size&#x27;, 3], [&#x27;a&#x27;, 1]] y 2 | Ann Lee hi Ann |d <i> |",
  );
});

Deno.test("compiler: an error inside an if operator is false, a bare one propagates", () => {
  assert.equal(both("{% if x|boom or 0 %}yes{% else %}no{% endif %}", { x: 1 }), "no");
  assert.equal(both("{% if not x|boom %}yes{% else %}no{% endif %}", { x: 1 }), "no");
  assert.throws(
    () => compileNodes(engine.fromString("{% if x|boom %}{% endif %}").nodes)(newContext({})),
    /boom/,
  );
});

Deno.test("compiler: a filter argument naming a missing variable raises VariableDoesNotExist", () => {
  const nodes = engine.fromString("{% for x in xs %}{{ x|default:nope }}{% endfor %}").nodes;
  assert.throws(() => compileNodes(nodes)(newContext({ xs: [""] })), {
    name: "VariableDoesNotExist",
  });
  assert.equal(both("{% for x in xs %}{{ x|default:x }}{% endfor %}", { xs: ["a"] }), "a");
});

Deno.test("compiler: autoescape and spaceless blocks inside loops", () => {
  const source = "{% for x in xs %}{% autoescape off %}{{ x }}{% endautoescape %}{{ x }}" +
    "{% spaceless %} <b> {{ x }} </b> {% endspaceless %}{% endfor %}";
  assert.equal(both(source, { xs: ["<i>"] }), "<i>&lt;i&gt;<b> &lt;i&gt; </b>");
});

Deno.test("compiler: cycle without a name keeps its state across the whole render", () => {
  const source = "{% for x in xs %}{% cycle 'a' 'b' 'c' %}{% endfor %}|" +
    "{% for x in xs %}{% cycle x 'z' %}{% endfor %}";
  assert.equal(both(source, { xs: [1, 2, 3, 4] }), "abca|1z3z");
});

Deno.test("compiler: template text and names never become code", () => {
  const hostile = '"); throw new Error("pwned"); ("`${1}` \\ \u2028 </script>';
  const source = `${hostile}{% for x in xs %}{{ x }}${hostile}{% endfor %}{{ "a\\"b" }}`;
  const out = both(source, { xs: [hostile] });
  assert.ok(out.startsWith(hostile), out);
  assert.ok(out.includes("&quot;); throw new Error(&quot;pwned&quot;)"), out);
});

Deno.test("compiler: a template renders the same on every call (interpreted, then compiled)", () => {
  const template = engine.fromString(
    '{% for x in xs %}{% include "row.html" %}{{ x|upper }}{% endfor %}',
  );
  const outputs = [1, 2, 3].map(() => template.render({ xs: ["a", "b"] }));
  assert.deepEqual(outputs, ["1:a;A2:b;B", "1:a;A2:b;B", "1:a;A2:b;B"]);
});
