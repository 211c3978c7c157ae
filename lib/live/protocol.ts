/**
 * The wire protocol between the djust server and the browser client, defined once and imported by
 * the server, the browser client and the test toolkit. Every frame is a JSON object with a `type`;
 * docs/protocol.md describes each message, op and error code (a test checks that it names them all).
 *
 * Nothing else in djust spells a wire name: the socket path, anchor attributes, comment markers,
 * the model event and the parameter prefix all come from here.
 * @module
 */

/** Protocol version; the client sends it on join and the server refuses other versions. */
export const PROTOCOL_VERSION = 1;

/** Path of the WebSocket endpoint. */
export const SOCKET_PATH = "/_djust/ws";

/** Path prefix of the client script and its chunks (content-hashed file names). */
export const ASSET_PREFIX = "/_djust/";

/** Default largest frame the server accepts (1 MiB). */
export const DEFAULT_MAX_FRAME = 1024 * 1024;

// #region Names in the HTML the server writes

/** Attribute that anchors an element (holds dynamic attributes or content): `<td dj="7">`. */
export const ANCHOR_ATTR = "dj";
/** Comment text that opens a marker range: `<!--dj:ID-->`. */
export const MARKER_OPEN = "dj:";
/** Comment text that closes a marker range: `<!--/dj:ID-->`. */
export const MARKER_CLOSE = "/dj:";
/** Attribute of the element that holds a live view. */
export const ROOT_ATTR = "dj-root";
/** Attribute of the root carrying the signed join token. */
export const TOKEN_ATTR = "data-dj-token";
/** `name` of the `<meta>` carrying the CSRF token. */
export const CSRF_META = "dj-csrf";
/** Attribute of the element flash messages are shown in. */
export const FLASH_ATTR = "dj-flash";

// #endregion

// #region Names in templates the client reads

/** Prefix of attributes sent as event parameters: `dj-value-id="7"` → `{ id: "7" }`. */
export const VALUE_PREFIX = "dj-value-";
/** Attribute keying loop items: `<li dj-key="{{ item.id }}">`. */
export const LOOP_KEY_ATTR = "dj-key";
/** `dj-target="{{ myself }}"`: the element's events go to that live component, not the view. */
export const TARGET_ATTR = "dj-target";
/** `dj-update="ignore"`: the element's children belong to client code after the first render. */
export const UPDATE_ATTR = "dj-update";
/** The event name under which `dj-model` bindings reach the server. */
export const MODEL_EVENT = "dj:model";

// #endregion

// #region Messages

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
  | { op: "move"; id: string; list: string; before: string | null }
  /**
   * Apply a stream's changes to the children of `dj-update="stream"` element `id`: `reset` removes
   * them all first; then each change in order (a DOM id removes that child; `[domId, at, html]`
   * replaces the child with that id where it is, or inserts at index `at`, -1 the end); then
   * `limit` keeps the last (negative) or first (positive) that many.
   */
  | { op: "stream"; id: string; changes: StreamChangeWire[]; reset?: boolean; limit?: number };

/** One change of a `stream` op: a DOM id to remove, or `[domId, at, html]` to insert. */
export type StreamChangeWire = string | [string, number, string];

/** Every op name, for validation and documentation checks. */
export const PATCH_OPS = [
  "text",
  "html",
  "attrs",
  "replace",
  "insert",
  "remove",
  "move",
  "stream",
] as const satisfies readonly PatchOp["op"][];

/** Asks to attach to the view the page was rendered for. */
export interface JoinMessage {
  type: "join";
  /** The signed join token of the page (`data-dj-token`). */
  token: string;
  /** The page's URL. */
  url: string;
  /** The page's CSRF token. */
  csrf: string;
  /** Protocol version. */
  v: number;
  /**
   * True when this page joined before (a reconnect): the server then always sends the view's
   * current HTML, since the page may show anything from before the drop.
   */
  rejoin?: boolean;
}

/** Calls an `@eventHandler()` (or `dj:model`). */
export interface EventMessage {
  type: "event";
  ref: number;
  name: string;
  params: Record<string, unknown>;
  /** The live component the event is for (`dj-target="{{ myself }}"`); absent: the view. */
  target?: string;
}

/** A file the user chose for an upload, as the browser describes it (before any byte is sent). */
export interface UploadFileInfo {
  /** The file's name (its last path segment). */
  name: string;
  /** The MIME type the browser gives it ("" when unknown). */
  type: string;
  /** Its size in bytes. */
  size: number;
}

/** The user chose (or dropped) files for the upload `name`; answered with `upload_entries`. */
export interface UploadMessage {
  type: "upload";
  ref: number;
  /** The upload's name (`allowUpload(name)`, `dj-upload="name"`). */
  name: string;
  files: UploadFileInfo[];
}

/** The client is ready to send the valid entries of `name`; answered with `upload_started`. */
export interface UploadStartMessage {
  type: "upload_start";
  ref: number;
  name: string;
}

/**
 * External uploads only: how far the browser's upload of `entry` to storage got (100: done), or
 * that it failed.
 */
export interface UploadProgressMessage {
  type: "upload_progress";
  /** The entry's ref (server-issued). */
  entry: string;
  /** 0–100. */
  progress: number;
  failed?: boolean;
}

/** Messages the client sends (binary frames, upload chunks, are described in uploads/frames.ts). */
export type ClientMessage =
  | JoinMessage
  | EventMessage
  /** The client could not apply a patch; it asks for a full render. */
  | { type: "resync"; reason: string }
  /** The browser's URL changed (dj-patch/dj-navigate link, back/forward). */
  | { type: "navigate"; ref: number; url: string }
  | { type: "ping" }
  | UploadMessage
  | UploadStartMessage
  | UploadProgressMessage;

/** Every client message type. */
export const CLIENT_MESSAGES = [
  "join",
  "event",
  "resync",
  "navigate",
  "ping",
  "upload",
  "upload_start",
  "upload_progress",
] as const satisfies readonly ClientMessage["type"][];

/** Where the browser sends an entry of an external upload (from the upload's `external`). */
export interface ExternalTarget {
  /** The URL to send the file to (a presigned URL). */
  url: string;
  /** Form fields: the file is POSTed as `multipart/form-data` after them (`file` field). */
  fields?: Record<string, string>;
  /** Headers of a PUT of the file's bytes (used when there are no `fields`). */
  headers?: Record<string, string>;
}

/** The server's answer to `upload`: each chosen file's entry ref, and how to send them. */
export interface UploadEntriesMessage {
  type: "upload_entries";
  ref: number;
  name: string;
  /** Per chosen file, in order: its entry ref, or null when it was refused (nothing to send). */
  entries: (string | null)[];
  /** Largest chunk the server accepts for these entries, in bytes. */
  chunkSize: number;
  /** Chunks of one entry that may be sent before the first of them is acknowledged. */
  window: number;
  /** True: start at once (`autoUpload`); false: when the form is submitted. */
  auto: boolean;
}

/** The server's answer to `upload_start`: the entries to send now. */
export interface UploadStartedMessage {
  type: "upload_started";
  ref: number;
  name: string;
  /** Each entry to send; `external` says where, for uploads that go straight to storage. */
  entries: { entry: string; external?: ExternalTarget }[];
}

/** How the view changes the URL: same view (`patch`), another view (`navigate`), a page load. */
export type NavKind = "patch" | "navigate" | "redirect";

/** Messages the server sends. */
export type ServerMessage =
  /** Join accepted; `html` is the current render of the view root unless the page shows it. */
  | { type: "joined"; html?: string }
  /** DOM changes; `ref` echoes the event that caused them (absent for server pushes). */
  | { type: "patch"; ref?: number; ops: PatchOp[] }
  /** Replace the root's content: after a resync, or after a failing handler reset the view. */
  | { type: "render"; ref?: number; html: string }
  /**
   * An event, join or navigation failed; `code` is stable, `reason` human-readable. `stack` and
   * `where` (the template position) are sent in development only.
   */
  | {
    type: "error";
    ref?: number;
    code: ErrorCode;
    reason: string;
    /** Names the server's log line about this error (app errors), for support. */
    incident?: string;
    stack?: string;
    where?: string;
  }
  /** Server-to-hook push. */
  | { type: "push"; event: string; payload: unknown }
  /** The view changed the URL: `patch` (same view), `navigate` (a `navigated` follows), `redirect`. */
  | { type: "nav"; kind: NavKind; url: string; replace: boolean }
  /** Another view now runs on this socket; `token` rejoins it after a reconnect. */
  | { type: "navigated"; ref?: number; html: string; token: string; title: string }
  /** The page title changed (`this.pageTitle`). */
  | { type: "title"; title: string }
  /** A flash message to show (`this.putFlash`); an empty message clears that kind. */
  | { type: "flash"; kind: string; message: string }
  /**
   * Development only: an error to show over the page (a template that no longer compiles, with its
   * name, line and caret); an empty text removes the overlay.
   */
  | { type: "overlay"; text: string }
  | { type: "pong" }
  | UploadEntriesMessage
  | UploadStartedMessage
  /** `received` bytes of `entry` are written: one chunk of its window is free again. */
  | { type: "upload_ack"; entry: string; received: number }
  /** Stop sending `entry`: the view cancelled or consumed it, or (with `code`) it broke a limit. */
  | { type: "upload_stop"; entry: string; code?: ErrorCode };

/** Every server message type. */
export const SERVER_MESSAGES = [
  "joined",
  "patch",
  "render",
  "error",
  "push",
  "nav",
  "navigated",
  "title",
  "flash",
  "overlay",
  "pong",
  "upload_entries",
  "upload_started",
  "upload_ack",
  "upload_stop",
] as const satisfies readonly ServerMessage["type"][];

// #endregion

// #region Errors

/**
 * Every stable error code. The prefix says who caused it: `app.` (the view's code), `client.` (a
 * bad message), `auth.` (token/origin/CSRF), `server.` (djust itself).
 */
export const ERROR_CODES = [
  "client.malformed",
  "client.too_large",
  "client.unknown_handler",
  "client.rate_limited",
  "client.not_joined",
  "client.not_bindable",
  "client.unknown_target",
  "client.upload_unknown",
  "client.upload_chunk",
  "client.upload_too_large",
  "auth.bad_token",
  "auth.expired",
  "auth.bad_origin",
  "auth.bad_csrf",
  "auth.version",
  "auth.forbidden",
  "app.handler_error",
  "app.render_error",
  "app.mount_error",
  "server.internal",
] as const;

/** A stable error code (see {@link ERROR_CODES}). */
export type ErrorCode = typeof ERROR_CODES[number];

// #endregion

// The lists above name every member of their unions: a new message or op that is not listed (and so
// not checked against docs/protocol.md) fails type checking here.
type Unlisted<T, L extends readonly unknown[]> = Exclude<T, L[number]>;
const _complete: [
  Unlisted<PatchOp["op"], typeof PATCH_OPS>,
  Unlisted<ClientMessage["type"], typeof CLIENT_MESSAGES>,
  Unlisted<ServerMessage["type"], typeof SERVER_MESSAGES>,
] extends [never, never, never] ? true : never = true;
void _complete;
