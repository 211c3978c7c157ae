/**
 * The invariant that matters most: after any sequence of events, the browser's DOM under the view root
 * equals the browser's own parse of a fresh full render of the same server state.
 *
 * For each example view, random events (clicks, typing, submits, Enter) are fired in Chromium; after each,
 * the server renders the current state from scratch (new anchors) and the browser parses it in the same
 * context as the page; both trees are compared with anchors and markers removed. The seed is printed on
 * failure; set DJUST_SEED to replay, DJUST_EVENTS to change the count (default 1000),
 * DJUST_RECONNECT_RATE to drop the connection more often (default 1/50 of the events).
 */
import assert from "node:assert/strict";
import type { Page } from "playwright-core";
import { closeConnection, connections } from "../../lib/server/app.ts";
import type { Connection } from "../../lib/server/connection.ts";
import { createGalleryApp, EXAMPLES } from "../../examples/app.ts";
import { compareInPage } from "./dom_compare.ts";
import { BROWSER_TEST, launch, openLive, serve, settled } from "./harness.ts";
import { prng } from "../helpers/prng.ts";

const EVENTS = Number(Deno.env.get("DJUST_EVENTS") ?? 1000);
/** Only these example paths (comma-separated), e.g. DJUST_EXAMPLES=/kanban,/stream-chat. */
const ONLY = Deno.env.get("DJUST_EXAMPLES")?.split(",");
const SEED = Number(Deno.env.get("DJUST_SEED") ?? Math.floor(Math.random() * 2 ** 31));

const WORDS = ["a", "an", "Amber", "jolly 4", "x", "", "<b>", "é", "Task 1", "  ", "ember"];

/** Performs one random action on the page; returns a description for the failure message. */
async function randomAction(page: Page, random: () => number, serverUrl: string): Promise<string> {
  const bound =
    "[dj-click], [dj-input], form[dj-submit], [dj-keydown\\.enter], [dj-mousemove], a[dj-patch], a[dj-navigate]";
  // One round trip: the page picks the target (by the test's random number) and marks it.
  const pick = await page.evaluate(({ bound, r }) => {
    document.querySelector("[data-pick]")?.removeAttribute("data-pick");
    const els = [...document.querySelectorAll(`[dj-root] :is(${bound}):not([disabled])`)];
    if (!els.length) return null;
    const el = els[Math.floor(r * els.length)];
    el.setAttribute("data-pick", "");
    const kind = el.hasAttribute("dj-input")
      ? "input"
      : el.tagName === "FORM"
      ? "submit"
      : el.hasAttribute("dj-keydown.enter")
      ? "enter"
      : "click";
    return { kind, html: el.outerHTML.slice(0, 120) };
  }, { bound, r: random() });
  const word = WORDS[Math.floor(random() * WORDS.length)];
  if (!pick) {
    // A view without bindings (the live feed) changes through the server: post to it.
    const res = await fetch(serverUrl + "/feed/post", {
      method: "POST",
      body: new URLSearchParams({ text: word || "x" }),
    });
    await res.body?.cancel();
    return `POST /feed/post "${word || "x"}"`;
  }
  const selector = "[data-pick]";
  switch (pick.kind) {
    case "click":
      // A dispatched click runs the same listeners (and link/button activation) as a real one,
      // without Playwright's actionability waits.
      await page.dispatchEvent(selector, "click");
      break;
    case "input":
      await page.fill(selector, word);
      break;
    case "enter":
      await page.fill(selector, word);
      await page.press(selector, "Enter");
      break;
    case "submit": {
      const input = `${selector} input:not([type]), ${selector} input[type=text]`;
      if (await page.$(input)) await page.fill(input, word);
      await page.$eval(selector, (f) => (f as HTMLFormElement).requestSubmit());
      break;
    }
  }
  return `${pick.kind} ${pick.html} "${word}"`;
}

/** How often, per event, the connection drops and the page rejoins (DJUST_RECONNECT_RATE). */
const RECONNECT_RATE = Number(Deno.env.get("DJUST_RECONNECT_RATE") ?? 1 / 50);

/** Examples checked at the same time (each in its own page). */
const CONCURRENCY = Number(Deno.env.get("DJUST_CONCURRENCY") ?? 3);

Deno.test({
  name: `e2e: randomized consistency (seed ${SEED}, ${EVENTS} events per example)`,
  ...BROWSER_TEST,
  async fn(t) {
    // verifyStreams: a fresh render shows stream items as the browser has them (the server otherwise
    // keeps none), so streamed examples are compared like the rest.
    const app = createGalleryApp({ secret: "consistency", logger: () => {}, verifyStreams: true });
    const server = await serve(app);
    const browser = await launch();
    // Pages open one at a time, so each can find the connection it opened.
    let opening = Promise.resolve();
    const openExample = (path: string) => {
      const opened = opening.then(async () => {
        const before = new Set(connections(app));
        const page = await openLive(browser, server.url + path);
        // The connection this page opened: the one that was not there before.
        const connection = [...connections(app)].find((c) => !before.has(c))!;
        return { page, connection };
      });
      opening = opened.then(() => {}, () => {});
      return opened;
    };
    /** Drops `connection` as a lost network would, and waits for the page to rejoin. */
    const reconnect = (page: Page, connection: Connection) => {
      const done = opening.then(async () => {
        const before = new Set(connections(app));
        closeConnection(app, connection, "dropped");
        await page.waitForSelector("[dj-root].dj-disconnected", { timeout: 10_000 });
        // The client's backoff timer runs on the page's fake clock: move it on until it rejoins.
        while (!(await page.$("[dj-root].dj-connected"))) await page.clock.runFor(500);
        return [...connections(app)].find((c) => !before.has(c))!;
      });
      opening = done.then(() => {}, () => {});
      return done;
    };
    const check = async (path: string, random: () => number) => {
      const opened = await openExample(path);
      const page = opened.page;
      let connection = opened.connection;
      try {
        // Client timers (debounce, throttle) run on a fake clock the test moves on after each
        // action, so no event waits for a real debounce and none fires after the comparison.
        await page.clock.install();
        await page.clock.pauseAt(Date.now() + 1000);
        for (let i = 0; i < EVENTS; i++) {
          let action = await randomAction(page, random, server.url);
          // Now and then the connection drops: the page rejoins the parked view, and must show
          // exactly what the server has.
          if (random() < RECONNECT_RATE) {
            connection = await reconnect(page, connection);
            action += " (then the connection dropped and the page rejoined)";
          }
          await page.clock.runFor(1000);
          await settled(page);
          let diff = await compareInPage(page, connection.mounted!.renderFresh());
          // Server pushes (pub/sub, presence, timers) may still be on the wire: give them a moment.
          for (let retry = 0; diff !== null && retry < 30; retry++) {
            await new Promise((r) => setTimeout(r, 10));
            diff = await compareInPage(page, connection.mounted!.renderFresh());
          }
          assert.equal(diff, null, `seed ${SEED}, event ${i + 1} (${action}) diverged:\n${diff}`);
        }
        assert.equal(app.metrics.resyncs, 0, "no patch needed a resync");
      } finally {
        await page.close();
      }
    };
    try {
      const queue = EXAMPLES.filter((e) => !ONLY || ONLY.includes(e.path));
      const worker = async () => {
        for (let example = queue.shift(); example; example = queue.shift()) {
          const { path } = example;
          await t.step({
            name: `${path}: DOM equals a fresh render after every event`,
            // The table example runs with 40 rows to keep 1000 events quick; same code path.
            fn: () => check(path === "/table" ? "/table?rows=40" : path, prng(SEED + path.length)),
            sanitizeOps: false,
            sanitizeResources: false,
            sanitizeExit: false,
          });
        }
      };
      await Promise.all(Array.from({ length: CONCURRENCY }, worker));
    } finally {
      await browser.close();
      await server.close();
    }
  },
});
