/**
 * Async work: assignAsync shows loading, then the result or the failure; startAsync hands its
 * outcome to handleAsync; work runs beside events, and is cancelled (its signal fires) when the
 * view ends or the same name starts again.
 */
import assert from "node:assert/strict";
import {
  App,
  type AsyncOutcome,
  type AsyncResult,
  asyncResult,
  eventHandler,
  LiveView,
  signal,
} from "../../mod.ts";
import { liveTest, renderView } from "../../lib/testing/mod.ts";
import { waitFor } from "../helpers/wait.ts";

/** Work the test finishes by hand. */
class Gate<T> {
  resolve!: (value: T) => void;
  reject!: (error: unknown) => void;
  aborted = false;
  readonly promise: Promise<T>;
  constructor(signal?: AbortSignal) {
    this.promise = new Promise<T>((res, rej) => {
      this.resolve = res;
      this.reject = rej;
    });
    signal?.addEventListener("abort", () => this.aborted = true);
  }
}

let gates: Gate<unknown>[] = [];
const gate = (signal: AbortSignal) => {
  const g = new Gate<unknown>(signal);
  gates.push(g);
  return g.promise;
};

class Dashboard extends LiveView {
  static override template = `{% if stats.loading %}<p id="stats">loading</p>{% endif %}
{% if stats.ok %}<p id="stats">total {{ stats.result.total }}</p>{% endif %}
{% if stats.failed %}<p id="stats">failed: {{ stats.failed }}</p>{% endif %}
<p id="a">{{ a.result }}</p><p id="b">{{ b.result }}</p><p id="clicks">{{ clicks }}</p>
<p id="export">{{ exported }}</p>`;
  stats = asyncResult<{ total: number }>();
  a = asyncResult<number>();
  b = asyncResult<number>();
  clicks = signal(0);
  exported = signal("");

  override mount(): void {
    this.assignAsync("stats", gate);
  }
  @eventHandler()
  loadBoth(): void {
    this.assignAsync(["a", "b"], gate);
  }
  @eventHandler()
  click(): void {
    this.clicks.value++;
  }
  @eventHandler()
  exportData(): void {
    this.startAsync("export", gate);
  }
  @eventHandler()
  stopExport(): void {
    this.cancelAsync("export");
  }
  @eventHandler()
  stopStats(): void {
    this.cancelAsync("stats");
  }
  override handleAsync(name: string, outcome: AsyncOutcome): void {
    this.exported.value = outcome.ok ? `${name}: ${outcome.value}` : `${name} failed`;
  }
}

function app(dev = true): App {
  const a = new App({ dev, secret: dev ? undefined : "prod", logger: () => {} });
  a.live("/", Dashboard);
  return a;
}

const settled = async (view: Awaited<ReturnType<typeof liveTest>>, text: () => boolean) =>
  await waitFor(async () => {
    await view.settle();
    return text();
  }, "the async result on the page");

Deno.test("async: the page load shows loading; the work starts once connected and its result shows", async () => {
  gates = [];
  const a = app();
  const page = await renderView(a, "/");
  assert.match(page.html, /<p id="stats">loading<\/p>/);
  assert.equal(gates.length, 0, "no work runs for the page load alone");
  const view = await liveTest(a, "/");
  await waitFor(() => gates.length === 1, "the work to start");
  assert.equal(view.text("#stats"), "loading");
  gates[0].resolve({ total: 42 });
  await settled(view, () => view.text("#stats") === "total 42");
  await view.close();
  await a.close();
});

Deno.test("async: other events are handled while the work runs", async () => {
  gates = [];
  const a = app();
  const view = await liveTest(a, "/");
  await view.event("click");
  await view.event("click");
  assert.equal(view.text("#clicks"), "2");
  assert.equal(view.text("#stats"), "loading");
  gates[0].resolve({ total: 1 });
  await settled(view, () => view.text("#stats") === "total 1");
  await view.close();
  await a.close();
});

Deno.test("async: a failure shows failed, with the message in development only", async () => {
  for (const dev of [true, false]) {
    gates = [];
    const a = app(dev);
    const view = await liveTest(a, "/");
    await waitFor(() => gates.length === 1, "the work to start");
    gates[0].reject(new Error("database down"));
    const expected = dev ? "failed: database down" : "failed: failed";
    await settled(view, () => view.text("#stats") === expected);
    await view.close();
    await a.close();
  }
});

Deno.test("async: several keys at once", async () => {
  gates = [];
  const a = app();
  const view = await liveTest(a, "/");
  await view.event("loadBoth");
  await waitFor(() => gates.length === 2, "both works to start");
  gates[1].resolve({ a: 1, b: 2 });
  await settled(view, () => view.text("#a") === "1" && view.text("#b") === "2");
  await view.close();
  await a.close();
});

Deno.test("async: startAsync hands its outcome to handleAsync; cancelAsync fires the signal and drops it", async () => {
  gates = [];
  const a = app();
  const view = await liveTest(a, "/");
  await view.event("exportData");
  await waitFor(() => gates.length === 2, "the export to start");
  gates[1].resolve("done");
  await settled(view, () => view.text("#export") === "export: done");

  await view.event("exportData");
  await waitFor(() => gates.length === 3, "the second export to start");
  await view.event("stopExport");
  assert.ok(gates[2].aborted, "the AbortSignal fired");
  gates[2].resolve("late");
  await new Promise((r) => setTimeout(r, 20));
  await view.settle();
  assert.equal(view.text("#export"), "export: done", "a cancelled work's outcome is dropped");
  await view.close();
  await a.close();
});

Deno.test("async: starting the same name again cancels the running work", async () => {
  gates = [];
  const a = app();
  const view = await liveTest(a, "/");
  await view.event("exportData");
  await view.event("exportData");
  await waitFor(() => gates.length === 3, "both exports to start");
  assert.ok(gates[1].aborted, "the first export was cancelled");
  assert.ok(!gates[2].aborted);
  gates[1].resolve("first");
  gates[2].resolve("second");
  await settled(view, () => view.text("#export") === "export: second");
  await view.close();
  await a.close();
});

Deno.test("async: the view's end cancels its running work", async () => {
  gates = [];
  const a = app();
  const view = await liveTest(a, "/");
  await waitFor(() => gates.length === 1, "the work to start");
  await view.close();
  assert.ok(gates[0].aborted, "the AbortSignal fired when the view ended");
  await a.close();
});

// The AsyncResult type is what templates see.
const _check: AsyncResult<number> | undefined = undefined;
void _check;

Deno.test("async: cancelAsync on an assignAsync key stops the load and shows failed: cancelled", async () => {
  gates = [];
  const a = app();
  const view = await liveTest(a, "/");
  await waitFor(() => gates.length === 1, "the work to start");
  await view.event("stopStats");
  assert.equal(gates[0].aborted, true, "the AbortSignal fired");
  assert.equal(view.text("#stats"), "failed: cancelled");
  gates[0].resolve({ total: 9 }); // too late: ignored
  await view.settle();
  assert.equal(view.text("#stats"), "failed: cancelled");
  await view.close();
  await a.close();
});
