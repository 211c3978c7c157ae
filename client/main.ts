/**
 * djust browser client: joins the view root, sends events, applies patches; wires loading states,
 * optimistic changes, JS commands, hooks and form recovery around them.
 */
import { PROTOCOL_VERSION, type ServerMessage } from "../lib/live/protocol.ts";
import type { Commands } from "./commands.ts";
import { bindEvents, bindWindowEvents, formParams } from "./events.ts";
import type { Hooks } from "./hooks.ts";
import { startLoading, type Undo } from "./loading.ts";
import { applyOptimistic } from "./optimistic.ts";
import { MissingAnchor, Patcher } from "./patch.ts";
import { Connection } from "./socket.ts";

const STASH = "djust:forms:";

function start(root: Element): void {
  const patcher = new Patcher(root);
  /** Per pending event: undo its loading state, and its optimistic change (before the patch). */
  const pending = new Map<number, { loading: Undo; optimistic: Undo | null }>();
  let ref = 0;
  let joinedOnce = false;
  let recovery: Record<string, Record<string, unknown>> | null = null;
  const csrf = document.querySelector<HTMLMetaElement>('meta[name="dj-csrf"]')?.content ?? "";

  const captureForms = () => {
    const forms: Record<string, Record<string, unknown>> = {};
    for (const form of root.querySelectorAll<HTMLFormElement>("form[id]")) {
      forms[form.id] = formParams(form);
    }
    return forms;
  };
  // Values typed before a reload forced by a server restart come back from sessionStorage.
  try {
    const stashed = sessionStorage.getItem(STASH + location.pathname);
    if (stashed) recovery = JSON.parse(stashed);
    sessionStorage.removeItem(STASH + location.pathname);
  } catch {
    // storage unavailable
  }

  root.classList.add("dj-connecting");
  const setState = (connected: boolean) => {
    root.classList.remove("dj-connecting");
    root.classList.toggle("dj-connected", connected);
    root.classList.toggle("dj-disconnected", !connected);
    if (!connected) hooks?.connection(false);
  };

  const settle = (r: number | undefined, rollback: boolean) => {
    const p = r === undefined ? undefined : pending.get(r);
    if (!p) return;
    if (rollback) p.optimistic?.();
    p.loading();
    pending.delete(r!);
  };

  // Hooks and JS commands load on demand (separate chunks), keeping the core client small.
  let hooks: Hooks | null = null;
  let commands: Commands | null = null;
  let loadingHooks = false;
  const afterDom = () => {
    commands?.reapply();
    if (hooks) hooks.scan();
    else if (!loadingHooks && root.querySelector("[dj-hook]")) {
      loadingHooks = true;
      import("./hooks.ts").then((m) => {
        hooks = new m.Hooks(root, push);
        hooks.scan();
      });
    }
  };
  const runCommands = async (text: string, source: Element) => {
    if (!commands) {
      const m = await import("./commands.ts");
      commands ??= new m.Commands(root, (event, from) => push(event, {}, from));
    }
    commands.run(text, source);
  };

  const recover = async () => {
    const forms = recovery;
    recovery = null;
    if (!forms) return;
    const { restoreForm } = await import("./recovery.ts");
    for (const [id, values] of Object.entries(forms)) {
      const form = document.getElementById(id) as HTMLFormElement | null;
      if (!form || !root.contains(form)) continue;
      restoreForm(form, values);
      const change = form.getAttribute("dj-change");
      if (change) push(change, { ...formParams(form), _target: "" }, form);
    }
  };

  const conn = new Connection(
    () => {
      if (joinedOnce) recovery = captureForms();
      conn.send({
        type: "join",
        token: root.getAttribute("data-dj-token") ?? "",
        url: location.href,
        csrf,
        v: PROTOCOL_VERSION,
      });
    },
    (m: ServerMessage) => {
      if ("ref" in m && m.ref !== undefined) {
        // The optimistic change gives way to what the server says (or is rolled back on error).
        const p = pending.get(m.ref);
        if (p?.optimistic) {
          p.optimistic();
          p.optimistic = null;
        }
      }
      switch (m.type) {
        case "joined":
          if (m.html !== undefined) patcher.replaceAll(m.html);
          for (const p of pending.values()) p.loading();
          pending.clear();
          setState(true);
          if (joinedOnce) hooks?.connection(true);
          joinedOnce = true;
          afterDom();
          void recover();
          break;
        case "patch":
          try {
            patcher.apply(m.ops);
          } catch (err) {
            if (!(err instanceof MissingAnchor)) throw err;
            conn.send({ type: "resync", reason: `missing anchor ${err.message}` });
          }
          settle(m.ref, false);
          afterDom();
          break;
        case "render":
          patcher.replaceAll(m.html);
          settle(m.ref, false);
          afterDom();
          break;
        case "push":
          hooks?.dispatch(m.event, m.payload);
          break;
        case "nav":
          if (m.kind === "redirect") location.href = m.url;
          else go(m.url, m.replace);
          break;
        case "navigated":
          root.setAttribute("data-dj-token", m.token);
          patcher.replaceAll(m.html);
          document.title = m.title;
          settle(m.ref, false);
          afterDom();
          break;
        case "title":
          document.title = m.title;
          break;
        case "flash": {
          const box = document.querySelector("[dj-flash]");
          if (!box) break;
          box.querySelector(`[data-kind="${m.kind}"]`)?.remove();
          if (m.message) {
            const p = document.createElement("p");
            p.className = `dj-flash dj-flash-${m.kind}`;
            p.dataset.kind = m.kind;
            p.setAttribute("role", "alert");
            p.textContent = m.message;
            box.append(p);
          }
          break;
        }
        case "error":
          console.error(`djust ${m.code}: ${m.reason}`, m.stack ?? "");
          // Join refusals and mount failures leave the view unusable until a reload: say so.
          if (m.code.startsWith("auth.") || m.code === "app.mount_error") {
            root.classList.add("dj-error");
          }
          settle(m.ref, true);
          // A token from before a server restart (new secret) or an expired one: get a fresh page,
          // keeping what the user typed.
          if (m.code === "auth.bad_token" || m.code === "auth.expired") {
            try {
              sessionStorage.setItem(
                STASH + location.pathname,
                JSON.stringify(recovery ?? captureForms()),
              );
            } catch {
              // storage unavailable
            }
            location.reload();
          }
          break;
      }
      root.dispatchEvent(new CustomEvent(`dj:${m.type}`, { detail: m }));
    },
    setState,
  );

  const push = (name: string, params: Record<string, unknown>, source: Element) => {
    if (name.startsWith("js:")) return void runCommands(name, source);
    const r = ++ref;
    if (!conn.send({ type: "event", ref: r, name, params })) return;
    pending.set(r, {
      loading: startLoading(root, source, name),
      optimistic: applyOptimistic(source),
    });
  };
  bindEvents(root, push);
  bindWindowEvents(root, push);

  // Live navigation: dj-patch / dj-navigate links change the URL without a page load; back and
  // forward ask the server for the view and parameters of the URL they land on. Scroll positions are
  // kept in history entries: restored on back, top on forward.
  const go = (url: string, replace: boolean) => {
    history.replaceState({ ...history.state, djScroll: scrollY }, "");
    if (replace) history.replaceState({ dj: 1 }, "", url);
    else history.pushState({ dj: 1 }, "", url);
    scrollTo(0, 0);
  };
  const visit = (url: string, source: Element) => {
    const r = ++ref;
    if (!conn.send({ type: "navigate", ref: r, url })) return void (location.href = url);
    pending.set(r, { loading: startLoading(root, source, "navigate"), optimistic: null });
  };
  document.addEventListener("click", (e) => {
    const a = (e.target as Element).closest?.("a[dj-patch], a[dj-navigate]") as
      | HTMLAnchorElement
      | null;
    if (
      !a || e.defaultPrevented || (e as MouseEvent).button || (e as MouseEvent).metaKey ||
      (e as MouseEvent).ctrlKey
    ) return;
    e.preventDefault();
    go(a.href, a.hasAttribute("dj-replace"));
    visit(a.href, a);
  });
  addEventListener("popstate", (e) => {
    visit(location.href, root);
    const y = (e.state as { djScroll?: number } | null)?.djScroll;
    root.addEventListener("dj:patch", () => y !== undefined && scrollTo(0, y), { once: true });
    root.addEventListener("dj:navigated", () => y !== undefined && scrollTo(0, y), { once: true });
  });
  conn.connect();
}

const root = document.querySelector("[dj-root]");
if (root) start(root);
