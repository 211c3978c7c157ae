/**
 * CSRF for plain handlers: a request that changes state (POST, PUT, PATCH, DELETE) must carry the
 * session's CSRF token (the `csrfmiddlewaretoken` field `{% csrf_token %}` renders, or an
 * `X-CSRF-Token` header) and come from this origin (`Origin`, or `Referer` without it). A request
 * with neither header but a valid token is accepted: non-browser clients send neither, and a
 * browser always sends one of them on a cross-site POST.
 * @module
 */
import { multipartField } from "./multipart_token.ts";
import { safeEqual } from "./tokens.ts";

/** Methods that need the check. */
const UNSAFE = new Set(["POST", "PUT", "PATCH", "DELETE"]);

/** The form field `{% csrf_token %}` renders (Django's name). */
export const CSRF_FIELD = "csrfmiddlewaretoken";

/** The header carrying the token for scripts. */
export const CSRF_HEADER = "x-csrf-token";

/** Form bodies larger than this are not read for the token (send the header instead). */
const MAX_FORM_BYTES = 1024 * 1024;

/** Why a request was refused, or null when it passes. */
export async function csrfRefusal(
  request: Request,
  expected: string,
  origin: string,
): Promise<string | null> {
  if (!UNSAFE.has(request.method)) return null;
  const from = request.headers.get("origin") ?? refererOrigin(request);
  if (from !== null && from !== origin) return `cross-origin request from ${from}`;
  const token = request.headers.get(CSRF_HEADER) ?? await formToken(request);
  if (!token) return "no CSRF token";
  return safeEqual(token, expected) ? null : "wrong CSRF token";
}

function refererOrigin(request: Request): string | null {
  const referer = request.headers.get("referer");
  if (!referer) return null;
  try {
    return new URL(referer).origin;
  } catch {
    return "null";
  }
}

/** The token field of a form body, read from a copy so the handler still gets the body. */
async function formToken(request: Request): Promise<string | null> {
  const type = request.headers.get("content-type") ?? "";
  if (!/^(application\/x-www-form-urlencoded|multipart\/form-data)/i.test(type)) return null;
  const length = Number(request.headers.get("content-length") ?? NaN);
  // A form with a file (posted without JavaScript): the field is near the start of the body.
  if (!(length <= MAX_FORM_BYTES)) {
    return /^multipart/i.test(type) ? multipartField(request, CSRF_FIELD) : null;
  }
  try {
    const value = (await request.clone().formData()).get(CSRF_FIELD);
    return typeof value === "string" ? value : null;
  } catch {
    return null;
  }
}
