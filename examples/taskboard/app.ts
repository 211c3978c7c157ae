/**
 * The task board as an App: the database in the data directory, accounts, the pages, templates and
 * static files. `main.ts` runs it; tests build their own with a temporary data directory.
 */
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { App, type AppOptions, loginRequired, permissionRequired } from "../../mod.ts";
import { openDatabase } from "./data/db.ts";
import { TaskStore } from "./data/store.ts";
import { addAccountRoutes } from "./auth/accounts.ts";
import { DEFAULT_ITERATIONS } from "./auth/passwords.ts";
import { ADMIN, taskboardAuth } from "./auth/permissions.ts";
import { LoginThrottle } from "./auth/throttle.ts";
import type { Services } from "./services.ts";
import { AttachmentFiles } from "./files/storage.ts";
import { addDownloadRoute } from "./files/download.ts";
import { withServices } from "./views/base.ts";
import { BoardsView } from "./views/boards.ts";
import { BoardView } from "./views/board.ts";
import { MembersView } from "./views/members.ts";

/** Options of {@link createTaskboardApp}: the task board's own, then any App option. */
export interface TaskboardOptions extends AppOptions {
  /** Where the database (and attachments) live; created if missing. */
  dataDir: string;
  /** PBKDF2 iterations for new password hashes (default 600 000; lower only in tests). */
  passwordIterations?: number;
}

/** A running task board: the App, its store, and how to close both. */
export interface Taskboard {
  readonly app: App;
  readonly services: Services;
  /** Closes the App (connections, pub/sub, sessions), then the database. */
  close(): Promise<void>;
}

/** The data directory `TASKBOARD_DATA` names, or `./.data/taskboard` (from the working directory). */
export function defaultDataDir(): string {
  return Deno.env.get("TASKBOARD_DATA") || "./.data/taskboard";
}

/** A directory next to this file, whatever the working directory is. */
function here(path: string): string {
  return fileURLToPath(new URL(path, import.meta.url));
}

/**
 * Builds the task board: opens (creating and migrating) the database, then the App with its
 * routes.
 *
 * @example
 * ```ts ignore
 * const { app } = await createTaskboardApp({ dataDir: "./.data/taskboard", secret });
 * Deno.serve({ port: 8001 }, app.fetch);
 * ```
 */
export async function createTaskboardApp(options: TaskboardOptions): Promise<Taskboard> {
  const { dataDir, passwordIterations, ...appOptions } = options;
  const files = new AttachmentFiles(dataDir);
  await files.ready();
  // Uploads land next to where they are kept, so keeping one is a rename on one file system.
  const uploadDir = join(dataDir, "uploads");
  await Deno.mkdir(uploadDir, { recursive: true });
  const store = new TaskStore(await openDatabase(dataDir));
  const services: Services = {
    store,
    dataDir,
    passwordIterations: passwordIterations ?? DEFAULT_ITERATIONS,
    throttle: new LoginThrottle(),
    files,
  };
  let app: App;
  try {
    app = new App({
      layout: "layout.html",
      templateDirs: [here("./templates")],
      staticDirs: { "/static": here("./static") },
      auth: taskboardAuth(store),
      // Every page needs a member; the sign-in pages are plain handlers, not live views.
      onMount: [loginRequired()],
      uploads: { dir: uploadDir, maxDiskBytes: 1024 * 1024 * 1024 },
      ...appOptions,
    });
  } catch (error) {
    store.close();
    throw error;
  }
  app.live("/", withServices(BoardsView, services), { name: "boards", title: "Taskboard" });
  app.live("/boards/:id", withServices(BoardView, services), { name: "board" });
  app.live("/members", withServices(MembersView, services), {
    name: "members",
    onMount: [permissionRequired(ADMIN)],
  });
  addAccountRoutes(app, services);
  addDownloadRoute(app, services);
  app.get("/health", () => new Response("ok"));
  return {
    app,
    services,
    close: async () => {
      await app.close();
      store.close();
    },
  };
}
