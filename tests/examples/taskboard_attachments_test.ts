/**
 * Card attachments: uploaded over the board page's socket (the toolkit speaks the browser's upload
 * protocol), kept under a random name in the data directory, shown to every open page, served
 * only to signed-in members, inline only when the bytes are an image, and deleted with their
 * card or board.
 */
import assert from "node:assert/strict";
import { liveTest, sessionCookie } from "../../lib/testing/mod.ts";
import { contentDisposition } from "../../examples/taskboard/files/download.ts";
import { type Fixture, fixture } from "./taskboard_fixtures.ts";

const PNG = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 1, 2, 3]);
const HTML = new TextEncoder().encode("<script>alert(document.cookie)</script>");

async function withCard(
  fn: (f: Fixture, cardId: number, path: string) => Promise<void>,
): Promise<void> {
  const f = await fixture();
  try {
    const card = f.taskboard.services.store.createCard(
      f.board.id,
      f.columns[0].id,
      "Logo",
      f.ann.id,
    )!;
    await fn(f, card.id, `/boards/${f.board.id}?card=${card.id}`);
  } finally {
    await f.close();
  }
}

/** GET `path` as `cookie` (or anonymously). */
async function get(f: Fixture, path: string, cookie = ""): Promise<Response> {
  return await f.taskboard.app.fetch(
    new Request("http://taskboard.test" + path, { headers: { cookie } }),
  );
}

async function files(dir: string): Promise<string[]> {
  const names: string[] = [];
  for await (const entry of Deno.readDir(dir)) names.push(entry.name);
  return names;
}

Deno.test("files uploaded in the card dialog are attached, kept and shown to others", async () => {
  await withCard(async (f, cardId, path) => {
    const ann = await liveTest(f.taskboard.app, path, f.as(f.ann));
    const bo = await liveTest(f.taskboard.app, `/boards/${f.board.id}`, f.as(f.bo));
    await ann.upload("attachments", [
      { name: "logo.png", type: "image/png", content: PNG },
      { name: "page.html", type: "text/html", content: HTML },
    ]);
    assert.equal(ann.element("#attach-form .upload-list").children.length, 2);
    await ann.submit("#attach-form");
    assert.deepEqual(
      [...ann.element(".attachment-list").querySelectorAll(".file-name")].map((a) => a.textContent),
      ["logo.png", "page.html"],
    );
    assert.equal(ann.element("#attach-form .upload-list").children.length, 0, "entries consumed");
    const stored = f.taskboard.services.store.attachments(cardId);
    assert.deepEqual(stored.map((a) => [a.name, a.contentType, a.size]), [
      ["logo.png", "image/png", PNG.length],
      ["page.html", "application/octet-stream", HTML.length],
    ]);
    const dir = f.taskboard.services.files.dir;
    assert.deepEqual((await files(dir)).sort(), stored.map((a) => a.storageKey).sort());
    for (const name of await files(dir)) {
      assert.match(name, /^[0-9a-f-]{36}$/, "never the upload's name");
    }
    await bo.settle();
    assert.equal(bo.text(`#card-${cardId} .attachment-count`).trim(), "Attachments: 2");
    assert.match(bo.text("#activity"), /Ann Lee attached 2 files to “Logo”/);
    await ann.close();
    await bo.close();
  });
});

Deno.test("a file is served only to members: images inline, anything else as a download", async () => {
  await withCard(async (f, cardId, path) => {
    const ann = await liveTest(f.taskboard.app, path, f.as(f.ann));
    await ann.upload("attachments", [
      { name: "logo.png", type: "image/png", content: PNG },
      { name: "fake.png", type: "image/png", content: HTML }, // says PNG, is HTML
    ]);
    await ann.submit("#attach-form");
    await ann.close();
    const [png, fake] = f.taskboard.services.store.attachments(cardId);

    const anonymous = await get(f, `/attachments/${png.id}`);
    await anonymous.body?.cancel();
    assert.equal(anonymous.status, 302);
    assert.match(anonymous.headers.get("location")!, /^http:\/\/taskboard\.test\/login\?next=/);

    const cookie = await sessionCookie(f.taskboard.app, { userId: String(f.bo.id) });
    const image = await get(f, `/attachments/${png.id}`, cookie);
    assert.equal(image.status, 200);
    assert.equal(image.headers.get("content-type"), "image/png");
    assert.match(image.headers.get("content-disposition")!, /^inline; filename="logo.png"/);
    assert.equal(image.headers.get("x-content-type-options"), "nosniff");
    assert.match(image.headers.get("content-security-policy")!, /sandbox/);
    assert.deepEqual(new Uint8Array(await image.arrayBuffer()), PNG);

    const download = await get(f, `/attachments/${fake.id}`, cookie);
    assert.equal(download.headers.get("content-type"), "application/octet-stream");
    assert.match(download.headers.get("content-disposition")!, /^attachment; filename="fake.png"/);
    assert.deepEqual(new Uint8Array(await download.arrayBuffer()), HTML);

    for (const id of ["999", "abc", "1.5"]) {
      const missing = await get(f, `/attachments/${id}`, cookie);
      await missing.body?.cancel();
      assert.equal(missing.status, 404, id);
    }
  });
});

Deno.test("removing an attachment, a card or a board deletes the files", async () => {
  await withCard(async (f, cardId, path) => {
    const { store, files: storage } = f.taskboard.services;
    const ann = await liveTest(f.taskboard.app, path, f.as(f.ann));
    await ann.upload("attachments", [
      { name: "a.txt", type: "text/plain", content: HTML },
      { name: "b.txt", type: "text/plain", content: HTML },
    ]);
    await ann.submit("#attach-form");
    const [a] = store.attachments(cardId);
    await ann.click(`[data-attachment="${a.id}"] button.detach`);
    assert.equal(store.attachments(cardId).length, 1);
    assert.equal((await files(storage.dir)).length, 1);
    await ann.click("button.delete-card");
    assert.equal(store.card(cardId), null);
    assert.deepEqual(await files(storage.dir), []);

    await ann.click('section[data-column="To do"] .add-card-open');
    await ann.submit('section[data-column="To do"] form.add-card', { title: "Other" });
    const other = store.cards(f.board.id).find((c) => c.title === "Other")!;
    await ann.navigate(`/boards/${f.board.id}?card=${other.id}`);
    await ann.upload("attachments", [{ name: "c.txt", type: "text/plain", content: HTML }]);
    await ann.submit("#attach-form");
    assert.equal((await files(storage.dir)).length, 1);
    await ann.click("button.delete-board");
    await ann.click("button.confirm-delete-board");
    assert.deepEqual(await files(storage.dir), []);
    await ann.close();
  });
});

Deno.test("files chosen for one card are not attached to another", async () => {
  await withCard(async (f, cardId, path) => {
    const { store } = f.taskboard.services;
    const other = store.createCard(f.board.id, f.columns[0].id, "Other", f.ann.id)!;
    const ann = await liveTest(f.taskboard.app, path, f.as(f.ann));
    await ann.upload("attachments", [{ name: "a.txt", type: "text/plain", content: HTML }]);
    assert.ok(ann.has("#attach-form .upload-list li"));
    await ann.navigate(`/boards/${f.board.id}?card=${other.id}`);
    assert.equal(ann.text("#card-dialog-title"), "Other");
    assert.ok(!ann.has("#attach-form .upload-list li"), "the new dialog starts empty");
    await ann.event("attach", { id: other.id });
    assert.deepEqual(f.taskboard.services.store.attachments(other.id), []);
    assert.deepEqual(f.taskboard.services.store.attachments(cardId), []);
    await ann.close();
  });
});

Deno.test("a card of another board cannot receive files, nor lose them", async () => {
  await withCard(async (f, cardId, path) => {
    const { store } = f.taskboard.services;
    const elsewhere = store.createBoard("Elsewhere", f.ann.id);
    const foreign = store.createCard(
      elsewhere.id,
      store.columns(elsewhere.id)[0].id,
      "F",
      f.ann.id,
    )!;
    const bo = await liveTest(f.taskboard.app, path, f.as(f.bo));
    await bo.upload("attachments", [{ name: "x.txt", type: "text/plain", content: HTML }]);
    await bo.submit("#attach-form", { id: String(foreign.id) });
    assert.deepEqual(store.attachments(foreign.id), []);
    assert.deepEqual(await files(f.taskboard.services.files.dir), []);
    assert.deepEqual(store.attachments(cardId), []);
    await bo.close();
  });
});

Deno.test("Content-Disposition keeps odd names safe and exact", () => {
  assert.equal(
    contentDisposition("attachment", 'a"b\\c.txt'),
    `attachment; filename="a_b_c.txt"; filename*=UTF-8''a%22b%5Cc.txt`,
  );
  assert.equal(
    contentDisposition("inline", "Zdjęcie (1).png"),
    `inline; filename="Zdj_cie (1).png"; filename*=UTF-8''Zdj%C4%99cie%20%281%29.png`,
  );
  assert.doesNotMatch(contentDisposition("attachment", "a\r\nSet-Cookie: x"), /[\r\n]/);
});
