/**
 * Authentication and authorization (new API): `auth` in App options, `onMount` hooks (app-wide and
 * per route) with `loginRequired()` and `permissionRequired(...)`, `Redirect`/`PermissionDenied`/
 * `NotFound` thrown from hooks, `mount`, `handleParams` and handlers, `this.redirect()` in `mount`,
 * `this.user`/`this.session`, `@eventHandler({ permission })` checked at every event against the
 * session as it is now, and `safeNextUrl`.
 *
 * Fixture users: alice has `posts.delete`; bob has `admin` and `posts.delete`. `POST /__users`
 * revokes or grants a permission while they are signed in. Routes: `/public` (anyone, app-wide hook
 * refuses `?hidden`), `/account` (loginRequired), `/admin` (permissionRequired("admin")), `/posts`
 * (`remove` needs posts.delete), `/legacy` (this.redirect in mount), `/moved` (throw Redirect),
 * `/items/:id` (NotFound unless id is 1). `GET /__stats` counts `mount` calls per view.
 *
 * Over the socket a refused mount must never produce `joined`/`navigated`; the client is sent away
 * with `{type: "nav", kind: "redirect"}` (what `this.redirect` sends) or told `auth.forbidden`.
 */
import assert from "node:assert/strict";
import {
  closeAll,
  type FixtureServer,
  getPage,
  joinPage,
  login,
  type ServerFrame,
  serverSuite,
  sessionCookieOf,
  sleep,
  WsClient,
} from "./helpers.ts";

/** A socket sent away from a view it may not see. */
const sentAway = (f: ServerFrame) =>
  (f.type === "nav" && f.kind === "redirect") ||
  (f.type === "error" && f.code === "auth.forbidden");

/** Where a redirect to the login page points: its path and its `next` parameter (decoded). */
function loginTarget(to: unknown, base: string): { path: string; next: string | null } {
  const url = new URL(String(to ?? ""), base);
  return {
    path: url.origin === new URL(base).origin ? url.pathname : url.href,
    next: url.searchParams.get("next"),
  };
}

/** `Location` of a redirect, relative to the server (path and query). */
function location(res: Response, base: string): string {
  const to = res.headers.get("location");
  if (!to) return "";
  const url = new URL(to, base);
  return url.origin === new URL(base).origin ? url.pathname + url.search : url.href;
}

async function get(s: FixtureServer, path: string, cookie?: string): Promise<Response> {
  const res = await s.fetch(path, { headers: cookie ? { cookie } : {} });
  await res.body?.cancel();
  return res;
}

/** Revokes (or grants back) a permission of a fixture user. */
async function setPermission(s: FixtureServer, user: string, permission: string, on: boolean) {
  const res = await s.fetch(`/__users?user=${user}&${on ? "grant" : "revoke"}=${permission}`, {
    method: "POST",
  });
  await res.body?.cancel();
  assert.equal(res.status, 200, `POST /__users answered ${res.status}`);
}

async function mounts(s: FixtureServer, view: string): Promise<number> {
  return (await s.stats()).mounts[view] ?? 0;
}

/** Signs out the session of `cookie` (as another tab would). */
async function logout(s: FixtureServer, cookie: string): Promise<void> {
  const csrf = (await getPage(s, "/public", { cookie })).csrf;
  const res = await s.fetch("/logout", {
    method: "POST",
    headers: { cookie, origin: s.origin, "x-csrf-token": csrf },
  });
  await res.body?.cancel();
  assert.equal(res.status, 200, `POST /logout answered ${res.status}`);
}

Deno.test("auth: hooks guard every path that mounts a view", async (t) => {
  await serverSuite(t, {}, async (step) => {
    await step("anonymous GET /account redirects (302) to /login?next=/account", async (s) => {
      const res = await get(s, "/account");
      assert.equal(res.status, 302);
      assert.deepEqual(loginTarget(res.headers.get("location"), s.base), {
        path: "/login",
        next: "/account",
      });
    });

    await step("signed in, /account renders this.user and this.session", async (s) => {
      const res = await s.fetch("/remember?note=from-the-session");
      await res.body?.cancel();
      const alice = await login(s, "alice", sessionCookieOf(res.headers.getSetCookie()));
      const page = await getPage(s, "/account", { cookie: alice });
      assert.equal(page.status, 200);
      assert.match(page.html, /Alice Example/, "this.user.name");
      assert.match(page.html, /from-the-session/, 'this.session.get("note")');
    });

    await step("anonymous GET /admin redirects (302) to /login?next=/admin", async (s) => {
      const res = await get(s, "/admin");
      assert.equal(res.status, 302);
      assert.deepEqual(loginTarget(res.headers.get("location"), s.base), {
        path: "/login",
        next: "/admin",
      });
    });

    await step(
      "signed in without the permission, GET /admin is 403 and Admin.mount never runs",
      async (s) => {
        const alice = await login(s, "alice");
        const before = await mounts(s, "Admin");
        assert.equal((await get(s, "/admin", alice)).status, 403);
        assert.equal(await mounts(s, "Admin"), before, "Admin.mount ran for a refused request");
      },
    );

    await step("with the permission, GET /admin is 200 (control)", async (s) => {
      assert.equal((await get(s, "/admin", await login(s, "bob"))).status, 200);
    });

    await step(
      "the app-wide onMount hook runs before mount: GET /public?hidden=1 is 404",
      async (s) => {
        const before = await mounts(s, "Public");
        assert.equal((await get(s, "/public?hidden=1")).status, 404);
        assert.equal(await mounts(s, "Public"), before, "Public.mount ran for a refused request");
      },
    );

    await step("this.redirect() in mount answers 302 to its URL", async (s) => {
      const res = await get(s, "/legacy");
      assert.equal(res.status, 302, "GET /legacy");
      assert.equal(location(res, s.base), "/public");
    });

    await step("throw new Redirect(url) in mount answers 302 to its URL", async (s) => {
      const res = await get(s, "/moved");
      assert.equal(res.status, 302, "GET /moved");
      assert.equal(location(res, s.base), "/public");
    });

    await step(
      "throw new NotFound() in handleParams answers 404 (and /items/1 is 200)",
      async (s) => {
        assert.equal((await get(s, "/items/2")).status, 404, "GET /items/2");
        assert.equal((await get(s, "/items/1")).status, 200, "GET /items/1");
      },
    );

    await step(
      "a join whose hook now refuses (permission revoked after the page) mounts nothing",
      async (s) => {
        const bob = await login(s, "bob");
        const page = await getPage(s, "/admin", { cookie: bob });
        assert.equal(page.status, 200);
        await setPermission(s, "bob", "admin", false);
        const client = await WsClient.open(s, { cookie: page.cookie });
        try {
          const before = await mounts(s, "Admin");
          client.join(page);
          const reply = await client.waitFor(
            (f) => f.type === "joined" || sentAway(f) || f.type === "error",
            "answering the join",
          );
          assert.ok(
            sentAway(reply),
            `joining /admin without the permission: ${JSON.stringify(reply)}`,
          );
          assert.equal(await mounts(s, "Admin"), before, "Admin.mount ran for a refused join");
        } finally {
          await closeAll(client);
          await setPermission(s, "bob", "admin", true);
        }
      },
    );

    await step(
      "a reconnect runs the hooks again: the same token is refused once the permission is revoked",
      async (s) => {
        const bob = await login(s, "bob");
        const { client, page } = await joinPage(s, "/admin", { cookie: bob });
        await closeAll(client);
        await setPermission(s, "bob", "admin", false);
        const again = await WsClient.open(s, { cookie: page.cookie });
        try {
          again.join(page);
          const reply = await again.waitFor(
            (f) => f.type === "joined" || sentAway(f) || f.type === "error",
            "answering the rejoin",
          );
          assert.ok(
            sentAway(reply),
            `rejoining /admin without the permission: ${JSON.stringify(reply)}`,
          );
        } finally {
          await closeAll(again);
          await setPermission(s, "bob", "admin", true);
        }
      },
    );

    await step("a navigate message to a view the user may not see mounts nothing", async (s) => {
      const { client } = await joinPage(s, "/account", { cookie: await login(s, "alice") });
      try {
        const before = await mounts(s, "Admin");
        const since = client.mark();
        client.navigate("/admin");
        await client.waitFor(sentAway, "sending alice away from /admin", 3000, since);
        await client.expectNone((f) => f.type === "navigated", "mounting /admin", 100, since);
        assert.equal(await mounts(s, "Admin"), before, "Admin.mount ran for a refused navigation");
      } finally {
        await closeAll(client);
      }
    });

    await step(
      "pushNavigate from a handler to a view the user may not see mounts nothing",
      async (s) => {
        const { client } = await joinPage(s, "/account", { cookie: await login(s, "alice") });
        try {
          const before = await mounts(s, "Admin");
          const since = client.mark();
          client.event("toAdmin");
          await client.waitFor(sentAway, "sending alice away from /admin", 3000, since);
          await client.expectNone((f) => f.type === "navigated", "mounting /admin", 100, since);
          assert.equal(
            await mounts(s, "Admin"),
            before,
            "Admin.mount ran for a refused pushNavigate",
          );
        } finally {
          await closeAll(client);
        }
      },
    );

    await step(
      "an anonymous navigate to /account is redirected to /login?next=/account",
      async (s) => {
        const { client } = await joinPage(s, "/public");
        try {
          const since = client.mark();
          client.navigate("/account");
          const nav = await client.waitFor(
            (f) => f.type === "nav" && f.kind === "redirect",
            "a redirect",
            3000,
            since,
          );
          assert.deepEqual(loginTarget(nav.url, s.base), { path: "/login", next: "/account" });
          await client.expectNone((f) => f.type === "navigated", "mounting /account", 100, since);
        } finally {
          await closeAll(client);
        }
      },
    );

    await step(
      "a navigate to a view whose mount calls this.redirect() is redirected, not mounted",
      async (s) => {
        const { client } = await joinPage(s, "/public");
        try {
          const since = client.mark();
          client.navigate("/legacy");
          const nav = await client.waitFor(
            (f) => f.type === "nav" && f.kind === "redirect",
            "a redirect",
            3000,
            since,
          );
          assert.equal(new URL(String(nav.url), s.base).pathname, "/public");
          await client.expectNone((f) => f.type === "navigated", "mounting /legacy", 100, since);
        } finally {
          await closeAll(client);
        }
      },
    );

    await step("a navigate refused by the app-wide hook (NotFound) mounts nothing", async (s) => {
      const { client } = await joinPage(s, "/nav");
      try {
        const before = await mounts(s, "Public");
        const since = client.mark();
        client.navigate("/public?hidden=1");
        await client.waitFor(
          (f) => f.type === "nav" || f.type === "error",
          "refusing /public?hidden=1",
          3000,
          since,
        );
        await client.expectNone(
          (f) => f.type === "navigated",
          "mounting /public?hidden=1",
          100,
          since,
        );
        assert.equal(
          await mounts(s, "Public"),
          before,
          "Public.mount ran for a refused navigation",
        );
      } finally {
        await closeAll(client);
      }
    });
  });
});

Deno.test("auth: @eventHandler({ permission }) is checked at every event", async (t) => {
  await serverSuite(t, {}, async (step) => {
    await step("with posts.delete, remove runs (control)", async (s) => {
      const { client } = await joinPage(s, "/posts", { cookie: await login(s, "alice") });
      try {
        const reply = await client.answer(client.event("remove", { id: "first" }));
        assert.equal(reply.type, "patch", `remove as alice: ${JSON.stringify(reply)}`);
      } finally {
        await closeAll(client);
      }
    });

    await step("an anonymous remove is refused with auth.forbidden and does not run", async (s) => {
      const { client } = await joinPage(s, "/posts");
      try {
        const before = (await s.stats()).removes;
        const reply = await client.answer(client.event("remove", { id: "first" }));
        assert.equal(reply.code, "auth.forbidden", `anonymous remove: ${JSON.stringify(reply)}`);
        assert.equal((await s.stats()).removes, before, "remove ran for an anonymous user");
      } finally {
        await closeAll(client);
      }
    });

    await step(
      "a permission revoked while the view is open refuses the next event (auth.forbidden)",
      async (s) => {
        const { client } = await joinPage(s, "/posts", { cookie: await login(s, "alice") });
        try {
          await setPermission(s, "alice", "posts.delete", false);
          const before = (await s.stats()).removes;
          const reply = await client.answer(client.event("remove", { id: "second" }));
          assert.equal(
            reply.code,
            "auth.forbidden",
            `remove after the revocation: ${JSON.stringify(reply)}`,
          );
          assert.equal((await s.stats()).removes, before, "remove ran after the revocation");
        } finally {
          await closeAll(client);
          await setPermission(s, "alice", "posts.delete", true);
        }
      },
    );

    await step("a logout in another tab refuses the next event", async (s) => {
      const alice = await login(s, "alice");
      const { client } = await joinPage(s, "/posts", { cookie: alice });
      try {
        await logout(s, alice);
        await sleep(100);
        const before = (await s.stats()).removes;
        if (!client.isClosed) {
          const since = client.mark();
          client.event("remove", { id: "third" });
          await client.settle(200, 2000);
          const patched = client.since(since).some((f) =>
            f.type === "patch" && (f.ops?.length ?? 0) > 0
          );
          assert.ok(!patched, `remove after logout: ${JSON.stringify(client.since(since))}`);
        }
        assert.equal((await s.stats()).removes, before, "remove ran after logout");
      } finally {
        await closeAll(client);
      }
    });

    await step("throw new PermissionDenied() in a handler answers auth.forbidden", async (s) => {
      const { client } = await joinPage(s, "/posts", { cookie: await login(s, "alice") });
      try {
        const reply = await client.answer(client.event("forbidden"));
        assert.equal(reply.code, "auth.forbidden", `forbidden: ${JSON.stringify(reply)}`);
      } finally {
        await closeAll(client);
      }
    });
  });
});

/** Signs in as alice with `next` and returns where the login redirects to. */
async function loginNext(s: FixtureServer, next: string): Promise<string> {
  const form = await getPage(s, "/login");
  const res = await s.fetch("/login", {
    method: "POST",
    headers: {
      cookie: form.cookie,
      origin: s.origin,
      "content-type": "application/x-www-form-urlencoded",
    },
    body: new URLSearchParams({ csrfmiddlewaretoken: form.formCsrf, user: "alice", next }),
  });
  await res.body?.cancel();
  assert.equal(res.status, 303, `POST /login with next=${JSON.stringify(next)}`);
  return location(res, s.base);
}

Deno.test("auth: safeNextUrl keeps same-origin paths and nothing else", async (t) => {
  await serverSuite(t, {}, async (step) => {
    await step("a same-origin path in next is kept", async (s) => {
      for (const next of ["/account", "/posts?page=2"]) {
        assert.equal(await loginNext(s, next), next, `next=${JSON.stringify(next)}`);
      }
    });

    await step("another origin, a script URL or nothing in next becomes /", async (s) => {
      for (
        const next of [
          "https://evil.example/",
          "//evil.example/x",
          "/\\evil.example/x",
          "javascript:alert(1)",
          "",
        ]
      ) {
        assert.equal(await loginNext(s, next), "/", `next=${JSON.stringify(next)}`);
      }
    });
  });
});
