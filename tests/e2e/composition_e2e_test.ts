/**
 * Composition in Chromium: live components (independent state, removal, drag and drop, a form
 * inside a component), template components, a cancelled async load, and streams (infinite scroll,
 * limit, reconnect).
 */
import assert from "node:assert/strict";
import type { Page } from "playwright-core";
import { App, asyncResult, eventHandler, type EventParams, LiveView, signal } from "../../mod.ts";
import { createGalleryApp } from "../../examples/app.ts";
import { closeConnection, connections } from "../../lib/server/app.ts";
import { BROWSER_TEST, launch, openLive, serve } from "./harness.ts";

/** A stream with a limit, a component template, and an async load that can be cancelled. */
class Lab extends LiveView {
  static override template = `
<ol id="ticks" dj-update="stream">{% for id, t in streams.ticks %}<li id="{{ id }}">tick {{ t.n }}</li>{% endfor %}</ol>
<button id="tick" dj-click="tick">tick</button>
{% component "badge" tone="info" %}{{ label }}{% endcomponent %}
<button id="relabel" dj-click="relabel">relabel</button>
<p id="report">{% if report.loading %}loading{% elif report.ok %}{{ report.result }}{% elif report.failed %}failed: {{ report.failed }}{% endif %}</p>
<button id="load" dj-click="load">load</button> <button id="cancel" dj-click="cancel">cancel</button>
<svg id="pic" viewBox="0 0 10 10">{% if dot %}<circle cx="5" cy="5" r="2"/>{% endif %}</svg>
<button id="dot" dj-click="showDot">dot</button>`;
  n = 0;
  label = signal("first");
  dot = signal(false);
  report = asyncResult<string>();

  @eventHandler()
  tick(): void {
    this.n++;
    this.streamInsert("ticks", { id: this.n, n: this.n }, { limit: -3 });
  }

  @eventHandler()
  showDot(): void {
    this.dot.value = true;
  }

  @eventHandler()
  relabel(): void {
    this.label.value = "second";
  }

  @eventHandler()
  load(): void {
    this.assignAsync("report", async (abort) => {
      await new Promise((resolve, reject) => {
        const timer = setTimeout(resolve, 10_000);
        abort.addEventListener("abort", () => {
          clearTimeout(timer);
          labAborted = true;
          reject(abort.reason);
        });
      });
      return "done";
    });
  }

  @eventHandler()
  cancel(_p: EventParams): void {
    this.cancelAsync("report");
  }
}
let labAborted = false;

const cardVotes = (page: Page, id: number) =>
  page.textContent(`#card-${id} .votes`).then((t) => t?.trim());

Deno.test({
  name: "e2e: live components, template components, async cancel and streams",
  ...BROWSER_TEST,
  async fn(t) {
    const gallery = createGalleryApp({ secret: "composition-e2e", logger: () => {} });
    const lab = new App({
      secret: "composition-e2e",
      logger: () => {},
      templates: {
        "components/badge.html": `<span class="badge {{ tone }}">{% render_slot %}</span>`,
      },
    });
    lab.live("/lab", Lab);
    const server = await serve(gallery);
    const labServer = await serve(lab);
    const browser = await launch();
    try {
      await t.step("two cards keep their own votes; only the voted card changes", async () => {
        const page = await openLive(browser, `${server.url}/kanban`);
        await page.click("#card-4 button.vote");
        await page.waitForFunction(() =>
          document.querySelector("#card-4 .votes")?.textContent === "1"
        );
        await page.click("#card-5 button.vote");
        await page.click("#card-5 button.vote");
        await page.waitForFunction(() =>
          document.querySelector("#card-5 .votes")?.textContent === "2"
        );
        assert.equal(await cardVotes(page, 4), "1");
        assert.equal(await cardVotes(page, 3), "0");
        await page.close();
      });

      await t.step(
        "a card edited in its component form; the board hears it (sendParent)",
        async () => {
          const page = await openLive(browser, `${server.url}/kanban`);
          await page.click("#card-3 button.edit");
          await page.fill("#card-3 input[name=title]", "Write the templates again");
          await page.press("#card-3 input[name=title]", "Enter");
          await page.waitForFunction(() =>
            document.querySelector("#card-3 .title")?.textContent === "Write the templates again"
          );
          await page.close();
        },
      );

      await t.step(
        "dragging a card to another column moves it there, and other tabs see it",
        async () => {
          const a = await openLive(browser, `${server.url}/kanban`);
          const b = await openLive(browser, `${server.url}/kanban`);
          await a.dragAndDrop("#card-5", ".column[dj-key='done'] ul.cards");
          for (const page of [a, b]) {
            await page.waitForSelector(".column[dj-key='done'] #card-5");
          }
          await a.close();
          await b.close();
        },
      );

      await t.step("a card the board removes is gone, and its votes do not come back", async () => {
        const page = await openLive(browser, `${server.url}/kanban`);
        await page.click("#card-1 button.vote");
        await page.waitForFunction(() =>
          document.querySelector("#card-1 .votes")?.textContent === "1"
        );
        await page.click("#card-1 button.delete");
        await page.waitForFunction(() => !document.querySelector("#card-1"));
        await page.fill("form.add input[name=title]", "Brand new");
        await page.press("form.add input[name=title]", "Enter");
        await page.waitForFunction(() =>
          [...document.querySelectorAll(".kanban-card .title")].some((e) =>
            e.textContent === "Brand new"
          )
        );
        await page.close();
      });

      await t.step("a stream keeps only `limit` items in the browser", async () => {
        const page = await openLive(browser, `${labServer.url}/lab`);
        for (let i = 0; i < 5; i++) await page.click("#tick");
        await page.waitForFunction(() =>
          document.querySelector("#ticks")?.children.length === 3 &&
          document.querySelector("#ticks")?.lastElementChild?.textContent === "tick 5"
        );
        const texts = await page.$$eval("#ticks li", (lis) => lis.map((li) => li.textContent));
        assert.deepEqual(texts, ["tick 3", "tick 4", "tick 5"]);
        await page.close();
      });

      await t.step("a template component's slot stays live", async () => {
        const page = await openLive(browser, `${labServer.url}/lab`);
        assert.equal(await page.textContent("span.badge.info"), "first");
        await page.click("#relabel");
        await page.waitForFunction(() =>
          document.querySelector("span.badge")?.textContent === "second"
        );
        await page.close();
      });

      await t.step("content patched into an <svg> is SVG", async () => {
        const page = await openLive(browser, `${labServer.url}/lab`);
        await page.click("#dot");
        await page.waitForSelector("#pic circle");
        assert.ok(
          await page.$eval("#pic circle", (c) => c instanceof SVGCircleElement),
          "the circle is an SVG element (it renders)",
        );
        await page.close();
      });

      await t.step(
        "an async load cancelled while it runs stops on the server and shows so",
        async () => {
          labAborted = false;
          const page = await openLive(browser, `${labServer.url}/lab`);
          await page.click("#load");
          await page.waitForFunction(() =>
            document.querySelector("#report")?.textContent === "loading"
          );
          await page.click("#cancel");
          await page.waitForFunction(() =>
            document.querySelector("#report")?.textContent === "failed: cancelled"
          );
          assert.equal(labAborted, true, "the work's AbortSignal fired");
          await page.close();
        },
      );

      await t.step("scrolling up the streamed chat loads older messages above", async () => {
        const page = await openLive(browser, `${server.url}/stream-chat`);
        const count = () => page.$$eval("#history li", (lis) => lis.length);
        assert.equal(await count(), 30);
        // Shown bottom-up: the oldest message is the list's last child; scroll to it.
        await page.$eval("#history", (el) => el.lastElementChild!.scrollIntoView());
        await page.waitForFunction(() => document.querySelectorAll("#history li").length >= 60);
        await page.close();
      });

      await t.step("stream items survive a dropped connection", async () => {
        const page = await openLive(browser, `${server.url}/stream-chat`);
        await page.fill("input[name=text]", "before the drop");
        await page.press("input[name=text]", "Enter");
        await page.waitForSelector("#history li:has-text('before the drop')");
        const before = await page.$$eval("#history li", (lis) => lis.map((li) => li.id));
        // Drop every connection as a lost network would; the page rejoins by itself.
        for (const connection of [...connections(gallery)]) {
          closeConnection(gallery, connection, "dropped");
        }
        await page.waitForSelector("[dj-root].dj-disconnected");
        await page.waitForSelector("[dj-root].dj-connected", { timeout: 15_000 });
        assert.deepEqual(await page.$$eval("#history li", (lis) => lis.map((li) => li.id)), before);
        await page.close();
      });
    } finally {
      await browser.close();
      await server.close();
      await labServer.close();
    }
  },
});
