/**
 * Errors raised while rendering say where they happened: the template name, line, column and the
 * line with a caret, on every path (interpreted, compiled, nodes rendered one by one as the
 * LiveView layer does), with Django's class names and the original of a user error as `cause`.
 */
import assert from "node:assert/strict";
import {
  type Context,
  Engine,
  NoReverseMatch,
  renderNodes,
  TemplateDoesNotExist,
  TemplateError,
  TemplateRenderError,
  TemplateSyntaxError,
  VariableDoesNotExist,
} from "../../lib/template/index.ts";

class CustomFailure extends Error {
  override name = "CustomFailure";
}

function newEngine(templates: Record<string, string> = {}): Engine {
  const engine = new Engine({ templates });
  engine.filters.set("explode", {
    fn: () => {
      throw new CustomFailure("the filter failed");
    },
  });
  engine.tags.simpleTag("crash", () => {
    throw new CustomFailure("the tag failed");
  });
  return engine;
}

const RENDERS = ["interpreted", "compiling", "compiled"];

/** Renders `name` three times (interpreted, then compiled) and returns each error. */
function errorsOf(engine: Engine, name: string, context: Record<string, unknown> = {}): Error[] {
  return RENDERS.map((render) => {
    try {
      engine.render(name, context);
    } catch (err) {
      assert.ok(err instanceof Error, `${render} render threw a non-Error`);
      return err;
    }
    assert.fail(`${render} render of ${name} did not throw`);
  });
}

function assertPlaced(err: Error, template: string, line: number, column: number): void {
  assert.ok(err instanceof TemplateError, `${err.name} is no TemplateError`);
  assert.deepEqual(
    { template: err.position?.template, line: err.line, column: err.column },
    { template, line, column },
    err.message,
  );
  const lines = err.message.split("\n");
  assert.equal(lines[1], `  at ${template}:${line}:${column}`, err.message);
  assert.equal(lines[2], `${line} | ${err.position!.excerpt}`, err.message);
  assert.equal(lines[3].indexOf("^"), `${line} | `.length + column - 1, err.message);
}

Deno.test("errors: a filter throwing from user code is wrapped with its cause and its position", () => {
  const engine = newEngine({ "page.html": "<ul>\n  <li>{{ name|explode }}</li>\n</ul>" });
  for (const err of errorsOf(engine, "page.html", { name: "x" })) {
    assert.ok(err instanceof TemplateRenderError);
    assert.equal(err.name, "TemplateRenderError");
    assert.ok(err.cause instanceof CustomFailure, "the original error is the cause");
    assert.match(err.message, /^CustomFailure: the filter failed\n/);
    assertPlaced(err, "page.html", 2, 7);
    assert.equal(err.position?.excerpt, "  <li>{{ name|explode }}</li>");
  }
});

Deno.test("errors: a custom tag throwing is placed at the tag", () => {
  const engine = newEngine({ "tag.html": "a\nb {% crash %}" });
  for (const err of errorsOf(engine, "tag.html")) {
    assert.ok(err.cause instanceof CustomFailure);
    assertPlaced(err, "tag.html", 2, 3);
  }
});

Deno.test("errors: inside loops and conditions, compiled code places errors at the failing node", () => {
  const source = "{% for x in xs %}\n{% if x %}\n  {{ x|add:missing }}\n{% endif %}{% endfor %}";
  const engine = newEngine({ "loop.html": source });
  for (const err of errorsOf(engine, "loop.html", { xs: [1, 2] })) {
    assert.ok(err instanceof VariableDoesNotExist, err.name);
    assertPlaced(err, "loop.html", 3, 3);
  }
});

Deno.test("errors: loop unpacking fails with Django's ValueError at the for tag", () => {
  const source = "<p>\n{% for a, b in pairs %}{{ a }}{{ b }}{% endfor %}</p>";
  const engine = newEngine({ "pairs.html": source });
  for (const err of errorsOf(engine, "pairs.html", { pairs: [[1, 2], [1, 2, 3]] })) {
    assert.equal(err.name, "ValueError");
    assert.match(err.message, /^Need 2 values to unpack in for loop; got 3\./);
    assertPlaced(err, "pairs.html", 2, 1);
  }
});

Deno.test("errors: an error in an included template points into that template", () => {
  const engine = newEngine({
    "outer.html": "{% for i in xs %}{% include 'inner.html' %}{% endfor %}",
    "inner.html": "ok\n{{ i|center:'wide' }}",
  });
  for (const err of errorsOf(engine, "outer.html", { xs: [1] })) {
    assert.equal(err.name, "ValueError");
    assert.match(err.message, /invalid literal for int\(\) with base 10: 'wide'/);
    assertPlaced(err, "inner.html", 2, 1);
  }
});

Deno.test("errors: a missing included template is placed at the include tag", () => {
  const engine = newEngine({ "inc.html": "x\n  {% include 'nope.html' %}" });
  for (const err of errorsOf(engine, "inc.html")) {
    assert.ok(err instanceof TemplateDoesNotExist);
    assert.equal(err.templateName, "nope.html");
    assertPlaced(err, "inc.html", 2, 3);
  }
});

Deno.test("errors: {% url %} without a route is a NoReverseMatch keeping the resolver's error", () => {
  const engine = newEngine({ "url.html": "{% url 'home' %}" });
  for (const err of errorsOf(engine, "url.html")) {
    assert.ok(err instanceof NoReverseMatch);
    assert.equal(err.name, "NoReverseMatch");
    assertPlaced(err, "url.html", 1, 1);
  }
  const failing = new Error("NoReverseMatch: no route named 'home'");
  assert.throws(
    () =>
      engine.render("url.html", {}, {
        reverse: () => {
          throw failing;
        },
      }),
    (err: NoReverseMatch) =>
      err instanceof NoReverseMatch && err.cause === failing &&
      err.reason === "no route named 'home'",
  );
});

Deno.test("errors: widthratio with a width that is no number is Django's render-time syntax error", () => {
  const engine = newEngine({ "w.html": "\n{% widthratio 1 2 w %}" });
  for (const err of errorsOf(engine, "w.html", { w: "x" })) {
    assert.ok(err instanceof TemplateSyntaxError);
    assertPlaced(err, "w.html", 2, 1);
  }
});

/** The LiveView layer renders nodes one at a time; the position must be there too. */
Deno.test("errors: nodes rendered one by one (node.render, renderNodes([node])) carry the position", () => {
  const engine = newEngine();
  const template = engine.fromString("<b>\n{{ x|explode }}</b>", "view.html");
  const node = template.nodes[1];
  const ctx: Context = engine.newContext({ x: 1 });
  for (const render of [() => node.render(ctx), () => renderNodes([node], ctx)]) {
    assert.throws(render, (err: TemplateRenderError) => {
      assertPlaced(err, "view.html", 2, 1);
      return err.cause instanceof CustomFailure;
    });
  }
});

Deno.test("errors: an {% if %} and a {% for %} place the errors of the work the live layer calls", () => {
  const engine = newEngine();
  const template = engine.fromString(
    "{% if x|explode %}a{% endif %}\n{% for y in x|explode %}{% endfor %}",
    "v.html",
  );
  const [ifNode, , forNode] = template.nodes as unknown as [
    { choose(ctx: Context): number },
    unknown,
    { items(ctx: Context): unknown[] },
  ];
  const ctx = engine.newContext({ x: 1 });
  assert.throws(() => ifNode.choose(ctx), (err: TemplateError) => err.line === 1);
  assert.throws(() => forNode.items(ctx), (err: TemplateError) => err.line === 2);
});

Deno.test("errors: filters fail with Python's exception names and readable messages", () => {
  const engine = newEngine();
  const cases: [string, Record<string, unknown>, string, RegExp][] = [
    ["{{ n|first }}", { n: 5 }, "TypeError", /'int' object is not subscriptable/],
    ["{{ l|random }}", { l: [] }, "IndexError", /Cannot choose from an empty sequence/],
    ["{{ n|divisibleby:0 }}", { n: 4 }, "ZeroDivisionError", /integer division or modulo by zero/],
    ["{{ s|ljust:w }}", { s: "a", w: null }, "TypeError", /not 'NoneType'/],
    ["{{ d|dictsort:0 }}", { d: [{ "0": 1 }] }, "KeyError", /^0/],
  ];
  for (const [source, context, name, message] of cases) {
    assert.throws(
      () => engine.renderString(source, context),
      (err: Error) =>
        err.name === name && message.test(err.message) && !/missing/.test(err.message),
      source,
    );
  }
});

Deno.test("errors: a syntax error already placed keeps the position of its own template", () => {
  const engine = newEngine({ "a.html": "{% include 'b.html' %}", "b.html": "\n\n{% if %}" });
  const err = errorsOf(engine, "a.html")[0];
  assert.ok(err instanceof TemplateSyntaxError);
  assertPlaced(err, "b.html", 3, 1);
});

Deno.test("errors: the stack starts with the placed message", () => {
  const engine = newEngine({ "s.html": "{{ x|explode }}" });
  const err = errorsOf(engine, "s.html")[0];
  assert.ok(
    err.stack?.startsWith("TemplateRenderError: CustomFailure: the filter failed\n  at s.html:1:1"),
  );
});
