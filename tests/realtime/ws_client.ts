/**
 * A headless djust client for multi-process tests: HTTP render, WebSocket join, and patches applied to
 * a linkedom DOM with the browser client's own patcher.
 */
import { parseHTML } from "linkedom";
import { Patcher } from "../../client/patch.ts";
import type { ServerMessage } from "../../lib/live/protocol.ts";

/** A connected page. */
export class HeadlessClient {
  #ws: WebSocket;
  #root: Element;
  #patcher: Patcher;
  #ref = 0;
  #closed: Promise<void>;

  private constructor(ws: WebSocket, root: Element) {
    this.#ws = ws;
    this.#root = root;
    this.#patcher = new Patcher(root);
    this.#closed = new Promise((resolve) => ws.addEventListener("close", () => resolve()));
    ws.addEventListener("message", (e) => {
      const m = JSON.parse(e.data) as ServerMessage;
      if (m.type === "joined" && m.html !== undefined) this.#patcher.replaceAll(m.html);
      if (m.type === "render") this.#patcher.replaceAll(m.html);
      if (m.type === "patch") this.#patcher.apply(m.ops);
    });
  }

  /** Renders `path` on `base` and joins it. */
  static async connect(base: string, path: string): Promise<HeadlessClient> {
    const res = await fetch(base + path);
    const page = await res.text();
    const cookie = res.headers.getSetCookie().map((c) => c.split(";")[0]).join("; ");
    const { document } = parseHTML(page);
    const root = document.querySelector("[dj-root]") as unknown as Element;
    const token = root.getAttribute("data-dj-token")!;
    const csrf = document.querySelector('meta[name="dj-csrf"]')!.getAttribute("content")!;
    const ws = new WebSocket(base.replace(/^http/, "ws") + "/_djust/ws", {
      headers: { cookie, origin: base },
    } as unknown as string[]);
    const client = new HeadlessClient(ws, root);
    await new Promise<void>((resolve, reject) => {
      ws.addEventListener("open", () => resolve());
      ws.addEventListener("error", () => reject(new Error("WebSocket failed")));
    });
    const joined = new Promise<void>((resolve) =>
      ws.addEventListener("message", function once(e) {
        if (JSON.parse(e.data).type === "joined") {
          ws.removeEventListener("message", once);
          resolve();
        }
      })
    );
    ws.send(JSON.stringify({ type: "join", token, csrf, url: base + path, v: 1 }));
    await joined;
    return client;
  }

  /** Text content of the first element matching `selector`. */
  text(selector: string): string {
    return this.#root.querySelector(selector)?.textContent ?? "";
  }

  /** Sends an event. */
  event(name: string, params: Record<string, unknown> = {}): void {
    this.#ws.send(JSON.stringify({ type: "event", ref: ++this.#ref, name, params }));
  }

  /** Waits until `predicate` holds for the page (polling), or throws after `ms`. */
  async waitFor(
    predicate: (c: HeadlessClient) => boolean,
    what: string,
    ms = 10_000,
  ): Promise<void> {
    const end = Date.now() + ms;
    while (!predicate(this)) {
      if (Date.now() > end) {
        throw new Error(`timed out waiting for ${what}; page: ${this.#root.textContent}`);
      }
      await new Promise((r) => setTimeout(r, 25));
    }
  }

  /** Closes the socket and waits for it to be closed. */
  async close(): Promise<void> {
    this.#ws.close();
    await this.#closed;
  }
}
