/**
 * LiveView benchmarks, each printed with its ratio against a baseline measured in the same run:
 * 1. server cost of one event that changes one row, 1000-row table vs 10-row table, with the natural
 *    handler (`rows.value = rows.value.map(…)`), for a `dj-key` loop and an unkeyed one, and with
 *    one signal per row (target ≤ 2× each). The handler's own `map()` over 1000 rows is measured
 *    alone too: it costs about what the whole 10-row event costs, so the ratio is printed with and
 *    without it (djust's share: an identity check per unchanged row);
 * 2. the same event through the test toolkit (`view.event`, patches applied to linkedom), keyed and
 *    unkeyed (target ≤ 2×);
 * 3. bytes on the wire for that event in the 1000-row table (target ≤ 150 bytes);
 * 4. bytes on the wire for a one-value change in a page built the Django way (`{% extends %}` a
 *    base, `{% include %}` partials, `{% with %}`, a modal `{% component %}` slot), against the
 *    same markup written out in one template (target ≤ 1.1×: composition costs no bytes);
 * 5. client bundle size, min+gzip (target ≤ 5 KB).
 *
 * The machine is shared: every case runs in alternating rounds and keeps its best median.
 *
 *   deno run -A tests/bench/live_bench.ts
 */
import { App, eventHandler, LiveView, type Signal, signal } from "../../mod.ts";
import { CLIENT_ENTRY, CLIENT_FILES } from "../../lib/server/client_bundle.ts";
import { closeConnection } from "../../lib/server/app.ts";
import { liveTest, type LiveViewTest } from "../../lib/testing/mod.ts";
import { type InProcessPage, openPage } from "../helpers/join.ts";

/** The core client: the entry module (hooks and JS commands are chunks loaded on demand). */
const CLIENT_JS = CLIENT_FILES[CLIENT_ENTRY];

interface Row {
  id: number;
  label: string;
  done: boolean;
}

const rowTemplate = (key: string) =>
  `<table><tbody>
{% for row in rows %}<tr${key} class="{% if row.done %}done{% endif %}"><td>{{ row.id }}</td><td>{{ row.label }}</td><td><button dj-click="toggle" dj-value-id="{{ row.id }}">{% if row.done %}undo{% else %}done{% endif %}</button></td></tr>
{% endfor %}</tbody></table>`;

const makeRows = (request: Request) =>
  Array.from(
    { length: Number(new URL(request.url).searchParams.get("n")) },
    (_, i) => ({ id: i + 1, label: `Row ${i + 1}`, done: false }),
  );

/** The natural handler: the list replaced with `map()`, the changed row a new object. */
class Rows extends LiveView {
  static override template = rowTemplate(` dj-key="{{ row.id }}"`);
  rows = signal<Row[]>([]);
  override mount(request: Request): void {
    this.rows.value = makeRows(request);
  }
  @eventHandler()
  toggle(params: { id?: string }): void {
    const id = Number(params.id);
    this.rows.value = this.rows.value.map((r) => (r.id === id ? { ...r, done: !r.done } : r));
  }
}

/** The same, without `dj-key`: keyed by index. */
class UnkeyedRows extends Rows {
  static override template = rowTemplate("");
}

/** The same table with one signal per row: an event touches one row's signal, not the list. */
class SignalRows extends LiveView {
  static override template = Rows.template;
  rows = signal<Signal<Row>[]>([]);
  _byId = new Map<number, Signal<Row>>();
  override mount(request: Request): void {
    this.rows.value = makeRows(request).map((row) => signal(row));
    for (const row of this.rows.value) this._byId.set(row.peek().id, row);
  }
  @eventHandler()
  toggle(params: { id?: string }): void {
    const row = this._byId.get(Number(params.id));
    if (row) row.value = { ...row.value, done: !row.value.done };
  }
}

/** A page built from a base template, partials, a with block and a modal component. */
const COMPOSED_TEMPLATES: Record<string, string> = {
  "base.html": `<div class="app"><nav>{% include "nav.html" %}</nav><main>{% block content %}` +
    `{% endblock %}</main><footer>{% block footer %}© {{ year }}{% endblock %}</footer></div>`,
  "nav.html": `<a href="/">Home</a> <span class="user">{{ person }}</span>`,
  "row.html": `<tr><td>{{ r.name }}</td><td>{{ r.qty }}</td></tr>`,
  "components/modal.html": `<div class="modal" role="dialog"><h2>{{ title }}</h2>` +
    `<div class="content">{% render_slot %}</div></div>`,
};
const COMPOSED_BODY = `<table>{% for r in rows %}{% with total=r.qty %}<tr><td>{{ r.name }}</td>` +
  `<td>{{ total }}</td></tr>{% endwith %}{% endfor %}</table>`;
/** The same page, written the Django way. */
class Composed extends LiveView {
  static override template = `{% extends "base.html" %}{% block content %}` +
    `{% component "modal" title="Edit" %}<form><input name="q" value="{{ q }}"><b>{{ count }}</b>` +
    `</form><table>{% for r in rows %}{% with total=r.qty %}{% include "row.html" %}{% endwith %}` +
    `{% endfor %}</table>{% endcomponent %}{% endblock %}`;
  person = signal("ann");
  year = signal(2026);
  q = signal("x");
  count = signal(0);
  rows = signal(Array.from({ length: 20 }, (_, i) => ({ name: `item ${i}`, qty: i })));
  @eventHandler()
  inc(): void {
    this.count.value++;
  }
}
/** The same markup in one template. */
class Inline extends Composed {
  static override template = `<div class="app"><nav><a href="/">Home</a> <span class="user">` +
    `{{ person }}</span></nav><main><div class="modal" role="dialog"><h2>Edit</h2>` +
    `<div class="content"><form><input name="q" value="{{ q }}"><b>{{ count }}</b></form>` +
    COMPOSED_BODY + `</div></div></main><footer>© {{ year }}</footer></div>`;
}

const app = new App({
  secret: "bench",
  logger: () => {},
  maxEventsPerSecond: Infinity,
  templates: COMPOSED_TEMPLATES,
});
app.live("/rows", Rows);
app.live("/unkeyed", UnkeyedRows);
app.live("/signal-rows", SignalRows);
app.live("/composed", Composed);
app.live("/inline", Inline);

/** One case: something that sends toggle events to an open view. */
interface Case {
  event(i: number): Promise<void>;
  bytes(): number;
  close(): void | Promise<void>;
}

/** Server side only: parse, dispatch, regions, ops and serialization, up to the bytes sent. */
async function serverCase(path: string, n: number): Promise<Case> {
  const page: InProcessPage = await openPage(app, `${path}?n=${n}`, "http://bench.test");
  await page.join();
  return {
    async event(i) {
      const id = 1 + (i * 7) % n;
      await page.connection.receive(
        JSON.stringify({ type: "event", ref: i + 1, name: "toggle", params: { id: String(id) } }),
      );
      page.transport.frames.length = page.transport.sent.length = 0;
    },
    bytes: () => 0,
    close: () => closeConnection(app, page.connection),
  };
}

/** Through the test toolkit: the patch is applied to a linkedom DOM by the client's patcher. */
async function toolkitCase(path: string, n: number): Promise<Case> {
  const view: LiveViewTest = await liveTest(app, `${path}?n=${n}`);
  return {
    event: (i) => view.event("toggle", { id: String(1 + (i * 7) % n) }),
    bytes: () => view.lastPatch()?.bytes ?? 0,
    close: () => view.close(),
  };
}

/** Median µs of `count` events. */
async function median(c: Case, count: number, from: number): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < count; i++) {
    const t0 = performance.now();
    await c.event(from + i);
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  return times[count >> 1] * 1000;
}

/** The handler's own work: the same `map()` over the same rows, alone (no djust at all). */
function mapCase(n: number): Case {
  let rows: Row[] = Array.from(
    { length: n },
    (_, i) => ({ id: i + 1, label: `Row ${i + 1}`, done: false }),
  );
  return {
    event(i) {
      const id = 1 + (i * 7) % n;
      rows = rows.map((r) => (r.id === id ? { ...r, done: !r.done } : r));
      return Promise.resolve();
    },
    bytes: () => 0,
    close() {},
  };
}

/** Best median of each case over alternating rounds. */
async function measure(cases: Case[], rounds = 5, count = 600): Promise<number[]> {
  const best = cases.map(() => Infinity);
  for (const c of cases) await median(c, 300, 0); // warm up the JIT on every shape
  for (let round = 0; round < rounds; round++) {
    for (let i = 0; i < cases.length; i++) {
      best[i] = Math.min(best[i], await median(cases[i], count, (round + 1) * count));
    }
  }
  return best;
}

const f = (x: number) => `${x.toFixed(1).padStart(6)} µs`;
let ok = true;
/** The handler's `map()` alone, 10 and 1000 rows: subtracted to show djust's own share. */
let handler = [0, 0];
function report(label: string, small: number, large: number, target = 2): void {
  const ratio = large / small;
  const own = (large - handler[1]) / (small - handler[0]);
  ok &&= own <= target;
  console.log(
    `  ${label.padEnd(28)} 10 rows ${f(small)}   1000 rows ${f(large)}   ratio ${
      ratio.toFixed(2)
    }×, without the handler's map() ${own.toFixed(2)}× (target ≤ ${target}×)`,
  );
}

console.log("live_bench: one event that changes one row, 1000 vs 10 rows (best median)");
handler = await measure([mapCase(10), mapCase(1000)]);
console.log(
  `  the handler's map() alone (app code, the same in any framework): 10 rows ${
    f(handler[0])
  }   1000 rows ${f(handler[1])}`,
);
const server = [
  await serverCase("/rows", 10),
  await serverCase("/rows", 1000),
  await serverCase("/unkeyed", 10),
  await serverCase("/unkeyed", 1000),
  await serverCase("/signal-rows", 10),
  await serverCase("/signal-rows", 1000),
];
const s = await measure(server);
for (const c of server) await c.close();
console.log(" server (frame in → bytes out)");
report("map(), dj-key", s[0], s[1]);
report("map(), unkeyed (by index)", s[2], s[3]);
const saved = handler;
handler = [0, 0]; // no map() here
report("one signal per row, dj-key", s[4], s[5]);
handler = saved;

const toolkit = [
  await toolkitCase("/rows", 10),
  await toolkitCase("/rows", 1000),
  await toolkitCase("/unkeyed", 10),
  await toolkitCase("/unkeyed", 1000),
];
const t = await measure(toolkit, 5, 400);
console.log(" test toolkit (view.event, patch applied to linkedom)");
report("map(), dj-key", t[0], t[1]);
report("map(), unkeyed (by index)", t[2], t[3]);
const keyedBytes = toolkit[1].bytes(), unkeyedBytes = toolkit[3].bytes();
for (const c of toolkit) await c.close();

/** Bytes of the `inc` event's patch on a page. */
async function incBytes(path: string): Promise<number> {
  const view = await liveTest(app, path);
  await view.event("inc");
  const bytes = view.lastPatch()?.bytes ?? Infinity;
  await view.close();
  return bytes;
}
const composedBytes = await incBytes("/composed"), inlineBytes = await incBytes("/inline");
console.log(
  `  one value changed, page built with extends/include/with/component: ${composedBytes} B, ` +
    `written inline: ${inlineBytes} B = ${
      (composedBytes / inlineBytes).toFixed(2)
    }× (target ≤ 1.1×)`,
);
ok &&= composedBytes <= 1.1 * inlineBytes;

const gzipped =
  (await new Response(new Blob([CLIENT_JS]).stream().pipeThrough(new CompressionStream("gzip")))
    .arrayBuffer()).byteLength;
console.log(
  `  bytes on the wire for that event, 1000 rows: ${keyedBytes} B (dj-key), ${unkeyedBytes} B (unkeyed)   (target ≤ 150 B)`,
);
console.log(
  `  client bundle: ${CLIENT_JS.length} B minified, ${gzipped} B min+gzip = ${
    (gzipped / 5120).toFixed(2)
  } × the 5 KB budget`,
);
ok &&= keyedBytes <= 150 && unkeyedBytes <= 150 && gzipped <= 5120;
console.log(ok ? "  targets met" : "  TARGET MISSED");
