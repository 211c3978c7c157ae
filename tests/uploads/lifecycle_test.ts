/**
 * An upload's life: chosen, sent, consumed or cancelled; and its files deleted whatever ends it
 * (consume, cancel, a dropped connection, the view ending by any road, the App closing).
 */
import assert from "node:assert/strict";
import { eventHandler, LiveView, MemorySessionStore } from "../../mod.ts";
import { liveTest } from "../../lib/testing/mod.ts";
import { captureSnapshot } from "../../lib/live/snapshot.ts";
import { App } from "../../mod.ts";
import { waitFor } from "../helpers/wait.ts";
import { bytes, png, Profile, profileWith, rawPage, uploadApp } from "./fixtures.ts";

const IMAGES = { accept: [".png", ".jpg", "image/webp"], maxEntries: 2, maxFileSize: 1_000_000 };

Deno.test("consume: each finished entry reaches the callback with its file, then the file goes", async () => {
  const View = profileWith(IMAGES);
  const t = await uploadApp(View);
  const view = await liveTest(t.app, "/profile");
  await view.upload("avatar", [png("a.png", 150_000), {
    name: "b.jpg",
    type: "image/jpeg",
    content: bytes(10),
  }]);
  assert.deepEqual(
    [...view.element("#entries").querySelectorAll(".progress")].map((e) => e.textContent),
    ["100", "100"],
  );
  assert.equal((await t.files()).length, 2, "two temporary files while they wait");
  await view.submit("#profile");
  assert.equal(view.text("#saved"), "a.png,b.jpg");
  assert.deepEqual(
    View.lastSaved.map(({ name, type, size, bytes }) => ({ name, type, size, bytes })),
    [
      { name: "a.png", type: "image/png", size: 150_000, bytes: 150_000 },
      { name: "b.jpg", type: "image/jpeg", size: 10, bytes: 10 },
    ],
  );
  assert.ok(View.lastSaved[0].path!.startsWith(t.dir), "in the App's upload directory");
  assert.equal(view.has(".entry"), false, "consumed entries leave the list");
  assert.deepEqual(await t.files(), [], "and their files are deleted");
  await view.close();
  await t.close();
});

Deno.test("consume: the bytes on disk are the bytes sent", async () => {
  const View = profileWith(IMAGES);
  const dest = await Deno.makeTempDir();
  View.moveTo = dest;
  const t = await uploadApp(View);
  const view = await liveTest(t.app, "/profile");
  const content = bytes(200_000, 3);
  await view.upload("avatar", [{ name: "kept.png", type: "image/png", content }]);
  await view.submit("#profile");
  assert.deepEqual(await Deno.readFile(`${dest}/kept.png`), content, "a moved file stays moved");
  assert.deepEqual(await t.files(), []);
  await view.close();
  await t.close();
  await Deno.remove(dest, { recursive: true });
});

Deno.test("consume: entries still uploading stay for later", async () => {
  const t = await uploadApp(profileWith(IMAGES));
  const view = await liveTest(t.app, "/profile");
  await view.upload("avatar", [png("done.png", 1000)]);
  await view.upload("avatar", [png("half.png", 200_000)], { stopAfterBytes: 65536 });
  await view.submit("#profile");
  assert.equal(view.text("#saved"), "done.png");
  assert.equal(view.text(".entry .name"), "half.png");
  assert.equal(view.text(".entry .progress"), "32");
  assert.equal((await t.files()).length, 1, "its partial file is kept while it uploads");
  await view.close();
  await t.close();
});

Deno.test("cancel before the upload: the entry leaves the list", async () => {
  const t = await uploadApp(profileWith(IMAGES));
  const view = await liveTest(t.app, "/profile");
  await view.chooseFiles("avatar", [png("a.png", 10), png("b.png", 10)]);
  await view.click(".entry .cancel");
  assert.equal(view.text(".entry .name"), "b.png");
  await view.close();
  await t.close();
});

Deno.test("cancel mid-upload: the file is deleted and the chunks still on their way are told to stop", async () => {
  const t = await uploadApp(profileWith(IMAGES));
  const raw = await rawPage(t.app);
  const [ref] = raw.refs(
    await raw.choose("avatar", [{ name: "a.png", type: "image/png", size: 5000 }]),
  );
  await raw.start("avatar");
  assert.equal((await raw.chunk(ref!, 0, bytes(1000)))[0].type, "upload_ack");
  assert.equal((await t.files()).length, 1);
  await raw.page.send({ type: "event", ref: 50, name: "cancel", params: { ref } });
  assert.deepEqual(await t.files(), [], "cancelled: its file is gone");
  assert.deepEqual(await raw.chunk(ref!, 1000, bytes(1000)), [{ type: "upload_stop", entry: ref }]);
  await t.close();
});

Deno.test("other events are handled between the chunks of an upload", async () => {
  const t = await uploadApp(profileWith(IMAGES));
  const raw = await rawPage(t.app);
  const [ref] = raw.refs(
    await raw.choose("avatar", [{ name: "a.png", type: "image/png", size: 3000 }]),
  );
  await raw.start("avatar");
  await raw.chunk(ref!, 0, bytes(1000));
  const answers = await raw.page.send({ type: "event", ref: 60, name: "ping", params: {} });
  assert.ok(answers.some((m) => m.type === "patch" && m.ref === 60));
  await raw.chunk(ref!, 1000, bytes(1000));
  const last = await raw.chunk(ref!, 2000, bytes(1000));
  assert.deepEqual(last.find((m) => m.type === "upload_ack"), {
    type: "upload_ack",
    entry: ref,
    received: 3000,
  });
  await t.close();
});

Deno.test("a dropped connection fails the entries in flight and deletes their files; finished ones survive the rejoin", async () => {
  const t = await uploadApp(profileWith(IMAGES));
  const view = await liveTest(t.app, "/profile");
  await view.upload("avatar", [png("done.png", 1000)]);
  await view.upload("avatar", [png("half.png", 200_000)], { stopAfterBytes: 65536 });
  assert.equal((await t.files()).length, 2);
  await view.disconnect();
  assert.equal((await t.files()).length, 1, "the partial file is deleted at once");
  await view.reconnect();
  assert.equal(view.lastJoin(), "reattached");
  assert.equal(
    view.text(".entry-error"),
    "The connection was lost during the upload",
    "the page shows what happened",
  );
  await view.submit("#profile");
  assert.equal(view.text("#saved"), "done.png", "the finished entry is still there to save");
  assert.deepEqual(await t.files(), []);
  await view.close();
  await t.close();
});

Deno.test("a parked view that is never taken back deletes its files when it ends", async () => {
  const t = await uploadApp(profileWith(IMAGES), { reconnectGraceMs: 20 });
  const view = await liveTest(t.app, "/profile");
  await view.upload("avatar", [png("done.png", 1000)]);
  await view.disconnect();
  assert.equal((await t.files()).length, 1, "kept during the grace period");
  await waitFor(async () => (await t.files()).length === 0, "the files of the ended view go");
  await t.close();
});

Deno.test("the view ending deletes its files: closed, navigated away, reset after a failure", async (s) => {
  class Other extends LiveView {
    static override template = `<p>other</p>`;
  }
  class Failing extends Profile {
    static override options = IMAGES;
    @eventHandler()
    explode(): void {
      throw new Error("boom");
    }
  }
  const t = await uploadApp(Failing);
  t.app.live("/other", Other);
  const uploaded = async () => {
    const view = await liveTest(t.app, "/profile");
    await view.upload("avatar", [png("a.png", 1000)]);
    assert.equal((await t.files()).length, 1);
    return view;
  };
  await s.step("closed", async () => {
    const view = await uploaded();
    await view.close();
    assert.deepEqual(await t.files(), []);
  });
  await s.step("navigated to another view", async () => {
    const view = await uploaded();
    await view.navigate("/other");
    assert.deepEqual(await t.files(), []);
    await view.close();
  });
  await s.step("reset after a handler failed", async () => {
    const view = await uploaded();
    await assert.rejects(() => view.event("explode"));
    assert.deepEqual(await t.files(), [], "the new instance starts with no uploads");
    assert.equal(view.has(".entry"), false);
    await view.close();
  });
  await t.close();
});

Deno.test("a failing consume callback resets the view like any handler failure; its files go", async () => {
  class Throws extends Profile {
    static override options = IMAGES;
    @eventHandler()
    override async save(): Promise<void> {
      await this.consumeUploadedEntries("avatar", () => {
        throw new Error("storage down");
      });
    }
  }
  const t = await uploadApp(Throws);
  const view = await liveTest(t.app, "/profile");
  await view.upload("avatar", [png("a.png", 1000)]);
  await assert.rejects(() => view.submit("#profile"), /storage down/);
  assert.deepEqual(await t.files(), []);
  await view.event("ping");
  assert.equal(view.text("#ping"), "ping 1", "the view goes on");
  await view.close();
  await t.close();
});

Deno.test("App.close deletes the files left (a parked view's included)", async () => {
  const t = await uploadApp(profileWith(IMAGES));
  const view = await liveTest(t.app, "/profile");
  await view.upload("avatar", [png("a.png", 1000)]);
  await view.disconnect();
  await t.app.close();
  assert.deepEqual(await t.files(), []);
  await Deno.remove(t.dir, { recursive: true });
});

Deno.test("progress re-renders an entry at most every 100 ms (and always at 100)", async () => {
  let now = 0;
  const t = await uploadApp(profileWith({ ...IMAGES, chunkSize: 1000 }), { clock: () => now });
  const raw = await rawPage(t.app);
  const [ref] = raw.refs(
    await raw.choose("avatar", [{ name: "a.png", type: "image/png", size: 40_000 }]),
  );
  await raw.start("avatar");
  const progress: string[] = [];
  for (let i = 0; i < 40; i++) {
    now += 25; // a chunk every 25 ms: 40 per second
    for (const m of await raw.chunk(ref!, i * 1000, bytes(1000))) {
      if (m.type !== "patch") continue;
      for (const op of m.ops as { text?: string }[]) if (op.text) progress.push(op.text);
    }
  }
  // A second of chunks: the first, then one per 100 ms, then 100.
  assert.ok(progress.length <= 12, `renders: ${progress}`);
  assert.equal(progress[0], "2");
  assert.equal(progress.at(-1), "100");
  await t.close();
});

Deno.test("maxEntries 1: a new choice replaces the entry", async () => {
  const t = await uploadApp(profileWith({ ...IMAGES, maxEntries: 1 }));
  const view = await liveTest(t.app, "/profile");
  await view.upload("avatar", [png("first.png", 100)]);
  await view.chooseFiles("avatar", [png("second.png", 100)]);
  assert.equal(view.text(".entry .name"), "second.png");
  assert.deepEqual(await t.files(), [], "the replaced entry's file is deleted");
  assert.equal(view.has("input[multiple]"), false);
  await view.close();
  await t.close();
});

Deno.test("entries refused in one choice are dropped at the next", async () => {
  const t = await uploadApp(profileWith(IMAGES));
  const view = await liveTest(t.app, "/profile");
  await view.chooseFiles("avatar", [png("ok.png", 10), {
    name: "x.gif",
    type: "image/gif",
    content: bytes(1),
  }]);
  assert.equal(view.element("#entries").querySelectorAll(".entry").length, 2);
  await view.chooseFiles("avatar", [png("next.png", 10)]);
  assert.deepEqual(
    [...view.element("#entries").querySelectorAll(".name")].map((e) => e.textContent),
    ["ok.png", "next.png"],
  );
  await view.close();
  await t.close();
});

Deno.test("an empty file is done as soon as it starts", async () => {
  const View = profileWith(IMAGES);
  const t = await uploadApp(View);
  const view = await liveTest(t.app, "/profile");
  await view.upload("avatar", [png("empty.png", 0)]);
  assert.equal(view.text(".progress"), "100");
  await view.submit("#profile");
  assert.equal(View.lastSaved[0].bytes, 0);
  await view.close();
  await t.close();
});

Deno.test("autoUpload: the answer to a choice tells the client to start at once", async () => {
  const t = await uploadApp(profileWith({ ...IMAGES, autoUpload: true }));
  const raw = await rawPage(t.app);
  const answers = await raw.choose("avatar", [{ name: "a.png", type: "image/png", size: 1 }]);
  const reply = answers.find((m) => m.type === "upload_entries")!;
  assert.equal(reply.auto, true);
  assert.equal(reply.window, 8);
  assert.equal(reply.chunkSize, 64 * 1024);
  await t.close();
});

Deno.test("upload state is not public state: never saved, never restored", async () => {
  const store = new MemorySessionStore();
  const View = profileWith(IMAGES);
  const t = await uploadApp(View, { sessionStore: store, persistIntervalMs: 1 });
  const view = await liveTest(t.app, "/profile");
  await view.upload("avatar", [png("a.png", 10)]);
  const mounted = [...(await import("../../lib/server/app.ts")).connections(t.app)][0].mounted!;
  assert.equal("uploads" in captureSnapshot(mounted.view), false);
  await view.disconnect();
  await waitFor(() => store.size >= 2, "the view's state (and the session listing it) saved");
  await t.app.close(); // a restart: the parked view ends with the process
  assert.deepEqual(await t.files(), [], "its files with it");
  const restarted = new App({ secret: "uploads", logger: () => {}, sessionStore: store });
  restarted.live("/profile", View);
  await view.reconnect({ app: restarted });
  assert.equal(view.lastJoin(), "restored");
  assert.equal(view.has(".entry"), false, "a restored view has no entries");
  await view.close();
  await restarted.close();
  await Deno.remove(t.dir, { recursive: true });
});

Deno.test("external uploads: the browser sends to storage, the view gets the metadata", async () => {
  const received: string[] = [];
  let fail = false;
  const server = Deno.serve({ port: 0, hostname: "127.0.0.1", onListen() {} }, async (request) => {
    const form = await request.formData();
    received.push(`${form.get("key")}:${(form.get("file") as File).size}`);
    return new Response(null, { status: fail ? 500 : 204 });
  });
  const store = `http://127.0.0.1:${server.addr.port}/bucket`;
  const View = profileWith({
    ...IMAGES,
    external: (entry) => {
      if (entry.name === "throws.png") throw new Error("no presigning today");
      return { url: store, fields: { key: `up/${entry.name}` } };
    },
  });
  const logged: string[] = [];
  const t = await uploadApp(View, { logger: (_level, message) => logged.push(message) });
  const view = await liveTest(t.app, "/profile");
  await view.upload("avatar", [png("a.png", 3000)]);
  assert.deepEqual(received, ["up/a.png:3000"]);
  assert.equal(view.text(".progress"), "100");
  assert.equal(t.app.metrics.uploadBytes, 0, "no byte went through the socket");
  await view.submit("#profile");
  assert.deepEqual(View.lastSaved, [{
    path: undefined,
    name: "a.png",
    type: "image/png",
    size: 3000,
    bytes: undefined,
  }]);
  fail = true;
  await view.upload("avatar", [png("b.png", 10)]);
  assert.equal(view.text(".entry-error"), "The upload to storage failed");
  await view.click(".entry .cancel");
  await view.upload("avatar", [png("throws.png", 10)]);
  assert.equal(view.text(".entry-error"), "The upload could not start");
  assert.ok(logged.some((m) => m.includes("external function of upload avatar failed")));
  await view.close();
  await t.close();
  await server.shutdown();
});
