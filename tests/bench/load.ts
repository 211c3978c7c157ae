/**
 * Load: N WebSocket clients (no browser) join a view, send events and leave, against a server in
 * its own process (tests/bench/load_server.ts) on 127.0.0.1. Every figure is printed next to the
 * same figure for a bare `Deno.upgradeWebSocket` echo server measured with the same clients in the
 * same run:
 *
 * - heap per connected view (the server's heap after full collections, over N) vs per bare socket;
 * - round trip p50/p99 at a moderate offered rate (each client waits a random think time, so the
 *   server is not saturated) vs the echo's;
 * - events/s one connection sustains with 32 in flight vs the echo's messages/s;
 * - errors (must be 0) and the heap after every client closed, vs before they came.
 *
 *   deno run -A tests/bench/load.ts [N=100] [SECONDS=5] [VIEWS=counter,table] [RATE=500]
 *
 * RATE is the offered load in events per second over all clients (default 500).
 */
import { TOKEN_ATTR } from "../../lib/live/protocol.ts";
import { joinMessage, readCredentials } from "../helpers/join.ts";

const N = Number(Deno.args[0] ?? 100);
const SECONDS = Number(Deno.args[1] ?? 5);
const VIEWS = (Deno.args[2] ?? "counter,table").split(",");
const RATE = Number(Deno.args[3] ?? 500);
const SUSTAIN_MS = 2000;
const IN_FLIGHT = 32;
const HOST = "127.0.0.1";

// #region The server process

const server = new Deno.Command(Deno.execPath(), {
  args: [
    "run",
    "--allow-net",
    "--allow-read",
    "--allow-env",
    "--v8-flags=--expose-gc",
    new URL("./load_server.ts", import.meta.url).pathname,
  ],
  stdin: "piped",
  stdout: "piped",
  stderr: "inherit",
}).spawn();
const serverIn = server.stdin.getWriter();
const ports = await (async () => {
  const reader = server.stdout.pipeThrough(new TextDecoderStream()).getReader();
  let text = "";
  while (!text.includes("\n")) {
    const { value, done } = await reader.read();
    if (done) throw new Error("the bench server exited before listening");
    text += value;
  }
  reader.releaseLock();
  return JSON.parse(text.split("\n")[0]) as { djust: number; echo: number };
})();
const DJUST = `http://${HOST}:${ports.djust}`;
const ECHO = `ws://${HOST}:${ports.echo}/`;

interface ServerHeap {
  heap: number;
  views: number;
  echoes: number;
  errors: number;
}

/** The server's heap after full collections, and what it holds. */
async function serverHeap(): Promise<ServerHeap> {
  const res = await fetch(`http://${HOST}:${ports.echo}/heap`);
  return await res.json();
}

// #endregion
// #region Clients

/** One client socket: sends frames, matches replies by ref, times round trips. */
class Client {
  ws!: WebSocket;
  #waiting = new Map<number, (ok: boolean) => void>();
  #ref = 0;
  errors = 0;
  closedEarly = false;
  #ending = false;

  constructor(
    readonly frame: (ref: number) => string,
    readonly replyRef: (data: string) => number,
  ) {}

  /** Opens `url`; for djust, sends the join and waits for `joined`. */
  open(url: string, init?: { headers: Record<string, string> }, join?: string): Promise<void> {
    return new Promise((resolve, reject) => {
      const ws = new WebSocket(url, init as never);
      this.ws = ws;
      ws.onopen = () => {
        if (!join) return resolve();
        ws.send(join);
      };
      ws.onmessage = (e) => {
        const data = e.data as string;
        if (join && data.startsWith('{"type":"joined"')) return resolve();
        if (data.startsWith('{"type":"error"')) {
          this.errors++;
          if (!this.#waiting.size) reject(new Error(data));
        }
        const ref = this.replyRef(data);
        const done = this.#waiting.get(ref);
        if (!done) return;
        this.#waiting.delete(ref);
        done(!data.startsWith('{"type":"error"'));
      };
      ws.onerror = () => reject(new Error("socket error"));
      ws.onclose = () => {
        if (!this.#ending) this.closedEarly = true;
        for (const done of this.#waiting.values()) done(false);
        this.#waiting.clear();
        reject(new Error("closed"));
      };
    });
  }

  /** Sends one message; resolves with the round trip in ms (NaN when it failed). */
  roundTrip(): Promise<number> {
    const ref = ++this.#ref;
    const t0 = performance.now();
    return new Promise((resolve) => {
      this.#waiting.set(ref, (ok) => {
        if (!ok) this.errors++;
        resolve(ok ? performance.now() - t0 : NaN);
      });
      this.ws.send(this.frame(ref));
    });
  }

  close(): Promise<void> {
    this.#ending = true;
    if (this.ws.readyState === WebSocket.CLOSED) return Promise.resolve();
    return new Promise((resolve) => {
      this.ws.addEventListener("close", () => resolve());
      this.ws.close();
    });
  }
}

/** Runs `task` over `items` with at most `limit` at a time. */
async function pool<T>(items: T[], limit: number, task: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await task(items[next++]);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const refOf = (data: string) => Number(/"ref":(\d+)/.exec(data)?.[1] ?? -1);

/** Every client sends, waits for the reply, then thinks (uniform 0–2× the mean), for `seconds`. */
async function paced(clients: Client[], seconds: number): Promise<number[]> {
  const rtts: number[] = [];
  const meanThink = (clients.length / RATE) * 1000;
  const end = performance.now() + seconds * 1000;
  await Promise.all(clients.map(async (c) => {
    await sleep(Math.random() * 2 * meanThink);
    while (performance.now() < end) {
      const rtt = await c.roundTrip();
      if (!Number.isNaN(rtt)) rtts.push(rtt);
      await sleep(Math.random() * 2 * meanThink);
    }
  }));
  return rtts;
}

/** Messages per second one client gets answered with `IN_FLIGHT` always outstanding. */
async function sustained(client: Client): Promise<number> {
  let done = 0;
  const end = performance.now() + SUSTAIN_MS;
  const t0 = performance.now();
  await Promise.all(Array.from({ length: IN_FLIGHT }, async () => {
    while (performance.now() < end) {
      await client.roundTrip();
      done++;
    }
  }));
  return done / ((performance.now() - t0) / 1000);
}

// #endregion
// #region Scenarios

interface Figures {
  heapPerConnection: number;
  p50: number;
  p99: number;
  throughput: number;
  sustained: number;
  errors: number;
  heapAfter: number;
  heapBefore: number;
  connectMs: number;
}

const percentile = (xs: number[], p: number) => {
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))] ?? NaN;
};

/** Connects `clients` (`connect` each), measures, runs the phases, closes, measures again. */
async function scenario(
  clients: Client[],
  connect: (c: Client) => Promise<void>,
  expectViews: boolean,
): Promise<Figures> {
  const before = await serverHeap();
  const t0 = performance.now();
  let connectErrors = 0;
  await pool(clients, 16, (c) =>
    connect(c).catch((e) => {
      connectErrors++;
      if (connectErrors <= 3) console.error(`  connect failed: ${e.message}`);
    }));
  const connectMs = performance.now() - t0;
  const held = await serverHeap();
  const expected = before[expectViews ? "views" : "echoes"] + clients.length;
  const holding = held[expectViews ? "views" : "echoes"];
  if (holding !== expected) console.error(`  server holds ${holding} of ${expected} connections`);
  const heapPerConnection = (held.heap - before.heap) / clients.length;
  const t1 = performance.now();
  const rtts = await paced(clients, SECONDS);
  const throughput = rtts.length / ((performance.now() - t1) / 1000);
  const rate = await sustained(clients[0]);
  await Promise.all(clients.map((c) => c.close()));
  // The server sees the closes a moment after the clients do.
  for (let i = 0; i < 50 && (await serverHeap())[expectViews ? "views" : "echoes"] > 0; i++) {
    await sleep(100);
  }
  const after = await serverHeap();
  let errors = connectErrors + after.errors - before.errors;
  for (const c of clients) errors += c.errors + (c.closedEarly ? 1 : 0);
  return {
    heapPerConnection,
    p50: percentile(rtts, 0.5),
    p99: percentile(rtts, 0.99),
    throughput,
    sustained: rate,
    errors,
    heapAfter: after.heap,
    heapBefore: before.heap,
    connectMs,
  };
}

function echoClients(n: number): Client[] {
  // The same frame a djust client sends for the table's toggle.
  const frame = (ref: number) =>
    JSON.stringify({ type: "event", ref, name: "toggle", params: { id: String(1 + ref % 1000) } });
  return Array.from({ length: n }, () => new Client(frame, refOf));
}

const VIEW_EVENTS: Record<string, { path: string; frame: (ref: number) => string }> = {
  counter: {
    path: "/counter",
    frame: (ref) => JSON.stringify({ type: "event", ref, name: "increment", params: {} }),
  },
  table: {
    path: "/table?rows=1000",
    frame: (ref) =>
      JSON.stringify({
        type: "event",
        ref,
        name: "toggle",
        params: { id: String(1 + Math.floor(Math.random() * 1000)) },
      }),
  },
};

/** Loads the page (its own session), then joins it over a socket. */
async function joinView(c: Client, path: string): Promise<void> {
  const response = await fetch(DJUST + path);
  if (response.status !== 200) throw new Error(`GET ${path}: ${response.status}`);
  const credentials = await readCredentials(response);
  if (!credentials.page.includes(TOKEN_ATTR)) throw new Error("no token");
  await c.open(
    `ws://${HOST}:${ports.djust}/_djust/ws`,
    { headers: { cookie: credentials.cookie, origin: DJUST } },
    joinMessage(credentials, DJUST + path),
  );
}

function djustClients(view: string, n: number): Client[] {
  return Array.from({ length: n }, () => new Client(VIEW_EVENTS[view].frame, refOf));
}

// #endregion
// #region Run and report

const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;
const ms = (x: number) => `${x.toFixed(2)} ms`;
const x = (a: number, b: number) => `${(a / b).toFixed(2)}×`;

console.log(
  `load_bench: ${N} clients, ${SECONDS} s of events at ${RATE}/s offered, server in its own process on ${HOST}`,
);
try {
  // Warm-up: every code path once (JIT, compiled templates), so the baselines hold no first-use cost.
  for (const view of VIEWS) {
    const warm = djustClients(view, 4);
    await scenario(warm, (c) => joinView(c, VIEW_EVENTS[view].path), true).catch(() => {});
  }
  const echo = await scenario(echoClients(N), (c) => c.open(ECHO), false);
  console.log(
    `  echo (baseline): heap per socket ${kb(echo.heapPerConnection)}, round trip p50 ${
      ms(echo.p50)
    } p99 ${ms(echo.p99)}, ${
      echo.throughput.toFixed(0)
    } msg/s, one socket with ${IN_FLIGHT} in flight ${
      echo.sustained.toFixed(0)
    } msg/s, errors ${echo.errors}`,
  );
  let failed = echo.errors > 0;
  for (const view of VIEWS) {
    const f = await scenario(
      djustClients(view, N),
      (c) => joinView(c, VIEW_EVENTS[view].path),
      true,
    );
    const drift = (f.heapAfter - f.heapBefore) / f.heapBefore;
    console.log(`  ${view}:`);
    console.log(
      `    heap per view ${kb(f.heapPerConnection)} = ${
        x(f.heapPerConnection, echo.heapPerConnection)
      } a bare socket   (${N} joined in ${(f.connectMs / 1000).toFixed(1)} s)`,
    );
    console.log(
      `    round trip p50 ${ms(f.p50)} = ${x(f.p50, echo.p50)} echo, p99 ${ms(f.p99)} = ${
        x(f.p99, echo.p99)
      } echo   (${f.throughput.toFixed(0)} events/s = ${x(f.throughput, echo.throughput)} echo)`,
    );
    console.log(
      `    one view, ${IN_FLIGHT} in flight: ${f.sustained.toFixed(0)} events/s = ${
        x(f.sustained, echo.sustained)
      } echo`,
    );
    console.log(
      `    errors ${f.errors}   heap after close ${kb(f.heapAfter)} vs ${
        kb(f.heapBefore)
      } before (${drift >= 0 ? "+" : ""}${(drift * 100).toFixed(1)}%)`,
    );
    failed ||= f.errors > 0;
  }
  if (failed) {
    console.log("  ERRORS");
    Deno.exitCode = 1;
  }
} finally {
  await serverIn.close();
  await server.status;
}

// #endregion
