/** When the page lacks an anchor a patch names, the client asks for a full render and recovers. */
import assert from "node:assert/strict";
import { BROWSER_TEST, launch, openLive, serve } from "./harness.ts";
import { e2eApp } from "./fixtures.ts";

Deno.test({
  name: "e2e: a patch for a missing anchor triggers a resync that restores the view",
  ...BROWSER_TEST,
  async fn() {
    const app = e2eApp();
    const server = await serve(app);
    const browser = await launch();
    try {
      const page = await openLive(browser, `${server.url}/bindings`);
      // Break the page the way foreign scripts or extensions do: drop the anchor of #count.
      await page.evaluate(() => document.querySelector("#count")!.removeAttribute("dj"));
      await page.click("#click");
      await page.waitForFunction(() => document.querySelector("#count")?.textContent === "1");
      assert.equal(app.metrics.resyncs, 1, "the resync was counted");
      assert.ok(await page.$eval("#count", (el) => el.hasAttribute("dj")), "anchors are back");
      await page.click("#click");
      await page.waitForFunction(() => document.querySelector("#count")?.textContent === "2");
      assert.equal(app.metrics.resyncs, 1, "later patches apply normally");
    } finally {
      await browser.close();
      await server.close();
    }
  },
});
