/**
 * What a static file is, from its name: the Content-Type header to send and whether gzip helps.
 * Both come from the `mime-db` database (through `mime-types` for the extension lookup), so a new
 * file type is a dependency update, not a code change.
 * @module
 */
// @ts-types="@types/mime-types"
import mimeTypes from "mime-types";
import mimeDb from "mime-db";

/** How a file is labelled and whether it compresses. */
export interface MediaType {
  /** The Content-Type header value, with `charset=utf-8` for text (`text/css; charset=utf-8`). */
  readonly contentType: string;
  /** True for formats gzip shrinks: text (HTML, CSS, JS, JSON, SVG, XML), WASM, fonts, icons. */
  readonly compressible: boolean;
}

/** Sent for names the database does not know: browsers then download instead of sniffing. */
const UNKNOWN: MediaType = { contentType: "application/octet-stream", compressible: false };

// mime-db ships no types; this is the one field read from it.
const database = mimeDb as Record<string, { compressible?: boolean } | undefined>;

/**
 * The media type of `fileName`, by its extension.
 *
 * @example
 * ```ts
 * import { mediaTypeOf } from "./media_type.ts";
 * mediaTypeOf("css/app.css"); // { contentType: "text/css; charset=utf-8", compressible: true }
 * mediaTypeOf("logo.png"); // { contentType: "image/png", compressible: false }
 * ```
 */
export function mediaTypeOf(fileName: string): MediaType {
  const type = mimeTypes.lookup(fileName);
  if (type === false) return UNKNOWN;
  // contentType() adds charset=utf-8 to text/* and to the types mime-db marks UTF-8 (JSON, JS).
  // XML and SVG get none: their own encoding declaration applies, and a header would override it.
  const contentType = mimeTypes.contentType(type) || type;
  return { contentType, compressible: isCompressible(type) };
}

/** mime-db's flag, else the rule for types it leaves unmarked: text and +json/+xml/+text suffixes. */
function isCompressible(type: string): boolean {
  // mime-db marks the catch-all binary type compressible, but what it labels (.bin, .exe, .dmg,
  // .iso) is mostly compressed already: gzip would spend CPU for nothing.
  if (type === "application/octet-stream") return false;
  const known = database[type]?.compressible;
  if (known !== undefined) return known;
  return type.startsWith("text/") || /\+(?:json|text|xml)$/.test(type);
}
