import assert from "node:assert/strict";
import { decodeEntities, diffAttributes, parseAttributes } from "../../lib/live/regions/attrs.ts";

Deno.test("attrs: parses quoted, unquoted and bare attributes", () => {
  const a = parseAttributes(` class="a b" id='x' data-n=3 disabled`);
  assert.deepEqual([...a], [["class", "a b"], ["id", "x"], ["data-n", "3"], ["disabled", ""]]);
});

Deno.test("attrs: decodes character references in values", () => {
  assert.equal(
    decodeEntities("&lt;&amp;&gt;&quot;&#x27;&#39;&nbsp;&unknown;"),
    "<&>\"''\u00a0&unknown;",
  );
});

Deno.test("attrs: the first of duplicate attributes wins, as in browsers", () => {
  assert.equal(parseAttributes(` a="1" a="2"`).get("a"), "1");
});

Deno.test("attrs: diff lists changed and removed attributes only", () => {
  const before = parseAttributes(` a="1" b="2" c="3"`);
  const after = parseAttributes(` a="1" b="20" d="4"`);
  assert.deepEqual(diffAttributes(before, after), { set: { b: "20", d: "4" }, remove: ["c"] });
  assert.equal(diffAttributes(before, before), null);
});
