/**
 * djust browser client: joins the view root, sends events, applies patches.
 */
import { PROTOCOL_VERSION, type ServerMessage } from "../lib/live/protocol.ts";
import { bindEvents, bindWindowEvents } from "./events.ts";
import { startLoading, type Undo } from "./loading.ts";
import { MissingAnchor, Patcher } from "./patch.ts";
import { Connection } from "./socket.ts";

function start(root: Element): void {
  const patcher = new Patcher(root);
  const pending = new Map<number, Undo>();
  let ref = 0;
  const csrf = document.querySelector<HTMLMetaElement>('meta[name="dj-csrf"]')?.content ?? "";

  const setState = (connected: boolean) => {
    root.classList.toggle("dj-connected", connected);
    root.classList.toggle("dj-disconnected", !connected);
  };

  const settle = (r?: number) => {
    if (r === undefined) return;
    pending.get(r)?.();
    pending.delete(r);
  };

  const conn = new Connection(
    () =>
      conn.send({
        type: "join",
        token: root.getAttribute("data-dj-token") ?? "",
        url: location.href,
        csrf,
        v: PROTOCOL_VERSION,
      }),
    (m: ServerMessage) => {
      switch (m.type) {
        case "joined":
          if (m.html !== undefined) patcher.replaceAll(m.html);
          for (const undo of pending.values()) undo();
          pending.clear();
          setState(true);
          break;
        case "patch":
          try {
            patcher.apply(m.ops);
          } catch (err) {
            if (!(err instanceof MissingAnchor)) throw err;
            conn.send({ type: "resync", reason: `missing anchor ${err.message}` });
          }
          settle(m.ref);
          break;
        case "render":
          patcher.replaceAll(m.html);
          settle(m.ref);
          break;
        case "error":
          console.error(`djust ${m.code}: ${m.reason}`, m.stack ?? "");
          settle(m.ref);
          // A token from before a server restart (new secret) or an expired one: get a fresh page.
          if (m.code === "auth.bad_token" || m.code === "auth.expired") location.reload();
          break;
      }
      root.dispatchEvent(new CustomEvent(`dj:${m.type}`, { detail: m }));
    },
    setState,
  );

  const push = (name: string, params: Record<string, unknown>, source: Element) => {
    const r = ++ref;
    if (!conn.send({ type: "event", ref: r, name, params })) return;
    pending.set(r, startLoading(root, source, name));
  };
  bindEvents(root, push);
  bindWindowEvents(root, push);
  conn.connect();
}

const root = document.querySelector("[dj-root]");
if (root) start(root);
