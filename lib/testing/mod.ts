/**
 * Test a LiveView in-process: no browser, no network. `liveTest` renders the page over HTTP
 * (`app.fetch`), joins over an in-memory transport, and applies every server message to a linkedom
 * DOM with the browser client's own code (its patcher, message handling and event parameters), so
 * what a test sees is what a user would see.
 *
 * @example
 * ```ts ignore
 * import { liveTest } from "@djust/djust/testing";
 * const view = await liveTest(app, "/counter");
 * await view.click("button.inc");
 * view.has("p.value"); // true
 * await view.close();
 * ```
 * @module
 */
import { parseHTML } from "linkedom";
import {
  changeParams,
  keyBindings,
  keyParams,
  submitParams,
  valueParams,
} from "../../client/params.ts";
import { showFlash } from "../../client/flash.ts";
import * as streamsClient from "../../client/streams.ts";
import { type ServerError, ViewClient } from "../../client/view_client.ts";
import {
  ANCHOR_ATTR,
  CSRF_META,
  FLASH_ATTR,
  MODEL_EVENT,
  type PatchOp,
  ROOT_ATTR,
  type ServerMessage,
  SOCKET_PATH,
  TARGET_ATTR,
} from "../live/protocol.ts";
import { readPublicState } from "../live/state.ts";
import { type App, closeConnection, openConnection, seedSession } from "../server/app.ts";
import type { Connection } from "../server/connection.ts";
import { type TestFile, type TestUploadOptions, UploadDriver } from "./uploads.ts";

export type { TestFile, TestUploadOptions };

const ORIGIN = "http://djust.test";

/** Options of {@link liveTest} and {@link renderView}. */
export interface LiveTestOptions {
  /** Extra request headers (e.g. cookies, accept-language). */
  headers?: Record<string, string>;
  /** Session data the view sees as `this.session` (a fresh session is created for it). */
  session?: Record<string, unknown>;
}

/** Request headers for `options`, creating the session when one is given. */
async function requestHeaders(app: App, options: LiveTestOptions): Promise<Headers> {
  const headers = new Headers(options.headers);
  if (options.session) {
    const session = await seedSession(app, options.session);
    const cookie = headers.get("cookie");
    headers.set("cookie", (cookie ? cookie + "; " : "") + session);
  }
  return headers;
}

/**
 * A session cookie (`djust_sid=…`) for a new session of `app` holding `data`, for requests to plain
 * handlers in tests (`app.fetch(new Request(url, { headers: { cookie } }))`).
 *
 * @example
 * ```ts ignore
 * const cookie = await sessionCookie(app, { userId: "7" });
 * const response = await app.fetch(new Request("http://test/account", { headers: { cookie } }));
 * ```
 */
export function sessionCookie(app: App, data: Record<string, unknown> = {}): Promise<string> {
  return seedSession(app, data);
}

/**
 * An error the server answered with (unknown handler, handler exception...), or a test step that
 * could not run (`test.no_element`, `test.no_binding`).
 *
 * @example
 * ```ts ignore
 * await assert.rejects(() => view.event("missing"), LiveTestError);
 * ```
 */
export class LiveTestError extends Error {
  /** Always "LiveTestError". */
  override name = "LiveTestError";
  /** The server's stable error code, e.g. "client.unknown_handler". */
  readonly code: string;
  /** An error with `code` and the server's (or the toolkit's) `reason`. */
  constructor(code: string, reason: string) {
    super(`${code}: ${reason}`);
    this.code = code;
  }
}

/** The last patch a test received. */
export interface PatchRecord {
  /** The ops, in order. */
  ops: PatchOp[];
  /** Size of the patch message as sent on the wire, in bytes. */
  bytes: number;
}

/** The result of a one-shot HTTP render. */
export interface RenderedPage {
  /** The HTTP status. */
  status: number;
  /** The whole page. */
  page: string;
  /** HTML of the view root (empty when the route is not a live view). */
  html: string;
  /** The parsed page (linkedom). */
  document: Document;
}

/**
 * Renders `path` once over HTTP (no socket), as a crawler or a JS-less browser would see it.
 *
 * @example
 * ```ts ignore
 * const { status, html } = await renderView(app, "/counter");
 * ```
 */
export async function renderView(
  app: App,
  path: string,
  options: LiveTestOptions = {},
): Promise<RenderedPage> {
  const response = await app.fetch(
    new Request(ORIGIN + path, { headers: await requestHeaders(app, options) }),
  );
  const page = await response.text();
  const { document } = parseHTML(page);
  const root = document.querySelector(`[${ROOT_ATTR}]`);
  return {
    status: response.status,
    page,
    html: root?.innerHTML ?? "",
    document: document as unknown as Document,
  };
}

/**
 * Mounts the live view at `path` and joins it, in-process.
 *
 * @example
 * ```ts ignore
 * const view = await liveTest(app, "/counter");
 * await view.click("button[dj-click=increment]");
 * ```
 */
export async function liveTest(
  app: App,
  path: string,
  options: LiveTestOptions = {},
): Promise<LiveViewTest> {
  const headers = await requestHeaders(app, options);
  const response = await app.fetch(new Request(ORIGIN + path, { headers }));
  if (response.status !== 200) {
    throw new LiveTestError(
      "http",
      `GET ${path} answered ${response.status}: ${await response.text()}`,
    );
  }
  const page = await response.text();
  const { document } = parseHTML(page);
  const root = document.querySelector(`[${ROOT_ATTR}]`) as unknown as Element | null;
  if (!root) throw new LiveTestError("http", `GET ${path} is not a live view (no [dj-root])`);
  const cookie = [
    headers.get("cookie"),
    ...(response.headers.getSetCookie().map((c) => c.split(";")[0])),
  ]
    .filter(Boolean).join("; ");
  const csrf = document.querySelector(`meta[name="${CSRF_META}"]`)?.getAttribute("content") ?? "";
  const view = createViewTest(app, root, path, cookie, csrf);
  await joinViewTest(view);
  return view;
}

/** Construction and join stay inside this module (see the static block of LiveViewTest). */
let createViewTest: (
  app: App,
  root: Element,
  path: string,
  cookie: string,
  csrf: string,
) => LiveViewTest;
let joinViewTest: (view: LiveViewTest) => Promise<void>;

/**
 * A joined view under test; see {@link liveTest}.
 *
 * @example
 * ```ts ignore
 * const view = await liveTest(app, "/counter");
 * await view.click("#inc");
 * view.text("#count"); // "1"
 * ```
 */
export class LiveViewTest {
  static {
    createViewTest = (app, root, path, cookie, csrf) =>
      new LiveViewTest(app, root, path, cookie, csrf);
    joinViewTest = (view) => view.#join();
  }

  #app: App;
  #root: Element;
  #client: ViewClient;
  #connection: Connection;
  #inbox: string[] = [];
  #ref = 0;
  #last: PatchRecord | null = null;
  #pushes: { event: string; payload: unknown }[] = [];
  #url: string;
  #csrf: string;
  #title = "";
  #flash: Record<string, string> = {};
  #errors: ServerError[] = [];
  #overlay = "";
  #cookie: string;
  #lastJoin: "reattached" | "restored" | "mounted" = "mounted";
  /**
   * Fields typed into, with the value the server last rendered for each (null: none). linkedom
   * keeps one value per field (the attribute), where a browser keeps the typed one apart; after a
   * `dj-submit` reply the browser shows the rendered values again, and so does this.
   */
  #typed = new WeakMap<Element, string | null>();
  #uploads: UploadDriver = new UploadDriver({
    send: (data) => this.#connection.receive(data),
    settle: async (ref) => {
      await this.#connection.idle();
      this.#drain(ref);
    },
    nextRef: () => ++this.#ref,
    error: (code, reason) => new LiveTestError(code, reason),
    has: (selector) => this.has(selector),
  });

  private constructor(app: App, root: Element, path: string, cookie: string, csrf: string) {
    this.#app = app;
    this.#root = root;
    this.#url = ORIGIN + path;
    this.#csrf = csrf;
    const doc = root.ownerDocument;
    this.#title = doc.title ?? "";
    this.#client = new ViewClient(root, {
      here: () => this.#url,
      resync: (reason) => void this.#connection.receive(JSON.stringify({ type: "resync", reason })),
      setTitle: (title) => this.#title = title,
      showFlash: (kind, message) => {
        if (message) this.#flash[kind] = message;
        else delete this.#flash[kind];
        const box = doc.querySelector(`[${FLASH_ATTR}]`);
        if (box) showFlash(box, kind, message);
      },
      changeUrl: (_kind, url) => this.#url = new URL(url, this.#url).href,
      load: (url) => this.#url = new URL(url, this.#url).href,
      pushed: (event, payload) => this.#pushes.push({ event, payload }),
      failed: (error) => this.#errors.push(error),
    });
    // The browser loads stream handling when a page has a stream; the toolkit always has it.
    this.#client.patcher.streams = streamsClient;
    this.#cookie = cookie;
    this.#connection = this.#open(app);
  }

  #open(app: App): Connection {
    const transport = {
      send: (text: string) => void this.#inbox.push(text),
      close() {},
      bufferedAmount: 0,
    };
    return openConnection(
      app,
      transport,
      new Request(ORIGIN + SOCKET_PATH, { headers: { cookie: this.#cookie, origin: ORIGIN } }),
      // A test's client is its developer: failures come with their message and template position.
      { detailedErrors: true },
    );
  }

  async #join(): Promise<void> {
    const before = { ...this.#app.metrics };
    await this.#connection.receive(JSON.stringify(this.#client.join(this.#url, this.#csrf)));
    const after = this.#app.metrics;
    this.#lastJoin = after.reattaches > before.reattaches
      ? "reattached"
      : after.restores > before.restores
      ? "restored"
      : "mounted";
    this.#drain();
  }

  /**
   * Drops the connection as a lost network would: the server parks the view for its grace period
   * (its timers go on) and keeps its saved state.
   */
  disconnect(): Promise<void> {
    closeConnection(this.#app, this.#connection, "dropped");
    return Promise.resolve();
  }

  /**
   * Joins again, as the browser client does after a drop: to the same App (the parked view comes
   * back) or to `options.app`, another App sharing the session store and secret (a restart or
   * another process: the saved state comes back). See {@link LiveViewTest.lastJoin}.
   */
  async reconnect(options: { app?: App } = {}): Promise<void> {
    if (options.app) this.#app = options.app;
    this.#connection = this.#open(this.#app);
    await this.#join();
  }

  /**
   * How the last join found its view: `"reattached"` (the same instance: the page's own mount,
   * or the parked view of a dropped connection), `"restored"` (mounted, with its saved state put
   * back) or `"mounted"` (mounted fresh).
   */
  lastJoin(): "reattached" | "restored" | "mounted" {
    return this.#lastJoin;
  }

  /** Current HTML of the view root. */
  html(): string {
    return this.#root.innerHTML;
  }

  /** True when `selector` matches an element in the view. */
  has(selector: string): boolean {
    return this.#root.querySelector(selector) !== null;
  }

  /** The element matching `selector`; throws when there is none. */
  element(selector: string): Element {
    const el = this.#root.querySelector(selector);
    if (!el) {
      throw new LiveTestError("test.no_element", `No element matches ${JSON.stringify(selector)}`);
    }
    return el;
  }

  /** Text content of the element matching `selector`. */
  text(selector: string): string {
    return this.element(selector).textContent ?? "";
  }

  /** Clicks: fires the `dj-click` the element (or its closest ancestor in the view) declares. */
  async click(selector: string): Promise<void> {
    const el = this.#binding(this.element(selector), "dj-click", selector);
    await this.#push(el.getAttribute("dj-click")!, valueParams(el), el);
  }

  /** Types `value` into an input: fires its `dj-input`, or else its (or its form's) `dj-change`. */
  async input(selector: string, value: string): Promise<void> {
    const el = this.element(selector);
    if (!this.#typed.has(el)) this.#typed.set(el, fieldValue(el));
    setFieldValue(el, value);
    const model = el.getAttribute("dj-model");
    if (model) return await this.#push(MODEL_EVENT, { field: model, value }, el);
    const onInput = el.getAttribute("dj-input");
    if (onInput) return await this.#push(onInput, { ...valueParams(el), value }, el);
    const change = el.closest("[dj-change]");
    if (!change || !this.#root.contains(change)) {
      throw new LiveTestError(
        "test.no_binding",
        `${selector} has no dj-input or dj-change binding`,
      );
    }
    await this.#push(change.getAttribute("dj-change")!, changeParams(change, el), change);
  }

  /** Submits a form with `dj-submit`: its current fields, overridden by `values`. */
  async submit(selector: string, values: Record<string, unknown> = {}): Promise<void> {
    const form = this.element(selector);
    const name = form.getAttribute("dj-submit");
    if (!name) throw new LiveTestError("test.no_binding", `${selector} has no dj-submit binding`);
    await this.#push(name, { ...submitParams(form), ...values }, form);
    // As the browser client does once the reply is in: the fields show what the server rendered.
    for (const field of form.querySelectorAll("input, textarea")) {
      if (!this.#typed.has(field)) continue;
      setFieldValue(field, this.#typed.get(field)!);
      this.#typed.delete(field);
    }
  }

  /** Presses `key` on the element: fires `dj-keydown` or `dj-keydown.<filter>` matching it. */
  keydown(selector: string, key: string): Promise<void> {
    return this.#key("keydown", selector, key);
  }

  /** Releases `key` on the element: fires `dj-keyup` or `dj-keyup.<filter>` matching it. */
  keyup(selector: string, key: string): Promise<void> {
    return this.#key("keyup", selector, key);
  }

  /**
   * Chooses files for upload `name`, as picking them in its file input (or dropping them) does:
   * the server checks type, size and count, and the view renders the entries. Returns each file's
   * entry ref (null for files past `maxEntries`).
   */
  chooseFiles(name: string, files: readonly TestFile[]): Promise<(string | null)[]> {
    return this.#uploads.choose(name, files);
  }

  /**
   * Chooses `files` for upload `name` and uploads the valid ones through the real server path
   * (binary chunks within the window, acknowledgements), as submitting the form does; external
   * uploads are sent to their storage URL. Then `submit` the form to consume them. Throws a
   * {@link LiveTestError} when the server stops an entry for breaking a limit.
   *
   * @example
   * ```ts ignore
   * await view.upload("avatar", [{ name: "me.png", type: "image/png", content: bytes }]);
   * await view.submit("form");
   * ```
   */
  upload(
    name: string,
    files: readonly TestFile[],
    options?: TestUploadOptions,
  ): Promise<(string | null)[]> {
    return this.#uploads.upload(name, files, options);
  }

  /**
   * Sends a raw event, as a hook's `pushEvent` would; to a live component with `target` (its
   * `myself`).
   */
  event(name: string, params: Record<string, unknown> = {}, target?: string): Promise<void> {
    return this.#push(name, params, null, target);
  }

  /** The last patch received: ops and bytes on the wire; null before any. */
  lastPatch(): PatchRecord | null {
    return this.#last;
  }

  /** Events the server pushed to client hooks (`this.pushEvent`), oldest first. */
  pushes(): readonly { event: string; payload: unknown }[] {
    return this.#pushes;
  }

  /** Reads the public state field `name` (signals unwrapped). */
  state(name: string): unknown {
    const mounted = this.#connection.mounted;
    if (!mounted) throw new LiveTestError("test.closed", "The view is not mounted");
    return readPublicState(mounted.view)[name];
  }

  /** Applies any server-initiated patches (timers, pub/sub) that arrived since the last call. */
  async settle(): Promise<void> {
    await new Promise((r) => setTimeout(r, 0));
    this.#drain();
  }

  /** Closes the connection and releases the view. */
  close(): Promise<void> {
    closeConnection(this.#app, this.#connection);
    return Promise.resolve();
  }

  /** Follows a `dj-patch` or `dj-navigate` link (or any URL), as the browser client would. */
  async navigate(url: string): Promise<void> {
    const ref = ++this.#ref;
    this.#url = new URL(url, this.#url).href;
    await this.#connection.receive(JSON.stringify({ type: "navigate", ref, url: this.#url }));
    await this.#connection.idle();
    this.#drain(ref);
  }

  /** Clicks a `dj-patch` / `dj-navigate` link. */
  async follow(selector: string): Promise<void> {
    const a = this.element(selector);
    if (!a.hasAttribute("dj-patch") && !a.hasAttribute("dj-navigate")) {
      throw new LiveTestError(
        "test.no_binding",
        `${selector} is not a dj-patch or dj-navigate link`,
      );
    }
    await this.navigate(a.getAttribute("href") ?? "");
  }

  /** The URL the page would show now (changed by pushPatch, pushNavigate and links). */
  url(): string {
    return this.#url;
  }

  /** The page title now. */
  title(): string {
    return this.#title;
  }

  /** The development overlay shown now (a template that does not compile), or "". */
  overlay(): string {
    return this.#overlay;
  }

  /** Flash messages shown now, by kind. */
  flash(): Record<string, string> {
    return { ...this.#flash };
  }

  async #key(type: "keydown" | "keyup", selector: string, key: string): Promise<void> {
    const el = this.element(selector);
    const names = keyBindings(el, type, key);
    if (!names.length) {
      throw new LiveTestError(
        "test.no_binding",
        `${selector} has no dj-${type} binding for ${key}`,
      );
    }
    const params = keyParams(el, key);
    for (const name of names) await this.#push(name, params, el);
  }

  #binding(el: Element, attr: string, selector: string): Element {
    const bound = el.closest(`[${attr}]`);
    if (!bound || !this.#root.contains(bound)) {
      throw new LiveTestError("test.no_binding", `${selector} has no ${attr} binding`);
    }
    return bound;
  }

  /** Sends event `name`, to the live component `source` names in dj-target, if any. */
  async #push(
    name: string,
    params: Record<string, unknown>,
    source: Element | null,
    target = source?.getAttribute(TARGET_ATTR) ?? undefined,
  ): Promise<void> {
    const ref = ++this.#ref;
    await this.#connection.receive(JSON.stringify({ type: "event", ref, name, params, target }));
    await this.#connection.idle(); // navigation the handler started (pushPatch, pushNavigate)
    this.#drain(ref);
  }

  /** Remembers the values the server rendered for typed-in fields (their `value` attributes). */
  #noteRenderedValues(ops: readonly PatchOp[]): void {
    for (const op of ops) {
      if (op.op !== "attrs" || !(op.set?.value !== undefined || op.remove?.includes("value"))) {
        continue;
      }
      const el = this.#root.querySelector(`[${ANCHOR_ATTR}="${op.id}"]`);
      if (el && this.#typed.has(el)) this.#typed.set(el, op.set?.value ?? null);
    }
  }

  /** Applies what the server sent; throws the first error that answers `ref` (or no event). */
  #drain(ref?: number): void {
    const inbox = this.#inbox.splice(0);
    this.#errors = [];
    for (const text of inbox) {
      const message = JSON.parse(text) as ServerMessage;
      this.#client.receive(message);
      // The browser shows it through the development entry (client/dev.ts).
      if (message.type === "overlay") this.#overlay = message.text;
      this.#uploads.observe(message);
      if (message.type === "patch") {
        this.#last = { ops: message.ops, bytes: new TextEncoder().encode(text).length };
        this.#noteRenderedValues(message.ops);
      }
    }
    const failure = this.#errors.find((e) =>
      ref === undefined || e.ref === ref || e.ref === undefined
    );
    if (failure) {
      throw new LiveTestError(
        failure.code,
        failure.where ? `${failure.reason} (at ${failure.where})` : failure.reason,
      );
    }
  }
}

/** A text field's value as linkedom holds it (null: an input without a value attribute). */
function fieldValue(el: Element): string | null {
  return el.tagName === "TEXTAREA" ? el.textContent : el.getAttribute("value");
}

function setFieldValue(el: Element, value: string | null): void {
  if (el.tagName === "TEXTAREA") el.textContent = value ?? "";
  else if (value === null) el.removeAttribute("value");
  else el.setAttribute("value", value);
}
