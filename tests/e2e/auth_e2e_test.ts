/**
 * Signing in and out in Chromium: the login form (a plain POST with `{% csrf_token %}`), a private
 * page, a permission checked at every event, and a sign-out in another tab that sends the first
 * tab to the login page.
 */
import assert from "node:assert/strict";
import { App, eventHandler, LiveView, loginRequired, safeNextUrl, signal } from "../../mod.ts";
import { BROWSER_TEST, launch, serve } from "./harness.ts";

const permissions = new Map<string, string[]>([["ann", ["posts.delete"]]]);

class Login extends LiveView {
  static override template = `<form id="login" method="post" action="/login">{% csrf_token %}
<input name="user"><input type="hidden" name="next" value="{{ next }}"><button>Sign in</button></form>`;
  next = signal("/");
  override handleParams(params: Record<string, string>): void {
    this.next.value = params.next ?? "/";
  }
}

class Account extends LiveView {
  static override template = `<p id="who">{{ who }}</p><p id="posts">{{ posts }}</p>
<button id="delete" dj-click="remove">delete</button>
<form id="logout" method="post" action="/logout">{% csrf_token %}<button>Sign out</button></form>`;
  who = signal("");
  posts = signal(3);
  override mount(): void {
    this.who.value = String(this.user);
  }
  @eventHandler({ permission: "posts.delete" })
  remove(): void {
    this.posts.value--;
  }
}

function authApp(): App {
  const app = new App({
    secret: "auth-e2e",
    logger: () => {},
    auth: {
      user: (session) => session.userId,
      hasPermission: (user, permission) =>
        permissions.get(String(user))?.includes(permission) ?? false,
      loginUrl: "/login",
    },
  });
  app.live("/login", Login);
  app.live("/account", Account, { onMount: [loginRequired()] });
  app.post("/login", async (request) => {
    const form = await request.formData();
    await (await app.session(request)).login(String(form.get("user")));
    const next = safeNextUrl(String(form.get("next") ?? "/"), request);
    return Response.redirect(new URL(next, request.url), 303);
  });
  app.post("/logout", async (request) => {
    await (await app.session(request)).logout();
    return Response.redirect(new URL("/login", request.url), 303);
  });
  return app;
}

Deno.test({
  name: "e2e: sign in, a permission per event, sign out in another tab",
  ...BROWSER_TEST,
  async fn(t) {
    const server = await serve(authApp());
    const browser = await launch();
    try {
      const context = await browser.newContext();
      const page = await context.newPage();

      await t.step("an anonymous visit to the private page lands on the login form", async () => {
        await page.goto(`${server.url}/account`);
        assert.equal(new URL(page.url()).pathname, "/login");
        assert.equal(new URL(page.url()).searchParams.get("next"), "/account");
      });

      await t.step("signing in goes back to the private page, live", async () => {
        await page.waitForSelector("[dj-root].dj-connected");
        await page.fill("#login input[name=user]", "ann");
        await page.click("#login button");
        await page.waitForURL(`${server.url}/account`);
        await page.waitForSelector("[dj-root].dj-connected");
        assert.equal(await page.textContent("#who"), "ann");
        await page.click("#delete");
        await page.waitForFunction(() => document.querySelector("#posts")?.textContent === "2");
      });

      await t.step("a revoked permission refuses the next event and changes nothing", async () => {
        permissions.set("ann", []);
        const refused = page.waitForEvent(
          "console",
          (m) => m.type() === "error" && m.text().includes("auth.forbidden"),
        );
        await page.click("#delete");
        await refused;
        assert.equal(await page.textContent("#posts"), "2");
        permissions.set("ann", ["posts.delete"]);
      });

      await t.step("signing out in another tab sends this tab to the login page", async () => {
        const tab = await context.newPage();
        await tab.goto(`${server.url}/account`);
        await tab.waitForSelector("[dj-root].dj-connected");
        await tab.click("#logout button");
        // The tab that posted the sign-out follows the post's answer (its own view's reload waits
        // a moment, and the navigation closes its socket first); the other tab is sent back.
        await tab.waitForURL(`${server.url}/login`);
        await page.waitForURL(/\/login\?next=%2Faccount$/, { timeout: 10_000 });
        await tab.close();
      });
    } finally {
      await browser.close();
      await server.close();
    }
  },
});
