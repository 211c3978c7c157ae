/**
 * Static files: serves directories under URL prefixes, and gives each file a content-hashed URL
 * (`/static/css/app.3f9a1c2e.css`) that can be cached forever, for `{% static %}`.
 *
 * The pieces live in `static/`: the manifest (scan and hashes), the path policy (which names may be
 * served), request header parsing, the response (representation, validators, caching headers),
 * bodies with the memory cache, and the watcher.
 * See docs/static.md for the decisions behind each behaviour.
 * @module
 */
import { BodyCache, type CachedBody, gzipBytes } from "./static/body.ts";
import {
  digestBytes,
  Manifest,
  type Mount,
  resolveMounts,
  stampOf,
  type StaticFile,
  unhashedNameOf,
} from "./static/manifest.ts";
import { encodeFileName, fileNameFromUrlPath } from "./static/path_policy.ts";
import {
  CACHE_IMMUTABLE,
  CACHE_REVALIDATE,
  type FileAnswer,
  fileResponse,
  plainResponse,
} from "./static/response.ts";
import { type StopWatching, watchDebounced } from "./static/watch.ts";

export type { StopWatching } from "./static/watch.ts";

/** Options for {@link StaticFiles.create}. */
export interface StaticFilesOptions {
  /**
   * URL prefix to directory: `{ "/static": "./static" }`. Several are allowed; `url()` looks in
   * them in this order. The root prefix `/` is refused so the app's routes stay reachable.
   */
  dirs: Record<string, string>;
  /**
   * Development mode (default false): no memory cache; hashed URLs are served with `no-cache`
   * instead of `immutable`, and one whose hash is stale still serves the current file (a page
   * rendered just before a save keeps working). Call `watch()` to re-hash on change.
   */
  dev?: boolean;
  /**
   * Scheme and host put before every URL `url()` gives, for a CDN that pulls from this app:
   * `"https://cdn.example.com"` makes `https://cdn.example.com/static/css/app.3f9a1c2e.css`.
   * A path after the host is kept. Requests are still matched on the path alone. Default: none
   * (URLs start with the prefix).
   */
  urlOrigin?: string;
  /** Smallest text file served gzipped, in bytes (default 1024): below it gzip gains little. */
  compressMinBytes?: number;
  /** Largest file kept in memory, in bytes (default 256 KiB); larger files are streamed. */
  memoryCacheFileBytes?: number;
  /** Most bytes of file content kept in memory in total (default 32 MiB; 0 turns the cache off). */
  memoryCacheBytes?: number;
  /** Quiet time after the last change before `watch()` re-scans, in ms (default 100). */
  watchDebounceMs?: number;
  /** Where a failed re-scan started by `watch()` is reported (same shape as the App's logger). */
  logger?: (level: "info" | "warn" | "error", message: string, error?: unknown) => void;
}

/**
 * Thrown by {@link StaticFiles.url} for a path no static directory holds (as Django's
 * `ManifestStaticFilesStorage` raises ValueError).
 *
 * @example
 * ```ts
 * import { StaticFileNotFound, StaticFiles } from "./static.ts";
 * const files = await StaticFiles.create({ dirs: { "/static": "./static" } });
 * try {
 *   files.url("css/typo.css");
 * } catch (error) {
 *   if (error instanceof StaticFileNotFound) console.log(error.path); // "css/typo.css"
 * }
 * ```
 */
export class StaticFileNotFound extends Error {
  /** Always "StaticFileNotFound". */
  override name = "StaticFileNotFound";
  /** The path that was asked for. */
  readonly path: string;
  /** Describes `path` and where it was looked for. */
  constructor(path: string, looked: string) {
    super(
      `Missing static file '${path}': it is in none of the static directories (${looked}). ` +
        `Check the path (relative to the directory, no leading slash); a file added since the ` +
        `last scan appears after refresh(), or by itself with watch() in development.`,
    );
    this.path = path;
  }
}

/**
 * Serves static directories and names their files by content hash.
 *
 * @example
 * ```ts
 * import { StaticFiles } from "./static.ts";
 * const files = await StaticFiles.create({ dirs: { "/static": "./static" } });
 * files.url("css/app.css"); // "/static/css/app.3f9a1c2e.css"
 * Deno.serve(async (request) => {
 *   return (await files.handle(request)) ?? new Response("Not Found", { status: 404 });
 * });
 * ```
 */
export class StaticFiles {
  /** Development mode (see {@link StaticFilesOptions.dev}). */
  readonly dev: boolean;
  /** The URL prefixes served, normalized (`/static`), in `url()` lookup order. */
  readonly prefixes: readonly string[];
  readonly #mounts: readonly Mount[];
  readonly #urlOrigin: string;
  readonly #cache: BodyCache | null;
  readonly #cacheFileBytes: number;
  readonly #compressMinBytes: number;
  readonly #watchDebounceMs: number;
  readonly #logger: NonNullable<StaticFilesOptions["logger"]>;
  #manifest: Manifest;
  #scanning: Promise<void> | null = null;
  #queuedScan: Promise<void> | null = null;

  private constructor(options: StaticFilesOptions, mounts: Mount[], manifest: Manifest) {
    this.dev = options.dev ?? false;
    this.#mounts = mounts;
    this.prefixes = mounts.map((m) => m.prefix);
    this.#manifest = manifest;
    this.#urlOrigin = originOf(options.urlOrigin);
    const cacheBytes = options.memoryCacheBytes ?? 32 * 1024 * 1024;
    this.#cache = this.dev || cacheBytes <= 0 ? null : new BodyCache(cacheBytes);
    this.#cacheFileBytes = options.memoryCacheFileBytes ?? 256 * 1024;
    this.#compressMinBytes = options.compressMinBytes ?? 1024;
    this.#watchDebounceMs = options.watchDebounceMs ?? 100;
    this.#logger = options.logger ??
      ((level, message, error) => console[level](message, ...(error === undefined ? [] : [error])));
  }

  /** Checks the directories, scans them and hashes every file. */
  static async create(options: StaticFilesOptions): Promise<StaticFiles> {
    const mounts = await resolveMounts(options.dirs);
    return new StaticFiles(options, mounts, await Manifest.scan(mounts, null));
  }

  // #region Requests

  /**
   * Answers a request for a file under one of the prefixes; null when the path is under none of
   * them, so the app's router can go on. GET and HEAD only (405 otherwise); 404 for anything the
   * scan did not record (see static/path_policy.ts).
   */
  async handle(request: Request): Promise<Response | null> {
    // The URL parser has already resolved raw and %2e dot segments: "/static/../x" is "/x" here.
    const pathname = new URL(request.url).pathname;
    const mount = this.#mounts.find((m) =>
      pathname.startsWith(m.prefix) && pathname.charAt(m.prefix.length) === "/"
    );
    if (mount === undefined) return null;
    const name = fileNameFromUrlPath(pathname.slice(mount.prefix.length));
    if (name === null || this.#find(mount.prefix, name) === null) return plainResponse(404);
    if (request.method !== "GET" && request.method !== "HEAD") {
      return plainResponse(405, { allow: "GET, HEAD" });
    }
    return await this.#serve(request, mount.prefix, name, true);
  }

  #find(prefix: string, name: string): FileAnswer | null {
    const urlPath = `${prefix}/${name}`;
    const plain = this.#manifest.file(urlPath);
    if (plain !== undefined) return this.#answer(plain, CACHE_REVALIDATE);
    const hashed = this.#manifest.hashedFile(urlPath);
    if (hashed !== undefined) {
      return this.#answer(hashed, this.dev ? CACHE_REVALIDATE : CACHE_IMMUTABLE);
    }
    // Production answers 404 to a stale hash, as whitenoise does: its URL promises content that is
    // gone. Development serves the current file, revalidated, since a save races the page reload.
    const unhashed = this.dev ? unhashedNameOf(name) : null;
    const current = unhashed === null ? undefined : this.#manifest.file(`${prefix}/${unhashed}`);
    return current === undefined ? null : this.#answer(current, CACHE_REVALIDATE);
  }

  #answer(file: StaticFile, cacheControl: string): FileAnswer {
    const gzipOffered = file.mediaType.compressible && file.size >= this.#compressMinBytes;
    return { file, cacheControl, gzipOffered };
  }

  async #serve(request: Request, prefix: string, name: string, retry: boolean): Promise<Response> {
    const answer = this.#find(prefix, name);
    if (answer === null) return plainResponse(404);
    const body = await this.#load(answer);
    if (body !== "changed") return fileResponse(request, answer, body);
    // The file on disk is not the one hashed: re-scan, so the ETag and hashed URL match what is
    // sent. A file still changing after that is answered 503, to be asked again.
    if (!retry) return plainResponse(503, { "retry-after": "1" });
    await this.refresh();
    return await this.#serve(request, prefix, name, false);
  }

  /** The file's content from memory, or its open handle, or "changed" when it is not as scanned. */
  async #load({ file, gzipOffered }: FileAnswer): Promise<CachedBody | Deno.FsFile | "changed"> {
    const cached = this.#cache?.get(file);
    if (cached !== undefined) return cached;
    let handle: Deno.FsFile;
    try {
      handle = await Deno.open(file.realPath);
    } catch (error) {
      if (error instanceof Deno.errors.NotFound) return "changed";
      throw error;
    }
    let info: Deno.FileInfo;
    try {
      info = await handle.stat();
    } catch (error) {
      handle.close();
      throw error;
    }
    if (stampOf(info) !== file.stamp) {
      handle.close();
      return "changed";
    }
    if (this.#cache === null || file.size > this.#cacheFileBytes) return handle;
    const identity = await new Response(handle.readable).bytes(); // the stream closes the handle
    // Small files are checked against their hash too: cheap, and it catches a rewrite within the
    // timestamps' granularity, which the stamp cannot.
    if (digestBytes(identity) !== file.digest) return "changed";
    const zipped = gzipOffered ? await gzipBytes(identity) : null;
    const body = {
      identity,
      gzip: zipped !== null && zipped.length < identity.length ? zipped : null,
    };
    if (this.#manifest.isCurrent(file)) this.#cache.set(file, body);
    return body;
  }

  // #endregion
  // #region URLs and scans

  /**
   * The URL of `path` with its content hash: `"css/app.css"` gives `"/static/css/app.3f9a1c2e.css"`
   * (from the first directory holding it). A `?query` or `#fragment` is kept. Throws
   * {@link StaticFileNotFound} for a file no directory holds.
   */
  url(path: string): string {
    const cut = path.search(/[?#]/);
    const name = cut === -1 ? path : path.slice(0, cut);
    const suffix = cut === -1 ? "" : path.slice(cut);
    for (const mount of this.#mounts) {
      const file = this.#manifest.file(`${mount.prefix}/${name}`);
      if (file === undefined) continue;
      return `${this.#urlOrigin}${mount.prefix}/${encodeFileName(file.hashedName)}${suffix}`;
    }
    const looked = this.#mounts.map((m) => `${m.dir} for ${m.prefix}`).join(", ");
    throw new StaticFileNotFound(name, looked);
  }

  /**
   * Scans the directories again: new files appear, removed ones go, changed ones get a new hash.
   * Unchanged files (same size, mtime, ctime and inode) are not read again. Calls made while a
   * scan runs share one more scan after it, since they may have seen a change it missed.
   */
  refresh(): Promise<void> {
    if (this.#queuedScan !== null) return this.#queuedScan;
    if (this.#scanning === null) return this.#scan();
    this.#queuedScan = this.#scanning.catch(() => {}).then(() => {
      this.#queuedScan = null;
      return this.#scan();
    });
    return this.#queuedScan;
  }

  #scan(): Promise<void> {
    const scanning = (async () => {
      const manifest = await Manifest.scan(this.#mounts, this.#manifest);
      this.#manifest = manifest;
      this.#cache?.retain((file) => manifest.isCurrent(file));
    })().finally(() => {
      this.#scanning = null;
    });
    this.#scanning = scanning;
    return scanning;
  }

  /**
   * Watches the directories and re-scans shortly after files change (development). Returns a stop
   * function that closes the watcher; await it to know no re-scan is still running.
   */
  watch(): StopWatching {
    return watchDebounced(
      this.#mounts.map((m) => m.realDir),
      this.#watchDebounceMs,
      () => this.refresh(),
      (error) => this.#logger("error", "Static files: re-scan after a change failed", error),
    );
  }

  // #endregion
}

/** `urlOrigin` checked and without a trailing slash ("" when not set). */
function originOf(urlOrigin: string | undefined): string {
  if (urlOrigin === undefined || urlOrigin === "") return "";
  const url = URL.parse(urlOrigin);
  if (url === null || url.origin === "null" || url.search !== "" || url.hash !== "") {
    throw new TypeError(
      `urlOrigin "${urlOrigin}" is not a scheme and host: use one like "https://cdn.example.com"`,
    );
  }
  return (url.origin + url.pathname).replace(/\/+$/, "");
}
