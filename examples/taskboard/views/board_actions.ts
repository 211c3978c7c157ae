/**
 * What a member can do to a board, as commands: each checks its input (ids come from the browser
 * and may name another board's card), writes the change and its line of activity in one
 * transaction, and returns that line (null when nothing changed), for the view to publish.
 */
import { type Activity, type Card, LIMITS, type User } from "../data/model.ts";
import type { CardChanges, TaskStore } from "../data/store.ts";
import type { AttachmentFiles } from "../files/storage.ts";

/** A file moved into the attachments directory, to record on a card. */
export interface KeptFile {
  key: string;
  contentType: string;
  size: number;
  /** The name it was uploaded with. */
  name: string;
}

/** The commands of one board, acted on by one member. */
export class BoardActions {
  readonly #store: TaskStore;
  readonly #files: AttachmentFiles;
  readonly #boardId: number;
  readonly #me: User;

  /** Commands on board `boardId` by `me`. */
  constructor(services: { store: TaskStore; files: AttachmentFiles }, boardId: number, me: User) {
    this.#store = services.store;
    this.#files = services.files;
    this.#boardId = boardId;
    this.#me = me;
  }

  /** The card `id` if it is on this board (a forged id of another board's card is not). */
  card(id: number): Card | null {
    const card = Number.isSafeInteger(id) ? this.#store.card(id) : null;
    return card?.boardId === this.#boardId ? card : null;
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
      const before = this.card(cardId);
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

  /**
   * Edits a card: title, description, assignee, labels. Null when it cannot (no title, a card or
   * assignee that is not there); otherwise the activity line, null when nothing changed.
   */
  editCard(cardId: number, changes: CardChanges): { activity: Activity | null } | null {
    const clean: CardChanges = { ...changes };
    if (changes.title !== undefined) {
      clean.title = cleanTitle(changes.title);
      if (!clean.title) return null;
    }
    if (changes.description !== undefined) {
      clean.description = changes.description.replace(/\r\n/g, "\n").slice(0, LIMITS.description);
    }
    return this.#store.transaction(() => {
      const before = this.card(cardId);
      if (!before) return null;
      const after = this.#store.updateCard(cardId, clean);
      if (!after) return null;
      const text = describeEdit(before, after);
      return { activity: text ? this.#log(text) : null };
    });
  }

  /** Deletes a card, and then its files. */
  async deleteCard(cardId: number): Promise<Activity | null> {
    let keys: string[] = [];
    const activity = this.#store.transaction(() => {
      const card = this.card(cardId);
      if (!card) return null;
      keys = this.#store.attachmentKeys({ cardId });
      this.#store.deleteCard(cardId);
      return this.#log(`deleted “${card.title}”`);
    });
    await this.#files.remove(keys);
    return activity;
  }

  /**
   * Records files already moved into the attachments directory as attachments of a card; if the
   * card is gone meanwhile (deleted by someone else), deletes them instead.
   */
  async attach(cardId: number, kept: readonly KeptFile[]): Promise<Activity | null> {
    if (!kept.length) return null;
    const activity = this.#store.transaction(() => {
      const card = this.card(cardId);
      if (!card) return null;
      for (const file of kept) {
        this.#store.addAttachment({
          cardId,
          name: file.name,
          contentType: file.contentType,
          size: file.size,
          storageKey: file.key,
          userId: this.#me.id,
        });
      }
      const what = kept.length === 1 ? `“${kept[0].name}”` : `${kept.length} files`;
      return this.#log(`attached ${what} to “${card.title}”`);
    });
    if (!activity) await this.#files.remove(kept.map((f) => f.key));
    return activity;
  }

  /** Removes an attachment of a card of this board, and its file. */
  async detach(attachmentId: number): Promise<Activity | null> {
    let key = "";
    const activity = this.#store.transaction(() => {
      const attachment = Number.isSafeInteger(attachmentId)
        ? this.#store.attachment(attachmentId)
        : null;
      const card = attachment ? this.card(attachment.cardId) : null;
      if (!attachment || !card) return null;
      this.#store.deleteAttachment(attachment.id);
      key = attachment.storageKey;
      return this.#log(`removed “${attachment.name}” from “${card.title}”`);
    });
    if (key) await this.#files.remove([key]);
    return activity;
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

/** The activity line of an edit: the change that matters most, in words ("" for none). */
function describeEdit(before: Card, after: Card): string {
  if (before.assignee?.id !== after.assignee?.id) {
    return after.assignee
      ? `assigned “${after.title}” to ${after.assignee.name}`
      : `unassigned “${after.title}”`;
  }
  if (before.title !== after.title) return `renamed “${before.title}” to “${after.title}”`;
  const added = after.labels.filter((l) => !before.labels.includes(l));
  if (added.length) return `labelled “${after.title}” ${added.join(", ")}`;
  const changed = before.description !== after.description ||
    before.labels.join() !== after.labels.join();
  return changed ? `edited “${after.title}”` : "";
}
