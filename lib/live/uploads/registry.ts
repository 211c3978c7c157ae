/**
 * The uploads of one view: what it allowed, the entries chosen for each upload, their bytes on
 * disk, and what its template sees (`uploads.avatar.entries`), as signals, so a progress change
 * re-renders only the regions that show that entry.
 *
 *   ViewUploads ── uploads by name ── Upload (config, slot for the template, entries in order)
 *               └─ entries by ref ─── Entry (state, bytes received, temp file, signal of its view)
 *
 * Entry states: `refused` (failed a check when chosen; never sent) → or `pending` (chosen, valid)
 * → `uploading` (started) → `done` (every byte written) or `failed` (a limit, a lost connection).
 * Nothing here is public state: it lives outside the view object (see {@link uploadsOf}) and is
 * never saved with the view.
 * @module
 */
import { batch, type Signal, signal } from "@preact/signals-core";
import type { ReadonlySignal } from "../signals.ts";
import type { ErrorCode, ExternalTarget, UploadFileInfo } from "../protocol.ts";
import {
  cleanFileName,
  fileErrors,
  resolveConfig,
  type UploadConfig,
  type UploadEntryInfo,
  type UploadOptions,
} from "./config.ts";
import type { TempFiles } from "./temp_files.ts";

/** What a template sees of one entry: `{% for entry in uploads.avatar.entries %}`. */
export interface UploadEntryView {
  /** Server-issued ref (for `dj-preview` and `cancelUpload`). */
  readonly ref: string;
  /** The file's name (as the browser gave it, cleaned). */
  readonly name: string;
  /** Its declared size in bytes. */
  readonly size: number;
  /** Its MIME type as the browser claimed it. */
  readonly type: string;
  /** 0–100; 100 only once every byte is in. */
  readonly progress: number;
  /** True once every byte is in (or, external, once the browser said so). */
  readonly done: boolean;
  /** False when the file was refused or its upload failed (see `errors`). */
  readonly valid: boolean;
  /** Why it was refused or failed, in words to show. */
  readonly errors: readonly string[];
}

/** What a template sees of one upload: `uploads.avatar` (and `{% live_file_input %}` reads). */
export interface UploadSlot {
  /** The upload's name. */
  readonly name: string;
  /** Entries in the order they were chosen. */
  readonly entries: ReadonlySignal<readonly ReadonlySignal<UploadEntryView>[]>;
  /** Errors of the upload as a whole (too many files). */
  readonly errors: ReadonlySignal<readonly string[]>;
  /** The `accept` attribute (extensions and types, comma-separated). */
  readonly accept: string;
  /** Most entries at once. */
  readonly maxEntries: number;
  /** Largest file in bytes. */
  readonly maxFileSize: number;
  /** True when uploads start as soon as files are chosen. */
  readonly autoUpload: boolean;
}

/** What `consumeUploadedEntries` hands to its callback for each finished entry. */
export interface UploadedEntry extends UploadEntryInfo {
  /**
   * The temporary file holding the bytes (socket uploads): move it to keep it; whatever is left
   * there is deleted once the callback returns. Absent for external uploads.
   */
  readonly path?: string;
  /** Where the browser sent the file (external uploads). */
  readonly external?: ExternalTarget;
}

/** How writing a chunk went. */
export type ChunkOutcome =
  | { ok: true; received: number }
  /** The entry ended (cancelled, consumed, failed before): the client should stop sending it. */
  | { ok: false; stop: true; code?: ErrorCode }
  /** No entry has this ref. */
  | { ok: false; stop: false; code: "client.upload_unknown" };

/** Why a chunk may not enter the queue (see {@link ViewUploads.admit}). */
export type Admission = "ok" | "ended" | "unknown" | "window";

type EntryState = "refused" | "pending" | "uploading" | "done" | "failed";

/** Progress re-renders an entry at most this often (a finished or failed entry at once). */
const PROGRESS_INTERVAL_MS = 100;
/** Refs of ended entries remembered, so late chunks of a cancelled entry get `stop`, not errors. */
const ENDED_REFS = 64;

class Entry {
  state: EntryState;
  received = 0;
  /** Chunks admitted and not yet acknowledged. */
  unacked = 0;
  path: string | null = null;
  file: Deno.FsFile | null = null;
  /** Disk bytes reserved in the App's TempFiles. */
  reserved = 0;
  published = -Infinity;
  external: ExternalTarget | null = null;
  errors: string[];
  readonly view: Signal<UploadEntryView>;

  constructor(
    readonly ref: string,
    readonly upload: Upload,
    readonly info: UploadEntryInfo,
    errors: string[],
  ) {
    this.state = errors.length ? "refused" : "pending";
    this.errors = errors;
    this.view = signal(this.snapshot());
  }

  get progress(): number {
    if (this.state === "done") return 100;
    const size = this.info.size;
    return size ? Math.min(99, Math.floor((this.received * 100) / size)) : 0;
  }

  snapshot(): UploadEntryView {
    const { ref, name, size, type } = this.info;
    const valid = this.state !== "refused" && this.state !== "failed";
    return {
      ref,
      name,
      size,
      type,
      progress: this.progress,
      done: this.state === "done",
      valid,
      errors: this.errors,
    };
  }
}

class Upload {
  readonly list: Entry[] = [];
  readonly entries: Signal<readonly Signal<UploadEntryView>[]> = signal([]);
  readonly errors: Signal<readonly string[]> = signal([]);
  readonly slot: UploadSlot;
  constructor(readonly config: UploadConfig) {
    this.slot = Object.freeze({
      name: config.name,
      entries: this.entries,
      errors: this.errors,
      accept: config.acceptAttr,
      maxEntries: config.maxEntries,
      maxFileSize: config.maxFileSize,
      autoUpload: config.autoUpload,
    });
    SLOTS.add(this.slot);
  }
}

const SLOTS = new WeakSet<UploadSlot>();

/** True when `value` is an upload's slot (what `uploads.NAME` resolves to in templates). */
export function isUploadSlot(value: unknown): value is UploadSlot {
  return typeof value === "object" && value !== null && SLOTS.has(value as UploadSlot);
}

function newRef(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(6));
  let ref = "";
  for (const b of bytes) ref += (b % 36).toString(36);
  return "u" + ref;
}

/**
 * The uploads of one view.
 *
 * @example
 * ```ts ignore
 * const uploads = uploadsOf(view);
 * uploads.allow("avatar", { accept: [".png"], maxEntries: 2 });
 * const chosen = uploads.choose("avatar", [{ name: "me.png", type: "image/png", size: 3 }]);
 * ```
 */
export class ViewUploads {
  /** `uploads` in the template: upload name → slot. */
  readonly scope: Signal<Readonly<Record<string, UploadSlot>>> = signal({});
  #uploads = new Map<string, Upload>();
  #entries = new Map<string, Entry>();
  #ended = new Set<string>();
  #files: TempFiles | null = null;
  #disposed = false;

  /** Declares (or re-declares, cancelling its entries) the upload `name`. */
  allow(name: string, options: UploadOptions): void {
    const config = resolveConfig(name, options);
    const previous = this.#uploads.get(name);
    if (previous) { for (const entry of [...previous.list]) this.#drop(entry); }
    const upload = new Upload(config);
    this.#uploads.set(name, upload);
    this.scope.value = { ...this.scope.peek(), [name]: upload.slot };
  }

  /** The options of upload `name`, or null when the view did not allow it. */
  config(name: unknown): UploadConfig | null {
    return typeof name === "string" ? this.#uploads.get(name)?.config ?? null : null;
  }

  /** The entry `ref`'s upload config and state, or null. */
  entry(ref: string): { config: UploadConfig; state: EntryState; received: number } | null {
    const entry = this.#entries.get(ref);
    return entry
      ? { config: entry.upload.config, state: entry.state, received: entry.received }
      : null;
  }

  /**
   * The user chose `files` for upload `name`: each becomes an entry, checked now (type, size),
   * before any byte is sent; a refused file is an entry with its errors. Files past `maxEntries`
   * are not taken (null) and the upload gets a "too many files" error. Entries refused in an
   * earlier choice are dropped first, and with `maxEntries: 1` the new file replaces the old.
   * Returns the ref of each file, or null when there is no upload `name`.
   */
  choose(name: string, files: readonly UploadFileInfo[]): (string | null)[] | null {
    const upload = this.#uploads.get(name);
    if (!upload || this.#disposed) return null;
    const { config } = upload;
    return batch(() => {
      for (const entry of [...upload.list]) {
        const stale = entry.state === "refused" || entry.state === "failed";
        if (stale || (config.maxEntries === 1 && files.length)) this.#drop(entry);
      }
      const refs: (string | null)[] = [];
      let tooMany = false;
      for (const file of files) {
        if (upload.list.length >= config.maxEntries) {
          tooMany = true;
          refs.push(null);
          continue;
        }
        const info: UploadEntryInfo = {
          ref: newRef(),
          name: cleanFileName(file.name),
          type: file.type.slice(0, 255),
          size: file.size,
        };
        const errors = fileErrors(config, info);
        const entry = new Entry(info.ref, upload, info, errors);
        upload.list.push(entry);
        this.#entries.set(entry.ref, entry);
        refs.push(entry.ref);
      }
      upload.errors.value = tooMany ? [`Too many files (at most ${config.maxEntries})`] : [];
      this.#publishList(upload);
      return refs;
    });
  }

  /**
   * Starts the pending entries of `name` (for external uploads, their storage target is asked of
   * the `external` function). Returns the entries to send, and failures of
   * the `external` function (for the log; those entries fail).
   */
  async start(
    name: string,
    files: TempFiles,
  ): Promise<{ entries: { entry: string; external?: ExternalTarget }[]; failures: unknown[] }> {
    this.#files = files;
    const upload = this.#uploads.get(name);
    const started: { entry: string; external?: ExternalTarget }[] = [];
    const failures: unknown[] = [];
    if (!upload || this.#disposed) return { entries: started, failures };
    const external = upload.config.external;
    for (const entry of upload.list.filter((e) => e.state === "pending")) {
      if (external) {
        try {
          const target = await external(entry.info);
          if (entry.state !== "pending") continue;
          entry.external = target;
          entry.state = "uploading";
          started.push({ entry: entry.ref, external: target });
        } catch (error) {
          failures.push(error);
          this.#fail(entry, "The upload could not start");
        }
        continue;
      }
      entry.state = "uploading";
      started.push({ entry: entry.ref });
      // An empty file has no chunk to wait for.
      if (entry.info.size === 0) await this.#finishEmpty(entry);
    }
    return { entries: started, failures };
  }

  /**
   * Takes a chunk of `ref` into the queue: false-y answers say why not. At most `window` chunks of
   * an entry may wait to be written or acknowledged, so a client that ignores acknowledgements
   * cannot make the server hold more than that.
   */
  admit(ref: string, window: number): Admission {
    const entry = this.#entries.get(ref);
    if (!entry) return this.#ended.has(ref) ? "ended" : "unknown";
    if (entry.state === "failed") return "ended";
    if (entry.unacked >= window) return "window";
    entry.unacked++;
    return "ok";
  }

  /** A chunk of `ref` was acknowledged (or dropped): its place in the window is free. */
  acked(ref: string): void {
    const entry = this.#entries.get(ref);
    if (entry && entry.unacked > 0) entry.unacked--;
  }

  /** Fails entry `ref` for a protocol violation (found before its chunk was queued). */
  violate(ref: string, code: ErrorCode): void {
    const entry = this.#entries.get(ref);
    if (entry) this.#fail(entry, failureText(code));
  }

  /**
   * Writes a chunk of `ref` at `offset`. Every limit is checked again on the bytes themselves: the
   * offset must be where the last chunk ended, a chunk at most `chunkSize` (or `maxChunk`, if
   * lower) and the total at most the declared size (itself at most `maxFileSize`). A breach fails
   * the entry and deletes its file.
   */
  async write(
    ref: string,
    offset: number,
    bytes: Uint8Array,
    maxChunk: number,
    now: number,
  ): Promise<ChunkOutcome> {
    const entry = this.#entries.get(ref);
    if (!entry) {
      return this.#ended.has(ref)
        ? { ok: false, stop: true }
        : { ok: false, stop: false, code: "client.upload_unknown" };
    }
    const { config } = entry.upload;
    let breach: ErrorCode | null = null;
    if (entry.state !== "uploading" || entry.external) breach = "client.upload_chunk";
    else if (offset !== entry.received) breach = "client.upload_chunk";
    else if (bytes.length > Math.min(config.chunkSize, maxChunk)) breach = "client.upload_chunk";
    else if (entry.received + bytes.length > entry.info.size) breach = "client.upload_too_large";
    if (breach) {
      this.#fail(entry, failureText(breach));
      return { ok: false, stop: true, code: breach };
    }
    // Disk is counted as bytes arrive, so a client that never sends cannot hold any.
    if (!this.#files!.reserve(bytes.length)) {
      this.#fail(entry, "The server cannot take this file now; try again later");
      return { ok: false, stop: true };
    }
    entry.reserved += bytes.length;
    try {
      if (!entry.file) {
        const created = await this.#files!.create();
        if (entry.state !== "uploading") {
          created.file.close();
          this.#files!.remove(created.path);
          return { ok: false, stop: true };
        }
        entry.path = created.path;
        entry.file = created.file;
      }
      const file = entry.file;
      for (let at = 0; at < bytes.length;) at += await file.write(bytes.subarray(at));
    } catch {
      // Cancelled (the file was closed under the write), or the disk failed.
      if (entry.state !== "uploading") return { ok: false, stop: true };
      this.#fail(entry, "The upload could not be saved");
      return { ok: false, stop: true, code: "server.internal" };
    }
    if (entry.state !== "uploading") return { ok: false, stop: true };
    entry.received += bytes.length;
    if (entry.received === entry.info.size) {
      entry.file!.close();
      entry.file = null;
      entry.state = "done";
    }
    this.#publish(entry, now);
    return { ok: true, received: entry.received };
  }

  /**
   * External uploads: the browser reports `progress` (0–100; 100 is done) or a failure. `unknown`
   * when `ref` names no external entry in flight (`ended` when it was cancelled or consumed).
   */
  progress(ref: string, progress: number, failed: boolean, now: number): "ok" | Admission {
    const entry = this.#entries.get(ref);
    if (!entry) return this.#ended.has(ref) ? "ended" : "unknown";
    if (!entry.external || entry.state !== "uploading") {
      return entry.state === "failed" ? "ended" : "unknown";
    }
    if (failed) {
      this.#fail(entry, "The upload to storage failed");
      return "ok";
    }
    const size = entry.info.size;
    const p = Math.max(0, Math.min(100, Math.floor(progress)));
    if (p === 100) entry.state = "done";
    else entry.received = Math.max(entry.received, Math.floor((size * p) / 100));
    this.#publish(entry, now);
    return "ok";
  }

  /** Cancels entry `ref` of upload `name` (any state): removed, its file deleted. */
  cancel(name: string, ref: string): void {
    const entry = this.#entries.get(ref);
    if (!entry || entry.upload.config.name !== name) return;
    this.#drop(entry);
    this.#publishList(entry.upload);
  }

  /**
   * Hands each finished entry of `name` to `fn`, in order, then removes it and deletes its file
   * (unless `fn` moved it). Entries not finished stay.
   */
  async consume<T>(name: string, fn: (entry: UploadedEntry) => T | Promise<T>): Promise<T[]> {
    const upload = this.#uploads.get(name);
    if (!upload) throw new Error(`No upload named ${JSON.stringify(name)}: call allowUpload first`);
    const results: T[] = [];
    for (const entry of upload.list.filter((e) => e.state === "done")) {
      const given: UploadedEntry = entry.external
        ? { ...entry.info, external: entry.external }
        : { ...entry.info, path: entry.path! };
      results.push(await fn(given));
      // Whatever `fn` left at `path` goes, without blocking other connections meanwhile.
      const path = entry.path;
      entry.path = null;
      this.#drop(entry);
      this.#publishList(upload);
      if (path) await this.#files?.discard(path);
    }
    return results;
  }

  /** The connection dropped: entries in flight fail (their bytes cannot continue), files deleted. */
  interrupt(): void {
    batch(() => {
      for (const entry of this.#entries.values()) {
        if (entry.state === "uploading") {
          this.#fail(entry, "The connection was lost during the upload");
        }
      }
    });
  }

  /** The view ended: every file is deleted and nothing more is accepted. */
  dispose(): void {
    this.#disposed = true;
    for (const entry of this.#entries.values()) this.#release(entry);
    this.#entries.clear();
  }

  #finishEmpty(entry: Entry): Promise<void> {
    return this.#files!.create().then(({ path, file }) => {
      file.close();
      if (entry.state !== "uploading") return this.#files!.remove(path);
      entry.path = path;
      entry.state = "done";
      this.#publish(entry, Infinity);
    }, () => this.#fail(entry, "The upload could not be saved"));
  }

  /** Marks `entry` failed with `error`; its file is deleted. */
  #fail(entry: Entry, error: string): void {
    if (entry.state === "done" || entry.state === "failed" || entry.state === "refused") return;
    entry.state = "failed";
    entry.errors = [error];
    this.#release(entry);
    this.#publish(entry, Infinity);
  }

  /** Closes and deletes the entry's file, and gives its disk reservation back. */
  #release(entry: Entry): void {
    if (entry.file) {
      try {
        entry.file.close();
      } catch {
        // closed already
      }
      entry.file = null;
    }
    if (entry.path) this.#files?.remove(entry.path);
    entry.path = null;
    if (entry.reserved) this.#files?.release(entry.reserved);
    entry.reserved = 0;
  }

  /** Removes `entry` from its upload (cancelled, consumed, replaced). */
  #drop(entry: Entry): void {
    this.#release(entry);
    entry.state = "failed";
    this.#entries.delete(entry.ref);
    this.#ended.add(entry.ref);
    if (this.#ended.size > ENDED_REFS) this.#ended.delete(this.#ended.values().next().value!);
    const list = entry.upload.list;
    const at = list.indexOf(entry);
    if (at >= 0) list.splice(at, 1);
  }

  /** Re-renders `entry` unless it did so less than 100 ms ago (finished and failed: always). */
  #publish(entry: Entry, now: number): void {
    const final = entry.state !== "uploading";
    if (!final && now - entry.published < PROGRESS_INTERVAL_MS) return;
    entry.published = now;
    entry.view.value = entry.snapshot();
  }

  #publishList(upload: Upload): void {
    upload.entries.value = upload.list.map((e) => e.view);
  }
}

function failureText(code: ErrorCode): string {
  return code === "client.upload_too_large"
    ? "More bytes arrived than the file has"
    : "The upload failed";
}

const REGISTRIES = new WeakMap<object, ViewUploads>();

/** The uploads of `view` (created on first use; kept outside the view so they are never state). */
export function uploadsOf(view: object): ViewUploads {
  let uploads = REGISTRIES.get(view);
  if (!uploads) REGISTRIES.set(view, uploads = new ViewUploads());
  return uploads;
}

/** The uploads of `view` if it has any. */
export function existingUploadsOf(view: object): ViewUploads | undefined {
  return REGISTRIES.get(view);
}
