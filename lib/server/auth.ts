/**
 * Authentication and authorization: who the session's user is, what they may do, and the hooks
 * that guard every way a view can be mounted (page load, join, reconnect, live navigation).
 * @module
 */
import { NotFound, PermissionDenied, Redirect } from "../live/exceptions.ts";
import type { LiveView } from "../live/view.ts";
import type { Session } from "../session/session.ts";

/** How the App finds the user of a session and checks permissions. */
export interface AuthOptions {
  /** The user of a session (usually from `session.userId`), or null when nobody is signed in. */
  user(session: Session): unknown | Promise<unknown>;
  /** Whether `user` holds `permission` (default: nobody holds any). */
  hasPermission?(user: unknown, permission: string): boolean | Promise<boolean>;
  /** Where `loginRequired()` sends anonymous visitors (default "/login"). */
  loginUrl?: string;
}

/** What an `onMount` hook is given. */
export interface MountContext {
  /** The page request (over the socket: the page URL with the upgrade request's headers). */
  readonly request: Request;
  /** The route's parameters and the query string. */
  readonly params: Record<string, string>;
  /** The visitor's session. */
  readonly session: Session;
  /** The signed-in user, or null. */
  readonly user: unknown;
  /** The App's login URL. */
  readonly loginUrl: string;
  /** Whether the user holds `permission`. */
  can(permission: string): Promise<boolean>;
}

/**
 * Runs before `mount` on every path that mounts a view. Returning means "go on"; throwing
 * `Redirect`, `PermissionDenied` or `NotFound` stops the mount.
 */
export type OnMountHook = (view: LiveView, context: MountContext) => void | Promise<void>;

/**
 * A hook that sends anonymous visitors to the login URL, with `next` set to where they were going.
 *
 * @example
 * ```ts ignore
 * app.live("/account", Account, { onMount: [loginRequired()] });
 * ```
 */
export function loginRequired(): OnMountHook {
  return (_view, context) => {
    if (context.user === null || context.user === undefined) throw toLogin(context);
  };
}

/**
 * A hook that lets through only users holding every one of `permissions`: anonymous visitors go to
 * the login URL, signed-in users without the permission get the 403 page.
 *
 * @example
 * ```ts ignore
 * app.live("/admin", Admin, { onMount: [permissionRequired("admin")] });
 * ```
 */
export function permissionRequired(...permissions: string[]): OnMountHook {
  return async (_view, context) => {
    if (context.user === null || context.user === undefined) throw toLogin(context);
    for (const permission of permissions) {
      if (!(await context.can(permission))) {
        throw new PermissionDenied(`missing permission ${permission}`);
      }
    }
  };
}

function toLogin(context: MountContext): Redirect {
  const here = new URL(context.request.url);
  const login = new URL(context.loginUrl, here);
  login.searchParams.set("next", here.pathname + here.search);
  return new Redirect(login.pathname + login.search);
}

/**
 * `next` when it is a path on this site (for the login handler to redirect to), `/` otherwise:
 * other origins, protocol-relative `//host`, backslash tricks and script URLs are refused.
 *
 * @example
 * ```ts
 * import { safeNextUrl } from "@djust/djust";
 * const request = new Request("https://example.com/login");
 * safeNextUrl("/account?tab=2", request); // "/account?tab=2"
 * safeNextUrl("https://evil.example/", request); // "/"
 * ```
 */
export function safeNextUrl(next: unknown, request: Request): string {
  if (typeof next !== "string" || !next.startsWith("/") || /^\/[\\/]/.test(next)) return "/";
  // Control characters and whitespace are dropped by URL parsers in surprising places.
  // deno-lint-ignore no-control-regex
  if (/[\u0000-\u001f\\\s]/.test(next)) return "/";
  const base = new URL(request.url);
  let url: URL;
  try {
    url = new URL(next, base);
  } catch {
    return "/";
  }
  return url.origin === base.origin ? url.pathname + url.search + url.hash : "/";
}

/** True for the errors that end a mount politely (see exceptions.ts). */
export function isMountRefusal(error: unknown): error is Redirect | PermissionDenied | NotFound {
  return error instanceof Redirect || error instanceof PermissionDenied ||
    error instanceof NotFound;
}
