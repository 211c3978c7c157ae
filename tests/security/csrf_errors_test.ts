/**
 * CSRF for plain handlers, error pages, and what errors tell the browser.
 * - CSRF (item 12, "{% csrf_token %} is rendered but nothing checks it"): POST/PUT/PATCH/DELETE
 *   need the `csrfmiddlewaretoken` field or an `X-CSRF-Token` header, and a same-origin `Origin`
 *   (or `Referer`; a request with neither but a valid token is accepted, for non-browser clients),
 *   unless the route says `{ csrf: false }`; refused with 403.
 * - Error pages: 404/403/500 render `404.html`/`403.html`/`500.html` when the app has them, a small
 *   built-in page otherwise; development adds the error and template position, production shows no
 *   internals.
 * - Item 9: production sends a code and a reference id (`incident`), never the exception message;
 *   development sends the message and the template position.
 *
 * The fixture's exceptions carry markers ("SECRET-DETAIL-123", …); production must not send them
 * in any frame or page. Plain routes: `POST /transfer`, `DELETE /transfer` (CSRF on) and
 * `POST /webhook` (`{ csrf: false }`); `GET /__stats` counts their runs.
 */
import assert from "node:assert/strict";
import {
  assertNoMarkers,
  closeAll,
  type FixtureServer,
  getPage,
  joinPage,
  login,
  SECRET_MARKERS,
  serverSuite,
  WsClient,
} from "./helpers.ts";

/** A form page's cookie and tokens (the `{% csrf_token %}` field and the meta). */
async function formSession(s: FixtureServer) {
  const form = await getPage(s, "/login");
  assert.ok(form.formCsrf, "GET /login renders a {% csrf_token %} field");
  return form;
}

/** Sends `method /transfer` and returns the status and whether the handler ran. */
async function transfer(
  s: FixtureServer,
  init: { method?: string; headers?: Record<string, string>; token?: string },
): Promise<{ status: number; ran: boolean }> {
  const before = (await s.stats()).transfers;
  const body = init.token === undefined ? undefined : new URLSearchParams({
    csrfmiddlewaretoken: init.token,
    amount: "100",
  });
  const res = await s.fetch("/transfer", {
    method: init.method ?? "POST",
    headers: {
      ...(body ? { "content-type": "application/x-www-form-urlencoded" } : {}),
      ...init.headers,
    },
    body,
  });
  await res.body?.cancel();
  return { status: res.status, ran: (await s.stats()).transfers > before };
}

function assertMarkersAbsent(text: string, where: string): void {
  for (const marker of SECRET_MARKERS) {
    assert.ok(!text.includes(marker), `${where} reveals ${marker}: ${text.slice(0, 400)}`);
  }
}

const PRODUCTION = { dev: false, errorTemplates: true };

Deno.test("csrf: state-changing plain requests need a token and a same-origin browser", async (t) => {
  await serverSuite(t, PRODUCTION, async (step) => {
    await step(
      "a POST without a token is refused with 403 and the handler does not run",
      async (s) => {
        const form = await formSession(s);
        const result = await transfer(s, { headers: { cookie: form.cookie, origin: s.origin } });
        assert.deepEqual(
          result,
          { status: 403, ran: false },
          `/transfer answered ${JSON.stringify(result)}`,
        );
      },
    );

    await step(
      "a POST with the {% csrf_token %} field and a same-origin Origin is accepted",
      async (s) => {
        const form = await formSession(s);
        const result = await transfer(s, {
          token: form.formCsrf,
          headers: { cookie: form.cookie, origin: s.origin },
        });
        assert.deepEqual(
          result,
          { status: 200, ran: true },
          `/transfer answered ${JSON.stringify(result)}`,
        );
      },
    );

    await step(
      "a POST with an X-CSRF-Token header and a same-origin Origin is accepted",
      async (s) => {
        const form = await formSession(s);
        const result = await transfer(s, {
          headers: { cookie: form.cookie, origin: s.origin, "x-csrf-token": form.csrf },
        });
        assert.deepEqual(
          result,
          { status: 200, ran: true },
          `/transfer answered ${JSON.stringify(result)}`,
        );
      },
    );

    await step("a POST with a valid token from a foreign Origin is refused with 403", async (s) => {
      const form = await formSession(s);
      const result = await transfer(s, {
        token: form.formCsrf,
        headers: { cookie: form.cookie, origin: "https://evil.example" },
      });
      assert.deepEqual(
        result,
        { status: 403, ran: false },
        `/transfer answered ${JSON.stringify(result)}`,
      );
    });

    await step(
      "a POST with a valid token, no Origin and a foreign Referer is refused with 403",
      async (s) => {
        const form = await formSession(s);
        const result = await transfer(s, {
          token: form.formCsrf,
          headers: { cookie: form.cookie, referer: "https://evil.example/page" },
        });
        assert.deepEqual(
          result,
          { status: 403, ran: false },
          `/transfer answered ${JSON.stringify(result)}`,
        );
      },
    );

    await step(
      "a POST with a valid token and neither Origin nor Referer is accepted (non-browser client)",
      async (s) => {
        const form = await formSession(s);
        const result = await transfer(s, {
          token: form.formCsrf,
          headers: { cookie: form.cookie },
        });
        assert.deepEqual(
          result,
          { status: 200, ran: true },
          `/transfer answered ${JSON.stringify(result)}`,
        );
      },
    );

    await step("a POST with another session's token is refused with 403", async (s) => {
      const mine = await formSession(s);
      const theirs = await formSession(s);
      const result = await transfer(s, {
        token: theirs.formCsrf,
        headers: { cookie: mine.cookie, origin: s.origin },
      });
      assert.deepEqual(
        result,
        { status: 403, ran: false },
        `/transfer answered ${JSON.stringify(result)}`,
      );
    });

    await step("a DELETE without a token is refused with 403", async (s) => {
      const form = await formSession(s);
      const result = await transfer(s, {
        method: "DELETE",
        headers: { cookie: form.cookie, origin: s.origin },
      });
      assert.deepEqual(
        result,
        { status: 403, ran: false },
        `/transfer answered ${JSON.stringify(result)}`,
      );
    });

    await step("a route with { csrf: false } accepts a POST without a token", async (s) => {
      const before = (await s.stats()).webhooks;
      const res = await s.fetch("/webhook", { method: "POST", body: "{}" });
      await res.body?.cancel();
      assert.equal(res.status, 200);
      assert.equal((await s.stats()).webhooks, before + 1);
    });
  });
});

Deno.test("errors: production shows codes and reference ids, never exception messages (item 9)", async (t) => {
  // Joins mount afresh here (no page view to take over), so a mount can fail at join.
  await serverSuite(t, { ...PRODUCTION, joinWindowMs: 0 }, async (step) => {
    await step(
      "a handler error sends app.handler_error with an incident, no message and no stack",
      async (s) => {
        const { client } = await joinPage(s, "/errors/failing");
        try {
          const reply = await client.answer(client.event("fail"));
          assert.equal(reply.code, "app.handler_error", JSON.stringify(reply));
          assert.ok(
            typeof reply.incident === "string" && reply.incident.length > 0,
            `no incident: ${JSON.stringify(reply)}`,
          );
          assert.equal(reply.stack, undefined, "a stack reached the browser");
          await client.settle(200, 2000);
          assertNoMarkers(client);
        } finally {
          await closeAll(client);
        }
      },
    );

    await step("the incident sent to the browser appears in the server's log", async (s) => {
      const { client } = await joinPage(s, "/errors/failing");
      try {
        const reply = await client.answer(client.event("fail"));
        assert.ok(reply.incident, `no incident: ${JSON.stringify(reply)}`);
        const logs = await s.logs();
        assert.ok(
          logs.some((line) =>
            line.includes(String(reply.incident)) && line.includes("SECRET-DETAIL-123")
          ),
          `no log line carries incident ${reply.incident} with the error`,
        );
      } finally {
        await closeAll(client);
      }
    });

    await step(
      "a mount error on join sends app.mount_error with an incident and no message",
      async (s) => {
        const page = await getPage(s, "/errors/failing?failmount=1");
        assert.equal(page.status, 200, "the HTTP render does not fail");
        const client = await WsClient.open(s, { cookie: page.cookie });
        try {
          client.join(page);
          const reply = await client.waitFor(
            (f) => f.type === "error" || f.type === "joined",
            "answering the join",
          );
          assert.equal(reply.code, "app.mount_error", JSON.stringify(reply));
          assert.ok(reply.incident, `no incident: ${JSON.stringify(reply)}`);
          assertNoMarkers(client);
        } finally {
          await closeAll(client);
        }
      },
    );

    await step("an error in a timer reaches the browser without its message", async (s) => {
      const { client } = await joinPage(s, "/errors/failing");
      try {
        const since = client.mark();
        client.event("failLater");
        await client.waitFor((f) => f.type === "error", "reporting the timer's error", 2000, since);
        assertNoMarkers(client);
      } finally {
        await closeAll(client);
      }
    });

    await step("an unknown path renders the app's 404.html with status 404", async (s) => {
      const res = await s.fetch("/no/such/page");
      const body = await res.text();
      assert.equal(res.status, 404);
      assert.match(body, /Custom not found page/, body.slice(0, 300));
    });

    await step("a missing permission renders the app's 403.html with status 403", async (s) => {
      const res = await s.fetch("/admin", { headers: { cookie: await login(s, "alice") } });
      const body = await res.text();
      assert.equal(res.status, 403);
      assert.match(body, /Custom forbidden page/, body.slice(0, 300));
    });

    await step(
      "a failing HTTP render renders the app's 500.html with status 500 and no internals",
      async (s) => {
        const res = await s.fetch("/errors/mount");
        const body = await res.text();
        assert.equal(res.status, 500);
        assert.match(body, /Custom server error page/, body.slice(0, 300));
        assertMarkersAbsent(body, "the 500 page");
        assert.doesNotMatch(body, /server\.ts|at \w+ \(/, "the 500 page shows a stack");
      },
    );
  });
});

Deno.test("errors: development shows the message and the template position (item 9)", async (t) => {
  await serverSuite(t, { dev: true }, async (step) => {
    await step("a handler error's reason carries the exception message", async (s) => {
      const { client } = await joinPage(s, "/errors/failing");
      try {
        const reply = await client.answer(client.event("fail"));
        assert.equal(reply.code, "app.handler_error");
        assert.match(String(reply.reason), /SECRET-DETAIL-123/);
      } finally {
        await closeAll(client);
      }
    });

    await step(
      "a render error names the template and the line (Exploding.template, line 2)",
      async (s) => {
        const { client } = await joinPage(s, "/crash/explode");
        try {
          const since = client.mark();
          client.event("arm");
          const error = await client.waitFor(
            (f) => f.type === "error",
            "the render error",
            3000,
            since,
          );
          const text = `${error.reason}\n${error.stack ?? ""}`;
          assert.match(text, /SECRET-DETAIL-123/, "the message");
          assert.match(text, /Exploding\.template\D{0,10}2\b/, `the template position in: ${text}`);
        } finally {
          await closeAll(client);
        }
      },
    );

    await step("a failing HTTP render shows the error on the built-in 500 page", async (s) => {
      const res = await s.fetch("/errors/mount");
      const body = await res.text();
      assert.equal(res.status, 500);
      assert.match(body, /SECRET-DETAIL-123/, body.slice(0, 300));
    });

    await step("without a 404.html, an unknown path gets the built-in HTML 404 page", async (s) => {
      const res = await s.fetch("/no/such/page");
      await res.body?.cancel();
      assert.equal(res.status, 404);
      assert.match(res.headers.get("content-type") ?? "", /text\/html/);
    });
  });
});
