/**
 * The answer to a GET or HEAD for one static file: which representation (identity or gzip, whole
 * or a range), its validators and caching headers, and 304 or 416 when those apply.
 * @module
 */
import { type CachedBody, fileStream, gzipStream } from "./body.ts";
import type { StaticFile } from "./manifest.ts";
import {
  acceptsGzip,
  type ByteRange,
  ifRangeHolds,
  noneMatchHits,
  notModifiedSince,
  parseRange,
} from "./request_headers.ts";

/** A hashed URL never changes content, so any cache may keep it for a year without asking. */
export const CACHE_IMMUTABLE = "public, max-age=31536000, immutable";
/** A plain URL may change content: caches keep it but revalidate (cheap: ETag and 304). */
export const CACHE_REVALIDATE = "no-cache";

/** What to send: the file, the Cache-Control its URL earns, and whether gzip is offered for it. */
export interface FileAnswer {
  /** The file, as scanned. */
  readonly file: StaticFile;
  /** {@link CACHE_IMMUTABLE} or {@link CACHE_REVALIDATE}. */
  readonly cacheControl: string;
  /** True when the file is text large enough to gzip (the response then varies on encoding). */
  readonly gzipOffered: boolean;
}

/**
 * Answers `request` (GET or HEAD) with `body`: the file's bytes from memory, or its open handle,
 * which this takes over (streamed, or closed when no body is sent).
 *
 * @example
 * ```ts
 * import { CACHE_REVALIDATE, fileResponse } from "./response.ts";
 * import type { StaticFile } from "./manifest.ts";
 * declare const file: StaticFile;
 * const body = { identity: new Uint8Array(file.size), gzip: null };
 * fileResponse(new Request("http://x/static/a.css"), {
 *   file,
 *   cacheControl: CACHE_REVALIDATE,
 *   gzipOffered: false,
 * }, body);
 * ```
 */
export function fileResponse(
  request: Request,
  answer: FileAnswer,
  body: CachedBody | Deno.FsFile,
): Response {
  const { file } = answer;
  const headers = new Headers({
    "content-type": file.mediaType.contentType,
    "cache-control": answer.cacheControl,
    "last-modified": new Date(file.mtimeMs).toUTCString(),
    "accept-ranges": "bytes",
    "x-content-type-options": "nosniff",
  });
  if (answer.gzipOffered) headers.set("vary", "Accept-Encoding");
  const identityTag = `"${file.digest.slice(0, 16)}"`;
  const range = rangeOf(request, file, identityTag);
  // A range is of the identity bytes: never compressed.
  const gzip = range === null && answer.gzipOffered &&
    acceptsGzip(request.headers.get("accept-encoding")) &&
    (body instanceof Deno.FsFile || body.gzip !== null);
  // Each encoding is its own representation, so it gets its own strong ETag.
  const etag = gzip ? `"${file.digest.slice(0, 16)}-gzip"` : identityTag;
  headers.set("etag", etag);
  if (gzip) headers.set("content-encoding", "gzip");

  const release = (): void => {
    if (body instanceof Deno.FsFile) body.close();
  };
  if (isNotModified(request, etag, file.mtimeMs)) {
    release();
    headers.delete("content-type");
    return new Response(null, { status: 304, headers });
  }
  if (range === "unsatisfiable") {
    release();
    headers.set("content-range", `bytes */${file.size}`);
    return plainResponse(416, Object.fromEntries(headers));
  }
  const { start, end } = range ?? { start: 0, end: file.size - 1 };
  const status = range === null ? 200 : 206;
  if (range !== null) headers.set("content-range", `bytes ${start}-${end}/${file.size}`);
  const length = end - start + 1;
  if (!(body instanceof Deno.FsFile)) {
    const bytes = gzip ? body.gzip! : body.identity.subarray(start, end + 1);
    headers.set("content-length", String(bytes.length));
    return new Response(request.method === "HEAD" ? null : bytes, { status, headers });
  }
  if (!gzip) headers.set("content-length", String(length)); // gzipped on the fly: length unknown
  if (request.method === "HEAD") {
    release();
    return new Response(null, { status, headers });
  }
  const stream = fileStream(body, start, length);
  return new Response(gzip ? gzipStream(stream) : stream, { status, headers });
}

/** The byte range to send: null for the whole file (no Range, or one to ignore). */
function rangeOf(
  request: Request,
  file: StaticFile,
  etag: string,
): ByteRange | "unsatisfiable" | null {
  const header = request.headers.get("range");
  if (header === null || request.method !== "GET") return null;
  const ifRange = request.headers.get("if-range");
  if (ifRange !== null && !ifRangeHolds(ifRange, etag, file.mtimeMs)) return null;
  return parseRange(header, file.size);
}

/** True when the request's validators say the client's copy is current (RFC 9110 §13.2.2). */
function isNotModified(request: Request, etag: string, mtimeMs: number): boolean {
  const noneMatch = request.headers.get("if-none-match");
  // If-None-Match wins: If-Modified-Since is only looked at when it is absent.
  if (noneMatch !== null) return noneMatchHits(noneMatch, etag);
  const since = request.headers.get("if-modified-since");
  return since !== null && notModifiedSince(since, mtimeMs);
}

const STATUS_TEXT: Record<number, string> = {
  404: "Not Found",
  405: "Method Not Allowed",
  416: "Range Not Satisfiable",
  503: "Service Unavailable",
};

/**
 * A short plain-text answer for an error status (404, 405, 416, 503) with extra `headers`.
 *
 * @example
 * ```ts
 * import { plainResponse } from "./response.ts";
 * plainResponse(405, { allow: "GET, HEAD" });
 * ```
 */
export function plainResponse(status: number, headers: Record<string, string> = {}): Response {
  return new Response(STATUS_TEXT[status] ?? "", {
    status,
    headers: { ...headers, "content-type": "text/plain; charset=utf-8" },
  });
}
