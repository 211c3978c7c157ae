/**
 * The server side of tests/bench/load.ts, run as its own process so that its heap holds only what
 * the server keeps: a djust App (the counter and the 1000-row table examples) and a bare
 * `Deno.upgradeWebSocket` echo server, both on 127.0.0.1. It prints one JSON line with their ports,
 * then serves until its stdin closes (the bench ending, or dying, closes it).
 *
 *   GET /heap on the echo port: `{ heap, views, parked, sessionBytes, echoes, errors }` after two full collections
 *   (run with `--v8-flags=--expose-gc`); `heap` leaves out compiled code.
 */
import v8 from "node:v8";
import { App, MemorySessionStore } from "../../mod.ts";
import { connections } from "../../lib/server/app.ts";
import { Counter } from "../../examples/counter/counter.ts";
import { Table } from "../../examples/table/table.ts";

const gc = (globalThis as { gc?: () => void }).gc;
let logged = 0;
/** The default store, named so the bench can tell how much session data it keeps. */
const sessionStore = new MemorySessionStore();
const app = new App({
  sessionStore,
  secret: "load-bench",
  // The bench counts failures; the log line itself would only slow the server down.
  logger: (level, message, error) => {
    if (level === "info") return;
    logged++;
    if (logged <= 5) console.error(`server ${level}: ${message}`, error ?? "");
  },
  // The sustained-rate phase keeps 32 events in flight on one socket.
  maxEventsPerSecond: 1_000_000,
  // A client that closes its socket without 1001 ("going away", which a browser sends when a page
  // goes) looks like a dropped network: its view is parked for the grace period. A short one here,
  // so the heap after everyone left is read once the parked views have ended too.
  reconnectGraceMs: 1_000,
});
app.live("/counter", Counter);
app.live("/table", Table);

const echoSockets = new Set<WebSocket>();

function echo(request: Request): Response {
  if (new URL(request.url).pathname === "/heap") {
    gc?.();
    gc?.();
    // Compiled code is left out: the JIT keeps compiling while the bench runs, and that is not what
    // a view costs or leaves behind.
    let code = 0;
    for (const space of v8.getHeapSpaceStatistics()) {
      if (/code|trusted/.test(space.space_name)) code += space.space_used_size;
    }
    return Response.json({
      heap: Deno.memoryUsage().heapUsed - code,
      views: connections(app).size,
      parked: app.parkedViews.count,
      // Sessions outlive their sockets (two weeks idle by default), and so do the sealed
      // snapshots of their views (for a restore after a restart; 16 per session at most).
      sessionBytes: sessionStore.bytes,
      echoes: echoSockets.size,
      errors: app.metrics.errors + logged,
    });
  }
  if (new URL(request.url).pathname === "/snapshot") {
    // For profiling by hand: `LOAD_SNAPSHOTS=1`, then GET /snapshot?to=/tmp/x.heapsnapshot.
    if (!Deno.env.get("LOAD_SNAPSHOTS")) return new Response("off", { status: 404 });
    gc?.();
    const to = new URL(request.url).searchParams.get("to") ?? "/tmp/load.heapsnapshot";
    return new Response(v8.writeHeapSnapshot(to));
  }
  const { socket, response } = Deno.upgradeWebSocket(request);
  echoSockets.add(socket);
  socket.onmessage = (e) => socket.send(e.data);
  socket.onclose = () => echoSockets.delete(socket);
  return response;
}

function listen(handler: (r: Request) => Response | Promise<Response>): Promise<number> {
  return new Promise((resolve) => {
    Deno.serve({
      hostname: "127.0.0.1",
      port: 0,
      onListen: ({ port }) => resolve(port),
    }, handler);
  });
}

const [djust, bare] = await Promise.all([listen(app.fetch), listen(echo)]);
console.log(JSON.stringify({ djust, echo: bare }));
// The parent holds our stdin open; when it goes (normally or not), so do we.
for await (const _ of Deno.stdin.readable) { /* nothing is sent */ }
Deno.exit(0);
