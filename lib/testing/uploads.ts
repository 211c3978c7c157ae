/**
 * Uploads in the test toolkit: `view.chooseFiles()` and `view.upload()` speak the browser
 * client's protocol to the real server path (the `upload` messages and binary chunk frames built
 * with the same frame module, over the in-memory transport, with the window of unacknowledged
 * chunks the server enforces).
 * @module
 */
import { chunkHeader } from "../live/uploads/frames.ts";
import type {
  ExternalTarget,
  ServerMessage,
  UploadEntriesMessage,
  UploadStartedMessage,
} from "../live/protocol.ts";

/** A file for {@link UploadDriver.upload}. */
export interface TestFile {
  /** The file's name. */
  name: string;
  /** MIME type as a browser would claim it (default ""). */
  type?: string;
  /** Its bytes. */
  content: Uint8Array;
  /** The size to declare, when the test plays a client that lies (default: the content's). */
  size?: number;
}

/** Options of `view.upload()`. */
export interface TestUploadOptions {
  /** Stop each entry after this many bytes, leaving it in flight (to test cancel and drops). */
  stopAfterBytes?: number;
  /** Send chunks of this size whatever the server asked for (to test its limits). */
  chunkSize?: number;
}

/** How the driver reaches the view under test. */
export interface UploadHost {
  /** Hands a frame to the connection (resolves when it has been handled). */
  send(data: string | Uint8Array): Promise<void>;
  /** Waits for the connection, applies what it sent; throws errors answering `ref` or nothing. */
  settle(ref?: number): Promise<void>;
  /** The next message ref. */
  nextRef(): number;
  /** The toolkit's error for a refusal by the server. */
  error(code: string, reason: string): Error;
  /** True when `selector` matches an element in the view. */
  has(selector: string): boolean;
}

interface Transfer {
  entry: string;
  content: Uint8Array;
  size: number;
  sent: number;
  inFlight: number;
  acked: number;
  stopped: boolean;
  external?: ExternalTarget;
}

/** Waits for a server-side timer (a delayed acknowledgement). */
const tick = () => new Promise((r) => setTimeout(r, 2));

/**
 * Drives uploads of one view under test.
 *
 * @example
 * ```ts ignore
 * const driver = new UploadDriver(host);
 * await driver.upload("avatar", [{ name: "me.png", type: "image/png", content: bytes }]);
 * ```
 */
export class UploadDriver {
  #host: UploadHost;
  #entries = new Map<number, UploadEntriesMessage>();
  #started = new Map<number, UploadStartedMessage>();
  #transfers = new Map<string, Transfer>();
  #stops = new Map<string, string | undefined>();
  #files = new Map<string, TestFile>();

  constructor(host: UploadHost) {
    this.#host = host;
  }

  /** Sees every server message (the toolkit's drain calls it). */
  observe(message: ServerMessage): void {
    switch (message.type) {
      case "upload_entries":
        this.#entries.set(message.ref, message);
        break;
      case "upload_started":
        this.#started.set(message.ref, message);
        break;
      case "upload_ack": {
        const t = this.#transfers.get(message.entry);
        if (t) {
          t.inFlight--;
          t.acked = message.received;
        }
        break;
      }
      case "upload_stop":
        this.#stops.set(message.entry, message.code);
        break;
    }
  }

  /**
   * Chooses `files` for upload `name`, as a file input's change does: the server checks them and
   * the view renders the entries. Returns each file's entry ref (null when it was not taken).
   */
  async choose(name: string, files: readonly TestFile[]): Promise<(string | null)[]> {
    return (await this.#choose(name, files)).entries;
  }

  async #choose(name: string, files: readonly TestFile[]): Promise<UploadEntriesMessage> {
    // A user can only choose files where the page offers an input or a drop target.
    const where = `[dj-upload="${name}"], [dj-drop-target="${name}"]`;
    if (!this.#host.has(where)) {
      throw this.#host.error("test.no_element", `No file input or drop target for ${name}`);
    }
    const ref = this.#host.nextRef();
    const meta = files.map((f) => ({
      name: f.name,
      type: f.type ?? "",
      size: f.size ?? f.content.length,
    }));
    await this.#host.send(JSON.stringify({ type: "upload", ref, name, files: meta }));
    await this.#host.settle(ref);
    const reply = this.#entries.get(ref);
    if (!reply) throw new Error(`upload ${name}: the server did not answer with upload_entries`);
    reply.entries.forEach((entry, i) => entry && this.#files.set(entry, files[i]));
    return reply;
  }

  /**
   * Chooses `files` and uploads the valid ones (as a submit or `autoUpload` does), chunk by chunk
   * within the server's window; external entries are sent to their storage URL with `fetch`.
   * Resolves when every entry is done or stopped; returns each file's entry ref.
   */
  async upload(
    name: string,
    files: readonly TestFile[],
    options: TestUploadOptions = {},
  ): Promise<(string | null)[]> {
    const chosen = await this.#choose(name, files);
    await this.start(
      name,
      { ...options, chunkSize: options.chunkSize ?? chosen.chunkSize },
      chosen.window,
    );
    return chosen.entries;
  }

  /** Starts the pending entries of `name` and sends them (their files from earlier choices). */
  async start(name: string, options: TestUploadOptions = {}, window = 8): Promise<void> {
    const ref = this.#host.nextRef();
    await this.#host.send(JSON.stringify({ type: "upload_start", ref, name }));
    await this.#host.settle(ref);
    const started = this.#started.get(ref);
    if (!started) throw new Error(`upload ${name}: the server did not answer with upload_started`);
    const transfers: Transfer[] = [];
    for (const { entry, external } of started.entries) {
      const file = this.#files.get(entry);
      if (!file) continue;
      const t: Transfer = {
        entry,
        content: file.content,
        size: file.size ?? file.content.length,
        sent: 0,
        inFlight: 0,
        acked: 0,
        stopped: false,
        external,
      };
      this.#transfers.set(entry, t);
      transfers.push(t);
    }
    for (const t of transfers.filter((t) => t.external)) await this.#external(t);
    await this.#pump(transfers.filter((t) => !t.external), options, window);
    const refused = transfers.find((t) => this.#stops.get(t.entry));
    if (refused) {
      const code = this.#stops.get(refused.entry)!;
      throw this.#host.error(code, `the server stopped the upload of ${refused.entry}`);
    }
  }

  async #pump(transfers: Transfer[], options: TestUploadOptions, window: number): Promise<void> {
    const chunkSize = options.chunkSize ?? 64 * 1024;
    const limit = options.stopAfterBytes ?? Infinity;
    const deadline = Date.now() + 30_000;
    for (;;) {
      let pending = false, sentAny = false;
      for (const t of transfers) {
        if (this.#stops.has(t.entry)) t.stopped = true;
        if (t.stopped) continue;
        const end = Math.min(t.content.length, limit);
        if (t.acked >= end && t.sent >= end) continue;
        pending = true;
        while (t.inFlight < window && t.sent < end) {
          const bytes = t.content.subarray(t.sent, Math.min(end, t.sent + chunkSize));
          const header = chunkHeader(t.entry, t.sent);
          const frame = new Uint8Array(header.length + bytes.length);
          frame.set(header);
          frame.set(bytes, header.length);
          t.sent += bytes.length;
          t.inFlight++;
          sentAny = true;
          void this.#host.send(frame);
        }
      }
      if (!pending) return;
      await this.#host.settle();
      if (!sentAny) {
        if (Date.now() > deadline) throw new Error("upload: no acknowledgement for 30 s");
        await tick();
      }
    }
  }

  /** Sends an external entry to its storage URL, then reports to the view how it went. */
  async #external(t: Transfer): Promise<void> {
    const target = t.external!;
    const file = this.#files.get(t.entry)!;
    let ok = false;
    try {
      const blob = new Blob([t.content as Uint8Array<ArrayBuffer>], { type: file.type ?? "" });
      let response: Response;
      if (target.fields) {
        const form = new FormData();
        for (const [k, v] of Object.entries(target.fields)) form.append(k, v);
        form.append("file", blob, file.name);
        response = await fetch(target.url, { method: "POST", body: form });
      } else {
        response = await fetch(target.url, { method: "PUT", body: blob, headers: target.headers });
      }
      await response.body?.cancel();
      ok = response.ok;
    } catch {
      ok = false;
    }
    const message = ok
      ? { type: "upload_progress", entry: t.entry, progress: 100 }
      : { type: "upload_progress", entry: t.entry, progress: 0, failed: true };
    await this.#host.send(JSON.stringify(message));
    await this.#host.settle();
  }
}
