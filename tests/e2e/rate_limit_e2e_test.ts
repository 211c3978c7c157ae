/**
 * dj-debounce, the default debounce of text fields, and rate limits kept per binding, in Chromium on
 * a fake clock: time moves only when the test says, so a loaded machine cannot fire a debounce early
 * or late.
 */
import assert from "node:assert/strict";
import { BROWSER_TEST, launch, openLive, serve } from "./harness.ts";
import { e2eApp } from "./fixtures.ts";

Deno.test({
  name: "e2e: client rate limits",
  ...BROWSER_TEST,
  async fn(t) {
    const app = e2eApp();
    const server = await serve(app);
    const browser = await launch();
    try {
      const page = await openLive(browser, `${server.url}/rate-limits`);
      await page.clock.install();
      await page.clock.pauseAt(Date.now() + 1000);
      const events = async () => Number(await page.textContent("#events"));
      const log = () => page.textContent("#log");
      const logIs = (text: string) =>
        page.waitForFunction((t) => document.querySelector("#log")?.textContent === t, text);

      await t.step("dj-debounce sends one event after typing stops", async () => {
        const before = await events();
        await page.type("#search", "hello");
        await page.clock.runFor(150);
        assert.equal(await events(), before, "nothing before the pause is long enough");
        await page.clock.runFor(100);
        await logIs("typed hello");
        assert.equal(await events(), before + 1);
      });

      await t.step("dj-input on a text field is debounced by default", async () => {
        const before = await events();
        await page.type("#plain", "abc");
        await page.clock.runFor(250);
        assert.equal(await events(), before, "300 ms by default");
        await page.clock.runFor(100);
        await logIs("typed abc");
        assert.equal(await events(), before + 1);
      });

      await t.step("dj-input and dj-model.debounce-N on one field both send", async () => {
        const before = await events();
        await page.type("#both", "Oslo");
        await page.clock.runFor(400);
        await logIs("typed Oslo");
        await page.waitForFunction(() => document.querySelector("#city")?.textContent === "Oslo");
        assert.equal(await events(), before + 1, "one dj-input event");
      });

      await t.step(
        'dj-debounce="blur" sends once, with the last value, when the field is left',
        async () => {
          const before = await events();
          await page.type("#onblur", "four");
          await page.clock.runFor(1000);
          assert.equal(await events(), before, "nothing while typing, however long");
          await page.focus("#other");
          await logIs("typed four");
          await page.clock.runFor(1000);
          assert.equal(await events(), before + 1, "one event for four keystrokes");
          assert.equal(await log(), "typed four");
        },
      );
    } finally {
      await browser.close();
      await server.close();
    }
  },
});
