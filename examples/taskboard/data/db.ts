/**
 * The database file: opened with Deno's built-in SQLite (`node:sqlite`), set up for a web server
 * (WAL, foreign keys, a busy timeout so several processes on one machine can share the file) and
 * migrated to the schema this code expects.
 *
 * Migrations are an ordered list; `schema_migrations` records which ran. Each runs in its own
 * `BEGIN IMMEDIATE` transaction, which takes the write lock first, so two processes starting at
 * once cannot both apply the same one: the second waits, sees it recorded, and skips it. Never edit
 * a migration that has shipped; add a new one.
 */
import { DatabaseSync } from "node:sqlite";
import { join } from "node:path";

/** One schema change. */
export interface Migration {
  /** Strictly increasing from 1. */
  version: number;
  /** What it does, recorded next to the version. */
  name: string;
  sql: string;
}

const NOW = `(strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))`;

/** Every migration, oldest first. */
export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: "users, boards, columns, cards, labels, activity",
    sql: `
      CREATE TABLE users (
        id INTEGER PRIMARY KEY,
        email TEXT NOT NULL UNIQUE COLLATE NOCASE,
        name TEXT NOT NULL,
        password_hash TEXT NOT NULL,
        is_admin INTEGER NOT NULL DEFAULT 0,
        removed_at TEXT,
        created_at TEXT NOT NULL DEFAULT ${NOW}
      );
      CREATE TABLE boards (
        id INTEGER PRIMARY KEY,
        name TEXT NOT NULL,
        created_by INTEGER REFERENCES users(id) ON DELETE SET NULL,
        created_at TEXT NOT NULL DEFAULT ${NOW}
      );
      CREATE TABLE board_columns (
        id INTEGER PRIMARY KEY,
        board_id INTEGER NOT NULL REFERENCES boards(id) ON DELETE CASCADE,
        name TEXT NOT NULL,
        position INTEGER NOT NULL
      );
      CREATE INDEX board_columns_by_board ON board_columns(board_id, position);
      CREATE TABLE cards (
        id INTEGER PRIMARY KEY,
        board_id INTEGER NOT NULL REFERENCES boards(id) ON DELETE CASCADE,
        column_id INTEGER NOT NULL REFERENCES board_columns(id) ON DELETE CASCADE,
        position INTEGER NOT NULL,
        title TEXT NOT NULL,
        description TEXT NOT NULL DEFAULT '',
        assignee_id INTEGER REFERENCES users(id) ON DELETE SET NULL,
        created_by INTEGER REFERENCES users(id) ON DELETE SET NULL,
        created_at TEXT NOT NULL DEFAULT ${NOW},
        updated_at TEXT NOT NULL DEFAULT ${NOW}
      );
      CREATE INDEX cards_by_column ON cards(column_id, position);
      CREATE INDEX cards_by_board ON cards(board_id);
      CREATE TABLE card_labels (
        card_id INTEGER NOT NULL REFERENCES cards(id) ON DELETE CASCADE,
        label TEXT NOT NULL,
        PRIMARY KEY (card_id, label)
      );
      CREATE TABLE activity (
        id INTEGER PRIMARY KEY,
        board_id INTEGER NOT NULL REFERENCES boards(id) ON DELETE CASCADE,
        user_id INTEGER REFERENCES users(id) ON DELETE SET NULL,
        text TEXT NOT NULL,
        created_at TEXT NOT NULL DEFAULT ${NOW}
      );
      CREATE INDEX activity_by_board ON activity(board_id, id);
    `,
  },
  {
    version: 2,
    name: "card attachments",
    // The file itself is in <data dir>/attachments/<storage_key>; the name is only shown.
    sql: `
      CREATE TABLE attachments (
        id INTEGER PRIMARY KEY,
        card_id INTEGER NOT NULL REFERENCES cards(id) ON DELETE CASCADE,
        name TEXT NOT NULL,
        content_type TEXT NOT NULL,
        size INTEGER NOT NULL,
        storage_key TEXT NOT NULL UNIQUE,
        uploaded_by INTEGER REFERENCES users(id) ON DELETE SET NULL,
        created_at TEXT NOT NULL DEFAULT ${NOW}
      );
      CREATE INDEX attachments_by_card ON attachments(card_id, id);
    `,
  },
];

/** The name of the database file inside the data directory. */
export const DATABASE_FILE = "taskboard.sqlite3";

/**
 * Opens (creating it and its directory if needed) the database in `dataDir` and migrates it.
 *
 * @example
 * ```ts ignore
 * const db = await openDatabase("./.data/taskboard");
 * ```
 */
export async function openDatabase(
  dataDir: string,
  migrations: readonly Migration[] = MIGRATIONS,
): Promise<DatabaseSync> {
  await Deno.mkdir(dataDir, { recursive: true });
  const db = new DatabaseSync(join(dataDir, DATABASE_FILE));
  try {
    // WAL lets readers go on while one process writes; the busy timeout makes a second process
    // wait for the write lock instead of failing at once with SQLITE_BUSY.
    db.exec("PRAGMA busy_timeout = 5000");
    db.exec("PRAGMA journal_mode = WAL");
    db.exec("PRAGMA foreign_keys = ON");
    migrate(db, migrations);
    return db;
  } catch (error) {
    db.close();
    throw error;
  }
}

/**
 * Applies the migrations `db` has not seen, in order, each in its own transaction; returns the
 * versions applied. Throws, changing nothing, when the database was migrated by newer code (a
 * version this list does not know) or the list is out of order.
 *
 * @example
 * ```ts ignore
 * migrate(new DatabaseSync(":memory:")); // [1]
 * ```
 */
export function migrate(db: DatabaseSync, migrations: readonly Migration[] = MIGRATIONS): number[] {
  migrations.forEach((m, i) => {
    if (m.version !== i + 1) {
      throw new Error(`migration ${JSON.stringify(m.name)} has version ${m.version}, not ${i + 1}`);
    }
  });
  db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
    version INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    applied_at TEXT NOT NULL DEFAULT ${NOW}
  )`);
  const current = () =>
    Number(
      (db.prepare("SELECT MAX(version) AS v FROM schema_migrations").get() as { v: number | null })
        .v ?? 0,
    );
  if (current() > migrations.length) {
    throw new Error(
      `the database is at schema version ${current()}, but this code knows only up to ` +
        `${migrations.length}: it was migrated by a newer version of the app`,
    );
  }
  const record = db.prepare("INSERT INTO schema_migrations (version, name) VALUES (?, ?)");
  const applied: number[] = [];
  for (const migration of migrations) {
    if (migration.version <= current()) continue;
    db.exec("BEGIN IMMEDIATE");
    try {
      // Another process may have applied it while this one waited for the lock.
      if (migration.version > current()) {
        db.exec(migration.sql);
        record.run(migration.version, migration.name);
        applied.push(migration.version);
      }
      db.exec("COMMIT");
    } catch (error) {
      db.exec("ROLLBACK");
      throw new Error(`migration ${migration.version} (${migration.name}) failed`, {
        cause: error,
      });
    }
  }
  return applied;
}

/** The schema version `db` is at (0 for an empty database). */
export function schemaVersion(db: DatabaseSync): number {
  const table = db.prepare(
    "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'",
  ).get();
  if (!table) return 0;
  const row = db.prepare("SELECT MAX(version) AS v FROM schema_migrations").get() as {
    v: number | null;
  };
  return Number(row.v ?? 0);
}
