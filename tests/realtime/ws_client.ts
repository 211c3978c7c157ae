/**
 * A headless djust client for multi-process tests: HTTP render, WebSocket join, and patches applied to
 * a linkedom DOM with the browser client's own patcher.
 */
import { parseHTML } from "linkedom";
import { ViewClient } from "../../client/view_client.ts";
import { ROOT_ATTR, type ServerMessage, SOCKET_PATH } from "../../lib/live/protocol.ts";
import { joinMessage, readCredentials } from "../helpers/join.ts";

/** A connected page. */
export class HeadlessClient {
  #ws: WebSocket;
  #root: Element;
  #client: ViewClient;
  #ref = 0;
  #closed: Promise<void>;

  private constructor(ws: WebSocket, root: Element) {
    this.#ws = ws;
    this.#root = root;
    this.#client = new ViewClient(root, {
      here: () => root.ownerDocument.URL || "http://localhost/",
      resync: (reason) => ws.send(JSON.stringify({ type: "resync", reason })),
      setTitle() {},
      showFlash() {},
      changeUrl() {},
      load() {},
      pushed() {},
      failed() {},
    });
    this.#closed = new Promise((resolve) => ws.addEventListener("close", () => resolve()));
    ws.addEventListener(
      "message",
      (e) => this.#client.receive(JSON.parse(e.data) as ServerMessage),
    );
  }

  /** Renders `path` on `base` and joins it. */
  static async connect(base: string, path: string): Promise<HeadlessClient> {
    const credentials = await readCredentials(await fetch(base + path));
    const { document } = parseHTML(credentials.page);
    const root = document.querySelector(`[${ROOT_ATTR}]`) as unknown as Element;
    const ws = new WebSocket(base.replace(/^http/, "ws") + SOCKET_PATH, {
      headers: { cookie: credentials.cookie, origin: base },
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
    ws.send(joinMessage(credentials, base + path));
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
