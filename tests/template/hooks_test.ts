/** Merging template hooks: getters stay getters; `flattenHooks` makes no prototype of its base. */
import assert from "node:assert/strict";
import { flattenHooks, mergeHooks, type TemplateHooks } from "../../lib/template/hooks.ts";

Deno.test("hooks: mergeHooks puts extra over base, keeping getters live", () => {
  let language = "de";
  const base: TemplateHooks = { timeZone: "UTC", language: "en" };
  const merged = mergeHooks(base, {
    get language() {
      return language;
    },
  });
  assert.equal(merged.timeZone, "UTC");
  assert.equal(merged.language, "de");
  language = "pl";
  assert.equal(merged.language, "pl");
  assert.equal(Object.getPrototypeOf(merged), base);
});

Deno.test("hooks: flattenHooks copies both chains into one plain object, extra winning", () => {
  let language = "de";
  const reverse = () => "/x";
  const engineHooks: TemplateHooks = { timeZone: "Europe/Oslo" };
  const base = mergeHooks(engineHooks, { csrfToken: "abc", reverse, language: "en" });
  const flat = flattenHooks(base, {
    get language() {
      return language;
    },
  });
  assert.equal(Object.getPrototypeOf(flat), Object.prototype);
  assert.equal(flat.csrfToken, "abc");
  assert.equal(flat.reverse, reverse);
  assert.equal(flat.timeZone, "Europe/Oslo");
  assert.equal(flat.language, "de");
  language = "pl";
  assert.equal(flat.language, "pl");
});
