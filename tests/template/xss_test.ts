/**
 * Hostile strings through variables, filters and attributes come out escaped: the rendered HTML,
 * parsed by a DOM, holds exactly the template's own elements and attributes, whatever the input.
 */
import assert from "node:assert/strict";
import { parseHTML } from "linkedom";
import { Engine } from "../../mod.ts";

const HOSTILE = [
  "<script>alert(1)</script>",
  '"><script>alert(1)</script>',
  "' onmouseover='alert(1)",
  '" onfocus="alert(1)" autofocus="',
  "javascript:alert(1)",
  "<img src=x onerror=alert(1)>",
  "&lt;script&gt;alert(1)&lt;/script&gt;",
  "</textarea><script>alert(1)</script>",
  "<a href='javascript:alert(1)'>x</a> http://evil.test/<script>",
  "x@y.test <svg onload=alert(1)>",
  "{{ 7*7 }}{% debug %}",
  "\u2028\u2029</script><!--",
];

/** Each template wraps the value in one known element; filters that keep or produce markup are here too. */
const TEMPLATES: [string, number][] = [
  ["<p>{{ v }}</p>", 1],
  ['<p title="{{ v }}">x</p>', 1],
  ["<p title='{{ v }}'>x</p>", 1],
  ['<a href="{{ v }}">x</a>', 1],
  [
    "<p>{{ v|upper }}{{ v|title }}{{ v|capfirst }}{{ v|truncatechars:20 }}{{ v|truncatewords:3 }}</p>",
    1,
  ],
  [
    "<p>{{ v|slice:':30' }}{{ v|cut:'a' }}{{ v|default:'x' }}{{ v|wordwrap:5 }}{{ v|center:40 }}</p>",
    1,
  ],
  ["<p>{{ v|striptags }}{{ v|addslashes }}{{ v|escape }}{{ v|force_escape }}{{ v|pprint }}</p>", 1],
  ['<p title="{{ v|urlencode }}">{{ v|iriencode }}{{ v|make_list }}{{ v|phone2numeric }}</p>', 1],
  ["<div>{{ v|linebreaks }}</div>", "p"],
  ["<div>{{ v|linebreaksbr }}{{ v|linenumbers }}</div>", 1],
  ["<ul>{{ l|unordered_list }}</ul>", "li"],
  ["<p>{{ l|join:', ' }}{{ l|first }}{{ l|last }}{{ l|random }}</p>", 1],
  ["<p>{{ v|truncatechars_html:30 }}{{ v|truncatewords_html:4 }}</p>", 1],
  ["<p>{% filter upper %}{{ v }}{% endfilter %}{% firstof v %}{% cycle v v %}</p>", 1],
  ["<p>{% with w=v %}{{ w }}{% endwith %}{% for c in l %}{{ c }}{% endfor %}</p>", 1],
  ['<script>var s = "{{ v|escapejs }}";</script>', 1],
  ["{{ v|json_script:'data' }}", 1],
].map(([t, n]) => [t as string, typeof n === "number" ? n : -1]);

const engine = new Engine();

function elements(html: string): { tags: string[]; attributes: string[]; hrefs: string[] } {
  const { document } = parseHTML(`<!DOCTYPE html><html><body>${html}</body></html>`);
  const all = [...document.body.querySelectorAll("*")];
  return {
    tags: all.map((e) => e.tagName.toLowerCase()),
    attributes: all.flatMap((e) => [...e.attributes].map((a) => a.name)),
    hrefs: all.map((e) => e.getAttribute("href") ?? "").filter(Boolean),
  };
}

for (const [template, expected] of TEMPLATES) {
  Deno.test(`xss: ${template}`, () => {
    const own = elements(engine.renderString(template, { v: "plain", l: ["plain", "text"] }));
    for (const v of HOSTILE) {
      const html = engine.renderString(template, { v, l: [v, ["nested " + v]] });
      const got = elements(html);
      const where = `input ${JSON.stringify(v)} gave ${html}`;
      if (expected === 1) assert.deepEqual(got.tags, own.tags, where);
      assert.ok(
        !got.tags.includes("script") || template.includes("<script") ||
          template.includes("json_script"),
        where,
      );
      assert.ok(!got.tags.some((t) => ["img", "svg", "textarea"].includes(t)), where);
      assert.ok(!got.attributes.some((a) => a.startsWith("on") || a === "autofocus"), where);
      assert.ok(!html.includes("<script>alert"), where);
      assert.ok(!html.includes("</script><"), where);
    }
  });
}

Deno.test("xss: urlize never links javascript: and escapes around the links it makes", () => {
  for (const v of HOSTILE) {
    const html = engine.renderString("<p>{{ v|urlize }}{{ v|urlizetrunc:10 }}</p>", { v });
    const got = elements(html);
    assert.ok(got.tags.every((t) => t === "p" || t === "a"), html);
    assert.ok(got.hrefs.every((h) => /^(https?:|mailto:)/.test(h)), html);
    assert.ok(!got.attributes.some((a) => a.startsWith("on")), html);
  }
});

Deno.test("xss: values marked safe are the only way to emit markup", () => {
  const out = engine.renderString("{{ v }}|{{ v|safe }}", { v: "<b>x</b>" });
  assert.equal(out, "&lt;b&gt;x&lt;/b&gt;|<b>x</b>");
});
