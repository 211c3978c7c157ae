/**
 * The CSRF field of a large `multipart/form-data` body, found without reading the body: a form
 * with a file posted without JavaScript is usually larger than the CSRF check reads whole, but
 * `{% csrf_token %}` renders the field first in the form, so it is near the start of the body.
 * @module
 */

/** How much of a body is searched for the field. */
const PREFIX_BYTES = 64 * 1024;

/**
 * The value of the part named `field` if it is in the first 64 KiB of `request`'s multipart body
 * (read from a copy, which is then cancelled: the handler still gets the whole body), else null.
 *
 * @example
 * ```ts ignore
 * const token = await multipartField(request, "csrfmiddlewaretoken");
 * ```
 */
export async function multipartField(request: Request, field: string): Promise<string | null> {
  const type = request.headers.get("content-type") ?? "";
  const boundary = /boundary=(?:"([^"]{1,70})"|([^;\s]{1,70}))/i.exec(type);
  if (!boundary || !request.body) return null;
  const reader = request.clone().body!.getReader();
  const parts: Uint8Array[] = [];
  let size = 0;
  try {
    while (size < PREFIX_BYTES) {
      const { done, value } = await reader.read();
      if (done) break;
      parts.push(value);
      size += value.length;
    }
  } catch {
    return null;
  } finally {
    reader.cancel().catch(() => {});
  }
  const bytes = new Uint8Array(Math.min(size, PREFIX_BYTES));
  let at = 0;
  for (const part of parts) {
    const take = part.subarray(0, bytes.length - at);
    bytes.set(take, at);
    at += take.length;
    if (at === bytes.length) break;
  }
  // latin1: one character per byte, so nothing in a file's bytes can fail to decode.
  const text = new TextDecoder("latin1").decode(bytes);
  const delimiter = "--" + (boundary[1] ?? boundary[2]);
  for (const part of text.split(delimiter)) {
    const end = part.indexOf("\r\n\r\n");
    if (end < 0) continue;
    const headers = part.slice(0, end);
    const name = /content-disposition:\s*form-data;[^\r\n]*?\bname="([^"]*)"/i.exec(headers)?.[1];
    if (name !== field || /\bfilename=/i.test(headers)) continue;
    const value = part.slice(end + 4);
    // The value ends where the next delimiter's CRLF starts; a cut-off part does not count.
    if (!value.endsWith("\r\n")) return null;
    return value.slice(0, -2);
  }
  return null;
}
