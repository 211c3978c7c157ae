/**
 * Saved view state in the session store, sealed with a key derived from the app secret (AES-GCM
 * through WebCrypto): what a view needs to come back after its grace period, a restart, a deploy,
 * or on another process. A snapshot is readable only with the secret and only by its session; it
 * expires with the session and a logout destroys it.
 * @module
 */
import type { Snapshot } from "../live/snapshot.ts";
import type { Session, SessionStore } from "../session/session.ts";

/** Session key listing the ids of views whose state is saved (to destroy them at logout). */
export const SAVED_VIEWS_KEY = "__djust_views";
/** Views kept per session: the oldest saved view is forgotten past this. */
const MAX_SAVED_PER_SESSION = 16;

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** The store key of a view's snapshot. */
function keyOf(viewId: string): string {
  return "view:" + viewId;
}

function toBase64(bytes: Uint8Array): string {
  let bin = "";
  for (let i = 0; i < bytes.length; i += 0x8000) {
    bin += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  }
  return btoa(bin);
}

function fromBase64(text: string): Uint8Array<ArrayBuffer> {
  const bin = atob(text);
  const out = new Uint8Array(new ArrayBuffer(bin.length));
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

/** Why a snapshot was not saved. */
export class SnapshotTooLarge extends Error {
  override name = "SnapshotTooLarge";
}

/**
 * Sealed snapshots of views.
 *
 * @example
 * ```ts ignore
 * const snapshots = await Snapshots.create(store, secret, 64 * 1024);
 * await snapshots.save(viewId, session, binding, captureSnapshot(view));
 * const state = await snapshots.load(viewId, binding);
 * ```
 */
export class Snapshots {
  #store: SessionStore;
  #secret: string;
  #sealingKey: Promise<CryptoKey> | null = null;
  #maxBytes: number;

  /** Snapshots in `store`, sealed with a key derived from `secret`, each at most `maxBytes`. */
  constructor(store: SessionStore, secret: string, maxBytes: number) {
    this.#store = store;
    this.#secret = secret;
    this.#maxBytes = maxBytes;
  }

  /** The AES-GCM key, derived from the secret with HKDF on first use. */
  get #key(): Promise<CryptoKey> {
    return this.#sealingKey ??= crypto.subtle.importKey(
      "raw",
      encoder.encode(this.#secret),
      "HKDF",
      false,
      ["deriveKey"],
    ).then((base) =>
      crypto.subtle.deriveKey(
        {
          name: "HKDF",
          hash: "SHA-256",
          salt: encoder.encode("djust"),
          info: encoder.encode("view snapshots"),
        },
        base,
        { name: "AES-GCM", length: 256 },
        false,
        ["encrypt", "decrypt"],
      )
    );
  }

  /**
   * Seals and stores `snapshot` for view `viewId` of the session with `binding`, and lists the
   * view in `session` (saved with it). Throws {@link SnapshotTooLarge} past the size cap.
   */
  async save(viewId: string, session: Session, binding: string, snapshot: Snapshot): Promise<void> {
    const json = JSON.stringify({ b: binding, s: snapshot });
    if (json.length > this.#maxBytes) {
      throw new SnapshotTooLarge(
        `the state of this view is ${json.length} bytes as JSON, over maxPersistBytes ` +
          `(${this.#maxBytes}); keep big data in private (_) fields, or raise maxPersistBytes`,
      );
    }
    const iv = crypto.getRandomValues(new Uint8Array(12));
    const sealed = new Uint8Array(
      await crypto.subtle.encrypt({ name: "AES-GCM", iv }, await this.#key, encoder.encode(json)),
    );
    await this.#store.save(keyOf(viewId), { v: 1, iv: toBase64(iv), data: toBase64(sealed) });
    const saved = (session.get(SAVED_VIEWS_KEY) as string[] | undefined) ?? [];
    if (!saved.includes(viewId)) {
      const next = [...saved, viewId];
      for (const old of next.splice(0, Math.max(0, next.length - MAX_SAVED_PER_SESSION))) {
        await this.#store.destroy(keyOf(old));
      }
      session.set(SAVED_VIEWS_KEY, next);
    }
  }

  /** The snapshot of view `viewId` if it exists, opens with the secret and belongs to `binding`. */
  async load(viewId: string, binding: string): Promise<Snapshot | null> {
    const entry = await this.#store.load(keyOf(viewId));
    if (!entry || entry.v !== 1) return null;
    try {
      const plain = await crypto.subtle.decrypt(
        { name: "AES-GCM", iv: fromBase64(String(entry.iv)) },
        await this.#key,
        fromBase64(String(entry.data)),
      );
      const { b, s } = JSON.parse(decoder.decode(plain));
      return b === binding ? s : null;
    } catch {
      return null; // another secret, or tampered with: as if there were none
    }
  }

  /** Forgets the snapshot of view `viewId`. */
  drop(viewId: string): Promise<void> {
    return this.#store.destroy(keyOf(viewId));
  }

  /** Forgets every snapshot a session's data lists (at logout). */
  async dropAll(data: Record<string, unknown>): Promise<void> {
    const saved = data[SAVED_VIEWS_KEY];
    if (!Array.isArray(saved)) return;
    for (const id of saved) await this.#store.destroy(keyOf(String(id)));
  }
}
