/**
 * Reading what a GET asks for beyond the path (RFC 9110): conditional headers (`If-None-Match`,
 * `If-Modified-Since`, `If-Range`), a byte `Range`, and `Accept-Encoding`.
 * @module
 */

/** An inclusive byte range of a file: `bytes=0-99` is `{ start: 0, end: 99 }`. */
export interface ByteRange {
  /** First byte. */
  readonly start: number;
  /** Last byte (inclusive). */
  readonly end: number;
}

/**
 * True when `If-None-Match` lists `etag` (weak comparison: `W/"x"` matches `"x"`) or is `*`.
 *
 * @example
 * ```ts
 * import { noneMatchHits } from "./request_headers.ts";
 * noneMatchHits('"a", W/"b"', '"b"'); // true
 * noneMatchHits('"a"', '"b"'); // false
 * ```
 */
export function noneMatchHits(header: string, etag: string): boolean {
  for (const part of header.split(",")) {
    const tag = part.trim();
    if (tag === "*" || tag === etag || (tag.startsWith("W/") && tag.slice(2) === etag)) return true;
  }
  return false;
}

/**
 * True when `If-Modified-Since` is a date at or after `mtimeMs` (compared in whole seconds, the
 * precision of HTTP dates). An unparsable date counts as absent (false).
 *
 * @example
 * ```ts
 * import { notModifiedSince } from "./request_headers.ts";
 * notModifiedSince("Fri, 04 Dec 2026 21:00:29 GMT", Date.UTC(2026, 11, 4, 21, 0, 29, 500)); // true
 * ```
 */
export function notModifiedSince(header: string, mtimeMs: number): boolean {
  const since = Date.parse(header);
  return !Number.isNaN(since) && wholeSeconds(mtimeMs) <= since;
}

/**
 * True when an `If-Range` validator still describes the file, so its `Range` applies: the strong
 * ETag itself, or exactly the `Last-Modified` date.
 *
 * @example
 * ```ts
 * import { ifRangeHolds } from "./request_headers.ts";
 * ifRangeHolds('"abc"', '"abc"', 0); // true
 * ifRangeHolds('W/"abc"', '"abc"', 0); // false: If-Range compares strongly
 * ```
 */
export function ifRangeHolds(header: string, etag: string, mtimeMs: number): boolean {
  const value = header.trim();
  if (value.startsWith('"') || value.startsWith("W/")) return value === etag;
  const date = Date.parse(value);
  return !Number.isNaN(date) && date === wholeSeconds(mtimeMs);
}

/**
 * The range a `Range` header asks of a file of `size` bytes: a {@link ByteRange}, `"unsatisfiable"`
 * (answer 416), or null to ignore the header and send the whole file. Null covers malformed
 * headers, other units and multiple ranges (`bytes=0-1,5-6`): RFC 9110 lets a server ignore Range,
 * and a whole 200 is simpler for every client than a multipart/byteranges body.
 *
 * @example
 * ```ts
 * import { parseRange } from "./request_headers.ts";
 * parseRange("bytes=0-99", 1000); // { start: 0, end: 99 }
 * parseRange("bytes=-100", 1000); // { start: 900, end: 999 }
 * parseRange("bytes=1000-", 1000); // "unsatisfiable"
 * parseRange("bytes=0-1,5-6", 1000); // null
 * ```
 */
export function parseRange(header: string, size: number): ByteRange | "unsatisfiable" | null {
  const m = /^\s*bytes\s*=\s*(\d*)\s*-\s*(\d*)\s*$/i.exec(header);
  if (m === null || (m[1] === "" && m[2] === "")) return null;
  if (m[1] === "") {
    const suffix = Number(m[2]);
    if (suffix === 0 || size === 0) return "unsatisfiable";
    return { start: Math.max(0, size - suffix), end: size - 1 };
  }
  const start = Number(m[1]);
  const last = m[2] === "" ? Infinity : Number(m[2]);
  if (last < start) return null; // an invalid range-spec: ignored, as the RFC says
  if (start >= size) return "unsatisfiable";
  return { start, end: Math.min(last, size - 1) };
}

/**
 * True when `Accept-Encoding` accepts gzip: listed (or `x-gzip`, or `*` when gzip is not listed)
 * with a quality above zero.
 *
 * @example
 * ```ts
 * import { acceptsGzip } from "./request_headers.ts";
 * acceptsGzip("gzip, deflate, br"); // true
 * acceptsGzip("gzip;q=0, *"); // false
 * acceptsGzip(null); // false
 * ```
 */
export function acceptsGzip(header: string | null): boolean {
  if (header === null) return false;
  let wildcard = 0;
  for (const part of header.split(",")) {
    const [coding, ...params] = part.split(";");
    const name = coding.trim().toLowerCase();
    const quality = qualityOf(params);
    if (name === "gzip" || name === "x-gzip") return quality > 0;
    if (name === "*") wildcard = quality;
  }
  return wildcard > 0;
}

function qualityOf(params: string[]): number {
  for (const param of params) {
    const m = /^\s*q\s*=\s*([\d.]+)\s*$/i.exec(param);
    if (m !== null) return Number(m[1]) || 0;
  }
  return 1;
}

/** `mtimeMs` truncated to the second, as an HTTP date carries it. */
function wholeSeconds(mtimeMs: number): number {
  return Math.floor(mtimeMs / 1000) * 1000;
}
