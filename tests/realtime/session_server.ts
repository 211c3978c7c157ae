/**
 * A small app for the multi-process session test: sessions and pub/sub in the Redis at
 * `REDIS_URL`, sign in and out through plain handlers (CSRF-checked), a live page showing who is
 * signed in. Run by redis_sessions_test.ts, two processes at a time.
 */
import { App, LiveView, loginRequired, signal } from "../../mod.ts";
import { RedisPubSub, RedisSessionStore } from "../../lib/redis/mod.ts";

const url = Deno.env.get("REDIS_URL")!;

class Me extends LiveView {
  static override template = `<p id="who">{{ who }}</p><p id="note">{{ note }}</p>`;
  who = signal("");
  note = signal("");
  override mount(): void {
    this.who.value = String(this.user ?? "anonymous");
    this.note.value = String(this.session.get("note") ?? "");
  }
}

const app = new App({
  secret: "two-processes-one-session",
  logger: () => {},
  pubsub: new RedisPubSub({ url }),
  sessionStore: new RedisSessionStore({ url }),
  auth: { user: (session) => session.userId },
});
app.live("/me", Me);
app.live("/private", Me, { onMount: [loginRequired()] });
app.post("/login", async (request) => {
  const form = await request.formData();
  const session = await app.session(request);
  await session.login(String(form.get("user")));
  session.set("note", String(form.get("note") ?? ""));
  return new Response("signed in");
});
app.post("/logout", async (request) => {
  await (await app.session(request)).logout();
  return new Response("signed out");
});
app.get("/health", () => new Response("ok"));
Deno.serve({ hostname: "127.0.0.1", port: Number(Deno.env.get("PORT")), onListen() {} }, app.fetch);
