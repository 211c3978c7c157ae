/**
 * The package's entry points stay what they say: importing the root loads no Redis client and no
 * template compiler internals are exported from it.
 */
import assert from "node:assert/strict";
import * as root from "../../mod.ts";

Deno.test("entry points: importing the root loads no Redis client", async () => {
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["info", "--json", new URL("../../mod.ts", import.meta.url).pathname],
    stdout: "piped",
    stderr: "null",
  }).output();
  assert.ok(out.success);
  // The module graph: every module and every specifier it imports (`npm:redis@…` would show).
  const info = JSON.parse(new TextDecoder().decode(out.stdout)) as {
    modules: { specifier: string; dependencies?: { specifier: string }[] }[];
  };
  const loaded = info.modules.flatMap((m) => [
    m.specifier,
    ...(m.dependencies ?? []).map((d) => d.specifier),
  ]);
  assert.ok(loaded.some((s) => s.endsWith("/lib/server/app.ts")), "the graph was read");
  assert.deepEqual(loaded.filter((s) => /redis/i.test(s)), []);
  // The Redis adapters are there, through their own entry point.
  assert.ok(!("RedisPubSub" in root));
});

Deno.test("entry points: the root exports the application API, not template internals", () => {
  for (const name of ["CodeWriter", "interpretNodes", "renderNodes", "TextNode", "Variable"]) {
    assert.ok(!(name in root), `${name} is not exported from mod.ts`);
  }
  for (const name of ["App", "LiveView", "LiveComponent", "eventHandler", "signal", "Engine"]) {
    assert.ok(name in root, `${name} is exported from mod.ts`);
  }
});
