/**
 * Password hashing with WebCrypto's PBKDF2-HMAC-SHA256, stored as Django stores it:
 * `pbkdf2_sha256$<iterations>$<salt>$<hash>` (salt and hash in base64). The iteration count is in
 * each hash, so raising {@link DEFAULT_ITERATIONS} later keeps old hashes working, and
 * {@link verifyPassword} says when one should be replaced (`needsRehash`) at the next sign-in.
 */
import { timingSafeEqual } from "node:crypto";

/** OWASP's 2023 figure for PBKDF2-HMAC-SHA256 (about 0.25 s per hash on a small server). */
export const DEFAULT_ITERATIONS = 600_000;

const ALGORITHM = "pbkdf2_sha256";
const SALT_BYTES = 16;
const HASH_BITS = 256;
/** Below this a stored hash is refused as corrupt or forged rather than checked. */
const MIN_ITERATIONS = 1_000;
/** Above this a stored hash would make one check take minutes: also refused. */
const MAX_ITERATIONS = 10_000_000;

/** What {@link verifyPassword} found. */
export interface Verification {
  ok: boolean;
  /** True when the password was right but its hash used fewer iterations than asked for now. */
  needsRehash: boolean;
}

/**
 * Hashes `password` with a fresh random salt.
 *
 * @example
 * ```ts ignore
 * const stored = await hashPassword("correct horse battery staple");
 * // "pbkdf2_sha256$600000$Zm9v…$YmFy…"
 * ```
 */
export async function hashPassword(
  password: string,
  iterations: number = DEFAULT_ITERATIONS,
): Promise<string> {
  if (!Number.isSafeInteger(iterations) || iterations < MIN_ITERATIONS) {
    throw new RangeError(`iterations must be an integer of at least ${MIN_ITERATIONS}`);
  }
  const salt = crypto.getRandomValues(new Uint8Array(SALT_BYTES));
  const hash = await derive(password, salt, iterations);
  return [ALGORITHM, iterations, toBase64(salt), toBase64(hash)].join("$");
}

/**
 * Checks `password` against a stored hash in constant time (for hashes of the same length).
 * A malformed stored value is a mismatch, never an exception.
 *
 * @example
 * ```ts ignore
 * const { ok, needsRehash } = await verifyPassword(typed, stored);
 * ```
 */
export async function verifyPassword(
  password: string,
  stored: string,
  iterations: number = DEFAULT_ITERATIONS,
): Promise<Verification> {
  const parsed = parse(stored);
  if (!parsed) return { ok: false, needsRehash: false };
  const hash = await derive(password, parsed.salt, parsed.iterations);
  const ok = hash.length === parsed.hash.length && timingSafeEqual(hash, parsed.hash);
  return { ok, needsRehash: ok && parsed.iterations < iterations };
}

/**
 * A hash of a random password, made once per process: signing in as an unknown email checks
 * against it, so that answer takes as long as a wrong password for a real account and the timing
 * does not tell which emails have accounts.
 */
export function decoyHash(iterations: number = DEFAULT_ITERATIONS): Promise<string> {
  let decoy = DECOYS.get(iterations);
  if (!decoy) {
    decoy = hashPassword(crypto.randomUUID(), iterations);
    DECOYS.set(iterations, decoy);
  }
  return decoy;
}

const DECOYS = new Map<number, Promise<string>>();

async function derive(password: string, salt: Uint8Array, iterations: number): Promise<Uint8Array> {
  const key = await crypto.subtle.importKey(
    "raw",
    new TextEncoder().encode(password),
    "PBKDF2",
    false,
    ["deriveBits"],
  );
  const bits = await crypto.subtle.deriveBits(
    { name: "PBKDF2", hash: "SHA-256", salt: salt as Uint8Array<ArrayBuffer>, iterations },
    key,
    HASH_BITS,
  );
  return new Uint8Array(bits);
}

function parse(stored: string): { iterations: number; salt: Uint8Array; hash: Uint8Array } | null {
  const parts = stored.split("$");
  if (parts.length !== 4 || parts[0] !== ALGORITHM || !/^\d{1,9}$/.test(parts[1])) return null;
  const iterations = Number(parts[1]);
  if (iterations < MIN_ITERATIONS || iterations > MAX_ITERATIONS) return null;
  try {
    const salt = fromBase64(parts[2]), hash = fromBase64(parts[3]);
    return salt.length && hash.length ? { iterations, salt, hash } : null;
  } catch {
    return null;
  }
}

function toBase64(bytes: Uint8Array): string {
  return btoa(String.fromCharCode(...bytes));
}

function fromBase64(text: string): Uint8Array {
  return Uint8Array.from(atob(text), (c) => c.charCodeAt(0));
}
