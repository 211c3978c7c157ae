/**
 * The one job "route → mounted view + token": resolves URLs to live routes, mounts views for an
 * HTTP render or a connection, signs join tokens and verifies them at join. Both the page render and
 * live navigation get their tokens here, so there is one way to make one.
 * @module
 */
import { MountedView, type ViewClass } from "../live/mounted.ts";
import type { ErrorCode, JoinMessage } from "../live/protocol.ts";
import type { ViewSink } from "../live/sink.ts";
import type { PubSub } from "../pubsub/pubsub.ts";
import type { Engine } from "../template/engine.ts";
import type { TemplateHooks } from "../template/hooks.ts";
import type { LiveRoute, Router } from "./router.ts";
import type { MemorySessionStore } from "./session_store.ts";
import { digest, safeEqual, type Signer } from "./tokens.ts";

/** A live route resolved for a URL. */
export interface LiveTarget {
  readonly route: LiveRoute;
  readonly url: URL;
  readonly params: Record<string, string>;
}

/** Who a view is mounted for: the session id and CSRF token, and the request's headers. */
export interface Visitor {
  readonly sid: string;
  readonly csrf: string;
  readonly headers: Headers;
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
  readonly signer: Promise<Signer>;
  readonly sessions: MemorySessionStore;
  readonly pubsub: PubSub;
  readonly tokenTtlMs: number;
  /** Template hooks (`{% csrf_token %}`, `{% url %}`) for a page with `csrf`. */
  hooks(csrf: string): TemplateHooks;
}

/**
 * Mounts live views and signs and checks their join tokens.
 *
 * @example
 * ```ts ignore
 * const target = mounter.resolve(url);
 * const mounted = await mounter.mount(target, visitor, sink);
 * const token = await mounter.token(target, visitor, mounted.html);
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

  /** The CSRF token of session `sid`. */
  async csrfFor(sid: string): Promise<string> {
    return (await this.#config.signer).mac(sid);
  }

  /**
   * Mounts the view of `target` for `visitor`. With a sink the view is live (timers, pub/sub and
   * presence may start); without one it is the HTTP render.
   */
  mount(target: LiveTarget, visitor: Visitor, sink?: ViewSink): Promise<MountedView> {
    const c = this.#config;
    return MountedView.mount({
      engine: c.engine,
      viewClass: target.route.view as ViewClass,
      request: new Request(target.url, { headers: visitor.headers }),
      params: target.params,
      hooks: c.hooks(visitor.csrf),
      session: c.sessions.get(visitor.sid),
      pubsub: c.pubsub,
      live: sink !== undefined,
      sink,
    });
  }

  /** A signed join token for the view of `target` rendered as `html` for `visitor`. */
  async token(target: LiveTarget, visitor: Visitor, html: string): Promise<string> {
    const signer = await this.#config.signer;
    return signer.sign(
      {
        r: target.route.id,
        u: target.url.pathname + target.url.search,
        s: visitor.sid,
        h: await digest(html),
      },
      this.#config.tokenTtlMs,
    );
  }

  /**
   * Checks a join: token signature and expiry, session, CSRF, and that the token's URL belongs to
   * its view. Returns the target and the digest of the page's HTML; throws a {@link JoinError}.
   */
  async verifyJoin(
    message: JoinMessage,
    visitor: { sid: string | undefined; pageUrl: (path: string) => URL },
  ): Promise<{ target: LiveTarget; sid: string; pageDigest: unknown }> {
    const signer = await this.#config.signer;
    const verdict = await signer.verify(message.token);
    if (!verdict.ok) {
      throw new JoinError(
        verdict.reason === "expired" ? "auth.expired" : "auth.bad_token",
        `Join token refused (${verdict.reason})`,
      );
    }
    const payload = verdict.payload;
    const sid = visitor.sid;
    if (!sid || payload.s !== sid) {
      throw new JoinError("auth.bad_token", "Join token belongs to another session");
    }
    if (typeof message.csrf !== "string" || !safeEqual(message.csrf, await signer.mac(sid))) {
      throw new JoinError("auth.bad_csrf", "CSRF token does not match the session");
    }
    const route = this.#config.router.liveRoute(String(payload.r));
    if (!route) throw new JoinError("auth.bad_token", "Join token names an unknown view");
    const url = visitor.pageUrl(String(payload.u));
    const match = route.pattern.exec({ pathname: url.pathname });
    if (!match) throw new JoinError("auth.bad_token", "Join token URL does not match its view");
    const params: Record<string, string> = {};
    for (const [k, v] of Object.entries(match.pathname.groups)) if (v !== undefined) params[k] = v;
    return { target: { route, url, params }, sid, pageDigest: payload.h };
  }

  /** True when `html` is what the page whose token carried `pageDigest` shows. */
  async showsSame(pageDigest: unknown, html: string): Promise<boolean> {
    return (await digest(html)) === pageDigest;
  }
}
