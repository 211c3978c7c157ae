/**
 * Starts the task board: `deno task taskboard`, then open http://127.0.0.1:8001/ and sign up (the
 * first account is the admin). Needs no external service: the database is a SQLite file in
 * TASKBOARD_DATA (default ./.data/taskboard), created on first start.
 *
 * Environment: PORT (default 8001); DJUST_SECRET (signs sessions and tokens: set it, and the same
 * on every process, or sign-ins end at each restart); REDIS_URL (several processes share sessions
 * and pub/sub through Redis; see the README for what that does and does not share).
 */
import { RedisPubSub, RedisSessionStore } from "../../lib/redis/mod.ts";
import { createTaskboardApp, defaultDataDir } from "./app.ts";

const port = Number(Deno.env.get("PORT") ?? 8001);
const redisUrl = Deno.env.get("REDIS_URL");
const dataDir = defaultDataDir();

const taskboard = await createTaskboardApp({
  dataDir,
  secret: Deno.env.get("DJUST_SECRET"),
  ...(redisUrl
    ? {
      pubsub: new RedisPubSub({ url: redisUrl }),
      sessionStore: new RedisSessionStore({ url: redisUrl }),
    }
    : {}),
});

const server = Deno.serve({
  port,
  hostname: Deno.env.get("HOST") ?? "127.0.0.1",
  onListen: ({ hostname, port }) => {
    console.log(`Taskboard on http://${hostname}:${port}/ (data in ${dataDir})`);
  },
}, taskboard.app.fetch);

// Ctrl-C and service managers: close the live connections (their pages reconnect to another
// process or to this one once restarted), let plain requests finish, then close the database.
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  Deno.addSignalListener(signal, async () => {
    await taskboard.app.close();
    await server.shutdown();
    taskboard.services.store.close();
    Deno.exit(0);
  });
}
