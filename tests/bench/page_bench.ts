/**
 * Page loads: the warm GET of a live page (mount, live render, token, layout, up to the response
 * body) against the GET of a plain handler that renders the same view template with the same data
 * into the same layout, and the join that follows the live GET; all in this process (no network).
 * Target: the live GET ≤ 2× the plain one.
 *
 *   deno run -A tests/bench/page_bench.ts
 */
import { App } from "../../mod.ts";
import { closeConnection } from "../../lib/server/app.ts";
import { Counter } from "../../examples/counter/counter.ts";
import { makeRows, Table } from "../../examples/table/table.ts";
import { Engine } from "../../lib/template/engine.ts";
import { renderPage } from "../../lib/server/page.ts";
import { digest } from "../../lib/server/tokens.ts";
import { liveTemplateOf, type ViewClass } from "../../lib/live/mounted.ts";
import { LiveRenderer } from "../../lib/live/regions/renderer.ts";
import { prepareState } from "../../lib/live/state.ts";
import { openPage } from "../helpers/join.ts";

const ORIGIN = "http://bench.test";
const app = new App({ secret: "page-bench", logger: () => {} });
app.live("/counter", Counter);
app.live("/table", Table);

/**
 * Median milliseconds of `fn` over `n` runs, after `n / 4` warm-up runs (`timed`: `fn` returns its
 * own time).
 */
async function median(n: number, fn: () => unknown, timed = false): Promise<number> {
  for (let i = 0; i < n / 4; i++) await fn();
  const times: number[] = [];
  for (let i = 0; i < n; i++) {
    const t0 = performance.now();
    const own = await fn();
    times.push(timed ? own as number : performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(n / 2)];
}

async function get(path: string): Promise<void> {
  const response = await app.fetch(new Request(ORIGIN + path));
  await response.text();
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
    view: Table as ViewClass,
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
    view: Counter as ViewClass,
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

console.log("page_bench: warm page loads in-process (median), against a plain handler's GET");
for (const c of cases) {
  const plain = await median(c.n, () => get(c.plainPath));
  const page = await median(c.n, () => get(c.path));
  const joined = await median(c.n, () => getAndJoin(c.path));
  // The join token still carries a SHA-256 digest of the view's HTML (lib/server/mounter.ts), to be
  // dropped with "mount once": shown apart so the render's own cost is visible. Each digest gets a
  // freshly rendered page, as in a GET (the string is still a rope of many pieces to flatten).
  const view = new c.view();
  await view.mount(new Request(ORIGIN + c.path), {});
  const scope = prepareState(view);
  const block = liveTemplateOf(app.engine, c.view);
  const hashed = await median(c.n, async () => {
    const renderer = new LiveRenderer(app.engine.newContext(scope), () => {});
    const html = renderer.renderFirst(block);
    renderer.dispose();
    const t0 = performance.now();
    await digest(html);
    return performance.now() - t0;
  }, true);
  const f = (ms: number) => `${ms.toFixed(2)} ms`;
  console.log(
    `  ${c.name.padEnd(15)} plain GET ${f(plain)}   live GET ${f(page)} = ${
      (page / plain).toFixed(2)
    }× (target ≤ 2×), of which the token's page digest ${f(hashed)}; without it ${
      ((page - hashed) / plain).toFixed(2)
    }×   GET + join ${f(joined)} = ${(joined / plain).toFixed(2)}×`,
  );
}
