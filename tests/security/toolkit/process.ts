/**
 * The fixture server as a child process: start it with a config, check it is alive, read its
 * memory and counters, and share one server among the steps of a test.
 * @module
 */
import assert from "node:assert/strict";
import { freePort } from "../../helpers/processes.ts";

/** What a test can ask of the fixture (passed as JSON in DJUST_FIXTURE). */
export interface FixtureConfig {
  /** App `dev` (default true). Production (`false`) must keep exception messages server-side. */
  dev?: boolean;
  /** App `trustProxy`: read `X-Forwarded-Proto` (item 12). */
  trustProxy?: boolean;
  /** App `joinTimeoutMs`: close sockets that have not joined within this time (item 11). */
  joinTimeoutMs?: number;
  /** App `slowClientTimeoutMs`: close clients that stay behind this long (items 6, 8). */
  slowClientTimeoutMs?: number;
  /** App `maxEventsPerSecond` (item 6: the limit for every message kind). */
  maxEventsPerSecond?: number;
  /** App `softBufferBytes` / `hardBufferBytes` (items 6, 8). */
  softBufferBytes?: number;
  hardBufferBytes?: number;
  /** App `maxFrameBytes` (item 7). */
  maxFrameBytes?: number;
  /** `new MemorySessionStore({ maxSessions, maxBytes, idleTtlMs })` (items 5, 10). */
  sessions?: { maxSessions?: number; maxBytes?: number; idleTtlMs?: number };
  /** Give the app `404.html`, `403.html` and `500.html` templates (error pages). */
  errorTemplates?: boolean;
  /**
   * App `joinWindowMs`: how long a page's mounted view waits for its join. 0 makes every join
   * mount afresh (with `this.connected` true), for tests about a mount failing at join.
   */
  joinWindowMs?: number;
}

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Waits for `promise`, or `ms` at most (the timer is cleared either way, for the sanitizer). */
export async function within<T>(promise: Promise<T>, ms: number): Promise<T | undefined> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  try {
    return await Promise.race([
      promise,
      new Promise<undefined>((resolve) => timer = setTimeout(() => resolve(undefined), ms)),
    ]);
  } finally {
    clearTimeout(timer);
  }
}

const SERVER_SCRIPT = new URL("../server.ts", import.meta.url).pathname;
const REPO = new URL("../../../", import.meta.url).pathname;

/** What `GET /__stats` returns. */
export interface Stats {
  pid: number;
  memory: { rss: number; heapTotal: number; heapUsed: number; external: number };
  /** Open live connections (`app.sessionCount`). */
  connections: number;
  mounts: Record<string, number>;
  getterCalls: number;
  transfers: number;
  webhooks: number;
  removes: number;
  hookRuns: number;
  logs: Record<string, number>;
}

/** One fixture server process. */
export class FixtureServer {
  readonly base: string;
  readonly port: number;
  readonly config: FixtureConfig;
  #child: Deno.ChildProcess;
  #exit: Deno.CommandStatus | null = null;
  #status: Promise<Deno.CommandStatus>;
  #stderr = "";
  #stderrDone: Promise<void>;

  private constructor(port: number, config: FixtureConfig, child: Deno.ChildProcess) {
    this.port = port;
    this.base = `http://127.0.0.1:${port}`;
    this.config = config;
    this.#child = child;
    this.#status = child.status.then((s) => this.#exit = s);
    this.#stderrDone = (async () => {
      const decoder = new TextDecoder();
      for await (const chunk of child.stderr) {
        this.#stderr = (this.#stderr + decoder.decode(chunk, { stream: true })).slice(-16_000);
      }
    })().catch(() => {});
  }

  /** Starts `server.ts` on a free port with `config` and waits until it answers. */
  static async start(config: FixtureConfig = {}): Promise<FixtureServer> {
    const port = freePort();
    const child = new Deno.Command(Deno.execPath(), {
      args: [
        "run",
        "--allow-net",
        "--allow-env",
        "--v8-flags=--expose-gc",
        SERVER_SCRIPT,
      ],
      cwd: REPO,
      env: { PORT: String(port), DJUST_FIXTURE: JSON.stringify(config) },
      stdin: "piped",
      stdout: "null",
      stderr: "piped",
    }).spawn();
    const server = new FixtureServer(port, config, child);
    const deadline = Date.now() + 30_000;
    for (;;) {
      if (server.#exit) {
        await server.stop();
        throw new Error(
          `the fixture server exited at start (code ${server.#exit.code}):\n${server.#stderr}`,
        );
      }
      try {
        const res = await fetch(server.base + "/__stats");
        await res.body?.cancel();
        if (res.ok) return server;
      } catch {
        // not listening yet
      }
      if (Date.now() > deadline) {
        await server.stop();
        throw new Error(`the fixture server did not come up:\n${server.#stderr}`);
      }
      await sleep(50);
    }
  }

  /** The ws:// URL of the live endpoint. */
  get wsUrl(): string {
    return `ws://127.0.0.1:${this.port}/_djust/ws`;
  }

  /** The page origin, as a browser would send it in `Origin`. */
  get origin(): string {
    return this.base;
  }

  /** False once the process has exited. */
  get alive(): boolean {
    return this.#exit === null;
  }

  /** The last 16 KB the process wrote to stderr (an uncaught error ends up here). */
  get stderr(): string {
    return this.#stderr;
  }

  /**
   * Fails unless the process is still running and still answers HTTP, `settleMs` after `after`
   * (the attack) so a crash it caused has time to happen.
   */
  async assertAlive(after: string, settleMs = 200): Promise<void> {
    await sleep(settleMs);
    const dead = () =>
      `the server process died after ${after} (exit code ${this.#exit?.code}); its stderr:\n` +
      this.#stderr.slice(-3000);
    assert.ok(this.alive, dead());
    try {
      const res = await fetch(this.base + "/__stats");
      await res.body?.cancel();
      assert.equal(res.status, 200, `GET /__stats after ${after}`);
    } catch (err) {
      assert.fail(this.alive ? `the server stopped answering after ${after}: ${err}` : dead());
    }
  }

  /** Memory and counters; `gc` runs a full garbage collection first. */
  async stats(gc = false): Promise<Stats> {
    const res = await fetch(this.base + "/__stats" + (gc ? "?gc=1" : ""));
    return await res.json();
  }

  /** The server's recent log lines. */
  async logs(): Promise<string[]> {
    const res = await fetch(this.base + "/__logs");
    return await res.json();
  }

  /** A fetch against this server that never follows redirects. */
  async fetch(path: string, init: RequestInit = {}): Promise<Response> {
    return await fetch(this.base + path, { redirect: "manual", ...init });
  }

  /** Kills the process and waits for it. */
  async stop(): Promise<void> {
    if (!this.#exit) {
      try {
        this.#child.kill("SIGKILL");
      } catch {
        // already gone
      }
    }
    await this.#status;
    await this.#child.stdin.close().catch(() => {});
    await this.#stderrDone;
  }
}

/** Runs one behaviour (a test step) against the suite's server. */
export type Step = (
  name: string,
  fn: (server: FixtureServer) => Promise<void>,
) => Promise<boolean>;

/**
 * One server shared by the steps of a test, killed in a finally. Each step is one behaviour. If a
 * step killed the server (a crash fails that step), the next step gets a fresh one: the restart
 * happens in the parent test, between steps, so no step is charged with the new process.
 */
export async function serverSuite(
  t: Deno.TestContext,
  config: FixtureConfig,
  body: (step: Step) => Promise<void>,
): Promise<void> {
  let server = await FixtureServer.start(config);
  try {
    await body(async (name, fn) => {
      if (!server.alive) {
        await server.stop();
        server = await FixtureServer.start(config);
      }
      return await t.step(name, () => fn(server));
    });
  } finally {
    await server.stop();
  }
}

/** Runs `fn` with a fresh server of its own, killed in a finally. */
export async function withServer<T>(
  config: FixtureConfig,
  fn: (server: FixtureServer) => Promise<T>,
): Promise<T> {
  const server = await FixtureServer.start(config);
  try {
    return await fn(server);
  } finally {
    await server.stop();
  }
}
