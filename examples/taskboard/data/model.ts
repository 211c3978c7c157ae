/**
 * What the task board's data looks like once it leaves the database: plain objects the views and
 * templates read. (Rows come out of node:sqlite with a null prototype and snake_case names; the
 * store maps them to these.)
 */

/** A team member as every page shows them. */
export interface Member {
  id: number;
  name: string;
  /** One or two letters for the avatar. */
  initials: string;
  /** The avatar's hue (0–359), derived from the id so it never changes. */
  hue: number;
}

/** A signed-in user: a member with what the account pages and permissions need. */
export interface User extends Member {
  email: string;
  isAdmin: boolean;
}

/** A board on the index, with its number of cards. */
export interface Board {
  id: number;
  name: string;
  cardCount: number;
  createdAt: string;
}

/** A column of a board, left to right by `position`. */
export interface Column {
  id: number;
  boardId: number;
  name: string;
  position: number;
}

/** A card, with what its face shows already joined in (assignee, labels, attachment count). */
export interface Card {
  id: number;
  boardId: number;
  columnId: number;
  position: number;
  title: string;
  description: string;
  assignee: Member | null;
  labels: string[];
  attachmentCount: number;
  updatedAt: string;
}

/** One line of a board's activity stream. */
export interface Activity {
  id: number;
  boardId: number;
  /** Who did it (null once the member is gone from the database). */
  member: Member | null;
  text: string;
  /** ISO 8601, UTC. */
  at: string;
  /** `HH:MM` (UTC), for the stream's time column. */
  time: string;
}

/** A file attached to a card. */
export interface Attachment {
  id: number;
  cardId: number;
  /** The file's name as uploaded (shown and offered for download; never used as a path). */
  name: string;
  /**
   * The type it is served with: an image type when its first bytes are that image, else
   * `application/octet-stream` (whatever the browser claimed when uploading).
   */
  contentType: string;
  size: number;
  /** Where the file is, inside the attachments directory (a random UUID). */
  storageKey: string;
  uploader: Member | null;
  at: string;
}

/** The labels a card can carry (a fixed palette keeps filters and colours simple). */
export const LABELS = ["bug", "feature", "design", "docs", "urgent"] as const;
/** One of {@link LABELS}. */
export type Label = typeof LABELS[number];

/** True when `value` is one of {@link LABELS}. */
export function isLabel(value: unknown): value is Label {
  return (LABELS as readonly unknown[]).includes(value);
}

/** The columns a new board starts with. */
export const DEFAULT_COLUMNS = ["To do", "In progress", "Done"] as const;

/** Longest board, column and card titles, and card descriptions (characters). */
export const LIMITS = { title: 120, description: 4000, name: 60 } as const;

/** Initials for an avatar: the first letters of the first two words ("Ann Lee" → "AL"). */
export function initialsOf(name: string): string {
  const letters = name.trim().split(/\s+/).slice(0, 2).map((w) => [...w][0] ?? "");
  return letters.join("").toUpperCase() || "?";
}

/** A stable hue for member `id`, spread around the colour wheel by the golden angle. */
export function hueOf(id: number): number {
  return Math.round((id * 137.508) % 360);
}
