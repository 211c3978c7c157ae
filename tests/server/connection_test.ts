import assert from "node:assert/strict";
import { liveTest, type LiveTestError } from "../../lib/testing/mod.ts";
import { Engine, type TemplateSyntaxError } from "../../mod.ts";
import { probeApp } from "./fixtures.ts";
import { closeConnection } from "../../lib/server/app.ts";
import { openPage } from "../helpers/join.ts";

/** Renders /probe and opens a raw in-memory connection to it (not joined yet). */
async function rawSession(options: { maxFrameBytes?: number } = {}) {
  const app = probeApp(options);
  const page = await openPage(app, "/probe");
  return {
    app,
    connection: page.connection,
    transport: page.transport,
    send: page.send,
    token: page.token,
    csrf: page.csrf,
    join: page.join,
  };
}

Deno.test("connection: join with a valid token is accepted without re-sending identical HTML", async () => {
  const s = await rawSession();
  assert.deepEqual(await s.join(), [{ type: "joined" }]);
  closeConnection(s.app, s.connection);
});

Deno.test("connection: a tampered token is refused with auth.bad_token", async () => {
  const s = await rawSession();
  const reply = await s.send({
    type: "join",
    token: s.token.slice(0, -2) + "xx",
    url: "/",
    csrf: s.csrf,
    v: 1,
  });
  assert.equal(reply[0].code, "auth.bad_token");
  assert.equal(s.connection.mounted, null);
  closeConnection(s.app, s.connection);
});

Deno.test("connection: a wrong CSRF token is refused with auth.bad_csrf", async () => {
  const s = await rawSession();
  const reply = await s.send({ type: "join", token: s.token, url: "/", csrf: "nope", v: 1 });
  assert.equal(reply[0].code, "auth.bad_csrf");
  closeConnection(s.app, s.connection);
});

Deno.test("connection: another protocol version is refused", async () => {
  const s = await rawSession();
  const reply = await s.send({ type: "join", token: s.token, url: "/", csrf: s.csrf, v: 999 });
  assert.equal(reply[0].code, "auth.version");
  closeConnection(s.app, s.connection);
});

for (
  const name of [
    "notAHandler",
    "_secret",
    "constructor",
    "__proto__",
    "toString",
    "mount",
    "missing",
  ]
) {
  Deno.test(`connection: calling ${JSON.stringify(name)} is refused and changes nothing`, async () => {
    const s = await rawSession();
    await s.join();
    const reply = await s.send({ type: "event", ref: 1, name, params: {} });
    assert.equal(reply[0].code, "client.unknown_handler");
    assert.equal(reply[0].ref, 1);
    const ok = await s.send({ type: "event", ref: 2, name: "inc", params: {} });
    assert.equal(ok[0].type, "patch", "the socket stays usable");
    assert.deepEqual((ok[0].ops as { text: string }[])[0].text, "1");
    closeConnection(s.app, s.connection);
  });
}

for (
  const [label, frame] of [
    ["not JSON", "{nope"],
    ["no type", JSON.stringify({ ref: 1 })],
    ["unknown type", JSON.stringify({ type: "frobnicate" })],
    ["params not an object", JSON.stringify({ type: "event", ref: 1, name: "inc", params: [1] })],
    ["name not a string", JSON.stringify({ type: "event", ref: 1, name: 5, params: {} })],
  ]
) {
  Deno.test(`connection: a malformed message (${label}) gets client.malformed`, async () => {
    const s = await rawSession();
    await s.join();
    const reply = await s.send(frame);
    assert.equal(reply[0].type, "error");
    assert.equal(reply[0].code, "client.malformed");
    assert.equal(
      (await s.send({ type: "event", ref: 3, name: "inc", params: {} }))[0].type,
      "patch",
    );
    closeConnection(s.app, s.connection);
  });
}

Deno.test("connection: a frame over the size limit is refused and the socket closed (1009)", async () => {
  const s = await rawSession({ maxFrameBytes: 1000 });
  await s.join();
  const big = JSON.stringify({
    type: "event",
    ref: 1,
    name: "inc",
    params: { pad: "x".repeat(2000) },
  });
  assert.equal((await s.send(big))[0].code, "client.too_large");
  assert.equal(s.transport.closed, 1009);
  assert.equal(s.connection.mounted, null, "the view was released");
  assert.deepEqual(await s.send({ type: "event", ref: 2, name: "inc", params: {} }), []);
  closeConnection(s.app, s.connection);
});

Deno.test("connection: a frame just under the limit is handled (its size counted in UTF-8 bytes)", async () => {
  const s = await rawSession({ maxFrameBytes: 1000 });
  await s.join();
  const frame = (pad: string) =>
    JSON.stringify({ type: "event", ref: 1, name: "inc", params: { pad } });
  const fits = frame("é".repeat(400)); // 400 characters, 800 bytes
  assert.equal((await s.send(fits))[0].type, "patch");
  const over = frame("é".repeat(490)); // under 1000 characters, over 1000 bytes
  assert.equal((await s.send(over))[0].code, "client.too_large");
  closeConnection(s.app, s.connection);
});

Deno.test("connection: events before join get client.not_joined", async () => {
  const s = await rawSession();
  assert.equal(
    (await s.send({ type: "event", ref: 1, name: "inc", params: {} }))[0].code,
    "client.not_joined",
  );
  closeConnection(s.app, s.connection);
});

Deno.test("connection: a handler that throws answers an error, then a clean re-render", async () => {
  const s = await rawSession();
  await s.join();
  await s.send({ type: "event", ref: 1, name: "inc", params: { by: "5" } });
  const reply = await s.send({ type: "event", ref: 2, name: "explode", params: {} });
  assert.equal(reply[0].code, "app.handler_error");
  assert.equal(reply[0].ref, 2);
  // Production: what failed and an incident id for the log, never the exception's message.
  assert.doesNotMatch(String(reply[0].reason), /boom/);
  assert.match(String(reply[0].incident), /^[\w-]{8}$/);
  assert.equal(reply[1].type, "render");
  assert.match(
    String(reply[1].html),
    /<p dj="\w+" id="n">0<\/p>/,
    "state is back to a fresh mount",
  );
  closeConnection(s.app, s.connection);
});

Deno.test("connection: error replies carry the stack in development mode only", async () => {
  const prod = await rawSession();
  await prod.join();
  const reply = await prod.send({ type: "event", ref: 1, name: "explode", params: {} });
  assert.equal(reply[0].stack, undefined);
  assert.doesNotMatch(JSON.stringify(reply), /boom/, "no exception text in production");
  closeConnection(prod.app, prod.connection);
  const dev = probeApp({ dev: true });
  const view = await liveTest(dev, "/probe");
  await assert.rejects(view.event("explode"), /app.handler_error: Error: boom/);
  await view.close();
});

Deno.test("connection: private fields are not state and never reach the page", async () => {
  const view = await liveTest(probeApp(), "/probe");
  assert.equal(view.state("_secret"), undefined);
  assert.equal(view.state("n"), 0);
  assert.doesNotMatch(view.html(), /hidden/);
  await view.close();
});

Deno.test("connection: a template naming a private field is a syntax error with its position", () => {
  assert.throws(
    () => new Engine().fromString("<p>\n  {{ _secret }}</p>", "probe.html"),
    (err: TemplateSyntaxError) =>
      err.name === "TemplateSyntaxError" && err.line === 2 && err.column === 3 &&
      /underscores/.test(err.message) && err.templateName === "probe.html",
  );
});

Deno.test("connection: route parameters reach mount", async () => {
  const view = await liveTest(probeApp(), "/items/42");
  assert.equal(view.text("#id"), "42");
  await view.close();
});

Deno.test("connection: more events per second than allowed get client.rate_limited, and nothing runs", async () => {
  let now = 0;
  const app = probeApp({ maxEventsPerSecond: 5, clock: () => now });
  const view = await liveTest(app, "/probe");
  const codes: string[] = [];
  for (let i = 0; i < 8; i++) {
    await view.event("inc").catch((e) => codes.push(e.code));
  }
  assert.deepEqual(codes, ["client.rate_limited", "client.rate_limited", "client.rate_limited"]);
  assert.equal(view.state("n"), 5);
  now += 450; // at 5 per second, two events' worth
  await view.event("inc");
  await view.event("inc");
  await assert.rejects(view.event("inc"), /client.rate_limited/, "and no more than that");
  assert.equal(view.state("n"), 7, "the budget refills over time");
  await view.close();
});

Deno.test("connection: dj:model writes a bindable field, converted to its type", async () => {
  const view = await liveTest(probeApp(), "/probe");
  await view.event("dj:model", { field: "n", value: "41" });
  assert.equal(view.state("n"), 41);
  assert.equal(view.text("#n"), "41");
  await view.event("dj:model", { field: "id", value: 7 });
  assert.equal(view.state("id"), "7");
  await assert.rejects(
    view.event("dj:model", { field: "_secret", value: "x" }),
    /client.not_bindable: dj-model names no bindable field/,
  );
  await assert.rejects(
    view.event("dj:model", { field: "constructor", value: "x" }),
    /client.not_bindable: dj-model names no bindable field/,
  );
  await view.close();
});

Deno.test("connection: dj:model on a public field the view does not list in bindable is refused and changes nothing", async () => {
  const view = await liveTest(probeApp(), "/probe");
  for (const field of ["pageTitle", "__proto__", "toString", ""]) {
    await assert.rejects(
      view.event("dj:model", { field, value: "x" }),
      (e: LiveTestError) => e.code === "client.not_bindable",
      `field ${JSON.stringify(field)}`,
    );
  }
  assert.equal(view.title(), "Probe");
  await view.close();
});
