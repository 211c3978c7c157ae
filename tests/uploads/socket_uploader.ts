/**
 * A client that uploads over a real WebSocket as the browser does (the same frame module, the
 * server's window, Blobs of header and file slice), for the socket tests and the benchmark.
 */
import { SOCKET_PATH } from "../../lib/live/protocol.ts";
import { chunkHeader } from "../../lib/live/uploads/index.ts";
import { joinMessage, readCredentials } from "../helpers/join.ts";

/** A joined page on a real socket; frames received are kept in order. */
export class SocketPage {
  readonly received: Record<string, unknown>[] = [];
  #ws: WebSocket;
  #ref = 0;
  #wake: (() => void) | null = null;
  closed: Promise<{ code: number }>;

  private constructor(ws: WebSocket) {
    this.#ws = ws;
    ws.binaryType = "arraybuffer";
    ws.addEventListener("message", (e) => {
      this.received.push(JSON.parse(e.data));
      this.#wake?.();
    });
    this.closed = new Promise((resolve) =>
      ws.addEventListener("close", (e) => {
        resolve({ code: e.code });
        this.#wake?.();
      })
    );
  }

  /** Renders `path` on `base` (http://127.0.0.1:port) and joins it. */
  static async open(base: string, path: string): Promise<SocketPage> {
    const credentials = await readCredentials(await fetch(base + path));
    const ws = new WebSocket(base.replace(/^http/, "ws") + SOCKET_PATH, {
      headers: { cookie: credentials.cookie, origin: base },
    } as unknown as string[]);
    const page = new SocketPage(ws);
    await new Promise<void>((resolve, reject) => {
      ws.addEventListener("open", () => resolve());
      ws.addEventListener("error", () => reject(new Error("WebSocket failed")));
    });
    ws.send(joinMessage(credentials, base + path));
    await page.next((m) => m.type === "joined");
    return page;
  }

  /** The first frame (from now on, or already received and not taken) that `match` accepts. */
  async next(
    match: (m: Record<string, unknown>) => boolean,
    ms = 10_000,
  ): Promise<Record<string, unknown>> {
    const deadline = Date.now() + ms;
    for (;;) {
      const at = this.received.findIndex(match);
      if (at >= 0) return this.received.splice(at, 1)[0];
      if (Date.now() > deadline) throw new Error(`no matching frame in ${ms} ms`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(() => this.#wake?.(), 50);
        this.#wake = () => {
          clearTimeout(timer);
          this.#wake = null;
          resolve();
        };
      });
    }
  }

  send(message: Record<string, unknown> | Blob | Uint8Array<ArrayBuffer>): void {
    this.#ws.send(
      message instanceof Blob || message instanceof Uint8Array ? message : JSON.stringify(message),
    );
  }

  /**
   * Chooses and uploads `file` as upload `name`, keeping at most the server's window of chunks
   * unacknowledged (each a Blob of header and file slice, as the browser sends them; or copied
   * from `bytes`, the file's content in memory). Resolves when the last chunk is acknowledged.
   */
  async upload(
    name: string,
    file: Blob & { name: string },
    bytes?: Uint8Array<ArrayBuffer>,
  ): Promise<string> {
    const ref = --this.#ref;
    this.send({
      type: "upload",
      ref,
      name,
      files: [{ name: file.name, type: file.type, size: file.size }],
    });
    const chosen = await this.next((m) => m.type === "upload_entries" && m.ref === ref);
    const entry = (chosen.entries as string[])[0];
    const chunkSize = chosen.chunkSize as number, window = chosen.window as number;
    this.send({ type: "upload_start", ref: --this.#ref, name });
    await this.next((m) => m.type === "upload_started");
    let sent = 0, inFlight = 0, acked = 0;
    while (acked < file.size) {
      while (inFlight < window && sent < file.size) {
        const end = Math.min(file.size, sent + chunkSize);
        if (bytes) {
          // The file's bytes are in memory already: one copy into the frame, no Blob reads.
          const header = chunkHeader(entry, sent);
          const frame = new Uint8Array(header.length + end - sent);
          frame.set(header);
          frame.set(bytes.subarray(sent, end), header.length);
          this.send(frame);
        } else this.send(new Blob([chunkHeader(entry, sent), file.slice(sent, end)]));
        sent = end;
        inFlight++;
      }
      const reply = await this.next((
        m,
      ) => (m.type === "upload_ack" || m.type === "upload_stop" || m.type === "error"));
      if (reply.type !== "upload_ack") throw new Error(`upload refused: ${JSON.stringify(reply)}`);
      acked = reply.received as number;
      inFlight--;
    }
    return entry;
  }

  close(): Promise<{ code: number }> {
    this.#ws.close();
    return this.closed;
  }
}
