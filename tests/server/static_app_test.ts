/** `App({ staticDirs })`: files served next to the routes, `{% static %}` in live views. */
import assert from "node:assert/strict";
import { App, LiveView } from "../../mod.ts";
import { renderView } from "../../lib/testing/mod.ts";

class Styled extends LiveView {
  static override template =
    `{% load static %}<link rel="stylesheet" href="{% static "css/app.css" %}"><p>hi</p>`;
}

async function withDir(fn: (dir: string) => Promise<void>): Promise<void> {
  const dir = await Deno.makeTempDir();
  try {
    await Deno.mkdir(`${dir}/css`);
    await Deno.writeTextFile(`${dir}/css/app.css`, "body { color: red }\n");
    await fn(dir);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

Deno.test("static app: files under staticDirs are served, and {% static %} names them by content", async () => {
  await withDir(async (dir) => {
    const app = new App({ secret: "s", logger: () => {}, staticDirs: { "/static": dir } });
    app.live("/", Styled);
    try {
      const { html } = await renderView(app, "/");
      const href = /href="([^"]+)"/.exec(html)![1];
      assert.match(href, /^\/static\/css\/app\.[0-9a-f]{8}\.css$/);
      const hashed = await app.fetch(new Request("http://t.test" + href));
      assert.equal(hashed.status, 200);
      assert.match(hashed.headers.get("content-type")!, /^text\/css/);
      assert.match(hashed.headers.get("cache-control")!, /immutable/);
      assert.equal(await hashed.text(), "body { color: red }\n");
      const plain = await app.fetch(new Request("http://t.test/static/css/app.css"));
      assert.equal(plain.status, 200);
      await plain.body?.cancel();
      const missing = await app.fetch(new Request("http://t.test/static/nope.css"));
      assert.equal(missing.status, 404);
      await missing.body?.cancel();
    } finally {
      await app.close();
    }
  });
});

Deno.test("static app: in development a changed file gets a new URL without a restart", async () => {
  await withDir(async (dir) => {
    const app = new App({ dev: true, logger: () => {}, staticDirs: { "/static": dir } });
    app.live("/", Styled);
    try {
      const href = async () => /href="([^"]+)"/.exec((await renderView(app, "/")).html)![1];
      const first = await href();
      await Deno.writeTextFile(`${dir}/css/app.css`, "body { color: blue }\n");
      const end = Date.now() + 10_000;
      let next = first;
      while (next === first && Date.now() < end) {
        await new Promise((r) => setTimeout(r, 20));
        next = await href();
      }
      assert.notEqual(next, first, "the hash follows the content");
    } finally {
      await app.close();
    }
  });
});
