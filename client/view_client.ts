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
import { MissingAnchor, Patcher } from "./patch.ts";

/** A server error message. */
export type ServerError = Extract<ServerMessage, { type: "error" }>;

/** What the surroundings of a view do on the client's behalf. */
export interface ClientEnvironment {
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

/** Who a message concerned, for the caller's bookkeeping (loading states, optimistic changes). */
export interface Received {
  /** The ref of the event or navigation the message answers, if any. */
  ref?: number;
  /** True when the DOM under the root changed. */
  domChanged: boolean;
  /** True when the message refused the event (roll back what was done optimistically). */
  refused: boolean;
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

  /** The join message for this root. */
  join(url: string, csrf: string): JoinMessage {
    return { type: "join", token: this.token, url, csrf, v: PROTOCOL_VERSION };
  }

  /** Applies one server message. */
  receive(m: ServerMessage): Received {
    const ref = "ref" in m ? m.ref : undefined;
    const out: Received = { ref, domChanged: false, refused: false };
    switch (m.type) {
      case "joined":
        this.#joined = true;
        if (m.html !== undefined) this.patcher.replaceAll(m.html);
        out.domChanged = true;
        break;
      case "patch":
        try {
          this.patcher.apply(m.ops);
        } catch (err) {
          if (!(err instanceof MissingAnchor)) throw err;
          this.#env.resync(`missing anchor ${err.message}`);
        }
        out.domChanged = true;
        break;
      case "render":
        this.patcher.replaceAll(m.html);
        out.domChanged = true;
        break;
      case "navigated":
        this.root.setAttribute(TOKEN_ATTR, m.token);
        this.patcher.replaceAll(m.html);
        this.#env.setTitle(m.title);
        out.domChanged = true;
        break;
      case "nav":
        if (m.kind === "redirect") this.#env.load(m.url);
        else this.#env.changeUrl(m.kind, m.url, m.replace);
        break;
      case "title":
        this.#env.setTitle(m.title);
        break;
      case "flash":
        this.#env.showFlash(m.kind, m.message);
        break;
      case "push":
        this.#env.pushed(m.event, m.payload);
        break;
      case "error":
        out.refused = true;
        this.#env.failed(m);
        break;
        // "pong" needs nothing.
    }
    return out;
  }
}
