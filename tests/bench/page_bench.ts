/**
 * Page loads: the warm GET of a live page (session, mount, first render, join token, layout, up to
 * the response body's bytes) against the GET of a plain handler that renders the same view
 * template with the same data into the same layout, and the join that follows the live GET; all in
 * this process (no network). Target: the live GET ≤ 2× the plain one.
 *
 * Both bodies are read as bytes, as a server sends them: Deno encodes a string body either when the
 * Response is made (it does for some header sets, e.g. with `cache-control`) or when it is sent, so
 * reading text would charge the encoding to one side only.
 *
 * Beside the whole, djust's own share: both GETs with the view's own code taken out (its `mount`
 * and `getContextData`, which build the same data as the plain handler does), as live_bench.ts
 * shows an event without the handler's own `map()`.
 *
 *   deno run -A tests/bench/page_bench.ts
 */
import { App } from "../../mod.ts";
import { closeConnection } from "../../lib/server/app.ts";
import { Counter } from "../../examples/counter/counter.ts";
import { makeRows, Table } from "../../examples/table/table.ts";
import { Engine } from "../../lib/template/engine.ts";
import { renderPage } from "../../lib/server/page.ts";
import type { LiveView } from "../../lib/live/view.ts";
import { openPage } from "../helpers/join.ts";

const ORIGIN = "http://bench.test";
const app = new App({ secret: "page-bench", logger: () => {} });
app.live("/counter", Counter);
app.live("/table", Table);

/**
 * Median milliseconds of each of `fns` over `n` runs, after `n / 4` warm-up runs. The runs
 * alternate between them, so that the machine's other load (a shared 2-core box) falls on each
 * alike.
 */
async function medians(n: number, fns: (() => unknown)[]): Promise<number[]> {
  for (let i = 0; i < n / 4; i++) for (const fn of fns) await fn();
  const times: number[][] = fns.map(() => []);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < fns.length; j++) {
      const t0 = performance.now();
      await fns[j]();
      times[j].push(performance.now() - t0);
    }
  }
  return times.map((t) => t.sort((a, b) => a - b)[Math.floor(n / 2)]);
}

/** GETs `path`; resolves with the body's size in bytes. */
async function get(path: string): Promise<number> {
  const response = await app.fetch(new Request(ORIGIN + path));
  return (await response.arrayBuffer()).byteLength;
}

async function getAndJoin(path: string): Promise<void> {
  const page = await openPage(app, path, ORIGIN);
  await page.join();
  closeConnection(app, page.connection);
}

const engine = new Engine();
const cases = [
  {
    name: "1000-row table",
    path: "/table?rows=1000",
    plainPath: "/plain/table",
    view: () => new Table() as LiveView,
    template: engine.fromString(Table.template),
    context: () => {
      const rows = makeRows(1000);
      return { rows, editing: null, doneCount: rows.filter((r) => r.done).length };
    },
    n: 60,
  },
  {
    name: "counter",
    path: "/counter",
    plainPath: "/plain/counter",
    view: () => new Counter() as LiveView,
    template: engine.fromString(Counter.template),
    context: () => ({ count: 0 }),
    n: 2000,
  },
];
for (const c of cases) {
  // The same template and data in the same layout, rendered by a plain handler (data built per
  // request, as mount builds it).
  app.get(c.plainPath, () =>
    new Response(
      renderPage(engine, {
        title: c.name,
        html: c.template.render(c.context()),
        token: "-",
        csrf: "-",
        scriptUrl: "/client.js",
      }),
      { headers: { "content-type": "text/html; charset=utf-8" } },
    ));
}

const f = (ms: number) => `${ms.toFixed(2)} ms`;
const kb = (bytes: number) => `${(bytes / 1024).toFixed(0)} KB`;
console.log("page_bench: warm page loads in-process (median), against a plain handler's GET");
let ok = true;
for (const c of cases) {
  const [plain, page, joined, own] = await medians(c.n, [
    () => get(c.plainPath),
    () => get(c.path),
    () => getAndJoin(c.path),
    // The view's own code: what its mount and getContextData do on a GET (the plain handler
    // builds the same data).
    async () => {
      const view = c.view();
      await view.mount(new Request(ORIGIN + c.path), {});
      view.getContextData();
    },
  ]);
  const ratio = page / plain, share = (page - own) / (plain - own);
  ok &&= ratio <= 2;
  const [plainBytes, pageBytes] = [await get(c.plainPath), await get(c.path)];
  console.log(
    `  ${c.name.padEnd(15)} plain GET ${f(plain)}   live GET ${f(page)} = ${
      ratio.toFixed(2)
    }× (target ≤ 2×); djust's own share (the view's own mount, ${f(own)}, left out of both) ${
      share.toFixed(2)
    }×`,
  );
  console.log(
    `  ${"".padEnd(15)} pages ${kb(plainBytes)} plain, ${kb(pageBytes)} live (anchors, token)   ` +
      `GET + join ${f(joined)} = ${(joined / plain).toFixed(2)}×`,
  );
}
if (!ok) console.log("  ABOVE TARGET");
