/** Views and helpers shared by the upload tests. */
import { App, type AppOptions, eventHandler, LiveView, signal } from "../../mod.ts";
import { chunkHeader, type UploadOptions } from "../../lib/live/uploads/index.ts";
import { openPage } from "../helpers/join.ts";

/** The example view: avatar upload with entries, errors, cancel and save. */
export class Profile extends LiveView {
  static override template = `
<form id="profile" dj-submit="save" dj-change="validate">
  {% live_file_input uploads.avatar %}
  <div dj-drop-target="avatar">drop here</div>
  <ul id="entries">{% for entry in uploads.avatar.entries %}<li class="entry" data-ref="{{ entry.ref }}">
    <span class="name">{{ entry.name }}</span> <span class="progress">{{ entry.progress }}</span>%
    {% if not entry.valid %}<span class="invalid">invalid</span>{% endif %}
    {% for err in entry.errors %}<p class="entry-error">{{ err }}</p>{% endfor %}
    <button type="button" class="cancel" dj-click="cancel" dj-value-ref="{{ entry.ref }}">×</button>
  </li>{% endfor %}</ul>
  {% for err in uploads.avatar.errors %}<p class="upload-error">{{ err }}</p>{% endfor %}
  <button>Save</button>
</form>
<p id="saved">{{ saved|join:"," }}</p>
<p id="validated">{{ validated }}</p>
<button id="ping" dj-click="ping">ping {{ pings }}</button>`;

  saved = signal<string[]>([]);
  validated = signal(0);
  pings = signal(0);

  /** Options of `allowUpload("avatar")`, changed by tests before mounting. */
  static options: UploadOptions = {
    accept: [".png", ".jpg", "image/webp"],
    maxEntries: 2,
    maxFileSize: 5_000_000,
  };
  /** What the last `save` got, for tests. */
  static lastSaved: { path?: string; name: string; type: string; size: number; bytes?: number }[] =
    [];
  /** Where `save` moves files when set (else they are read and left to be deleted). */
  static moveTo: string | null = null;

  override mount(): void {
    this.allowUpload("avatar", (this.constructor as typeof Profile).options);
  }

  @eventHandler()
  validate(): void {
    this.validated.value++;
  }

  @eventHandler()
  cancel(params: { ref?: string }): void {
    this.cancelUpload("avatar", String(params.ref));
  }

  @eventHandler()
  ping(): void {
    this.pings.value++;
  }

  @eventHandler()
  async save(): Promise<void> {
    const cls = this.constructor as typeof Profile;
    cls.lastSaved = [];
    const names = await this.consumeUploadedEntries("avatar", async (entry) => {
      let bytes: number | undefined;
      if (entry.path) {
        bytes = (await Deno.stat(entry.path)).size;
        if (cls.moveTo) await Deno.rename(entry.path, `${cls.moveTo}/${entry.name}`);
      }
      cls.lastSaved.push({
        path: entry.path,
        name: entry.name,
        type: entry.type,
        size: entry.size,
        bytes,
      });
      return entry.name;
    });
    this.saved.value = [...this.saved.value, ...names];
  }
}

/** A view class with its own upload options (each test gets its own class, so no test leaks). */
export function profileWith(options: UploadOptions): typeof Profile {
  return class extends Profile {
    static override options = options;
  };
}

/** An app serving `view` at `/profile`, its temporary files in a fresh directory. */
export async function uploadApp(
  view: typeof Profile = profileWith(Profile.options),
  options: AppOptions = {},
): Promise<{ app: App; dir: string; files(): Promise<string[]>; close(): Promise<void> }> {
  const dir = await Deno.makeTempDir({ prefix: "djust-upload-test-" });
  const app = new App({
    secret: "uploads",
    logger: () => {},
    ...options,
    uploads: { dir, ...options.uploads },
  });
  app.live("/profile", view);
  return {
    app,
    dir,
    async files() {
      const names: string[] = [];
      for await (const e of Deno.readDir(dir)) names.push(e.name);
      return names.sort();
    },
    async close() {
      await app.close();
      await Deno.remove(dir, { recursive: true });
    },
  };
}

/** `n` bytes of a repeating pattern. */
export function bytes(n: number, seed = 7): Uint8Array<ArrayBuffer> {
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i++) out[i] = (i * 31 + seed) & 0xff;
  return out;
}

/** A PNG-named file of `n` bytes. */
export function png(name: string, n: number) {
  return { name, type: "image/png", content: bytes(n) };
}

/** A page of `app` driven frame by frame (a client that may break the rules). */
export async function rawPage(app: App, path = "/profile") {
  const page = await openPage(app, path);
  await page.join();
  let ref = 0;
  return {
    page,
    /** Sends `upload` for `files` ({ name, type, size }); returns the server's answers. */
    choose(name: string, files: { name: string; type: string; size: number }[]) {
      return page.send({ type: "upload", ref: ++ref, name, files });
    },
    /** Sends `upload_start`; returns the server's answers. */
    start(name: string) {
      return page.send({ type: "upload_start", ref: ++ref, name });
    },
    /** Sends a chunk frame; returns the server's answers. */
    async chunk(entry: string, offset: number, data: Uint8Array) {
      page.transport.sent.length = 0;
      await page.connection.receive(frame(entry, offset, data));
      await page.connection.idle();
      return [...page.transport.sent];
    },
    /** The entry refs of an `upload_entries` answer. */
    refs(answers: Record<string, unknown>[]): (string | null)[] {
      const reply = answers.find((m) => m.type === "upload_entries");
      if (!reply) throw new Error(`no upload_entries in ${JSON.stringify(answers)}`);
      return reply.entries as (string | null)[];
    },
  };
}

/** A chunk frame: header and data. */
export function frame(entry: string, offset: number, data: Uint8Array): Uint8Array<ArrayBuffer> {
  const header = chunkHeader(entry, offset);
  const out = new Uint8Array(header.length + data.length);
  out.set(header);
  out.set(data, header.length);
  return out;
}

/** The error codes among `answers`. */
export function codes(answers: Record<string, unknown>[]): unknown[] {
  return answers.filter((m) => m.type === "error" || m.code).map((m) => m.code);
}
