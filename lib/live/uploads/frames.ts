/**
 * The binary frame that carries one chunk of an upload over the view's WebSocket. JSON frames
 * carry everything else; a binary frame is always a chunk:
 *
 * ```
 *   byte 0        kind, always 1 (an upload chunk); any other value is refused
 *   byte 1        n, the length of the entry ref in bytes (1–64)
 *   bytes 2…2+n   the entry ref (ASCII, server-issued)
 *   next 8 bytes  offset of the first byte in the file: unsigned, big-endian, below 2^53
 *   the rest      the bytes (at least one)
 * ```
 *
 * Imported by the server, the browser's upload chunk and the test toolkit, so none of them spells
 * the layout on its own. It imports nothing: the browser chunk must not pull core modules in.
 * @module
 */

/** Byte 0 of a chunk frame. */
export const CHUNK_KIND = 1;

/** The longest entry ref a frame may carry. */
export const MAX_REF_BYTES = 64;

/** The most bytes a chunk frame adds to its data (a chunk must fit in a frame with them). */
export const MAX_CHUNK_HEADER = 2 + MAX_REF_BYTES + 8;

/** A decoded chunk frame. */
export interface ChunkFrame {
  /** The entry ref. */
  entry: string;
  /** Where `bytes` start in the file. */
  offset: number;
  /** The chunk's data (a view into the frame, not a copy). */
  bytes: Uint8Array;
}

/**
 * The header of a chunk of `entry` starting at `offset`: send it followed by the bytes (the
 * browser sends `new Blob([header, file.slice(…)])`, so the file's bytes are never copied).
 *
 * @example
 * ```ts
 * import { chunkHeader, decodeChunk } from "./frames.ts";
 * const header = chunkHeader("k3", 65536);
 * const frame = new Uint8Array([...header, 1, 2, 3]);
 * decodeChunk(frame); // { entry: "k3", offset: 65536, bytes: Uint8Array [1, 2, 3] }
 * ```
 */
export function chunkHeader(entry: string, offset: number): Uint8Array<ArrayBuffer> {
  const n = entry.length;
  const header = new Uint8Array(2 + n + 8);
  header[0] = CHUNK_KIND;
  header[1] = n;
  for (let i = 0; i < n; i++) header[2 + i] = entry.charCodeAt(i) & 0x7f;
  const view = new DataView(header.buffer);
  view.setUint32(2 + n, Math.floor(offset / 2 ** 32));
  view.setUint32(6 + n, offset >>> 0);
  return header;
}

/**
 * Reads a chunk frame; null when it is not one (unknown kind, a ref that is empty, too long or not
 * ASCII, an offset past 2^53, no data).
 */
export function decodeChunk(frame: Uint8Array): ChunkFrame | null {
  if (frame.length < 12 || frame[0] !== CHUNK_KIND) return null;
  const n = frame[1];
  if (n < 1 || n > MAX_REF_BYTES || frame.length < 2 + n + 8 + 1) return null;
  let entry = "";
  for (let i = 0; i < n; i++) {
    const c = frame[2 + i];
    if (c < 0x21 || c > 0x7e) return null;
    entry += String.fromCharCode(c);
  }
  const view = new DataView(frame.buffer, frame.byteOffset, frame.byteLength);
  const high = view.getUint32(2 + n);
  if (high >= 2 ** 21) return null;
  const offset = high * 2 ** 32 + view.getUint32(6 + n);
  return { entry, offset, bytes: frame.subarray(2 + n + 8) };
}
