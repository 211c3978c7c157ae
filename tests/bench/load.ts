/**
 * Load: N WebSocket clients (no browser) join a view, send events and leave, against a server in
 * its own process (tests/bench/load_server.ts) on 127.0.0.1. Every figure is printed next to the
 * same figure for a bare `Deno.upgradeWebSocket` echo server measured with the same clients in the
 * same run:
 *
 * - heap per connected view (the server's heap after full collections, compiled code left out,
 *   over N) vs per bare socket;
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
    // For profiling by hand, e.g. LOAD_SERVER_FLAGS="--cpu-prof --cpu-prof-dir=/tmp/load".
    ...(Deno.env.get("LOAD_SERVER_FLAGS")?.split(" ").filter(Boolean) ?? []),
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
  /** Views parked on the server (closed clients' views, for the grace period). */
  parked: number;
  /** Bytes the session store holds (session data and sealed view snapshots, as JSON text). */
  sessionBytes: number;
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

/**
 * Every pair of clients (a view's and an echo socket) sends, waits for the reply, then thinks
 * (uniform 0–2× the mean), alternating between its two sockets, for `seconds`: djust and the echo
 * are timed in the same window, so the machine's other load falls on both alike.
 */
async function paced(
  pairs: [Client, Client][],
  seconds: number,
): Promise<[number[], number[]]> {
  const rtts: [number[], number[]] = [[], []];
  const meanThink = (pairs.length / RATE) * 1000;
  const end = performance.now() + seconds * 1000;
  await Promise.all(pairs.map(async (pair) => {
    await sleep(Math.random() * 2 * meanThink);
    for (let turn = Math.random() < 0.5 ? 0 : 1; performance.now() < end; turn ^= 1) {
      const rtt = await pair[turn].roundTrip();
      if (!Number.isNaN(rtt)) rtts[turn].push(rtt);
      await sleep(Math.random() * meanThink);
    }
  }));
  return rtts;
}

/**
 * Messages per second one client gets answered with `IN_FLIGHT` always outstanding, for each of
 * `clients`, in alternating slices.
 */
async function sustained(clients: Client[]): Promise<number[]> {
  const done = clients.map(() => 0), spent = clients.map(() => 0);
  for (let slice = 0; slice < 8; slice++) {
    const c = slice % clients.length;
    const t0 = performance.now(), end = t0 + SUSTAIN_MS / 4;
    await Promise.all(Array.from({ length: IN_FLIGHT }, async () => {
      while (performance.now() < end) {
        await clients[c].roundTrip();
        done[c]++;
      }
    }));
    spent[c] += performance.now() - t0;
  }
  return done.map((d, i) => d / (spent[i] / 1000));
}

// #endregion
// #region Scenarios

interface Figures {
  heapPerConnection: number;
  p50: number;
  p99: number;
  echoP50: number;
  echoP99: number;
  throughput: number;
  sustained: number;
  echoSustained: number;
  errors: number;
  heapAfter: number;
  heapBefore: number;
  /** Session data the clients left in the store (their sessions outlive their sockets). */
  sessionBytes: number;
  connectMs: number;
}

const percentile = (xs: number[], p: number) => {
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))] ?? NaN;
};

/** Connects `clients` with `connect` (in parallel, 16 at a time); returns how many failed. */
async function connectAll(clients: Client[], connect: (c: Client) => Promise<void>) {
  let failed = 0;
  await pool(clients, 16, (c) =>
    connect(c).catch((e) => {
      failed++;
      if (failed <= 3) console.error(`  connect failed: ${e.message}`);
    }));
  return failed;
}

/** Waits until the server holds `n` views and `m` echo sockets (closes arrive a moment later). */
async function settle(views: number, echoes: number): Promise<ServerHeap> {
  // Parked views (page loads not joined yet, closed clients' views) are waited for as well.
  const holds = (h: ServerHeap) => h.views === views && h.parked === 0 && h.echoes === echoes;
  let heap = await serverHeap();
  for (let i = 0; i < 100 && !holds(heap); i++) {
    await sleep(100);
    heap = await serverHeap();
  }
  if (!holds(heap)) {
    console.error(
      `  server holds ${heap.views}/${views} views (${heap.parked} parked), ${heap.echoes}/${echoes} echoes`,
    );
  }
  return heap;
}

/** The heap per bare socket: N echo sockets held, then closed. */
async function echoHeap(): Promise<{ perSocket: number; errors: number }> {
  const before = await settle(0, 0);
  const clients = echoClients(N);
  const failed = await connectAll(clients, (c) => c.open(ECHO));
  const held = await settle(0, N - failed);
  await Promise.all(clients.map((c) => c.close()));
  await settle(0, 0);
  return { perSocket: (held.heap - before.heap) / N, errors: failed };
}

/**
 * N clients load the page and join the view (heap per view), N echo sockets open beside them,
 * both are timed in the same window, everyone leaves, and the heap is compared with before.
 */
async function scenario(view: string): Promise<Figures> {
  const before = await settle(0, 0);
  const t0 = performance.now();
  const clients = djustClients(view, N);
  let errors = await connectAll(clients, (c) => joinView(c, VIEW_EVENTS[view].path));
  const connectMs = performance.now() - t0;
  const held = await settle(N - errors, 0);
  const heapPerConnection = (held.heap - before.heap) / N;
  const echoes = echoClients(N);
  errors += await connectAll(echoes, (c) => c.open(ECHO));
  const t1 = performance.now();
  const [rtts, echoRtts] = await paced(clients.map((c, i) => [c, echoes[i]]), SECONDS);
  const throughput = rtts.length / ((performance.now() - t1) / 1000);
  const [rate, echoRate] = await sustained([clients[0], echoes[0]]);
  await Promise.all([...clients, ...echoes].map((c) => c.close()));
  const after = await settle(0, 0);
  errors += after.errors - before.errors;
  for (const c of [...clients, ...echoes]) errors += c.errors + (c.closedEarly ? 1 : 0);
  return {
    heapPerConnection,
    p50: percentile(rtts, 0.5),
    p99: percentile(rtts, 0.99),
    echoP50: percentile(echoRtts, 0.5),
    echoP99: percentile(echoRtts, 0.99),
    throughput,
    sustained: rate,
    echoSustained: echoRate,
    errors,
    heapAfter: after.heap,
    heapBefore: before.heap,
    sessionBytes: after.sessionBytes - before.sessionBytes,
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
const pct = (ratio: number) => `${ratio >= 0 ? "+" : ""}${(ratio * 100).toFixed(1)}%`;
const ms = (x: number) => `${x.toFixed(2)} ms`;
const x = (a: number, b: number) => `${(a / b).toFixed(2)}×`;

console.log(
  `load_bench: ${N} clients, ${SECONDS} s of events at ${RATE}/s offered, server in its own process on ${HOST}`,
);
try {
  // Warm-up: every code path, hot (JIT, compiled templates and blocks), so that the heap before and
  // after holds no first-use code.
  const warmClients = Math.min(N, 50);
  for (let round = 0; round < 2; round++) {
    for (const view of VIEWS) {
      const warm = djustClients(view, warmClients);
      const echoes = echoClients(warmClients);
      await connectAll(warm, (c) => joinView(c, VIEW_EVENTS[view].path));
      await connectAll(echoes, (c) => c.open(ECHO));
      await Promise.all([...warm, ...echoes].map(async (c) => {
        for (let i = 0; i < 40; i++) await c.roundTrip();
      }));
      await Promise.all([...warm, ...echoes].map((c) => c.close()));
    }
  }
  const echo = await echoHeap();
  console.log(
    `  bare socket (baseline): heap per socket ${kb(echo.perSocket)}, errors ${echo.errors}`,
  );
  let failed = echo.errors > 0;
  let missed = false;
  for (const view of VIEWS) {
    const f = await scenario(view);
    const drift = (f.heapAfter - f.heapBefore) / f.heapBefore;
    // What the session store keeps is data, not a leak: one JSON string per session (ASCII: the
    // snapshots are base64), a byte a character.
    const kept = (f.heapAfter - f.heapBefore - f.sessionBytes) / f.heapBefore;
    console.log(`  ${view}:`);
    console.log(
      `    heap per view ${kb(f.heapPerConnection)} = ${
        x(f.heapPerConnection, echo.perSocket)
      } a bare socket   (${N} loaded and joined in ${(f.connectMs / 1000).toFixed(1)} s)`,
    );
    console.log(
      `    round trip p50 ${ms(f.p50)} = ${x(f.p50, f.echoP50)} echo (${ms(f.echoP50)}), p99 ${
        ms(f.p99)
      } = ${x(f.p99, f.echoP99)} echo (${ms(f.echoP99)})   (${f.throughput.toFixed(0)} events/s)`,
    );
    console.log(
      `    one view, ${IN_FLIGHT} in flight: ${f.sustained.toFixed(0)} events/s = ${
        x(f.sustained, f.echoSustained)
      } echo (${f.echoSustained.toFixed(0)} msg/s)`,
    );
    console.log(
      `    errors ${f.errors}   heap after all closed ${kb(f.heapAfter)} vs ${
        kb(f.heapBefore)
      } before (${pct(drift)}); the session store keeps ${
        kb(f.sessionBytes)
      } of the clients' sessions and view snapshots; beyond that ${pct(kept)} (target ≤ +5%)`,
    );
    failed ||= f.errors > 0;
    missed ||= kept > 0.05;
  }
  if (failed) {
    console.log("  ERRORS");
    Deno.exitCode = 1;
  }
  if (missed) console.log("  TARGET MISSED: heap after close");
} finally {
  await serverIn.close();
  await server.status;
}

// #endregion
