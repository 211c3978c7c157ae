/**
 * Helpers for tests that run real processes on loopback: a free port, waiting for a server to
 * answer, and a throwaway redis-server (no persistence) for the multi-process tests.
 */

/** The redis-server binary (`REDIS_SERVER`, or the Debian package's). */
export const REDIS_SERVER = Deno.env.get("REDIS_SERVER") ?? "/usr/bin/redis-server";

/** A TCP port free on 127.0.0.1 right now. */
export function freePort(): number {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (listener.addr as Deno.NetAddr).port;
  listener.close();
  return port;
}

/** Resolves once `url` answers 2xx; throws after `ms`. */
export async function waitForHttp(url: string, ms = 20_000): Promise<void> {
  const end = Date.now() + ms;
  for (;;) {
    try {
      const res = await fetch(url);
      await res.body?.cancel();
      if (res.ok) return;
    } catch {
      // not up yet
    }
    if (Date.now() > end) throw new Error(`${url} did not come up`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Starts a redis-server on a free loopback port, saving nothing to disk; kill it when done. */
export function startRedis(): { process: Deno.ChildProcess; url: string } {
  const port = freePort();
  const process = new Deno.Command(REDIS_SERVER, {
    args: ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
    stdout: "null",
    stderr: "null",
  }).spawn();
  return { process, url: `redis://127.0.0.1:${port}` };
}

/** Kills `process` at once (as a crash would) and waits for it to be gone. */
export async function killProcess(process: Deno.ChildProcess): Promise<void> {
  try {
    process.kill("SIGKILL");
  } catch {
    // already gone
  }
  await process.status;
}
