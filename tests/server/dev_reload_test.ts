/**
 * The development loop for templates: a changed template file re-renders open views in place with
 * their state; a broken one shows as an overlay (name, line, caret) until it is fixed.
 */
import assert from "node:assert/strict";
import { App, eventHandler, LiveView, signal } from "../../mod.ts";
import { liveTest } from "../../lib/testing/mod.ts";
import { waitFor } from "../helpers/wait.ts";

class Page extends LiveView {
  static override templateName = "page.html";
  n = signal(0);
  @eventHandler()
  inc(): void {
    this.n.value++;
  }
}

Deno.test("dev reload: a changed template re-renders the open view with its state; a broken one overlays", async () => {
  const dir = await Deno.makeTempDir();
  await Deno.writeTextFile(`${dir}/page.html`, `<p id="n">{{ n }}</p>`);
  const app = new App({ dev: true, logger: () => {}, templateDirs: [dir] });
  app.live("/", Page);
  try {
    const view = await liveTest(app, "/");
    await view.event("inc");
    await view.event("inc");
    assert.equal(view.text("#n"), "2");

    await Deno.writeTextFile(`${dir}/page.html`, `<h1 id="count">Count: {{ n }}</h1>`);
    await waitFor(async () => {
      await view.settle();
      return view.has("#count");
    }, "the new template on the page");
    assert.equal(view.text("#count"), "Count: 2", "the state was kept");

    await Deno.writeTextFile(`${dir}/page.html`, `<h1 id="count">\n{% if n %}{{ n }}</h1>`);
    await waitFor(async () => {
      await view.settle();
      return view.overlay() !== "";
    }, "the overlay");
    assert.match(view.overlay(), /TemplateSyntaxError/);
    assert.match(view.overlay(), /page\.html:2/, view.overlay());
    assert.match(view.overlay(), /\^/, "the line with a caret");
    assert.equal(view.text("#count"), "Count: 2", "the page keeps what it showed");

    await Deno.writeTextFile(`${dir}/page.html`, `<h1 id="count">Fixed: {{ n }}</h1>`);
    await waitFor(async () => {
      await view.settle();
      return view.overlay() === "" && view.text("#count") === "Fixed: 2";
    }, "the overlay to go and the fixed template to show");
    await view.event("inc");
    assert.equal(view.text("#count"), "Fixed: 3");
    await view.close();
  } finally {
    await app.close();
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("dev reload: production apps do not watch templates", async () => {
  const dir = await Deno.makeTempDir();
  await Deno.writeTextFile(`${dir}/page.html`, `<p id="n">{{ n }}</p>`);
  const app = new App({ secret: "prod", logger: () => {}, templateDirs: [dir] });
  app.live("/", Page);
  try {
    const view = await liveTest(app, "/");
    await Deno.writeTextFile(`${dir}/page.html`, `<h1 id="count">{{ n }}</h1>`);
    await new Promise((r) => setTimeout(r, 300));
    await view.settle();
    assert.ok(view.has("#n") && !view.has("#count"));
    await view.close();
  } finally {
    await app.close();
    await Deno.remove(dir, { recursive: true });
  }
});
