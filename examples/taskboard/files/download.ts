/**
 * `GET /attachments/:id`: a card's file, for signed-in members only. Served so that no file can
 * run as part of the site, whatever its content: images (recognised by their first bytes) inline,
 * everything else as a download of `application/octet-stream`; `nosniff`, and a sandboxing CSP in
 * case a browser renders it anyway.
 */
import type { App } from "../../../mod.ts";
import { userOf } from "../auth/permissions.ts";
import type { Services } from "../services.ts";
import { OPAQUE_TYPE } from "./storage.ts";

/** Adds `GET /attachments/:id` to `app`. */
export function addDownloadRoute(app: App, services: Services): void {
  app.get("/attachments/:id", async (request, params) => {
    if (!userOf(services.store, await app.session(request))) {
      const login = new URL("/login", request.url);
      login.searchParams.set("next", new URL(request.url).pathname);
      return Response.redirect(login, 302);
    }
    const id = Number(params.id);
    const attachment = Number.isSafeInteger(id) ? services.store.attachment(id) : null;
    if (!attachment) return new Response("No such file", { status: 404 });
    let file: Deno.FsFile;
    try {
      file = await Deno.open(services.files.path(attachment.storageKey));
    } catch (error) {
      if (error instanceof Deno.errors.NotFound) {
        return new Response("The file is missing", { status: 404 });
      }
      throw error;
    }
    const { size } = await file.stat();
    const inline = attachment.contentType !== OPAQUE_TYPE;
    return new Response(file.readable, {
      headers: {
        "content-type": attachment.contentType,
        "content-length": String(size),
        "content-disposition": contentDisposition(
          inline ? "inline" : "attachment",
          attachment.name,
        ),
        "x-content-type-options": "nosniff",
        "content-security-policy": "default-src 'none'; img-src 'self'; sandbox",
        "cross-origin-resource-policy": "same-origin",
        "cache-control": "private, no-cache",
      },
    });
  }, { name: "attachment" });
}

/**
 * A `Content-Disposition` value for `name`: an ASCII fallback (quotes, backslashes, control and
 * non-ASCII characters replaced) and the exact name in RFC 5987 form, which browsers prefer.
 */
export function contentDisposition(kind: "inline" | "attachment", name: string): string {
  const ascii = name.replace(/[^\x20-\x7e]|["\\]/g, "_") || "file";
  const encoded = encodeURIComponent(name).replace(
    /['()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
  return `${kind}; filename="${ascii}"; filename*=UTF-8''${encoded}`;
}
