/**
 * The App's options, with their defaults in one place.
 * @module
 */
import type { PubSubAdapter } from "../pubsub/adapter.ts";
import type { SessionStore } from "../session/session.ts";
import type { Engine } from "../template/engine.ts";
import type { AuthOptions, OnMountHook } from "./auth.ts";
import type { ConnectionLimits } from "./connection.ts";
import { DEFAULT_MESSAGE_RATES } from "./rate_limit.ts";

/** Options for {@link App}. */
export interface AppOptions {
  /** Directories holding templates (`templateName`, layouts, includes, `404.html`…). */
  templateDirs?: string[];
  /** In-memory templates by name. */
  templates?: Record<string, string>;
  /** Secret for signing tokens and session ids. Without one, development mode generates one. */
  secret?: string;
  /** Development mode (error details reach the browser). Default: true when no secret is given. */
  dev?: boolean;
  /**
   * Streams keep a copy of what they sent, so a view's from-scratch render (the toolkit's
   * consistency checks) shows them as the browser does. For tests: it costs the memory streams
   * otherwise save. Default false.
   */
  verifyStreams?: boolean;
  /** Origins allowed to open the WebSocket besides the page's own host. */
  allowedOrigins?: string[];
  /** Events one connection may send per second, with bursts of as many (default 60). */
  maxEventsPerSecond?: number;
  /**
   * Other messages one connection may send per second, by kind (defaults: navigate 20, join 4,
   * resync 2, ping 2, upload 10, upload_start 10, upload_progress 60). Past the rate a message is
   * dropped (an event is refused with `client.rate_limited`); a connection that keeps flooding is
   * closed. Upload chunks count against `uploads.bytesPerSecond` instead.
   */
  messageRates?: Partial<
    Record<
      "navigate" | "join" | "resync" | "ping" | "upload" | "upload_start" | "upload_progress",
      number
    >
  >;
  /** Where uploads are written and how fast and how much (see docs/uploads.md). */
  uploads?: UploadSettings;
  /**
   * Largest accepted WebSocket frame in bytes (default 1 MiB); a larger one closes the socket.
   * Deno reads a whole frame before djust sees it: put a proxy in front that limits message size
   * (see docs/security.md).
   */
  maxFrameBytes?: number;
  /** Pub/sub transport: `new MemoryPubSub()` (default, one process) or `new RedisPubSub({ url })`. */
  pubsub?: PubSubAdapter;
  /** Presence heartbeat in milliseconds (default 1000); a silent node is dropped after 3. */
  presenceHeartbeatMs?: number;
  /** Bytes queued on a socket past which pushes are held and coalesced (default 256 KiB). */
  softBufferBytes?: number;
  /** Bytes queued on a socket past which the client is disconnected at once (default 4 MiB). */
  hardBufferBytes?: number;
  /** How long a client may stay past `softBufferBytes` before it is disconnected (default 15 s). */
  slowClientTimeoutMs?: number;
  /** How long a WebSocket may stay open without joining a view (default 10 s). */
  joinTimeoutMs?: number;
  /**
   * Seconds without an answer to the server's WebSocket ping after which a connection counts as lost
   * (default 10): a vanished client leaves presence within about this long.
   */
  idleTimeoutSeconds?: number;
  /** Lifetime of join tokens in milliseconds (default 12 hours). */
  tokenTtlMs?: number;
  /**
   * Name of a layout template rendering `{{ title }}`, `{{ head }}`, `{{ body }}` and flash messages
   * (`{% for kind, text in flash.items %}` inside an element with `dj-flash`). It may itself
   * `{% extends %}` other templates. A view can set its own with `static layout`.
   */
  layout?: string;
  /**
   * Development (`dev`): watch `templateDirs` and re-render open views in place when a template
   * changes, keeping their state (default true in development; never in production).
   */
  watchTemplates?: boolean;
  /** A template engine to use instead of a new one. */
  engine?: Engine;
  /**
   * Static files: URL prefix → directory (`{ "/static": "./static" }`), served with content types,
   * ETags, ranges and compression, and named by `{% static "css/app.css" %}` with a content hash in
   * the file name (cached for good). In development they are watched and re-hashed on change.
   * See docs/static.md.
   */
  staticDirs?: Record<string, string>;
  /** Where sessions live (default: `new MemorySessionStore()`; `RedisSessionStore` for several processes). */
  sessionStore?: SessionStore;
  /** Who the session's user is and what they may do (see docs/security.md). */
  auth?: AuthOptions;
  /** Hooks run before `mount` for every live route, on every path that mounts a view. */
  onMount?: OnMountHook[];
  /**
   * Behind a TLS-terminating proxy: trust `X-Forwarded-Proto` to decide that the visitor uses
   * https (the session cookie is then `Secure`). Only with a proxy that sets the header itself.
   */
  trustProxy?: boolean;
  /**
   * The monotonic clock (milliseconds) rate limits and deadlines read; tests inject one to refill
   * budgets without waiting. Default: `performance.now`.
   */
  clock?: () => number;
  /**
   * How long a view whose socket dropped waits for its browser to come back (default 30 000 ms):
   * a rejoin within it takes over the same instance (no mount; timers and subscriptions kept).
   */
  reconnectGraceMs?: number;
  /**
   * Request headers a live connection keeps, beyond the visitor headers (cookie, accept-language,
   * user-agent, origin, referer, host and the proxy forwarding headers), for the `Request` a view
   * mounted over its socket sees in `mount` (a join that mounts afresh, a navigation, a reset): say
   * `["cf-connecting-ip"]` behind a proxy that names the client so. Each costs memory per
   * connection for as long as it is open.
   */
  socketHeaders?: readonly string[];
  /**
   * How long the view mounted for a page load waits for the page's join (default 10 000 ms): the
   * join takes it over instead of mounting again, so a page is mounted once.
   */
  joinWindowMs?: number;
  /**
   * Bounds of the views waiting for a connection (page loads not joined yet, dropped sockets in
   * their grace period), in this process: default 2000 views, 16 per session, 256 MiB (estimated).
   * Past a bound the oldest waiting view ends (its saved state can still bring it back).
   */
  parkedViews?: { maxViews?: number; maxPerSession?: number; maxBytes?: number };
  /**
   * A view's public state is saved (sealed with the secret, in the session store) at most this
   * often while it changes (default 250 ms; 0 turns saving off). It brings the view back after the
   * grace period, a restart, a deploy, or on another process. A view opts out with
   * `static persist = false`.
   */
  persistIntervalMs?: number;
  /** Largest saved state of one view, as JSON (default 256 KiB); larger states are not saved. */
  maxPersistBytes?: number;
  /** Where log lines go (default: console). */
  logger?: (level: "info" | "warn" | "error", message: string, error?: unknown) => void;
}

/** The App-wide settings of uploads (each upload's own limits are `allowUpload` options). */
export interface UploadSettings {
  /** Directory of the temporary files (default: the system's temporary directory). */
  dir?: string;
  /**
   * Bytes all uploads in flight or waiting to be consumed may take on disk, counted as they
   * arrive (default 2 GiB); the chunk that would pass it fails its entry.
   */
  maxDiskBytes?: number;
  /**
   * Chunks of one entry a client may send before the first is acknowledged (default 8). The
   * server holds at most this many chunks per entry in flight; more are refused.
   */
  window?: number;
  /**
   * Upload bytes per second one connection may send (default 256 MiB/s): past it, the server
   * acknowledges chunks later, which slows the client down (nothing is refused).
   */
  bytesPerSecond?: number;
}

/** The connection limits `options` ask for, defaults filled in. */
export function connectionLimits(options: AppOptions): ConnectionLimits {
  return {
    maxFrameBytes: options.maxFrameBytes ?? 1024 * 1024,
    rates: {
      ...DEFAULT_MESSAGE_RATES,
      ...options.messageRates,
      event: options.maxEventsPerSecond ?? DEFAULT_MESSAGE_RATES.event,
    },
    softBufferBytes: options.softBufferBytes ?? 256 * 1024,
    hardBufferBytes: options.hardBufferBytes ?? 4 * 1024 * 1024,
    slowClientTimeoutMs: options.slowClientTimeoutMs ?? 15_000,
    joinTimeoutMs: options.joinTimeoutMs ?? 10_000,
  };
}
