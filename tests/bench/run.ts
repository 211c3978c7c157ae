/** Runs every benchmark in tests/bench/ in turn: `deno task bench`. */
const dir = new URL("./", import.meta.url);
let failed = false;
for (
  const name of [
    "render_bench.ts",
    "live_bench.ts",
    "fanout_bench.ts",
    "persist_bench.ts",
    "upload_bench.ts",
  ]
) {
  try {
    await Deno.stat(new URL(name, dir));
  } catch {
    continue;
  }
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["run", "--allow-all", new URL(name, dir).pathname],
    stdout: "inherit",
    stderr: "inherit",
  }).output();
  failed ||= !out.success;
  console.log();
}
if (failed) Deno.exit(1);
