import assert from "node:assert/strict";
import { renderView } from "../../lib/testing/mod.ts";
import { probeApp } from "./fixtures.ts";

Deno.test("http: a live route renders a full page that works without JavaScript", async () => {
  const { status, page, html } = await renderView(probeApp(), "/probe");
  assert.equal(status, 200);
  assert.match(page, /^<!DOCTYPE html>/);
  assert.match(html, /<p dj="\w+" id="n">0<\/p>/);
  assert.match(page, /<script type="module" src="\/_djust\/client\.\w+\.js"><\/script>/);
});

Deno.test("http: a live page is never cached, and gives a new visitor the session cookie", async () => {
  const res = await probeApp().fetch(new Request("http://t.test/probe"));
  assert.equal(res.headers.get("cache-control"), "no-store");
  assert.match(res.headers.get("content-type")!, /^text\/html/);
  assert.match(res.headers.getSetCookie().join("\n"), /^djust_sid=[^;]+; Path=\/; HttpOnly/);
  assert.match(await res.text(), /data-dj-token="/);
});

Deno.test("http: a handler's Response.redirect (immutable headers) still gets the session cookie", async () => {
  const app = probeApp();
  app.get("/go", async (request) => {
    (await app.session(request)).set("seen", true);
    return Response.redirect("http://t.test/probe", 303);
  });
  const res = await app.fetch(new Request("http://t.test/go"));
  assert.equal(res.status, 303);
  assert.equal(res.headers.get("location"), "http://t.test/probe");
  assert.match(res.headers.getSetCookie().join("\n"), /^djust_sid=/);
});

Deno.test("http: plain handlers live beside live routes", async () => {
  const res = await probeApp().fetch(new Request("http://t.test/health"));
  assert.equal(await res.text(), "ok");
});

Deno.test("http: unknown paths are 404", async () => {
  const res = await probeApp().fetch(new Request("http://t.test/nope"));
  assert.equal(res.status, 404);
  await res.body?.cancel();
});

Deno.test("http: the client script is served with a long cache lifetime", async () => {
  const app = probeApp();
  const { page } = await renderView(app, "/probe");
  const src = /src="(\/_djust\/client\.\w+\.js)"/.exec(page)![1];
  const res = await app.fetch(new Request("http://t.test" + src));
  assert.equal(res.status, 200);
  assert.match(res.headers.get("cache-control")!, /immutable/);
  assert.match(res.headers.get("content-type")!, /javascript/);
  assert.ok((await res.text()).length > 1000);
});

Deno.test("http: a WebSocket upgrade from a foreign origin is refused", async () => {
  const res = await probeApp().fetch(
    new Request("http://t.test/_djust/ws", {
      headers: { upgrade: "websocket", origin: "http://evil.test", host: "t.test" },
    }),
  );
  assert.equal(res.status, 403);
  await res.body?.cancel();
});

Deno.test("http: app.reverse builds paths from named routes", () => {
  assert.equal(probeApp().reverse("item", [7]), "/items/7");
  assert.equal(probeApp().reverse("item", [], { id: "a b" }), "/items/a%20b");
  assert.throws(() => probeApp().reverse("nope"), /NoReverseMatch/);
});
