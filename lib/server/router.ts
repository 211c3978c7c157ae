/**
 * Routes: URLPattern matching for live views and plain handlers, and reversing names to paths.
 * @module
 */
import type { ViewClass } from "../live/mounted.ts";
import type { OnMountHook } from "./auth.ts";

/** A plain HTTP handler; `params` are the route's named groups. */
export type Handler = (
  request: Request,
  params: Record<string, string>,
) => Response | Promise<Response>;

/** Options shared by live and plain routes. */
export interface RouteOptions {
  /** Name for `{% url "name" %}` and `app.reverse`. */
  name?: string;
  /** Page title for live views (default: the view class name). */
  title?: string;
  /**
   * Live routes: hooks run before `mount` on every mount path, after the App's own
   * (`[loginRequired()]`, `[permissionRequired("admin")]`).
   */
  onMount?: readonly OnMountHook[];
  /**
   * Live routes: the layout template of this route's pages (default: the view's `static layout`,
   * else the App's `layout`). Live navigation between routes with different layouts loads the page.
   */
  layout?: string;
  /**
   * Plain routes: `false` lifts the CSRF check (token and same-origin `Origin`/`Referer`) that
   * POST, PUT, PATCH and DELETE requests need otherwise (for webhooks and APIs with their own auth).
   */
  csrf?: boolean;
}

/** One registered route. */
export type Route =
  | {
    kind: "live";
    id: string;
    pattern: URLPattern;
    path: string;
    view: ViewClass;
    options: RouteOptions;
  }
  | {
    kind: "handler";
    method: string;
    pattern: URLPattern;
    path: string;
    handler: Handler;
    options: RouteOptions;
  };

/** A registered live route. */
export type LiveRoute = Extract<Route, { kind: "live" }>;

/** A matched route with its parameters. */
export interface RouteMatch {
  route: Route;
  params: Record<string, string>;
}

/**
 * An ordered list of routes; the first match wins.
 *
 * @example
 * ```ts ignore
 * const router = new Router();
 * router.add({ kind: "handler", method: "GET", ... });
 * ```
 */
export class Router {
  readonly routes: Route[] = [];

  /** Adds a route. */
  add(route: Route): void {
    this.routes.push(route);
  }

  /** Finds the route for `method` and `pathname`. Live routes answer GET and HEAD. */
  match(method: string, pathname: string): RouteMatch | null {
    for (const route of this.routes) {
      if (
        route.kind === "live"
          ? method !== "GET" && method !== "HEAD"
          : !methodMatches(route.method, method)
      ) {
        continue;
      }
      const m = route.pattern.exec({ pathname });
      if (m) return { route, params: cleanGroups(m.pathname.groups) };
    }
    return null;
  }

  /** The live route with id `id`. */
  liveRoute(id: string): LiveRoute | undefined {
    return this.routes.find((r): r is LiveRoute => r.kind === "live" && r.id === id);
  }

  /** Builds the path of route `name` from positional `args` or named `kwargs`. */
  reverse(name: string, args: unknown[] = [], kwargs: Record<string, unknown> = {}): string {
    const route = this.routes.find((r) => r.options.name === name);
    if (!route) throw new Error(`NoReverseMatch: no route named '${name}'`);
    let i = 0;
    return route.path.replace(/:(\w+)(\([^)]*\))?([?*+])?/g, (_m, key: string) => {
      const value = key in kwargs ? kwargs[key] : args[i++];
      if (value === undefined) {
        throw new Error(`NoReverseMatch: '${name}' needs a value for '${key}'`);
      }
      return encodeURIComponent(String(value));
    });
  }
}

function methodMatches(routeMethod: string, method: string): boolean {
  return routeMethod === "*" || routeMethod === method ||
    (routeMethod === "GET" && method === "HEAD");
}

function cleanGroups(groups: Record<string, string | undefined>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const k in groups) if (groups[k] !== undefined) out[k] = groups[k]!;
  return out;
}

/** The layout a live route's pages use (undefined: the App's default). */
export function layoutOf(route: Extract<Route, { kind: "live" }>): string | undefined {
  return route.options.layout ?? route.view.layout;
}
