/**
 * Item 1: one client can stop the whole server. No error in any view, handler, template, timer,
 * pub/sub message or async callback may end the process: the failing view resets or shows an
 * error, and everything else goes on.
 *
 * Every test has a server of its own (a crash must not take the next test with it). After each
 * attack the process must still be running, and a second, independent client on `/counter` must
 * still get correct patches (`assertOthersServed`).
 */
import assert from "node:assert/strict";
import {
  assertOthersServed,
  closeAll,
  isError,
  joinPage,
  type ServerFrame,
  withServer,
  type WsClient,
} from "./helpers.ts";

/**
 * The attack itself must be accepted (its event answered with a patch), or the test would pass
 * without reaching the background path it is about.
 */
async function assertAccepted(client: WsClient, ref: number, what: string): Promise<void> {
  const reply = await client.answer(ref);
  assert.equal(reply.type, "patch", `${what} was not accepted: ${JSON.stringify(reply)}`);
}

/** What the failing view may show: an error, or a fresh render after a reset. */
const resetOrError = (frame: ServerFrame) => frame.type === "error" || frame.type === "render";

Deno.test("crash: an interval that writes {text: 42} where the render calls toUpperCase does not stop the server", async () => {
  await withServer({}, async (server) => {
    const { client } = await joinPage(server, "/crash/shout");
    try {
      const since = client.mark();
      await assertAccepted(client, client.event("every", { text: 42 }), "every {text: 42}");
      await assertOthersServed(server, "an interval wrote {text: 42} and its flush threw");
      await client.waitFor(resetOrError, "resetting the view or reporting the error", 2000, since);
    } finally {
      await closeAll(client);
    }
  });
});

Deno.test("crash: a timer callback that throws is reported to its own view only", async () => {
  await withServer({}, async (server) => {
    const { client } = await joinPage(server, "/crash/shout");
    try {
      const since = client.mark();
      client.event("failLater");
      await assertOthersServed(server, "a setTimeout callback threw");
      await client.waitFor(isError("app.handler_error"), "app.handler_error", 2000, since);
    } finally {
      await closeAll(client);
    }
  });
});

Deno.test("crash: a dj-model value [42] that a timer commits to a toUpperCase render does not stop the server", async () => {
  await withServer({}, async (server) => {
    const { client } = await joinPage(server, "/crash/tags");
    try {
      const since = client.mark();
      await assertAccepted(client, client.model("tags", [42]), "dj:model tags=[42]");
      await assertOthersServed(server, "dj:model tags=[42] was committed by an interval");
      await client.waitFor(resetOrError, "resetting the view or reporting the error", 2000, since);
    } finally {
      await closeAll(client);
    }
  });
});

Deno.test("crash: a pub/sub message {text: 42} whose render throws in another client's view does not stop the server", async () => {
  await withServer({}, async (server) => {
    const victim = (await joinPage(server, "/crash/room")).client;
    const attacker = (await joinPage(server, "/crash/megaphone")).client;
    try {
      const since = victim.mark();
      await assertAccepted(attacker, attacker.event("say", { text: 42 }), "say {text: 42}");
      await assertOthersServed(server, "a broadcast {text: 42} reached a view that upper-cases it");
      await victim.waitFor(resetOrError, "on the victim's view", 2000, since);
    } finally {
      await closeAll(victim, attacker);
    }
  });
});

Deno.test("crash: a presence meta {name: 42} whose render throws in another client's view does not stop the server", async () => {
  await withServer({}, async (server) => {
    const victim = (await joinPage(server, "/crash/lobby")).client;
    const attacker = (await joinPage(server, "/crash/lobby")).client;
    try {
      const since = victim.mark();
      attacker.event("enter", { key: "mallory", name: 42 });
      await assertOthersServed(
        server,
        "presence meta {name: 42} reached a view that upper-cases it",
      );
      await victim.waitFor(resetOrError, "on the victim's view", 2000, since);
    } finally {
      await closeAll(victim, attacker);
    }
  });
});

Deno.test("crash: pushPatch from a handler to ?page=x, whose render throws, does not stop the server", async () => {
  await withServer({}, async (server) => {
    const { client } = await joinPage(server, "/crash/pager");
    try {
      const since = client.mark();
      await assertAccepted(client, client.event("go", { page: "x" }), 'go {page: "x"}');
      await assertOthersServed(server, "pushPatch({page: 'x'}) and a render that throws");
      await client.waitFor(resetOrError, "resetting the view or reporting the error", 2000, since);
    } finally {
      await closeAll(client);
    }
  });
});

Deno.test("crash: pushPatch from a handler to parameters whose handleParams throws does not stop the server", async () => {
  await withServer({}, async (server) => {
    const { client } = await joinPage(server, "/crash/pager");
    try {
      const since = client.mark();
      client.event("failParams");
      await assertOthersServed(server, "pushPatch({fail: '1'}) and a handleParams that throws");
      await client.waitFor(resetOrError, "resetting the view or reporting the error", 2000, since);
    } finally {
      await closeAll(client);
    }
  });
});

Deno.test("crash: pushNavigate from a handler to a view whose mount throws does not stop the server", async () => {
  await withServer({}, async (server) => {
    const { client } = await joinPage(server, "/crash/pager");
    try {
      const since = client.mark();
      client.event("away");
      await assertOthersServed(server, "pushNavigate to a view whose mount throws");
      await client.waitFor(isError("app.mount_error"), "app.mount_error", 2000, since);
    } finally {
      await closeAll(client);
    }
  });
});

Deno.test("crash: an async handler that rejects after an await answers app.handler_error and resets its view", async () => {
  await withServer({}, async (server) => {
    const { client } = await joinPage(server, "/crash/async");
    try {
      const ref = client.event("lateFailure");
      const reply = await client.reply(ref);
      assert.equal(reply.code, "app.handler_error", `lateFailure: ${JSON.stringify(reply)}`);
      const render = await client.waitFor((f) => f.type === "render", "the reset render");
      assert.match(render.html ?? "", /idle/, "the view is re-mounted clean");
      await assertOthersServed(server, "an async handler rejected after an await");
    } finally {
      await closeAll(client);
    }
  });
});

Deno.test("crash: a rejected promise a handler never awaits does not stop the server", async () => {
  await withServer({}, async (server) => {
    const { client } = await joinPage(server, "/crash/async");
    try {
      client.event("leak");
      await assertOthersServed(server, "a handler left Promise.reject(...) unhandled", 300);
    } finally {
      await closeAll(client);
    }
  });
});

Deno.test("crash: an async task that fails after its handler returned does not stop the server", async () => {
  await withServer({}, async (server) => {
    const { client } = await joinPage(server, "/crash/async");
    try {
      client.event("detach");
      await assertOthersServed(server, "a detached async task threw 30 ms after its handler", 300);
    } finally {
      await closeAll(client);
    }
  });
});

Deno.test("crash: an event whose template render throws answers app.render_error, then a clean render", async () => {
  await withServer({}, async (server) => {
    const { client } = await joinPage(server, "/crash/explode");
    try {
      const ref = client.event("arm");
      const reply = await client.answer(ref);
      assert.equal(
        reply.code,
        "app.render_error",
        `arm (the render throws) was answered ${JSON.stringify(reply)}`,
      );
      const render = await client.waitFor((f) => f.type === "render", "the reset render");
      assert.match(render.html ?? "", /calm/, "the view is re-mounted clean");
      await assertOthersServed(server, "a template getter threw during an event's render");
    } finally {
      await closeAll(client);
    }
  });
});
