/**
 * Every public class and function of every entry point has an `@example` in its JSDoc
 * (`deno task check` runs this; `deno doc --lint` checks the rest of the documentation).
 *
 *   deno run --allow-read --allow-run tests/tools/doc_examples.ts
 */
const config = JSON.parse(await Deno.readTextFile(new URL("../../deno.json", import.meta.url)));
const entries = Object.values(config.exports as Record<string, string>);

interface DocSymbol {
  name: string;
  declarations: { kind: string; jsDoc?: { tags?: { kind: string }[] } }[];
}

const output = await new Deno.Command(Deno.execPath(), {
  args: ["doc", "--json", ...entries],
  cwd: new URL("../../", import.meta.url),
  stdout: "piped",
  stderr: "inherit",
}).output();
if (!output.success) Deno.exit(1);
const doc = JSON.parse(new TextDecoder().decode(output.stdout)) as {
  nodes: Record<string, { symbols?: DocSymbol[] }>;
};

const missing: string[] = [];
const seen = new Set<string>();
for (const [file, node] of Object.entries(doc.nodes)) {
  if (!entries.some((e) => file.endsWith(e.slice(1)))) continue;
  for (const symbol of node.symbols ?? []) {
    for (const d of symbol.declarations) {
      if (d.kind !== "class" && d.kind !== "function") continue;
      const key = `${symbol.name} (${d.kind})`;
      if (seen.has(key)) continue;
      seen.add(key);
      if (!d.jsDoc?.tags?.some((t) => t.kind === "example")) missing.push(key);
    }
  }
}
if (missing.length) {
  console.error(`public classes and functions without an @example:\n  ${missing.join("\n  ")}`);
  Deno.exit(1);
}
console.log(`doc examples: ${seen.size} public classes and functions, each with an @example`);
