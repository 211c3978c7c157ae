/**
 * nunjucks' side of render_bench.ts, in a process of its own: it prints the median µs per render
 * of each template as JSON. Loading nunjucks makes V8 stop inlining `String.prototype.charCodeAt`
 * for the whole process (its SafeString is made with `Object.create(String.prototype)`), which
 * slowed djust's character loops 4× when both ran in one process; Django runs apart for the same
 * reason (its own interpreter).
 *
 *   deno run -A tests/bench/nunjucks_bench.ts
 */
import nunjucks from "nunjucks";
import {
  benchNotes,
  benchRows,
  NUNJUCKS_PAGES,
  NUNJUCKS_TABLE,
  NUNJUCKS_TEXT,
  pageContext,
  SMALL,
} from "./render_templates.ts";
import { median, RENDER_ITERATIONS, textSets } from "./render_measure.ts";

const MemoryLoader = nunjucks.Loader.extend({
  getSource: (name: string) => ({ src: NUNJUCKS_PAGES[name], path: name, noCache: false }),
});
const env = new nunjucks.Environment(new MemoryLoader(), { autoescape: true });
// Simplified stand-ins for Django's filters (they skip Django's rounding and Unicode rules).
env.addFilter(
  "floatformat",
  (v: number, d: number) => (Math.round(v * 10 ** d) / 10 ** d).toFixed(d),
);
env.addFilter("yesno", (v: unknown, spec: string) => spec.split(",")[v ? 0 : 1]);
env.addFilter(
  "truncatechars",
  (v: string, n: number) => (v.length > n ? v.slice(0, n - 1) + "…" : v),
);
env.addFilter("truncatewords", (v: string, n: number) => {
  const words = v.split(/\s+/);
  return words.length > n ? words.slice(0, n).join(" ") + " …" : v;
});
env.addFilter("djdate", (d: Date) => {
  const p = (n: number) => String(n).padStart(2, "0");
  return `${d.getUTCFullYear()}-${p(d.getUTCMonth() + 1)}-${p(d.getUTCDate())} ${
    p(d.getUTCHours())
  }:${p(d.getUTCMinutes())}`;
});

const rows = benchRows().map((r) => ({ ...r, created: new Date(r.created + "Z") }));
const table = nunjucks.compile(NUNJUCKS_TABLE, env);
const page = env.getTemplate("page.html", true);
const small = nunjucks.compile(SMALL, env);
const text = nunjucks.compile(NUNJUCKS_TEXT, env);
const pageCtx = pageContext();
const textCtx = { notes: benchNotes() };
const fresh = textSets();
let next = 0;

console.log(JSON.stringify({
  table: median(() => table.render({ rows }), RENDER_ITERATIONS.table),
  text: median(() => text.render(textCtx), RENDER_ITERATIONS.text),
  textNew: median(() => text.render(fresh[next++ % fresh.length]), fresh.length),
  pages: median(() => page.render(pageCtx), RENDER_ITERATIONS.pages),
  small: median(() => small.render({ count: 12 }), RENDER_ITERATIONS.small),
}));
