/** The development loop in Chromium: template edits show in place; a broken template overlays. */
import assert from "node:assert/strict";
import { App, eventHandler, LiveView, signal } from "../../mod.ts";
import { BROWSER_TEST, launch, openLive, serve } from "./harness.ts";

class Page extends LiveView {
  static override templateName = "page.html";
  n = signal(0);
  @eventHandler()
  inc(): void {
    this.n.value++;
  }
}

Deno.test({
  name: "e2e dev: edits re-render in place with state kept; a syntax error overlays until fixed",
  ...BROWSER_TEST,
  async fn(t) {
    const dir = await Deno.makeTempDir();
    const write = (text: string) => Deno.writeTextFile(`${dir}/page.html`, text);
    await write(`<p id="n">{{ n }}</p><button id="inc" dj-click="inc">+</button>`);
    const app = new App({ dev: true, logger: () => {}, templateDirs: [dir] });
    app.live("/", Page);
    const server = await serve(app);
    const browser = await launch();
    try {
      const page = await openLive(browser, server.url + "/");
      await page.click("#inc");
      await page.waitForFunction(() => document.querySelector("#n")?.textContent === "1");

      await t.step("an edited template shows at once, with the view's state", async () => {
        await write(`<h1 id="n">Count {{ n }}</h1><button id="inc" dj-click="inc">+</button>`);
        await page.waitForFunction(() => document.querySelector("h1#n")?.textContent === "Count 1");
      });

      await t.step(
        "a syntax error shows as an overlay with the template name, line and caret",
        async () => {
          await write(`<h1 id="n">Count {{ n }}</h1>\n{% if n %}<button id="inc">+</button>`);
          await page.waitForSelector("#dj-dev-overlay");
          const text = await page.textContent("#dj-dev-overlay");
          assert.match(text!, /page\.html:2/);
          assert.match(text!, /\^/);
        },
      );

      await t.step("fixing it removes the overlay and shows the fixed template", async () => {
        await write(`<h2 id="n">Fixed {{ n }}</h2><button id="inc" dj-click="inc">+</button>`);
        await page.waitForSelector("#dj-dev-overlay", { state: "detached" });
        await page.waitForFunction(() => document.querySelector("h2#n")?.textContent === "Fixed 1");
        await page.click("#inc");
        await page.waitForFunction(() => document.querySelector("h2#n")?.textContent === "Fixed 2");
      });
    } finally {
      await browser.close();
      await server.close();
      await app.close();
      await Deno.remove(dir, { recursive: true });
    }
  },
});
