/**
 * The task board as two processes behind a load balancer would run it: `examples/taskboard/main.ts`
 * started twice with the same REDIS_URL, DJUST_SECRET and data directory, and a real
 * redis-server. A member signed in on one process is signed in on the other (sessions in Redis);
 * people on different processes see each other on a board (presence) and each other's changes
 * (pub/sub), read from the one SQLite file.
 */
import assert from "node:assert/strict";
import type { Page } from "playwright-core";
import { BROWSER_TEST, launch } from "./harness.ts";
import { freePort, killProcess, startRedis, waitForHttp } from "../helpers/processes.ts";
import { signUp } from "./taskboard_pages.ts";

const ROOT = new URL("../../", import.meta.url).pathname;

/** `deno task taskboard`'s command, on `port`. */
function startTaskboard(port: number, env: Record<string, string>): Deno.ChildProcess {
  return new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "--allow-net",
      "--allow-read",
      "--allow-write",
      "--allow-env",
      "--allow-sys",
      "examples/taskboard/main.ts",
    ],
    cwd: ROOT,
    env: { ...env, PORT: String(port) },
    stdout: "null",
    stderr: "inherit",
  }).spawn();
}

Deno.test({
  name: "e2e: two task board processes share sessions, presence and changes through Redis",
  ...BROWSER_TEST,
  sanitizeResources: false, // fetch keep-alive connections to the child servers outlive steps
  async fn(t) {
    const dataDir = await Deno.makeTempDir({ prefix: "taskboard-redis-" });
    const { process: redis, url: redisUrl } = startRedis();
    const env = {
      REDIS_URL: redisUrl,
      DJUST_SECRET: "taskboard-redis-e2e",
      TASKBOARD_DATA: dataDir,
    };
    const [portA, portB] = [freePort(), freePort()];
    const a = startTaskboard(portA, env), b = startTaskboard(portB, env);
    const baseA = `http://127.0.0.1:${portA}`, baseB = `http://127.0.0.1:${portB}`;
    const browser = await launch();
    const errors: string[] = [];
    try {
      await Promise.all([waitForHttp(`${baseA}/health`), waitForHttp(`${baseB}/health`)]);
      // Cookies belong to the host, not the port: one context reaches both processes as one
      // visitor, as a browser does behind a load balancer.
      const annContext = await browser.newContext(), boContext = await browser.newContext();
      const pages: Page[] = [];
      for (const context of [annContext, boContext]) {
        const page = await context.newPage();
        page.on("pageerror", (e) => errors.push(e.message));
        page.on("console", (m) => m.type() === "error" && errors.push(m.text()));
        pages.push(page);
      }
      const [ann, bo] = pages;
      let board = "";

      await t.step("signed up on A, Ann is signed in on B", async () => {
        await signUp(ann, baseA, "Ann Lee", "ann@example.com");
        await ann.fill("#new-board-name", "Shared");
        await ann.press("#new-board-name", "Enter");
        await ann.waitForURL(/\/boards\/\d+$/);
        board = new URL(ann.url()).pathname;
        const onB = await annContext.newPage();
        const response = await onB.goto(baseB + board);
        assert.equal(new URL(onB.url()).pathname, board, "not sent to the login page");
        assert.equal(response?.status(), 200);
        await onB.close();
      });

      await t.step("Bo on B and Ann on A see each other on the board", async () => {
        await signUp(bo, baseB, "Bo Diaz", "bo@example.com");
        await bo.goto(baseB + board);
        await bo.waitForSelector("[dj-root].dj-connected");
        for (const page of [ann, bo]) {
          await page.waitForFunction(
            () => document.querySelectorAll(".avatar-stack [data-viewer]").length === 2,
            undefined,
            { timeout: 10_000 },
          );
        }
      });

      await t.step("a card Ann adds on A shows on Bo's page on B", async () => {
        await ann.click('section[data-column="To do"] .add-card-open');
        await ann.fill('section[data-column="To do"] form.add-card textarea', "Across processes");
        await ann.click('section[data-column="To do"] form.add-card button[type=submit]');
        await bo.waitForSelector(
          'section[data-column="To do"] .card-title:has-text("Across processes")',
        );
        await bo.waitForSelector('#activity li:has-text("Ann Lee added “Across processes”")');
      });

      assert.deepEqual(errors, []);
    } finally {
      await browser.close();
      await killProcess(a);
      await killProcess(b);
      await killProcess(redis);
      await Deno.remove(dataDir, { recursive: true });
    }
  },
});
