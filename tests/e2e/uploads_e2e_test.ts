/**
 * Uploads in Chromium: choosing files, progress, submit, drag and drop, a file refused before any
 * byte is sent, cancel mid-upload, the external uploader, and the consistency invariant while
 * chunks and progress patches flow.
 */
import assert from "node:assert/strict";
import { Buffer } from "node:buffer";
import type { Page } from "playwright-core";
import { App, eventHandler, LiveView, signal, type UploadOptions } from "../../mod.ts";
import { connections } from "../../lib/server/app.ts";
import type { Connection } from "../../lib/server/connection.ts";
import { compareInPage } from "./dom_compare.ts";
import { BROWSER_TEST, launch, openLive, serve } from "./harness.ts";

/** A photo form; each route gets its own options (see `photos`). */
class Photos extends LiveView {
  static options: UploadOptions = {};
  static override template = `
<form id="photos" dj-submit="save" dj-change="validate">
  {% live_file_input uploads.photo id="picker" %}
  <div id="drop" dj-drop-target="photo">drop here</div>
  <ul id="entries">{% for entry in uploads.photo.entries %}<li class="entry" data-name="{{ entry.name }}">
    <img dj-preview="{{ entry.ref }}" alt="" width="20" height="20">
    <span class="name">{{ entry.name }}</span> <span class="progress">{{ entry.progress }}</span>%{% if entry.done %} <b class="done">done</b>{% endif %}
    {% for err in entry.errors %}<p class="error">{{ err }}</p>{% endfor %}
    <button type="button" class="cancel" dj-click="cancel" dj-value-ref="{{ entry.ref }}">×</button>
  </li>{% endfor %}</ul>
  {% for err in uploads.photo.errors %}<p class="upload-error">{{ err }}</p>{% endfor %}
  <button id="save">Save</button>
</form>
<p id="saved">{{ saved|join:"," }}</p>
<p id="changes">{{ changes }}</p>
<button id="ping" dj-click="ping">pings {{ pings }}</button>`;
  saved = signal<string[]>([]);
  changes = signal(0);
  pings = signal(0);
  override mount(): void {
    this.allowUpload("photo", (this.constructor as typeof Photos).options);
  }
  @eventHandler()
  validate(): void {
    this.changes.value++;
  }
  @eventHandler()
  cancel(params: { ref?: string }): void {
    this.cancelUpload("photo", String(params.ref));
  }
  @eventHandler()
  ping(): void {
    this.pings.value++;
  }
  @eventHandler()
  async save(): Promise<void> {
    const names = await this.consumeUploadedEntries("photo", async (e) => {
      const size = e.path ? (await Deno.stat(e.path)).size : e.size;
      return `${e.name}:${size}${e.external ? ":external" : ""}`;
    });
    this.saved.value = [...this.saved.value, ...names];
  }
}

function photos(options: UploadOptions): typeof Photos {
  return class extends Photos {
    static override options = options;
  };
}

/** A stand-in for an S3-compatible store: takes a POST with form fields and a file, CORS open. */
function startStore(): Promise<
  { url: string; received: Map<string, number>; close(): Promise<void> }
> {
  const received = new Map<string, number>();
  const cors = {
    "access-control-allow-origin": "*",
    "access-control-allow-methods": "POST, PUT",
    "access-control-allow-headers": "*",
  };
  return new Promise((resolve) => {
    const controller = new AbortController();
    const server = Deno.serve({
      port: 0,
      hostname: "127.0.0.1",
      signal: controller.signal,
      onListen: ({ port }) =>
        resolve({
          url: `http://127.0.0.1:${port}`,
          received,
          close: async () => {
            controller.abort();
            await server.finished;
          },
        }),
    }, async (request) => {
      if (request.method === "OPTIONS") return new Response(null, { status: 204, headers: cors });
      // Reads slowly, as a store across a network would: the browser's progress shows steps.
      const parts: Uint8Array[] = [];
      for await (const part of request.body!) {
        parts.push(part);
        await new Promise((r) => setTimeout(r, 3));
      }
      const body = new Blob(parts as Uint8Array<ArrayBuffer>[]);
      const form = await new Response(body, { headers: request.headers }).formData();
      const file = form.get("file") as File;
      received.set(String(form.get("key")), file.size);
      return new Response(null, { status: 204, headers: cors });
    });
  });
}

const file = (name: string, size: number, mimeType = "image/png") => ({
  name,
  mimeType,
  buffer: Buffer.alloc(size, 7),
});

Deno.test({
  name: "e2e: uploads",
  ...BROWSER_TEST,
  async fn(t) {
    const dir = await Deno.makeTempDir({ prefix: "djust-e2e-uploads-" });
    const store = await startStore();
    // 1 MB/s per connection: the big file of the cancel step takes seconds, the others a moment.
    const app = new App({
      secret: "uploads-e2e",
      logger: () => {},
      uploads: { dir, bytesPerSecond: 1_000_000 },
    });
    const images = { accept: [".png", ".jpg", "image/webp"], maxEntries: 2 };
    app.live("/photos", photos({ ...images, maxFileSize: 300_000 }));
    app.live("/auto", photos({ ...images, maxFileSize: 300_000, autoUpload: true }));
    app.live("/big", photos({ ...images, maxFileSize: 50_000_000, chunkSize: 16 * 1024 }));
    app.live(
      "/external",
      photos({
        ...images,
        maxFileSize: 5_000_000,
        external: (entry) => ({
          url: `${store.url}/bucket`,
          fields: { key: `avatars/${entry.ref}` },
        }),
      }),
    );
    const server = await serve(app);
    const browser = await launch();
    const tempFiles = async () => {
      const names = [];
      for await (const e of Deno.readDir(dir)) names.push(e.name);
      return names;
    };
    /** Opens `path`; returns the page and the server's connection for it. */
    const open = async (path: string, errors: string[] = []) => {
      const before = new Set(connections(app));
      const page = await openLive(browser, server.url + path, errors);
      const connection = [...connections(app)].find((c) => !before.has(c))!;
      return { page, connection };
    };
    const consistent = async (page: Page, connection: Connection, when: string) => {
      assert.equal(await compareInPage(page, connection.mounted!.renderFresh()), null, when);
    };
    try {
      await t.step(
        "two chosen files: progress reaches 100 (autoUpload), submit saves them",
        async () => {
          const errors: string[] = [];
          const { page, connection } = await open("/auto", errors);
          await page.setInputFiles("#picker", [file("a.png", 40_000), file("b.png", 70_000)]);
          await page.waitForFunction(() =>
            [...document.querySelectorAll(".entry .progress")].map((e) => e.textContent).join() ===
              "100,100"
          );
          assert.equal(await page.textContent("#changes"), "1", "the form's dj-change ran once");
          assert.equal(
            await page.$$eval(
              "img[dj-preview]",
              (els) => els.filter((e) => (e as HTMLImageElement).src.startsWith("blob:")).length,
            ),
            2,
            "previews show",
          );
          await consistent(page, connection, "after the upload");
          await page.click("#save");
          await page.waitForFunction(() => document.querySelector("#saved")?.textContent !== "");
          assert.equal(await page.textContent("#saved"), "a.png:40000,b.png:70000");
          assert.equal(
            await page.$$eval(".entry", (e) => e.length),
            0,
            "consumed entries are gone",
          );
          assert.deepEqual(await tempFiles(), [], "consumed files are deleted");
          assert.deepEqual(errors, []);
          await page.close();
        },
      );

      await t.step(
        "without autoUpload, submit uploads first and sends the submit once they are in",
        async () => {
          const { page } = await open("/photos");
          const before = { ...app.metrics };
          await page.setInputFiles("#picker", [
            file("c.png", 100_000),
            file("d.jpg", 20_000, "image/jpeg"),
          ]);
          await page.waitForSelector(".entry[data-name='d.jpg']");
          assert.deepEqual(
            await page.$$eval(".entry .progress", (els) => els.map((e) => e.textContent)),
            ["0", "0"],
            "nothing is sent before the submit",
          );
          await page.click("#save");
          await page.waitForFunction(() => document.querySelector("#saved")?.textContent !== "");
          assert.equal(await page.textContent("#saved"), "c.png:100000,d.jpg:20000");
          // 120 000 bytes in chunks of at most 64 KiB: c.png in 2, d.jpg in 1.
          assert.equal(app.metrics.uploadBytes - before.uploadBytes, 120_000);
          assert.equal(app.metrics.uploadChunks - before.uploadChunks, 3);
          assert.deepEqual(await tempFiles(), []);
          await page.close();
        },
      );

      await t.step("a dropped file becomes an entry, with its preview", async () => {
        const { page, connection } = await open("/photos");
        const dataTransfer = await page.evaluateHandle(() => {
          const dt = new DataTransfer();
          dt.items.add(new File([new Uint8Array(3000)], "dropped.png", { type: "image/png" }));
          return dt;
        });
        await page.dispatchEvent("#drop", "dragover", { dataTransfer });
        await page.dispatchEvent("#drop", "drop", { dataTransfer });
        await page.waitForSelector(".entry[data-name='dropped.png']");
        await page.waitForFunction(() =>
          (document.querySelector("img[dj-preview]") as HTMLImageElement)?.src.startsWith("blob:")
        );
        await consistent(page, connection, "after the drop");
        await page.click("#save");
        await page.waitForFunction(() => document.querySelector("#saved")?.textContent !== "");
        assert.equal(await page.textContent("#saved"), "dropped.png:3000");
        await page.close();
      });

      await t.step(
        "a file too large is refused when chosen: an error, and no byte sent",
        async () => {
          const errors: string[] = [];
          const { page } = await open("/photos", errors);
          const chunks = app.metrics.uploadChunks;
          await page.setInputFiles("#picker", [file("huge.png", 400_000)]);
          await page.waitForSelector(".entry .error");
          assert.match(
            await page.textContent(".entry .error") ?? "",
            /too large \(at most 300 kB\)/,
          );
          await page.click("#save"); // nothing valid to send: the submit goes at once
          await page.waitForFunction(() =>
            document.querySelector("#saved")?.textContent === "" &&
            !document.querySelector(".dj-loading")
          );
          assert.equal(app.metrics.uploadChunks, chunks, "no chunk reached the server");
          assert.deepEqual(errors, [], "and none was refused");
          assert.deepEqual(await tempFiles(), []);
          await page.setInputFiles("#picker", [
            file("a.png", 10),
            file("b.png", 10),
            file("c.png", 10),
          ]);
          await page.waitForSelector(".upload-error");
          assert.equal(await page.textContent(".upload-error"), "Too many files (at most 2)");
          await page.close();
        },
      );

      await t.step(
        "cancel mid-upload: the entry goes, its file is deleted; the view keeps working",
        async () => {
          const { page, connection } = await open("/big");
          await page.setInputFiles("#picker", [file("big.png", 4_000_000)]);
          await page.waitForSelector(".entry");
          await page.click("#save");
          // Past the 1 MB burst the budget paces the upload; progress patches flow meanwhile.
          await page.waitForFunction(() =>
            Number(document.querySelector(".entry .progress")?.textContent) >= 30
          );
          assert.equal((await tempFiles()).length, 1, "the chunks go to a temporary file");
          await consistent(page, connection, "during the upload");
          await page.click("#ping");
          await page.waitForSelector("text=pings 1");
          await page.click(".entry .cancel");
          await page.waitForFunction(() => !document.querySelector(".entry"));
          assert.deepEqual(await tempFiles(), [], "the cancelled entry's file is deleted");
          await consistent(page, connection, "after the cancel");
          await page.close();
        },
      );

      await t.step(
        "external uploads go straight to the store, with progress, then the view consumes them",
        async () => {
          const { page } = await open("/external");
          await page.setInputFiles("#picker", [file("e.png", 1_500_000)]);
          await page.waitForSelector(".entry");
          await page.click("#save");
          await page.waitForFunction(() => {
            const p = Number(document.querySelector(".entry .progress")?.textContent);
            return p > 0 && p < 100;
          });
          await page.waitForFunction(() => document.querySelector("#saved")?.textContent !== "");
          assert.equal(await page.textContent("#saved"), "e.png:1500000:external");
          assert.deepEqual([...store.received.values()], [1_500_000], "the store got the bytes");
          assert.match([...store.received.keys()][0], /^avatars\/u/);
          assert.deepEqual(await tempFiles(), [], "nothing went through the server's disk");
          await page.close();
        },
      );
    } finally {
      await browser.close();
      await server.close();
      await app.close();
      await store.close();
      await Deno.remove(dir, { recursive: true });
    }
  },
});
