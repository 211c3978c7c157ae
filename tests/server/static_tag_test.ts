import assert from "node:assert/strict";
import { StaticFileNotFound, StaticFiles } from "../../lib/server/static.ts";
import { registerStaticTag } from "../../lib/server/static_tag.ts";
import { Engine, TemplateSyntaxError } from "../../lib/template/index.ts";
import { get, tempSite } from "./static_fixtures.ts";

async function engineWith(files: Record<string, string>) {
  const site = await tempSite(files);
  const staticFiles = await StaticFiles.create({ dirs: { "/static": site.dir } });
  const engine = new Engine();
  registerStaticTag(engine, staticFiles);
  return { site, staticFiles, engine, [Symbol.asyncDispose]: () => site[Symbol.asyncDispose]() };
}

Deno.test("static tag: {% load static %}{% static %} renders the hashed URL", async () => {
  await using t = await engineWith({ "css/app.css": "body{}" });
  const html = t.engine.renderString('{% load static %}{% static "css/app.css" %}', {});
  assert.match(html, /^\/static\/css\/app\.[0-9a-f]{8}\.css$/);
  assert.equal(html, t.staticFiles.url("css/app.css"));
  const res = await get(t.staticFiles, html);
  assert.equal(res.headers.get("cache-control"), "public, max-age=31536000, immutable");
  assert.equal(await res.text(), "body{}");
});

Deno.test("static tag: the path may be a variable, with filters", async () => {
  await using t = await engineWith({ "css/app.css": "x", "js/app.js": "y" });
  const html = t.engine.renderString(
    "{% for p in paths %}[{% static p %}]{% endfor %}{% static name|lower %}",
    { paths: ["css/app.css", "js/app.js"], name: "CSS/APP.CSS" },
  );
  const css = t.staticFiles.url("css/app.css");
  assert.equal(html, `[${css}][${t.staticFiles.url("js/app.js")}]${css}`);
});

Deno.test("static tag: `as name` stores the URL instead of printing it", async () => {
  await using t = await engineWith({ "css/app.css": "x" });
  const template = t.engine.fromString(
    '{% static "css/app.css" as url %}<link href="{{ url }}">{% for i in "ab" %}{% static "css/app.css" as u %}{{ u|length }}{% endfor %}',
  );
  const url = t.staticFiles.url("css/app.css");
  const expected = `<link href="${url}">${url.length}${url.length}`;
  // The second render runs the compiled form of the template.
  assert.equal(template.render({}), expected);
  assert.equal(template.render({}), expected);
});

Deno.test("static tag: the URL is escaped like Django's, and kept raw without autoescape", async () => {
  await using t = await engineWith({ "it's a&b.css": "x" });
  const hash = /\.([0-9a-f]{8})\.css$/.exec(t.staticFiles.url("it's a&b.css"))![1];
  // Django 3.2 (StaticFilesStorage) renders '/static/it&#x27;s%20a%26b.css' for this name.
  assert.equal(
    t.engine.renderString(`{% static "it's a&b.css" %}`, {}),
    `/static/it&#x27;s%20a%26b.${hash}.css`,
  );
  assert.equal(
    t.engine.renderString(`{% autoescape off %}{% static "it's a&b.css" %}{% endautoescape %}`, {}),
    `/static/it's%20a%26b.${hash}.css`,
  );
});

Deno.test("static tag: without a path it is a syntax error with Django's message", async () => {
  await using t = await engineWith({});
  assert.throws(
    () => t.engine.fromString("{% static %}"),
    (error) =>
      error instanceof TemplateSyntaxError &&
      error.message.includes("'static' takes at least one argument (path to file)"),
  );
});

Deno.test("static tag: a missing file fails the render with StaticFileNotFound", async () => {
  await using t = await engineWith({ "css/app.css": "x" });
  assert.throws(
    () => t.engine.renderString('{% static "css/typo.css" %}', {}),
    // The engine wraps it with the template position and keeps it as the cause.
    (error) =>
      error instanceof Error && error.cause instanceof StaticFileNotFound &&
      error.cause.path === "css/typo.css" && error.message.includes("<string>:1:1"),
  );
});

Deno.test("static tag: a function argument is looked up at render time", async () => {
  await using site = await tempSite({ "app.js": "x" });
  let staticFiles: StaticFiles | null = null;
  const engine = new Engine();
  registerStaticTag(engine, () => staticFiles!);
  const template = engine.fromString('{% static "app.js" %}');
  staticFiles = await StaticFiles.create({ dirs: { "/static": site.dir } });
  assert.equal(template.render({}), staticFiles.url("app.js"));
});
