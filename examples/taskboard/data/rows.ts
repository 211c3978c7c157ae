/**
 * Rows as node:sqlite returns them (null-prototype objects, snake_case columns, numbers and
 * strings) turned into the plain objects of model.ts. Only what the store's SELECTs produce.
 */
import {
  type Activity,
  type Attachment,
  type Board,
  type Card,
  hueOf,
  initialsOf,
  isLabel,
  LABELS,
  type Member,
  type User,
} from "./model.ts";

/** One result row. */
export type Row = Record<string, unknown>;

/** A member from an id and a name (initials and colour derived). */
export function member(id: unknown, name: unknown): Member {
  const n = String(name);
  return { id: Number(id), name: n, initials: initialsOf(n), hue: hueOf(Number(id)) };
}

/** A `users` row. */
export function toUser(row: Row): User {
  return { ...member(row.id, row.name), email: String(row.email), isAdmin: row.is_admin === 1 };
}

/** A `boards` row with `card_count`. */
export function toBoard(row: Row): Board {
  return {
    id: Number(row.id),
    name: String(row.name),
    cardCount: Number(row.card_count ?? 0),
    createdAt: String(row.created_at),
  };
}

/** A row of the store's card SELECT (assignee name, labels, attachment count joined in). */
export function toCard(row: Row): Card {
  const labels = String(row.labels ?? "").split(" ").filter(isLabel);
  return {
    id: Number(row.id),
    boardId: Number(row.board_id),
    columnId: Number(row.column_id),
    position: Number(row.position),
    title: String(row.title),
    description: String(row.description),
    assignee: row.assignee_id === null ? null : member(row.assignee_id, row.assignee_name),
    // In palette order, so a card's labels always read the same way.
    labels: LABELS.filter((l) => labels.includes(l)),
    attachmentCount: Number(row.attachment_count ?? 0),
    updatedAt: String(row.updated_at),
  };
}

/** A row of the store's attachment SELECT (uploader name joined in). */
export function toAttachment(row: Row): Attachment {
  return {
    id: Number(row.id),
    cardId: Number(row.card_id),
    name: String(row.name),
    contentType: String(row.content_type),
    size: Number(row.size),
    storageKey: String(row.storage_key),
    uploader: row.uploaded_by === null ? null : member(row.uploaded_by, row.user_name),
    at: String(row.created_at),
  };
}

/** A row of the store's activity SELECT (member name joined in). */
export function toActivity(row: Row): Activity {
  const at = String(row.created_at);
  return {
    id: Number(row.id),
    boardId: Number(row.board_id),
    member: row.user_id === null ? null : member(row.user_id, row.user_name),
    text: String(row.text),
    at,
    time: at.slice(11, 16),
  };
}
