/**
 * Response bodies for static files: a file streamed in chunks (whole or a byte range), gzip, and a
 * bounded in-memory cache for small files so hot assets are not read from disk on every request.
 * @module
 */
import type { StaticFile } from "./manifest.ts";

/** Bytes backed by a plain ArrayBuffer: what Response, Blob and CompressionStream accept. */
export type Bytes = Uint8Array<ArrayBuffer>;

/** Bytes read from disk per chunk when streaming. */
export const CHUNK_BYTES = 64 * 1024;

/**
 * `length` bytes of `file` from offset `start`, read one chunk per pull so memory stays bounded
 * whatever the file's size. The stream owns `file`: it closes it when finished, on error and when
 * the reader cancels (a client that went away). A file that turns out shorter than `length` errors
 * the stream rather than ending it, so a response never looks complete when it is not.
 *
 * @example
 * ```ts
 * import { fileStream } from "./body.ts";
 * const file = await Deno.open("./static/video.mp4");
 * const body = fileStream(file, 0, (await file.stat()).size);
 * new Response(body);
 * ```
 */
export function fileStream(
  file: Deno.FsFile,
  start: number,
  length: number,
): ReadableStream<Bytes> {
  let remaining = length;
  let open = true;
  const close = (): void => {
    if (open) file.close();
    open = false;
  };
  return new ReadableStream<Bytes>({
    async start() {
      try {
        if (start !== 0) await file.seek(start, Deno.SeekMode.Start);
      } catch (error) {
        close();
        throw error;
      }
      if (remaining === 0) close();
    },
    async pull(controller) {
      if (remaining === 0) return controller.close();
      try {
        const chunk = new Uint8Array(Math.min(CHUNK_BYTES, remaining));
        const read = await file.read(chunk);
        if (read === null) throw new Error(`File ended ${remaining} bytes early (truncated?)`);
        remaining -= read;
        controller.enqueue(read === chunk.length ? chunk : chunk.subarray(0, read));
        if (remaining === 0) {
          close();
          controller.close();
        }
      } catch (error) {
        close();
        controller.error(error);
      }
    },
    cancel: close,
  }, { highWaterMark: 0 }); // read only when the consumer asks: no read-ahead buffering
}

/**
 * `body` gzipped as it flows.
 *
 * @example
 * ```ts
 * import { gzipStream } from "./body.ts";
 * const zipped = gzipStream(new Blob(["hello"]).stream());
 * ```
 */
export function gzipStream(body: ReadableStream<Bytes>): ReadableStream<Bytes> {
  return body.pipeThrough(new CompressionStream("gzip"));
}

/**
 * `bytes` gzipped.
 *
 * @example
 * ```ts
 * import { gzipBytes } from "./body.ts";
 * const zipped = await gzipBytes(new TextEncoder().encode("a".repeat(1000)));
 * zipped.length < 1000; // true
 * ```
 */
export async function gzipBytes(bytes: Bytes): Promise<Bytes> {
  const stream = new Blob([bytes]).stream();
  return await new Response(gzipStream(stream)).bytes();
}

/** A small file's content held in memory. */
export interface CachedBody {
  /** The content as on disk. */
  readonly identity: Bytes;
  /** The content gzipped, or null when gzip is not offered for it (not text, too small, no gain). */
  readonly gzip: Bytes | null;
}

/**
 * Bodies of small files, least recently used first out, holding at most `maxBytes` in total
 * (identity and gzip bytes counted).
 *
 * @example
 * ```ts
 * import { BodyCache } from "./body.ts";
 * const cache = new BodyCache(16 * 1024 * 1024);
 * // cache.set(file, { identity, gzip: null }); cache.get(file);
 * ```
 */
export class BodyCache {
  readonly #maxBytes: number;
  // Map iteration follows insertion order, and get() re-inserts: the first key is the least
  // recently used.
  readonly #bodies = new Map<StaticFile, CachedBody>();
  #bytes = 0;

  /** A cache holding at most `maxBytes`. */
  constructor(maxBytes: number) {
    this.#maxBytes = maxBytes;
  }

  /** Bytes held now. */
  get bytes(): number {
    return this.#bytes;
  }

  /** The cached body of `file`, marking it recently used. */
  get(file: StaticFile): CachedBody | undefined {
    const body = this.#bodies.get(file);
    if (body !== undefined) {
      this.#bodies.delete(file);
      this.#bodies.set(file, body);
    }
    return body;
  }

  /** Caches `body` for `file`, evicting the least recently used bodies to make room. */
  set(file: StaticFile, body: CachedBody): void {
    const cost = costOf(body);
    if (cost > this.#maxBytes) return;
    this.#delete(file);
    for (const [oldest] of this.#bodies) {
      if (this.#bytes + cost <= this.#maxBytes) break;
      this.#delete(oldest);
    }
    this.#bodies.set(file, body);
    this.#bytes += cost;
  }

  /** Drops every body whose file `keep` rejects (files changed or removed by a re-scan). */
  retain(keep: (file: StaticFile) => boolean): void {
    for (const file of [...this.#bodies.keys()]) if (!keep(file)) this.#delete(file);
  }

  #delete(file: StaticFile): void {
    const body = this.#bodies.get(file);
    if (body === undefined) return;
    this.#bodies.delete(file);
    this.#bytes -= costOf(body);
  }
}

function costOf(body: CachedBody): number {
  return body.identity.length + (body.gzip?.length ?? 0);
}
