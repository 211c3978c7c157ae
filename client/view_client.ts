/**
 * What a client does with the server's messages, independent of where it runs: the browser client
 * (client/main.ts), the in-process test toolkit and the headless test client all apply messages
 * through this one class, so they cannot drift apart. What differs between them (history, document
 * title, flash elements, console) goes through a {@link ClientEnvironment}.
 */
import {
  type JoinMessage,
  type NavKind,
  PROTOCOL_VERSION,
  type ServerMessage,
  TOKEN_ATTR,
} from "../lib/live/protocol.ts";
import { Patcher } from "./patch.ts";

/** A server error message. */
export type ServerError = Extract<ServerMessage, { type: "error" }>;

/** What the surroundings of a view do on the client's behalf. */
export interface ClientEnvironment {
  /** The page's URL now. */
  here(): string;
  /** Asks the server for a full render: a patch named an anchor the page does not have. */
  resync(reason: string): void;
  /** The page title changed. */
  setTitle(title: string): void;
  /** Shows (or, with an empty message, clears) a flash message of `kind`. */
  showFlash(kind: string, message: string): void;
  /** The server changed the URL without a page load (a history entry for `patch` and `navigate`). */
  changeUrl(kind: Exclude<NavKind, "redirect">, url: string, replace: boolean): void;
  /** The server asked for a full page load of `url`. */
  load(url: string): void;
  /** A `pushEvent` from the view for client hooks. */
  pushed(event: string, payload: unknown): void;
  /** The server reported an error. */
  failed(error: ServerError): void;
}

/**
 * One live view's client side: its root, patcher and join token.
 *
 * @example
 * ```ts ignore
 * const client = new ViewClient(root, environment);
 * socket.send(client.join(location.href, csrf));
 * socket.onmessage = (e) => client.receive(JSON.parse(e.data));
 * ```
 */
export class ViewClient {
  /** Applies patch ops to the root. */
  readonly patcher: Patcher;
  #env: ClientEnvironment;
  #joined = false;

  constructor(readonly root: Element, env: ClientEnvironment) {
    this.patcher = new Patcher(root);
    this.#env = env;
  }

  /** The join token of the view on the root (replaced by live navigation). */
  get token(): string {
    return this.root.getAttribute(TOKEN_ATTR) ?? "";
  }

  /** True once a `joined` arrived (on this or an earlier connection). */
  get joinedOnce(): boolean {
    return this.#joined;
  }

  /** The join message for this root (a rejoin after the first: the server then sends the HTML). */
  join(url: string, csrf: string): JoinMessage {
    return {
      type: "join",
      token: this.token,
      url,
      csrf,
      v: PROTOCOL_VERSION,
      rejoin: this.#joined,
    };
  }

  /** Applies one server message; returns true when the DOM under the root changed. */
  receive(m: ServerMessage): boolean {
    const env = this.#env;
    switch (m.type) {
      case "joined":
        this.#joined = true;
        if (m.html !== undefined) this.patcher.replaceAll(m.html);
        return true;
      case "patch": {
        const missing = this.patcher.apply(m.ops);
        if (missing) env.resync(missing); // the reason: the id of the missing anchor
        return true;
      }
      case "render":
        this.patcher.replaceAll(m.html);
        return true;
      case "navigated":
        this.root.setAttribute(TOKEN_ATTR, m.token);
        this.patcher.replaceAll(m.html);
        env.setTitle(m.title);
        return true;
      case "nav": {
        // Whatever a frame says, the client never runs a script URL, and live navigation never
        // leaves the origin (the server refuses both too).
        const here = new URL(env.here()), to = new URL(m.url, here);
        if (!/^https?:$/.test(to.protocol)) break;
        if (m.kind === "redirect") env.load(to.href);
        else if (to.origin === here.origin) env.changeUrl(m.kind, to.href, m.replace);
        break;
      }
      case "title":
        env.setTitle(m.title);
        break;
      case "flash":
        env.showFlash(m.kind, m.message);
        break;
      case "push":
        env.pushed(m.event, m.payload);
        break;
      case "error":
        env.failed(m);
        break;
        // "pong" needs nothing.
    }
    return false;
  }
}
