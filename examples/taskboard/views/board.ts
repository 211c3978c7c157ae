/**
 * A board (`/boards/:id`): its columns and cards (live components), who else is looking at it
 * (presence), what happened on it (a stream), filters held in the URL, and a card's details in a
 * dialog (`?card=12`, so the open card is a link too).
 *
 * Every change goes the same way: a handler (or a component's `sendParent`) runs a command of
 * BoardActions, which writes the database; this page reloads and shows it at once, and a message
 * on the board's topic makes every other open page, in any process, do the same.
 */
import {
  computed,
  eventHandler,
  type EventParams,
  NotFound,
  type PresenceDiff,
  signal,
  type UploadOptions,
} from "../../../mod.ts";
import {
  type Activity,
  type Attachment,
  type Board,
  type Card,
  type Column,
  LABELS,
  type User,
} from "../data/model.ts";
import { OPAQUE_TYPE } from "../files/storage.ts";
import { ADMIN, EDIT } from "../auth/permissions.ts";
import { CardComponent, type CardMessage, type ColumnRef } from "../live/card.ts";
import { ColumnComponent, type ColumnMessage } from "../live/column.ts";
import { TaskboardView } from "./base.ts";
import { BoardActions, type KeptFile } from "./board_actions.ts";
import {
  filterLinks,
  filterQuery,
  type Filters,
  insertionIndex,
  isFiltering,
  matches,
  NO_FILTERS,
  parseFilters,
} from "./filters.ts";
import { reuseArray, reuseItems } from "./stable.ts";
import { type BoardMessage, BOARDS_TOPIC, boardTopic, isBoardMessage } from "./topics.ts";

/** Activity lines a page shows (older ones are trimmed in the browser as new ones arrive). */
export const ACTIVITY_LIMIT = 50;

/** Files a card dialog accepts at once: any type (served safely, see files/download.ts). */
export const ATTACHMENT_UPLOAD: UploadOptions = { maxEntries: 5, maxFileSize: 10_000_000 };

/** Someone looking at the board (one per member, however many tabs). */
export interface Viewer {
  id: number;
  name: string;
  initials: string;
  hue: number;
}

/** A column as the board's template shows it. */
interface ColumnLayout {
  id: number;
  column: Column;
  cards: Card[];
  total: number;
  left: ColumnRef | null;
  right: ColumnRef | null;
}

/** The board page. */
export class BoardView extends TaskboardView {
  static override templateName = "board.html";
  static override components = { column: ColumnComponent, card: CardComponent };

  board = signal<Board | null>(null);
  columns = signal<Column[]>([]);
  cards = signal<Card[]>([]);
  members = signal<User[]>([]);
  viewers = signal<Viewer[]>([]);
  filters = signal<Filters>(NO_FILTERS);
  /** The card whose dialog is open (0: none), from `?card=`. */
  openCardId = signal(0);
  /** The admin asked to delete the board and is being asked to confirm. */
  confirmingDelete = signal(false);
  /** Why the card dialog's last save failed. */
  formError = signal("");
  /** The files of the open card. */
  attachments = signal<Attachment[]>([]);

  #boardId = 0;
  /** The last cards shown per column, so an unchanged column gets the same array. */
  #shown = new Map<number, Card[]>();
  /** The columns with the cards the filters let through; recomputed only when those change. */
  #layout = computed(() => this.#computeLayout());

  override mount(request: Request, params: Record<string, string>): void {
    super.mount(request, params);
    const id = Number(params.id);
    const board = Number.isSafeInteger(id) ? this.services.store.board(id) : null;
    if (!board) throw new NotFound(`No board ${params.id}`);
    this.#boardId = id;
    this.columns.value = this.services.store.columns(id);
    this.allowUpload("attachments", ATTACHMENT_UPLOAD);
    this.#reload();
    const topic = boardTopic(id);
    this.subscribe(topic);
    const me = this.me;
    this.trackPresence(topic, String(me.id), { name: me.name, initials: me.initials, hue: me.hue });
    // Newest first; the server forgets them once sent.
    this.stream("activity", this.services.store.recentActivity(id, ACTIVITY_LIMIT), {
      limit: ACTIVITY_LIMIT,
    });
  }

  override handleParams(params: Record<string, string>): void {
    const filters = parseFilters(params);
    if (filterQuery(filters) !== filterQuery(this.filters.peek())) this.filters.value = filters;
    const parsed = Number(params.card);
    const cardId = Number.isSafeInteger(parsed) ? parsed : 0;
    if (cardId !== this.openCardId.peek()) {
      // Files chosen for one card are not attached to another: a new dialog starts empty.
      this.allowUpload("attachments", ATTACHMENT_UPLOAD);
    }
    this.openCardId.value = cardId;
    this.formError.value = "";
    this.#loadAttachments();
  }

  override getContextData(): Record<string, unknown> {
    const filters = this.filters.value;
    const path = `/boards/${this.#boardId}`;
    const query = filterQuery(filters);
    const openCard = this.cards.value.find((c) => c.id === this.openCardId.value) ?? null;
    return {
      ...super.getContextData(),
      ...filterLinks(filters, path, this.me, this.members.value),
      columns: this.#layout.value,
      open_card: openCard,
      files: this.attachments.value.map((a) => ({ ...a, isImage: a.contentType !== OPAQUE_TYPE })),
      labels: LABELS,
      path,
      filtering: isFiltering(filters),
      shown: this.#layout.value.reduce((n, c) => n + c.cards.length, 0),
      card_link: query ? `${path}?${query}&` : `${path}?`,
      close_url: query ? `${path}?${query}` : path,
      can_admin: this.me.isAdmin,
    };
  }

  // #region events

  /** A card dropped on a column (`dj-drop`): `id` from the card, `column` from the zone. */
  @eventHandler({ permission: EDIT })
  drop(params: EventParams): void {
    const cardId = Number(params.id), columnId = Number(params.column);
    const index = Number(params.index);
    if (!Number.isInteger(index)) return;
    const target = this.#positionIn(columnId, cardId, index);
    if (target !== null) this.#publish(this.#actions().moveCard(cardId, columnId, target));
  }

  /** The card dialog's form. */
  @eventHandler({ permission: EDIT })
  saveCard(params: EventParams): void {
    const id = Number(params.id);
    const assignee = String(params.assignee ?? "");
    const labels = ([] as unknown[]).concat(params.labels ?? []).map(String);
    const edited = this.#actions().editCard(id, {
      title: String(params.title ?? ""),
      description: String(params.description ?? ""),
      assigneeId: assignee ? Number(assignee) : null,
      labels,
    });
    if (!edited) {
      this.formError.value = "This card could not be saved: give it a title, and check that " +
        "it and its assignee still exist.";
      return;
    }
    this.#publish(edited.activity);
    this.pushPatch({ card: null });
  }

  @eventHandler({ permission: EDIT })
  async deleteCard(params: EventParams): Promise<void> {
    this.#publish(await this.#actions().deleteCard(Number(params.id)));
    this.pushPatch({ card: null });
  }

  /**
   * The dialog's attachment form: the browser has uploaded the chosen files (over this view's
   * socket) before it sends this; each is moved into the attachments directory and recorded.
   */
  @eventHandler({ permission: EDIT })
  async attach(params: EventParams): Promise<void> {
    const actions = this.#actions();
    const cardId = Number(params.id);
    if (!actions.card(cardId)) return this.allowUpload("attachments", ATTACHMENT_UPLOAD);
    const kept = await this.consumeUploadedEntries("attachments", async (entry) => {
      const file = await this.services.files.keep(entry.path!);
      return { ...file, name: entry.name } satisfies KeptFile;
    });
    this.#publish(await actions.attach(cardId, kept));
  }

  /** The × of a file chosen but not attached yet. */
  @eventHandler()
  removeUpload(params: EventParams): void {
    this.cancelUpload("attachments", String(params.ref ?? ""));
  }

  /** The × of an attached file. */
  @eventHandler({ permission: EDIT })
  async detach(params: EventParams): Promise<void> {
    this.#publish(await this.#actions().detach(Number(params.id)));
  }

  /** Escape in the dialog. */
  @eventHandler()
  closeCard(): void {
    if (this.openCardId.value) this.pushPatch({ card: null });
  }

  /** The search box: the text goes into the URL (`?q=`), like the other filters. */
  @eventHandler()
  search(params: EventParams): void {
    const q = String(params.q ?? "").trim().slice(0, 100);
    if (q !== this.filters.value.q) this.pushPatch({ q: q || null });
  }

  @eventHandler({ permission: ADMIN })
  askDeleteBoard(): void {
    this.confirmingDelete.value = true;
  }

  @eventHandler()
  cancelDeleteBoard(): void {
    this.confirmingDelete.value = false;
  }

  @eventHandler({ permission: ADMIN })
  async deleteBoard(): Promise<void> {
    const board = this.board.value;
    if (!board) return;
    const files = this.services.store.attachmentKeys({ boardId: board.id });
    if (!this.services.store.deleteBoard(board.id)) return;
    await this.services.files.remove(files);
    void this.broadcast(
      boardTopic(board.id),
      {
        type: "deleted",
        by: this.me.name,
      } satisfies BoardMessage,
      { exceptSelf: true },
    );
    void this.broadcast(BOARDS_TOPIC, { type: "boards" });
    this.putFlash("info", `Board “${board.name}” deleted.`);
    this.pushNavigate("/");
  }

  // #endregion
  // #region messages

  /** Changes by others (pub/sub), and what this page's columns and cards ask for (sendParent). */
  protected override receive(message: unknown): void {
    if (isBoardMessage(message)) {
      if (message.type === "deleted") {
        this.putFlash("info", `${message.by} deleted this board.`);
        return this.pushNavigate("/");
      }
      this.#reload();
      if (message.activity) this.#showActivity(message.activity);
      return;
    }
    const m = message as CardMessage | ColumnMessage;
    if (m.event === "add") this.#publish(this.#actions().addCard(Number(m.id), m.payload.title));
    else if (m.event === "rename") {
      const edited = this.#actions().editCard(m.payload.cardId, { title: m.payload.title });
      this.#publish(edited?.activity ?? null);
    } else if (m.event === "move") this.#moveBy(m.payload.cardId, m.payload.to);
  }

  override handlePresenceDiff(_diff: PresenceDiff, topic: string): void {
    const present = Object.entries(this.listPresence(topic)).map(([key, entry]) => {
      const meta = entry.metas[0] as Partial<Viewer>;
      return {
        id: Number(key),
        name: String(meta.name ?? "?"),
        initials: String(meta.initials ?? "?"),
        hue: Number(meta.hue ?? 0),
      };
    });
    present.sort((a, b) => a.name.localeCompare(b.name) || a.id - b.id);
    this.viewers.value = reuseItems(this.viewers.peek(), present);
  }

  // #endregion
  // #region helpers

  #actions(): BoardActions {
    return new BoardActions(this.services, this.#boardId, this.me);
  }

  /** Shows a change here and tells every other page of this board (and the boards index). */
  #publish(activity: Activity | null): void {
    if (!activity) return;
    this.#reload();
    this.#showActivity(activity);
    const message: BoardMessage = { type: "changed", activity };
    void this.broadcast(boardTopic(this.#boardId), message, { exceptSelf: true });
    void this.broadcast(BOARDS_TOPIC, { type: "boards" }); // the index shows card counts
  }

  #showActivity(activity: Activity): void {
    this.streamInsert("activity", activity, { at: 0, limit: ACTIVITY_LIMIT });
  }

  /** Reads the board, its cards and the members again, keeping what did not change. */
  #reload(): void {
    const store = this.services.store;
    this.board.value = store.board(this.#boardId);
    this.cards.value = reuseItems(this.cards.peek(), store.cards(this.#boardId));
    this.members.value = reuseItems(this.members.peek(), store.members());
    this.#loadAttachments();
  }

  /** The files of the open card (none when no dialog is open). */
  #loadAttachments(): void {
    const id = this.openCardId.peek();
    const card = id ? this.cards.peek().find((c) => c.id === id) : null;
    const files = card ? this.services.store.attachments(card.id) : [];
    this.attachments.value = reuseItems(this.attachments.peek(), files);
  }

  #computeLayout(): ColumnLayout[] {
    const columns = this.columns.value, cards = this.cards.value, filters = this.filters.value;
    const refs = columns.map((c) => ({ id: c.id, name: c.name }));
    return columns.map((column, i) => {
      const all = cards.filter((card) => card.columnId === column.id);
      const visible = all.filter((card) => matches(card, filters, this.me.id));
      const shown = reuseArray(this.#shown.get(column.id), visible);
      this.#shown.set(column.id, shown);
      return {
        id: column.id,
        column,
        cards: shown,
        total: all.length,
        left: refs[i - 1] ?? null,
        right: refs[i + 1] ?? null,
      };
    });
  }

  /**
   * Where card `cardId` lands in column `columnId` when put at `at` among the cards this page
   * shows there (filters may hide others), or null when the column is not on this board.
   */
  #positionIn(columnId: number, cardId: number, at: number): number | null {
    const layout = this.#layout.peek().find((c) => c.id === columnId);
    if (!layout) return null;
    const all = this.cards.peek().filter((c) => c.columnId === columnId && c.id !== cardId);
    const visible = layout.cards.filter((c) => c.id !== cardId);
    return insertionIndex(all, visible, at);
  }

  /** The arrow buttons: to the end of the next column, or one place up or down. */
  #moveBy(cardId: number, to: string): void {
    const card = this.cards.peek().find((c) => c.id === cardId);
    if (!card) return;
    const layout = this.#layout.peek();
    const i = layout.findIndex((c) => c.id === card.columnId);
    if (to === "left" || to === "right") {
      const target = layout[to === "left" ? i - 1 : i + 1];
      if (!target) return;
      const at = this.#positionIn(target.id, cardId, Number.MAX_SAFE_INTEGER);
      if (at !== null) this.#publish(this.#actions().moveCard(cardId, target.id, at));
      return;
    }
    const visible = layout[i]?.cards ?? [];
    const at = visible.findIndex((c) => c.id === cardId) + (to === "up" ? -1 : 1);
    if (at < 0 || at >= visible.length) return;
    const position = this.#positionIn(card.columnId, cardId, at);
    if (position !== null) this.#publish(this.#actions().moveCard(cardId, card.columnId, position));
  }

  // #endregion
}
