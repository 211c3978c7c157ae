/**
 * Pages and sessions over HTTP: scrape a page's join token, CSRF tokens and session cookie; sign
 * in through the login form; ask the fixture who a cookie belongs to.
 * @module
 */
import assert from "node:assert/strict";
import { parseHTML } from "linkedom";
import type { FixtureServer } from "./process.ts";

/** The session cookie djust sets. */
export const SESSION_COOKIE = "djust_sid";

/** A rendered page and what a client scrapes from it. */
export interface Page {
  status: number;
  headers: Headers;
  html: string;
  /** `data-dj-token` of `[dj-root]` (empty when the page has none). */
  token: string;
  /** `meta[name=dj-csrf]`. */
  csrf: string;
  /** The `{% csrf_token %}` field's value, when the page has one. */
  formCsrf: string;
  /** The `Set-Cookie` headers of the response. */
  setCookies: string[];
  /** `djust_sid=…` to send from now on: the one set by this response, else the one sent. */
  cookie: string;
  /** The session cookie's value. */
  sid: string;
  /** The page URL. */
  url: string;
}

/** The `name=value` part of the session cookie among `Set-Cookie` headers, if any. */
export function sessionCookieOf(setCookies: string[]): string | undefined {
  return setCookies.map((c) => c.split(";")[0].trim()).find((c) =>
    c.startsWith(SESSION_COOKIE + "=")
  );
}

/** The full `Set-Cookie` header of the session cookie, if any. */
export function sessionSetCookie(res: Response): string | undefined {
  return res.headers.getSetCookie().find((c) => c.trim().startsWith(SESSION_COOKIE + "="));
}

/** Fetches `path` and scrapes token, CSRF and cookie. Redirects are not followed. */
export async function getPage(
  server: FixtureServer,
  path: string,
  options: { cookie?: string; headers?: Record<string, string> } = {},
): Promise<Page> {
  const headers = new Headers(options.headers);
  if (options.cookie) headers.set("cookie", options.cookie);
  const res = await server.fetch(path, { headers });
  const html = await res.text();
  const setCookies = res.headers.getSetCookie();
  const cookie = sessionCookieOf(setCookies) ?? options.cookie ?? "";
  let token = "", csrf = "", formCsrf = "";
  if (html) {
    const { document } = parseHTML(html);
    token = document.querySelector("[dj-root]")?.getAttribute("data-dj-token") ?? "";
    csrf = document.querySelector('meta[name="dj-csrf"]')?.getAttribute("content") ?? "";
    formCsrf = document.querySelector('input[name="csrfmiddlewaretoken"]')?.getAttribute("value") ??
      "";
  }
  return {
    status: res.status,
    headers: res.headers,
    html,
    token,
    csrf,
    formCsrf,
    setCookies,
    cookie,
    sid: cookie.slice(SESSION_COOKIE.length + 1),
    url: server.base + path,
  };
}

/**
 * Signs in as `user` through the login form (`GET /login`, `POST /login` with its CSRF field) and
 * returns the session cookie to use from then on. `cookie`: the session to sign in (default: new).
 */
export async function login(
  server: FixtureServer,
  user: string,
  cookie?: string,
): Promise<string> {
  const form = await getPage(server, "/login", { cookie });
  assert.ok(form.formCsrf, `GET /login has no {% csrf_token %} field (status ${form.status})`);
  const res = await server.fetch("/login", {
    method: "POST",
    headers: {
      cookie: form.cookie,
      origin: server.origin,
      "content-type": "application/x-www-form-urlencoded",
    },
    body: new URLSearchParams({ csrfmiddlewaretoken: form.formCsrf, user, next: "/" }),
  });
  const body = await res.text();
  assert.equal(res.status, 303, `signing in as ${user} answered ${res.status}: ${body}`);
  return sessionCookieOf(res.headers.getSetCookie()) ?? form.cookie;
}

/** `GET /whoami` with `cookie`: the signed-in user id (or null) and the session's `note`. */
export async function whoami(
  server: FixtureServer,
  cookie: string,
): Promise<{ user: string | null; note: string | null; setCookie?: string }> {
  const res = await server.fetch("/whoami", { headers: cookie ? { cookie } : {} });
  const body = await res.json();
  return { ...body, setCookie: sessionSetCookie(res) };
}

/** Decodes base64url text to a string (latin-1, enough to search for ASCII). */
export function fromBase64url(text: string): string {
  const padded = text.replace(/-/g, "+").replace(/_/g, "/");
  try {
    return atob(padded + "===".slice((padded.length + 3) % 4));
  } catch {
    return "";
  }
}
