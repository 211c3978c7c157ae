/**
 * File uploads in the browser (loaded on demand, when the view first has a `[dj-upload]` input):
 * choosing or dropping files sends their names, types and sizes (`upload`); the server checks them
 * and answers with entry refs; the valid entries are then sent (at once with `autoUpload`, else
 * when their form is submitted, the submit event following once they are in) as binary chunks
 * within the server's window of unacknowledged chunks, or straight to storage for external
 * uploads. `<img dj-preview="ref">` shows an image entry before it is uploaded.
 *
 * Like every chunk, it imports no core module: what it needs from the core comes as arguments
 * (the socket); the submit that waited for uploads is dispatched again for the core to send.
 */
import type {
  ClientMessage,
  ExternalTarget,
  ServerMessage,
  UploadEntriesMessage,
  UploadStartedMessage,
} from "../lib/live/protocol.ts";
import { chunkHeader } from "../lib/live/uploads/frames.ts";

/** The core's socket: JSON messages, and Blobs sent as binary frames. */
export interface UploadSocket {
  send(message: ClientMessage | Blob): boolean;
}

/** One chosen file the server gave an entry ref. */
interface Local {
  file: File;
  /** The upload's name. */
  name: string;
  entry: string;
  /** chosen → sending → done, or stopped (refused, cancelled, failed, connection lost). */
  state: "chosen" | "sending" | "done" | "stopped";
  sent: number;
  inFlight: number;
  chunkSize: number;
  window: number;
  preview?: string;
  xhr?: XMLHttpRequest;
}

type Detail<T extends ServerMessage["type"]> = Extract<ServerMessage, { type: T }>;

/** External uploads report progress at most this often. */
const PROGRESS_MS = 200;

/**
 * Wires uploads into `root`. Upload messages carry negative refs, so they never meet the refs of
 * events (whose loading states the core clears by ref).
 */
export function startUploads(root: Element, socket: UploadSocket): void {
  const entries = new Map<string, Local>();
  const choices = new Map<number, { name: string; files: File[] }>();
  /** Forms whose submit waits for their uploads. */
  const waiting = new Set<Element>();
  /** Forms whose submit goes through now (their uploads are in). */
  const released = new WeakSet<Element>();
  let ref = 0;

  const on = <T extends ServerMessage["type"]>(type: T, fn: (m: Detail<T>) => void) =>
    root.addEventListener(`dj:${type}`, (e) => fn((e as CustomEvent).detail));

  const choose = (name: string, files: File[]) => {
    if (!files.length) return;
    const r = --ref;
    choices.set(r, { name, files });
    socket.send({
      type: "upload",
      ref: r,
      name,
      files: files.map((f) => ({ name: f.name, type: f.type, size: f.size })),
    });
  };

  const start = (name: string) => socket.send({ type: "upload_start", ref: --ref, name });

  /** Sends chunks of `l` while its window has room. */
  const pump = (l: Local) => {
    const size = l.file.size;
    while (l.state === "sending" && l.inFlight < l.window && l.sent < size) {
      const end = Math.min(size, l.sent + l.chunkSize);
      // A Blob of the header and a slice of the file: the browser reads the slice as it sends,
      // so the file is never in memory, whatever its size.
      if (!socket.send(new Blob([chunkHeader(l.entry, l.sent), l.file.slice(l.sent, end)]))) {
        l.state = "stopped";
        break;
      }
      l.sent = end;
      l.inFlight++;
    }
    if (size === 0) l.state = "done";
  };

  const external = (l: Local, target: ExternalTarget) => {
    const report = (progress: number, failed?: boolean) =>
      socket.send({ type: "upload_progress", entry: l.entry, progress, failed });
    /** The upload to storage is over: the view hears how it went. */
    const end = (ok: boolean) => {
      l.state = ok ? "done" : "stopped";
      report(ok ? 100 : 0, !ok || undefined);
      settle();
    };
    // Only http(s), whatever the server said.
    if (!/^https?:/.test(new URL(target.url, location.href).protocol)) return end(false);
    const xhr = l.xhr = new XMLHttpRequest();
    let last = 0;
    xhr.upload.onprogress = (e) => {
      if (e.lengthComputable && Date.now() - last > PROGRESS_MS) {
        last = Date.now();
        report(Math.min(99, Math.floor((e.loaded * 100) / e.total)));
      }
    };
    xhr.onload = () => end(xhr.status >= 200 && xhr.status < 300);
    xhr.onerror = () => end(false);
    let body: Blob | FormData = l.file;
    if (target.fields) {
      body = new FormData();
      for (const [k, v] of Object.entries(target.fields)) body.append(k, v);
      body.append("file", l.file);
    }
    xhr.open(target.fields ? "POST" : "PUT", target.url);
    if (!target.fields) {
      for (const [k, v] of Object.entries(target.headers ?? {})) xhr.setRequestHeader(k, v);
    }
    xhr.send(body);
  };

  /** Sends the submit of every waiting form whose uploads are all in (or out of the race). */
  const settle = () => {
    for (const form of waiting) {
      if (pendingIn(form).length) continue;
      waiting.delete(form);
      // The submit again, now for the core's listener (a synthetic submit event never submits
      // the form itself, nor checks its fields again).
      released.add(form);
      form.dispatchEvent(new Event("submit", { bubbles: true, cancelable: true }));
    }
  };

  /** Entries of the uploads of `form` still to send or sending. */
  const pendingIn = (form: Element) => {
    const names = [...form.querySelectorAll("input[dj-upload]")].map((i) =>
      i.getAttribute("dj-upload")
    );
    return [...entries.values()].filter((l) =>
      names.includes(l.name) && (l.state === "chosen" || l.state === "sending")
    );
  };

  /** Shows previews of chosen images; forgets entries that are over and no longer shown. */
  const previews = () => {
    for (const el of root.querySelectorAll("[dj-preview]")) {
      const l = entries.get(el.getAttribute("dj-preview")!);
      if (!l || !l.file.type.startsWith("image/")) continue;
      l.preview ??= URL.createObjectURL(l.file);
      if (el.getAttribute("src") !== l.preview) el.setAttribute("src", l.preview);
    }
    for (const l of entries.values()) {
      if (
        (l.state === "done" || l.state === "stopped") &&
        !root.querySelector(`[dj-preview="${l.entry}"]`)
      ) forget(l);
    }
  };

  const forget = (l: Local) => {
    l.xhr?.abort();
    if (l.preview) URL.revokeObjectURL(l.preview);
    entries.delete(l.entry);
  };

  // #region Server messages

  on("upload_entries", (m: UploadEntriesMessage) => {
    const chosen = choices.get(m.ref);
    if (!chosen) return;
    choices.delete(m.ref);
    m.entries.forEach((entry, i) => {
      if (!entry) return;
      entries.set(entry, {
        file: chosen.files[i],
        name: m.name,
        entry,
        state: "chosen",
        sent: 0,
        inFlight: 0,
        chunkSize: m.chunkSize,
        window: m.window,
      });
    });
    previews();
    if (m.auto) start(m.name);
  });

  on("upload_started", (m: UploadStartedMessage) => {
    const started = new Set(m.entries.map((e) => e.entry));
    // Chosen entries the server did not start were refused when chosen: nothing to send.
    for (const l of entries.values()) {
      if (l.name === m.name && l.state === "chosen" && !started.has(l.entry)) l.state = "stopped";
    }
    for (const { entry, external: target } of m.entries) {
      const l = entries.get(entry);
      if (!l || l.state !== "chosen") continue;
      l.state = "sending";
      if (target) external(l, target);
      else pump(l);
    }
    settle();
  });

  on("upload_ack", (m) => {
    const l = entries.get(m.entry);
    if (!l) return;
    l.inFlight--;
    if (m.received >= l.file.size) l.state = "done";
    else pump(l);
    settle();
  });

  on("upload_stop", (m) => {
    const l = entries.get(m.entry);
    if (l) {
      l.state = "stopped";
      l.xhr?.abort();
    }
    settle();
  });

  // A rejoin: what was in flight failed with the old socket (the server says so in the view),
  // and a submit that waited for it is not sent.
  on("joined", () => {
    waiting.clear();
    for (const l of entries.values()) if (l.state === "sending") forget(l);
    previews();
  });
  on("navigated", () => {
    waiting.clear();
    for (const l of entries.values()) forget(l);
  });
  for (const type of ["patch", "render"] as const) on(type, previews);

  // #endregion
  // #region Browser events

  // Capture: runs before the core's listeners (the form's dj-change then sees the entries).
  root.addEventListener("change", (e) => {
    const input = e.target as HTMLInputElement;
    const name = input.getAttribute?.("dj-upload");
    if (!name || !input.files) return;
    choose(name, [...input.files]);
  }, true);

  root.addEventListener("submit", (e) => {
    const form = e.target as Element;
    if (!form.hasAttribute("dj-submit") || released.delete(form)) return;
    const pending = pendingIn(form);
    if (!pending.length) return;
    // The uploads go first; the submit event follows when they are in (see settle).
    e.preventDefault();
    e.stopPropagation();
    if (waiting.has(form)) return;
    waiting.add(form);
    for (const name of new Set(pending.filter((l) => l.state === "chosen").map((l) => l.name))) {
      start(name);
    }
  }, true);

  const dropTarget = (e: Event) => {
    const el = (e.target as Element).closest?.("[dj-drop-target]");
    return el && root.contains(el) ? el : null;
  };
  root.addEventListener("dragover", (e) => {
    if (dropTarget(e)) e.preventDefault(); // allows the drop
  });
  root.addEventListener("drop", (e) => {
    const target = dropTarget(e);
    const files = (e as DragEvent).dataTransfer?.files;
    if (!target || !files) return;
    e.preventDefault();
    const name = target.getAttribute("dj-drop-target")!;
    const input = root.querySelector<HTMLInputElement>(`input[dj-upload="${name}"]`);
    if (!input) return choose(name, [...files]);
    // As if chosen in the input: the same path, the form's dj-change included.
    input.files = files;
    input.dispatchEvent(new Event("change", { bubbles: true }));
  });

  // #endregion
  previews();
}
