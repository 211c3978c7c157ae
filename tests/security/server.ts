/**
 * Fixture server for the hostile-client suite, run as a child process by `toolkit/process.ts`:
 *
 *   deno run --allow-net --allow-env --v8-flags=--expose-gc tests/security/server.ts
 *
 * It reads its App options from the `DJUST_FIXTURE` environment variable (JSON, see
 * `FixtureConfig`), listens on `PORT` (127.0.0.1), and exits when its stdin closes, so a test
 * process that dies never leaves it behind. It installs NO `unhandledrejection`/`error` listener
 * of its own: keeping the process alive is djust's job, and the crash tests check it.
 *
 * The views live in `fixture/`, grouped by the API they need:
 *   - `fixture/views.ts`: today's API (items 1, 2, 3, 6–9, 12), except `static bindable` (item 2)
 *     and `redirect(url, { external })` (item 3), marked "New API" there;
 *   - `fixture/auth_views.ts`: the authentication and authorization section (all new API).
 * This file adds what else is new: the App options `trustProxy`, `joinTimeoutMs`,
 * `slowClientTimeoutMs`, `sessionStore`, `auth`, `onMount`; the route options `onMount` and
 * `csrf: false`; `loginRequired`, `permissionRequired`, `safeNextUrl`, `NotFound`,
 * `MemorySessionStore({ maxSessions, maxBytes, idleTtlMs })` and `await app.session(request)`
 * returning a Session (`userId`, `get`, `set`, `login`, `logout`).
 *
 * Test backdoors all start with `/__` and are plain routes with `{ csrf: false }`.
 */
import {
  App,
  loginRequired,
  MemorySessionStore,
  NotFound,
  permissionRequired,
  safeNextUrl,
} from "../../mod.ts";
import {
  Account,
  Admin,
  Item,
  Legacy,
  LoginPage,
  Moved,
  Posts,
  Public,
  type User,
  users,
} from "./fixture/auth_views.ts";
import { logLines, stats } from "./fixture/state.ts";
import {
  AsyncTrouble,
  Big,
  BrokenMount,
  Counter,
  Exploding,
  Failing,
  Feed,
  Lobby,
  Megaphone,
  MountFails,
  Nav,
  NavOther,
  Pager,
  Profile,
  Room,
  Shout,
  Tags,
} from "./fixture/views.ts";
import type { FixtureConfig } from "./toolkit/process.ts";

// This server runs as production would: djust's process guard on (the test task asks for strict
// errors, which would let the crash tests end the process they are about).
Deno.env.delete("DJUST_STRICT_ERRORS");

const config: FixtureConfig = JSON.parse(Deno.env.get("DJUST_FIXTURE") ?? "{}");
const port = Number(Deno.env.get("PORT") ?? "8000");

const errorTemplates: Record<string, string> = config.errorTemplates
  ? {
    "404.html": `<h1 id="custom-404">Custom not found page</h1>`,
    "403.html": `<h1 id="custom-403">Custom forbidden page</h1>`,
    "500.html": `<h1 id="custom-500">Custom server error page</h1>`,
  }
  : {};

const app = new App({
  secret: "hostile-suite-secret",
  dev: config.dev ?? true,
  templates: errorTemplates,
  logger: (level, message, error) => {
    stats.logs[level] = (stats.logs[level] ?? 0) + 1;
    const detail = error instanceof Error ? `${error.stack ?? error.message}` : String(error ?? "");
    logLines.push(`${level} ${message} ${detail}`);
    if (logLines.length > 500) logLines.shift();
  },
  maxEventsPerSecond: config.maxEventsPerSecond,
  softBufferBytes: config.softBufferBytes,
  hardBufferBytes: config.hardBufferBytes,
  maxFrameBytes: config.maxFrameBytes,
  joinWindowMs: config.joinWindowMs,
  // New App options (see the README of this folder).
  trustProxy: config.trustProxy ?? false,
  joinTimeoutMs: config.joinTimeoutMs,
  slowClientTimeoutMs: config.slowClientTimeoutMs,
  sessionStore: new MemorySessionStore(config.sessions ?? {}),
  auth: {
    user: (session) => users.get(session.userId ?? "") ?? null,
    hasPermission: (user, permission) => (user as User).permissions.includes(permission),
    loginUrl: "/login",
  },
  onMount: [
    (_view, { request }) => {
      stats.hookRuns++;
      if (new URL(request.url).searchParams.has("hidden")) throw new NotFound();
    },
  ],
});

// Today's API
app.live("/counter", Counter);
app.live("/crash/shout", Shout);
app.live("/crash/tags", Tags);
app.live("/crash/room", Room);
app.live("/crash/megaphone", Megaphone);
app.live("/crash/lobby", Lobby);
app.live("/crash/pager", Pager);
app.live("/crash/broken-mount", BrokenMount);
app.live("/crash/async", AsyncTrouble);
app.live("/crash/explode", Exploding);
app.live("/nav", Nav);
app.live("/nav/other", NavOther);
app.live("/limits/big", Big);
app.live("/limits/feed", Feed);
app.live("/errors/failing", Failing);
app.live("/errors/mount", MountFails);

// New API
app.live("/fields/profile", Profile);
app.live("/public", Public);
app.live("/login", LoginPage);
app.live("/account", Account, { onMount: [loginRequired()] });
app.live("/admin", Admin, { onMount: [permissionRequired("admin")] });
app.live("/posts", Posts);
app.live("/legacy", Legacy);
app.live("/moved", Moved);
app.live("/items/:id", Item);

app.post("/login", async (request) => {
  const form = await request.formData();
  const user = String(form.get("user") ?? "");
  if (!users.has(user)) return new Response("unknown user", { status: 401 });
  const session = await app.session(request);
  await session.login(user);
  const next = safeNextUrl(String(form.get("next") ?? "/"), request);
  return Response.redirect(new URL(next, request.url), 303);
});

app.post("/logout", async (request) => {
  await (await app.session(request)).logout();
  return new Response("signed out");
});

/** Who the session belongs to, and its `note`. */
app.get("/whoami", async (request) => {
  const session = await app.session(request);
  return Response.json({ user: session.userId ?? null, note: (await session.get("note")) ?? null });
});

/** Stores `note` (and `kb` KiB of padding) in the session: a session with data. */
app.get("/remember", async (request) => {
  const url = new URL(request.url);
  const session = await app.session(request);
  await session.set("note", url.searchParams.get("note") ?? "");
  const kb = Number(url.searchParams.get("kb") ?? 0);
  if (kb) await session.set("padding", "p".repeat(kb * 1024));
  return Response.json({ ok: true });
});

// CSRF: state-changing plain handlers.
app.post("/transfer", () => {
  stats.transfers++;
  return new Response("transferred");
});
app.route("DELETE", "/transfer", () => {
  stats.transfers++;
  return new Response("deleted");
});
app.post("/webhook", () => {
  stats.webhooks++;
  return new Response("hooked");
}, { csrf: false });

// Test backdoors.
const backdoor = { csrf: false };

/** Memory (after GC with `?gc=1`), connections and counters. */
app.get("/__stats", (request) => {
  if (new URL(request.url).searchParams.has("gc")) {
    const gc = (globalThis as { gc?: () => void }).gc;
    gc?.();
    gc?.();
  }
  return Response.json({
    pid: Deno.pid,
    memory: Deno.memoryUsage(),
    connections: app.connectionCount,
    ...stats,
  });
});

app.get("/__logs", () => Response.json(logLines));

/** `?user=bob&revoke=admin` or `&grant=admin`. */
app.post("/__users", (request) => {
  const url = new URL(request.url);
  const user = users.get(url.searchParams.get("user") ?? "");
  if (!user) return new Response("no such user", { status: 404 });
  const revoke = url.searchParams.get("revoke");
  const grant = url.searchParams.get("grant");
  if (revoke) user.permissions = user.permissions.filter((p) => p !== revoke);
  if (grant && !user.permissions.includes(grant)) user.permissions.push(grant);
  return Response.json(user);
}, backdoor);

/** Broadcasts `kb` KiB on "firehose" every `every` ms for `ms` ms, then "END". */
app.post("/__firehose", (request) => {
  const url = new URL(request.url);
  const kb = Number(url.searchParams.get("kb") ?? 64);
  const every = Number(url.searchParams.get("every") ?? 5);
  const until = Date.now() + Number(url.searchParams.get("ms") ?? 3000);
  let n = 0;
  const timer = setInterval(() => {
    if (Date.now() > until) {
      clearInterval(timer);
      void app.pubsub.broadcast("firehose", "END");
      return;
    }
    void app.pubsub.broadcast("firehose", `${++n}:` + "y".repeat(kb * 1024));
  }, every);
  return new Response("started");
}, backdoor);

Deno.serve({ hostname: "127.0.0.1", port, onListen: () => {} }, app.fetch);

// Exit with the test process: it holds our stdin open.
(async () => {
  for await (const _ of Deno.stdin.readable) {
    // nothing is ever written
  }
  Deno.exit(0);
})();
