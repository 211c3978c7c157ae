/**
 * Django conformance: every case of the shared corpus (481 cases rendered by real Django 3.2) plus our
 * own cases, rendered by djust and compared byte for byte. Cases listed in conformance_known.json are
 * differences JS cannot express; they are asserted to still differ, so fixing one is noticed.
 */
import assert from "node:assert/strict";
import { Engine } from "../lib/template/index.ts";
import { type ConformanceCase, decodeValue, readCases } from "./conformance/decode.ts";

const known: Record<string, string> = JSON.parse(
  Deno.readTextFileSync(new URL("./conformance_known.json", import.meta.url)),
);
const cases = [
  ...readCases(new URL("./conformance/django_cases.jsonl", import.meta.url)),
  ...readCases(new URL("./conformance/extra_cases.jsonl", import.meta.url)),
];

function run(c: ConformanceCase): { output?: string; error?: string } {
  const engine = new Engine({ templates: c.templates ?? {}, autoescape: c.autoescape ?? true });
  try {
    const template = engine.fromString(c.template);
    return { output: template.render(decodeValue(c.context ?? {}) as Record<string, unknown>) };
  } catch (err) {
    return { error: err instanceof Error ? err.name : String(err) };
  }
}

for (const c of cases) {
  const reason = known[c.id];
  Deno.test(`conformance ${c.id}${reason ? " (known difference)" : ""}`, () => {
    const got = run(c);
    const label = `template ${JSON.stringify(c.template)} context ${JSON.stringify(c.context)}`;
    if (reason) {
      assert.notDeepEqual(got, { output: c.output, error: c.error }, `now matches Django: ${c.id}`);
      return;
    }
    if (c.error !== undefined) {
      assert.equal(got.error, c.error, `${label}: expected ${c.error}, got ${JSON.stringify(got)}`);
    } else {
      assert.equal(got.error, undefined, `${label}: threw ${got.error}`);
      assert.equal(got.output, c.output, label);
    }
  });
}

Deno.test("conformance: at most 1% of cases are known differences", () => {
  const ids = new Set(cases.map((c) => c.id));
  for (const id of Object.keys(known)) assert.ok(ids.has(id), `known difference ${id} is no case`);
  assert.ok(Object.keys(known).length <= cases.length / 100, `${Object.keys(known).length} known`);
});
