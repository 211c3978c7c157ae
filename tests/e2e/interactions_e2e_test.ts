/**
 * Loading states, disable-with, window keys, click-away and dj-update="ignore" in Chromium (debounce
 * and throttle are in rate_limit_e2e_test.ts, on a fake clock).
 */
import assert from "node:assert/strict";
import { BROWSER_TEST, launch, openLive, serve } from "./harness.ts";
import { e2eApp } from "./fixtures.ts";

Deno.test({
  name: "e2e: interaction toolkit",
  ...BROWSER_TEST,
  async fn(t) {
    const app = e2eApp();
    const server = await serve(app);
    const browser = await launch();
    try {
      const page = await openLive(browser, `${server.url}/interactions`);
      const events = async () => Number(await page.textContent("#events"));

      await t.step("a slow handler shows and clears loading classes and disable-with", async () => {
        await page.click("#slow");
        const during = await page.evaluate(() => ({
          button: document.querySelector("#slow")!.className,
          disabled: (document.querySelector("#slow") as HTMLButtonElement).disabled,
          label: document.querySelector("#slow")!.textContent,
          spinner: document.querySelector("#spinner")!.className,
          any: document.querySelector("#any")!.className,
        }));
        assert.deepEqual(during, {
          button: "dj-loading",
          disabled: true,
          label: "Saving…",
          spinner: "spinner dj-loading",
          any: "busy",
        });
        // The click also counts as a click outside #menu (dj-click-away), so wait for the handler's
        // side effect rather than the last log line.
        await page.waitForFunction(() =>
          !document.querySelector("#slow")!.classList.contains("dj-loading")
        );
        const after = await page.evaluate(() => ({
          button: document.querySelector("#slow")!.className,
          disabled: (document.querySelector("#slow") as HTMLButtonElement).disabled,
          label: document.querySelector("#slow")!.textContent,
          spinner: document.querySelector("#spinner")!.className,
          any: document.querySelector("#any")!.className,
        }));
        assert.deepEqual(after, {
          button: "",
          disabled: false,
          label: "Save",
          spinner: "spinner",
          any: "",
        });
      });

      await t.step('dj-loading="slow" ignores other events', async () => {
        await page.click("#flip");
        const spinner = await page.$eval("#spinner", (el) => el.className);
        assert.equal(spinner, "spinner");
        await page.waitForFunction(() => !document.querySelector(".dj-loading, .busy"));
      });

      await t.step("dj-window-keydown with dj-key fires only for that key", async () => {
        const before = await events();
        await page.keyboard.press("a");
        await page.keyboard.press("Escape");
        await page.waitForFunction(() =>
          document.querySelector("#log")?.textContent === "key Escape"
        );
        assert.equal(await events(), before + 1);
      });

      await t.step("dj-click-away fires for clicks outside the element only", async () => {
        const before = await events();
        await page.click("#menu");
        await page.click("#log");
        await page.waitForFunction(() => document.querySelector("#log")?.textContent === "away");
        assert.equal(await events(), before + 1, "the click inside did not count");
      });

      await t.step('dj-update="ignore" content written by client JS survives patches', async () => {
        await page.evaluate(
          () => (document.querySelector("#widget")!.innerHTML = "<canvas id='c'></canvas>client"),
        );
        for (let i = 0; i < 3; i++) {
          const before = await events();
          await page.click("#flip");
          await page.waitForFunction(
            (n) => Number(document.querySelector("#events")?.textContent) > n,
            before,
          );
        }
        assert.equal(
          await page.$eval("#widget", (el) => el.innerHTML),
          '<canvas id="c"></canvas>client',
        );
        assert.match((await page.textContent("section p"))!, /state \d/);
        assert.equal(app.metrics.resyncs, 0);
      });
    } finally {
      await browser.close();
      await server.close();
    }
  },
});
