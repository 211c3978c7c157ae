/**
 * The temporary files uploads are written to, for one App: where they go, how many bytes they may
 * take at once, and removal of whatever is left when the App closes.
 * @module
 */

/** Options of {@link TempFiles} (the App's `uploads` option). */
export interface TempFilesOptions {
  /** Directory of the temporary files (default: the system's, `Deno.makeTempFile`'s). */
  dir?: string;
  /**
   * Bytes all uploads in flight or waiting to be consumed may take on disk, counted as they arrive
   * (default 2 GiB). The chunk that would pass it fails its entry.
   */
  maxBytes?: number;
}

/**
 * Temporary upload files of one App.
 *
 * @example
 * ```ts
 * import { TempFiles } from "./temp_files.ts";
 * const files = new TempFiles();
 * const { path, file } = await files.create();
 * file.close();
 * files.remove(path); // gone, and forgotten
 * ```
 */
export class TempFiles {
  readonly #dir: string | undefined;
  readonly #maxBytes: number;
  readonly #paths = new Set<string>();
  #reserved = 0;

  constructor(options: TempFilesOptions = {}) {
    this.#dir = options.dir;
    this.#maxBytes = options.maxBytes ?? 2 * 1024 ** 3;
  }

  /** Paths of the files that exist now (for tests and monitoring). */
  get paths(): readonly string[] {
    return [...this.#paths];
  }

  /** Bytes reserved by entries now. */
  get reserved(): number {
    return this.#reserved;
  }

  /** Counts `bytes` more on disk; false (nothing counted) when that would pass `maxBytes`. */
  reserve(bytes: number): boolean {
    if (this.#reserved + bytes > this.#maxBytes) return false;
    this.#reserved += bytes;
    return true;
  }

  /** Gives back what {@link reserve} took. */
  release(bytes: number): void {
    this.#reserved = Math.max(0, this.#reserved - bytes);
  }

  /** Creates an empty temporary file, open for writing. */
  async create(): Promise<{ path: string; file: Deno.FsFile }> {
    const path = await Deno.makeTempFile({ dir: this.#dir, prefix: "djust-upload-" });
    this.#paths.add(path);
    try {
      return { path, file: await Deno.open(path, { write: true, truncate: true }) };
    } catch (err) {
      this.remove(path);
      throw err;
    }
  }

  /**
   * Deletes `path` (synchronously: it runs when views end, which cannot wait) and forgets it. A
   * file that is gone already (the application moved it) is fine.
   */
  remove(path: string): void {
    this.#paths.delete(path);
    try {
      Deno.removeSync(path);
    } catch {
      // Moved or removed by the application: nothing left to delete.
    }
  }

  /** Deletes `path` without blocking (a large file takes a while to free) and forgets it. */
  async discard(path: string): Promise<void> {
    this.#paths.delete(path);
    await Deno.remove(path).catch(() => {});
  }

  /** Deletes every file left (the App is closing). */
  clear(): void {
    for (const path of [...this.#paths]) this.remove(path);
    this.#reserved = 0;
  }
}
