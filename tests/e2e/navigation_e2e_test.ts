/** Live navigation in Chromium: patch vs navigate without reloads, history, deep links, title, flash. */
import assert from "node:assert/strict";
import { createGalleryApp } from "../../examples/app.ts";
import { BROWSER_TEST, launch, openLive, serve } from "./harness.ts";

Deno.test({
  name: "e2e: live navigation",
  ...BROWSER_TEST,
  async fn(t) {
    const app = createGalleryApp({ secret: "nav-e2e", logger: () => {} });
    const server = await serve(app);
    const browser = await launch();
    try {
      const page = await openLive(browser, `${server.url}/products`);
      await page.evaluate(() => ((window as unknown as { marker: number }).marker = 7));
      const marker = () => page.evaluate(() => (window as unknown as { marker?: number }).marker);
      const pageText = () => page.textContent(".pager .page");

      await t.step("a dj-patch link changes the URL and the view without a page load", async () => {
        await page.click("a.next");
        await page.waitForFunction(() =>
          document.querySelector(".pager .page")?.textContent === "Page 2 of 1000"
        );
        assert.match(page.url(), /page=2/);
        assert.equal(await marker(), 7);
        await page.waitForFunction(() => document.title === "Products · page 2");
      });

      await t.step("a filter typed in the form is pushed into the URL (pushPatch)", async () => {
        await page.fill("input[name=q]", "amber");
        await page.press("input[name=q]", "Tab"); // a form's dj-change fires on change
        await page.waitForFunction(() => location.search.includes("q=amber"));
        await page.waitForFunction(() =>
          document.querySelector("p.count")?.textContent?.startsWith("1000 products")
        );
        assert.equal(await marker(), 7);
      });

      await t.step("a dj-navigate link switches view over the same socket", async () => {
        await page.click("a.to-counter");
        await page.waitForSelector("p.value");
        assert.equal(new URL(page.url()).pathname, "/counter");
        assert.equal(await marker(), 7, "no full reload");
        assert.equal(await page.title(), "Counter · djust");
        await page.click("button.inc");
        await page.waitForFunction(() => document.querySelector("p.value")?.textContent === "1");
      });

      await t.step("back and forward restore the right view and parameters", async () => {
        await page.goBack();
        await page.waitForSelector("section.products");
        await page.waitForFunction(() =>
          document.querySelector("p.count")?.textContent?.startsWith("1000 products")
        );
        assert.match(page.url(), /q=amber/);
        await page.goBack();
        await page.waitForFunction(() =>
          location.search.includes("page=2") && !location.search.includes("amber")
        );
        await page.waitForFunction(() =>
          document.querySelector(".pager .page")?.textContent === "Page 2 of 1000"
        );
        await page.goForward();
        await page.waitForFunction(() =>
          document.querySelector("p.count")?.textContent?.startsWith("1000 products")
        );
        await page.goForward();
        await page.waitForSelector("p.value");
        assert.equal(await marker(), 7, "history moves never reloaded the page");
      });

      await t.step("flash messages show and survive one navigation", async () => {
        await page.goBack();
        await page.waitForSelector("section.products");
        await page.click("button.reset");
        await page.waitForSelector('[dj-flash] [data-kind="info"]');
        assert.equal(await page.textContent('[dj-flash] [data-kind="info"]'), "Filters cleared");
        await page.waitForFunction(() => location.search === "");
        assert.equal(await pageText(), "Page 1 of 1000");
      });

      await t.step("scroll goes to the top on navigation and comes back on back", async () => {
        await page.setViewportSize({ width: 800, height: 200 });
        // Scrolled to the link, so the click does not scroll again (whatever the page's layout).
        await page.evaluate(() => scrollTo(0, 300));
        await page.locator("a.to-counter").scrollIntoViewIfNeeded();
        const before = await page.evaluate(() => scrollY);
        assert.ok(before > 100, `scrolled to ${before}`);
        await page.click("a.to-counter");
        await page.waitForSelector("p.value");
        assert.equal(await page.evaluate(() => scrollY), 0);
        await page.goBack();
        await page.waitForSelector("section.products");
        await page.waitForFunction((y) => Math.abs(scrollY - y) < 5, before);
      });

      await t.step("a deep link renders the filtered list on the first HTTP render", async () => {
        const res = await fetch(`${server.url}/products?q=jolly&page=3`);
        const html = (await res.text()).replace(/<!--\/?dj:\w+-->/g, ""); // markers split the text
        assert.match(html, /1000 products/);
        assert.match(html, /Page 3 of 100/);
        assert.match(html, /<title>Products · page 3<\/title>/);
      });
    } finally {
      await browser.close();
      await server.close();
      await app.close();
    }
  },
});
