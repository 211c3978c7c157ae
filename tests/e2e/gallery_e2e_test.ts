/**
 * The gallery as a new user opens it in Chromium: the index, every example and a source page load
 * with no console error, page error, failed request or 4xx/5xx answer (the favicon included); each
 * example connects, answers one interaction and links to its source; the stylesheet applies.
 */
import assert from "node:assert/strict";
import { Buffer } from "node:buffer";
import type { Browser, Page } from "playwright-core";
import { createGalleryApp, EXAMPLES } from "../../examples/app.ts";
import { BROWSER_TEST, launch, serve, settled } from "./harness.ts";

/** One interaction per example, each waiting for what shows the server answered it. */
const INTERACTIONS: Record<string, (page: Page, origin: string) => Promise<unknown>> = {
  "/counter": async (page) => {
    await page.click("button.inc");
    await page.waitForFunction(() => document.querySelector("p.value")?.textContent === "1");
  },
  "/search": async (page) => {
    await page.fill("input[name=q]", "jolly");
    await page.waitForFunction(() =>
      document.querySelector(".summary")?.textContent?.includes("matches")
    );
  },
  "/table": async (page) => {
    await page.click("tr[dj-key='1'] input[type=checkbox]");
    await page.waitForFunction(() => document.querySelector("h1")?.textContent?.includes("333"));
  },
  "/chat": async (page) => {
    await page.fill("input[name=text]", "hello from the gallery test");
    await page.press("input[name=text]", "Enter");
    await page.waitForSelector("ol.messages li:has-text('hello from the gallery test')");
  },
  "/cursors": async (page) => {
    const box = (await page.locator(".board").boundingBox())!;
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
  },
  "/feed": async (page, origin) => {
    const res = await fetch(`${origin}/feed/post`, {
      method: "POST",
      body: new URLSearchParams({ text: "posted by the gallery test" }),
    });
    await res.body?.cancel();
    await page.waitForSelector("ul.items li:has-text('posted by the gallery test')");
  },
  "/signup": async (page) => {
    await page.fill("input[name=name]", "A");
    await page.press("input[name=name]", "Tab");
    await page.waitForSelector('.error[data-for="name"]');
  },
  "/wizard": async (page) => {
    await page.fill("input[name=name]", "Ann");
    await page.click("button.next");
    await page.waitForSelector("form#step2");
  },
  "/dashboard": async (page) => {
    await page.click("button.toggle");
    await page.waitForFunction(() =>
      document.querySelector("button.toggle")?.textContent === "Resume"
    );
  },
  "/todo": async (page) => {
    await page.click("li[dj-key='2']");
    await page.waitForFunction(() =>
      document.querySelector("h1")?.textContent === "To do (1 left)"
    );
  },
  "/products": async (page) => {
    await page.click("a.next");
    await page.waitForFunction(() =>
      document.querySelector(".pager .page")?.textContent === "Page 2 of 1000"
    );
  },
  "/kanban": async (page) => {
    // A vote goes to the card's component (dj-target), not to the board.
    await page.click("#card-4 button.vote");
    await page.waitForFunction(() => document.querySelector("#card-4 .votes")?.textContent === "1");
  },
  "/avatar": async (page) => {
    // A 1×1 PNG: the entry shows with its name once the server accepted the choice.
    const png = Buffer.from(
      "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==",
      "base64",
    );
    await page.setInputFiles("#avatar-input", {
      name: "dot.png",
      mimeType: "image/png",
      buffer: png,
    });
    await page.waitForSelector("li.entry .name:has-text('dot.png')");
  },
  "/stream-chat": async (page) => {
    await page.fill("input[name=text]", "streamed hello");
    await page.press("input[name=text]", "Enter");
    await page.waitForSelector("#history li:has-text('streamed hello')");
  },
  "/contacts": async (page) => {
    // Star Bo, then edit Cy in the dialog: the list and the form keep their elements.
    const bo = await page.$('li.contact:has-text("Bo Diaz")');
    await page.click('li.contact:has-text("Bo Diaz") button.fav');
    await page.waitForSelector('li.contact.favorite:has-text("Bo Diaz")');
    assert.ok(await bo!.evaluate((el) => el.isConnected), "Bo's row is the same element");
    await page.click('li.contact:has-text("Cy Okafor") button.edit');
    await page.fill('#edit-form input[name="name"]', "Cy O.");
    await page.click('#edit-form button[type="submit"]');
    await page.waitForSelector('li.contact:has-text("Cy O.")');
    await page.waitForSelector("#edit-form", { state: "detached" });
  },
};

/** Opens a page that records every console error, page error, failed request and 4xx/5xx. */
async function watchedPage(browser: Browser, problems: string[]): Promise<Page> {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  page.on("console", (m) => {
    if (m.type() === "error") problems.push(`console error: ${m.text()}`);
  });
  page.on("pageerror", (e) => problems.push(`page error: ${e.message}`));
  page.on("requestfailed", (r) => {
    problems.push(`failed request: ${r.method()} ${r.url()} (${r.failure()?.errorText})`);
  });
  page.on("response", (r) => {
    if (r.status() >= 400) problems.push(`${r.status()} for ${r.request().method()} ${r.url()}`);
  });
  return page;
}

/** True when gallery.css applied (it sets the system font stack; Chromium's default is a serif). */
function styled(page: Page): Promise<boolean> {
  return page.evaluate(() => getComputedStyle(document.body).fontFamily.startsWith("system-ui"));
}

Deno.test({
  name: "e2e: the gallery in Chromium",
  ...BROWSER_TEST,
  async fn(t) {
    const app = createGalleryApp({ secret: "gallery-e2e", logger: () => {} });
    const server = await serve(app);
    const browser = await launch();
    /** Runs `fn` on a fresh watched page, then fails with every problem the page had. */
    const visit = async (fn: (page: Page) => Promise<void>) => {
      const problems: string[] = [];
      const page = await watchedPage(browser, problems);
      try {
        await fn(page);
        assert.deepEqual(problems, [], `the page had problems:\n${problems.join("\n")}`);
      } finally {
        await page.close();
      }
    };
    try {
      await t.step("every example has an interaction in this test", () => {
        assert.deepEqual(Object.keys(INTERACTIONS).sort(), EXAMPLES.map((e) => e.path).sort());
      });

      await t.step(
        "the index shows every example as a card with demo and source links",
        () =>
          visit(async (page) => {
            await page.goto(server.url + "/");
            assert.ok(await styled(page), "gallery.css applies");
            const cards = await page.$$eval(".card", (cards) =>
              cards.map((c) => ({
                title: c.querySelector("h2")?.textContent,
                links: [...c.querySelectorAll("a")].map((a) => a.getAttribute("href")),
              })));
            assert.deepEqual(
              cards,
              EXAMPLES.map((e) => ({
                title: e.title,
                links: [e.path, e.path, `/source/${e.name}`],
              })),
            );
          }),
      );

      await t.step("the favicon is an SVG served through {% static %}", async () => {
        const html = await (await fetch(server.url + "/")).text();
        const href = html.match(/<link rel="icon" href="([^"]+)"/)?.[1];
        assert.match(href ?? "", /^\/static\/favicon\.[0-9a-f]{8}\.svg$/, "a hashed icon URL");
        const res = await fetch(server.url + href);
        await res.body?.cancel();
        assert.equal(res.status, 200);
        assert.equal(res.headers.get("content-type"), "image/svg+xml");
      });

      for (const example of EXAMPLES) {
        await t.step(
          `${example.path} connects, answers one interaction, links to its source`,
          () =>
            visit(async (page) => {
              await page.goto(server.url + example.path);
              await page.waitForSelector("[dj-root].dj-connected", { timeout: 10_000 });
              assert.ok(await styled(page), "gallery.css applies");
              assert.equal(await page.getAttribute("header a.brand", "href"), "/");
              assert.equal(
                await page.getAttribute("[dj-root] a.source-link", "href"),
                `/source/${example.name}`,
              );
              await INTERACTIONS[example.path](page, server.url);
              await settled(page);
            }),
        );
      }

      await t.step(
        "a live navigation to another example brings that example's source link",
        () =>
          visit(async (page) => {
            await page.goto(server.url + "/products");
            await page.waitForSelector("[dj-root].dj-connected", { timeout: 10_000 });
            await page.click("a.to-counter"); // dj-navigate: the view changes, the layout stays
            await page.waitForSelector("p.value");
            assert.equal(await page.getAttribute("a.source-link", "href"), "/source/counter");
          }),
      );

      await t.step(
        "the dashboard's chart spans its card and draws the samples",
        () =>
          visit(async (page) => {
            await page.goto(server.url + "/dashboard");
            await page.waitForSelector("[dj-root].dj-connected", { timeout: 10_000 });
            const width = (selector: string) =>
              page.$eval(selector, (el) => el.getBoundingClientRect().width);
            const chart = await width("svg.spark"), card = await width("section.dashboard");
            assert.ok(
              chart > 500 && chart > card * 0.9,
              `chart ${chart}px wide in a ${card}px card`,
            );
            // A sample a second: after two, the line has two points and the range is labelled.
            await page.waitForFunction(
              () =>
                (document.querySelector("polyline.line")?.getAttribute("points") ?? "")
                  .trim().split(" ").length >= 2,
              undefined,
              { timeout: 5_000 },
            );
            assert.match(
              (await page.textContent(".chart .range")) ?? "",
              /^min \d+ · avg \d+ · max \d+ ms$/,
            );
          }),
      );

      await t.step(
        "a source page shows the example's file as escaped text",
        () =>
          visit(async (page) => {
            await page.goto(server.url + "/source/counter");
            assert.ok(await styled(page), "gallery.css applies");
            const code = (await page.textContent("pre.source")) ?? "";
            const file = await Deno.readTextFile(
              new URL("../../examples/counter/counter.ts", import.meta.url),
            );
            assert.equal(code, file, "the file's text, every character as written");
            assert.equal(await page.getAttribute("a.button", "href"), "/counter");
          }),
      );

      await t.step("source pages serve only the listed examples (404 otherwise)", async () => {
        for (
          const path of [
            "/source/nope",
            "/source/app", // examples/app.ts exists, but is not an example
            "/source/../deno.json", // resolved by the URL parser to /deno.json: no such route
            "/source/..%2f..%2fdeno.json",
            "/source/%2e%2e%2f%2e%2e%2fdeno.json",
            "/source/counter%2f..%2f..%2fdeno.json",
            "/source/counter/counter.ts",
          ]
        ) {
          const res = await fetch(server.url + path);
          const body = await res.text();
          assert.equal(res.status, 404, `${path} answered ${res.status}`);
          assert.doesNotMatch(body, /"exports"|eventHandler/, `${path} leaked a file`);
        }
      });
    } finally {
      await browser.close();
      await server.close();
      await app.close();
    }
  },
});
