/**
 * Tag libraries: tags and filters registered as a library exist in a template only after
 * `{% load name %}` (or `{% load tag filter from name %}`), as in Django; the rest are global.
 */
import assert from "node:assert/strict";
import { type Context, Engine, Node } from "../../lib/template/index.ts";

Deno.test("tag libraries: a library's tags and filters exist only after {% load %}", () => {
  const engine = new Engine();
  engine.tags.simpleTag("plain", () => "plain");
  engine.tags.library("shop", {
    price: (parser, token) => {
      const amount = parser.compileFilter(token.splitContents()[1], token);
      return new (class extends Node {
        render(ctx: Context): string {
          return `$${amount.resolve(ctx)}`;
        }
      })();
    },
  });
  engine.filters.library("shop", { money: { fn: (v) => `${v} USD` } });
  assert.throws(() => engine.fromString("{% price 3 %}"), /Invalid block tag/);
  assert.throws(() => engine.fromString("{{ 3|money }}"), /Invalid filter/);
  assert.equal(
    engine.renderString("{% load shop %}{% price 3 %} {{ 3|money }} {% plain %}"),
    "$3 3 USD plain",
  );
  assert.equal(engine.renderString("{% load money from shop %}{{ 4|money }}"), "4 USD");
});
