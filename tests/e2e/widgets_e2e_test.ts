/** dj-model two-way binding, JS commands that survive patches, and client hooks, in Chromium. */
import assert from "node:assert/strict";
import { BROWSER_TEST, launch, serve } from "./harness.ts";
import { e2eApp } from "./fixtures.ts";

const HOOKS = `
window.hookLog = [];
window.djustHooks = {
  Counter: {
    mounted() {
      hookLog.push("mounted");
      this.handleEvent("bumped", (p) => hookLog.push("bumped " + p.n));
      this.pushEvent("fromHook", { text: "hello from the hook" });
    },
    updated() { hookLog.push("updated"); },
    destroyed() { hookLog.push("destroyed"); },
    disconnected() { hookLog.push("disconnected"); },
    reconnected() { hookLog.push("reconnected"); },
  },
};`;

Deno.test({
  name: "e2e: dj-model, JS commands and hooks",
  ...BROWSER_TEST,
  async fn(t) {
    const app = e2eApp();
    let server = await serve(app);
    const port = server.port;
    const browser = await launch();
    try {
      const context = await browser.newContext();
      await context.addInitScript(HOOKS);
      const page = await context.newPage();
      await page.goto(`${server.url}/widgets`);
      await page.waitForSelector("[dj-root].dj-connected");
      const state = () => page.textContent("#state");

      await t.step("dj-model writes the field as the user types", async () => {
        await page.type("#name", "Ann", { delay: 20 });
        await page.waitForFunction(() =>
          document.querySelector("#state")?.textContent?.startsWith("Ann|")
        );
      });

      await t.step(
        "dj-model.lazy waits for change; .debounce-N sends once typing pauses",
        async () => {
          await page.type("#lazy", "Oslo", { delay: 10 });
          await new Promise((r) => setTimeout(r, 150));
          assert.match((await state())!, /^Ann\|\|/, "not sent before change");
          await page.press("#lazy", "Tab");
          await page.waitForFunction(() =>
            document.querySelector("#state")?.textContent?.startsWith("Ann|Oslo|")
          );
          const before = app.metrics.events;
          await page.type("#age", "42", { delay: 30 });
          await page.waitForFunction(() =>
            document.querySelector("#state")?.textContent?.includes("|42|")
          );
          assert.equal(app.metrics.events - before, 1, "one model event for two keystrokes");
        },
      );

      await t.step(
        "JS commands change the page without a round trip, and survive patches",
        async () => {
          const before = app.metrics.events;
          await page.click("#toggle-menu");
          await page.waitForFunction(() => document.querySelector("#menu")?.hasAttribute("hidden"));
          assert.equal(app.metrics.events, before, "no event reached the server");
          assert.ok(await page.$eval("#menu", (el) => el.classList.contains("open")));
          await page.click("#bump"); // the server changes #menu's class and text
          await page.waitForFunction(() =>
            document.querySelector("#menu")?.textContent?.includes("items 1")
          );
          const menu = await page.$eval(
            "#menu",
            (el) => ({ hidden: el.hasAttribute("hidden"), cls: el.className }),
          );
          assert.deepEqual(menu, { hidden: true, cls: "menu dark open" });
        },
      );

      await t.step(
        "a hook mounts once, talks both ways, updates, and is destroyed with its element",
        async () => {
          await page.waitForFunction(() =>
            document.querySelector("#pushed")?.textContent === "hello from the hook"
          );
          await page.click("#bump");
          await page.waitForFunction(() =>
            (window as unknown as { hookLog: string[] }).hookLog.includes("bumped 2")
          );
          await page.click("#hide-hook");
          await page.waitForFunction(() => !document.querySelector("#hooked"));
          const log = await page.evaluate(() =>
            (window as unknown as { hookLog: string[] }).hookLog
          );
          assert.equal(log.filter((x) => x === "mounted").length, 1);
          assert.ok(log.includes("updated"));
          assert.equal(log[log.length - 1], "destroyed");
        },
      );
      await t.step("hooks hear about the connection going down and coming back", async () => {
        const fresh = await context.newPage();
        await fresh.goto(`${server.url}/widgets`);
        await fresh.waitForSelector("[dj-root].dj-connected");
        const log = () =>
          fresh.evaluate(() => (window as unknown as { hookLog: string[] }).hookLog);
        await fresh.waitForFunction(() =>
          (window as unknown as { hookLog: string[] }).hookLog.includes("mounted")
        );
        await server.close();
        await fresh.waitForFunction(() =>
          (window as unknown as { hookLog: string[] }).hookLog.includes("disconnected")
        );
        server = await serve(app, port);
        await fresh.waitForFunction(
          () => (window as unknown as { hookLog: string[] }).hookLog.includes("reconnected"),
          undefined,
          { timeout: 15_000 },
        );
        assert.ok((await log()).includes("reconnected"));
        await fresh.close();
      });
      await context.close();
    } finally {
      await browser.close();
      await server.close();
    }
  },
});
