/**
 * Request headers kept past their request: a live view keeps its visitor's for as long as it lives
 * (a mount over the socket gets a Request with them; languages and the session cookie are read
 * from them). A `Headers` copy costs ~1 KB for a handful of headers (an array per header, and
 * caches); this is one array of names and values.
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
 * const kept = KeptHeaders.of(new Headers({ "Accept-Language": "de", upgrade: "websocket" }), [
 *   "upgrade",
 * ]);
 * kept.get("accept-language"); // "de"
 * kept.get("upgrade"); // null: left out
 * new Request("http://x.test/", { headers: kept.toHeaders() });
 * ```
 */
export class KeptHeaders implements HeaderSource {
  readonly #flat: readonly string[];

  private constructor(flat: readonly string[]) {
    this.#flat = flat;
  }

  /** A copy of `headers` without the names in `leaveOut` (lower case). */
  static of(headers: Headers, leaveOut: readonly string[] = []): KeptHeaders {
    const flat: string[] = [];
    // Headers iterate with lower-case names, one entry per name (set-cookie aside, never sent).
    for (const [name, value] of headers) {
      if (!leaveOut.includes(name)) flat.push(name, value);
    }
    return new KeptHeaders(flat);
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
 * Headers of a WebSocket upgrade that say nothing about the visitor, only about the handshake: a
 * connection does not keep them.
 */
export const HANDSHAKE_HEADERS: readonly string[] = [
  "connection",
  "upgrade",
  "sec-websocket-key",
  "sec-websocket-version",
  "sec-websocket-extensions",
  "sec-websocket-protocol",
];
