import assert from "node:assert/strict";
import { BodyCache, type Bytes, CHUNK_BYTES, fileStream } from "../../lib/server/static/body.ts";
import {
  hashedNameOf,
  reusableDigest,
  stampOf,
  type StaticFile,
  unhashedNameOf,
} from "../../lib/server/static/manifest.ts";
import { mediaTypeOf } from "../../lib/server/static/media_type.ts";
import {
  encodeFileName,
  fileNameFromUrlPath,
  isServableSegment,
} from "../../lib/server/static/path_policy.ts";
import {
  acceptsGzip,
  ifRangeHolds,
  noneMatchHits,
  notModifiedSince,
  parseRange,
} from "../../lib/server/static/request_headers.ts";

const DIGEST = "3f9a1c2e" + "0".repeat(56);

Deno.test("static parts: hashed names put the hash before the last extension", () => {
  const cases: [string, string][] = [
    ["css/app.css", "css/app.3f9a1c2e.css"],
    ["js/app.min.js", "js/app.min.3f9a1c2e.js"],
    ["LICENSE", "LICENSE.3f9a1c2e"],
    ["v1.2/readme", "v1.2/readme.3f9a1c2e"],
  ];
  for (const [name, hashed] of cases) {
    assert.equal(hashedNameOf(name, DIGEST), hashed, name);
    assert.equal(unhashedNameOf(hashed), name, hashed);
  }
  assert.equal(unhashedNameOf("css/app.css"), null);
  assert.equal(unhashedNameOf("css/app.3F9A1C2E.css"), null);
});

Deno.test("static parts: URL paths decode to file names only when every segment is safe", () => {
  const cases: [string, string | null][] = [
    ["/css/app.css", "css/app.css"],
    ["/my%20file.css", "my file.css"],
    ["/caf%C3%A9.txt", "café.txt"],
    ["/..%2fsecret", null],
    ["/%2e%2e", null],
    ["//etc/passwd", null],
    ["/a%5cb", null],
    ["/a%00", null],
    ["/.env", null],
    ["/C:%5cwindows", null],
    ["/%e0%a4%a", null],
    ["/css/", null],
    ["", null],
  ];
  for (const [path, name] of cases) assert.equal(fileNameFromUrlPath(path), name, path);
  assert.ok(isServableSegment("app.css"));
  assert.ok(!isServableSegment("a\u007fb"));
});

Deno.test("static parts: file names are percent-encoded as Django's filepath_to_uri does", () => {
  assert.equal(encodeFileName("css/it's a&b (1).css"), "css/it's%20a%26b%20(1).css");
  assert.equal(encodeFileName("café/~x!*.js"), "caf%C3%A9/~x!*.js");
});

Deno.test("static parts: Range headers parse to one range, unsatisfiable, or ignored", () => {
  const cases: [string, number, ReturnType<typeof parseRange>][] = [
    ["bytes=0-99", 1000, { start: 0, end: 99 }],
    ["bytes = 5 - 9", 1000, { start: 5, end: 9 }],
    ["bytes=-100", 1000, { start: 900, end: 999 }],
    ["bytes=-5000", 1000, { start: 0, end: 999 }],
    ["bytes=990-2000", 1000, { start: 990, end: 999 }],
    ["bytes=1000-", 1000, "unsatisfiable"],
    ["bytes=-0", 1000, "unsatisfiable"],
    ["bytes=0-", 0, "unsatisfiable"],
    ["bytes=9-5", 1000, null],
    ["bytes=0-1,3-4", 1000, null],
    ["lines=0-1", 1000, null],
    ["bytes=-", 1000, null],
  ];
  for (const [header, size, expected] of cases) {
    assert.deepEqual(parseRange(header, size), expected, `${header} of ${size}`);
  }
});

Deno.test("static parts: Accept-Encoding accepts gzip by name, alias or wildcard with q > 0", () => {
  const cases: [string | null, boolean][] = [
    ["gzip", true],
    ["deflate, GZIP;q=0.5", true],
    ["x-gzip", true],
    ["*", true],
    ["gzip;q=0", false],
    ["gzip;q=0.0, *", false],
    ["*;q=0", false],
    ["br, deflate", false],
    ["", false],
    [null, false],
  ];
  for (const [header, accepted] of cases) assert.equal(acceptsGzip(header), accepted, `${header}`);
});

Deno.test("static parts: validators compare as RFC 9110 says", () => {
  assert.ok(noneMatchHits('"a", "b"', '"b"'));
  assert.ok(noneMatchHits('W/"b"', '"b"'));
  assert.ok(!noneMatchHits('"bb"', '"b"'));
  const mtime = Date.UTC(2024, 0, 2, 3, 4, 5, 678);
  assert.ok(notModifiedSince("Tue, 02 Jan 2024 03:04:05 GMT", mtime));
  assert.ok(!notModifiedSince("Tue, 02 Jan 2024 03:04:04 GMT", mtime));
  assert.ok(ifRangeHolds("Tue, 02 Jan 2024 03:04:05 GMT", '"x"', mtime));
  assert.ok(!ifRangeHolds("Tue, 02 Jan 2024 03:04:06 GMT", '"x"', mtime));
  assert.ok(!ifRangeHolds('W/"x"', '"x"', mtime));
});

Deno.test("static parts: media types carry charset for text and mark what compresses", () => {
  assert.deepEqual(mediaTypeOf("a/app.css"), {
    contentType: "text/css; charset=utf-8",
    compressible: true,
  });
  assert.deepEqual(mediaTypeOf("m.wasm"), { contentType: "application/wasm", compressible: true });
  assert.deepEqual(mediaTypeOf("p.jpg"), { contentType: "image/jpeg", compressible: false });
  assert.deepEqual(mediaTypeOf("f.woff2"), { contentType: "font/woff2", compressible: false });
  assert.equal(mediaTypeOf("x.bin").compressible, false);
});

Deno.test("static parts: a digest is reused only for a same-stamp file changed well before", async () => {
  const path = await Deno.makeTempFile();
  try {
    await Deno.writeTextFile(path, "one");
    const info = await Deno.stat(path);
    const before = { stamp: stampOf(info), digest: "recorded" } as StaticFile;
    const changedAt = Math.max(info.mtime!.getTime(), info.ctime!.getTime());
    assert.equal(reusableDigest(before, info, changedAt + 10_000), "recorded");
    // Scanned within the timestamps' granularity of the change: a rewrite could hide.
    assert.equal(reusableDigest(before, info, changedAt + 500), null);
    await Deno.writeTextFile(path, "two!");
    assert.equal(reusableDigest(before, await Deno.stat(path), changedAt + 10_000), null);
  } finally {
    await Deno.remove(path);
  }
});

function fakeFile(name: string): StaticFile {
  return { name } as StaticFile;
}

function body(size: number): { identity: Bytes; gzip: null } {
  return { identity: new Uint8Array(size), gzip: null };
}

Deno.test("static parts: the body cache stays within its budget, evicting least recent first", () => {
  const cache = new BodyCache(100);
  const [a, b, c, huge] = ["a", "b", "c", "huge"].map(fakeFile);
  cache.set(a, body(40));
  cache.set(b, body(40));
  assert.ok(cache.get(a)); // a is now the most recent
  cache.set(c, body(40)); // evicts b
  assert.equal(cache.bytes, 80);
  assert.ok(cache.get(a));
  assert.equal(cache.get(b), undefined);
  assert.ok(cache.get(c));
  cache.set(huge, body(101)); // larger than the whole budget: not cached
  assert.equal(cache.get(huge), undefined);
  assert.equal(cache.bytes, 80);
  cache.retain((file) => file !== a);
  assert.equal(cache.get(a), undefined);
  assert.equal(cache.bytes, 40);
});

/** Stands in for a Deno.FsFile of `size` bytes, counting reads. */
function countingFile(size: number) {
  const file = {
    reads: 0,
    position: 0,
    closed: false,
    read(buffer: Uint8Array): Promise<number | null> {
      file.reads++;
      const n = Math.min(buffer.length, size - file.position);
      file.position += n;
      return Promise.resolve(n === 0 ? null : n);
    },
    seek(offset: number): Promise<number> {
      file.position = offset;
      return Promise.resolve(offset);
    },
    close(): void {
      file.closed = true;
    },
  };
  return file;
}

Deno.test("static parts: a file stream reads one chunk per read, never ahead", async () => {
  const file = countingFile(10 * CHUNK_BYTES);
  const reader = fileStream(file as unknown as Deno.FsFile, 0, 10 * CHUNK_BYTES).getReader();
  await new Promise((resolve) => setTimeout(resolve, 10));
  assert.equal(file.reads, 0, "read before anyone asked");
  await reader.read();
  await reader.read();
  await new Promise((resolve) => setTimeout(resolve, 10));
  assert.equal(file.reads, 2);
  await reader.cancel();
  assert.ok(file.closed);
});

Deno.test("static parts: a file stream serves exactly its range and closes the file", async () => {
  const file = countingFile(3 * CHUNK_BYTES);
  const stream = fileStream(file as unknown as Deno.FsFile, 100, CHUNK_BYTES + 5);
  const bytes = await new Response(stream).bytes();
  assert.equal(bytes.length, CHUNK_BYTES + 5);
  assert.equal(file.position, 100 + CHUNK_BYTES + 5);
  assert.ok(file.closed);
});
