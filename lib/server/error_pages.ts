/**
 * Error pages: 403, 404 and 500 render `403.html`, `404.html` or `500.html` from the App's
 * templates when it has them, a small built-in page otherwise. Development pages add the error and
 * its template position; production pages show no internals.
 * @module
 */
import type { Engine } from "../template/engine.ts";
import { escapeHtml } from "../template/safe.ts";
import { describeError, templatePosition } from "./error_report.ts";

const TITLES: Record<number, string> = {
  400: "Bad request",
  403: "Forbidden",
  404: "Not found",
  405: "Method not allowed",
  500: "Server error",
};

/** The error page for `status`, with `error`'s details in development. */
export function errorPage(
  engine: Engine,
  status: number,
  options: { dev: boolean; error?: unknown; request?: Request } = { dev: false },
): Response {
  const title = TITLES[status] ?? "Error";
  const detail = options.dev && options.error !== undefined
    ? { message: describeError(options.error), where: templatePosition(options.error) ?? "" }
    : null;
  let html: string | null = null;
  try {
    html = engine.getTemplate(`${status}.html`).render({
      status,
      title,
      path: options.request ? new URL(options.request.url).pathname : "",
      error: detail,
    });
  } catch {
    // No such template (the usual case), or a broken one that must not hide the original error.
    html = null;
  }
  html ??= builtInPage(status, title, detail, options.error);
  return new Response(options.request?.method === "HEAD" ? null : html, {
    status,
    headers: { "content-type": "text/html; charset=utf-8", "cache-control": "no-store" },
  });
}

function builtInPage(
  status: number,
  title: string,
  detail: { message: string; where: string } | null,
  error: unknown,
): string {
  // In development the page reloads itself once the error is fixed (a template saved again).
  const body = detail
    ? `<pre>${escapeHtml(detail.message)}${detail.where ? `\nat ${escapeHtml(detail.where)}` : ""}${
      error instanceof Error && error.stack ? `\n\n${escapeHtml(error.stack)}` : ""
    }</pre><script>setInterval(()=>fetch(location.href,{method:"HEAD"}).then((r)=>r.status<500&&location.reload(),()=>{}),1000)</script>`
    : "";
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>${status} ${title}</title>
<style>body{font:16px/1.5 system-ui,sans-serif;margin:4rem auto;max-width:40rem;padding:0 1rem}pre{white-space:pre-wrap;background:#f6f6f6;padding:1rem;overflow:auto}</style>
</head><body><h1>${status} ${title}</h1>${body}</body></html>
`;
}
