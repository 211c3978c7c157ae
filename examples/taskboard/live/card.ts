/**
 * A card on the board, as a live component. What the card *is* comes from the board (props, from
 * the database); what the card *shows* is its own state: whether its details are expanded and
 * whether its title is being edited in place. Changes go to the board through `sendParent`, which
 * checks them against the database and tells every open page.
 */
import { eventHandler, type EventParams, LiveComponent, signal } from "../../../mod.ts";
import type { Card } from "../data/model.ts";
import { EDIT } from "../auth/permissions.ts";

/** A neighbouring column a card can move to with the keyboard. */
export interface ColumnRef {
  id: number;
  name: string;
}

/** The directions of the move buttons. */
export const MOVES = ["left", "right", "up", "down"] as const;
/** One of {@link MOVES}. */
export type Move = typeof MOVES[number];

/** What a card sends to the board (`sendParent`), as the board's `handleInfo` receives it. */
export type CardMessage =
  | { event: "move"; id: string; payload: { cardId: number; to: Move } }
  | { event: "rename"; id: string; payload: { cardId: number; title: string } };

/**
 * The component id of card `cardId` shown in column `columnId`. It names the column because djust
 * cannot yet hand one component instance from a loop to another loop rendered before it in the
 * same pass (a card moving left fails with "rendered twice"; see the README's gaps): a card that
 * changes column is a new instance, and only its own state (expanded, editing) starts over.
 */
export function cardComponentId(columnId: number, cardId: number): string {
  return `${columnId}-${cardId}`;
}

/** One card. Props: `card`, `left`/`right` (neighbour columns), `first`/`last`, `link`. */
export class CardComponent extends LiveComponent {
  static override templateName = "live/card.html";

  card = signal<Card | null>(null);
  left = signal<ColumnRef | null>(null);
  right = signal<ColumnRef | null>(null);
  first = signal(true);
  last = signal(true);
  /** The board's URL with its filters, ending in `?` or `&`: the card's link appends `card=<id>`. */
  link = signal("");
  /** The description shows (the card's own state; the column can set it through sendUpdate). */
  expanded = signal(false);
  /** The title is being edited in place. */
  editing = signal(false);

  // mount and update: the default copies each prop onto the field of the same name, so a
  // sendUpdate with only `expanded` changes only that.

  @eventHandler()
  toggle(): void {
    this.expanded.value = !this.expanded.value;
  }

  @eventHandler()
  edit(): void {
    this.editing.value = true;
  }

  @eventHandler()
  cancel(): void {
    this.editing.value = false;
  }

  @eventHandler({ permission: EDIT })
  rename(params: EventParams): void {
    this.editing.value = false;
    const title = String(params.title ?? "").trim();
    const card = this.card.value;
    if (card && title && title !== card.title) {
      this.sendParent("rename", { cardId: card.id, title });
    }
  }

  /** The arrow buttons (keyboard-accessible alternative to dragging). */
  @eventHandler({ permission: EDIT })
  move(params: EventParams): void {
    const to = MOVES.find((m) => m === params.to);
    const card = this.card.value;
    if (to && card) this.sendParent("move", { cardId: card.id, to });
  }
}
