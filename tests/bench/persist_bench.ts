/**
 * Durable state, each figure next to its same-run baseline:
 * 1. server cost of an event with state saving on vs off (events sustained per second, with the
 *    saves their timer makes), for the counter and the 1000-row table (goal ≤ 1.1×);
 * 2. the bytes of a saved state, for both;
 * 3. time from socket open to a restored view vs a fresh join, for both.
 *
 *   deno run -A tests/bench/persist_bench.ts
 */
import { App, MemorySessionStore } from "../../mod.ts";
import { closeConnection } from "../../lib/server/app.ts";
import { Counter } from "../../examples/counter/counter.ts";
import { Table } from "../../examples/table/table.ts";
import { openPage } from "../helpers/join.ts";

const SECONDS = Number(Deno.env.get("BENCH_SECONDS") ?? 2);

function app(persist: boolean, store = new MemorySessionStore()): App {
  const a = new App({
    secret: "bench",
    logger: () => {},
    sessionStore: store,
    persistIntervalMs: persist ? 250 : 0,
    maxEventsPerSecond: 1e9,
    maxPersistBytes: 4 * 1024 * 1024,
  });
  a.live("/counter", Counter);
  a.live("/table", Table);
  return a;
}

interface Case {
  path: string;
  event: (i: number) => Record<string, unknown>;
}

const CASES: Record<string, Case> = {
  counter: { path: "/counter", event: () => ({ name: "increment", params: {} }) },
  "1000-row table": {
    path: "/table?rows=1000",
    event: (i) => ({ name: "toggle", params: { id: String(1 + (i * 7) % 1000) } }),
  },
};

/** Events per second one connection sustains for `SECONDS` (timers, saves included). */
async function throughput(persist: boolean, c: Case): Promise<number> {
  const a = app(persist);
  const page = await openPage(a, c.path, "http://bench.test");
  await page.join();
  const end = performance.now() + SECONDS * 1000;
  let n = 0;
  while (performance.now() < end) {
    const { name, params } = c.event(n);
    await page.connection.receive(JSON.stringify({ type: "event", ref: ++n, name, params }));
    // Give timers (the saves) their turn, as a real event loop would between frames.
    if (n % 20 === 0) await new Promise((r) => setTimeout(r, 0));
  }
  closeConnection(a, page.connection);
  await a.close();
  return n / SECONDS;
}

/** Bytes of the saved state after a few events, and the join times: restored vs fresh. */
async function snapshotAndJoin(
  c: Case,
): Promise<{ bytes: number; restore: number; fresh: number }> {
  const store = new MemorySessionStore();
  const first = app(true, store);
  const page = await openPage(first, c.path, "http://bench.test");
  await page.join();
  for (let i = 0; i < 3; i++) {
    const { name, params } = c.event(i);
    await page.connection.receive(JSON.stringify({ type: "event", ref: i + 1, name, params }));
  }
  closeConnection(first, page.connection, "dropped"); // saves now
  await new Promise((r) => setTimeout(r, 50));
  const bytes = store.bytes;
  await first.close();
  const restore: number[] = [], fresh: number[] = [];
  for (let round = 0; round < 15; round++) {
    // Restored: a new App (a restart) on the same store; the page's token names the saved view.
    const second = app(true, store);
    const again = await openPageWith(second, page, c.path);
    let t0 = performance.now();
    await again.join(true);
    restore.push(performance.now() - t0);
    closeConnection(second, again.connection, "shutdown");
    await second.close();
    // Fresh: a join with no parked view and no saved state (the page load's view expired).
    const third = app(false);
    const page3 = await openPage(third, c.path, "http://bench.test");
    t0 = performance.now();
    await page3.send({ ...JSON.parse(joinFrame(page3.token, page3.csrf, c.path)), rejoin: true });
    fresh.push(performance.now() - t0);
    closeConnection(third, page3.connection);
    await third.close();
  }
  const median = (xs: number[]) => xs.sort((a, b) => a - b)[xs.length >> 1];
  return { bytes, restore: median(restore), fresh: median(fresh) };
}

function joinFrame(token: string, csrf: string, path: string): string {
  return JSON.stringify({ type: "join", token, csrf, url: "http://bench.test" + path, v: 1 });
}

/** A connection to `app` with the cookie and token of an earlier page (a reconnect). */
async function openPageWith(
  app: App,
  earlier: Awaited<ReturnType<typeof openPage>>,
  path: string,
) {
  const { openConnection } = await import("../../lib/server/app.ts");
  const { RecordingTransport } = await import("../helpers/join.ts");
  const transport = new RecordingTransport();
  const connection = openConnection(
    app,
    transport,
    new Request("http://bench.test/_djust/ws", { headers: { cookie: earlier.cookie } }),
  );
  return {
    connection,
    join: (rejoin: boolean) =>
      connection.receive(
        JSON.stringify({ ...JSON.parse(joinFrame(earlier.token, earlier.csrf, path)), rejoin }),
      ),
  };
}

console.log(
  `persist_bench: state saving (sealed snapshots, every 250 ms at most), ${SECONDS} s runs`,
);
let ok = true;
for (const [label, c] of Object.entries(CASES)) {
  const off = await throughput(false, c);
  const on = await throughput(true, c);
  const cost = off / on;
  const { bytes, restore, fresh } = await snapshotAndJoin(c);
  ok &&= cost <= 1.1;
  console.log(
    `  ${label.padEnd(15)} events/s off ${off.toFixed(0).padStart(6)}  on ${
      on.toFixed(0).padStart(6)
    }  cost ${cost.toFixed(2)}× (goal ≤ 1.1×)   saved state ${bytes} B   join: restored ${
      restore.toFixed(2)
    } ms vs fresh ${fresh.toFixed(2)} ms (${(restore / fresh).toFixed(2)}×)`,
  );
}
console.log(ok ? "  targets met" : "  TARGET MISSED");
