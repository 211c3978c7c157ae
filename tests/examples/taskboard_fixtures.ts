/**
 * Shared set-up of the task board's tests: an app on a temporary data directory (removed after),
 * members and a board made straight in the store, and sessions signed in as them.
 */
import { createTaskboardApp, type Taskboard } from "../../examples/taskboard/app.ts";
import type { Board, Column, User } from "../../examples/taskboard/data/model.ts";

/** PBKDF2 iterations in tests: the lowest the hasher accepts, so sign-ups take microseconds. */
export const TEST_ITERATIONS = 1_000;

/** A task board on a fresh temporary directory, with Ann (admin), Bo and a board. */
export interface Fixture {
  taskboard: Taskboard;
  ann: User;
  bo: User;
  board: Board;
  columns: Column[];
  /** `{ userId }` session data for `user` (liveTest's `session` option). */
  as(user: User): { session: Record<string, unknown> };
  /** Closes the app and removes the directory. */
  close(): Promise<void>;
}

/** Builds a {@link Fixture}; `logger` receives the App's log lines (silent by default). */
export async function fixture(
  logger: (level: string, message: string, error?: unknown) => void = () => {},
): Promise<Fixture> {
  const dataDir = await Deno.makeTempDir({ prefix: "taskboard-test-" });
  const taskboard = await createTaskboardApp({
    dataDir,
    secret: "taskboard-test",
    passwordIterations: TEST_ITERATIONS,
    logger,
  });
  const { store } = taskboard.services;
  const ann = store.createUser({ email: "ann@example.com", name: "Ann Lee", passwordHash: "-" });
  const bo = store.createUser({ email: "bo@example.com", name: "Bo", passwordHash: "-" });
  const board = store.createBoard("Launch", ann.id);
  return {
    taskboard,
    ann,
    bo,
    board,
    columns: store.columns(board.id),
    as: (user) => ({ session: { userId: String(user.id) } }),
    close: async () => {
      await taskboard.close();
      await Deno.remove(dataDir, { recursive: true });
    },
  };
}
