/**
 * The server of the upload benchmark, in its own process so that its memory is its own: an App
 * with an upload view, and a plain `Deno.serve` POST handler streaming the body to a temporary
 * file (the baseline). It samples its memory every 2 ms; `/stats` answers the peaks since the
 * last call. Prints its port on stdout.
 */
import { App, eventHandler, LiveView } from "../../mod.ts";

class Upload extends LiveView {
  static override template = `<form dj-submit="save">{% live_file_input uploads.file %}
{% for e in uploads.file.entries %}<p>{{ e.name }} {{ e.progress }}%</p>{% endfor %}</form>`;
  override mount(): void {
    this.allowUpload("file", { maxFileSize: 200_000_000 });
  }
  @eventHandler()
  async save(): Promise<void> {
    await this.consumeUploadedEntries("file", () => {});
  }
}

const dir = await Deno.makeTempDir({ prefix: "djust-upload-bench-" });
// The App's default window unless BENCH_WINDOW says otherwise.
const window = Number(Deno.env.get("BENCH_WINDOW") ?? 8);
const app = new App({ secret: "bench", logger: () => {}, uploads: { dir, window } });
app.live("/upload", Upload);

let peakRss = 0, peakHeap = 0;
const sample = () => {
  const m = Deno.memoryUsage();
  peakRss = Math.max(peakRss, m.rss);
  peakHeap = Math.max(peakHeap, m.heapUsed + m.external);
};
// With BENCH_GC (and --expose-gc), collections before each sample: what the server holds. Two:
// the backing stores of array buffers that one collection finds dead are freed by the next.
const collect = Deno.env.get("BENCH_GC") ? (globalThis as { gc?: () => void }).gc : undefined;
const gc = collect && (() => {
  collect();
  collect();
});
setInterval(() => {
  gc?.();
  sample();
}, gc ? 10 : 2);

/** The baseline: a plain handler that streams the body to a temporary file. */
async function post(request: Request): Promise<Response> {
  const path = await Deno.makeTempFile({ dir });
  const file = await Deno.open(path, { write: true });
  await request.body!.pipeTo(file.writable);
  const size = (await Deno.stat(path)).size;
  // Deleted after the answer, as the live path's files are deleted after their last ack.
  Deno.remove(path).catch(() => {});
  return new Response(String(size));
}

const server = Deno.serve({
  port: 0,
  hostname: "127.0.0.1",
  onListen: ({ port }) => console.log(port),
}, (request) => {
  const path = new URL(request.url).pathname;
  if (path === "/post") return post(request);
  if (path === "/stats") {
    gc?.();
    sample();
    const m = Deno.memoryUsage();
    const body = JSON.stringify({
      peakRss,
      peakHeap,
      rss: m.rss,
      heap: m.heapUsed + m.external,
      window: window * 64 * 1024,
    });
    peakRss = m.rss;
    peakHeap = m.heapUsed + m.external;
    return new Response(body);
  }
  return app.fetch(request);
});

Deno.addSignalListener("SIGTERM", async () => {
  await server.shutdown();
  await app.close();
  await Deno.remove(dir, { recursive: true });
  Deno.exit(0);
});
