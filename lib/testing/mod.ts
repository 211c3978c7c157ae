/**
 * Test a LiveView in-process: no browser, no network. `liveTest` renders the page over HTTP
 * (`app.fetch`), joins over an in-memory transport, and applies every patch to a linkedom DOM with
 * the browser client's own patcher, so what a test sees is what a user would see.
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
import { Patcher } from "../../client/patch.ts";
import type { PatchOp, ServerMessage } from "../live/protocol.ts";
import { PROTOCOL_VERSION } from "../live/protocol.ts";
import { readPublicState } from "../live/view.ts";
import type { App } from "../server/app.ts";
import type { LiveSession } from "../server/session.ts";

const ORIGIN = "http://djust.test";

/** Options of {@link liveTest} and {@link renderView}. */
export interface LiveTestOptions {
  /** Extra request headers (e.g. cookies, accept-language). */
  headers?: Record<string, string>;
  /** Session data the view sees as `this.session` (a fresh session is created for it). */
  session?: Record<string, unknown>;
}

/** Request headers for `options`, creating the session when one is given. */
function requestHeaders(app: App, options: LiveTestOptions): Headers {
  const headers = new Headers(options.headers);
  if (options.session) {
    const sid = "test-" + crypto.randomUUID();
    app.sessions.set(sid, { ...options.session });
    const cookie = headers.get("cookie");
    headers.set("cookie", (cookie ? cookie + "; " : "") + `djust_sid=${sid}`);
  }
  return headers;
}

/** An error the server answered with (unknown handler, handler exception...). */
export class LiveTestError extends Error {
  override name = "LiveTestError";
  /** The server's stable error code, e.g. "client.unknown_handler". */
  readonly code: string;
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
    new Request(ORIGIN + path, { headers: requestHeaders(app, options) }),
  );
  const page = await response.text();
  const { document } = parseHTML(page);
  const root = document.querySelector("[dj-root]");
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
  const headers = requestHeaders(app, options);
  const response = await app.fetch(new Request(ORIGIN + path, { headers }));
  if (response.status !== 200) {
    throw new LiveTestError(
      "http",
      `GET ${path} answered ${response.status}: ${await response.text()}`,
    );
  }
  const page = await response.text();
  const { document } = parseHTML(page);
  const root = document.querySelector("[dj-root]") as unknown as Element | null;
  if (!root) throw new LiveTestError("http", `GET ${path} is not a live view (no [dj-root])`);
  const cookie = [
    headers.get("cookie"),
    ...(response.headers.getSetCookie().map((c) => c.split(";")[0])),
  ]
    .filter(Boolean).join("; ");
  const view = new LiveViewTest(app, root, path, cookie);
  await view.join(
    root.getAttribute("data-dj-token") ?? "",
    document.querySelector('meta[name="dj-csrf"]')?.getAttribute("content") ?? "",
  );
  return view;
}

/** A joined view under test. */
export class LiveViewTest {
  #app: App;
  #root: Element;
  #patcher: Patcher;
  #session: LiveSession;
  #inbox: string[] = [];
  #ref = 0;
  #last: PatchRecord | null = null;
  #path: string;
  #pushes: { event: string; payload: unknown }[] = [];
  #url: string;
  #title = "";
  #flash: Record<string, string> = {};

  /** @internal Use {@link liveTest}. */
  constructor(app: App, root: Element, path: string, cookie: string) {
    this.#app = app;
    this.#root = root;
    this.#path = path;
    this.#patcher = new Patcher(root);
    this.#url = ORIGIN + path;
    this.#title = root.ownerDocument.title ?? "";
    const transport = {
      send: (text: string) => void this.#inbox.push(text),
      close() {},
      bufferedAmount: 0,
    };
    this.#session = app.connect(
      transport,
      new Request(`${ORIGIN}/_djust/ws`, { headers: { cookie, origin: ORIGIN } }),
    );
  }

  /** @internal */
  async join(token: string, csrf: string): Promise<void> {
    await this.#session.receive(
      JSON.stringify({ type: "join", token, url: ORIGIN + this.#path, csrf, v: PROTOCOL_VERSION }),
    );
    this.#drain();
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
    await this.#push(el.getAttribute("dj-click")!, valueParams(el));
  }

  /** Types `value` into an input: fires its `dj-input`, or else its (or its form's) `dj-change`. */
  async input(selector: string, value: string): Promise<void> {
    const el = this.element(selector);
    el.setAttribute("value", value);
    const onInput = el.getAttribute("dj-input");
    if (onInput) return await this.#push(onInput, { ...valueParams(el), value });
    const change = el.closest("[dj-change]");
    if (!change || !this.#root.contains(change)) {
      throw new LiveTestError(
        "test.no_binding",
        `${selector} has no dj-input or dj-change binding`,
      );
    }
    const params = change.tagName === "FORM"
      ? { ...formValues(change), _target: el.getAttribute("name") ?? "" }
      : { value };
    await this.#push(change.getAttribute("dj-change")!, { ...valueParams(change), ...params });
  }

  /** Submits a form with `dj-submit`: its current fields, overridden by `values`. */
  async submit(selector: string, values: Record<string, unknown> = {}): Promise<void> {
    const form = this.element(selector);
    const name = form.getAttribute("dj-submit");
    if (!name) throw new LiveTestError("test.no_binding", `${selector} has no dj-submit binding`);
    await this.#push(name, { ...valueParams(form), ...formValues(form), ...values });
  }

  /** Presses `key` on the element: fires `dj-keydown` or `dj-keydown.<key>`. */
  keydown(selector: string, key: string): Promise<void> {
    return this.#key("keydown", selector, key);
  }

  /** Releases `key` on the element: fires `dj-keyup` or `dj-keyup.<key>`. */
  keyup(selector: string, key: string): Promise<void> {
    return this.#key("keyup", selector, key);
  }

  /** Sends a raw event, as a hook's `pushEvent` would. */
  event(name: string, params: Record<string, unknown> = {}): Promise<void> {
    return this.#push(name, params);
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
    const mounted = this.#session.mounted;
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
    this.#app.disconnect(this.#session);
    return Promise.resolve();
  }

  async #key(type: "keydown" | "keyup", selector: string, key: string): Promise<void> {
    const el = this.element(selector);
    const wanted = key.toLowerCase();
    const bindings = [...el.attributes].filter((a) =>
      a.name === `dj-${type}` ||
      (a.name.startsWith(`dj-${type}.`) && a.name.slice(type.length + 4) === wanted)
    );
    if (!bindings.length) {
      throw new LiveTestError(
        "test.no_binding",
        `${selector} has no dj-${type} binding for ${key}`,
      );
    }
    const params: Record<string, unknown> = { ...valueParams(el), key };
    if (el.hasAttribute("value") || el.tagName === "INPUT") {
      params.value = el.getAttribute("value") ?? "";
    }
    for (const b of bindings) await this.#push(b.value, params);
  }

  #binding(el: Element, attr: string, selector: string): Element {
    const bound = el.closest(`[${attr}]`);
    if (!bound || !this.#root.contains(bound)) {
      throw new LiveTestError("test.no_binding", `${selector} has no ${attr} binding`);
    }
    return bound;
  }

  async #push(name: string, params: Record<string, unknown>): Promise<void> {
    const ref = ++this.#ref;
    await this.#session.receive(JSON.stringify({ type: "event", ref, name, params }));
    await this.#session.idle(); // navigation the handler started (pushPatch, pushNavigate)
    this.#drain(ref);
  }

  /** Follows a `dj-patch` or `dj-navigate` link (or any URL), as the browser client would. */
  async navigate(url: string): Promise<void> {
    const ref = ++this.#ref;
    this.#url = new URL(url, this.#url).href;
    await this.#session.receive(JSON.stringify({ type: "navigate", ref, url: this.#url }));
    await this.#session.idle();
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

  /** Flash messages shown now, by kind. */
  flash(): Record<string, string> {
    return { ...this.#flash };
  }

  #drain(ref?: number): void {
    const inbox = this.#inbox.splice(0);
    let failure: LiveTestError | null = null;
    for (const text of inbox) {
      const message = JSON.parse(text) as ServerMessage;
      switch (message.type) {
        case "joined":
          if (message.html !== undefined) this.#patcher.replaceAll(message.html);
          break;
        case "patch":
          this.#patcher.apply(message.ops);
          this.#last = { ops: message.ops, bytes: new TextEncoder().encode(text).length };
          break;
        case "render":
          this.#patcher.replaceAll(message.html);
          break;
        case "push":
          this.#pushes.push({ event: message.event, payload: message.payload });
          break;
        case "nav":
          this.#url = new URL(message.url, this.#url).href;
          break;
        case "navigated":
          this.#patcher.replaceAll(message.html);
          this.#title = message.title;
          break;
        case "title":
          this.#title = message.title;
          break;
        case "flash":
          if (message.message) this.#flash[message.kind] = message.message;
          else delete this.#flash[message.kind];
          break;
        case "error":
          if (ref === undefined || message.ref === ref || message.ref === undefined) {
            failure ??= new LiveTestError(message.code, message.reason);
          }
          break;
      }
    }
    if (failure) throw failure;
  }
}

function valueParams(el: Element): Record<string, unknown> {
  const params: Record<string, unknown> = {};
  for (const attr of el.attributes) {
    if (attr.name.startsWith("dj-value-")) params[attr.name.slice(9)] = attr.value;
  }
  return params;
}

/**
 * The fields of a form as the browser client would send them, read from attributes (the test DOM
 * has no user-typed state apart from what `input()` wrote).
 */
function formValues(form: Element): Record<string, unknown> {
  const params: Record<string, unknown> = {};
  const controls = [...form.querySelectorAll("input, select, textarea")];
  const counts: Record<string, number> = {};
  for (const el of controls) {
    const name = el.getAttribute("name");
    if (name && el.getAttribute("type") !== "radio") counts[name] = (counts[name] ?? 0) + 1;
  }
  for (const el of controls) {
    const name = el.getAttribute("name");
    const type = el.getAttribute("type") ?? "";
    if (!name || el.hasAttribute("disabled") || ["submit", "button", "file"].includes(type)) {
      continue;
    }
    let value: unknown;
    if (type === "radio") {
      if (el.hasAttribute("checked")) params[name] = el.getAttribute("value") ?? "on";
      else if (!(name in params)) params[name] = null;
      continue;
    } else if (type === "checkbox") {
      const checked = el.hasAttribute("checked");
      value = el.hasAttribute("value") ? (checked ? el.getAttribute("value") : null) : checked;
    } else if (el.tagName === "SELECT") {
      const selected = [...el.querySelectorAll("option")].filter((o) => o.hasAttribute("selected"));
      const values = selected.map((o) => o.getAttribute("value") ?? o.textContent ?? "");
      if (el.hasAttribute("multiple")) value = values;
      else value = values[0] ?? el.querySelector("option")?.getAttribute("value") ?? "";
    } else if (el.tagName === "TEXTAREA") value = el.textContent ?? "";
    else value = el.getAttribute("value") ?? "";
    const multi = counts[name] > 1 || (el.tagName === "SELECT" && el.hasAttribute("multiple"));
    if (!multi) params[name] = value;
    else if (Array.isArray(value)) params[name] = value;
    else if (value !== null && value !== false) ((params[name] ??= []) as unknown[]).push(value);
    else params[name] ??= [];
  }
  return params;
}
