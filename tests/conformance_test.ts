/**
 * Django conformance: every case of the shared corpus (481 cases rendered by real Django 3.2) plus our
 * own cases, rendered by djust and compared byte for byte. Cases listed in conformance_known.json are
 * differences JS cannot express; they are asserted to still differ, so fixing one is noticed.
 *
 * The i18n cases were rendered by Django with USE_I18N=True and the catalogs in
 * tests/conformance/locale/; djust renders them with the same catalogs (`locales`), in the case's
 * language.
 *
 * Each case renders three times: the first render interprets the nodes, later ones run the node
 * lists compiled to JavaScript (lib/template/compiler/). All three must give Django's answer.
 */
import assert from "node:assert/strict";
import { Engine } from "../lib/template/index.ts";
import { type ConformanceCase, decodeValue, readCases } from "./conformance/decode.ts";

const known: Record<string, string> = JSON.parse(
  Deno.readTextFileSync(new URL("./conformance_known.json", import.meta.url)),
);
const i18nCases = readCases(new URL("./conformance/i18n_cases.jsonl", import.meta.url));
const cases = [
  ...readCases(new URL("./conformance/django_cases.jsonl", import.meta.url)),
  ...readCases(new URL("./conformance/extra_cases.jsonl", import.meta.url)),
  ...i18nCases,
];
const LOCALES = {
  dir: new URL("./conformance/locale", import.meta.url).pathname,
  default: "en-us",
};

type Outcome = { output?: string; error?: string };
const RENDERS = ["interpreted", "compiling", "compiled"];

function run(c: ConformanceCase): Outcome[] {
  const engine = new Engine({
    templates: c.templates ?? {},
    autoescape: c.autoescape ?? true,
    locales: i18nCases.includes(c) ? LOCALES : undefined,
  });
  let template;
  try {
    template = engine.fromString(c.template);
  } catch (err) {
    return RENDERS.map(() => ({ error: err instanceof Error ? err.name : String(err) }));
  }
  return RENDERS.map(() => {
    try {
      const context = decodeValue(c.context ?? {}) as Record<string, unknown>;
      return { output: template.render(context, { language: c.language }) };
    } catch (err) {
      return { error: err instanceof Error ? err.name : String(err) };
    }
  });
}

for (const c of cases) {
  const reason = known[c.id];
  Deno.test(`conformance ${c.id}${reason ? " (known difference)" : ""}`, () => {
    const outcomes = run(c);
    const base = `template ${JSON.stringify(c.template)} context ${JSON.stringify(c.context)}`;
    outcomes.forEach((got, i) => {
      const label = `${base} (${RENDERS[i]} render)`;
      if (reason) {
        assert.notDeepEqual(got, { output: c.output, error: c.error }, `now matches: ${label}`);
        assert.deepEqual(got, outcomes[0], `renders disagree: ${label}`);
        return;
      }
      if (c.error !== undefined) {
        assert.equal(
          got.error,
          c.error,
          `${label}: expected ${c.error}, got ${JSON.stringify(got)}`,
        );
      } else {
        assert.equal(got.error, undefined, `${label}: threw ${got.error}`);
        assert.equal(got.output, c.output, label);
      }
    });
  });
}

Deno.test("conformance: at most 1% of cases are known differences", () => {
  const ids = new Set(cases.map((c) => c.id));
  for (const id of Object.keys(known)) assert.ok(ids.has(id), `known difference ${id} is no case`);
  assert.ok(Object.keys(known).length <= cases.length / 100, `${Object.keys(known).length} known`);
});
