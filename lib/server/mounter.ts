/**
 * The one job "route → mounted view + token": resolves URLs to live routes, mounts views (after
 * the `onMount` hooks, on every path: page load, join, reconnect, live navigation), signs join
 * tokens and verifies them at join.
 * @module
 */
import { MountedView, paramsOf, type ViewClass } from "../live/mounted.ts";
import type { ErrorCode, JoinMessage } from "../live/protocol.ts";
import type { ViewSink } from "../live/sink.ts";
import type { Snapshot } from "../live/snapshot.ts";
import type { LiveView } from "../live/view.ts";
import type { PubSub } from "../pubsub/pubsub.ts";
import type { Session } from "../session/session.ts";
import type { Engine } from "../template/engine.ts";
import type { TemplateHooks } from "../template/hooks.ts";
import type { AuthOptions, MountContext, OnMountHook } from "./auth.ts";
import type { LiveRoute, Router } from "./router.ts";
import type { Sessions } from "./sessions.ts";
import { negotiateLanguage } from "./language.ts";
import { safeEqual, type Signer } from "./tokens.ts";

/** A live route resolved for a URL. */
export interface LiveTarget {
  readonly route: LiveRoute;
  readonly url: URL;
  readonly params: Record<string, string>;
}

/** Who a view is mounted for: the session, its user and CSRF token, and the request's headers. */
export interface Visitor {
  readonly session: Session;
  readonly user: unknown;
  readonly csrf: string;
  readonly headers: Headers;
  /** The language pages render in (see lib/server/language.ts). */
  readonly language: string;
}

/** A refusal at join time, with its stable code. */
export class JoinError extends Error {
  override name = "JoinError";
  constructor(readonly code: ErrorCode, message: string) {
    super(message);
  }
}

/** What the mounter works with. */
export interface MounterConfig {
  readonly engine: Engine;
  readonly router: Router;
  /** The signer (its key is imported on first use). */
  readonly signer: () => Promise<Signer>;
  readonly sessions: Sessions;
  readonly pubsub: PubSub;
  readonly tokenTtlMs: number;
  readonly auth: AuthOptions | null;
  /** Hooks run before every live route's own. */
  readonly onMount: readonly OnMountHook[];
  /** Development mode. */
  readonly dev: boolean;
  /** Streams keep a copy of what they showed (for consistency tests; see AppOptions). */
  readonly verifyStreams?: boolean;
  /** Template hooks (`{% csrf_token %}`, `{% url %}`) for a page with `csrf`. */
  hooks(csrf: string): TemplateHooks;
}

/**
 * Mounts live views and signs and checks their join tokens.
 *
 * @example
 * ```ts ignore
 * const target = mounter.resolve(url);
 * const visitor = await mounter.visitor(session, request.headers);
 * const mounted = await mounter.mount(target, visitor, sink);
 * const token = await mounter.token(target, session, mounted.id);
 * ```
 */
export class LiveMounter {
  #config: MounterConfig;

  constructor(config: MounterConfig) {
    this.#config = config;
  }

  /** The live route serving `url`, or null. */
  resolve(url: URL): LiveTarget | null {
    const match = this.#config.router.match("GET", url.pathname);
    if (!match || match.route.kind !== "live") return null;
    return { route: match.route, url, params: match.params };
  }

  /** The visitor of `session`: its user (through `auth.user`) and CSRF token. */
  async visitor(session: Session, headers: Headers): Promise<Visitor> {
    const auth = this.#config.auth;
    // The session's MACs are computed (off the main thread) while the user is looked up.
    const keys = this.#config.sessions.keys(session.id);
    const user = auth ? (await auth.user(session)) ?? null : null;
    const csrf = (await keys).csrf;
    const language = negotiateLanguage(this.#config.engine.translations, session, headers);
    return { session, user, csrf, headers, language };
  }

  /** Whether `visitor`'s user holds `permission` (false without a user or an `auth` option). */
  async can(visitor: Visitor, permission: string): Promise<boolean> {
    const auth = this.#config.auth;
    if (!auth?.hasPermission || visitor.user === null) return false;
    return Boolean(await auth.hasPermission(visitor.user, permission));
  }

  /**
   * Mounts the view of `target` for `visitor`, after the app's and the route's `onMount` hooks.
   * With a sink the view is live (timers, pub/sub and presence may start); without one it is the
   * page render. Throws what the hooks and the view throw (`Redirect`, `PermissionDenied`, …).
   */
  mount(
    target: LiveTarget,
    visitor: Visitor,
    sink?: ViewSink,
    options: { id?: string; snapshot?: Snapshot } = {},
  ): Promise<MountedView> {
    const c = this.#config;
    const request = new Request(target.url, { headers: visitor.headers });
    return MountedView.mount({
      id: options.id,
      snapshot: options.snapshot,
      engine: c.engine,
      viewClass: target.route.view as ViewClass,
      request,
      params: target.params,
      hooks: c.hooks(visitor.csrf),
      language: visitor.language,
      session: visitor.session,
      user: visitor.user,
      pubsub: c.pubsub,
      live: sink !== undefined,
      sink,
      beforeMount: (view) => this.#runHooks(view, target, visitor, request),
      dev: c.dev,
      verifyStreams: c.verifyStreams,
    });
  }

  /**
   * Runs the `onMount` hooks again for a view that was already mounted (a parked view a connection
   * takes over): the guards decide with the session as it is now. Throws what they throw.
   */
  recheck(view: LiveView, target: LiveTarget, visitor: Visitor): Promise<void> {
    return this.#runHooks(
      view,
      target,
      visitor,
      new Request(target.url, { headers: visitor.headers }),
    );
  }

  async #runHooks(
    view: LiveView,
    target: LiveTarget,
    visitor: Visitor,
    request: Request,
  ): Promise<void> {
    const hooks = [...this.#config.onMount, ...(target.route.options.onMount ?? [])];
    if (!hooks.length) return;
    const context: MountContext = {
      request,
      params: paramsOf(target.url, target.params),
      session: visitor.session,
      user: visitor.user,
      loginUrl: this.#config.auth?.loginUrl ?? "/login",
      can: (permission) => this.can(visitor, permission),
    };
    for (const hook of hooks) await hook(view, context);
  }

  /**
   * A signed join token for view instance `viewId` of `target`, for `session`. It names
   * the instance (the join takes the page's mounted view over) but says nothing of the page's HTML:
   * a join that finds the view gone mounts afresh and sends its HTML (see Connection.#join). Its
   * signature covers the session id, which the token does not carry: another session's join fails
   * the signature, and signing waits for no other MAC.
   */
  async token(target: LiveTarget, session: Session, viewId: string): Promise<string> {
    const signer = await this.#config.signer();
    return signer.sign(
      { r: target.route.id, u: target.url.pathname + target.url.search, i: viewId },
      this.#config.tokenTtlMs,
      session.id,
    );
  }

  /**
   * Checks a join: token signature (for this session) and expiry, CSRF, and that the token's URL
   * belongs to its view. Returns the target, the view instance the token names and the session's
   * binding; throws a {@link JoinError}.
   */
  async verifyJoin(
    message: JoinMessage,
    session: Session | null,
    pageUrl: (path: string) => URL,
  ): Promise<{ target: LiveTarget; viewId: string; binding: string }> {
    if (!session) throw new JoinError("auth.bad_token", "Join token belongs to another session");
    const signer = await this.#config.signer();
    // Both MACs at once: their latencies overlap.
    const [verdict, keys] = await Promise.all([
      signer.verify(message.token, session.id),
      this.#config.sessions.keys(session.id),
    ]);
    if (!verdict.ok) {
      throw new JoinError(
        verdict.reason === "expired" ? "auth.expired" : "auth.bad_token",
        verdict.reason === "signature"
          ? "Join token refused (a bad signature, or another session's token)"
          : `Join token refused (${verdict.reason})`,
      );
    }
    const payload = verdict.payload;
    if (typeof message.csrf !== "string" || !safeEqual(message.csrf, keys.csrf)) {
      throw new JoinError("auth.bad_csrf", "CSRF token does not match the session");
    }
    const route = this.#config.router.liveRoute(String(payload.r));
    if (!route) throw new JoinError("auth.bad_token", "Join token names an unknown view");
    const url = pageUrl(String(payload.u));
    const match = route.pattern.exec({ pathname: url.pathname });
    if (!match) throw new JoinError("auth.bad_token", "Join token URL does not match its view");
    const params: Record<string, string> = {};
    for (const [k, v] of Object.entries(match.pathname.groups)) if (v !== undefined) params[k] = v;
    const viewId = typeof payload.i === "string" ? payload.i : crypto.randomUUID();
    return { target: { route, url, params }, viewId, binding: keys.binding };
  }
}
