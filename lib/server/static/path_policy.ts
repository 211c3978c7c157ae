/**
 * The whole policy for which names static files may have, in one place so a reviewer can read it.
 *
 * A request can only reach a file that the directory scan recorded (see manifest.ts): the name in
 * the URL is looked up in a map, never joined onto a directory path. On top of that, both the scan
 * and the request side refuse the same names here:
 *
 * - empty segments (`/static//etc/passwd`: an absolute path after the prefix);
 * - names starting with a dot: `.` and `..` (raw or percent-encoded), and dotfiles such as `.env`
 *   or `.git/`, which are never meant to be public;
 * - names holding `/` or `\` once decoded (`..%2f`, `%2e%2e%5c`), NUL or other control characters,
 *   or `:` (Windows drive letters and alternate data streams);
 * - percent-encoding that does not decode (`%zz`, a lone `%c3`).
 *
 * Symlinks are judged by the scan: followed only when their target is inside the directory.
 * @module
 */

/** Characters no served name contains: separators, NUL and control characters, and `:`. */
// deno-lint-ignore no-control-regex -- control characters are exactly what this refuses
const FORBIDDEN_CHARACTERS = /[/\\:\x00-\x1f\x7f]/;

/**
 * True when `segment` (one decoded path segment: a file or directory name) may be served.
 *
 * @example
 * ```ts
 * import { isServableSegment } from "./path_policy.ts";
 * isServableSegment("app.css"); // true
 * isServableSegment(".env"); // false
 * isServableSegment(".."); // false
 * ```
 */
export function isServableSegment(segment: string): boolean {
  return segment !== "" && !segment.startsWith(".") && !FORBIDDEN_CHARACTERS.test(segment);
}

/**
 * The file name (`css/app.css`) named by the part of a URL path after a static prefix
 * (`/css/app.css`, still percent-encoded), or null when any segment breaks the policy above.
 *
 * @example
 * ```ts
 * import { fileNameFromUrlPath } from "./path_policy.ts";
 * fileNameFromUrlPath("/css/my%20app.css"); // "css/my app.css"
 * fileNameFromUrlPath("/..%2fdeno.json"); // null
 * fileNameFromUrlPath("//etc/passwd"); // null
 * ```
 */
export function fileNameFromUrlPath(rest: string): string | null {
  if (!rest.startsWith("/")) return null;
  const segments = rest.slice(1).split("/");
  for (let i = 0; i < segments.length; i++) {
    let segment: string;
    try {
      segment = decodeURIComponent(segments[i]);
    } catch {
      return null;
    }
    if (!isServableSegment(segment)) return null;
    segments[i] = segment;
  }
  return segments.join("/");
}

/**
 * Percent-encodes a file name for a URL, segment by segment, leaving the same characters as
 * Django's `filepath_to_uri` (letters, digits and `-_.!~*'()`).
 *
 * @example
 * ```ts
 * import { encodeFileName } from "./path_policy.ts";
 * encodeFileName("css/my app.css"); // "css/my%20app.css"
 * ```
 */
export function encodeFileName(name: string): string {
  return name.split("/").map(encodeURIComponent).join("/");
}
