/**
 * The task board's database: created and migrated on first open (and only then), refusing a
 * database newer than the code, rolling back a failed migration; and the store's rules (first
 * account is admin, emails unique in any case, moves renumber, cross-board ids refused, removed
 * members unassigned, deletes cascade, activity newest first).
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { DatabaseSync } from "node:sqlite";
import {
  DATABASE_FILE,
  migrate,
  type Migration,
  MIGRATIONS,
  openDatabase,
  schemaVersion,
} from "../../examples/taskboard/data/db.ts";
import { EmailTaken, TaskStore } from "../../examples/taskboard/data/store.ts";

async function withDir(fn: (dir: string) => Promise<void> | void): Promise<void> {
  const dir = await Deno.makeTempDir({ prefix: "taskboard-store-" });
  try {
    await fn(dir);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

async function withStore(fn: (store: TaskStore) => void): Promise<void> {
  await withDir(async (dir) => {
    const store = new TaskStore(await openDatabase(join(dir, "data")));
    try {
      fn(store);
    } finally {
      store.close();
    }
  });
}

function tables(db: DatabaseSync): string[] {
  return (db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").all() as {
    name: string;
  }[]).map((r) => r.name);
}

Deno.test("the first open creates the data directory, the file and every table", async () => {
  await withDir(async (dir) => {
    const dataDir = join(dir, "nested", "taskboard");
    const db = await openDatabase(dataDir);
    try {
      assert.ok((await Deno.stat(join(dataDir, DATABASE_FILE))).isFile);
      assert.equal(schemaVersion(db), MIGRATIONS.length);
      for (
        const table of ["users", "boards", "board_columns", "cards", "card_labels", "activity"]
      ) {
        assert.ok(tables(db).includes(table), `no table ${table} in ${tables(db)}`);
      }
      const journal = db.prepare("PRAGMA journal_mode").get() as { journal_mode: string };
      assert.equal(journal.journal_mode, "wal");
    } finally {
      db.close();
    }
  });
});

Deno.test("a second open applies no migration and keeps the data", async () => {
  await withDir(async (dir) => {
    const first = new TaskStore(await openDatabase(dir));
    first.createUser({ email: "ann@example.com", name: "Ann", passwordHash: "-" });
    first.close();
    const db = await openDatabase(dir);
    try {
      assert.deepEqual(migrate(db), [], "nothing left to apply");
      const rows = db.prepare("SELECT version FROM schema_migrations").all();
      assert.equal(rows.length, MIGRATIONS.length, "each migration recorded once");
      assert.equal(new TaskStore(db).countUsers(), 1);
    } finally {
      db.close();
    }
  });
});

Deno.test("migrations run in order, each recorded with its name", () => {
  const db = new DatabaseSync(":memory:");
  const extra: Migration[] = [
    ...MIGRATIONS,
    { version: MIGRATIONS.length + 1, name: "a test column", sql: "ALTER TABLE boards ADD x TEXT" },
  ];
  assert.deepEqual(migrate(db, MIGRATIONS), MIGRATIONS.map((m) => m.version));
  assert.deepEqual(migrate(db, extra), [MIGRATIONS.length + 1], "only the new one");
  const names = db.prepare("SELECT name FROM schema_migrations ORDER BY version").all() as {
    name: string;
  }[];
  assert.deepEqual(names.map((r) => r.name), extra.map((m) => m.name));
  db.close();
});

Deno.test("a failing migration is rolled back whole and not recorded", () => {
  const db = new DatabaseSync(":memory:");
  migrate(db);
  const broken: Migration[] = [...MIGRATIONS, {
    version: MIGRATIONS.length + 1,
    name: "half of it works",
    sql: "CREATE TABLE half (x); INSERT INTO no_such_table VALUES (1);",
  }];
  assert.throws(() => migrate(db, broken), /half of it works/);
  assert.ok(!tables(db).includes("half"), "the table of the failed migration is gone");
  assert.equal(schemaVersion(db), MIGRATIONS.length);
  db.close();
});

Deno.test("a database migrated by newer code is refused, not touched", () => {
  const db = new DatabaseSync(":memory:");
  migrate(db);
  db.prepare("INSERT INTO schema_migrations (version, name) VALUES (?, 'from the future')")
    .run(MIGRATIONS.length + 1);
  assert.throws(() => migrate(db), /newer version/);
  db.close();
});

Deno.test("a migration list with a gap is refused before anything runs", () => {
  const db = new DatabaseSync(":memory:");
  const gap = [{ ...MIGRATIONS[0], version: 2 }];
  assert.throws(() => migrate(db, gap), /has version 2, not 1/);
  assert.equal(schemaVersion(db), 0);
  db.close();
});

Deno.test("the first account is the admin, the next ones are not", async () => {
  await withStore((store) => {
    const ann = store.createUser({ email: "ann@example.com", name: "Ann", passwordHash: "-" });
    const bo = store.createUser({ email: "bo@example.com", name: "Bo", passwordHash: "-" });
    assert.equal(ann.isAdmin, true);
    assert.equal(bo.isAdmin, false);
  });
});

Deno.test("an email is taken whatever its case", async () => {
  await withStore((store) => {
    store.createUser({ email: "ann@example.com", name: "Ann", passwordHash: "-" });
    assert.throws(
      () => store.createUser({ email: "ANN@Example.com", name: "Other", passwordHash: "-" }),
      EmailTaken,
    );
    assert.equal(store.countUsers(), 1);
    assert.equal(store.credentials("Ann@EXAMPLE.com")?.user.name, "Ann", "sign-in ignores case");
  });
});

Deno.test("a removed member cannot sign in and their cards are unassigned", async () => {
  await withStore((store) => {
    const ann = store.createUser({ email: "ann@example.com", name: "Ann", passwordHash: "-" });
    const bo = store.createUser({ email: "bo@example.com", name: "Bo", passwordHash: "h" });
    const board = store.createBoard("B", ann.id);
    const card = store.createCard(board.id, store.columns(board.id)[0].id, "T", ann.id)!;
    store.updateCard(card.id, { assigneeId: bo.id });
    store.addActivity(board.id, bo.id, "did something");
    assert.ok(store.removeMember(bo.id));
    assert.equal(store.credentials("bo@example.com"), null);
    assert.equal(store.activeUser(bo.id), null);
    assert.equal(store.card(card.id)!.assignee, null);
    assert.equal(store.recentActivity(board.id, 10)[0].member?.name, "Bo", "history keeps names");
    assert.equal(store.updateCard(card.id, { assigneeId: bo.id }), null, "cannot be assigned");
  });
});

Deno.test("a new board has the default columns, left to right", async () => {
  await withStore((store) => {
    const ann = store.createUser({ email: "a@example.com", name: "Ann", passwordHash: "-" });
    const board = store.createBoard("Launch", ann.id);
    assert.deepEqual(store.columns(board.id).map((c) => c.name), ["To do", "In progress", "Done"]);
    assert.deepEqual(store.boards().map((b) => [b.name, b.cardCount]), [["Launch", 0]]);
  });
});

Deno.test("cards go to the bottom; a move puts one at an index and renumbers", async () => {
  await withStore((store) => {
    const ann = store.createUser({ email: "a@example.com", name: "Ann", passwordHash: "-" });
    const board = store.createBoard("B", ann.id);
    const [todo, doing] = store.columns(board.id);
    const ids = ["a", "b", "c"].map((t) => store.createCard(board.id, todo.id, t, ann.id)!.id);
    const titles = (columnId: number) =>
      store.cards(board.id).filter((c) => c.columnId === columnId).map((c) => c.title);
    assert.deepEqual(titles(todo.id), ["a", "b", "c"]);
    store.moveCard(ids[2], todo.id, 0);
    assert.deepEqual(titles(todo.id), ["c", "a", "b"]);
    store.moveCard(ids[0], doing.id, 99);
    assert.deepEqual([titles(todo.id), titles(doing.id)], [["c", "b"], ["a"]]);
    store.moveCard(ids[1], doing.id, 0);
    assert.deepEqual(titles(doing.id), ["b", "a"]);
    assert.deepEqual(
      store.cards(board.id).filter((c) => c.columnId === doing.id).map((c) => c.position),
      [0, 1],
    );
  });
});

Deno.test("a card cannot be created in or moved to another board's column", async () => {
  await withStore((store) => {
    const ann = store.createUser({ email: "a@example.com", name: "Ann", passwordHash: "-" });
    const one = store.createBoard("One", ann.id), two = store.createBoard("Two", ann.id);
    const foreign = store.columns(two.id)[0].id;
    assert.equal(store.createCard(one.id, foreign, "x", ann.id), null);
    const card = store.createCard(one.id, store.columns(one.id)[0].id, "x", ann.id)!;
    assert.equal(store.moveCard(card.id, foreign, 0), null);
    assert.equal(store.card(card.id)!.boardId, one.id);
    assert.equal(store.cards(two.id).length, 0);
  });
});

Deno.test("labels outside the palette are dropped; the rest read in palette order", async () => {
  await withStore((store) => {
    const ann = store.createUser({ email: "a@example.com", name: "Ann", passwordHash: "-" });
    const board = store.createBoard("B", ann.id);
    const card = store.createCard(board.id, store.columns(board.id)[0].id, "x", ann.id)!;
    const updated = store.updateCard(card.id, { labels: ["urgent", "<script>", "bug", "bug"] });
    assert.deepEqual(updated!.labels, ["bug", "urgent"]);
  });
});

Deno.test("deleting a board deletes its columns, cards, labels and activity", async () => {
  await withStore((store) => {
    const ann = store.createUser({ email: "a@example.com", name: "Ann", passwordHash: "-" });
    const board = store.createBoard("B", ann.id);
    const card = store.createCard(board.id, store.columns(board.id)[0].id, "x", ann.id)!;
    store.updateCard(card.id, { labels: ["bug"] });
    store.addActivity(board.id, ann.id, "x");
    assert.ok(store.deleteBoard(board.id));
    assert.equal(store.board(board.id), null);
    assert.equal(store.card(card.id), null);
    assert.deepEqual(store.columns(board.id), []);
    assert.deepEqual(store.recentActivity(board.id, 10), []);
  });
});

Deno.test("recent activity is newest first and limited", async () => {
  await withStore((store) => {
    const ann = store.createUser({ email: "a@example.com", name: "Ann", passwordHash: "-" });
    const board = store.createBoard("B", ann.id);
    for (let i = 1; i <= 5; i++) store.addActivity(board.id, ann.id, `step ${i}`);
    assert.deepEqual(store.recentActivity(board.id, 3).map((a) => a.text), [
      "step 5",
      "step 4",
      "step 3",
    ]);
  });
});

Deno.test("a transaction that throws leaves nothing behind", async () => {
  await withStore((store) => {
    assert.throws(() =>
      store.transaction(() => {
        store.createUser({ email: "a@example.com", name: "Ann", passwordHash: "-" });
        throw new Error("changed my mind");
      }), /changed my mind/);
    assert.equal(store.countUsers(), 0);
  });
});

Deno.test("SQL stays SQL: quotes and semicolons in user input are stored as text", async () => {
  await withStore((store) => {
    const name = `Robert'); DROP TABLE users; --`;
    const ann = store.createUser({ email: "a@example.com", name, passwordHash: "-" });
    const board = store.createBoard(`" OR 1=1 --`, ann.id);
    assert.equal(store.activeUser(ann.id)!.name, name);
    assert.equal(store.board(board.id)!.name, `" OR 1=1 --`);
    assert.equal(store.countUsers(), 1);
  });
});

Deno.test("a database of the first version is brought up to date, its data kept", async () => {
  await withDir(async (dir) => {
    const old = await openDatabase(dir, MIGRATIONS.slice(0, 1));
    const store = new TaskStore(old);
    const ann = store.createUser({ email: "ann@example.com", name: "Ann", passwordHash: "-" });
    const board = store.createBoard("Before", ann.id);
    old.close();
    const db = await openDatabase(dir);
    try {
      assert.equal(schemaVersion(db), MIGRATIONS.length);
      assert.ok(tables(db).includes("attachments"));
      const upgraded = new TaskStore(db);
      assert.equal(upgraded.board(board.id)!.name, "Before");
      assert.equal(upgraded.cards(board.id).length, 0);
    } finally {
      db.close();
    }
  });
});

Deno.test("attachments count on their card, and their keys are found before a delete", async () => {
  await withStore((store) => {
    const ann = store.createUser({ email: "a@example.com", name: "Ann", passwordHash: "-" });
    const board = store.createBoard("B", ann.id);
    const card = store.createCard(board.id, store.columns(board.id)[0].id, "x", ann.id)!;
    const file = (key: string) => ({
      cardId: card.id,
      name: "notes.txt",
      contentType: "application/octet-stream",
      size: 5,
      storageKey: key,
      userId: ann.id,
    });
    const a = store.addAttachment(file("k1"));
    store.addAttachment(file("k2"));
    assert.equal(store.card(card.id)!.attachmentCount, 2);
    assert.equal(a.uploader?.name, "Ann");
    assert.deepEqual(store.attachmentKeys({ cardId: card.id }).sort(), ["k1", "k2"]);
    assert.deepEqual(store.attachmentKeys({ boardId: board.id }).sort(), ["k1", "k2"]);
    assert.equal(store.deleteAttachment(a.id)!.storageKey, "k1");
    assert.equal(store.card(card.id)!.attachmentCount, 1);
    store.deleteCard(card.id);
    assert.deepEqual(store.attachments(card.id), [], "rows go with the card");
  });
});
