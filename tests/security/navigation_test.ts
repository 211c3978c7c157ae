/**
 * Item 3: redirects to `javascript:` and foreign URLs. Live navigation (`pushNavigate`,
 * `pushPatch`, the client's `navigate` message) stays same-origin; `this.redirect` goes to another
 * origin only with `{ external: true }`; `javascript:`/`data:` URLs are refused on both sides.
 *
 * What is asserted is the raw frames: a refused URL must never appear in a `nav` frame. How the
 * refusal is reported (an error frame, a log line) is left to the implementation, but the event is
 * always answered. The browser-side half of "both sides" (client/main.ts assigning `location.href`)
 * needs a browser and belongs to tests/e2e.
 *
 * `/nav` (fixture `Nav`): `redirectTo`, `redirectExternal`, `navigateTo` and `patchTo` pass the
 * client's `url` to `redirect`, `redirect(url, { external: true })`, `pushNavigate`, `pushPatch`.
 */
import assert from "node:assert/strict";
import {
  closeAll,
  type FixtureServer,
  foreignNav,
  joinPage,
  type ServerFrame,
  serverSuite,
  sleep,
  type WsClient,
} from "./helpers.ts";

/** Script URLs, in the spellings browsers still run. */
const SCRIPT_URLS = [
  "javascript:alert(1)",
  "JavaScript:alert(1)",
  " javascript:alert(1)",
  "java\tscript:alert(1)",
  "data:text/html,<script>alert(1)</script>",
  "vbscript:msgbox(1)",
];
/** URLs of another origin, in the spellings browsers resolve as such. */
const FOREIGN_URLS = [
  "https://evil.example/",
  "//evil.example/",
  "/\\evil.example/",
  "\\\\evil.example/",
  "https:evil.example",
];

/** Calls `handler` with `url` and returns every frame that followed (answer plus 100 ms). */
async function attempt(client: WsClient, handler: string, url: string): Promise<ServerFrame[]> {
  const since = client.mark();
  await client.answer(client.event(handler, { url }));
  await sleep(100);
  return client.since(since);
}

/** Fails if `handler` sends a `nav` frame leaving the origin for any of `urls` (lists them all). */
async function assertRefused(
  s: FixtureServer,
  handler: string,
  urls: string[],
): Promise<void> {
  const { client, page } = await joinPage(s, "/nav");
  try {
    const leaks: string[] = [];
    for (const url of urls) {
      const leak = (await attempt(client, handler, url)).find(foreignNav(page.url));
      if (leak) leaks.push(`${handler}(${JSON.stringify(url)}) sent ${JSON.stringify(leak)}`);
    }
    assert.deepEqual(leaks, [], leaks.join("\n"));
  } finally {
    await closeAll(client);
  }
}

Deno.test("navigation: a view or client cannot send the browser to script URLs or other origins (item 3)", async (t) => {
  await serverSuite(t, {}, async (step) => {
    await step(
      "this.redirect refuses javascript:, data: and vbscript: URLs (any case, with spaces or tabs)",
      (s) => assertRefused(s, "redirectTo", SCRIPT_URLS),
    );

    await step(
      "this.redirect refuses another origin without { external: true }",
      (s) => assertRefused(s, "redirectTo", FOREIGN_URLS),
    );

    await step(
      "this.redirect(url, { external: true }) still refuses javascript: and data: URLs",
      (s) => assertRefused(s, "redirectExternal", SCRIPT_URLS),
    );

    await step(
      "pushNavigate refuses script URLs and other origins",
      (s) => assertRefused(s, "navigateTo", [...SCRIPT_URLS, ...FOREIGN_URLS]),
    );

    await step(
      "pushPatch refuses script URLs and other origins",
      (s) => assertRefused(s, "patchTo", [...SCRIPT_URLS, ...FOREIGN_URLS]),
    );

    await step(
      "a navigate message to a script URL or another origin is never answered with a nav to it",
      async (s) => {
        const { client, page } = await joinPage(s, "/nav");
        try {
          const leaks: string[] = [];
          for (const url of [...SCRIPT_URLS, ...FOREIGN_URLS]) {
            const since = client.mark();
            client.navigate(url);
            await sleep(100);
            const leak = client.since(since).find(foreignNav(page.url));
            if (leak) {
              leaks.push(`navigate ${JSON.stringify(url)} answered ${JSON.stringify(leak)}`);
            }
          }
          assert.deepEqual(leaks, [], leaks.join("\n"));
        } finally {
          await closeAll(client);
        }
      },
    );

    await step(
      "this.redirect(url, { external: true }) sends an https URL of another origin",
      async (s) => {
        const { client } = await joinPage(s, "/nav");
        try {
          const frames = await attempt(
            client,
            "redirectExternal",
            "https://partner.example/welcome",
          );
          const nav = frames.find((f) => f.type === "nav");
          assert.deepEqual(
            nav && { kind: nav.kind, url: nav.url },
            { kind: "redirect", url: "https://partner.example/welcome" },
            `frames: ${JSON.stringify(frames)}`,
          );
        } finally {
          await closeAll(client);
        }
      },
    );

    await step("this.redirect to a same-origin path is sent as it is (control)", async (s) => {
      const { client } = await joinPage(s, "/nav");
      try {
        const frames = await attempt(client, "redirectTo", "/nav/other?from=redirect");
        const nav = frames.find((f) => f.type === "nav");
        assert.equal(nav?.kind, "redirect", `frames: ${JSON.stringify(frames)}`);
        assert.equal(new URL(String(nav?.url), s.base).href, s.base + "/nav/other?from=redirect");
      } finally {
        await closeAll(client);
      }
    });

    await step(
      "pushNavigate to a same-origin live view mounts it over the socket (control)",
      async (s) => {
        const { client } = await joinPage(s, "/nav");
        try {
          const since = client.mark();
          client.event("navigateTo", { url: "/nav/other" });
          const navigated = await client.waitFor(
            (f) => f.type === "navigated",
            "navigated",
            3000,
            since,
          );
          assert.match(navigated.html ?? "", /other view/);
        } finally {
          await closeAll(client);
        }
      },
    );
  });
});
