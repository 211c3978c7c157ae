/**
 * Every limit of an upload, through the real server path (the toolkit, or raw frames for a client
 * that breaks the rules): checked when files are chosen, before any byte is sent, and again on
 * every byte the server receives.
 */
import assert from "node:assert/strict";
import { liveTest, type LiveTestError } from "../../lib/testing/mod.ts";
import { openPage } from "../helpers/join.ts";
import { bytes, codes, frame, png, profileWith, rawPage, uploadApp } from "./fixtures.ts";

const IMAGES = { accept: [".png", ".jpg", "image/webp"], maxEntries: 2, maxFileSize: 5000 };

Deno.test("type: a file of a type not accepted is an invalid entry, and none of it is sent", async () => {
  const t = await uploadApp(profileWith(IMAGES));
  const view = await liveTest(t.app, "/profile");
  const [ref] = await view.upload("avatar", [{
    name: "notes.txt",
    type: "text/plain",
    content: bytes(100),
  }]);
  assert.ok(ref, "it is an entry, shown with its error");
  assert.equal(view.text(".entry-error"), "Not an accepted file type (.png, .jpg, image/webp)");
  assert.ok(view.has(".entry .invalid"));
  assert.equal(t.app.metrics.uploadChunks, 0, "no chunk was sent");
  assert.deepEqual(await t.files(), []);
  await view.close();
  await t.close();
});

Deno.test("type: a MIME type listed in accept passes; one contradicting the name does not", async () => {
  const t = await uploadApp(profileWith(IMAGES));
  const view = await liveTest(t.app, "/profile");
  await view.chooseFiles("avatar", [
    { name: "a.webp", type: "image/webp", content: bytes(10) },
    { name: "b.png", type: "text/html", content: bytes(10) },
  ]);
  const errors = [...view.element("#entries").querySelectorAll(".entry")].map((li) =>
    li.querySelector(".entry-error")?.textContent ?? "ok"
  );
  assert.deepEqual(errors, ["ok", "The file's type does not match its name"]);
  await view.close();
  await t.close();
});

Deno.test("size: a file over maxFileSize is refused when chosen", async () => {
  const t = await uploadApp(profileWith(IMAGES));
  const view = await liveTest(t.app, "/profile");
  await view.upload("avatar", [png("big.png", 5001), png("ok.png", 5000)]);
  assert.equal(view.text(".entry-error"), "File too large (at most 5 kB)");
  assert.equal(t.app.metrics.uploadBytes, 5000, "only the valid file was sent");
  await view.submit("#profile");
  assert.equal(view.text("#saved"), "ok.png");
  await view.close();
  await t.close();
});

Deno.test("count: files past maxEntries are not taken and the upload says so", async () => {
  const t = await uploadApp(profileWith(IMAGES));
  const view = await liveTest(t.app, "/profile");
  const refs = await view.chooseFiles("avatar", [
    png("a.png", 1),
    png("b.png", 1),
    png("c.png", 1),
  ]);
  assert.equal(refs.filter(Boolean).length, 2);
  assert.equal(refs[2], null);
  assert.equal(view.text(".upload-error"), "Too many files (at most 2)");
  assert.equal(view.element("#entries").querySelectorAll(".entry").length, 2);
  // Cancelling one makes room; the error goes with the next choice.
  await view.click(".entry .cancel");
  await view.chooseFiles("avatar", [png("c.png", 1)]);
  assert.equal(view.has(".upload-error"), false);
  assert.equal(view.element("#entries").querySelectorAll(".entry").length, 2);
  await view.close();
  await t.close();
});

Deno.test("a client that lies about the size is cut off at the declared size; the entry fails", async () => {
  const t = await uploadApp(profileWith(IMAGES));
  const view = await liveTest(t.app, "/profile");
  await assert.rejects(
    () => view.upload("avatar", [{ ...png("liar.png", 4000), size: 100 }]),
    (e: LiveTestError) => e.code === "client.upload_too_large",
  );
  assert.equal(view.text(".entry-error"), "More bytes arrived than the file has");
  assert.equal(t.app.metrics.uploadBytes, 0, "none of the oversized chunk was kept");
  assert.deepEqual(await t.files(), [], "the entry's file is deleted");
  await view.submit("#profile");
  assert.equal(view.text("#saved"), "", "a failed entry is never consumed");
  await view.close();
  await t.close();
});

Deno.test("a chunk larger than the chunk size fails the entry", async () => {
  const t = await uploadApp(profileWith({ ...IMAGES, chunkSize: 1000 }));
  const view = await liveTest(t.app, "/profile");
  await assert.rejects(
    () => view.upload("avatar", [png("a.png", 3000)], { chunkSize: 1500 }),
    (e: LiveTestError) => e.code === "client.upload_chunk",
  );
  assert.equal(view.text(".entry-error"), "The upload failed");
  assert.deepEqual(await t.files(), []);
  await view.close();
  await t.close();
});

Deno.test("the chunk size is lowered to fit the App's frame limit with its header", async () => {
  const t = await uploadApp(profileWith({ ...IMAGES, chunkSize: 1_000_000 }), {
    maxFrameBytes: 4096,
  });
  const raw = await rawPage(t.app);
  const answers = await raw.choose("avatar", [{ name: "a.png", type: "image/png", size: 10 }]);
  assert.equal(answers.find((m) => m.type === "upload_entries")?.chunkSize, 4096 - 74);
  await t.close();
});

Deno.test("a chunk for a ref the view never issued is refused with client.upload_unknown", async () => {
  const t = await uploadApp();
  const raw = await rawPage(t.app);
  assert.deepEqual(codes(await raw.chunk("uforged1", 0, bytes(10))), ["client.upload_unknown"]);
  assert.equal(t.app.metrics.uploadChunks, 0);
  await t.close();
});

Deno.test("an upload the view did not allow is refused with client.upload_unknown", async () => {
  const t = await uploadApp();
  const raw = await rawPage(t.app);
  const answers = await raw.choose("resume", [{ name: "a.pdf", type: "", size: 1 }]);
  assert.deepEqual(codes(answers), ["client.upload_unknown"]);
  assert.deepEqual(codes(await raw.start("resume")), ["client.upload_unknown"]);
  await t.close();
});

Deno.test("malformed upload messages and binary frames are refused with client.malformed", async () => {
  const t = await uploadApp();
  const raw = await rawPage(t.app);
  const { page } = raw;
  for (
    const message of [
      { type: "upload", ref: 1, name: "avatar", files: "a.png" },
      { type: "upload", ref: 1, name: "avatar", files: [{ name: "a", type: "", size: -1 }] },
      { type: "upload", ref: 1, name: "avatar", files: [{ name: "a", type: "", size: 1.5 }] },
      { type: "upload", ref: 1, name: 7, files: [] },
      { type: "upload_progress", entry: 3, progress: 10 },
    ]
  ) {
    assert.deepEqual(
      codes(await page.send(message)),
      ["client.malformed"],
      JSON.stringify(message),
    );
  }
  page.transport.sent.length = 0;
  await page.connection.receive(new Uint8Array([9, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]));
  assert.deepEqual(
    codes(page.transport.sent),
    ["client.malformed"],
    "a binary frame that is no chunk",
  );
  await t.close();
});

Deno.test("chunks before the upload starts, or at the wrong offset, fail the entry", async () => {
  const t = await uploadApp();
  const raw = await rawPage(t.app);
  const [early] = raw.refs(
    await raw.choose("avatar", [{ name: "a.png", type: "image/png", size: 20 }]),
  );
  const answers = await raw.chunk(early!, 0, bytes(10));
  assert.deepEqual(answers.filter((m) => m.type === "upload_stop"), [
    { type: "upload_stop", entry: early, code: "client.upload_chunk" },
  ]);
  const [late] = raw.refs(
    await raw.choose("avatar", [{ name: "b.png", type: "image/png", size: 20 }]),
  );
  await raw.start("avatar");
  assert.equal((await raw.chunk(late!, 0, bytes(10)))[0].type, "upload_ack");
  const skipped = await raw.chunk(late!, 15, bytes(5));
  assert.deepEqual(codes(skipped), ["client.upload_chunk"], "offset 15, where 10 were received");
  assert.deepEqual(await t.files(), [], "the failed entry's file is deleted");
  await t.close();
});

Deno.test("chunks past the window of unacknowledged chunks are refused before they queue", async () => {
  const t = await uploadApp(profileWith({ ...IMAGES, maxFileSize: 1_000_000, chunkSize: 100 }), {
    uploads: { window: 4 },
  });
  const raw = await rawPage(t.app);
  const [ref] = raw.refs(
    await raw.choose("avatar", [{ name: "a.png", type: "image/png", size: 10_000 }]),
  );
  await raw.start("avatar");
  const { page } = raw;
  // A client that waits for acknowledgements is never refused.
  for (let i = 0; i < 4; i++) {
    const answers = await raw.chunk(ref!, i * 100, bytes(100));
    assert.equal(answers[0].type, "upload_ack");
  }
  page.transport.sent.length = 0;
  // Ten chunks at once, none waited for: the first four fill the window.
  const handled = [];
  for (let i = 0; i < 10; i++) {
    handled.push(page.connection.receive(frame(ref!, 400 + i * 100, bytes(100))));
  }
  await Promise.all(handled);
  await page.connection.idle();
  const sent = page.transport.sent;
  // The fifth chunk broke the window: the entry failed at once, before any chunk was written,
  // and the chunks after it were only told to stop.
  assert.deepEqual(codes(sent.filter((m) => m.type === "error")), ["client.upload_chunk"]);
  assert.equal(sent.filter((m) => m.type === "upload_ack").length, 0);
  assert.equal(t.app.metrics.uploadChunks, 4, "the queued chunks of a failed entry are dropped");
  assert.deepEqual(await t.files(), []);
  await t.close();
});

Deno.test("a binary frame before the join is refused with client.not_joined", async () => {
  const t = await uploadApp();
  const page = await openPage(t.app, "/profile");
  await page.connection.receive(frame("u1", 0, bytes(10)));
  assert.deepEqual(codes(page.transport.sent), ["client.not_joined"]);
  await t.close();
});

Deno.test("upload messages are rate-limited per kind", async () => {
  const t = await uploadApp();
  const raw = await rawPage(t.app);
  const all = [];
  for (let i = 0; i < 12; i++) {
    all.push(...await raw.choose("avatar", [{ name: "a.png", type: "image/png", size: 1 }]));
  }
  assert.deepEqual(codes(all), ["client.rate_limited"], "10 per second, one notice");
  await t.close();
});

Deno.test("disk: the chunk that would pass the App's maxDiskBytes fails its entry", async () => {
  const t = await uploadApp(profileWith(IMAGES), { uploads: { maxDiskBytes: 6000 } });
  const view = await liveTest(t.app, "/profile");
  await view.upload("avatar", [png("a.png", 4000), png("b.png", 4000)]);
  const errors = [...view.element("#entries").querySelectorAll(".entry-error")].map((e) =>
    e.textContent
  );
  assert.deepEqual(errors, ["The server cannot take this file now; try again later"]);
  await view.submit("#profile");
  assert.equal(view.text("#saved"), "a.png");
  await view.close();
  await t.close();
});

Deno.test("bytes per second: past the budget, acknowledgements wait (the upload slows down)", async () => {
  const t = await uploadApp(profileWith({ ...IMAGES, maxFileSize: 100_000, chunkSize: 4096 }), {
    uploads: { bytesPerSecond: 20_000 },
  });
  const view = await liveTest(t.app, "/profile");
  const started = performance.now();
  await view.upload("avatar", [png("a.png", 30_000)]);
  const took = performance.now() - started;
  // 20 000 bytes go at once (a second's budget), the other 10 000 at 20 000/s.
  assert.ok(took >= 400, `took ${took.toFixed(0)} ms`);
  assert.equal(view.text(".progress"), "100");
  await view.close();
  await t.close();
});
