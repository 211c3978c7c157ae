/**
 * Uploads, against a same-run baseline on 127.0.0.1:
 * 1. throughput of a 50 MB file through the live socket (binary chunks within the window, until
 *    the last acknowledgement) vs a plain HTTP POST of the same file to a `Deno.serve` handler
 *    that streams it to a file (goal ≥ 0.7× the POST). Runs alternate, and the ratio is the
 *    median of each pair's, so a machine busy with other work slows both sides of a pair alike;
 * 2. the server's peak memory during the upload above its level before, as V8 reports it
 *    (heap + external: what the server holds, and chunks already written but not yet collected)
 *    and, in a second pass with a collection forced every 10 ms, what it holds (goal: flat, under
 *    2× the chunk window = window × chunk size).
 * The server runs in its own process, so its memory is its own.
 *
 *   deno run -A tests/bench/upload_bench.ts
 */
import { SocketPage } from "../uploads/socket_uploader.ts";

const MB = 1_000_000;
const SIZE = Number(Deno.env.get("BENCH_UPLOAD_MB") ?? 50) * MB;
const RUNS = Number(Deno.env.get("BENCH_RUNS") ?? 7);

interface Stats {
  peakRss: number;
  peakHeap: number;
  rss: number;
  heap: number;
  window: number;
}

/** Starts the server (with `--expose-gc` and collections every 10 ms when `gc`). */
async function startServer(gc: boolean) {
  const child = new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "--allow-all",
      ...(gc ? ["--v8-flags=--expose-gc"] : []),
      new URL("./upload_server.ts", import.meta.url).pathname,
    ],
    env: gc ? { BENCH_GC: "1" } : {},
    stdout: "piped",
    stderr: "inherit",
  }).spawn();
  const reader = child.stdout.pipeThrough(new TextDecoderStream()).getReader();
  const base = `http://127.0.0.1:${Number((await reader.read()).value?.trim())}`;
  reader.releaseLock();
  return {
    base,
    stats: async (): Promise<Stats> => await (await fetch(base + "/stats")).json(),
    async stop() {
      child.kill("SIGTERM");
      await child.status;
      await child.stdout.cancel().catch(() => {});
    },
  };
}

const content = new Uint8Array(SIZE);
for (let i = 0; i < SIZE; i += 4096) content[i] = i & 0xff;
const file = new File([content], "big.bin", { type: "application/octet-stream" });

interface Run {
  seconds: number;
  heap: number;
  rss: number;
}

/** Runs both paths against `server`, alternating, `runs` times each (after one warm-up each). */
async function compare(server: Awaited<ReturnType<typeof startServer>>, runs: number) {
  const measure = async (run: () => Promise<void>, after?: () => Promise<void>): Promise<Run> => {
    const before = await server.stats();
    const t0 = performance.now();
    await run();
    const seconds = (performance.now() - t0) / 1000;
    const peaks = await server.stats();
    await after?.();
    return { seconds, rss: peaks.peakRss - before.rss, heap: peaks.peakHeap - before.heap };
  };
  const viaPost = () =>
    measure(async () => {
      const response = await fetch(server.base + "/post", { method: "POST", body: content });
      if (Number(await response.text()) !== SIZE) throw new Error("the POST lost bytes");
    });
  const page = await SocketPage.open(server.base, "/upload");
  let ref = 0;
  const viaSocket = () =>
    measure(() => page.upload("file", file, content).then(() => {}), async () => {
      // The view consumes the entry (untimed), as a submit would.
      page.send({ type: "event", ref: ++ref, name: "save", params: {} });
      await page.next((m) => m.type === "patch" && m.ref === ref);
    });
  await viaPost();
  await viaSocket();
  const post: Run[] = [], socket: Run[] = [];
  for (let i = 0; i < runs; i++) {
    post.push(await viaPost());
    socket.push(await viaSocket());
  }
  await page.close();
  return { post, socket, window: (await server.stats()).window };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const rate = (r: Run) => SIZE / MB / r.seconds;
const kib = (n: number) => `${Math.round(n / 1024)} KiB`;

const plain = await startServer(false);
const speed = await compare(plain, RUNS);
await plain.stop();
const collected = await startServer(true);
const held = await compare(collected, 2);
await collected.stop();

const ratio = median(speed.socket.map((s, i) => rate(s) / rate(speed.post[i])));
const window = speed.window;
const peakHeld = Math.max(...held.socket.map((r) => r.heap));
console.log(`upload_bench: a ${SIZE / MB} MB file, ${RUNS} runs of each path, alternating`);
console.log(
  `  throughput: live socket ${median(speed.socket.map(rate)).toFixed(0)} MB/s, plain POST ` +
    `${median(speed.post.map(rate)).toFixed(0)} MB/s (medians); ratio ${ratio.toFixed(2)}× ` +
    `(median of pairs)   (goal ≥ 0.7×)`,
);
console.log(
  `  server memory during the upload, above its level before (chunk window ${kib(window)}):`,
);
console.log(
  `    held (collection forced every 10 ms): live socket ${kib(peakHeld)} = ` +
    `${(peakHeld / window).toFixed(2)}× the window   (goal < 2×); plain POST ` +
    `${kib(Math.max(...held.post.map((r) => r.heap)))}`,
);
console.log(
  `    as reported, uncollected chunks included: live socket heap+external ` +
    `${kib(Math.max(...speed.socket.map((r) => r.heap)))}, RSS ` +
    `${kib(Math.max(...speed.socket.map((r) => r.rss)))}; plain POST heap+external ` +
    `${kib(Math.max(...speed.post.map((r) => r.heap)))}, RSS ` +
    `${kib(Math.max(...speed.post.map((r) => r.rss)))}`,
);
const ok = ratio >= 0.7 && peakHeld < 2 * window;
console.log(ok ? "  goals met" : "  GOAL MISSED");
