import assert from "node:assert/strict";
import { join } from "node:path";
import { StaticFileNotFound, StaticFiles } from "../../lib/server/static.ts";
import { get, rawGet, serveStatic, type Site, tempSite } from "./static_fixtures.ts";

/**
 * A site with secrets next to the served directory, dot names inside it, and symlinks leading
 * out of it, within it, in a cycle, and nowhere.
 */
async function hostileSite(): Promise<Site> {
  const site = await tempSite({
    "app.css": "body{}",
    ".env": "SECRET=env",
    ".git/config": "SECRET git",
    ".well-known/security.txt": "SECRET dot dir",
    "sub/inner.txt": "inner",
  });
  await Deno.writeTextFile(join(site.root, "secret"), "TOP SECRET");
  await Deno.writeTextFile(join(site.root, "deno.json"), '{"SECRET": true}');
  await Deno.symlink(join(site.root, "secret"), join(site.dir, "out.txt"));
  await Deno.symlink("../secret", join(site.dir, "relative_out.txt"));
  await Deno.symlink(site.root, join(site.dir, "outdir"));
  await Deno.symlink("app.css", join(site.dir, "alias.css"));
  await Deno.symlink(join(site.dir, "sub"), join(site.dir, "linked"));
  await Deno.symlink(site.dir, join(site.dir, "sub", "loop"));
  await Deno.symlink(join(site.root, "missing"), join(site.dir, "dangling.txt"));
  return site;
}

const REFUSED_TARGETS = [
  "/static/../deno.json",
  "/static/../secret",
  "/static/%2e%2e/deno.json",
  "/static/%2E%2E/secret",
  "/static/.%2e/secret",
  "/static/..%2fdeno.json",
  "/static/..%2Fsecret",
  "/static/%2e%2e%2fsecret",
  "/static/sub/..%2f..%2fsecret",
  "/static/sub/../../secret",
  "/static//etc/passwd",
  "/static/%2fetc%2fpasswd",
  "/static/..%5csecret",
  "/static/..\\secret",
  "/static/app.css%00",
  "/static/%00",
  "/static/%c0%ae%c0%ae/secret",
  "/static/%zz",
  "/static/out.txt",
  "/static/relative_out.txt",
  "/static/outdir/secret",
  "/static/outdir/deno.json",
  "/static/dangling.txt",
  "/static/.env",
  "/static/.git/config",
  "/static/.well-known/security.txt",
  "/static/sub",
  "/static/sub/",
  "/static/sub/loop/app.css",
  "/static/",
];

Deno.test("static security: traversal, dot names, outward symlinks and directories are 404", async () => {
  await using site = await hostileSite();
  const files = await StaticFiles.create({ dirs: { "/static": site.dir } });
  await using server = serveStatic(files);
  for (const target of REFUSED_TARGETS) {
    const res = await rawGet(server.port, target);
    assert.equal(res.status, 404, target);
    assert.ok(!res.body.includes("SECRET"), `${target} leaked: ${res.body}`);
    assert.ok(!res.body.includes("root:"), `${target} leaked /etc/passwd`);
  }
});

Deno.test("static security: encoded traversal under the prefix is 404 from handle() itself", async () => {
  await using site = await hostileSite();
  const files = await StaticFiles.create({ dirs: { "/static": site.dir } });
  // These survive URL normalization, so they reach the static handler rather than the router.
  for (
    const path of ["/static/..%2fsecret", "/static//etc/passwd", "/static/%00", "/static/.env"]
  ) {
    const res = await get(files, path);
    assert.equal(res.status, 404, path);
    await res.body?.cancel();
  }
});

Deno.test("static security: a symlink to a file inside the directory is served", async () => {
  await using site = await hostileSite();
  const files = await StaticFiles.create({ dirs: { "/static": site.dir } });
  await using server = serveStatic(files);
  for (
    const [target, body] of [["/static/alias.css", "body{}"], ["/static/linked/inner.txt", "inner"]]
  ) {
    const res = await rawGet(server.port, target);
    assert.equal(res.status, 200, target);
    assert.equal(res.body, body, target);
  }
  assert.match(files.url("alias.css"), /^\/static\/alias\.[0-9a-f]{8}\.css$/);
});

Deno.test("static security: url() refuses files the server would not serve", async () => {
  await using site = await hostileSite();
  const files = await StaticFiles.create({ dirs: { "/static": site.dir } });
  for (const path of ["out.txt", "outdir/secret", ".env", "sub", "../secret", "dangling.txt"]) {
    assert.throws(() => files.url(path), StaticFileNotFound, path);
  }
});

Deno.test("static security: a symlinked static directory is measured by its real path", async () => {
  await using site = await tempSite({ "app.css": "body{}" });
  const link = join(site.root, "public");
  await Deno.symlink(site.dir, link);
  await Deno.symlink(join(site.root, "public", "app.css"), join(site.dir, "via_link.css"));
  const files = await StaticFiles.create({ dirs: { "/static": link } });
  const res = await get(files, "/static/via_link.css");
  assert.equal(await res.text(), "body{}");
});
