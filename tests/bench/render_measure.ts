/**
 * How render_bench.ts and nunjucks_bench.ts time a template: the same iterations, the same median,
 * the same sets of never-seen text, in whichever process runs them.
 * @module
 */
import { benchNotes } from "./render_templates.ts";

/** Renders per measurement, by template. */
export const RENDER_ITERATIONS = { table: 300, text: 300, pages: 3000, small: 20000 } as const;

/** How many sets of fresh text the "textNew" case cycles through. */
const FRESH_SETS = 40;

/** Sets of 1000 notes never rendered before, one per render of "textNew". */
export function textSets(): { notes: ReturnType<typeof benchNotes> }[] {
  return Array.from({ length: FRESH_SETS }, (_, i) => ({ notes: benchNotes(1000, 100 + i) }));
}

/** Median µs of `iterations` calls of `fn`, after up to 200 calls to warm up. */
export function median(fn: () => unknown, iterations: number): number {
  for (let i = 0; i < Math.min(200, iterations); i++) fn(); // warm up
  const times: number[] = [];
  for (let i = 0; i < iterations; i++) {
    const t0 = performance.now();
    fn();
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)] * 1000;
}
