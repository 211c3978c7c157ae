/**
 * Every query the task board makes, as prepared statements over one `DatabaseSync`. Values always
 * travel as parameters (`?`), never inside the SQL text. Methods are synchronous (node:sqlite is),
 * return the plain objects of model.ts, and check what a browser could have forged (a card of
 * another board, a removed member as assignee) before writing.
 */
import type { DatabaseSync, SQLInputValue, StatementSync } from "node:sqlite";
import {
  type Activity,
  type Attachment,
  type Board,
  type Card,
  type Column,
  DEFAULT_COLUMNS,
  isLabel,
  type User,
} from "./model.ts";
import { type Row, toActivity, toAttachment, toBoard, toCard, toUser } from "./rows.ts";

/** Thrown by {@link TaskStore.createUser} when the email is already registered. */
export class EmailTaken extends Error {
  override name = "EmailTaken";
}

/** What a card edit may change. */
export interface CardChanges {
  title?: string;
  description?: string;
  /** A member's id, or null to unassign. */
  assigneeId?: number | null;
  labels?: readonly string[];
}

/**
 * The task board's data.
 *
 * @example
 * ```ts ignore
 * const store = new TaskStore(await openDatabase(dir));
 * const ann = store.createUser({ email: "ann@example.com", name: "Ann", passwordHash });
 * const board = store.createBoard("Launch", ann.id);
 * ```
 */
export class TaskStore {
  readonly #db: DatabaseSync;
  /** Statements by SQL text, prepared on first use. */
  readonly #statements = new Map<string, StatementSync>();

  /** A store over an open, migrated database (see db.ts). */
  constructor(db: DatabaseSync) {
    this.#db = db;
  }

  /** Closes the database. */
  close(): void {
    this.#statements.clear();
    if (this.#db.isOpen) this.#db.close();
  }

  /**
   * Runs `fn` in one write transaction: everything it changes is saved together or not at all.
   * `BEGIN IMMEDIATE` takes the write lock at once, so another process cannot slip in between a
   * read and the write that depends on it. Inside another transaction, `fn` joins it.
   */
  transaction<T>(fn: () => T): T {
    // Nested calls join the outer transaction (a command that moves a card and records it).
    if (this.#db.isTransaction) return fn();
    this.#db.exec("BEGIN IMMEDIATE");
    try {
      const result = fn();
      this.#db.exec("COMMIT");
      return result;
    } catch (error) {
      this.#db.exec("ROLLBACK");
      throw error;
    }
  }

  // #region users

  /** Number of accounts ever created (removed ones included). */
  countUsers(): number {
    return Number(this.#get("SELECT COUNT(*) AS n FROM users")!.n);
  }

  /** Creates an account; the very first one is the admin. Throws {@link EmailTaken}. */
  createUser(input: { email: string; name: string; passwordHash: string }): User {
    return this.transaction(() => {
      if (this.#get("SELECT 1 AS x FROM users WHERE email = ?", input.email)) {
        throw new EmailTaken(`${input.email} is already registered`);
      }
      const isAdmin = this.countUsers() === 0 ? 1 : 0;
      const { lastInsertRowid } = this.#run(
        "INSERT INTO users (email, name, password_hash, is_admin) VALUES (?, ?, ?, ?)",
        input.email,
        input.name,
        input.passwordHash,
        isAdmin,
      );
      return this.activeUser(Number(lastInsertRowid))!;
    });
  }

  /** The active account with `email` (any case) and its password hash, for signing in. */
  credentials(email: string): { user: User; passwordHash: string } | null {
    const row = this.#get(
      "SELECT * FROM users WHERE email = ? AND removed_at IS NULL",
      email,
    );
    return row ? { user: toUser(row), passwordHash: String(row.password_hash) } : null;
  }

  /** The account `id` unless it was removed. */
  activeUser(id: number): User | null {
    const row = this.#get("SELECT * FROM users WHERE id = ? AND removed_at IS NULL", id);
    return row ? toUser(row) : null;
  }

  /** Replaces a password hash (after a sign-in found it weaker than today's setting). */
  setPasswordHash(id: number, passwordHash: string): void {
    this.#run("UPDATE users SET password_hash = ? WHERE id = ?", passwordHash, id);
  }

  /** Active members, by name. */
  members(): User[] {
    return this.#all(
      "SELECT * FROM users WHERE removed_at IS NULL ORDER BY name COLLATE NOCASE, id",
    ).map(toUser);
  }

  /** Number of active admins. */
  adminCount(): number {
    return Number(
      this.#get("SELECT COUNT(*) AS n FROM users WHERE is_admin = 1 AND removed_at IS NULL")!.n,
    );
  }

  /**
   * Removes a member from the team: they can no longer sign in and their cards are unassigned.
   * The row stays, so the activity they wrote keeps their name.
   */
  removeMember(id: number): boolean {
    return this.transaction(() => {
      const { changes } = this.#run(
        "UPDATE users SET removed_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), is_admin = 0 " +
          "WHERE id = ? AND removed_at IS NULL",
        id,
      );
      if (changes) this.#run("UPDATE cards SET assignee_id = NULL WHERE assignee_id = ?", id);
      return changes > 0;
    });
  }

  /** Grants or revokes the admin permission of an active member. */
  setAdmin(id: number, isAdmin: boolean): boolean {
    return this.#run(
      "UPDATE users SET is_admin = ? WHERE id = ? AND removed_at IS NULL",
      isAdmin ? 1 : 0,
      id,
    ).changes > 0;
  }

  // #endregion
  // #region boards

  /** Every board, newest first, with its number of cards. */
  boards(): Board[] {
    return this.#all(
      `SELECT b.*, (SELECT COUNT(*) FROM cards c WHERE c.board_id = b.id) AS card_count
       FROM boards b ORDER BY b.id DESC`,
    ).map(toBoard);
  }

  /** The board `id`, or null. */
  board(id: number): Board | null {
    const row = this.#get(
      `SELECT b.*, (SELECT COUNT(*) FROM cards c WHERE c.board_id = b.id) AS card_count
       FROM boards b WHERE b.id = ?`,
      id,
    );
    return row ? toBoard(row) : null;
  }

  /** Creates a board with the default columns. */
  createBoard(name: string, userId: number): Board {
    return this.transaction(() => {
      const { lastInsertRowid } = this.#run(
        "INSERT INTO boards (name, created_by) VALUES (?, ?)",
        name,
        userId,
      );
      const id = Number(lastInsertRowid);
      DEFAULT_COLUMNS.forEach((column, position) =>
        this.#run(
          "INSERT INTO board_columns (board_id, name, position) VALUES (?, ?, ?)",
          id,
          column,
          position,
        )
      );
      return this.board(id)!;
    });
  }

  /** Deletes a board with its columns, cards and activity. */
  deleteBoard(id: number): boolean {
    return this.#run("DELETE FROM boards WHERE id = ?", id).changes > 0;
  }

  /** The columns of a board, left to right. */
  columns(boardId: number): Column[] {
    return this.#all(
      "SELECT * FROM board_columns WHERE board_id = ? ORDER BY position, id",
      boardId,
    ).map((r) => ({
      id: Number(r.id),
      boardId: Number(r.board_id),
      name: String(r.name),
      position: Number(r.position),
    }));
  }

  // #endregion
  // #region cards

  /** The cards of a board, column by column, top to bottom. */
  cards(boardId: number): Card[] {
    return this.#all(
      `${CARD_SELECT} WHERE c.board_id = ? ORDER BY col.position, c.position, c.id`,
      boardId,
    )
      .map(toCard);
  }

  /** The card `id`, or null. */
  card(id: number): Card | null {
    const row = this.#get(`${CARD_SELECT} WHERE c.id = ?`, id);
    return row ? toCard(row) : null;
  }

  /** Adds a card at the bottom of column `columnId` of board `boardId`; null if no such column. */
  createCard(boardId: number, columnId: number, title: string, userId: number): Card | null {
    return this.transaction(() => {
      if (!this.#columnOf(boardId, columnId)) return null;
      const { lastInsertRowid } = this.#run(
        `INSERT INTO cards (board_id, column_id, position, title, created_by)
         VALUES (?, ?, (SELECT COALESCE(MAX(position), -1) + 1 FROM cards WHERE column_id = ?), ?, ?)`,
        boardId,
        columnId,
        columnId,
        title,
        userId,
      );
      return this.card(Number(lastInsertRowid));
    });
  }

  /**
   * Changes a card. Unknown labels are dropped; an assignee who is not an active member makes the
   * whole edit fail (null), as does a missing card.
   */
  updateCard(id: number, changes: CardChanges): Card | null {
    return this.transaction(() => {
      const card = this.card(id);
      if (!card) return null;
      if (changes.assigneeId !== undefined && changes.assigneeId !== null) {
        if (!this.activeUser(changes.assigneeId)) return null;
      }
      this.#run(
        `UPDATE cards SET title = ?, description = ?, assignee_id = ?,
           updated_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now') WHERE id = ?`,
        changes.title ?? card.title,
        changes.description ?? card.description,
        changes.assigneeId === undefined ? card.assignee?.id ?? null : changes.assigneeId,
        id,
      );
      if (changes.labels) {
        this.#run("DELETE FROM card_labels WHERE card_id = ?", id);
        for (const label of new Set(changes.labels.filter(isLabel))) {
          this.#run("INSERT INTO card_labels (card_id, label) VALUES (?, ?)", id, label);
        }
      }
      return this.card(id);
    });
  }

  /**
   * Moves a card to column `columnId` of the same board, before the card now at `index` there
   * (past the end: last). Returns the moved card, or null when the card or column is not there.
   */
  moveCard(id: number, columnId: number, index: number): Card | null {
    return this.transaction(() => {
      const card = this.card(id);
      if (!card || !this.#columnOf(card.boardId, columnId)) return null;
      const others = this.#all(
        "SELECT id FROM cards WHERE column_id = ? AND id != ? ORDER BY position, id",
        columnId,
        id,
      ).map((r) => Number(r.id));
      const at = Math.min(Math.max(0, Math.trunc(index)), others.length);
      others.splice(at, 0, id);
      others.forEach((cardId, position) =>
        this.#run(
          "UPDATE cards SET column_id = ?, position = ? WHERE id = ?",
          columnId,
          position,
          cardId,
        )
      );
      this.#run(
        "UPDATE cards SET updated_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now') WHERE id = ?",
        id,
      );
      return this.card(id);
    });
  }

  /** Deletes a card; returns what it was, or null. */
  deleteCard(id: number): Card | null {
    const card = this.card(id);
    if (!card) return null;
    this.#run("DELETE FROM cards WHERE id = ?", id);
    return card;
  }

  // #endregion
  // #region attachments

  /** Records a file stored under `storageKey` as attached to card `cardId`. */
  addAttachment(input: {
    cardId: number;
    name: string;
    contentType: string;
    size: number;
    storageKey: string;
    userId: number;
  }): Attachment {
    const { lastInsertRowid } = this.#run(
      `INSERT INTO attachments (card_id, name, content_type, size, storage_key, uploaded_by)
       VALUES (?, ?, ?, ?, ?, ?)`,
      input.cardId,
      input.name,
      input.contentType,
      input.size,
      input.storageKey,
      input.userId,
    );
    return this.attachment(lastInsertRowid)!;
  }

  /** The attachment `id`, or null. */
  attachment(id: number): Attachment | null {
    const row = this.#get(`${ATTACHMENT_SELECT} WHERE a.id = ?`, id);
    return row ? toAttachment(row) : null;
  }

  /** The files of card `cardId`, oldest first. */
  attachments(cardId: number): Attachment[] {
    return this.#all(`${ATTACHMENT_SELECT} WHERE a.card_id = ? ORDER BY a.id`, cardId)
      .map(toAttachment);
  }

  /** Forgets attachment `id`; returns what it was (its file is the caller's to delete). */
  deleteAttachment(id: number): Attachment | null {
    const attachment = this.attachment(id);
    if (attachment) this.#run("DELETE FROM attachments WHERE id = ?", id);
    return attachment;
  }

  /**
   * The storage keys of the files of a card or of a whole board: deleting the card or board drops
   * their rows (ON DELETE CASCADE), so the caller reads these first and deletes the files after.
   */
  attachmentKeys(of: { cardId: number } | { boardId: number }): string[] {
    const rows = "cardId" in of
      ? this.#all("SELECT storage_key FROM attachments WHERE card_id = ?", of.cardId)
      : this.#all(
        `SELECT a.storage_key FROM attachments a JOIN cards c ON c.id = a.card_id
         WHERE c.board_id = ?`,
        of.boardId,
      );
    return rows.map((r) => String(r.storage_key));
  }

  // #endregion
  // #region activity

  /** Records that `userId` did `text` on board `boardId`. */
  addActivity(boardId: number, userId: number, text: string): Activity {
    const { lastInsertRowid } = this.#run(
      "INSERT INTO activity (board_id, user_id, text) VALUES (?, ?, ?)",
      boardId,
      userId,
      text,
    );
    return toActivity(
      this.#get(`${ACTIVITY_SELECT} WHERE a.id = ?`, Number(lastInsertRowid))!,
    );
  }

  /** The latest `limit` entries of a board's activity, newest first. */
  recentActivity(boardId: number, limit: number): Activity[] {
    return this.#all(
      `${ACTIVITY_SELECT} WHERE a.board_id = ? ORDER BY a.id DESC LIMIT ?`,
      boardId,
      limit,
    ).map(toActivity);
  }

  // #endregion
  // #region helpers

  #columnOf(boardId: number, columnId: number): boolean {
    return !!this.#get(
      "SELECT 1 AS x FROM board_columns WHERE id = ? AND board_id = ?",
      columnId,
      boardId,
    );
  }

  #statement(sql: string): StatementSync {
    let statement = this.#statements.get(sql);
    if (!statement) this.#statements.set(sql, statement = this.#db.prepare(sql));
    return statement;
  }

  #get(sql: string, ...params: SQLInputValue[]): Row | undefined {
    return this.#statement(sql).get(...params) as Row | undefined;
  }

  #all(sql: string, ...params: SQLInputValue[]): Row[] {
    return this.#statement(sql).all(...params) as Row[];
  }

  #run(sql: string, ...params: SQLInputValue[]): { changes: number; lastInsertRowid: number } {
    const result = this.#statement(sql).run(...params);
    return { changes: Number(result.changes), lastInsertRowid: Number(result.lastInsertRowid) };
  }

  // #endregion
}

const CARD_SELECT = `
  SELECT c.*, u.name AS assignee_name,
    (SELECT group_concat(label, ' ') FROM card_labels l WHERE l.card_id = c.id) AS labels,
    (SELECT COUNT(*) FROM attachments f WHERE f.card_id = c.id) AS attachment_count
  FROM cards c
  JOIN board_columns col ON col.id = c.column_id
  LEFT JOIN users u ON u.id = c.assignee_id`;

const ATTACHMENT_SELECT = `
  SELECT a.*, u.name AS user_name FROM attachments a LEFT JOIN users u ON u.id = a.uploaded_by`;

const ACTIVITY_SELECT = `
  SELECT a.*, u.name AS user_name FROM activity a LEFT JOIN users u ON u.id = a.user_id`;
