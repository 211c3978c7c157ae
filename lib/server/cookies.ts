/**
 * Minimal cookie reading and writing.
 * @module
 */
import type { HeaderSource } from "./kept_headers.ts";

/** Parses the Cookie header (of a request's headers, or of headers kept) into name → value. */
export function readCookies(headers: HeaderSource): Record<string, string> {
  const out: Record<string, string> = {};
  const header = headers.get("cookie");
  if (!header) return out;
  for (const part of header.split(";")) {
    const eq = part.indexOf("=");
    if (eq < 0) continue;
    const name = part.slice(0, eq).trim();
    try {
      out[name] = decodeURIComponent(part.slice(eq + 1).trim());
    } catch {
      out[name] = part.slice(eq + 1).trim();
    }
  }
  return out;
}

/** A Set-Cookie value: HttpOnly, SameSite=Lax, path /; Secure when `secure`. */
export function sessionCookie(name: string, value: string, secure: boolean): string {
  return `${name}=${encodeURIComponent(value)}; Path=/; HttpOnly; SameSite=Lax${
    secure ? "; Secure" : ""
  }`;
}
