/**
 * djust browser client: joins the view root, sends events, applies the server's messages (through
 * view_client.ts, shared with the test toolkit), and wires loading states, optimistic changes, JS
 * commands, hooks, navigation and form recovery around them.
 */
import {
  CSRF_META,
  FLASH_ATTR,
  ROOT_ATTR,
  type ServerMessage,
  TARGET_ATTR,
} from "../lib/live/protocol.ts";
import type { Commands } from "./commands.ts";
import { bindEvents } from "./events.ts";
import type { Hooks } from "./hooks.ts";
import { startLoading, type Undo } from "./loading.ts";
import type { applyOptimistic } from "./optimistic.ts";
import { controlValue, formParams, isControl, keyMatches, valueParams } from "./params.ts";
import { rateLimited } from "./rate_limit.ts";
import { liveSocket } from "./socket.ts";
import type { SavedForms } from "./recovery.ts";
import { ViewClient } from "./view_client.ts";

/** Elements whose bindings live in the extra_bindings chunk. */
const EXTRA_BINDINGS = "[dj-click-away], [dj-window-keydown], [dj-window-keyup], [dj-mousemove], " +
  "[dj-focus], [dj-blur], [dj-drop], [dj-viewport-top], [dj-viewport-bottom]";

function start(root: Element): void {
  /**
   * Per pending event: undo its loading state, and its optimistic change (before the patch); and
   * for a `dj-submit`, its form, which shows what the server rendered once the reply is in.
   */
  const pending = new Map<
    number,
    { loading: Undo; optimistic: Undo | null; form?: HTMLFormElement }
  >();
  let ref = 0;
  const csrf = document.querySelector<HTMLMetaElement>(`meta[name="${CSRF_META}"]`)?.content ?? "";
  /** Form recovery, once its chunk is in (it loads when the view has a `form[id]`). */
  let recovery: typeof import("./recovery.ts") | null = null;
  /** Forms captured before a rejoin, put back after it. */
  let saved: SavedForms | null = null;

  const classes = root.classList;
  classes.add("dj-connecting");
  const setState = (connected: boolean) => {
    classes.remove("dj-connecting");
    classes.toggle("dj-connected", connected);
    classes.toggle("dj-disconnected", !connected);
    if (!connected) hooks?.connection(false);
  };

  // Features few pages use load on demand (separate chunks), keeping the core client small: each
  // is loaded the first time the view contains what it handles. `ready` settles once those seen so
  // far are in, and the root is marked connected only then, so a user never acts on a half-wired page.
  let hooks: Hooks | null = null;
  let commands: Commands | null = null;
  let optimistic: typeof applyOptimistic | null = null;
  let rescanExtras: (() => void) | null = null;
  const loading: Record<string, Promise<unknown>> = {};
  const load = (selector: string, chunk: () => Promise<unknown>) => {
    if (!loading[selector] && root.querySelector(selector)) loading[selector] = chunk();
  };
  const ready = () => Promise.allSettled(Object.values(loading));
  // Live navigation: the listeners are below (a link's default must be prevented at once), the
  // rest loads when the view has links, or with the first use.
  const nav = () =>
    import("./navigation.ts").then((m) => {
      m.bindNavigation(root, visit);
      return m;
    });
  const afterDom = () => {
    commands?.reapply();
    hooks?.scan();
    rescanExtras?.();
    load("form[id]", () => import("./recovery.ts").then((m) => recovery = m));
    load(
      '[dj-update="stream"]',
      () => import("./streams.ts").then((m) => client.patcher.streams = m),
    );
    load("a[dj-patch], a[dj-navigate]", nav);
    load("[dj-hook]", () =>
      import("./hooks.ts").then((m) => {
        hooks = new m.Hooks(root, push);
        // Hooks mount once the view has joined (they may push events at once).
        if (client.joinedOnce) hooks.scan();
      }));
    load(
      "[dj-optimistic], [dj-disable-with]",
      () => import("./optimistic.ts").then((m) => optimistic = m.applyOptimistic),
    );
    load("[dj-upload]", () => import("./uploads.ts").then((m) => m.startUploads(root, socket)));
    load(
      EXTRA_BINDINGS,
      () =>
        import("./extra_bindings.ts").then((m) =>
          rescanExtras = m.bindExtraBindings(root, push, {
            keyMatches,
            valueParams,
            rateLimited,
            controlValue,
            isControl,
          })
        ),
    );
  };
  const runCommands = async (text: string, source: Element) => {
    if (!commands) {
      const m = await import("./commands.ts");
      commands ??= new m.Commands(root, (event, from) => push(event, {}, from));
    }
    commands.run(text, source);
  };

  const client = new ViewClient(root, {
    here: () => location.href,
    resync: (reason) => socket.send({ type: "resync", reason }),
    setTitle: (title) => document.title = title,
    showFlash: (kind, message) => {
      const box = document.querySelector(`[${FLASH_ATTR}]`);
      if (box) void import("./flash.ts").then((m) => m.showFlash(box, kind, message));
    },
    changeUrl: (_kind, url, replace) => void nav().then((m) => m.changeUrl(url, replace)),
    load: (url) => location.href = url,
    pushed: (event, payload) => hooks?.dispatch(event, payload),
    failed: (e) => {
      console.error("djust:", e.reason, e);
      // Join refusals and mount failures leave the view unusable until a reload: say so.
      if (e.code.startsWith("auth.") || e.code === "app.mount_error") {
        classes.add("dj-error");
      }
      // A token from before a server restart (new secret) or an expired one: get a fresh page,
      // keeping what the user typed.
      if (e.code === "auth.bad_token" || e.code === "auth.expired") {
        if (recovery) recovery.stashAndReload(saved ?? recovery.captureForms(root, formParams));
        else location.reload();
      }
    },
  });

  const socket = liveSocket(
    () => {
      if (client.joinedOnce && recovery) saved = recovery.captureForms(root, formParams);
      socket.send(client.join(location.href, csrf));
    },
    (m: ServerMessage) => {
      // The reply to a pending event: its optimistic change gives way to what the server says
      // (or is rolled back on error), and its loading state ends once the reply is applied.
      // Messages without a ref find nothing.
      const r = (m as { ref?: number }).ref!;
      const p = pending.get(r);
      p?.optimistic?.();
      pending.delete(r);
      const rejoin = m.type === "joined" && client.joinedOnce;
      if (client.receive(m)) afterDom();
      p?.loading();
      // As after a classic form post, the fields show what the server rendered (their value
      // attributes, which patches keep current): a sent message leaves its box, while a field the
      // template fills from state (`value="{{ form.values.name }}"`) shows what the view kept.
      if (m.type !== "error") p?.form?.reset();
      if (m.type === "joined") {
        for (const p of pending.values()) p.loading();
        pending.clear();
        void ready().then(() => {
          setState(true);
          if (rejoin) hooks?.connection(true);
          const forms = saved ?? (rejoin ? null : recovery?.takeStash());
          saved = null;
          if (forms) recovery?.restoreForms(root, forms, formParams, push);
        });
      }
      root.dispatchEvent(new CustomEvent(`dj:${m.type}`, { detail: m }));
    },
    setState,
  );

  const push = (name: string, params: Record<string, unknown>, source: Element) => {
    if (name.startsWith("js:")) return void runCommands(name, source);
    const r = ++ref;
    // A live component's element names it in dj-target; without one the event is the view's.
    const target = source.getAttribute(TARGET_ATTR) ?? undefined;
    if (!socket.send({ type: "event", ref: r, name, params, target })) return;
    pending.set(r, {
      loading: startLoading(root, source, name),
      optimistic: optimistic?.(source) ?? null,
      form: source.getAttribute("dj-submit") === name ? source as HTMLFormElement : undefined,
    });
  };
  bindEvents(root, push);
  afterDom(); // start loading the chunks the server-rendered page needs while the socket opens
  const visit = (url: string, source: Element) => {
    const r = ++ref;
    if (!socket.send({ type: "navigate", ref: r, url })) return false;
    pending.set(r, { loading: startLoading(root, source, "navigate"), optimistic: null });
    return true;
  };
  // Back to one of our history entries after a reload: navigation must be ready for popstate.
  if ((history.state as { dj?: number } | null)?.dj) void nav();
  socket.connect();
}

const root = document.querySelector(`[${ROOT_ATTR}]`);
if (root) start(root);
