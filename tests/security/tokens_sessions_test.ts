/**
 * Tokens and sessions.
 * - Item 4: the join token must not reveal the session id (the HttpOnly cookie's value).
 * - Item 5: session ids are issued by the server only (≥128 random bits); an unknown or expired id
 *   gets a fresh one. Signing in rotates the id and keeps the data.
 * - Item 10: the store evicts least recently used, stores no empty sessions, and is bounded by
 *   bytes as well as count (`MemorySessionStore({ maxSessions, maxBytes, idleTtlMs })`).
 * - Item 12: tokens stop working at logout, and logout ends the session's live views; the Secure
 *   cookie flag is set behind a TLS-terminating proxy with `App({ trustProxy: true })`.
 *
 * Sessions are observed through plain fixture routes: `GET /remember?note=…&kb=…` stores data in
 * the session, `GET /whoami` answers `{ user, note }`.
 */
import assert from "node:assert/strict";
import {
  closeAll,
  type FixtureServer,
  fromBase64url,
  getPage,
  joinPage,
  login,
  serverSuite,
  sessionCookieOf,
  sessionSetCookie,
  sleep,
  whoami,
  WsClient,
} from "./helpers.ts";

/** A new session holding `note` (and `kb` KiB of padding); returns its cookie. */
async function sessionWithData(s: FixtureServer, note: string, kb = 0): Promise<string> {
  const res = await s.fetch(`/remember?note=${encodeURIComponent(note)}&kb=${kb}`);
  await res.body?.cancel();
  assert.equal(res.status, 200, `GET /remember answered ${res.status}`);
  const cookie = sessionCookieOf(res.headers.getSetCookie());
  assert.ok(cookie, "GET /remember on a new session sets the session cookie");
  return cookie;
}

const ATTACKER_COOKIE = "djust_sid=chosen-by-the-attacker-0123456789";

Deno.test("tokens and sessions: ids, tokens and the session store (items 4, 5, 10, 12)", async (t) => {
  const config = { trustProxy: true, sessions: { maxSessions: 20 } };
  await serverSuite(t, config, async (step) => {
    await step("the join token and the page do not contain the session id", async (s) => {
      const page = await getPage(s, "/counter");
      assert.ok(page.sid.length > 0, "the page sets a session cookie");
      const body = fromBase64url(page.token.split(".")[0]);
      assert.ok(!page.token.includes(page.sid), `token ${page.token} contains the session id`);
      assert.ok(!body.includes(page.sid), `decoded token ${body} contains the session id`);
      assert.ok(!page.html.includes(page.sid), "the page HTML contains the session id");
    });

    await step(
      "a join token is bound to its session: another session's cookie is refused with auth.bad_token",
      async (s) => {
        const a = await getPage(s, "/counter");
        const b = await getPage(s, "/counter");
        const client = await WsClient.open(s, { cookie: b.cookie });
        try {
          client.send({ type: "join", token: a.token, csrf: b.csrf, url: a.url, v: 1 });
          const reply = await client.waitFor(
            (f) => f.type === "joined" || f.type === "error",
            "answering the join",
          );
          assert.equal(
            reply.code,
            "auth.bad_token",
            `A's token with B's cookie: ${JSON.stringify(reply)}`,
          );
        } finally {
          await closeAll(client);
        }
      },
    );

    await step("a client-chosen session cookie is replaced by a server-issued id", async (s) => {
      const page = await getPage(s, "/counter", { cookie: ATTACKER_COOKIE });
      assert.ok(page.sid, `GET /counter with ${ATTACKER_COOKIE} set no session cookie`);
      assert.notEqual(page.cookie, ATTACKER_COOKIE, "the attacker's id was kept");
    });

    await step(
      "data stored under a client-chosen session id cannot be read back with that id",
      async (s) => {
        const res = await s.fetch("/remember?note=victim-data", {
          headers: { cookie: ATTACKER_COOKIE },
        });
        await res.body?.cancel();
        const issued = sessionCookieOf(res.headers.getSetCookie());
        assert.ok(
          issued && issued !== ATTACKER_COOKIE,
          `GET /remember with ${ATTACKER_COOKIE} kept it`,
        );
        const seen = await whoami(s, ATTACKER_COOKIE);
        assert.equal(seen.note, null, `the attacker's id reads ${JSON.stringify(seen)}`);
      },
    );

    await step(
      "issued session ids are distinct and carry at least 128 bits (22 base64url characters)",
      async (s) => {
        const ids = new Set<string>();
        for (let i = 0; i < 20; i++) {
          const { sid } = await getPage(s, "/counter");
          assert.ok(
            sid.length >= 22,
            `session id ${JSON.stringify(sid)} is shorter than 22 characters`,
          );
          ids.add(sid);
        }
        assert.equal(ids.size, 20, "20 page loads gave 20 different session ids");
      },
    );

    await step("signing in rotates the session id and keeps the session's data", async (s) => {
      const before = await sessionWithData(s, "kept across login");
      const after = await login(s, "alice", before);
      assert.notEqual(after, before, "the session id after login equals the one before");
      assert.deepEqual(
        { ...(await whoami(s, after)), setCookie: undefined },
        { user: "alice", note: "kept across login", setCookie: undefined },
      );
      assert.equal(
        (await whoami(s, before)).user,
        null,
        "the id from before login is still signed in",
      );
    });

    await step(
      "200 anonymous page loads do not evict a signed-in session (maxSessions 20)",
      async (s) => {
        const alice = await login(s, "alice");
        for (let i = 0; i < 200; i++) {
          const res = await s.fetch("/counter");
          await res.body?.cancel();
        }
        assert.equal(
          (await whoami(s, alice)).user,
          "alice",
          "alice was signed out by anonymous traffic",
        );
      },
    );

    await step(
      "the least recently used session is evicted, not the oldest (60 new sessions, maxSessions 20)",
      async (s) => {
        const alice = await login(s, "alice");
        for (let i = 0; i < 60; i++) {
          await sessionWithData(s, `visitor ${i}`);
          if (i % 5 === 0) {
            assert.equal(
              (await whoami(s, alice)).user,
              "alice",
              `alice signed out after ${i} sessions`,
            );
          }
        }
        assert.equal((await whoami(s, alice)).user, "alice", "alice, used all along, was evicted");
      },
    );

    await step("past maxSessions (20) the least recently used session is evicted", async (s) => {
      const first = await sessionWithData(s, "first and idle");
      for (let i = 0; i < 40; i++) await sessionWithData(s, `later ${i}`);
      assert.equal((await whoami(s, first)).note, null, "the idle session survived 40 newer ones");
    });

    await step("after logout the session's join tokens are refused", async (s) => {
      const alice = await login(s, "alice");
      const page = await getPage(s, "/counter", { cookie: alice });
      const res = await s.fetch("/logout", {
        method: "POST",
        headers: { cookie: alice, origin: s.origin, "x-csrf-token": page.csrf },
      });
      await res.body?.cancel();
      assert.equal(res.status, 200, `POST /logout answered ${res.status}`);
      const client = await WsClient.open(s, { cookie: page.cookie });
      try {
        client.join(page);
        const reply = await client.waitFor(
          (f) => f.type === "joined" || f.type === "error",
          "answering the join",
        );
        assert.ok(
          reply.code === "auth.bad_token" || reply.code === "auth.expired",
          `joining with a token from before logout: ${JSON.stringify(reply)}`,
        );
      } finally {
        await closeAll(client);
      }
    });

    await step(
      "logout ends the session's live views (the socket is closed or redirected)",
      async (s) => {
        const alice = await login(s, "alice");
        const { client, page } = await joinPage(s, "/counter", { cookie: alice });
        try {
          const since = client.mark();
          const res = await s.fetch("/logout", {
            method: "POST",
            headers: { cookie: alice, origin: s.origin, "x-csrf-token": page.csrf },
          });
          await res.body?.cancel();
          assert.equal(res.status, 200, `POST /logout answered ${res.status}`);
          const closed = await client.waitClosed(3000);
          const redirected = client.since(since).some((f) =>
            f.type === "nav" && f.kind === "redirect"
          );
          assert.ok(
            closed || redirected,
            `the live view survived logout: ${JSON.stringify(client.since(since))}`,
          );
        } finally {
          await closeAll(client);
        }
      },
    );

    await step(
      "with trustProxy, X-Forwarded-Proto: https makes the session cookie Secure",
      async (s) => {
        const res = await s.fetch("/counter", { headers: { "x-forwarded-proto": "https" } });
        await res.body?.cancel();
        const cookie = sessionSetCookie(res);
        assert.ok(cookie, "no session cookie was set");
        assert.match(cookie, /;\s*Secure/i, `Set-Cookie: ${cookie}`);
      },
    );
  });
});

Deno.test("tokens and sessions: expiry and cookie flags without a proxy (items 5, 10, 12)", async (t) => {
  await serverSuite(t, { sessions: { idleTtlMs: 1500 } }, async (step) => {
    await step(
      "an idle session expires after idleTtlMs: signed out, and given a fresh id",
      async (s) => {
        const alice = await login(s, "alice");
        assert.equal((await whoami(s, alice)).user, "alice");
        await sleep(1900);
        const seen = await whoami(s, alice);
        assert.equal(seen.user, null, "alice is still signed in after idleTtlMs");
        const fresh = seen.setCookie?.split(";")[0];
        assert.ok(
          fresh && fresh !== alice,
          `the expired id was kept (Set-Cookie: ${seen.setCookie})`,
        );
      },
    );

    await step(
      "the session cookie is HttpOnly, SameSite=Lax, Path=/ and not Secure on plain http",
      async (s) => {
        const res = await s.fetch("/counter");
        await res.body?.cancel();
        const cookie = sessionSetCookie(res) ?? "";
        assert.match(cookie, /;\s*HttpOnly/i, `Set-Cookie: ${cookie}`);
        assert.match(cookie, /;\s*SameSite=Lax/i, `Set-Cookie: ${cookie}`);
        assert.match(cookie, /;\s*Path=\//i, `Set-Cookie: ${cookie}`);
        assert.doesNotMatch(cookie, /;\s*Secure/i, `Set-Cookie: ${cookie}`);
      },
    );

    await step("without trustProxy, X-Forwarded-Proto is ignored (no Secure flag)", async (s) => {
      const res = await s.fetch("/counter", { headers: { "x-forwarded-proto": "https" } });
      await res.body?.cancel();
      const cookie = sessionSetCookie(res) ?? "";
      assert.ok(cookie, "no session cookie was set");
      assert.doesNotMatch(cookie, /;\s*Secure/i, `Set-Cookie: ${cookie}`);
    });
  });
});

Deno.test("tokens and sessions: the store is bounded by bytes (item 10)", async (t) => {
  await serverSuite(t, { sessions: { maxBytes: 64 * 1024 } }, async (step) => {
    await step(
      "past maxBytes (64 KiB) the least recently used session is evicted, though far below maxSessions",
      async (s) => {
        const first = await sessionWithData(s, "small and idle");
        for (let i = 0; i < 12; i++) await sessionWithData(s, `big ${i}`, 8);
        assert.equal(
          (await whoami(s, first)).note,
          null,
          "the idle session survived 96 KiB of newer sessions",
        );
      },
    );
  });
});
