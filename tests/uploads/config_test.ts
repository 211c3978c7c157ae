/** The checks a chosen file passes, file names, sizes, the chunk frame and the multipart CSRF scan. */
import assert from "node:assert/strict";
import {
  chunkHeader,
  cleanFileName,
  decodeChunk,
  formatBytes,
  refusedType,
  resolveConfig,
  uploadErrors,
} from "../../lib/live/uploads/index.ts";
import { multipartField } from "../../lib/server/multipart_token.ts";

const images = resolveConfig("avatar", { accept: [".png", ".JPG", "image/webp"] });

Deno.test("accept: a listed extension passes, with its own MIME type or none", () => {
  assert.equal(refusedType(images, "me.png", "image/png"), null);
  assert.equal(refusedType(images, "ME.PNG", ""), null);
  assert.equal(
    refusedType(images, "me.jpg", "image/jpeg"),
    null,
    ".JPG matches case-insensitively",
  );
  assert.equal(refusedType(images, "me.png", "application/octet-stream"), null);
});

Deno.test("accept: a listed MIME type passes whatever the extension's listing", () => {
  assert.equal(refusedType(images, "me.webp", "image/webp"), null);
  assert.equal(refusedType(images, "photo", "image/webp"), null, "no extension, listed type");
});

Deno.test("accept: anything else is refused, naming what is accepted", () => {
  assert.equal(
    refusedType(images, "me.gif", "image/gif"),
    "Not an accepted file type (.png, .jpg, image/webp)",
  );
  assert.match(refusedType(images, "notes", "")!, /Not an accepted/);
});

Deno.test("accept: a MIME type that contradicts the extension is refused", () => {
  assert.equal(
    refusedType(images, "evil.png", "text/html"),
    "The file's type does not match its name",
  );
  assert.equal(
    refusedType(images, "x.webp", "image/png"),
    "The file's type does not match its name",
  );
});

Deno.test("accept: wildcards and older MIME names", () => {
  const any = resolveConfig("x", { accept: ["image/*"] });
  assert.equal(refusedType(any, "a.gif", "image/gif"), null);
  assert.equal(refusedType(any, "a.png", "image/x-png"), null, "image/x-png is image/png");
  assert.equal(refusedType(any, "a.jpg", "image/jpg"), null, "image/jpg is image/jpeg");
  assert.match(refusedType(any, "a.txt", "text/plain")!, /Not an accepted/);
  const all = resolveConfig("x", {});
  assert.equal(refusedType(all, "a.bin", ""), null, "no accept list: anything");
  assert.equal(refusedType(all, "a.png", "text/html"), "The file's type does not match its name");
});

Deno.test("resolveConfig: bad names and options are refused with the option's name", () => {
  assert.throws(() => resolveConfig("no spaces", {}), /not a valid upload name/);
  assert.throws(() => resolveConfig("a", { maxEntries: 0 }), /maxEntries must be a positive/);
  assert.throws(() => resolveConfig("a", { chunkSize: 1.5 }), /chunkSize/);
  assert.throws(() => resolveConfig("a", { accept: ["png"] }), /not an extension/);
  const c = resolveConfig("a", { accept: [".png", "image/webp"], maxEntries: 3 });
  assert.equal(c.acceptAttr, ".png,image/webp");
  assert.equal(c.chunkSize, 64 * 1024);
  assert.equal(c.maxFileSize, 8_000_000);
});

Deno.test("uploadErrors: the same checks for a plain multipart handler", () => {
  const options = { accept: [".png"], maxFileSize: 1000 };
  assert.deepEqual(uploadErrors(options, { name: "a.png", type: "image/png", size: 10 }), []);
  assert.deepEqual(uploadErrors(options, { name: "a.gif", type: "image/gif", size: 5000 }), [
    "Not an accepted file type (.png)",
    "File too large (at most 1 kB)",
  ]);
  const file = new File([new Uint8Array(2000)], "dir/a.gif", { type: "image/gif" });
  assert.equal(uploadErrors(options, file).length, 2, "a File (its fields are getters) too");
});

Deno.test("file names keep their last segment, without control characters", () => {
  assert.equal(cleanFileName("C:\\Users\\me\\photo.png"), "photo.png");
  assert.equal(cleanFileName("../../etc/passwd"), "passwd");
  assert.equal(cleanFileName("a\u0000b\nc.png"), "abc.png");
  assert.equal(cleanFileName(""), "file");
  assert.equal(cleanFileName("x".repeat(300)).length, 255);
});

Deno.test("sizes print in decimal units", () => {
  assert.equal(formatBytes(999), "999 bytes");
  assert.equal(formatBytes(5_000_000), "5 MB");
  assert.equal(formatBytes(1_536_000), "1.5 MB");
});

Deno.test("chunk frames: header and bytes round-trip, offsets past 4 GiB included", () => {
  for (const offset of [0, 65536, 2 ** 32 + 5, 2 ** 52]) {
    const header = chunkHeader("u1abc", offset);
    const frame = new Uint8Array([...header, 9, 8, 7]);
    const chunk = decodeChunk(frame)!;
    assert.equal(chunk.entry, "u1abc");
    assert.equal(chunk.offset, offset);
    assert.deepEqual([...chunk.bytes], [9, 8, 7]);
  }
});

Deno.test("chunk frames: anything else decodes to null", () => {
  const good = [...chunkHeader("u1", 0), 1];
  assert.equal(decodeChunk(new Uint8Array([2, ...good.slice(1)])), null, "unknown kind");
  assert.equal(decodeChunk(new Uint8Array(good.slice(0, -1))), null, "no data");
  assert.equal(
    decodeChunk(new Uint8Array([1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1])),
    null,
    "empty ref",
  );
  const spaced = [...good];
  spaced[2] = 0x20;
  assert.equal(decodeChunk(new Uint8Array(spaced)), null, "ref not printable ASCII");
  const far = [...good];
  far[4] = 0xff; // offset's high word past 2^53
  assert.equal(decodeChunk(new Uint8Array(far)), null, "offset past 2^53");
  assert.equal(decodeChunk(new Uint8Array([1, 200, ...new Array(300).fill(65)])), null, "ref > 64");
});

function multipart(parts: [string, string, string?][], filler = 0): Request {
  const b = "----djust-boundary";
  let body = "";
  for (const [name, value, filename] of parts) {
    body += `--${b}\r\nContent-Disposition: form-data; name="${name}"` +
      (filename ? `; filename="${filename}"\r\nContent-Type: image/png` : "") +
      `\r\n\r\n${value}\r\n`;
  }
  body += "x".repeat(filler) + `--${b}--\r\n`;
  return new Request("http://t.test/", {
    method: "POST",
    body,
    headers: { "content-type": `multipart/form-data; boundary=${b}` },
  });
}

Deno.test("multipartField: a field near the start of a large body is found, the body kept", async () => {
  const request = multipart([["csrfmiddlewaretoken", "tok123"], ["avatar", "PNG…", "a.png"]]);
  assert.equal(await multipartField(request, "csrfmiddlewaretoken"), "tok123");
  assert.match(await request.text(), /tok123[\s\S]*PNG/, "the handler still reads the whole body");
});

Deno.test("multipartField: a field after 64 KiB, or inside a file part, is not", async () => {
  const late = multipart([["avatar", "y".repeat(70_000), "a.png"], ["csrfmiddlewaretoken", "t"]]);
  assert.equal(await multipartField(late, "csrfmiddlewaretoken"), null);
  const disguised = multipart([["csrfmiddlewaretoken", "t", "token.txt"]]);
  assert.equal(await multipartField(disguised, "csrfmiddlewaretoken"), null);
});
