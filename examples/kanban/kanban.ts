/**
 * A kanban board: each card is a live component with its own state (votes, editing), the board
 * owns the columns. Cards move by drag and drop (`dj-drop`) or with the arrow buttons; every tab on
 * the board sees changes at once (pub/sub).
 */
import { eventHandler, type EventParams, LiveComponent, LiveView, signal } from "../../mod.ts";

/** One card on the board. */
export interface Card {
  id: number;
  title: string;
  column: Column;
}

/** The board's columns, left to right. */
export const COLUMNS = ["todo", "doing", "done"] as const;
/** A column's key. */
export type Column = typeof COLUMNS[number];

const TITLES: Record<Column, string> = { todo: "To do", doing: "Doing", done: "Done" };
const TOPIC = "kanban:board";

/** The board every tab shows (one per process; a real app keeps it in a database). */
class BoardStore {
  cards: Card[] = [
    { id: 1, title: "Sketch the screens", column: "done" },
    { id: 2, title: "Write the views", column: "doing" },
    { id: 3, title: "Write the templates", column: "doing" },
    { id: 4, title: "Load test", column: "todo" },
    { id: 5, title: "Ship it", column: "todo" },
  ];
  #next = 6;

  add(title: string): void {
    this.cards = [...this.cards, { id: this.#next++, title, column: "todo" }];
  }

  /** Moves card `id` to `column`, before the card now at `index` there (the end if past it). */
  move(id: number, column: Column, index: number): void {
    const card = this.cards.find((c) => c.id === id);
    if (!card) return;
    const rest = this.cards.filter((c) => c.id !== id);
    const moved = { ...card, column };
    const inColumn = rest.filter((c) => c.column === column);
    const before = inColumn[Math.max(0, index)];
    const at = before ? rest.indexOf(before) : rest.length;
    this.cards = [...rest.slice(0, at), moved, ...rest.slice(at)];
  }

  rename(id: number, title: string): void {
    this.cards = this.cards.map((c) => (c.id === id ? { ...c, title } : c));
  }

  remove(id: number): void {
    this.cards = this.cards.filter((c) => c.id !== id);
  }
}

const store = new BoardStore();

/** A card: votes are its own state (per tab); renaming goes to the board through `sendParent`. */
export class KanbanCard extends LiveComponent {
  static override template = `<article class="kanban-card{% if editing %} editing{% endif %}">
{% if editing %}<form dj-submit="save" dj-target="{{ myself }}"><input name="title" value="{{ title }}" maxlength="80" aria-label="Card title"> <button>Save</button> <button type="button" dj-click="cancel" dj-target="{{ myself }}" class="secondary">Cancel</button></form>
{% else %}<h3 class="title">{{ title }}</h3>
<p class="card-actions"><button class="vote secondary" dj-click="vote" dj-target="{{ myself }}" aria-label="Vote">▲ <span class="votes">{{ votes }}</span></button>
<button class="edit secondary" dj-click="edit" dj-target="{{ myself }}">Edit</button>
{% if column != "todo" %}<button class="left secondary" dj-click="move" dj-value-id="{{ id }}" dj-value-to="{{ left }}" aria-label="Move left">←</button>{% endif %}
{% if column != "done" %}<button class="right secondary" dj-click="move" dj-value-id="{{ id }}" dj-value-to="{{ right }}" aria-label="Move right">→</button>{% endif %}
<button class="delete secondary" dj-click="remove" dj-value-id="{{ id }}" aria-label="Delete">✕</button></p>{% endif %}
</article>`;

  title = signal("");
  column = signal<Column>("todo");
  votes = signal(0);
  editing = signal(false);

  override mount(props: { card: Card }): void {
    this.update(props);
  }

  override update(props: { card: Card }): void {
    this.title.value = props.card.title;
    this.column.value = props.card.column;
  }

  override getContextData(): Record<string, unknown> {
    const i = COLUMNS.indexOf(this.column.value);
    return { left: COLUMNS[i - 1] ?? "", right: COLUMNS[i + 1] ?? "" };
  }

  @eventHandler()
  vote(): void {
    this.votes.value++;
  }

  @eventHandler()
  edit(): void {
    this.editing.value = true;
  }

  @eventHandler()
  cancel(): void {
    this.editing.value = false;
  }

  @eventHandler()
  save(params: EventParams): void {
    const title = String(params.title ?? "").trim().slice(0, 80);
    this.editing.value = false;
    if (title && title !== this.title.value) this.sendParent("renamed", { title });
  }
}

/** The board: columns of cards, each card a component keyed by its id. */
export class Kanban extends LiveView {
  static override components = { card: KanbanCard };
  static override template = `
<section class="kanban">
  <h1>Board</h1>
  <form class="add" dj-submit="add"><input name="title" placeholder="New card" autocomplete="off" maxlength="80"> <button>Add</button></form>
  <div class="columns">{% for column in columns %}
    <section class="column" dj-key="{{ column.key }}">
      <h2>{{ column.title }} <span class="count">{{ column.cards|length }}</span></h2>
      <ul class="cards" dj-drop="drop" dj-value-column="{{ column.key }}" data-column="{{ column.key }}">{% for card in column.cards %}<li dj-key="{{ card.id }}" draggable="true" dj-value-id="{{ card.id }}" id="card-{{ card.id }}">{% live_component "card" id=card.id card=card %}</li>{% empty %}<li class="empty">Drop cards here</li>{% endfor %}</ul>
    </section>{% endfor %}
  </div>
</section>`;

  cards = signal<Card[]>(store.cards);

  override mount(): void {
    this.subscribe(TOPIC);
  }

  override getContextData(): Record<string, unknown> {
    const cards = this.cards.value;
    return {
      columns: COLUMNS.map((key) => ({
        key,
        title: TITLES[key],
        cards: cards.filter((c) => c.column === key),
      })),
    };
  }

  /** Board changes from any tab (including this one), and messages from this board's cards. */
  override handleInfo(message: unknown): void {
    const m = message as { event?: string; id?: string; payload?: { title?: string } };
    if (m.event === "renamed" && m.payload?.title) {
      store.rename(Number(m.id), m.payload.title);
      return this.#changed();
    }
    this.cards.value = store.cards;
  }

  @eventHandler()
  add(params: EventParams): void {
    const title = String(params.title ?? "").trim().slice(0, 80);
    if (!title) return;
    store.add(title);
    this.#changed();
  }

  /** A card dropped on a column: `id` from the card, `column` from the list, `index` from the drop. */
  @eventHandler()
  drop(params: EventParams): void {
    const column = COLUMNS.find((c) => c === params.column);
    const index = Number(params.index);
    if (!column || !Number.isInteger(index)) return;
    store.move(Number(params.id), column, index);
    this.#changed();
  }

  /** The arrow buttons: to the end of the next column. */
  @eventHandler()
  move(params: EventParams): void {
    const column = COLUMNS.find((c) => c === params.to);
    if (!column) return;
    store.move(Number(params.id), column, Number.MAX_SAFE_INTEGER);
    this.#changed();
  }

  @eventHandler()
  remove(params: EventParams): void {
    store.remove(Number(params.id));
    this.#changed();
  }

  #changed(): void {
    this.cards.value = store.cards;
    void this.broadcast(TOPIC, { changed: true }, { exceptSelf: true });
  }
}
