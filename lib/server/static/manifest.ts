/**
 * The manifest: every servable file of the static directories, with its content hash, found by one
 * scan. Requests and `{% static %}` only ever look names up here, so a file the scan did not record
 * (outside the directory, behind a dot name, reached through a symlink that leaves the directory)
 * cannot be served, whatever the URL says.
 *
 * ```
 *   "/static" -> ./static ──scan──> Manifest
 *                                     "/static/css/app.css"          -> StaticFile ┐ same object
 *                                     "/static/css/app.3f9a1c2e.css" -> StaticFile ┘
 * ```
 * @module
 */
import { createHash } from "node:crypto";
import { join, sep } from "node:path";
import { type MediaType, mediaTypeOf } from "./media_type.ts";
import { isServableSegment } from "./path_policy.ts";

/** A URL prefix and the directory it serves. */
export interface Mount {
  /** The URL prefix, without a trailing slash: `/static`. */
  readonly prefix: string;
  /** The directory as configured: `./static`. */
  readonly dir: string;
  /** The directory with every symlink resolved: what "inside the directory" is measured against. */
  readonly realDir: string;
}

/** One servable file, as the last scan found it. Replaced, never mutated, when the file changes. */
export interface StaticFile {
  /** The URL prefix of its mount: `/static`. */
  readonly prefix: string;
  /** Its path under the prefix: `css/app.css`. */
  readonly name: string;
  /** The same with the content hash before the extension: `css/app.3f9a1c2e.css`. */
  readonly hashedName: string;
  /** Where it is read from, symlinks resolved (checked to be inside the mount's directory). */
  readonly realPath: string;
  /** Size in bytes when scanned. */
  readonly size: number;
  /** Modification time when scanned (ms since the epoch; 0 when the platform has none). */
  readonly mtimeMs: number;
  /** The file's {@link stampOf} when scanned: a different stamp now means different content. */
  readonly stamp: string;
  /** Hex SHA-256 of the content. */
  readonly digest: string;
  /** Content-Type and compressibility. */
  readonly mediaType: MediaType;
}

/** Hex characters of the digest put in file names (Django puts 12 of MD5; 8 of SHA-256 is plenty). */
export const URL_HASH_LENGTH = 8;

/**
 * A file changed this close to the previous scan's start is hashed again even when its stamp looks
 * unchanged: it may have been written again within the timestamps' granularity (git's "racily
 * clean" problem). Two seconds covers whole-second ctimes and filesystems with coarse timestamps.
 */
const RACY_MARGIN_MS = 2000;

/**
 * What a stat says about a file's version: size, mtime, ctime and inode. Equal stamps mean the same
 * content. The ctime matters: tools that restore an old mtime (`cp -p`, `rsync -t`, `touch -d`)
 * cannot set it back.
 *
 * @example
 * ```ts
 * import { stampOf } from "./manifest.ts";
 * stampOf(await Deno.stat("./static/css/app.css")); // "1234:1733346029123:1733346029000:2146513"
 * ```
 */
export function stampOf(info: Deno.FileInfo): string {
  const mtime = info.mtime?.getTime() ?? "-";
  return `${info.size}:${mtime}:${info.ctime?.getTime() ?? "-"}:${info.ino ?? "-"}`;
}

/**
 * The digest `before` recorded, if the file it describes is surely unchanged: same stamp, and last
 * changed well before the scan that recorded it (`scannedAt`). Otherwise null: hash it again.
 *
 * @example
 * ```ts
 * import { reusableDigest, type StaticFile } from "./manifest.ts";
 * declare const before: StaticFile;
 * reusableDigest(before, await Deno.stat(before.realPath), Date.now()); // before.digest or null
 * ```
 */
export function reusableDigest(
  before: StaticFile,
  info: Deno.FileInfo,
  scannedAt: number,
): string | null {
  const changedAt = changedAtMs(info);
  const settled = changedAt !== null && changedAt < scannedAt - RACY_MARGIN_MS;
  return settled && before.stamp === stampOf(info) ? before.digest : null;
}

/** The latest of mtime and ctime, or null when the platform reports neither. */
function changedAtMs(info: Deno.FileInfo): number | null {
  const times = [info.mtime, info.ctime].filter((t) => t !== null).map((t) => t!.getTime());
  return times.length === 0 ? null : Math.max(...times);
}

/**
 * Checks the configured prefixes and directories and resolves each directory's real path.
 * Throws when a prefix is malformed or a directory is missing.
 *
 * @example
 * ```ts
 * import { resolveMounts } from "./manifest.ts";
 * const mounts = await resolveMounts({ "/static/": "./static" });
 * mounts[0].prefix; // "/static"
 * ```
 */
export async function resolveMounts(dirs: Record<string, string>): Promise<Mount[]> {
  const mounts: Mount[] = [];
  for (const [rawPrefix, dir] of Object.entries(dirs)) {
    const prefix = rawPrefix.replace(/\/+$/, "");
    if (!prefix.startsWith("/") || !prefix.slice(1).split("/").every(isServableSegment)) {
      throw new TypeError(
        `Static prefix "${rawPrefix}" is not a URL path: use one like "/static" (the root "/" is ` +
          `not allowed, so the app's own routes stay reachable)`,
      );
    }
    let realDir: string;
    try {
      realDir = await Deno.realPath(dir);
    } catch (error) {
      if (!(error instanceof Deno.errors.NotFound)) throw error;
      throw new Error(`Static directory "${dir}" (for "${prefix}") does not exist`);
    }
    if (!(await Deno.stat(realDir)).isDirectory) {
      throw new Error(`Static directory "${dir}" (for "${prefix}") is not a directory`);
    }
    mounts.push({ prefix, dir, realDir });
  }
  return mounts;
}

/**
 * The servable files of a set of mounts, by URL path (decoded): both `/static/css/app.css` and
 * `/static/css/app.3f9a1c2e.css` lead to the same {@link StaticFile}.
 *
 * @example
 * ```ts
 * import { Manifest, resolveMounts } from "./manifest.ts";
 * const manifest = await Manifest.scan(await resolveMounts({ "/static": "./static" }), null);
 * manifest.file("/static/css/app.css")?.hashedName; // "css/app.3f9a1c2e.css"
 * ```
 */
export class Manifest {
  /** When this scan started (ms since the epoch). */
  readonly startedAt: number;
  readonly #byPath: Map<string, StaticFile>;
  readonly #byHashedPath: Map<string, StaticFile>;
  readonly #byRealPath: Map<string, StaticFile>;

  private constructor(startedAt: number, files: StaticFile[]) {
    this.startedAt = startedAt;
    this.#byPath = new Map(files.map((f) => [`${f.prefix}/${f.name}`, f]));
    this.#byHashedPath = new Map(files.map((f) => [`${f.prefix}/${f.hashedName}`, f]));
    this.#byRealPath = new Map(files.map((f) => [f.realPath, f]));
  }

  /**
   * Scans every mount. Files unchanged since `previous` (same {@link stampOf}, and not changed
   * racily close to its scan) keep their digest instead of being read again.
   */
  static async scan(mounts: readonly Mount[], previous: Manifest | null): Promise<Manifest> {
    const startedAt = Date.now();
    const files: StaticFile[] = [];
    for (const mount of mounts) {
      for await (const found of walk(mount.realDir, "", [mount.realDir])) {
        const before = previous === null ? undefined : previous.#byRealPath.get(found.realPath);
        const digest = (before && reusableDigest(before, found.info, previous!.startedAt)) ??
          await digestFileOrNull(found.realPath);
        if (digest === null) continue; // removed while scanning
        files.push({
          prefix: mount.prefix,
          name: found.name,
          hashedName: hashedNameOf(found.name, digest),
          realPath: found.realPath,
          size: found.info.size,
          mtimeMs: found.info.mtime?.getTime() ?? 0,
          stamp: stampOf(found.info),
          digest,
          mediaType: mediaTypeOf(found.name),
        });
      }
    }
    return new Manifest(startedAt, files);
  }

  /** The file at the plain URL path `/static/css/app.css`. */
  file(urlPath: string): StaticFile | undefined {
    return this.#byPath.get(urlPath);
  }

  /** The file whose current hashed URL path is `urlPath` (`/static/css/app.3f9a1c2e.css`). */
  hashedFile(urlPath: string): StaticFile | undefined {
    return this.#byHashedPath.get(urlPath);
  }

  /** True when `file` is still the current record of its path (its content did not change). */
  isCurrent(file: StaticFile): boolean {
    return this.#byPath.get(`${file.prefix}/${file.name}`) === file;
  }

  /** Number of files. */
  get size(): number {
    return this.#byPath.size;
  }
}

/**
 * `css/app.css` with the digest's first characters before the extension: `css/app.3f9a1c2e.css`,
 * as Django's `HashedFilesMixin` names them (`LICENSE` becomes `LICENSE.3f9a1c2e`).
 *
 * @example
 * ```ts
 * import { hashedNameOf } from "./manifest.ts";
 * hashedNameOf("js/app.min.js", "3f9a1c2e77..."); // "js/app.min.3f9a1c2e.js"
 * ```
 */
export function hashedNameOf(name: string, digest: string): string {
  const hash = digest.slice(0, URL_HASH_LENGTH);
  const dot = name.lastIndexOf(".");
  if (dot <= name.lastIndexOf("/") + 1) return `${name}.${hash}`;
  return `${name.slice(0, dot)}.${hash}${name.slice(dot)}`;
}

const HASHED_NAME = new RegExp(`^(.*)\\.[0-9a-f]{${URL_HASH_LENGTH}}((?:\\.[^./]*)?)$`);

/**
 * The plain name a hashed name was made from, whatever the hash (`css/app.00000000.css` gives
 * `css/app.css`), or null when `name` has no hash in it.
 *
 * @example
 * ```ts
 * import { unhashedNameOf } from "./manifest.ts";
 * unhashedNameOf("css/app.3f9a1c2e.css"); // "css/app.css"
 * unhashedNameOf("css/app.css"); // null
 * ```
 */
export function unhashedNameOf(name: string): string | null {
  const m = HASHED_NAME.exec(name);
  return m === null ? null : m[1] + m[2];
}

/**
 * Hex SHA-256 of `bytes`.
 *
 * @example
 * ```ts
 * import { digestBytes } from "./manifest.ts";
 * digestBytes(new TextEncoder().encode("")).slice(0, 8); // "e3b0c442"
 * ```
 */
export function digestBytes(bytes: Uint8Array): string {
  return createHash("sha256").update(bytes).digest("hex");
}

// node:crypto rather than crypto.subtle: subtle only digests a whole buffer, and a 100 MB file
// should not sit in memory to be hashed.
async function digestFileOrNull(realPath: string): Promise<string | null> {
  let file: Deno.FsFile;
  try {
    file = await Deno.open(realPath);
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return null;
    throw error;
  }
  const hash = createHash("sha256");
  for await (const chunk of file.readable) hash.update(chunk); // the stream closes the file
  return hash.digest("hex");
}

interface FoundFile {
  name: string;
  realPath: string;
  info: Deno.FileInfo;
}

/**
 * The servable regular files under `dir` (a real path). Symlinks are followed only to targets
 * inside `root` (`ancestors[0]`); a directory link back to one of its ancestors is skipped, so
 * a cycle ends.
 */
async function* walk(dir: string, prefix: string, ancestors: string[]): AsyncGenerator<FoundFile> {
  const root = ancestors[0];
  for await (const entry of Deno.readDir(dir)) {
    if (!isServableSegment(entry.name)) continue;
    const name = prefix === "" ? entry.name : `${prefix}/${entry.name}`;
    // A child of a real directory that is not a link is a real path already.
    const realPath = entry.isSymlink
      ? await realPathOrNull(join(dir, entry.name))
      : join(dir, entry.name);
    if (realPath === null || !isInside(realPath, root)) continue;
    const info = await statOrNull(realPath);
    if (info === null) continue;
    if (info.isFile) yield { name, realPath, info };
    else if (info.isDirectory && !ancestors.includes(realPath)) {
      yield* walk(realPath, name, [...ancestors, realPath]);
    }
  }
}

function isInside(realPath: string, root: string): boolean {
  return realPath === root || realPath.startsWith(root.endsWith(sep) ? root : root + sep);
}

async function realPathOrNull(path: string): Promise<string | null> {
  try {
    return await Deno.realPath(path);
  } catch {
    return null; // a dangling link or one we may not follow: not servable
  }
}

async function statOrNull(path: string): Promise<Deno.FileInfo | null> {
  try {
    return await Deno.stat(path);
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return null;
    throw error;
  }
}
