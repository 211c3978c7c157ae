/**
 * Avatar upload with preview: choose or drop images, see them before they are sent, watch the
 * progress, cancel one, save. The same form works without JavaScript (a multipart POST to a plain
 * handler, see `addAvatarRoutes`).
 */
import {
  type App,
  eventHandler,
  LiveView,
  signal,
  uploadErrors,
  type UploadOptions,
} from "../../mod.ts";

/** The upload's rules, shared by the live view and the plain handler. */
export const AVATAR_UPLOAD: UploadOptions = {
  accept: [".png", ".jpg", ".jpeg", ".gif", "image/webp"],
  maxEntries: 3,
  maxFileSize: 2_000_000,
};

/** A saved avatar. */
interface Avatar {
  id: string;
  name: string;
  type: string;
  bytes: Uint8Array;
}

/** The last few saved avatars, in memory (a demo: a real app would move the file to storage). */
class AvatarStore {
  #items: Avatar[] = [];
  add(name: string, type: string, bytes: Uint8Array): void {
    this.#items = [{ id: crypto.randomUUID(), name, type, bytes }, ...this.#items].slice(0, 8);
  }
  get(id: string): Avatar | undefined {
    return this.#items.find((a) => a.id === id);
  }
  list(): { id: string; name: string }[] {
    return this.#items.map(({ id, name }) => ({ id, name }));
  }
}

const store = new AvatarStore();

/** The live view: entries with previews, progress, errors and cancel buttons. */
export class AvatarUpload extends LiveView {
  static override template = `
<section class="avatar">
  <h1>Avatar</h1>
  <form id="avatar-form" dj-submit="save" dj-change="validate" method="post" action="/avatar/upload" enctype="multipart/form-data">
    {% csrf_token %}
    <label>Images (PNG, JPEG, GIF or WebP, up to 2 MB, 3 at once)
      {% live_file_input uploads.avatar id="avatar-input" %}</label>
    <div class="drop" dj-drop-target="avatar">…or drop them here</div>
    <ul class="entries">{% for entry in uploads.avatar.entries %}
      <li class="entry">
        <img dj-preview="{{ entry.ref }}" alt="" width="48" height="48">
        <span class="name">{{ entry.name }}</span>
        <progress max="100" value="{{ entry.progress }}"></progress> <span class="pct">{{ entry.progress }}%</span>
        {% for err in entry.errors %}<span class="error">{{ err }}</span>{% endfor %}
        <button type="button" class="cancel" dj-click="cancel" dj-value-ref="{{ entry.ref }}" aria-label="Remove {{ entry.name }}">×</button>
      </li>{% endfor %}
    </ul>
    {% for err in uploads.avatar.errors %}<p class="error">{{ err }}</p>{% endfor %}
    <button class="save">Save</button>
  </form>
  <h2>Saved</h2>
  <ul class="saved">{% for a in saved %}<li><img src="/avatar/files/{{ a.id }}" alt="" width="48" height="48"> {{ a.name }}</li>{% empty %}<li>None yet.</li>{% endfor %}</ul>
</section>`;

  saved = signal(store.list());

  override mount(): void {
    this.allowUpload("avatar", AVATAR_UPLOAD);
  }

  /** Runs when files are chosen (the form's dj-change): the entries are already checked. */
  @eventHandler()
  validate(): void {}

  @eventHandler()
  cancel(params: { ref?: string }): void {
    this.cancelUpload("avatar", String(params.ref));
  }

  @eventHandler()
  async save(): Promise<void> {
    await this.consumeUploadedEntries("avatar", async ({ path, name, type }) => {
      // A real app would move `path` into its storage; this demo keeps the bytes in memory.
      store.add(name, type, await Deno.readFile(path!));
    });
    this.saved.value = store.list();
  }
}

/**
 * The plain routes of the example: `GET /avatar/files/:id` serves a saved image, and
 * `POST /avatar/upload` takes the same form posted without JavaScript (`multipart/form-data`),
 * checked against the same rules. Its body is read whole, so its size is checked first.
 */
export function addAvatarRoutes(app: App): void {
  app.get("/avatar/files/:id", (_request, params) => {
    const avatar = store.get(params.id);
    if (!avatar) return new Response("Not found", { status: 404 });
    return new Response(avatar.bytes as Uint8Array<ArrayBuffer>, {
      headers: { "content-type": avatar.type || "application/octet-stream" },
    });
  });
  app.post("/avatar/upload", async (request) => {
    const limit = AVATAR_UPLOAD.maxFileSize! * AVATAR_UPLOAD.maxEntries! + 64 * 1024;
    // No length (a chunked body) or too long: refused before anything is read.
    const length = Number(request.headers.get("content-length") ?? NaN);
    if (!(length <= limit)) return new Response("Too large\n", { status: 413 });
    const files = (await request.formData()).getAll("avatar").filter((f) => f instanceof File);
    for (const file of files.slice(0, AVATAR_UPLOAD.maxEntries)) {
      if (!file.size || uploadErrors(AVATAR_UPLOAD, file).length) continue;
      store.add(file.name, file.type, new Uint8Array(await file.arrayBuffer()));
    }
    return new Response(null, { status: 303, headers: { location: "/avatar" } });
  });
}
