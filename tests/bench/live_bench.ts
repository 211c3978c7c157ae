/**
 * LiveView benchmarks, each printed with its ratio against a baseline measured in the same run:
 * 1. server cost of one event that changes one row: 1000-row table vs 10-row table (target ≤ 2×);
 * 2. bytes on the wire for that event in the 1000-row table (target ≤ 150 bytes);
 * 3. client bundle size, min+gzip (target ≤ 5 KB).
 *
 *   deno run -A tests/bench/live_bench.ts
 */
import { App, eventHandler, LiveView, type Signal, signal } from "../../mod.ts";
import { CLIENT_ENTRY, CLIENT_FILES } from "../../lib/server/client_bundle.ts";
import { closeConnection } from "../../lib/server/app.ts";
import { openPage } from "../helpers/join.ts";

/** The core client: the entry module (hooks and JS commands are chunks loaded on demand). */
const CLIENT_JS = CLIENT_FILES[CLIENT_ENTRY];

interface Row {
  id: number;
  label: string;
  done: boolean;
}

class Rows extends LiveView {
  static override template = `<table><tbody>
{% for row in rows %}<tr dj-key="{{ row.id }}" class="{% if row.done %}done{% endif %}"><td>{{ row.id }}</td><td>{{ row.label }}</td><td><button dj-click="toggle" dj-value-id="{{ row.id }}">{% if row.done %}undo{% else %}done{% endif %}</button></td></tr>
{% endfor %}</tbody></table>`;
  rows = signal<Row[]>([]);
  override mount(request: Request): void {
    const n = Number(new URL(request.url).searchParams.get("n"));
    this.rows.value = Array.from(
      { length: n },
      (_, i) => ({ id: i + 1, label: `Row ${i + 1}`, done: false }),
    );
  }
  @eventHandler()
  toggle(params: { id?: string }): void {
    const id = Number(params.id);
    this.rows.value = this.rows.value.map((r) => (r.id === id ? { ...r, done: !r.done } : r));
  }
}

/** The same table with one signal per row: an event touches one row's signal, not the list. */
class SignalRows extends LiveView {
  static override template = Rows.template;
  rows = signal<Signal<Row>[]>([]);
  _byId = new Map<number, Signal<Row>>();
  override mount(request: Request): void {
    const n = Number(new URL(request.url).searchParams.get("n"));
    this.rows.value = Array.from(
      { length: n },
      (_, i) => signal({ id: i + 1, label: `Row ${i + 1}`, done: false }),
    );
    for (const row of this.rows.value) this._byId.set(row.peek().id, row);
  }
  @eventHandler()
  toggle(params: { id?: string }): void {
    const row = this._byId.get(Number(params.id));
    if (row) row.value = { ...row.value, done: !row.value.done };
  }
}

const app = new App({ secret: "bench", logger: () => {}, maxEventsPerSecond: Infinity });
app.live("/rows", Rows);
app.live("/signal-rows", SignalRows);

/**
 * Median microseconds per toggle event, server side only: parse, dispatch, regions, ops and
 * serialization, up to the bytes handed to the socket.
 */
async function eventCost(
  path: string,
  n: number,
  iterations: number,
): Promise<{ micros: number; bytes: number }> {
  const page = await openPage(app, `${path}?n=${n}`, "http://bench.test");
  await page.join();
  const connection = page.connection;
  let bytes = 0;
  const times: number[] = [];
  for (let i = 0; i < iterations; i++) {
    const id = 1 + (i * 7) % n;
    const frame = JSON.stringify({
      type: "event",
      ref: i + 1,
      name: "toggle",
      params: { id: String(id) },
    });
    const t0 = performance.now();
    await connection.receive(frame);
    bytes = new TextEncoder().encode(page.transport.frames.at(-1) ?? "").length;
    times.push(performance.now() - t0);
  }
  closeConnection(app, connection);
  times.sort((a, b) => a - b);
  return { micros: times[Math.floor(times.length / 2)] * 1000, bytes };
}

// Warm up the JIT on every shape before measuring.
for (const path of ["/rows", "/signal-rows"]) {
  await eventCost(path, 10, 300);
  await eventCost(path, 1000, 300);
}
const small = await eventCost("/rows", 10, 2000);
const large = await eventCost("/rows", 1000, 2000);
const smallSig = await eventCost("/signal-rows", 10, 2000);
const largeSig = await eventCost("/signal-rows", 1000, 2000);

const gzipped =
  (await new Response(new Blob([CLIENT_JS]).stream().pipeThrough(new CompressionStream("gzip")))
    .arrayBuffer()).byteLength;

const ratio = large.micros / small.micros;
const ratioSig = largeSig.micros / smallSig.micros;
const f = (x: number) => x.toFixed(1).padStart(6);
console.log(
  "live_bench: server cost of one event that changes one row (median, parse → bytes out)",
);
console.log(
  `  list replaced by map():  10 rows ${f(small.micros)} µs   1000 rows ${
    f(large.micros)
  } µs   ratio ${ratio.toFixed(2)}×`,
);
console.log(
  `  one signal per row:      10 rows ${f(smallSig.micros)} µs   1000 rows ${
    f(largeSig.micros)
  } µs   ratio ${ratioSig.toFixed(2)}×   (target ≤ 2×)`,
);
console.log(
  `  bytes on the wire for that event, 1000 rows: ${large.bytes} B (map), ${largeSig.bytes} B (signals)   (target ≤ 150 B)`,
);
console.log(
  `  client bundle: ${CLIENT_JS.length} B minified, ${gzipped} B min+gzip = ${
    (gzipped / 5120).toFixed(2)
  } × the 5 KB budget`,
);
const ok = ratioSig <= 2 && large.bytes <= 150 && largeSig.bytes <= 150 && gzipped <= 5120;
console.log(ok ? "  targets met" : "  TARGET MISSED");
