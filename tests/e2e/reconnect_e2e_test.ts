/** The client survives a server restart: it reconnects, rejoins and keeps working. */
import assert from "node:assert/strict";
import { BROWSER_TEST, launch, openLive, serve } from "./harness.ts";
import { e2eApp } from "./fixtures.ts";

Deno.test({
  name: "e2e: reconnect after the server restarts",
  ...BROWSER_TEST,
  async fn(t) {
    let server = await serve(e2eApp());
    const port = server.port;
    const browser = await launch();
    try {
      const page = await openLive(browser, `${server.url}/bindings`);
      await page.evaluate(() => ((window as unknown as { marker: number }).marker = 42));

      await t.step("the root is marked disconnected when the server goes away", async () => {
        await server.close();
        await page.waitForSelector("[dj-root].dj-disconnected", { timeout: 10_000 });
      });

      await t.step("a restarted server (same secret) is rejoined without a page load", async () => {
        server = await serve(e2eApp(), port);
        await page.waitForSelector("[dj-root].dj-connected", { timeout: 15_000 });
        assert.equal(
          await page.evaluate(() => (window as unknown as { marker: number }).marker),
          42,
        );
      });

      await t.step("events work after the rejoin", async () => {
        // Form recovery may already have sent the live form's values: count from here.
        await new Promise((r) => setTimeout(r, 200));
        const before = Number(await page.textContent("#count"));
        await page.click("#click");
        await page.waitForFunction(
          (n) => Number(document.querySelector("#count")?.textContent) === n + 1,
          before,
        );
      });
    } finally {
      await browser.close();
      await server.close();
    }
  },
});
