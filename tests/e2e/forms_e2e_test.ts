/** Live validation, optimistic toggles with rollback, and form recovery across a server restart. */
import assert from "node:assert/strict";
import { createGalleryApp } from "../../examples/app.ts";
import { BROWSER_TEST, launch, openLive, serve } from "./harness.ts";

Deno.test({
  name: "e2e: forms and optimistic updates",
  ...BROWSER_TEST,
  async fn(t) {
    let app = createGalleryApp({ secret: "forms-e2e", logger: () => {} });
    let server = await serve(app);
    const port = server.port;
    const browser = await launch();
    try {
      await t.step(
        "a form's dj-change follows typing: errors show before the field is left",
        async () => {
          const page = await openLive(browser, `${server.url}/signup`);
          await page.type("input[name=email]", "ann@", { delay: 5 });
          await page.waitForSelector('.error[data-for="email"]');
          assert.ok(
            await page.evaluate(() => document.activeElement?.getAttribute("name") === "email"),
            "the field still has the focus: the error came from typing, not from a change event",
          );
          await page.type("input[name=email]", "example.com", { delay: 5 });
          await page.waitForFunction(() => !document.querySelector('.error[data-for="email"]'));
          await page.close();
        },
      );

      await t.step(
        "validation errors appear as the user types, only for touched fields",
        async () => {
          const page = await openLive(browser, `${server.url}/signup`);
          await page.type("input[name=email]", "not-an-email", { delay: 5 });
          await page.press("input[name=email]", "Tab");
          await page.waitForSelector('.error[data-for="email"]');
          assert.equal(
            await page.$('.error[data-for="name"]'),
            null,
            "untouched fields show no error",
          );
          await page.click("form#signup button");
          await page.waitForSelector('.error[data-for="name"]');
          assert.equal(await page.$("p.welcome"), null, "submit is blocked while invalid");
          assert.equal(
            await page.inputValue("input[name=email]"),
            "not-an-email",
            "a refused submit leaves the fields the view keeps as they were",
          );
          await page.fill("input[name=name]", "Ann");
          await page.fill("input[name=email]", "ann@example.com");
          await page.fill("input[name=age]", "30");
          await page.fill("input[name=password]", "correct horse");
          await page.click("form#signup button");
          await page.waitForSelector("p.welcome");
          await page.close();
        },
      );

      await t.step(
        "after a submit's reply the form shows what the server rendered: a sent entry leaves its box",
        async () => {
          const page = await openLive(browser, `${server.url}/todo`);
          await page.fill("form#add input[name=text]", "Water the plants");
          await page.press("form#add input[name=text]", "Enter");
          await page.waitForFunction(() =>
            [...document.querySelectorAll("li.item")].some((li) =>
              li.textContent === "Water the plants"
            )
          );
          await page.waitForFunction(() =>
            (document.querySelector("form#add input[name=text]") as HTMLInputElement).value === ""
          );
          assert.ok(
            await page.evaluate(() => document.activeElement?.getAttribute("name") === "text"),
            "the focus stays in the field for the next entry",
          );
          await page.close();
        },
      );

      await t.step(
        "an optimistic toggle shows at once and stays when the server agrees",
        async () => {
          const page = await openLive(browser, `${server.url}/todo`);
          await page.click("li[dj-key='2']");
          assert.ok(
            await page.$eval("li[dj-key='2']", (el) => el.classList.contains("done")),
            "immediately",
          );
          await page.waitForFunction(() =>
            document.querySelector("h1")?.textContent === "To do (1 left)"
          );
          assert.ok(await page.$eval("li[dj-key='2']", (el) => el.classList.contains("done")));
          await page.close();
        },
      );

      await t.step("an optimistic toggle is rolled back when the server refuses", async () => {
        const page = await openLive(browser, `${server.url}/todo`);
        await page.click("li[dj-key='3']");
        assert.ok(
          await page.$eval("li[dj-key='3']", (el) => el.classList.contains("done")),
          "immediately",
        );
        await page.waitForFunction(() =>
          !document.querySelector("li[dj-key='3']")?.classList.contains("done")
        );
        await page.close();
      });

      await t.step("form values survive a server restart", async () => {
        const page = await openLive(browser, `${server.url}/signup`);
        await page.type("input[name=name]", "Bea", { delay: 5 });
        await page.type("input[name=email]", "bea@", { delay: 5 });
        await page.press("input[name=email]", "Tab");
        await page.waitForSelector('.error[data-for="email"]');
        await server.close();
        await app.close();
        await page.waitForSelector("[dj-root].dj-disconnected");
        app = createGalleryApp({ secret: "forms-e2e", logger: () => {} });
        server = await serve(app, port);
        await page.waitForSelector("[dj-root].dj-connected", { timeout: 15_000 });
        await page.waitForFunction(() =>
          (document.querySelector("input[name=name]") as HTMLInputElement).value === "Bea" &&
          (document.querySelector("input[name=email]") as HTMLInputElement).value === "bea@"
        );
        // The recovered values reached the new server: it validates them.
        await page.fill("input[name=age]", "5");
        await page.press("input[name=age]", "Tab");
        await page.waitForSelector('.error[data-for="age"]');
        await page.close();
      });
    } finally {
      await browser.close();
      await server.close();
      await app.close();
    }
  },
});
