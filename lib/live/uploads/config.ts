/**
 * What `allowUpload(name, options)` declares, resolved once, and the checks a chosen file passes
 * before any of its bytes is sent: accepted type (by extension and by MIME type, which must agree
 * with each other) and size.
 * @module
 */
// @ts-types="@types/mime-types"
import mimeTypes from "mime-types";
import type { ExternalTarget } from "../protocol.ts";

/** What the `external` function of an upload is told about an entry. */
export interface UploadEntryInfo {
  /** The entry's ref (server-issued; `entry.ref` in templates). */
  readonly ref: string;
  /** The file's name as the browser gave it (last path segment, control characters removed). */
  readonly name: string;
  /** The MIME type the browser claimed ("" when unknown). Not checked against the content. */
  readonly type: string;
  /** The size the browser declared, in bytes. */
  readonly size: number;
}

/** Options of {@link LiveView.allowUpload}. */
export interface UploadOptions {
  /**
   * Accepted types: extensions (`".png"`), MIME types (`"image/webp"`) and wildcards
   * (`"image/*"`). A file passes when its extension or its MIME type is listed, and its MIME type
   * agrees with its extension. Default: any file.
   */
  accept?: readonly string[];
  /** Most files at once (entries of this upload, refused ones included). Default 1. */
  maxEntries?: number;
  /** Largest file, in bytes. Default 8 000 000. */
  maxFileSize?: number;
  /**
   * Bytes per chunk over the socket. Default 64 KiB; at most the App's `maxFrameBytes` less 74
   * bytes of frame header (larger values are lowered to that).
   */
  chunkSize?: number;
  /** Start uploading as soon as files are chosen, instead of when the form is submitted. */
  autoUpload?: boolean;
  /**
   * Send files straight to storage instead of over the socket: returns where the browser sends
   * each entry (a presigned URL, with the form fields of a POST or the headers of a PUT). The view
   * gets the entry's metadata; the browser reports progress.
   */
  external?: (entry: UploadEntryInfo) => ExternalTarget | Promise<ExternalTarget>;
}

/** An upload's options with defaults filled in. */
export interface UploadConfig {
  readonly name: string;
  /** Accepted extensions, lower case with the dot (empty with `types`: anything). */
  readonly extensions: readonly string[];
  /** Accepted MIME types, lower case (`image/*` kept as a wildcard). */
  readonly types: readonly string[];
  /** The `accept` attribute of the file input ("" when anything goes). */
  readonly acceptAttr: string;
  readonly maxEntries: number;
  readonly maxFileSize: number;
  readonly chunkSize: number;
  readonly autoUpload: boolean;
  readonly external: UploadOptions["external"] | null;
}

/** The default chunk size: 64 KiB. */
export const DEFAULT_CHUNK_SIZE = 64 * 1024;

/** Checks and completes `options`; throws a TypeError naming a bad option. */
export function resolveConfig(name: string, options: UploadOptions): UploadConfig {
  if (!/^[A-Za-z_][\w-]{0,63}$/.test(name)) {
    throw new TypeError(`allowUpload: ${JSON.stringify(name)} is not a valid upload name`);
  }
  const positive = (key: string, value: number | undefined, fallback: number) => {
    const v = value ?? fallback;
    if (!Number.isSafeInteger(v) || v < 1) {
      throw new TypeError(`allowUpload(${name}): ${key} must be a positive integer, not ${v}`);
    }
    return v;
  };
  const extensions: string[] = [];
  const types: string[] = [];
  for (const item of options.accept ?? []) {
    const a = String(item).trim().toLowerCase();
    if (/^\.[\w.+-]+$/.test(a)) extensions.push(a);
    else if (/^[\w.+-]+\/(\*|[\w.+-]+)$/.test(a)) types.push(a);
    else if (a !== "*") {
      throw new TypeError(
        `allowUpload(${name}): ${JSON.stringify(item)} is not an extension ` +
          `(".png") or a MIME type ("image/png", "image/*")`,
      );
    }
  }
  return {
    name,
    extensions,
    types,
    acceptAttr: [...extensions, ...types].join(","),
    maxEntries: positive("maxEntries", options.maxEntries, 1),
    maxFileSize: positive("maxFileSize", options.maxFileSize, 8_000_000),
    chunkSize: positive("chunkSize", options.chunkSize, DEFAULT_CHUNK_SIZE),
    autoUpload: options.autoUpload ?? false,
    external: options.external ?? null,
  };
}

/** The extension of `fileName`, lower case with the dot ("" when it has none). */
function extensionOf(fileName: string): string {
  const dot = fileName.lastIndexOf(".");
  return dot > 0 ? fileName.slice(dot).toLowerCase() : "";
}

function typeMatches(pattern: string, type: string): boolean {
  return pattern.endsWith("/*") ? type.startsWith(pattern.slice(0, -1)) : pattern === type;
}

/**
 * Why the file `name` of MIME type `type` is not accepted, or null when it is. The type the
 * browser claims must agree with the extension (when both are known), so `evil.png` sent as
 * `text/html` is refused even though `.png` is accepted.
 *
 * @example
 * ```ts
 * import { refusedType, resolveConfig } from "./config.ts";
 * const config = resolveConfig("avatar", { accept: [".png", "image/webp"] });
 * refusedType(config, "me.png", "image/png"); // null
 * refusedType(config, "me.gif", "image/gif"); // "Not an accepted file type (.png, image/webp)"
 * ```
 */
export function refusedType(config: UploadConfig, name: string, type: string): string | null {
  let mime = type.toLowerCase().split(";")[0].trim();
  // The browser's word for "I do not know" (most send "" instead).
  if (mime === "application/octet-stream") mime = "";
  const extension = extensionOf(name);
  const expected = extension ? mimeTypes.lookup(extension) : false;
  if (mime && expected && !agrees(mime, extension, expected)) {
    return "The file's type does not match its name";
  }
  if (!config.extensions.length && !config.types.length) return null;
  if (extension && config.extensions.includes(extension)) return null;
  const effective = mime || expected || "";
  if (effective && config.types.some((t) => typeMatches(t, effective))) return null;
  return `Not an accepted file type (${[...config.extensions, ...config.types].join(", ")})`;
}

/** True when the claimed `mime` is a type of files with `extension` (`image/jpeg` for `.jpg`). */
function agrees(mime: string, extension: string, expected: string): boolean {
  if (mimeTypes.extensions[mime]?.includes(extension.slice(1))) return true;
  // Older names browsers still send: image/x-png, image/jpg, audio/x-wav.
  const norm = (t: string) => t.replace("/x-", "/").replace("/jpg", "/jpeg");
  return norm(mime) === norm(expected);
}

/**
 * What is wrong with `file` for an upload with `options` (type, size), as a list of messages; empty
 * when it passes. The checks `allowUpload` applies when files are chosen, for a plain handler that
 * receives the same files without JavaScript (a `multipart/form-data` POST).
 *
 * @example
 * ```ts
 * import { uploadErrors } from "./config.ts";
 * uploadErrors({ accept: [".png"], maxFileSize: 1000 }, { name: "a.png", type: "image/png", size: 5000 });
 * // ["File too large (at most 1 kB)"]
 * ```
 */
export function uploadErrors(
  options: UploadOptions,
  file: { readonly name: string; readonly type: string; readonly size: number },
): string[] {
  // Read one by one: a File's fields are getters, which spreading would not copy.
  const { type, size } = file;
  return fileErrors(resolveConfig("upload", options), {
    name: cleanFileName(file.name),
    type,
    size,
  });
}

/** What is wrong with `file` (its name already cleaned) for `config`. */
export function fileErrors(
  config: UploadConfig,
  file: { readonly name: string; readonly type: string; readonly size: number },
): string[] {
  const errors: string[] = [];
  const badType = refusedType(config, file.name, file.type);
  if (badType) errors.push(badType);
  if (file.size > config.maxFileSize) {
    errors.push(`File too large (at most ${formatBytes(config.maxFileSize)})`);
  }
  return errors;
}

/** A file name fit to show and keep: its last path segment, no control characters, ≤ 255 chars. */
export function cleanFileName(name: string): string {
  // deno-lint-ignore no-control-regex -- control characters are what is removed
  const base = name.split(/[\\/]/).pop()!.replace(/[\u0000-\u001f\u007f]/g, "").trim();
  return base.slice(0, 255) || "file";
}

/** `5000000` → "5 MB" (decimal units, as file managers show sizes). */
export function formatBytes(bytes: number): string {
  const units = ["bytes", "kB", "MB", "GB", "TB"];
  let value = bytes, unit = 0;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit++;
  }
  const text = unit === 0 ? String(value) : String(Math.round(value * 10) / 10);
  return `${text} ${units[unit]}`;
}
