/**
 * The wire protocol between the djust server and the browser client, defined once and imported by
 * both. Every message is a JSON object with a `type`; see docs/protocol.md.
 * @module
 */

/** Protocol version; the client sends it on join and the server refuses other versions. */
export const PROTOCOL_VERSION = 1;

/** Default largest frame the server accepts (1 MiB). */
export const DEFAULT_MAX_FRAME = 1024 * 1024;

/** Attribute that anchors an element (holds dynamic attributes or content). */
export const ANCHOR_ATTR = "dj";
/** Comment text prefix that opens a marker range (`<!--dj:ID-->`); the closing one is `/dj:ID`. */
export const MARKER_PREFIX = "dj:";

/** One DOM change, addressed by anchor id. */
export type PatchOp =
  /** Replace the content of anchor `id` with text. */
  | { op: "text"; id: string; text: string }
  /** Replace the content of anchor `id` with HTML. */
  | { op: "html"; id: string; html: string }
  /** Set and remove attributes of element `id`. */
  | { op: "attrs"; id: string; set?: Record<string, string>; remove?: string[] }
  /** Replace element `id` itself with HTML. */
  | { op: "replace"; id: string; html: string }
  /** Insert a loop item (HTML) into list `id`, before item `before` (or at the end). */
  | { op: "insert"; id: string; html: string; before: string | null }
  /** Remove loop item `id`. */
  | { op: "remove"; id: string }
  /** Move loop item `id` of list `list` before item `before` (or to the end). */
  | { op: "move"; id: string; list: string; before: string | null };

/** Messages the client sends. */
export type ClientMessage =
  | { type: "join"; token: string; url: string; csrf: string; v: number; forms?: FormValues[] }
  | { type: "event"; ref: number; name: string; params: Record<string, unknown> }
  | { type: "resync"; reason: string }
  /** The browser's URL changed (dj-patch/dj-navigate link, back/forward): same view → params, else mount. */
  | { type: "navigate"; ref: number; url: string }
  | { type: "ping" };

/** The values of one form, for recovery after reconnect. */
export interface FormValues {
  id: string;
  values: Record<string, unknown>;
}

/** Messages the server sends. */
export type ServerMessage =
  /** Join accepted; `html` is the fresh render of the view root unless it equals the page's. */
  | { type: "joined"; html?: string }
  /** DOM changes; `ref` echoes the event that caused them (absent for server pushes). */
  | { type: "patch"; ref?: number; ops: PatchOp[] }
  /** Full re-render of the view root (after resync or when a patch would be larger). */
  | { type: "render"; ref?: number; html: string }
  /** An event or join failed; `code` is stable, `reason` human-readable. */
  | { type: "error"; ref?: number; code: ErrorCode; reason: string; stack?: string }
  /** Server-to-hook push. */
  | { type: "push"; event: string; payload: unknown }
  /** The view changed the URL: `patch` (same view), `navigate` (a `navigated` follows), `redirect`. */
  | { type: "nav"; kind: "patch" | "navigate" | "redirect"; url: string; replace: boolean }
  /** Another view now runs on this socket; `token` rejoins it after a reconnect. */
  | { type: "navigated"; ref?: number; html: string; token: string; title: string }
  /** The page title changed (`this.pageTitle`). */
  | { type: "title"; title: string }
  /** A flash message to show (`this.putFlash`); an empty message clears that kind. */
  | { type: "flash"; kind: string; message: string }
  | { type: "pong" };

/**
 * Stable error codes. The prefix says who caused it: `app.` (the view's code), `client.` (a bad
 * message), `auth.` (token/origin/CSRF), `server.` (djust itself).
 */
export type ErrorCode =
  | "client.malformed"
  | "client.too_large"
  | "client.unknown_handler"
  | "client.rate_limited"
  | "client.not_joined"
  | "auth.bad_token"
  | "auth.expired"
  | "auth.bad_origin"
  | "auth.bad_csrf"
  | "auth.version"
  | "app.handler_error"
  | "app.mount_error"
  | "server.internal";
