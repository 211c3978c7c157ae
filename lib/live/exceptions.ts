/**
 * What view code throws to stop a request politely: send the visitor elsewhere, refuse them, or say
 * there is nothing here. Thrown from an `onMount` hook, `mount`, `handleParams` or an event
 * handler, they become an HTTP 302/403/404 on a page load and a redirect (or `auth.forbidden`)
 * over the socket.
 * @module
 */

/**
 * Sends the visitor to `url`: a 302 on a page load, a page load of `url` over the socket. Another
 * origin only with `{ external: true }`; `javascript:` and `data:` URLs are never followed.
 *
 * @example
 * ```ts
 * import { LiveView, Redirect } from "@djust/djust";
 * class Old extends LiveView {
 *   override mount(): void {
 *     throw new Redirect("/new");
 *   }
 * }
 * ```
 */
export class Redirect extends Error {
  /** Always "Redirect". */
  override name = "Redirect";
  /** Where to go. */
  readonly url: string;
  /** True when `url` may leave this origin. */
  readonly external: boolean;
  /** A redirect to `url`. */
  constructor(url: string, options: { external?: boolean } = {}) {
    super(`Redirect to ${url}`);
    this.url = url;
    this.external = options.external ?? false;
  }
}

/**
 * The visitor may not see or do this: a 403 page on a page load, `auth.forbidden` over the socket.
 *
 * @example
 * ```ts
 * import { eventHandler, LiveView, PermissionDenied } from "@djust/djust";
 * class Posts extends LiveView {
 *   @eventHandler()
 *   publish(): void {
 *     if (!this.user) throw new PermissionDenied("sign in to publish");
 *   }
 * }
 * ```
 */
export class PermissionDenied extends Error {
  /** Always "PermissionDenied". */
  override name = "PermissionDenied";
  /** A refusal; `message` is for the logs (production pages never show it). */
  constructor(message = "Permission denied") {
    super(message);
  }
}

/**
 * There is nothing at this URL: a 404 page on a page load.
 *
 * @example
 * ```ts
 * import { LiveView, NotFound } from "@djust/djust";
 * class Item extends LiveView {
 *   override handleParams(params: Record<string, string>): void {
 *     if (params.id !== "1") throw new NotFound(`no item ${params.id}`);
 *   }
 * }
 * ```
 */
export class NotFound extends Error {
  /** Always "NotFound". */
  override name = "NotFound";
  /** A 404; `message` is for the logs (production pages never show it). */
  constructor(message = "Not found") {
    super(message);
  }
}
