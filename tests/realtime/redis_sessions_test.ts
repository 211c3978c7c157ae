/**
 * Two processes with `RedisSessionStore` share sessions through a real redis-server: sign in on one,
 * be signed in on the other; sign out on one, and the live views of the session on the other end.
 */
import assert from "node:assert/strict";
import { readCredentials } from "../helpers/join.ts";
import { PROTOCOL_VERSION, SOCKET_PATH } from "../../lib/live/protocol.ts";
import { freePort, startRedis, waitForHttp } from "../helpers/processes.ts";

function startServer(port: number, redisUrl: string): Deno.ChildProcess {
  return new Deno.Command(Deno.execPath(), {
    args: ["run", "--allow-net", "--allow-env", "--allow-read", "tests/realtime/session_server.ts"],
    cwd: new URL("../../", import.meta.url).pathname,
    env: { PORT: String(port), REDIS_URL: redisUrl },
    stdout: "null",
    stderr: "inherit",
  }).spawn();
}

/** The value of the session cookie a response sets, as a Cookie header. */
function setCookie(response: Response): string | null {
  const cookie = response.headers.getSetCookie().find((c) => c.startsWith("djust_sid="));
  return cookie ? cookie.split(";")[0] : null;
}

/** Who `/me` on `base` says is signed in, for `cookie`. */
async function whoAmI(base: string, cookie: string): Promise<string> {
  const page = await (await fetch(base + "/me", { headers: { cookie } })).text();
  return /<p[^>]*id="who"[^>]*>([^<]*)</.exec(page)![1];
}

Deno.test({
  name:
    "redis sessions: two processes share sign-in, and a sign-out on one ends views on the other",
  sanitizeResources: false, // fetch keep-alive connections to the child servers outlive single steps
  async fn(t) {
    const { process: redis, url: redisUrl } = startRedis();
    const portA = freePort(), portB = freePort();
    const a = startServer(portA, redisUrl), b = startServer(portB, redisUrl);
    const baseA = `http://127.0.0.1:${portA}`, baseB = `http://127.0.0.1:${portB}`;
    let socket: WebSocket | null = null;
    try {
      await waitForHttp(baseA + "/health");
      await waitForHttp(baseB + "/health");
      const first = await readCredentials(await fetch(baseA + "/me"));
      let cookie = first.cookie;

      await t.step(
        "signing in on B (CSRF token from a page of A) signs the session in on A",
        async () => {
          const res = await fetch(baseB + "/login", {
            method: "POST",
            headers: { cookie, "x-csrf-token": first.csrf, origin: baseB },
            body: new URLSearchParams({ user: "ann", note: "hello" }),
          });
          assert.equal(res.status, 200, await res.text());
          const rotated = setCookie(res);
          assert.ok(rotated && rotated !== cookie, "signing in rotates the session id");
          cookie = rotated;
          assert.equal(await whoAmI(baseA, cookie), "ann");
        },
      );

      await t.step("a private page on A opens for the session B signed in", async () => {
        const res = await fetch(baseA + "/private", { headers: { cookie }, redirect: "manual" });
        assert.equal(res.status, 200);
        await res.body?.cancel();
      });

      await t.step("signing out on B ends the session's live view on A", async () => {
        const page = await readCredentials(await fetch(baseA + "/me", { headers: { cookie } }));
        socket = new WebSocket(baseA.replace("http", "ws") + SOCKET_PATH, {
          headers: { cookie, origin: baseA },
        } as unknown as string[]);
        const frames: Record<string, unknown>[] = [];
        socket.onmessage = (e) => frames.push(JSON.parse(e.data));
        await new Promise((resolve) => socket!.onopen = resolve);
        socket.send(JSON.stringify({
          type: "join",
          token: page.token,
          csrf: page.csrf,
          url: baseA + "/me",
          v: PROTOCOL_VERSION,
        }));
        await waitUntil(() => frames.some((f) => f.type === "joined"), "the join");
        const res = await fetch(baseB + "/logout", {
          method: "POST",
          headers: { cookie, "x-csrf-token": page.csrf, origin: baseB },
        });
        assert.equal(res.status, 200, await res.text());
        await waitUntil(
          () => frames.some((f) => f.type === "nav" && f.kind === "redirect"),
          "A's view to be sent away",
        );
        assert.equal(await whoAmI(baseA, cookie), "anonymous", "the old id signs nobody in");
      });
    } finally {
      if (socket) {
        const closed = new Promise((r) => socket!.onclose = r);
        (socket as WebSocket).close();
        await closed;
      }
      for (const p of [a, b, redis]) {
        p.kill("SIGKILL");
        await p.status;
      }
    }
  },
});

async function waitUntil(predicate: () => boolean, what: string, ms = 10_000): Promise<void> {
  const end = Date.now() + ms;
  while (!predicate()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}
