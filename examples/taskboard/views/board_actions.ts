/**
 * What a member can do to a board, as commands: each checks its input (ids come from the browser
 * and may name another board's card), writes the change and its line of activity in one
 * transaction, and returns that line (null when nothing changed), for the view to publish.
 */
import { type Activity, type Card, LIMITS, type User } from "../data/model.ts";
import type { CardChanges, TaskStore } from "../data/store.ts";

/** The commands of one board, acted on by one member. */
export class BoardActions {
  readonly #store: TaskStore;
  readonly #boardId: number;
  readonly #me: User;

  /** Commands on board `boardId` by `me`. */
  constructor(store: TaskStore, boardId: number, me: User) {
    this.#store = store;
    this.#boardId = boardId;
    this.#me = me;
  }

  /** Adds a card at the bottom of a column. */
  addCard(columnId: number, title: string): Activity | null {
    const clean = cleanTitle(title);
    if (!clean) return null;
    return this.#store.transaction(() => {
      const card = this.#store.createCard(this.#boardId, columnId, clean, this.#me.id);
      return card ? this.#log(`added “${card.title}” to ${this.#columnName(card.columnId)}`) : null;
    });
  }

  /** Moves a card to `index` of a column (of this board). */
  moveCard(cardId: number, columnId: number, index: number): Activity | null {
    return this.#store.transaction(() => {
      const before = this.#card(cardId);
      if (!before) return null;
      const after = this.#store.moveCard(cardId, columnId, index);
      if (!after || (after.columnId === before.columnId && after.position === before.position)) {
        return null;
      }
      return after.columnId === before.columnId
        ? this.#log(`reordered “${after.title}” in ${this.#columnName(after.columnId)}`)
        : this.#log(`moved “${after.title}” to ${this.#columnName(after.columnId)}`);
    });
  }

  /** Edits a card: title, description, assignee, labels. */
  editCard(cardId: number, changes: CardChanges): Activity | null {
    const clean: CardChanges = { ...changes };
    if (changes.title !== undefined) {
      clean.title = cleanTitle(changes.title);
      if (!clean.title) return null;
    }
    if (changes.description !== undefined) {
      clean.description = changes.description.replace(/\r\n/g, "\n").slice(0, LIMITS.description);
    }
    return this.#store.transaction(() => {
      const before = this.#card(cardId);
      if (!before) return null;
      const after = this.#store.updateCard(cardId, clean);
      if (!after) return null;
      return this.#log(describeEdit(before, after));
    });
  }

  /** Deletes a card. */
  deleteCard(cardId: number): Activity | null {
    return this.#store.transaction(() => {
      const card = this.#card(cardId);
      if (!card) return null;
      this.#store.deleteCard(cardId);
      return this.#log(`deleted “${card.title}”`);
    });
  }

  /** The card `id` if it is on this board (a forged id of another board's card is not). */
  #card(id: number): Card | null {
    const card = Number.isSafeInteger(id) ? this.#store.card(id) : null;
    return card?.boardId === this.#boardId ? card : null;
  }

  #columnName(columnId: number): string {
    return this.#store.columns(this.#boardId).find((c) => c.id === columnId)?.name ?? "a column";
  }

  #log(text: string): Activity {
    return this.#store.addActivity(this.#boardId, this.#me.id, text);
  }
}

/** A title as stored: one line, trimmed, at most {@link LIMITS.title} characters. */
export function cleanTitle(title: string): string {
  return title.replace(/\s+/g, " ").trim().slice(0, LIMITS.title);
}

/** The activity line of an edit: the change that matters most, in words. */
function describeEdit(before: Card, after: Card): string {
  if (before.assignee?.id !== after.assignee?.id) {
    return after.assignee
      ? `assigned “${after.title}” to ${after.assignee.name}`
      : `unassigned “${after.title}”`;
  }
  if (before.title !== after.title) return `renamed “${before.title}” to “${after.title}”`;
  const added = after.labels.filter((l) => !before.labels.includes(l));
  if (added.length) return `labelled “${after.title}” ${added.join(", ")}`;
  return `edited “${after.title}”`;
}
