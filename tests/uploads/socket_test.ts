/** Uploads over a real WebSocket on 127.0.0.1: binary frames, the window, the frame limit. */
import assert from "node:assert/strict";
import { serve } from "../e2e/harness.ts";
import { waitFor } from "../helpers/wait.ts";
import { bytes, frame, profileWith, uploadApp } from "./fixtures.ts";
import { SocketPage } from "./socket_uploader.ts";

const BIG = { accept: [".png"], maxEntries: 2, maxFileSize: 50_000_000 };

Deno.test("a file goes through a real socket chunk by chunk, and its bytes arrive whole", async () => {
  const View = profileWith(BIG);
  const t = await uploadApp(View);
  const server = await serve(t.app);
  const page = await SocketPage.open(server.url, "/profile");
  const content = bytes(3_000_000, 11);
  await page.upload("avatar", new File([content], "big.png", { type: "image/png" }));
  page.send({ type: "event", ref: 1, name: "save", params: {} });
  await page.next((m) => m.type === "patch" && m.ref === 1);
  assert.equal(View.lastSaved[0].bytes, 3_000_000);
  assert.equal(t.app.metrics.uploadChunks, Math.ceil(3_000_000 / 65536));
  await page.close();
  await server.close();
  await t.close();
});

Deno.test("a client that ignores the window over a real socket is refused; the server goes on", async () => {
  const t = await uploadApp(profileWith(BIG), { uploads: { window: 2 } });
  const server = await serve(t.app);
  const page = await SocketPage.open(server.url, "/profile");
  page.send({
    type: "upload",
    ref: -1,
    name: "avatar",
    files: [{ name: "a.png", type: "image/png", size: 10_000_000 }],
  });
  const entry = ((await page.next((m) => m.type === "upload_entries")).entries as string[])[0];
  page.send({ type: "upload_start", ref: -2, name: "avatar" });
  await page.next((m) => m.type === "upload_started");
  for (let i = 0; i < 50; i++) page.send(frame(entry, i * 65536, bytes(65536)));
  const refused = await page.next((m) => m.type === "error");
  assert.equal(refused.code, "client.upload_chunk");
  // Chunks acknowledged before the next ones arrived were within the window (written); the first
  // one past it failed the entry, and nothing after it was written.
  assert.ok(t.app.metrics.uploadChunks < 50, `${t.app.metrics.uploadChunks} chunks written`);
  // (A chunk being written when the entry failed deletes the file it was creating.)
  await waitFor(async () => (await t.files()).length === 0, "the failed entry's file deleted");
  page.send({ type: "event", ref: 5, name: "ping", params: {} });
  await page.next((m) => m.type === "patch" && m.ref === 5);
  await page.close();
  await server.close();
  await t.close();
});

Deno.test("a binary frame over maxFrameBytes closes the socket (1009)", async () => {
  const t = await uploadApp(profileWith(BIG), { maxFrameBytes: 100_000 });
  const server = await serve(t.app);
  const page = await SocketPage.open(server.url, "/profile");
  page.send(frame("u1", 0, bytes(200_000)));
  assert.equal((await page.closed).code, 1009);
  await server.close();
  await t.close();
});
