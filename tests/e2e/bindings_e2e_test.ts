/** Every binding of the core client, in real Chromium. */
import assert from "node:assert/strict";
import type { Page } from "playwright-core";
import { BROWSER_TEST, launch, openLive, serve, settled } from "./harness.ts";
import { e2eApp } from "./fixtures.ts";

/** Waits until the server has counted `count` events, and returns the last one it logged. */
async function lastEvent(page: Page, count: number): Promise<string> {
  try {
    await page.waitForFunction(
      (n) => Number(document.querySelector("#count")?.textContent) >= n,
      count,
      {
        timeout: 5000,
      },
    );
  } catch (err) {
    const seen = await page.textContent("#count");
    throw new Error(
      `expected ${count} events, server saw ${seen}: ${await page.textContent("#log")}`,
      { cause: err },
    );
  }
  return (await page.textContent("#log")) ?? "";
}

Deno.test({
  name: "e2e: bindings",
  ...BROWSER_TEST,
  async fn(t) {
    const server = await serve(e2eApp());
    const browser = await launch();
    const errors: string[] = [];
    try {
      const page = await openLive(browser, `${server.url}/bindings`, errors);
      let n = 0;

      await t.step("dj-click sends dj-value-* params, also when a child is clicked", async () => {
        await page.click("#inner");
        assert.deepEqual(JSON.parse(await lastEvent(page, ++n)), { id: "7", "user-id": "u1" });
      });

      await t.step("dj-change on a select sends its value", async () => {
        await page.selectOption("#choice", "b");
        assert.deepEqual(JSON.parse(await lastEvent(page, ++n)), { value: "b" });
      });

      await t.step("dj-change on a checkbox sends a boolean", async () => {
        await page.check("#check");
        assert.deepEqual(JSON.parse(await lastEvent(page, ++n)), { value: true });
      });

      await t.step(
        "dj-submit sends all fields: arrays for repeats and multi-selects, booleans for checkboxes",
        async () => {
          await page.fill("#form input[name=email]", "a@b.c");
          await page.click("#submit");
          assert.deepEqual(JSON.parse(await lastEvent(page, ++n)), {
            email: "a@b.c",
            agree: false,
            tags: ["x", "y"],
            multi: ["1", "2"],
            size: "m",
            note: "n",
          });
          assert.equal(new URL(page.url()).pathname, "/bindings", "the form did not navigate");
        },
      );

      await t.step("dj-change on a form sends all fields and _target", async () => {
        await page.fill("#live-form input[name=b]", "22");
        await page.press("#live-form input[name=b]", "Tab");
        assert.deepEqual(JSON.parse(await lastEvent(page, ++n)), { a: "1", b: "22", _target: "b" });
      });

      await t.step(
        "dj-keydown sends key and value; dj-keyup.enter fires only for Enter",
        async () => {
          await page.focus("#keys");
          n = Number(await page.textContent("#count"));
          await page.keyboard.press("x");
          assert.deepEqual(JSON.parse(await lastEvent(page, ++n)), { key: "x", value: "" });
          await page.keyboard.press("Enter");
          const log = await lastEvent(page, n += 2); // keydown Enter + keyup.enter
          assert.match(log, /^enter:/);
          assert.equal(JSON.parse(log.slice(6)).key, "Enter");
        },
      );

      await t.step("dj-focus and dj-blur fire on focus changes", async () => {
        n = Number(await page.textContent("#count"));
        await page.focus("#focus");
        assert.deepEqual(JSON.parse(await lastEvent(page, ++n)), { value: "" });
        await page.focus("#typing");
        assert.match(await lastEvent(page, ++n), /^blur:/);
      });

      await t.step(
        "dj-input on a text field waits for a pause in typing, then sends the value",
        async () => {
          await page.fill("#typing", "");
          await page.type("#typing", "hello", { delay: 10 });
          await page.waitForFunction(() =>
            document.querySelector("#echo")?.textContent === "hello"
          );
          await settled(page);
        },
      );

      await t.step("typing keeps focus, caret and value while patches arrive", async () => {
        await page.fill("#typing", "");
        await page.type("#typing", "abcdef", { delay: 5 });
        for (let i = 0; i < 3; i++) await page.keyboard.press("ArrowLeft");
        await page.keyboard.type("XY", { delay: 20 });
        await page.waitForFunction(() =>
          document.querySelector("#echo")?.textContent === "abcXYdef"
        );
        await settled(page);
        const state = await page.evaluate(() => {
          const el = document.querySelector("#typing") as HTMLInputElement;
          return {
            focused: document.activeElement === el,
            value: el.value,
            caret: el.selectionStart,
          };
        });
        assert.deepEqual(state, { focused: true, value: "abcXYdef", caret: 5 });
      });

      assert.deepEqual(errors, []);
    } finally {
      await browser.close();
      await server.close();
    }
  },
});
