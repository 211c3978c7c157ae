/**
 * Item 2: `dj-model` may write only the fields a view lists in `static bindable`; anything else is
 * refused with `client.not_bindable` and changes nothing.
 * Item 12: an event name must not run a getter of the client's choosing before it is refused, and a
 * refused second join must not leave the socket on a disposed view.
 *
 * `/fields/profile` (fixture `Profile`): `static bindable = ["query"]`; `role`, `approved`, `form`
 * (a LiveForm) and `pageTitle` are public but not bindable; `trap` is a getter that counts its calls.
 * The state is read back with `resync` (the server's full render of the view).
 */
import assert from "node:assert/strict";
import {
  closeAll,
  type FixtureServer,
  isError,
  joinPage,
  serverSuite,
  type WsClient,
} from "./helpers.ts";

/** Joins the profile view, runs `fn`, closes the socket. */
async function onProfile(s: FixtureServer, fn: (client: WsClient) => Promise<void>): Promise<void> {
  const { client } = await joinPage(s, "/fields/profile");
  try {
    await fn(client);
  } finally {
    await closeAll(client);
  }
}

Deno.test("fields: what a client may write and call on a view (items 2, 12)", async (t) => {
  await serverSuite(t, {}, async (step) => {
    await step(
      "dj-model writes a field listed in static bindable",
      (s) =>
        onProfile(s, async (client) => {
          const reply = await client.answer(client.model("query", "lamps"));
          assert.equal(reply.type, "patch", `dj:model query=lamps: ${JSON.stringify(reply)}`);
          assert.ok(
            reply.ops?.some((op) => op.text === "lamps" || op.html?.includes("lamps")),
            `the patch shows the new query: ${JSON.stringify(reply)}`,
          );
        }),
    );

    await step(
      'dj-model on role (public, not bindable) is refused with client.not_bindable and role stays "user"',
      (s) =>
        onProfile(s, async (client) => {
          const reply = await client.answer(client.model("role", "admin"));
          assert.equal(
            reply.code,
            "client.not_bindable",
            `dj:model role=admin: ${JSON.stringify(reply)}`,
          );
          assert.match(
            await client.fullRender(),
            /id="role">user</,
            "role after dj:model role=admin",
          );
        }),
    );

    await step(
      "dj-model on a plain public field (approved) is refused and it stays false",
      (s) =>
        onProfile(s, async (client) => {
          const reply = await client.answer(client.model("approved", true));
          assert.equal(
            reply.code,
            "client.not_bindable",
            `dj:model approved=true: ${JSON.stringify(reply)}`,
          );
          assert.match(
            await client.fullRender(),
            /id="approved">false</i,
            "approved after the attempt",
          );
        }),
    );

    await step(
      "dj-model on pageTitle is refused and no title is sent",
      (s) =>
        onProfile(s, async (client) => {
          const since = client.mark();
          const reply = await client.answer(client.model("pageTitle", "Pwned"));
          assert.equal(
            reply.code,
            "client.not_bindable",
            `dj:model pageTitle=Pwned: ${JSON.stringify(reply)}`,
          );
          await client.expectNone((f) => f.type === "title", "changing the title", 200, since);
        }),
    );

    await step(
      "dj-model on a LiveForm field is refused and the form keeps its values",
      (s) =>
        onProfile(s, async (client) => {
          const reply = await client.answer(client.model("form", "replaced"));
          assert.equal(
            reply.code,
            "client.not_bindable",
            `dj:model form="replaced": ${JSON.stringify(reply)}`,
          );
          assert.match(
            await client.fullRender(),
            /ann@example\.com/,
            "the form's email after dj:model form=replaced",
          );
        }),
    );

    await step(
      'dj-model on names that are no bindable field ("__proto__", "constructor", "toString", "trap", "query.length") is refused with client.not_bindable',
      (s) =>
        onProfile(s, async (client) => {
          for (const field of ["__proto__", "constructor", "toString", "trap", "query.length"]) {
            const reply = await client.answer(client.model(field, "x"));
            assert.equal(
              reply.code,
              "client.not_bindable",
              `dj:model ${JSON.stringify(field)}=x: ${JSON.stringify(reply)}`,
            );
          }
        }),
    );

    await step(
      'an event named after a getter ("trap") is refused without running the getter',
      (s) =>
        onProfile(s, async (client) => {
          const before = (await s.stats()).getterCalls;
          const reply = await client.answer(client.event("trap"));
          assert.equal(
            reply.code,
            "client.unknown_handler",
            `event "trap": ${JSON.stringify(reply)}`,
          );
          assert.equal((await s.stats()).getterCalls, before, 'event "trap" ran the getter');
        }),
    );

    await step(
      "a refused second join leaves the socket on a working view or on none",
      async (s) => {
        const { client, page } = await joinPage(s, "/counter");
        try {
          const since = client.mark();
          client.send({
            type: "join",
            token: page.token + "x",
            csrf: page.csrf,
            url: page.url,
            v: 1,
          });
          await client.waitFor(
            isError("auth.bad_token"),
            "refusing the tampered join",
            3000,
            since,
          );
          // Either the first view still works (a patch showing 1), or the socket holds no view
          // (client.not_joined). An empty patch, or any other reply, means it runs a disposed view.
          const reply = await client.answer(client.event("inc"));
          const working = reply.type === "patch" && reply.ops?.some((op) => op.text === "1");
          const detached = reply.code === "client.not_joined";
          assert.ok(
            working || detached,
            `inc after a refused second join: ${JSON.stringify(reply)}`,
          );
        } finally {
          await closeAll(client);
        }
      },
    );
  });
});
