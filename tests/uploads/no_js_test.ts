/**
 * Without JavaScript, the avatar example's form posts `multipart/form-data` to a plain handler:
 * the CSRF token is found near the start of a body too large to read whole, and the handler
 * applies the upload's own rules.
 */
import assert from "node:assert/strict";
import { createGalleryApp } from "../../examples/app.ts";
import { bytes } from "./fixtures.ts";

const ORIGIN = "http://djust.test";

async function page(app: ReturnType<typeof createGalleryApp>, cookie = "") {
  const response = await app.fetch(new Request(ORIGIN + "/avatar", { headers: { cookie } }));
  const html = await response.text();
  const token = /name="csrfmiddlewaretoken" value="([^"]+)"/.exec(html)?.[1];
  const set = response.headers.getSetCookie().map((c) => c.split(";")[0]).join("; ");
  return { html, token: token!, cookie: set || cookie };
}

/** POSTs the form as a browser does: multipart, with its length. */
async function post(
  app: ReturnType<typeof createGalleryApp>,
  cookie: string,
  parts: [string, string | File][],
) {
  const form = new FormData();
  for (const [name, value] of parts) form.append(name, value);
  const encoded = new Response(form);
  const body = await encoded.arrayBuffer();
  const request = new Request(ORIGIN + "/avatar/upload", {
    method: "POST",
    body,
    headers: {
      cookie,
      origin: ORIGIN,
      "content-type": encoded.headers.get("content-type")!,
      "content-length": String(body.byteLength),
    },
  });
  return app.fetch(request);
}

Deno.test("no JavaScript: the form's multipart POST saves the file, checked like the live upload", async () => {
  const app = createGalleryApp({ secret: "no-js", logger: () => {} });
  const { html, token, cookie } = await page(app);
  assert.match(html, /<form id="avatar-form"[^>]*enctype="multipart\/form-data"/);
  assert.match(html, /<input type="file" name="avatar" dj-upload="avatar"/);
  // 1.5 MB: over the 1 MiB the CSRF check reads whole, so it finds the token at the start.
  const photo = new File([bytes(1_500_000)], "nojs.png", { type: "image/png" });
  const notes = new File([bytes(10)], "notes.txt", { type: "text/plain" });
  const response = await post(app, cookie, [
    ["csrfmiddlewaretoken", token],
    ["avatar", photo],
    ["avatar", notes],
  ]);
  assert.equal(response.status, 303);
  assert.equal(response.headers.get("location"), "/avatar");
  const after = await page(app, cookie);
  assert.match(after.html, /nojs\.png/);
  assert.doesNotMatch(after.html, /notes\.txt/, "a type the upload refuses is not saved");
  await app.close();
});

Deno.test("no JavaScript: without the CSRF token the POST is refused; past the size, 413", async () => {
  const app = createGalleryApp({ secret: "no-js", logger: () => {} });
  const { token, cookie } = await page(app);
  const photo = new File([bytes(1_500_000)], "x.png", { type: "image/png" });
  assert.equal((await post(app, cookie, [["avatar", photo]])).status, 403);
  const late = await post(app, cookie, [["avatar", photo], ["csrfmiddlewaretoken", token]]);
  assert.equal(late.status, 403, "a token after 64 KiB of file is not looked for");
  const huge = new File([bytes(7_000_000)], "huge.png", { type: "image/png" });
  const response = await post(app, cookie, [["csrfmiddlewaretoken", token], ["avatar", huge]]);
  assert.equal(response.status, 413);
  await response.body?.cancel();
  await app.close();
});
