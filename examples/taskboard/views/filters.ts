/**
 * A board's filters, which live in the URL (`?assignee=me&label=bug&q=login`): parsed from it,
 * written back into links, and applied to cards. A URL is user input: anything unknown reads as
 * "no filter".
 */
import { type Card, isLabel, type Label, LABELS, type Member } from "../data/model.ts";

/** The filters of a board page. */
export interface Filters {
  /** "" (anyone), "me", "none" (unassigned) or a member's id. */
  assignee: string;
  /** "" or one of the labels. */
  label: Label | "";
  /** Words the title or description must contain ("" for any). */
  q: string;
}

/** No filter at all. */
export const NO_FILTERS: Filters = Object.freeze({ assignee: "", label: "", q: "" });

/** Longest search text kept from a URL. */
const MAX_Q = 100;

/** The filters `params` (the URL's query) ask for. */
export function parseFilters(params: Record<string, string | undefined>): Filters {
  const assignee = params.assignee ?? "";
  const label = params.label ?? "";
  return {
    assignee: assignee === "me" || assignee === "none" || /^[1-9]\d{0,9}$/.test(assignee)
      ? assignee
      : "",
    label: isLabel(label) ? label : "",
    q: (params.q ?? "").trim().slice(0, MAX_Q),
  };
}

/** True when some filter is set. */
export function isFiltering(filters: Filters): boolean {
  return !!(filters.assignee || filters.label || filters.q);
}

/**
 * The query string (without `?`) of `filters` with `changes` applied; empty values are left out,
 * so the plain board's URL stays `/boards/1`.
 */
export function filterQuery(filters: Filters, changes: Partial<Filters> = {}): string {
  const merged = { ...filters, ...changes };
  const params = new URLSearchParams();
  for (const key of ["assignee", "label", "q"] as const) {
    if (merged[key]) params.set(key, merged[key]);
  }
  return params.toString();
}

/** True when `card` passes `filters`, for the member `meId` ("me"). */
export function matches(card: Card, filters: Filters, meId: number): boolean {
  const assignee = card.assignee?.id ?? null;
  if (filters.assignee === "me" && assignee !== meId) return false;
  if (filters.assignee === "none" && assignee !== null) return false;
  if (/^\d/.test(filters.assignee) && assignee !== Number(filters.assignee)) return false;
  if (filters.label && !card.labels.includes(filters.label)) return false;
  if (filters.q) {
    const text = `${card.title}\n${card.description}`.toLocaleLowerCase();
    for (const word of filters.q.toLocaleLowerCase().split(/\s+/)) {
      if (!text.includes(word)) return false;
    }
  }
  return true;
}

/**
 * Where a card goes in a column when the user put it at `at` among the cards they see (filters may
 * hide some): before the visible card now at `at`, or right after the last visible one. Both lists
 * leave out the card being moved; the result is an index into `all`.
 */
export function insertionIndex(all: readonly Card[], visible: readonly Card[], at: number): number {
  if (at < visible.length) return Math.max(0, all.indexOf(visible[Math.max(0, at)]));
  const last = visible.at(-1);
  return last ? all.indexOf(last) + 1 : all.length;
}

/** A filter link of the board's filter bar. */
export interface FilterChip {
  text: string;
  /** The filter's value in the URL ("" for none). */
  value: string;
  member: Member | null;
  /** The board's URL with this value and the other filters kept. */
  href: string;
  active: boolean;
}

/**
 * The filter bar's links for the board at `path`: one per assignee choice (anyone, me,
 * unassigned, each other member) and per label, each keeping the other filters. Plain links
 * (`dj-patch`), so the bar works without JavaScript and every state has a URL.
 */
export function filterLinks(
  filters: Filters,
  path: string,
  me: Member,
  members: readonly Member[],
): { assignee_chips: FilterChip[]; label_chips: FilterChip[]; clear_url: string } {
  const href = (changes: Partial<Filters>) => {
    const q = filterQuery(filters, changes);
    return q ? `${path}?${q}` : path;
  };
  const assignees = [
    { text: "Anyone", value: "", member: null },
    { text: "Me", value: "me", member: me },
    { text: "Unassigned", value: "none", member: null },
    ...members.filter((m) => m.id !== me.id).map((m) => ({
      text: m.name,
      value: String(m.id),
      member: m,
    })),
  ];
  return {
    assignee_chips: assignees.map((chip) => ({
      ...chip,
      href: href({ assignee: chip.value }),
      active: filters.assignee === chip.value,
    })),
    label_chips: (["", ...LABELS] as const).map((label) => ({
      text: label || "All labels",
      value: label,
      member: null,
      href: href({ label }),
      active: filters.label === label,
    })),
    clear_url: path,
  };
}
