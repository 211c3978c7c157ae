/**
 * Runs every benchmark in tests/bench/ in turn: `deno task bench`. The load bench runs small here
 * (100 clients, 3 s per phase); run it with 1000 clients by hand: `deno run -A tests/bench/load.ts
 * 1000 10`.
 */
const dir = new URL("./", import.meta.url);
let failed = false;
const BENCHES: [string, ...string[]][] = [
  ["render_bench.ts"],
  ["live_bench.ts"],
  ["page_bench.ts"],
  ["fanout_bench.ts"],
  ["persist_bench.ts"],
  ["upload_bench.ts"],
  ["composition_bench.ts"],
  ["load.ts", "100", "3"],
];
for (const [name, ...args] of BENCHES) {
  try {
    await Deno.stat(new URL(name, dir));
  } catch {
    continue;
  }
  const out = await new Deno.Command(Deno.execPath(), {
    // --expose-gc: benches that report heap figures collect garbage before each reading.
    args: ["run", "--allow-all", "--v8-flags=--expose-gc", new URL(name, dir).pathname, ...args],
    stdout: "inherit",
    stderr: "inherit",
  }).output();
  failed ||= !out.success;
  console.log();
}
if (failed) Deno.exit(1);
