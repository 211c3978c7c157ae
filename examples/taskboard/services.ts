/**
 * What the task board's routes and views share: the store and the settings they act on. Built once
 * per app by app.ts and handed to each module, so two apps (two tests) never share state.
 */
import type { TaskStore } from "./data/store.ts";
import type { LoginThrottle } from "./auth/throttle.ts";
import type { AttachmentFiles } from "./files/storage.ts";

/** The task board's shared parts. */
export interface Services {
  readonly store: TaskStore;
  /** The data directory (the database file and attachments live in it). */
  readonly dataDir: string;
  /** PBKDF2 iterations for new password hashes (lower in tests only). */
  readonly passwordIterations: number;
  readonly throttle: LoginThrottle;
  /** Where card attachments are stored. */
  readonly files: AttachmentFiles;
}
