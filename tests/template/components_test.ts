/**
 * Template components: `{% component %}` renders a registered template with its attributes; the
 * body fills slots that the template places with `{% render_slot %}`, rendered in the caller's
 * variables. Plain renders here; live views in tests/live/components_template_test.ts.
 */
import assert from "node:assert/strict";
import { Engine, TemplateSyntaxError } from "../../lib/template/index.ts";

const TEMPLATES = {
  "components/button.html":
    `<button class="btn btn-{{ variant }}"{% if disabled %} disabled{% endif %}>{% render_slot %}</button>`,
  "components/card.html": `<div class="card"><h2>{{ title }}</h2>{% render_slot %}` +
    `{% if slots.footer %}<footer>{% render_slot "footer" %}</footer>{% endif %}</div>`,
  "components/peek.html": `[{{ secret|default:"hidden" }}|{{ variant }}]{% render_slot %}`,
  "ui/badge.html": `<span class="badge">{% render_slot %}</span>`,
};

function engine(): Engine {
  return new Engine({ templates: TEMPLATES, components: { badge: "ui/badge.html" } });
}

Deno.test("components: attributes are the template's variables; the body is the default slot", () => {
  const html = engine().renderString(
    `{% component "button" variant="primary" disabled=off %}Save {{ n }}{% endcomponent %}`,
    { n: 3, off: false },
  );
  assert.equal(html, '<button class="btn btn-primary">Save 3</button>');
});

Deno.test("components: named slots, and slots.<name> tells which were filled", () => {
  const e = engine();
  assert.equal(
    e.renderString(
      `{% component "card" title=t %}Body {% slot "footer" %}by {{ who }}{% endslot %}{% endcomponent %}`,
      { t: "News", who: "Ann" },
    ),
    '<div class="card"><h2>News</h2>Body <footer>by Ann</footer></div>',
  );
  assert.equal(
    e.renderString(`{% component "card" title="Bare" / %}`, {}),
    '<div class="card"><h2>Bare</h2></div>',
  );
});

Deno.test("components: slots render in the caller's variables, the template in its own only", () => {
  const html = engine().renderString(
    `{% component "peek" variant="inner" %}{{ variant }}/{{ secret }}{% endcomponent %}`,
    { variant: "outer", secret: "s3cret" },
  );
  // The template does not see the caller's `secret`; the slot sees the caller's `variant`.
  assert.equal(html, "[hidden|inner]outer/s3cret");
});

Deno.test("components: nested components and slots inside slots", () => {
  const html = engine().renderString(
    `{% component "card" title="Outer" %}` +
      `{% component "button" variant="x" %}<b>{{ who }}</b>{% endcomponent %}` +
      `{% slot "footer" %}{% component "badge" %}{{ who }}{% endcomponent %}{% endslot %}` +
      `{% endcomponent %}`,
    { who: "Bo" },
  );
  assert.equal(
    html,
    '<div class="card"><h2>Outer</h2><button class="btn btn-x"><b>Bo</b></button>' +
      '<footer><span class="badge">Bo</span></footer></div>',
  );
});

Deno.test("components: attribute values and slot variables are escaped", () => {
  const html = engine().renderString(
    `{% component "button" variant=v %}{{ v }}{% endcomponent %}`,
    { v: `"><script>` },
  );
  assert.equal(
    html,
    '<button class="btn btn-&quot;&gt;&lt;script&gt;">&quot;&gt;&lt;script&gt;</button>',
  );
});

Deno.test("components: inside loops, also once the template is compiled", () => {
  const e = new Engine({
    templates: {
      ...TEMPLATES,
      "page.html": `{% for x in items %}{% component "button" variant=x %}{{ x }}` +
        `{{ forloop.counter }}{% endcomponent %}{% endfor %}`,
    },
  });
  const expected = '<button class="btn btn-a">a1</button><button class="btn btn-b">b2</button>';
  // The third render runs the compiled code path.
  for (let i = 0; i < 3; i++) assert.equal(e.render("page.html", { items: ["a", "b"] }), expected);
});

Deno.test("components: the engine's components map names templates; others follow the convention", () => {
  const e = engine();
  assert.equal(
    e.renderString(`{% component "badge" %}new{% endcomponent %}`, {}),
    '<span class="badge">new</span>',
  );
  e.components.set("button", "ui/badge.html");
  assert.equal(
    e.renderString(`{% component "button" %}b{% endcomponent %}`, {}),
    '<span class="badge">b</span>',
  );
  assert.throws(
    () => e.renderString(`{% component "missing" / %}`, {}),
    /components\/missing\.html/,
  );
});

Deno.test("components: misuse is a syntax error with the position", () => {
  const e = engine();
  const cases: [string, RegExp][] = [
    [`{% slot "x" %}{% endslot %}`, /'slot' is only valid directly inside/],
    [`{% component button %}{% endcomponent %}`, /quoted name/],
    [`{% component "card" x %}{% endcomponent %}`, /name=value/],
    [
      `{% component "card" %}{% slot "f" %}{% endslot %}{% slot "f" %}{% endslot %}{% endcomponent %}`,
      /filled more than once/,
    ],
    [`{% component "card" %}{% slot "default" %}{% endslot %}{% endcomponent %}`, /default slot/],
    [`{% component "card" %}never closed`, /Unclosed tag/],
    [`{% render_slot "a" "b" %}`, /at most one argument/],
  ];
  for (const [source, message] of cases) {
    assert.throws(
      () => e.renderString(source, {}),
      (err) => err instanceof TemplateSyntaxError && message.test(err.message) && err.line === 1,
      source,
    );
  }
});

Deno.test("components: render_slot outside a component is a render error naming the template", () => {
  const e = new Engine({ templates: { "lone.html": "\n{% render_slot %}" } });
  assert.throws(
    () => e.render("lone.html", {}),
    /only valid in a component's template[\s\S]*lone\.html:2/,
  );
});
