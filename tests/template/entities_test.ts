/**
 * decodeEntities decodes HTML character references as Python's html.unescape does (it serves the
 * urlize filter and the LiveView attribute diff): every HTML5 name, numeric references, and
 * out-of-range numbers become U+FFFD instead of throwing.
 */
import assert from "node:assert/strict";
import { decodeEntities } from "../../lib/template/filters/entities.ts";

const CASES: [string, string][] = [
  ["&eacute;t&eacute;", "été"],
  ["&hearts; &rarr; &Omega;", "♥ → Ω"],
  ["&#x1F600;", "😀"],
  ["&#128512;", "😀"],
  ["&#99999999;", "\ufffd"],
  ["&#x110000;", "\ufffd"],
  ["&#0;", "\ufffd"],
  ["&amp;lt;", "&lt;"],
  ["&lt;b&gt; &quot;q&quot; &#39;a&#x27;", "<b> \"q\" 'a'"],
  ["&amp &copy 1", "& © 1"], // legacy names without ';', as HTML5 and Python allow
  ["&nosuchname; & a", "&nosuchname; & a"],
  ["no references", "no references"],
];

for (const [input, expected] of CASES) {
  Deno.test(`entities: ${JSON.stringify(input)} decodes to ${JSON.stringify(expected)}`, () => {
    assert.equal(decodeEntities(input), expected, input);
  });
}
