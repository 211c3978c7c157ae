/**
 * Two djust server processes share topics and presence through a real redis-server on loopback:
 * a message sent on process A reaches a client of process B; presence on B sees a user of A join
 * and leave, including when A is killed without warning.
 */
import assert from "node:assert/strict";
import { HeadlessClient } from "./ws_client.ts";
import { freePort, startRedis, waitForHttp } from "../helpers/processes.ts";

function startServer(port: number, redisUrl: string): Deno.ChildProcess {
  return new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "--allow-net",
      "--allow-read",
      "--allow-env",
      "--allow-sys",
      "examples/gallery.ts",
    ],
    cwd: new URL("../../", import.meta.url).pathname,
    env: { PORT: String(port), REDIS_URL: redisUrl, DJUST_SECRET: "multi-process-test" },
    stdout: "null",
    stderr: "null",
  }).spawn();
}

Deno.test({
  name: "redis: two processes share messages and presence, and a killed process leaves",
  sanitizeResources: false, // fetch keep-alive connections to the child servers outlive single steps
  async fn(t) {
    const { process: redis, url: redisUrl } = startRedis();
    const portA = freePort(), portB = freePort();
    const a = startServer(portA, redisUrl);
    const b = startServer(portB, redisUrl);
    const baseA = `http://127.0.0.1:${portA}`, baseB = `http://127.0.0.1:${portB}`;
    const clients: HeadlessClient[] = [];
    let aAlive = true;
    try {
      await waitForHttp(baseA + "/health");
      await waitForHttp(baseB + "/health");
      const bob = await HeadlessClient.connect(baseB, "/chat?name=bob");
      clients.push(bob);

      await t.step("presence on B sees a user of A join", async () => {
        const ann = await HeadlessClient.connect(baseA, "/chat?name=ann");
        clients.push(ann);
        await bob.waitFor((c) => c.text("ul.online").includes("ann"), "ann online on B");
      });

      await t.step("a chat message sent on A reaches a client of B", async () => {
        clients[1].event("send", { text: "hello from A" });
        await bob.waitFor(
          (c) => c.text("ol.messages").includes("ann: hello from A"),
          "the message on B",
        );
      });

      await t.step("an HTTP POST to A reaches a feed page on B", async () => {
        const feed = await HeadlessClient.connect(baseB, "/feed");
        clients.push(feed);
        const res = await fetch(baseA + "/feed/post", {
          method: "POST",
          body: new URLSearchParams({ text: "posted on A" }),
        });
        assert.equal(res.status, 201);
        await res.body?.cancel();
        await feed.waitFor((c) => c.text("ul.items").includes("posted on A"), "the feed item on B");
      });

      await t.step("killing A makes its user leave B's presence within seconds", async () => {
        a.kill("SIGKILL");
        await a.status;
        aAlive = false;
        const started = Date.now();
        await bob.waitFor((c) => !c.text("ul.online").includes("ann"), "ann to leave", 10_000);
        assert.ok(Date.now() - started < 8000, `took ${Date.now() - started} ms`);
        assert.ok(bob.text("ul.online").includes("bob"));
      });
    } finally {
      for (const c of clients) await c.close().catch(() => {});
      if (aAlive) {
        a.kill("SIGKILL");
        await a.status;
      }
      b.kill("SIGKILL");
      await b.status;
      redis.kill("SIGKILL");
      await redis.status;
    }
  },
});
