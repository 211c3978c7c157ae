/**
 * A column of the board, as a live component: its cards (each a {@link CardComponent}), the drop
 * zone for dragged cards, and its own "add a card" form. "Expand all" reaches into the cards'
 * own state with `sendUpdate`, which is what it is for: state that belongs to the child.
 */
import { eventHandler, type EventParams, LiveComponent, signal } from "../../../mod.ts";
import type { Card, Column } from "../data/model.ts";
import { EDIT } from "../auth/permissions.ts";
import { CardComponent, cardComponentId, type ColumnRef } from "./card.ts";

/** What a column sends to the board (`sendParent`). */
export type ColumnMessage = { event: "add"; id: string; payload: { title: string } };

/**
 * One column. Props: `column`, `cards` (those the filters let through), `total` (all of them),
 * `left`/`right` (neighbour columns), `link` (for the cards' links).
 */
export class ColumnComponent extends LiveComponent {
  static override templateName = "live/column.html";

  column = signal<Column | null>(null);
  cards = signal<Card[]>([]);
  total = signal(0);
  left = signal<ColumnRef | null>(null);
  right = signal<ColumnRef | null>(null);
  /** The cards' link prefix (see CardComponent.link). */
  link = signal("");
  /** The add form is open. */
  adding = signal(false);

  /** Each card with the id of its component (see cardComponentId). */
  override getContextData(): Record<string, unknown> {
    const columnId = this.column.value?.id ?? 0;
    return {
      slots: this.cards.value.map((card) => ({ key: cardComponentId(columnId, card.id), card })),
    };
  }

  @eventHandler()
  openAdd(): void {
    this.adding.value = true;
  }

  @eventHandler()
  closeAdd(): void {
    this.adding.value = false;
  }

  @eventHandler({ permission: EDIT })
  add(params: EventParams): void {
    const title = String(params.title ?? "").trim();
    if (!title) return;
    // Closed after each card: a focused field keeps what was typed across patches (see README).
    this.adding.value = false;
    this.sendParent("add", { title });
  }

  @eventHandler()
  expandAll(): void {
    this.#setExpanded(true);
  }

  @eventHandler()
  collapseAll(): void {
    this.#setExpanded(false);
  }

  /** Sets the `expanded` state of every card shown (state that belongs to each card). */
  #setExpanded(expanded: boolean): void {
    const columnId = this.column.value?.id ?? 0;
    for (const card of this.cards.value) {
      this.sendUpdate(CardComponent, cardComponentId(columnId, card.id), { expanded });
    }
  }
}
