/**
 * Signed tokens (HMAC-SHA256 via WebCrypto): the join token a page carries, and the CSRF token
 * derived from the session id.
 * @module
 */

const encoder = new TextEncoder();
const decoder = new TextDecoder();

function base64url(bytes: Uint8Array): string {
  let bin = "";
  for (let i = 0; i < bytes.length; i++) bin += String.fromCharCode(bytes[i]);
  return btoa(bin).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

function fromBase64url(text: string): Uint8Array {
  const bin = atob(text.replace(/-/g, "+").replace(/_/g, "/"));
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

/** Random URL-safe id with `bytes` bytes of entropy. */
export function randomId(bytes = 18): string {
  return base64url(crypto.getRandomValues(new Uint8Array(bytes)));
}

/** Why a token was refused. */
export type TokenFailure = "malformed" | "signature" | "expired";

/**
 * Signs and verifies small JSON payloads with a secret.
 *
 * @example
 * ```ts
 * import { Signer } from "./tokens.ts";
 * const signer = await Signer.create("secret");
 * const token = await signer.sign({ view: "counter" }, 60_000);
 * await signer.verify(token); // { ok: true, payload: { view: "counter" } }
 * ```
 */
export class Signer {
  #key: CryptoKey;
  private constructor(key: CryptoKey) {
    this.#key = key;
  }

  /** Derives the HMAC key from `secret`. */
  static async create(secret: string): Promise<Signer> {
    const key = await crypto.subtle.importKey(
      "raw",
      encoder.encode(secret),
      { name: "HMAC", hash: "SHA-256" },
      false,
      ["sign", "verify"],
    );
    return new Signer(key);
  }

  /**
   * Returns `payload.signature`, valid for `ttlMs` milliseconds. With `boundTo`, the signature also
   * covers that value, which the token does not carry: only a `verify` given the same value accepts
   * it (join tokens are bound to the session id this way, which never leaves the server).
   */
  async sign(payload: Record<string, unknown>, ttlMs: number, boundTo = ""): Promise<string> {
    const body = base64url(encoder.encode(JSON.stringify({ ...payload, exp: Date.now() + ttlMs })));
    const sig = await crypto.subtle.sign("HMAC", this.#key, signed(body, boundTo));
    return body + "." + base64url(new Uint8Array(sig));
  }

  /**
   * Checks signature (with the `boundTo` it was signed with) and expiry; returns the payload or the
   * reason for refusal.
   */
  async verify(
    token: unknown,
    boundTo = "",
  ): Promise<{ ok: true; payload: Record<string, unknown> } | { ok: false; reason: TokenFailure }> {
    if (typeof token !== "string" || token.length > 8192) return { ok: false, reason: "malformed" };
    const dot = token.indexOf(".");
    if (dot < 1) return { ok: false, reason: "malformed" };
    const body = token.slice(0, dot);
    let sig: Uint8Array;
    try {
      sig = fromBase64url(token.slice(dot + 1));
    } catch {
      return { ok: false, reason: "malformed" };
    }
    const valid = await crypto.subtle.verify(
      "HMAC",
      this.#key,
      sig as Uint8Array<ArrayBuffer>,
      signed(body, boundTo),
    );
    if (!valid) return { ok: false, reason: "signature" };
    let payload: Record<string, unknown>;
    try {
      payload = JSON.parse(decoder.decode(fromBase64url(body)));
    } catch {
      return { ok: false, reason: "malformed" };
    }
    if (typeof payload.exp !== "number" || payload.exp < Date.now()) {
      return { ok: false, reason: "expired" };
    }
    return { ok: true, payload };
  }

  /**
   * A stable MAC of `value` for `purpose` (CSRF tokens, session ids, token bindings): the purpose
   * is part of what is signed, so a MAC made for one use is worthless for another.
   */
  async mac(value: string, purpose = "csrf"): Promise<string> {
    const data = encoder.encode(purpose + ":" + value);
    const sig = await crypto.subtle.sign("HMAC", this.#key, data);
    return base64url(new Uint8Array(sig));
  }
}

/** What a token's signature covers: its body, then (base64url has no dots) what it is bound to. */
function signed(body: string, boundTo: string): Uint8Array<ArrayBuffer> {
  return encoder.encode(boundTo ? body + "." + boundTo : body);
}

/** Constant-time comparison of two strings. */
export function safeEqual(a: string, b: string): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a.charCodeAt(i) ^ b.charCodeAt(i);
  return diff === 0;
}
