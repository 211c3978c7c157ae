/**
 * Fan-out: one broadcast to N connected views in one process, timed until the last client has its
 * patch, against N bare WebSocket sends of the same payload (the floor), both over loopback sockets,
 * in alternating rounds.
 *
 *   deno run -A tests/bench/fanout_bench.ts [N=1000]
 */
import { App, LiveView, signal } from "../../mod.ts";

const N = Number(Deno.args[0] ?? 1000);

class Ticker extends LiveView {
  static override template = `<p>Value: <b>{{ value }}</b></p>`;
  value = signal("start");
  override mount(): void {
    this.subscribe("tick");
  }
  override handleInfo(message: unknown): void {
    this.value.value = String(message);
  }
}

function serve(
  handler: (r: Request) => Response | Promise<Response>,
): Promise<{ port: number; close: () => Promise<void> }> {
  return new Promise((resolve) => {
    const ac = new AbortController();
    const server = Deno.serve({
      port: 0,
      hostname: "127.0.0.1",
      signal: ac.signal,
      onListen: ({ port }) =>
        resolve({ port, close: async () => (ac.abort(), await server.finished) }),
    }, handler);
  });
}

/** Opens N djust clients (HTTP render + join); returns them with a way to await the next patch. */
async function djustClients(port: number) {
  const base = `http://127.0.0.1:${port}`;
  const res = await fetch(base + "/");
  const page = await res.text();
  const cookie = res.headers.getSetCookie().map((c) => c.split(";")[0]).join("; ");
  const token = /data-dj-token="([^"]+)"/.exec(page)![1];
  const csrf = /name="dj-csrf" content="([^"]+)"/.exec(page)![1];
  const sockets: WebSocket[] = [];
  let pending = 0;
  let done: () => void = () => {};
  for (let i = 0; i < N; i++) {
    const ws = new WebSocket(
      `ws://127.0.0.1:${port}/_djust/ws`,
      { headers: { cookie, origin: base } } as never,
    );
    await new Promise<void>((resolve) => {
      ws.onopen = () =>
        ws.send(JSON.stringify({ type: "join", token, csrf, url: base + "/", v: 1 }));
      ws.onmessage = (e) => {
        const m = JSON.parse(e.data);
        if (m.type === "joined") resolve();
        if (m.type === "patch" && --pending === 0) done();
      };
    });
    sockets.push(ws);
  }
  const nextRound = () => {
    pending = N;
    return new Promise<void>((resolve) => (done = resolve));
  };
  return { sockets, nextRound };
}

/** N bare WebSocket clients of a server that sends `payload` to all of them at once. */
async function bareClients(server: { port: number }, serverSockets: WebSocket[]) {
  let pending = 0;
  let done: () => void = () => {};
  const clients: WebSocket[] = [];
  for (let i = 0; i < N; i++) {
    const ws = new WebSocket(`ws://127.0.0.1:${server.port}/`);
    ws.onmessage = () => {
      if (--pending === 0) done();
    };
    await new Promise((r) => (ws.onopen = r));
    clients.push(ws);
  }
  while (serverSockets.length < N) await new Promise((r) => setTimeout(r, 10));
  const nextRound = () => {
    pending = N;
    return new Promise<void>((resolve) => (done = resolve));
  };
  return { clients, nextRound };
}

const payload = JSON.stringify({ type: "patch", ops: [{ op: "text", id: "1", text: "round 10" }] });
const app = new App({ secret: "fanout", logger: () => {} });
app.live("/", Ticker);
const djustServer = await serve(app.fetch);
const djust = await djustClients(djustServer.port);
const serverSockets: WebSocket[] = [];
const bareServer = await serve((req) => {
  const { socket, response } = Deno.upgradeWebSocket(req);
  serverSockets.push(socket);
  return response;
});
const bare = await bareClients(bareServer, serverSockets);

// Rounds alternate between djust and the bare sends, so both see the same machine.
const djustTimes: number[] = [], bareTimes: number[] = [];
for (let round = 0; round < 24; round++) {
  const all = djust.nextRound();
  let t0 = performance.now();
  await app.pubsub.broadcast("tick", `round ${round}`);
  await all;
  if (round >= 4) djustTimes.push(performance.now() - t0); // first rounds warm the JIT
  const bareAll = bare.nextRound();
  t0 = performance.now();
  for (const s of serverSockets) s.send(payload);
  await bareAll;
  if (round >= 4) bareTimes.push(performance.now() - t0);
}
for (const ws of [...djust.sockets, ...bare.clients]) ws.close();
await new Promise((r) => setTimeout(r, 300));
await app.close();
await djustServer.close();
await bareServer.close();

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const d = median(djustTimes), b = median(bareTimes);
console.log(
  `fanout_bench: one broadcast to ${N} connected views (loopback WebSockets, median of ${djustTimes.length}, alternating)`,
);
console.log(`  bare WebSocket sends of the same payload: ${b.toFixed(1)} ms (baseline)`);
console.log(
  `  djust broadcast → ${N} patches received:  ${d.toFixed(1)} ms  ratio ${
    (d / b).toFixed(2)
  }×   (target ≤ 1.5×)`,
);
