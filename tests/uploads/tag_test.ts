/** `{% live_file_input %}`, hand-written `dj-upload` inputs, and what the toolkit refuses. */
import assert from "node:assert/strict";
import { App, LiveView } from "../../mod.ts";
import { liveTest, type LiveTestError, renderView } from "../../lib/testing/mod.ts";
import { png } from "./fixtures.ts";

function appWith(template: string, options: Parameters<LiveView["allowUpload"]>[1] = {}): App {
  const View = class extends LiveView {
    static override template = template;
    override mount(): void {
      this.allowUpload("avatar", options);
    }
  };
  const app = new App({ secret: "tag", logger: () => {} });
  app.live("/v", View);
  return app;
}

Deno.test("live_file_input renders the upload's input from its options", async () => {
  const app = appWith(`{% live_file_input uploads.avatar %}`, {
    accept: [".png", "image/webp"],
    maxEntries: 3,
  });
  const { html } = await renderView(app, "/v");
  assert.match(
    html,
    /<input type="file" name="avatar" dj-upload="avatar" accept="\.png,image\/webp" multiple>/,
  );
  await app.close();
});

Deno.test("live_file_input: one entry is no `multiple`; extra attributes are escaped", async () => {
  const app = appWith(`{% live_file_input uploads.avatar id="pick" title='"a" & b' %}`, {});
  const { page } = await renderView(app, "/v");
  assert.match(
    page,
    /<input type="file" name="avatar" dj-upload="avatar" id="pick" title="&quot;a&quot; &amp; b">/,
  );
  await app.close();
});

Deno.test("live_file_input: a name that is no upload fails the render, saying what to do", async () => {
  const app = appWith(`{% live_file_input uploads.resume %}`);
  const { status } = await renderView(app, "/v");
  assert.equal(status, 500);
  const app2 = appWith(`{% live_file_input %}`);
  assert.equal((await renderView(app2, "/v")).status, 500, "no argument: a syntax error");
  await app.close();
  await app2.close();
});

Deno.test("live_file_input: type, dj-upload, accept and multiple come from the options only", async () => {
  const app = appWith(`{% live_file_input uploads.avatar accept=".exe" %}`);
  assert.equal((await renderView(app, "/v")).status, 500);
  await app.close();
});

Deno.test("a hand-written dj-upload input works the same", async () => {
  const app = appWith(
    `<input type="file" dj-upload="avatar">
{% for e in uploads.avatar.entries %}<p class="e">{{ e.name }} {{ e.progress }}</p>{% endfor %}`,
    {
      accept: [".png"],
    },
  );
  const view = await liveTest(app, "/v");
  await view.upload("avatar", [png("hand.png", 100)]);
  assert.equal(view.text(".e"), "hand.png 100");
  await view.close();
  await app.close();
});

Deno.test("the toolkit chooses files only where the page offers an input or a drop target", async () => {
  const app = appWith(`<p>no input</p>`);
  const view = await liveTest(app, "/v");
  await assert.rejects(
    () => view.chooseFiles("avatar", [png("a.png", 1)]),
    (e: LiveTestError) => e.code === "test.no_element",
  );
  await view.close();
  await app.close();
});
