/**
 * Request headers kept past their request: a live view keeps its visitor's for as long as it lives
 * (a mount over the socket gets a Request with them; languages and the session cookie are read
 * from them). A `Headers` copy costs ~1 KB for a handful of headers (an array per header, and
 * caches); this is one array of names and values.
 *
 * A socket's upgrade request is kept by Deno for the socket's life, and iterating its headers
 * makes it keep them twice more (the parsed list and the iteration's sorted copy, ~1.7 KB per
 * socket): a connection reads the {@link VISITOR_HEADERS} by name instead (`get` reads one header
 * without building the list).
 * @module
 */

/** Anything headers can be read from by name (`Headers`, {@link KeptHeaders}). */
export interface HeaderSource {
  get(name: string): string | null;
}

/**
 * Headers, read-only, in one flat array (`[name, value, name, value, …]`, names in lower case).
 *
 * @example
 * ```ts
 * import { KeptHeaders } from "./kept_headers.ts";
 * const headers = new Headers({ "Accept-Language": "de", upgrade: "websocket" });
 * const all = KeptHeaders.of(headers);
 * all.get("Accept-Language"); // "de"
 * const some = KeptHeaders.pick(headers, ["accept-language", "cookie"]);
 * some.get("upgrade"); // null: not picked
 * new Request("http://x.test/", { headers: some.toHeaders() });
 * ```
 */
export class KeptHeaders implements HeaderSource {
  readonly #flat: readonly string[];

  private constructor(flat: readonly string[]) {
    this.#flat = flat;
  }

  /** A copy of every header of `headers` (a page load's: its request is not kept). */
  static of(headers: Headers): KeptHeaders {
    const flat: string[] = [];
    // Headers iterate with lower-case names, one entry per name (set-cookie aside, never sent).
    for (const [name, value] of headers) flat.push(name, value);
    return new KeptHeaders(flat);
  }

  /** The headers in `names` (lower case) that `headers` has, each read by name. */
  static pick(headers: HeaderSource, names: readonly string[]): KeptHeaders {
    const flat: string[] = [];
    for (const name of names) {
      const value = headers.get(name);
      if (value !== null) flat.push(name, value);
    }
    // A copy of the exact length: a pushed-to array keeps room for 17 elements.
    return new KeptHeaders(flat.slice());
  }

  /** The value of header `name` (any case), or null. */
  get(name: string): string | null {
    const flat = this.#flat;
    const wanted = name.toLowerCase();
    for (let i = 0; i < flat.length; i += 2) if (flat[i] === wanted) return flat[i + 1];
    return null;
  }

  /** A fresh `Headers` holding these (for a Request made from them). */
  toHeaders(): Headers {
    const headers = new Headers();
    const flat = this.#flat;
    for (let i = 0; i < flat.length; i += 2) headers.append(flat[i], flat[i + 1]);
    return headers;
  }
}

/**
 * The headers a connection keeps of its socket's upgrade: those that say who the visitor is and
 * where it comes from (the session cookie, its languages, proxies' forwarding headers); the
 * handshake's and the browser's fetch metadata are left. A view mounted over the socket (a
 * navigation, a reset) gets a Request with these.
 */
export const VISITOR_HEADERS: readonly string[] = [
  "accept-language",
  "cookie",
  "forwarded",
  "host",
  "origin",
  "referer",
  "user-agent",
  "x-forwarded-for",
  "x-forwarded-host",
  "x-forwarded-proto",
  "x-real-ip",
];
