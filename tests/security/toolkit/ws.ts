/**
 * A WebSocket client that records every frame the server sends, waits for frames with deadlines,
 * and the assertions the suite makes on frames.
 * @module
 */
import assert from "node:assert/strict";
import { type FixtureServer, sleep, within } from "./process.ts";
import { getPage, type Page } from "./http.ts";
import type { TcpWsClient } from "./tcp.ts";

/** Markers the fixture puts in exception messages; production must never send them. */
export const SECRET_MARKERS = ["SECRET-DETAIL-123", "SECRET-MOUNT-456", "SECRET-TIMER-789"];

/** A frame the server sent, parsed from JSON (`{type: "[not json]"}` when it is not JSON). */
export interface ServerFrame {
  type: string;
  ref?: number;
  code?: string;
  reason?: string;
  incident?: string;
  stack?: string;
  kind?: string;
  url?: string;
  html?: string;
  title?: string;
  ops?: { op: string; id: string; text?: string; html?: string }[];
  [key: string]: unknown;
}

/** Where a wait gave up: what was expected, and what arrived. */
function describeFrames(frames: readonly string[]): string {
  if (!frames.length) return "no frames";
  return frames.slice(-8).map((f) => f.length > 300 ? f.slice(0, 300) + "…" : f).join("\n  ");
}

/**
 * A WebSocket client that records every frame. Frames are matched with predicates and deadlines;
 * `raw` keeps the text exactly as received (for "this string appears in no frame").
 */
export class WsClient {
  readonly raw: string[] = [];
  readonly frames: ServerFrame[] = [];
  #ws: WebSocket;
  #ref = 0;
  /** Frames received before each ref was sent (where its answer can start). */
  #sentAt = new Map<number, number>();
  #wake = new Set<() => void>();
  #closeInfo: { code: number; reason: string } | null = null;
  #closed: Promise<void>;

  private constructor(ws: WebSocket) {
    this.#ws = ws;
    this.#closed = new Promise((resolve) =>
      ws.addEventListener("close", (e) => {
        this.#closeInfo = { code: e.code, reason: e.reason };
        resolve();
        this.#notify();
      })
    );
    ws.addEventListener("message", (e) => {
      const text = typeof e.data === "string" ? e.data : "[binary]";
      this.raw.push(text);
      let frame: ServerFrame;
      try {
        frame = JSON.parse(text);
      } catch {
        frame = { type: "[not json]" };
      }
      this.frames.push(frame);
      this.#notify();
    });
  }

  #notify(): void {
    for (const wake of this.#wake) wake();
  }

  /** Opens a socket to the live endpoint with `cookie` and `origin` (default: the server's). */
  static async open(
    server: FixtureServer,
    options: { cookie?: string; origin?: string } = {},
  ): Promise<WsClient> {
    const headers: Record<string, string> = { origin: options.origin ?? server.origin };
    if (options.cookie) headers.cookie = options.cookie;
    // Deno's WebSocket takes headers (not in the DOM typings).
    const ws = new WebSocket(server.wsUrl, { headers } as unknown as string[]);
    const client = new WsClient(ws);
    await new Promise<void>((resolve, reject) => {
      ws.addEventListener("open", () => resolve(), { once: true });
      ws.addEventListener("error", () => reject(new Error("the WebSocket did not open")), {
        once: true,
      });
    });
    return client;
  }

  /** Sends a message (an object is JSON-encoded; a string or bytes go as they are). */
  send(message: unknown): void {
    if (this.#closeInfo || this.#ws.readyState !== WebSocket.OPEN) return;
    if (typeof message === "string" || message instanceof Uint8Array) {
      this.#ws.send(message as string);
    } else this.#ws.send(JSON.stringify(message));
  }

  /** Sends `join` for `page`. */
  join(page: Page): void {
    this.send({ type: "join", token: page.token, csrf: page.csrf, url: page.url, v: 1 });
  }

  /** Sends an event and returns its ref. */
  event(name: string, params: Record<string, unknown> = {}): number {
    const ref = ++this.#ref;
    this.#sentAt.set(ref, this.frames.length);
    this.send({ type: "event", ref, name, params });
    return ref;
  }

  /** Sends `dj:model` (a `dj-model` input) for `field` and returns its ref. */
  model(field: string, value: unknown): number {
    return this.event("dj:model", { field, value });
  }

  /** Sends a `navigate` message and returns its ref. */
  navigate(url: string): number {
    const ref = ++this.#ref;
    this.#sentAt.set(ref, this.frames.length);
    this.send({ type: "navigate", ref, url });
    return ref;
  }

  /** The number of frames received so far (pass it as `since` to look only at later ones). */
  mark(): number {
    return this.frames.length;
  }

  /** Frames received since `since`. */
  since(since = 0): ServerFrame[] {
    return this.frames.slice(since);
  }

  /** Waits for a frame (from index `since`) that satisfies `match`; fails after `ms`. */
  async waitFor(
    match: (frame: ServerFrame) => boolean,
    what: string,
    ms = 3000,
    since = 0,
  ): Promise<ServerFrame> {
    const found = await this.#wait(match, ms, since);
    if (found) return found;
    assert.fail(
      `no frame ${what} within ${ms} ms${this.#closeInfo ? " (socket closed)" : ""}; received:\n  ${
        describeFrames(this.raw.slice(since))
      }`,
    );
  }

  /** The first frame from `since` that satisfies `match`, or null after `ms`. */
  async #wait(
    match: (frame: ServerFrame) => boolean,
    ms: number,
    since: number,
  ): Promise<ServerFrame | null> {
    const deadline = Date.now() + ms;
    for (let i = since;;) {
      for (; i < this.frames.length; i++) if (match(this.frames[i])) return this.frames[i];
      const left = deadline - Date.now();
      if (left <= 0 || this.#closeInfo) return null;
      let wake = () => {};
      await new Promise<void>((resolve) => {
        const timer = setTimeout(() => wake(), left);
        wake = () => {
          clearTimeout(timer);
          resolve();
        };
        this.#wake.add(wake);
      });
      this.#wake.delete(wake);
    }
  }

  /** The first frame answering event/navigate `ref` (patch, render, error, navigated…). */
  reply(ref: number, ms = 3000): Promise<ServerFrame> {
    return this.waitFor((f) => f.ref === ref, `answering ref ${ref}`, ms);
  }

  /**
   * The answer to event/navigate `ref`: the first later frame carrying that ref, or an error frame
   * without one (djust sends some failures without a ref).
   */
  answer(ref: number, ms = 3000): Promise<ServerFrame> {
    return this.waitFor(
      (f) => f.ref === ref || (f.type === "error" && f.ref === undefined),
      `answering ref ${ref}`,
      ms,
      this.#sentAt.get(ref) ?? 0,
    );
  }

  /** Asks for a full render (`resync`) and returns its HTML: the view's whole state, as sent. */
  async fullRender(): Promise<string> {
    const since = this.mark();
    this.send({ type: "resync", reason: "hostile suite reads the state" });
    const render = await this.waitFor((f) => f.type === "render", "answering resync", 3000, since);
    return render.html ?? "";
  }

  /** Waits `ms` and fails if a frame from `since` satisfies `match`. */
  async expectNone(
    match: (frame: ServerFrame) => boolean,
    what: string,
    ms = 300,
    since = 0,
  ): Promise<void> {
    await sleep(ms);
    const found = this.frames.slice(since).find(match);
    assert.equal(found, undefined, `expected no frame ${what}, got ${JSON.stringify(found)}`);
  }

  /** Waits until no frame has arrived for `quietMs` (or `maxMs` passed, or the socket closed). */
  async settle(quietMs = 300, maxMs = 5000): Promise<void> {
    const deadline = Date.now() + maxMs;
    for (let seen = -1; seen !== this.frames.length && Date.now() < deadline && !this.#closeInfo;) {
      seen = this.frames.length;
      await sleep(quietMs);
    }
  }

  /** Waits until the server closes the socket; returns the close code, or null after `ms`. */
  async waitClosed(ms: number): Promise<{ code: number; reason: string } | null> {
    if (!this.#closeInfo) await within(this.#closed, ms);
    return this.#closeInfo;
  }

  /** True once the socket is closed. */
  get isClosed(): boolean {
    return this.#closeInfo !== null;
  }

  /** Closes the socket (if still open) and waits for the close. */
  async close(): Promise<void> {
    if (!this.#closeInfo) {
      try {
        this.#ws.close();
      } catch {
        // closing already
      }
      await within(this.#closed, 3000);
    }
  }
}

/** A page joined over a socket. */
export interface Joined {
  client: WsClient;
  page: Page;
}

/**
 * GETs `path`, opens a socket with its cookie and joins. Fails unless the server answers `joined`.
 */
export async function joinPage(
  server: FixtureServer,
  path: string,
  options: { cookie?: string } = {},
): Promise<Joined> {
  const page = await getPage(server, path, options);
  assert.equal(page.status, 200, `GET ${path} answered ${page.status}: ${page.html.slice(0, 300)}`);
  const client = await WsClient.open(server, { cookie: page.cookie });
  client.join(page);
  try {
    await client.waitFor((f) => f.type === "joined" || f.type === "error", `joining ${path}`);
    const last = client.frames.find((f) => f.type === "joined" || f.type === "error")!;
    assert.equal(last.type, "joined", `joining ${path} was refused: ${JSON.stringify(last)}`);
  } catch (err) {
    await client.close();
    throw err;
  }
  return { client, page };
}

/** Closes every client, ignoring failures (for finally blocks). */
export async function closeAll(...clients: (WsClient | TcpWsClient | undefined)[]): Promise<void> {
  for (const client of clients) await client?.close().catch(() => {});
}

/**
 * The proof that one client's error hurt no one else: a new client joins `/counter`, increments
 * twice and gets the patches "1" then "2".
 */
export async function assertOthersServed(
  server: FixtureServer,
  after: string,
  settleMs = 200,
): Promise<void> {
  await server.assertAlive(after, settleMs);
  const { client } = await joinPage(server, "/counter");
  try {
    for (const expected of ["1", "2"]) {
      const ref = client.event("inc");
      const reply = await client.reply(ref);
      assert.equal(
        reply.type,
        "patch",
        `an independent client's event after ${after}: ${JSON.stringify(reply)}`,
      );
      assert.ok(
        reply.ops?.some((op) => op.op === "text" && op.text === expected),
        `an independent client's patch after ${after} should show ${expected}: ${
          JSON.stringify(reply)
        }`,
      );
    }
  } finally {
    await client.close();
  }
}

/** True when `url`, resolved against `base`, leaves the origin (or is not http(s) at all). */
export function leavesOrigin(url: unknown, base: string): boolean {
  if (typeof url !== "string") return false;
  try {
    return new URL(url, base).origin !== new URL(base).origin;
  } catch {
    return true;
  }
}

/** A `nav` frame whose URL leaves the page's origin or is a script/data URL. */
export function foreignNav(base: string): (frame: ServerFrame) => boolean {
  return (frame) => frame.type === "nav" && leavesOrigin(frame.url, base);
}

/** Fails if any of `markers` appears in any frame `client` received. */
export function assertNoMarkers(client: WsClient, markers = SECRET_MARKERS): void {
  for (const text of client.raw) {
    for (const marker of markers) {
      assert.ok(!text.includes(marker), `the frame ${text.slice(0, 300)} reveals ${marker}`);
    }
  }
}

/** An error frame with `code`. */
export const isError = (code?: string) => (frame: ServerFrame): boolean =>
  frame.type === "error" && (code === undefined || frame.code === code);
