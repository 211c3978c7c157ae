import assert from "node:assert/strict";
import { App, eventHandler, LiveView, signal } from "../../mod.ts";
import { liveTest, type LiveTestError, renderView } from "../../lib/testing/mod.ts";

class Form extends LiveView {
  static override template = `
<form id="signup" dj-submit="save" dj-change="validate">
  <input name="email" value="{{ email }}">
  <input type="checkbox" name="terms">
  <input type="checkbox" name="topics" value="a" checked><input type="checkbox" name="topics" value="b" checked>
  <select name="plan"><option value="free">Free</option><option value="pro" selected>Pro</option></select>
  <textarea name="bio">hi</textarea>
</form>
<input id="q" dj-input="search" value="{{ q }}">
<input id="k" dj-keydown.enter="enter" dj-keyup="up">
<input id="esc" dj-keydown.esc="enter">
<button id="plain">no binding</button>
<button id="del" dj-click="remove" dj-value-id="7"><span class="icon">x</span></button>
<p id="out">{{ out }}</p>`;
  email = signal("");
  q = signal("");
  out = signal("");

  @eventHandler()
  save(params: Record<string, unknown>): void {
    this.out.value = JSON.stringify(params);
  }
  @eventHandler()
  validate(params: Record<string, unknown>): void {
    this.out.value = "validate " + JSON.stringify(params);
  }
  @eventHandler()
  search(params: { value?: string }): void {
    this.q.value = String(params.value);
    this.out.value = "search " + params.value;
  }
  @eventHandler()
  enter(params: Record<string, unknown>): void {
    this.out.value = "enter " + JSON.stringify(params);
  }
  @eventHandler()
  up(params: Record<string, unknown>): void {
    this.out.value = "up " + params.key;
  }
  @eventHandler()
  remove(params: Record<string, unknown>): void {
    this.out.value = "remove " + JSON.stringify(params);
  }
  @eventHandler()
  fail(): void {
    throw new TypeError("handler exploded");
  }
}

function app(): App {
  const a = new App({ secret: "t", logger: () => {} });
  a.live("/form", Form);
  return a;
}

Deno.test("toolkit: submit sends the form's fields, overridden by the given values", async () => {
  const view = await liveTest(app(), "/form");
  await view.submit("form#signup", { email: "a@b.c" });
  assert.deepEqual(JSON.parse(view.text("#out")), {
    email: "a@b.c",
    terms: false,
    topics: ["a", "b"],
    plan: "pro",
    bio: "hi",
  });
  await view.close();
});

Deno.test("toolkit: click sends the dj-value-* params of the bound element, even from a child", async () => {
  const view = await liveTest(app(), "/form");
  await view.click("#del .icon");
  assert.equal(view.text("#out"), 'remove {"id":"7"}');
  await view.close();
});

Deno.test("toolkit: input fires dj-input with the value and the patch shows the result", async () => {
  const view = await liveTest(app(), "/form");
  await view.input("#q", "abc");
  assert.equal(view.text("#out"), "search abc");
  assert.equal(view.state("q"), "abc");
  await view.close();
});

Deno.test("toolkit: input on a field of a dj-change form sends the form with _target", async () => {
  const view = await liveTest(app(), "/form");
  await view.input("input[name=email]", "x@y");
  const sent = JSON.parse(view.text("#out").replace(/^validate /, ""));
  assert.equal(sent._target, "email");
  assert.equal(sent.email, "x@y");
  await view.close();
});

Deno.test("toolkit: keydown honours key filters", async () => {
  const view = await liveTest(app(), "/form");
  await assert.rejects(view.keydown("#k", "a"), /no dj-keydown binding for a/);
  await view.keydown("#k", "Enter");
  assert.match(view.text("#out"), /^enter .*"key":"Enter"/);
  await view.keyup("#k", "x");
  assert.equal(view.text("#out"), "up x");
  await view.close();
});

Deno.test("toolkit: key filters accept the browser client's aliases (dj-keydown.esc is Escape)", async () => {
  const view = await liveTest(app(), "/form");
  await assert.rejects(view.keydown("#esc", "Enter"), /no dj-keydown binding for Enter/);
  await view.keydown("#esc", "Escape");
  assert.match(view.text("#out"), /^enter .*"key":"Escape"/);
  await view.close();
});

Deno.test("toolkit: lastPatch reports the ops and bytes of the last reply", async () => {
  const view = await liveTest(app(), "/form");
  assert.equal(view.lastPatch(), null);
  await view.click("#del");
  const patch = view.lastPatch()!;
  assert.equal(patch.ops.length, 1);
  assert.equal(patch.ops[0].op, "html"); // the text has quotes, escaped as &quot;
  assert.ok(patch.bytes > 20 && patch.bytes < 120, `${patch.bytes} bytes`);
  await view.close();
});

Deno.test("toolkit: a selector that matches nothing throws", async () => {
  const view = await liveTest(app(), "/form");
  await assert.rejects(view.click("#nope"), (e: LiveTestError) => e.code === "test.no_element");
  await view.close();
});

Deno.test("toolkit: clicking an element without dj-click throws", async () => {
  const view = await liveTest(app(), "/form");
  await assert.rejects(view.click("#plain"), (e: LiveTestError) => e.code === "test.no_binding");
  await view.close();
});

Deno.test("toolkit: a handler that throws surfaces as an exception with the server's reason", async () => {
  const view = await liveTest(app(), "/form");
  await assert.rejects(
    view.event("fail"),
    (e: LiveTestError) => e.code === "app.handler_error" && /handler exploded/.test(e.message),
  );
  await view.close();
});

Deno.test("toolkit: an unknown handler surfaces as an exception", async () => {
  const view = await liveTest(app(), "/form");
  await assert.rejects(
    view.event("nope"),
    (e: LiveTestError) => e.code === "client.unknown_handler",
  );
  await view.close();
});

Deno.test("toolkit: liveTest refuses a path that is not a live view", async () => {
  const a = app();
  a.get("/plain", () => new Response("hi"));
  await assert.rejects(liveTest(a, "/plain"), /not a live view/);
  await assert.rejects(liveTest(a, "/missing"), /answered 404/);
});

Deno.test("toolkit: renderView renders once over HTTP", async () => {
  const { status, html } = await renderView(app(), "/form");
  assert.equal(status, 200);
  assert.match(html, /<form id="signup"/);
});

class Whoami extends LiveView {
  static override template = `<p id="who">{{ who }}</p>`;
  who = signal("anonymous");
  override mount(): void {
    this.who.value = String(this.session.get("user") ?? "anonymous");
  }
}

Deno.test("toolkit: the session option reaches the view as this.session, and is not state", async () => {
  const a = new App({ secret: "t", logger: () => {} });
  a.live("/me", Whoami);
  const view = await liveTest(a, "/me", { session: { user: "ann" } });
  assert.equal(view.text("#who"), "ann");
  assert.equal(view.state("session"), undefined);
  await view.close();
  const anonymous = await liveTest(a, "/me");
  assert.equal(anonymous.text("#who"), "anonymous");
  await anonymous.close();
});

class Paged extends LiveView {
  static override template =
    `<p id="page">{{ page }}</p><a id="next" dj-patch href="?page={{ next }}">next</a><a id="away" dj-navigate href="/form">form</a>`;
  static override layout = "app.html";
  page = signal(1);
  next = signal(2);
  override handleParams(params: Record<string, string>): void {
    this.page.value = Number(params.page ?? 1);
    this.next.value = this.page.value + 1;
    this.pageTitle.value = `Page ${this.page.value}`;
  }
  @eventHandler()
  jump(params: { to?: string }): void {
    this.putFlash("info", "Jumped");
    this.pushPatch({ page: String(params.to) });
  }
  @eventHandler()
  leave(): void {
    this.redirect("https://example.com/", { external: true });
  }
}

function navApp(): App {
  const a = app();
  a.engine.addTemplate(
    "base.html",
    '<html><head><title>{{ title }}</title>{{ head }}</head><body class="base">{% block main %}{% endblock %}</body></html>',
  );
  a.engine.addTemplate(
    "app.html",
    '{% extends "base.html" %}{% block main %}<header>App</header><div dj-flash></div>{{ body }}{% endblock %}',
  );
  a.live("/paged", Paged);
  // The same layout as /paged: live navigation between them stays on the connection.
  a.live("/form-in-app", Form, { layout: "app.html" });
  return a;
}

Deno.test("toolkit: handleParams runs on mount with the query, and on every patch", async () => {
  const view = await liveTest(navApp(), "/paged?page=4");
  assert.equal(view.text("#page"), "4");
  await view.follow("#next");
  assert.equal(view.text("#page"), "5");
  assert.equal(view.url(), "http://djust.test/paged?page=5");
  assert.equal(view.title(), "Page 5");
  await view.close();
});

Deno.test("toolkit: pushPatch from a handler updates the URL, the view and the flash", async () => {
  const view = await liveTest(navApp(), "/paged");
  await view.event("jump", { to: "9" });
  assert.equal(view.url(), "http://djust.test/paged?page=9");
  assert.equal(view.text("#page"), "9");
  assert.deepEqual(view.flash(), { info: "Jumped" });
  await view.close();
});

Deno.test("toolkit: dj-navigate mounts another view over the same connection", async () => {
  const view = await liveTest(navApp(), "/paged");
  await view.navigate("/form-in-app");
  assert.ok(view.has("form#signup"));
  assert.equal(view.url(), "http://djust.test/form-in-app");
  await view.event("save", { email: "x" });
  assert.match(view.text("#out"), /"email":"x"/, "events reach the new view");
  await view.close();
});

Deno.test("toolkit: dj-navigate to a view with another layout loads the page", async () => {
  const view = await liveTest(navApp(), "/paged");
  await view.follow("#away"); // /form: the App's default layout, not app.html
  assert.equal(view.url(), "http://djust.test/form");
  assert.ok(view.has("#page"), "the view was not replaced over the socket");
  await view.close();
});

Deno.test("toolkit: redirect asks for a full page load", async () => {
  const view = await liveTest(navApp(), "/paged");
  await view.event("leave");
  assert.equal(view.url(), "https://example.com/");
  await view.close();
});

Deno.test("layout: a view renders inside its {% extends %} layout; only the root is live", async () => {
  const { page, html } = await renderView(navApp(), "/paged?page=2");
  assert.match(
    page,
    /<body class="base"><header>App<\/header><div dj-flash><\/div><div dj-root data-dj-token="[^"]+"><p dj="\w+" id="page">2<\/p>/,
  );
  assert.match(page, /<title>Page 2<\/title>/);
  assert.doesNotMatch(html, /header/);
});

/** A form with a free field (`text`) and one the view fills from its state (`email`). */
class Entry extends LiveView {
  static override template = `
<form id="add" dj-submit="add" dj-change="check"><input name="text"><input name="email" value="{{ email }}"><textarea name="note"></textarea></form>
<ul>{% for item in items %}<li>{{ item }}</li>{% endfor %}</ul><p id="checked">{{ checked }}</p>`;
  items = signal<string[]>([]);
  email = signal("");
  checked = signal(0);

  @eventHandler()
  add(params: { text?: string; email?: string }): void {
    this.items.value = [...this.items.value, String(params.text)];
    this.email.value = String(params.email);
  }
  @eventHandler()
  check(): void {
    this.checked.value++;
  }
}

Deno.test("toolkit: after a submit's reply the form shows what the server rendered, as in the browser", async () => {
  const a = new App({ secret: "t", logger: () => {} });
  a.live("/entry", Entry);
  const view = await liveTest(a, "/entry");
  const field = (name: string) => {
    const el = view.element(`[name=${name}]`);
    return el.tagName === "TEXTAREA" ? el.textContent : el.getAttribute("value");
  };
  await view.input("[name=text]", "first");
  await view.input("[name=email]", "ann@example.com");
  await view.input("[name=note]", "a note");
  assert.equal(view.text("#checked"), "3");
  assert.equal(field("text"), "first", "a change's reply keeps what was typed");
  await view.submit("form#add");
  assert.equal(view.text("ul"), "first");
  assert.equal(field("text"), null, "the free field is empty again");
  assert.equal(field("note"), "");
  assert.equal(field("email"), "ann@example.com", "the field the view fills keeps its value");
  await view.close();
  await a.close();
});
