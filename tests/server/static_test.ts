import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { join } from "node:path";
import { StaticFileNotFound, StaticFiles } from "../../lib/server/static.ts";
import { CHUNK_BYTES } from "../../lib/server/static/body.ts";
import { BIG_CSS, get, gunzip, serveStatic, tempSite, waitFor } from "./static_fixtures.ts";

const HASHED_CSS = /^\/static\/css\/app\.([0-9a-f]{8})\.css$/;

function sha256(bytes: Uint8Array | string): string {
  return createHash("sha256").update(bytes).digest("hex");
}

// #region Content types and routing

Deno.test("static: files are served with the content type of their extension", async () => {
  await using site = await tempSite({
    "css/app.css": "body{}",
    "js/app.js": "let a;",
    "data.json": "{}",
    "logo.svg": "<svg/>",
    "logo.png": new Uint8Array([137, 80, 78, 71]),
    "notes.txt": "hi",
    "blob.unknownext": "?",
  });
  const files = await StaticFiles.create({ dirs: { "/static": site.dir } });
  const expected: Record<string, string> = {
    "/static/css/app.css": "text/css; charset=utf-8",
    "/static/js/app.js": "text/javascript; charset=utf-8",
    "/static/data.json": "application/json; charset=utf-8",
    "/static/logo.svg": "image/svg+xml",
    "/static/logo.png": "image/png",
    "/static/notes.txt": "text/plain; charset=utf-8",
    "/static/blob.unknownext": "application/octet-stream",
  };
  for (const [path, type] of Object.entries(expected)) {
    const res = await get(files, path);
    assert.equal(res.status, 200, path);
    assert.equal(res.headers.get("content-type"), type, path);
    assert.equal(res.headers.get("x-content-type-options"), "nosniff", path);
    await res.body?.cancel();
  }
  const css = await get(files, "/static/css/app.css");
  assert.equal(await css.text(), "body{}");
});

Deno.test("static: a path under no prefix is left to the router (null)", async () => {
  await using site = await tempSite({ "app.css": "x" });
  const files = await StaticFiles.create({ dirs: { "/static": site.dir } });
  for (const path of ["/", "/staticx/app.css", "/app.css", "/static"]) {
    assert.equal(await files.handle(new Request(`http://t.test${path}`)), null, path);
  }
});

Deno.test("static: a missing file under a prefix is 404", async () => {
  await using site = await tempSite({ "app.css": "x" });
  const files = await StaticFiles.create({ dirs: { "/static": site.dir } });
  const res = await get(files, "/static/nope.css");
  assert.equal(res.status, 404);
  await res.body?.cancel();
});

Deno.test("static: several directories are served under their own prefixes", async () => {
  await using a = await tempSite({ "one.txt": "from a", "both.txt": "a" });
  await using b = await tempSite({ "two.txt": "from b", "both.txt": "b" });
  const files = await StaticFiles.create({ dirs: { "/static": a.dir, "/vendor/": b.dir } });
  assert.deepEqual(files.prefixes, ["/static", "/vendor"]);
  assert.equal(await (await get(files, "/static/one.txt")).text(), "from a");
  assert.equal(await (await get(files, "/vendor/two.txt")).text(), "from b");
  const missing = await get(files, "/static/two.txt");
  assert.equal(missing.status, 404);
  await missing.body?.cancel();
  // url() takes the first directory holding the file, in the order given.
  assert.match(files.url("both.txt"), /^\/static\/both\.[0-9a-f]{8}\.txt$/);
  assert.match(files.url("two.txt"), /^\/vendor\/two\.[0-9a-f]{8}\.txt$/);
});

Deno.test("static: methods other than GET and HEAD are 405 with Allow", async () => {
  await using site = await tempSite({ "app.css": "x" });
  const files = await StaticFiles.create({ dirs: { "/static": site.dir } });
  for (const method of ["POST", "PUT", "DELETE", "OPTIONS"]) {
    const res = await get(files, "/static/app.css", { method });
    assert.equal(res.status, 405, method);
    assert.equal(res.headers.get("allow"), "GET, HEAD", method);
    await res.body?.cancel();
  }
});

Deno.test("static: HEAD has the headers of GET and no body", async () => {
  await using site = await tempSite({ "app.css": BIG_CSS, "logo.png": new Uint8Array(3000) });
  const files = await StaticFiles.create({ dirs: { "/static": site.dir } });
  for (const path of ["/static/app.css", "/static/logo.png"]) {
    for (const encoding of ["identity", "gzip"]) {
      const init = { headers: { "accept-encoding": encoding } };
      const full = await get(files, path, init);
      const head = await get(files, path, { ...init, method: "HEAD" });
      const body = await full.bytes();
      assert.equal(head.status, 200, path);
      assert.equal(head.body, null, path);
      assert.deepEqual([...head.headers], [...full.headers], `${path} ${encoding}`);
      assert.equal(head.headers.get("content-length"), String(body.length), path);
    }
  }
});

Deno.test("static: create() refuses a missing directory and the root prefix", async () => {
  await using site = await tempSite({});
  await assert.rejects(
    StaticFiles.create({ dirs: { "/static": join(site.root, "nope") } }),
    /Static directory ".*nope" \(for "\/static"\) does not exist/,
  );
  await assert.rejects(StaticFiles.create({ dirs: { "/": site.dir } }), /root "\/" is not allowed/);
  await assert.rejects(StaticFiles.create({ dirs: { "static": site.dir } }), /is not a URL path/);
});

// #endregion
// #region Validators: ETag, Last-Modified

Deno.test("static: the ETag comes from the content and If-None-Match answers 304", async () => {
  await using site = await tempSite({ "a.css": "one", "b.css": "two" });
  const files = await StaticFiles.create({ dirs: { "/static": site.dir } });
  const res = await get(files, "/static/a.css");
  await res.body?.cancel();
  const etag = res.headers.get("etag")!;
  assert.equal(etag, `"${sha256("one").slice(0, 16)}"`);
  for (const header of [etag, `W/${etag}`, `"other", ${etag}`, "*"]) {
    const again = await get(files, "/static/a.css", { headers: { "if-none-match": header } });
    assert.equal(again.status, 304, header);
    assert.equal(again.headers.get("etag"), etag, header);
    assert.equal(again.headers.get("cache-control"), "no-cache", header);
    assert.equal(await again.text(), "", header);
  }
  const other = await get(files, "/static/b.css", { headers: { "if-none-match": etag } });
  assert.equal(other.status, 200);
  assert.equal(await other.text(), "two");
});

Deno.test("static: If-Modified-Since at or after Last-Modified answers 304", async () => {
  await using site = await tempSite({ "a.css": "one" });
  const mtime = new Date(Date.UTC(2024, 2, 5, 14, 7, 30, 250));
  await Deno.utime(join(site.dir, "a.css"), mtime, mtime);
  const files = await StaticFiles.create({ dirs: { "/static": site.dir } });
  const res = await get(files, "/static/a.css");
  await res.body?.cancel();
  assert.equal(res.headers.get("last-modified"), "Tue, 05 Mar 2024 14:07:30 GMT");
  const cases: [string, number][] = [
    ["Tue, 05 Mar 2024 14:07:30 GMT", 304],
    ["Wed, 06 Mar 2024 00:00:00 GMT", 304],
    ["Tue, 05 Mar 2024 14:07:29 GMT", 200],
    ["not a date", 200],
  ];
  for (const [since, status] of cases) {
    const r = await get(files, "/static/a.css", { headers: { "if-modified-since": since } });
    assert.equal(r.status, status, since);
    await r.body?.cancel();
  }
});

Deno.test("static: If-None-Match takes precedence over If-Modified-Since", async () => {
  await using site = await tempSite({ "a.css": "one" });
  const files = await StaticFiles.create({ dirs: { "/static": site.dir } });
  const res = await get(files, "/static/a.css", {
    headers: { "if-none-match": '"stale"', "if-modified-since": "Fri, 01 Jan 2100 00:00:00 GMT" },
  });
  assert.equal(res.status, 200);
  assert.equal(await res.text(), "one");
});

// #endregion
// #region Ranges

/** Content of `size` bytes where byte i is i % 251 (so any slice is recognizable). */
function patterned(size: number): Uint8Array<ArrayBuffer> {
  const bytes = new Uint8Array(size);
  for (let i = 0; i < size; i++) bytes[i] = i % 251;
  return bytes;
}

// Both the in-memory path (small file) and the streamed path (above memoryCacheFileBytes).
for (const size of [1000, 700_000]) {
  Deno.test(`static: a byte range is answered 206 with Content-Range (${size} bytes)`, async () => {
    const content = patterned(size);
    await using site = await tempSite({ "data.bin": content });
    const files = await StaticFiles.create({ dirs: { "/static": site.dir } });
    const cases: [string, number, number][] = [
      ["bytes=0-0", 0, 0],
      ["bytes=10-19", 10, 19],
      ["bytes=100-", 100, size - 1],
      ["bytes=-50", size - 50, size - 1],
      [`bytes=${size - 5}-${size + 100}`, size - 5, size - 1],
      ["bytes=0-", 0, size - 1],
    ];
    for (const [range, start, end] of cases) {
      const res = await get(files, "/static/data.bin", { headers: { range } });
      assert.equal(res.status, 206, range);
      assert.equal(res.headers.get("content-range"), `bytes ${start}-${end}/${size}`, range);
      assert.equal(res.headers.get("content-length"), String(end - start + 1), range);
      assert.deepEqual(await res.bytes(), content.subarray(start, end + 1), range);
    }
  });
}

Deno.test("static: an unsatisfiable range is 416 with the size", async () => {
  await using site = await tempSite({ "data.bin": patterned(100), "empty.bin": "" });
  const files = await StaticFiles.create({ dirs: { "/static": site.dir } });
  for (const [path, range] of [["data.bin", "bytes=100-"], ["data.bin", "bytes=-0"]]) {
    const res = await get(files, `/static/${path}`, { headers: { range } });
    assert.equal(res.status, 416, range);
    assert.equal(res.headers.get("content-range"), "bytes */100", range);
    await res.body?.cancel();
  }
  const empty = await get(files, "/static/empty.bin", { headers: { range: "bytes=0-" } });
  assert.equal(empty.status, 416);
  await empty.body?.cancel();
});

Deno.test("static: multiple, malformed or foreign-unit ranges are ignored (whole 200)", async () => {
  await using site = await tempSite({ "data.bin": patterned(100) });
  const files = await StaticFiles.create({ dirs: { "/static": site.dir } });
  for (const range of ["bytes=0-1,5-6", "bytes=5-1", "bytes=abc", "items=0-1", "bytes=-"]) {
    const res = await get(files, "/static/data.bin", { headers: { range } });
    assert.equal(res.status, 200, range);
    assert.equal(res.headers.get("content-range"), null, range);
    assert.equal((await res.bytes()).length, 100, range);
  }
});

Deno.test("static: If-Range with a stale validator sends the whole file", async () => {
  await using site = await tempSite({ "data.bin": patterned(100) });
  const files = await StaticFiles.create({ dirs: { "/static": site.dir } });
  const first = await get(files, "/static/data.bin");
  await first.body?.cancel();
  const etag = first.headers.get("etag")!;
  const lastModified = first.headers.get("last-modified")!;
  const cases: [string, number][] = [
    [etag, 206],
    [lastModified, 206],
    ['"stale"', 200],
    [`W/${etag}`, 200], // If-Range needs a strong match
    ["Thu, 01 Jan 1970 00:00:00 GMT", 200],
  ];
  for (const [ifRange, status] of cases) {
    const res = await get(files, "/static/data.bin", {
      headers: { range: "bytes=0-9", "if-range": ifRange },
    });
    assert.equal(res.status, status, ifRange);
    await res.body?.cancel();
  }
});

// #endregion
// #region Compression

Deno.test("static: text above the threshold is gzipped for clients that accept it", async () => {
  await using site = await tempSite({ "app.css": BIG_CSS, "app.js": BIG_CSS, "logo.svg": BIG_CSS });
  const files = await StaticFiles.create({ dirs: { "/static": site.dir } });
  for (const path of ["/static/app.css", "/static/app.js", "/static/logo.svg"]) {
    const res = await get(files, path, { headers: { "accept-encoding": "br, gzip;q=0.8" } });
    assert.equal(res.headers.get("content-encoding"), "gzip", path);
    assert.equal(res.headers.get("vary"), "Accept-Encoding", path);
    assert.match(res.headers.get("etag")!, /^"[0-9a-f]{16}-gzip"$/, path);
    assert.ok(Number(res.headers.get("content-length")) < BIG_CSS.length / 5, path);
    assert.equal(await gunzip(res), BIG_CSS, path);
  }
});

Deno.test("static: a large text file is gzipped as it streams", async () => {
  const big = "p { margin: 0 }\n".repeat(40_000); // 640 KB: above the memory cache's file limit
  await using site = await tempSite({ "big.css": big });
  const files = await StaticFiles.create({ dirs: { "/static": site.dir } });
  const res = await get(files, "/static/big.css", { headers: { "accept-encoding": "gzip" } });
  assert.equal(res.headers.get("content-encoding"), "gzip");
  assert.equal(res.headers.get("content-length"), null);
  assert.equal(await gunzip(res), big);
});

Deno.test("static: images, small files and clients without gzip get identity", async () => {
  await using site = await tempSite({
    "logo.png": new Uint8Array(5000),
    "setup.bin": new Uint8Array(5000),
    "tiny.css": "a{}",
    "app.css": BIG_CSS,
  });
  const files = await StaticFiles.create({ dirs: { "/static": site.dir } });
  const cases: [string, string][] = [
    ["/static/logo.png", "gzip"],
    ["/static/setup.bin", "gzip"],
    ["/static/tiny.css", "gzip"],
    ["/static/app.css", "identity"],
    ["/static/app.css", "gzip;q=0, deflate"],
  ];
  for (const [path, accept] of cases) {
    const res = await get(files, path, { headers: { "accept-encoding": accept } });
    assert.equal(res.headers.get("content-encoding"), null, `${path} ${accept}`);
    await res.body?.cancel();
  }
  const png = await get(files, "/static/logo.png", { headers: { "accept-encoding": "gzip" } });
  assert.equal(png.headers.get("vary"), null);
  await png.body?.cancel();
});

Deno.test("static: a range response is never gzipped", async () => {
  await using site = await tempSite({ "app.css": BIG_CSS });
  const files = await StaticFiles.create({ dirs: { "/static": site.dir } });
  const res = await get(files, "/static/app.css", {
    headers: { "accept-encoding": "gzip", range: "bytes=0-9" },
  });
  assert.equal(res.status, 206);
  assert.equal(res.headers.get("content-encoding"), null);
  assert.equal(await res.text(), BIG_CSS.slice(0, 10));
});

Deno.test("static: compressMinBytes sets the gzip threshold", async () => {
  await using site = await tempSite({ "app.css": "a { color: red }\n".repeat(10) });
  const files = await StaticFiles.create({ dirs: { "/static": site.dir }, compressMinBytes: 100 });
  const res = await get(files, "/static/app.css", { headers: { "accept-encoding": "gzip" } });
  assert.equal(res.headers.get("content-encoding"), "gzip");
  await res.body?.cancel();
});

// #endregion
// #region Hashed URLs and caching

Deno.test("static: url() puts the content hash in the file name", async () => {
  await using site = await tempSite({
    "css/app.css": "body{}",
    "js/app.min.js": "x",
    "LICENSE": "MIT",
    "my file.css": "y",
  });
  const files = await StaticFiles.create({ dirs: { "/static": site.dir } });
  const hash = (text: string) => sha256(text).slice(0, 8);
  assert.equal(files.url("css/app.css"), `/static/css/app.${hash("body{}")}.css`);
  assert.equal(files.url("js/app.min.js"), `/static/js/app.min.${hash("x")}.js`);
  assert.equal(files.url("LICENSE"), `/static/LICENSE.${hash("MIT")}`);
  assert.equal(files.url("my file.css"), `/static/my%20file.${hash("y")}.css`);
  assert.equal(files.url("css/app.css?v=2#top"), `/static/css/app.${hash("body{}")}.css?v=2#top`);
  const served = await get(files, files.url("my file.css"));
  assert.equal(await served.text(), "y");
});

Deno.test("static: urlOrigin puts a CDN's scheme and host before url()", async () => {
  await using site = await tempSite({ "css/app.css": "body{}" });
  const files = await StaticFiles.create({
    dirs: { "/static": site.dir },
    urlOrigin: "https://cdn.example.com/",
  });
  const url = files.url("css/app.css");
  assert.match(url, /^https:\/\/cdn\.example\.com\/static\/css\/app\.[0-9a-f]{8}\.css$/);
  const res = await files.handle(new Request(url)); // the CDN forwards the same path
  assert.equal(await res?.text(), "body{}");
  await assert.rejects(
    StaticFiles.create({ dirs: { "/static": site.dir }, urlOrigin: "cdn.example.com" }),
    /urlOrigin "cdn.example.com" is not a scheme and host/,
  );
});

Deno.test("static: url() of a missing file throws StaticFileNotFound naming the path", async () => {
  await using site = await tempSite({ "css/app.css": "x" });
  const files = await StaticFiles.create({ dirs: { "/static": site.dir } });
  for (const path of ["css/nope.css", "/css/app.css", ""]) {
    assert.throws(() => files.url(path), (error) => {
      assert.ok(error instanceof StaticFileNotFound, path);
      assert.equal(error.path, path);
      assert.ok(error.message.includes(`'${path}'`), error.message);
      assert.ok(error.message.includes(site.dir), error.message);
      return true;
    });
  }
});

Deno.test("static: a hashed URL is cached as immutable, the plain URL revalidates", async () => {
  await using site = await tempSite({ "css/app.css": "body{}" });
  const files = await StaticFiles.create({ dirs: { "/static": site.dir } });
  const hashed = await get(files, files.url("css/app.css"));
  assert.equal(hashed.headers.get("cache-control"), "public, max-age=31536000, immutable");
  assert.equal(await hashed.text(), "body{}");
  const plain = await get(files, "/static/css/app.css");
  assert.equal(plain.headers.get("cache-control"), "no-cache");
  assert.equal(await plain.text(), "body{}");
});

Deno.test("static: refresh() gives a changed file a new hashed URL; the old one is 404", async () => {
  await using site = await tempSite({ "css/app.css": "body { color: red }" });
  const files = await StaticFiles.create({ dirs: { "/static": site.dir } });
  const before = files.url("css/app.css");
  await site.write("css/app.css", "body { color: blue }");
  await files.refresh();
  const after = files.url("css/app.css");
  assert.match(after, HASHED_CSS);
  assert.notEqual(after, before);
  assert.equal(await (await get(files, after)).text(), "body { color: blue }");
  const stale = await get(files, before);
  assert.equal(stale.status, 404);
  await stale.body?.cancel();
});

Deno.test("static: a same-size rewrite with its old mtime restored still gets a new hash", async () => {
  await using site = await tempSite({ "app.css": "AAAA" });
  const path = join(site.dir, "app.css");
  const old = new Date(Date.UTC(2020, 0, 1));
  await Deno.utime(path, old, old);
  const files = await StaticFiles.create({ dirs: { "/static": site.dir } });
  const before = files.url("app.css");
  await site.write("app.css", "BBBB");
  await Deno.utime(path, old, old); // as `cp -p` or `rsync -t` would leave it
  await files.refresh();
  assert.notEqual(files.url("app.css"), before);
});

Deno.test("static: refresh() adds new files and drops removed ones", async () => {
  await using site = await tempSite({ "old.css": "x" });
  const files = await StaticFiles.create({ dirs: { "/static": site.dir } });
  await site.write("new.css", "y");
  await Deno.remove(join(site.dir, "old.css"));
  assert.throws(() => files.url("new.css"), StaticFileNotFound);
  await files.refresh();
  assert.match(files.url("new.css"), /^\/static\/new\.[0-9a-f]{8}\.css$/);
  assert.throws(() => files.url("old.css"), StaticFileNotFound);
  const gone = await get(files, "/static/old.css");
  assert.equal(gone.status, 404);
  await gone.body?.cancel();
});

// Small files (read whole and checked against the digest) and large ones (streamed).
for (const size of [10, 400_000]) {
  Deno.test(`static: a file changed without refresh() is re-hashed before it is served (${size} bytes)`, async () => {
    await using site = await tempSite({ "app.css": "a".repeat(size) });
    const files = await StaticFiles.create({ dirs: { "/static": site.dir } });
    const before = files.url("app.css");
    const changed = "b".repeat(size + 7);
    await site.write("app.css", changed);
    const res = await get(files, "/static/app.css");
    assert.equal(res.headers.get("etag"), `"${sha256(changed).slice(0, 16)}"`);
    assert.equal(await res.text(), changed);
    assert.notEqual(files.url("app.css"), before);
  });
}

Deno.test("static: a same-size rewrite with its mtime restored is served with its new ETag", async () => {
  await using site = await tempSite({ "app.css": "AAAA" });
  const path = join(site.dir, "app.css");
  const { mtime } = await Deno.stat(path);
  const files = await StaticFiles.create({ dirs: { "/static": site.dir } });
  await site.write("app.css", "BBBB");
  await Deno.utime(path, mtime!, mtime!); // stat now looks as scanned, bar a ctime second tick
  const res = await get(files, "/static/app.css");
  assert.equal(await res.text(), "BBBB");
  assert.equal(res.headers.get("etag"), `"${sha256("BBBB").slice(0, 16)}"`);
});

Deno.test("static: in production a small file is served from memory after the first read", async () => {
  await using site = await tempSite({ "app.css": "cached" });
  const files = await StaticFiles.create({ dirs: { "/static": site.dir } });
  assert.equal(await (await get(files, "/static/app.css")).text(), "cached");
  await Deno.remove(join(site.dir, "app.css")); // the disk is not read again until refresh()
  assert.equal(await (await get(files, "/static/app.css")).text(), "cached");
  await files.refresh();
  const gone = await get(files, "/static/app.css");
  assert.equal(gone.status, 404);
  await gone.body?.cancel();
});

Deno.test("static: dev mode revalidates hashed URLs and serves a stale hash's current file", async () => {
  await using site = await tempSite({ "css/app.css": "v1" });
  const files = await StaticFiles.create({ dirs: { "/static": site.dir }, dev: true });
  const before = files.url("css/app.css");
  const first = await get(files, before);
  assert.equal(first.headers.get("cache-control"), "no-cache");
  assert.equal(await first.text(), "v1");
  await site.write("css/app.css", "v2");
  await files.refresh();
  const stale = await get(files, before);
  assert.equal(stale.status, 200);
  assert.equal(stale.headers.get("cache-control"), "no-cache");
  assert.equal(await stale.text(), "v2");
  const unknown = await get(files, "/static/css/nope.0123abcd.css");
  assert.equal(unknown.status, 404);
  await unknown.body?.cancel();
});

Deno.test("static: watch() re-hashes a changed file without a refresh() call", async () => {
  await using site = await tempSite({ "css/app.css": "body { color: red }" });
  const files = await StaticFiles.create({
    dirs: { "/static": site.dir },
    dev: true,
    watchDebounceMs: 20,
  });
  const before = files.url("css/app.css");
  const stop = files.watch();
  try {
    await site.write("css/app.css", "body { color: green }");
    await waitFor(() => files.url("css/app.css") !== before, "the watcher to re-hash app.css");
    assert.match(files.url("css/app.css"), HASHED_CSS);
    await site.write("css/new.css", "new");
    await waitFor(() => {
      try {
        return files.url("css/new.css") !== "";
      } catch {
        return false;
      }
    }, "the watcher to pick up css/new.css");
  } finally {
    await stop();
  }
});

// #endregion
// #region Large files

Deno.test("static: a 20 MB file is streamed in chunks, not read whole", async () => {
  const size = 20 * 1024 * 1024;
  await using site = await tempSite({ "video.bin": patterned(size) });
  const files = await StaticFiles.create({ dirs: { "/static": site.dir } });
  const res = await get(files, "/static/video.bin");
  assert.equal(res.headers.get("content-length"), String(size));
  const reader = res.body!.getReader();
  const first = await reader.read();
  assert.ok(!first.done);
  assert.ok(first.value.length <= CHUNK_BYTES, `first chunk is ${first.value.length} bytes`);
  await reader.cancel(); // closes the file: the resource sanitizer would catch a leak
});

Deno.test("static: a file truncated while streaming errors the body instead of ending it", async () => {
  const size = 20 * 1024 * 1024;
  await using site = await tempSite({ "video.bin": patterned(size) });
  const files = await StaticFiles.create({ dirs: { "/static": site.dir } });
  const res = await get(files, "/static/video.bin");
  const reader = res.body!.getReader();
  assert.ok(!(await reader.read()).done);
  await Deno.truncate(join(site.dir, "video.bin"), 0);
  await assert.rejects(reader.read(), /ended .* bytes early/);
});

Deno.test("static: a 20 MB file arrives whole over HTTP", async () => {
  const size = 20 * 1024 * 1024;
  const content = patterned(size);
  await using site = await tempSite({ "video.bin": content });
  const files = await StaticFiles.create({ dirs: { "/static": site.dir } });
  await using server = serveStatic(files);
  const res = await fetch(`${server.base}/static/video.bin`);
  assert.equal(res.status, 200);
  assert.equal(res.headers.get("content-length"), String(size));
  const hash = createHash("sha256");
  let received = 0;
  for await (const chunk of res.body!) {
    hash.update(chunk);
    received += chunk.length;
  }
  assert.equal(received, size);
  assert.equal(hash.digest("hex"), sha256(content));
});

// #endregion
