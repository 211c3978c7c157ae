/** Collaborative cursors: one user's pointer shows on the other's board; moves are throttled. */
import assert from "node:assert/strict";
import { createGalleryApp } from "../../examples/app.ts";
import { BROWSER_TEST, launch, serve } from "./harness.ts";

Deno.test({
  name: "e2e: cursors across two browsers, throttled",
  ...BROWSER_TEST,
  async fn(t) {
    const app = createGalleryApp({
      secret: "cursors-e2e",
      logger: () => {},
      presenceHeartbeatMs: 200,
    });
    const server = await serve(app);
    const browser = await launch();
    try {
      const annContext = await browser.newContext(), bobContext = await browser.newContext();
      const ann = await annContext.newPage(), bob = await bobContext.newPage();
      for (const [page, name] of [[ann, "ann"], [bob, "bob"]] as const) {
        await page.goto(`${server.url}/cursors?name=${name}`);
        await page.waitForSelector("[dj-root].dj-connected");
      }

      await t.step("a pointer moving on one board appears on the other", async () => {
        const box = (await ann.locator(".board").boundingBox())!;
        await ann.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
        await bob.waitForSelector('.cursor[data-who="ann"]', { timeout: 5000 });
        const left = await bob.$eval(
          '.cursor[data-who="ann"]',
          (el) => (el as HTMLElement).style.left,
        );
        assert.match(left, /^(49|50|51)(\.\d)?%$/);
      });

      await t.step("dj-throttle limits the events a fast pointer sends", async () => {
        const box = (await ann.locator(".board").boundingBox())!;
        const before = app.metrics.events;
        const started = Date.now();
        for (let i = 0; i <= 40; i++) {
          await ann.mouse.move(box.x + 2 + ((box.width - 4) * i) / 40, box.y + 10);
        }
        const elapsed = Date.now() - started;
        await new Promise((r) => setTimeout(r, 100));
        const sent = app.metrics.events - before;
        assert.ok(
          sent >= 1 && sent <= Math.ceil(elapsed / 40) + 2,
          `${sent} events in ${elapsed} ms for 41 moves`,
        );
        // The trailing event carries the last position (the right edge).
        await bob.waitForFunction(() =>
          parseFloat(
            (document.querySelector('.cursor[data-who="ann"]') as HTMLElement)?.style.left,
          ) >= 98
        );
      });

      await t.step("a user who leaves loses their cursor on the other board", async () => {
        await annContext.close();
        await bob.waitForFunction(
          () => !document.querySelector('.cursor[data-who="ann"]'),
          undefined,
          {
            timeout: 10_000,
          },
        );
      });
      await bobContext.close();
    } finally {
      await browser.close();
      await server.close();
      await app.close();
    }
  },
});
