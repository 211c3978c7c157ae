/**
 * Where attachments live: `<data dir>/attachments/<key>`, one file per attachment under a random
 * UUID. The uploaded name is never part of a path (it is only shown), and a key read back from the
 * database is checked to be a UUID before it becomes one.
 */
import { join } from "node:path";

const KEY_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** Image types served inline, by their first bytes (what the browser claimed does not count). */
const SIGNATURES: readonly { type: string; test: (b: Uint8Array) => boolean }[] = [
  { type: "image/png", test: (b) => starts(b, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]) },
  { type: "image/jpeg", test: (b) => starts(b, [0xff, 0xd8, 0xff]) },
  { type: "image/gif", test: (b) => starts(b, [0x47, 0x49, 0x46, 0x38]) },
  {
    type: "image/webp",
    test: (b) =>
      starts(b, [0x52, 0x49, 0x46, 0x46]) && starts(b.subarray(8), [0x57, 0x45, 0x42, 0x50]),
  },
];

/** The type a file is stored and served with when it is not one of the images above. */
export const OPAQUE_TYPE = "application/octet-stream";

/** The attachments directory. */
export class AttachmentFiles {
  readonly dir: string;

  /** Files in `<dataDir>/attachments` (create it with {@link AttachmentFiles.ready}). */
  constructor(dataDir: string) {
    this.dir = join(dataDir, "attachments");
  }

  /** Creates the directory if needed. */
  async ready(): Promise<void> {
    await Deno.mkdir(this.dir, { recursive: true });
  }

  /**
   * Moves the uploaded temporary file `tempPath` in and returns its key and the type to serve it
   * with. (The App's upload directory is inside the data directory, so this is a rename on one
   * file system.)
   */
  async keep(tempPath: string): Promise<{ key: string; contentType: string; size: number }> {
    const key = crypto.randomUUID();
    const contentType = await sniff(tempPath);
    const { size } = await Deno.stat(tempPath);
    await Deno.rename(tempPath, this.path(key));
    return { key, contentType, size };
  }

  /** The path of the file stored under `key`; throws for anything that is not a key. */
  path(key: string): string {
    if (!KEY_RE.test(key)) throw new Error(`not an attachment key: ${JSON.stringify(key)}`);
    return join(this.dir, key);
  }

  /** Deletes the files of `keys` (those already gone are no error). */
  async remove(keys: readonly string[]): Promise<void> {
    for (const key of keys) {
      try {
        await Deno.remove(this.path(key));
      } catch (error) {
        if (!(error instanceof Deno.errors.NotFound)) throw error;
      }
    }
  }
}

/** An image type when the file at `path` starts like one, else {@link OPAQUE_TYPE}. */
async function sniff(path: string): Promise<string> {
  const file = await Deno.open(path);
  try {
    const head = new Uint8Array(16);
    const n = (await file.read(head)) ?? 0;
    const bytes = head.subarray(0, n);
    return SIGNATURES.find((s) => s.test(bytes))?.type ?? OPAQUE_TYPE;
  } finally {
    file.close();
  }
}

function starts(bytes: Uint8Array, prefix: readonly number[]): boolean {
  return bytes.length >= prefix.length && prefix.every((b, i) => bytes[i] === b);
}
