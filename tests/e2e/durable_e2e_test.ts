/**
 * What a user sees after a network drop, a server restart or a deploy is what they had, and the
 * server agrees (Chromium, a TCP proxy between browser and server for real drops, real processes
 * and a real redis-server for restarts):
 * 1. a 2 s network cut mid-edit: the same view instance comes back (no mount), nothing typed is
 *    lost, its timer kept running, the next event works;
 * 2. a restart (SIGKILL, new process, same secret and Redis): the page comes back by itself with its
 *    state, and the next click continues from it; also two Apps on one in-memory store;
 * 3. a deploy that renamed a field: the page reconnects to a fresh mount, no error page;
 * 4. two processes: the browser's socket moves from one to the other, the state follows.
 */
import assert from "node:assert/strict";
import type { Page } from "playwright-core";
import { MemorySessionStore } from "../../mod.ts";
import { BROWSER_TEST, launch, openLive, serve } from "./harness.ts";
import { durableApp } from "./durable_views.ts";
import { TcpProxy } from "./tcp_proxy.ts";
import { freePort, killProcess, startRedis, waitForHttp } from "../helpers/processes.ts";

/** A server process of tests/e2e/durable_server.ts. */
function startServer(port: number, redisUrl: string, variant = ""): Deno.ChildProcess {
  return new Deno.Command(Deno.execPath(), {
    args: ["run", "--allow-net", "--allow-env", "--allow-read", "tests/e2e/durable_server.ts"],
    cwd: new URL("../../", import.meta.url).pathname,
    env: { PORT: String(port), REDIS_URL: redisUrl, VARIANT: variant },
    stdout: "null",
    stderr: "inherit",
  }).spawn();
}

async function clicks(page: Page, n: number): Promise<void> {
  for (let i = 0; i < n; i++) {
    const before = Number(await page.textContent("#count"));
    await page.click("#inc");
    await page.waitForFunction(
      (b) => Number(document.querySelector("#count")?.textContent) > b,
      before,
    );
  }
}

/** Waits for the page to lose its connection and get it back. */
async function reconnected(page: Page): Promise<void> {
  await page.waitForSelector("[dj-root].dj-disconnected", { timeout: 10_000 });
  await page.waitForSelector("[dj-root].dj-connected", { timeout: 20_000 });
}

Deno.test({
  name: "e2e durable: a network cut mid-edit gets the same view back, nothing lost",
  ...BROWSER_TEST,
  async fn() {
    const app = durableApp();
    const server = await serve(app);
    const proxy = TcpProxy.start(server.port);
    const browser = await launch();
    const errors: string[] = [];
    try {
      const page = await openLive(browser, `${proxy.url}/editor`, errors);
      await clicks(page, 3);
      await page.fill("#title", "Hel");
      await page.press("#title", "Tab");
      await page.waitForFunction(() => document.querySelector("#saved")?.textContent === "Hel");
      const mounts = app.metrics.mounts;
      const ticksBefore = Number(await page.textContent("#ticks"));

      const cut = proxy.cut(2000);
      await page.waitForSelector("[dj-root].dj-disconnected", { timeout: 10_000 });
      // Typed while offline: form recovery sends it once the page is back.
      await page.fill("#title", "Hello");
      await cut;
      await page.waitForSelector("[dj-root].dj-connected", { timeout: 20_000 });

      assert.equal(app.metrics.mounts, mounts, "mount did not run again");
      assert.ok(app.metrics.reattaches >= 2, "the page's join and the rejoin took views over");
      assert.equal(await page.textContent("#count"), "3");
      await page.waitForFunction(() => document.querySelector("#saved")?.textContent === "Hello");
      assert.equal(await page.inputValue("#title"), "Hello", "nothing typed was lost");
      const ticksAfter = Number(await page.textContent("#ticks"));
      assert.ok(
        ticksAfter >= ticksBefore + 15,
        `the timer kept running: ${ticksBefore} → ${ticksAfter}`,
      );
      await clicks(page, 1);
      assert.equal(await page.textContent("#count"), "4");
      assert.deepEqual(errors.filter((e) => !e.includes("WebSocket")), []);
    } finally {
      await browser.close();
      await proxy.close();
      await server.close();
      await app.close();
    }
  },
});

Deno.test({
  name: "e2e durable: two Apps on one in-memory store: a restart keeps the counter",
  ...BROWSER_TEST,
  async fn() {
    const store = new MemorySessionStore();
    const first = durableApp({ sessionStore: store });
    let server = await serve(first);
    const proxy = TcpProxy.start(server.port);
    const browser = await launch();
    try {
      const page = await openLive(browser, `${proxy.url}/editor`);
      await clicks(page, 3);
      await new Promise((r) => setTimeout(r, 200)); // the state is saved at most every 50 ms
      await server.close();
      await first.close();
      const second = durableApp({ sessionStore: store });
      server = await serve(second);
      proxy.switchTo(server.port);
      await proxy.cut(0);
      await reconnected(page);
      assert.equal(await page.textContent("#count"), "3");
      assert.equal(second.metrics.restores, 1);
      await clicks(page, 1);
      assert.equal(await page.textContent("#count"), "4");
      await second.close();
    } finally {
      await browser.close();
      await proxy.close();
      await server.close();
    }
  },
});

Deno.test({
  name: "e2e durable: restart, deploy and a second process, with a real redis-server",
  ...BROWSER_TEST,
  sanitizeResources: false, // fetch keep-alive connections to the child servers outlive steps
  async fn(t) {
    const { process: redis, url: redisUrl } = startRedis();
    const processes: Deno.ChildProcess[] = [];
    const start = async (variant = "") => {
      const port = freePort();
      const process = startServer(port, redisUrl, variant);
      processes.push(process);
      await waitForHttp(`http://127.0.0.1:${port}/health`);
      return { port, process };
    };
    const browser = await launch();
    let a = await start();
    const proxy = TcpProxy.start(a.port);
    const errors: string[] = [];
    try {
      const page = await openLive(browser, `${proxy.url}/editor`, errors);

      await t.step(
        "SIGKILL a second after the last click; a new process brings the 3 back",
        async () => {
          await clicks(page, 3);
          await new Promise((r) => setTimeout(r, 1000));
          await killProcess(a.process);
          a = await start();
          proxy.switchTo(a.port);
          await proxy.cut(0);
          await reconnected(page);
          assert.equal(await page.textContent("#count"), "3");
          await clicks(page, 1);
          assert.equal(await page.textContent("#count"), "4");
        },
      );

      await t.step("the socket moves to another live process: the state follows", async () => {
        const b = await start();
        proxy.switchTo(b.port);
        await proxy.cut(0); // process A is still alive; the browser now reaches B
        await reconnected(page);
        assert.equal(await page.textContent("#count"), "4");
        await clicks(page, 1);
        assert.equal(await page.textContent("#count"), "5");
      });

      await t.step("a deploy that renamed the field: a fresh mount, no error page", async () => {
        const deployed = await start("renamed");
        proxy.switchTo(deployed.port);
        await proxy.cut(0);
        await reconnected(page);
        assert.equal(await page.textContent("#count"), "0");
        assert.equal(await page.$("[dj-root].dj-error"), null);
        await clicks(page, 1);
        assert.equal(await page.textContent("#count"), "1");
      });
      assert.deepEqual(errors.filter((e) => !e.includes("WebSocket")), []);
    } finally {
      await browser.close();
      await proxy.close();
      for (const p of processes) await killProcess(p);
      await killProcess(redis);
    }
  },
});
