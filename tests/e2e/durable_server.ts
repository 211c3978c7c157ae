/**
 * The app of the durable-state browser tests, as its own process (so a test can SIGKILL it):
 * a counter and an editor, sessions and pub/sub in the Redis at `REDIS_URL`. `VARIANT=renamed`
 * is the same app after a deploy that renamed the counter's field.
 *
 *   PORT=8001 REDIS_URL=redis://127.0.0.1:6379 deno run -A tests/e2e/durable_server.ts
 */
import { durableApp } from "./durable_views.ts";
import { RedisPubSub, RedisSessionStore } from "../../lib/redis/mod.ts";

const url = Deno.env.get("REDIS_URL");
const app = durableApp({
  renamed: Deno.env.get("VARIANT") === "renamed",
  ...(url
    ? { pubsub: new RedisPubSub({ url }), sessionStore: new RedisSessionStore({ url }) }
    : {}),
});
Deno.serve({ hostname: "127.0.0.1", port: Number(Deno.env.get("PORT")), onListen() {} }, app.fetch);
