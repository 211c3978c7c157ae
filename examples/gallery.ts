/**
 * Starts the example gallery: `deno task start`, then open http://127.0.0.1:8000/.
 * Needs no external service. Set PORT to change the port, REDIS_URL to share pub/sub with other
 * processes, DJUST_SECRET to keep join tokens valid across restarts.
 */
import { RedisPubSub } from "../lib/redis/mod.ts";
import { createGalleryApp } from "./app.ts";

const port = Number(Deno.env.get("PORT") ?? 8000);
// With REDIS_URL set, several gallery processes share chat, presence and the feed.
const redisUrl = Deno.env.get("REDIS_URL");
const app = createGalleryApp(redisUrl ? { pubsub: new RedisPubSub({ url: redisUrl }) } : {});
Deno.serve({ port, hostname: "127.0.0.1" }, app.fetch);
