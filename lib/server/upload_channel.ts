/**
 * The upload side of one connection: the `upload`, `upload_start` and `upload_progress` messages,
 * and binary chunk frames, checked against the view's uploads (lib/live/uploads/).
 *
 * Flow control: each chunk is acknowledged (`upload_ack`) once written, and a client may have at
 * most `window` chunks of an entry unacknowledged. A chunk past the window is refused when it
 * arrives, before it is queued, so the server never holds more than the windows of the entries in
 * flight (`window` × (chunk size + header) each). Acknowledgements also pace the client: past the
 * connection's byte budget (`bytesPerSecond`) they wait, and so does the client.
 * @module
 */
import type { MountedView } from "../live/mounted.ts";
import type {
  ErrorCode,
  ServerMessage,
  UploadFileInfo,
  UploadMessage,
  UploadProgressMessage,
  UploadStartMessage,
} from "../live/protocol.ts";
import {
  type ChunkFrame,
  decodeChunk,
  existingUploadsOf,
  MAX_CHUNK_HEADER,
  type TempFiles,
} from "../live/uploads/index.ts";
import type { Clock } from "./rate_limit.ts";

/** What an App gives every connection for uploads. */
export interface UploadContext {
  /** The App's temporary files. */
  readonly files: TempFiles;
  /** Chunks of one entry that may be unacknowledged at once. */
  readonly window: number;
  /** Upload bytes per second one connection may send; acknowledgements wait past it. */
  readonly bytesPerSecond: number;
}

/** Every chunk counts at least this much against the byte budget (a frame has a cost of its own). */
const MIN_CHUNK_COST = 1024;
/** Refused chunks after which the client is cut off (it ignores every refusal). */
const MAX_REFUSED = 1000;

/** How the channel reaches its connection. */
export interface UploadChannelHost {
  send(message: ServerMessage): void;
  log(level: "warn" | "error", message: string, error?: unknown): void;
  /** The client keeps breaking the rules: close it. */
  cutOff(reason: string): void;
  /** A chunk of `bytes` was written (for the App's metrics). */
  written(bytes: number): void;
}

/**
 * The uploads of one connection.
 *
 * @example
 * ```ts ignore
 * const chunk = channel.admit(bytes, connection.mounted); // before queueing
 * if (chunk) await channel.write(chunk, connection.mounted); // in order with other messages
 * ```
 */
export class UploadChannel {
  #context: UploadContext;
  #host: UploadChannelHost;
  #clock: Clock;
  #maxChunk: number;
  #tokens: number;
  #refilled: number;
  #timers = new Set<number>();
  #refused = 0;
  #closed = false;

  constructor(
    context: UploadContext,
    maxFrameBytes: number,
    clock: Clock,
    host: UploadChannelHost,
  ) {
    this.#context = context;
    this.#host = host;
    this.#clock = clock;
    this.#maxChunk = maxFrameBytes - MAX_CHUNK_HEADER;
    this.#tokens = context.bytesPerSecond;
    this.#refilled = clock();
  }

  // #region Chunks

  /**
   * Checks a binary frame as it arrives, before it waits in the connection's queue: it must be a
   * chunk of an entry of the view, within that entry's window. Returns the chunk to queue, or null
   * (refused, and the client told).
   */
  admit(data: ArrayBuffer | Uint8Array, mounted: MountedView | null): ChunkFrame | null {
    if (this.#closed) return null;
    const frame = decodeChunk(data instanceof Uint8Array ? data : new Uint8Array(data));
    if (!frame) return this.#refuse("client.malformed", "A binary frame must be an upload chunk");
    if (!mounted) return this.#refuse("client.not_joined", "Join before uploading");
    const uploads = existingUploadsOf(mounted.view);
    switch (uploads?.admit(frame.entry, this.#context.window) ?? "unknown") {
      case "ok":
        return frame;
      case "ended":
        this.#host.send({ type: "upload_stop", entry: frame.entry });
        return null;
      case "window":
        uploads!.violate(frame.entry, "client.upload_chunk");
        this.#host.send({ type: "upload_stop", entry: frame.entry, code: "client.upload_chunk" });
        return this.#refuse(
          "client.upload_chunk",
          `More than ${this.#context.window} chunks of ${frame.entry} were not acknowledged`,
        );
      default:
        return this.#refuse("client.upload_unknown", `No upload entry ${frame.entry}`);
    }
  }

  /** Writes an admitted chunk, then acknowledges it (later, past the byte budget). */
  async write(frame: ChunkFrame, mounted: MountedView | null): Promise<void> {
    const uploads = mounted && existingUploadsOf(mounted.view);
    if (!uploads || this.#closed) return;
    const { entry, offset, bytes } = frame;
    const outcome = await uploads.write(entry, offset, bytes, this.#maxChunk, this.#clock());
    if (this.#closed) return;
    if (outcome.ok) {
      this.#host.written(bytes.length);
      const ack = () => {
        uploads.acked(entry);
        this.#host.send({ type: "upload_ack", entry, received: outcome.received });
      };
      const delay = this.#spend(Math.max(bytes.length, MIN_CHUNK_COST));
      if (delay <= 0) return ack();
      const timer = setTimeout(() => {
        this.#timers.delete(timer);
        if (!this.#closed) ack();
      }, delay) as unknown as number;
      this.#timers.add(timer);
      return;
    }
    uploads.acked(entry);
    if (outcome.stop) {
      const message: ServerMessage = { type: "upload_stop", entry };
      if (outcome.code) message.code = outcome.code;
      this.#host.send(message);
      if (outcome.code?.startsWith("client.")) this.#countRefusal();
      return;
    }
    this.#refuse(outcome.code, `No upload entry ${entry}`);
  }

  /** Takes `bytes` from the budget; returns how long the acknowledgement should wait (ms). */
  #spend(bytes: number): number {
    const rate = this.#context.bytesPerSecond;
    if (rate === Infinity) return 0;
    const now = this.#clock();
    this.#tokens = Math.min(rate, this.#tokens + ((now - this.#refilled) / 1000) * rate);
    this.#refilled = now;
    this.#tokens -= bytes;
    return this.#tokens >= 0 ? 0 : Math.ceil((-this.#tokens / rate) * 1000);
  }

  // #endregion
  // #region Messages

  /** Handles `upload`, `upload_start` and `upload_progress` (already rate-limited). */
  async message(
    message: UploadMessage | UploadStartMessage | UploadProgressMessage,
    mounted: MountedView | null,
  ): Promise<void> {
    if (message.type === "upload_progress") return this.#progress(message, mounted);
    const ref = typeof message.ref === "number" ? message.ref : undefined;
    if (typeof message.name !== "string") {
      return this.#error(ref, "client.malformed", `${message.type} needs a string 'name'`);
    }
    if (!mounted) return this.#error(ref, "client.not_joined", "Join before uploading");
    const uploads = existingUploadsOf(mounted.view);
    const config = uploads?.config(message.name);
    if (!uploads || !config) {
      return this.#error(
        ref,
        "client.upload_unknown",
        `No upload named ${JSON.stringify(message.name.slice(0, 64))}`,
      );
    }
    if (ref === undefined) return this.#error(ref, "client.malformed", "An upload needs a 'ref'");
    if (message.type === "upload") {
      const files = readFiles((message as UploadMessage).files);
      if (!files) {
        return this.#error(ref, "client.malformed", "upload needs 'files': [{ name, type, size }]");
      }
      const entries = uploads.choose(message.name, files) ?? [];
      return this.#host.send({
        type: "upload_entries",
        ref,
        name: message.name,
        entries,
        chunkSize: Math.min(config.chunkSize, this.#maxChunk),
        window: this.#context.window,
        auto: config.autoUpload,
      });
    }
    const started = await uploads.start(message.name, this.#context.files);
    for (const failure of started.failures) {
      this.#host.log(
        "error",
        `djust: the external function of upload ${message.name} failed`,
        failure,
      );
    }
    if (this.#closed) return;
    this.#host.send({ type: "upload_started", ref, name: message.name, entries: started.entries });
  }

  #progress(message: UploadProgressMessage, mounted: MountedView | null): void {
    const { entry, progress } = message;
    if (typeof entry !== "string" || typeof progress !== "number" || Number.isNaN(progress)) {
      return this.#error(
        undefined,
        "client.malformed",
        "upload_progress needs 'entry' and 'progress'",
      );
    }
    if (!mounted) return this.#error(undefined, "client.not_joined", "Join before uploading");
    const uploads = existingUploadsOf(mounted.view);
    const result = uploads?.progress(entry, progress, message.failed === true, this.#clock()) ??
      "unknown";
    if (result === "ended") this.#host.send({ type: "upload_stop", entry });
    else if (result !== "ok") {
      this.#error(undefined, "client.upload_unknown", `No external upload entry ${entry}`);
    }
  }

  // #endregion

  /** The connection closed: pending acknowledgements are dropped. */
  close(): void {
    this.#closed = true;
    for (const timer of this.#timers) clearTimeout(timer);
    this.#timers.clear();
  }

  #refuse(code: ErrorCode, reason: string): null {
    this.#error(undefined, code, reason);
    this.#countRefusal();
    return null;
  }

  #countRefusal(): void {
    if (++this.#refused > MAX_REFUSED) this.#host.cutOff("refused upload chunks, over and over");
  }

  #error(ref: number | undefined, code: ErrorCode, reason: string): void {
    const message: ServerMessage = { type: "error", code, reason };
    if (ref !== undefined) message.ref = ref;
    this.#host.send(message);
  }
}

/** The `files` of an `upload` message, checked; null when malformed. */
function readFiles(files: unknown): UploadFileInfo[] | null {
  if (!Array.isArray(files) || files.length > 10_000) return null;
  const out: UploadFileInfo[] = [];
  for (const f of files) {
    if (typeof f !== "object" || f === null) return null;
    const { name, type, size } = f as Record<string, unknown>;
    if (typeof name !== "string" || typeof type !== "string") return null;
    if (typeof size !== "number" || !Number.isSafeInteger(size) || size < 0) return null;
    out.push({ name: name.slice(0, 1024), type, size });
  }
  return out;
}
