/** Search-as-you-type over 10,000 generated items. */
import { eventHandler, LiveView, signal } from "../../mod.ts";

/** One searchable item. */
export interface Item {
  id: number;
  name: string;
  category: string;
  price: number;
}

const ADJECTIVES = [
  "Amber",
  "Brisk",
  "Cobalt",
  "Dusky",
  "Eager",
  "Frosty",
  "Gentle",
  "Hazel",
  "Ivory",
  "Jolly",
];
const NOUNS = [
  "Anchor",
  "Beacon",
  "Canyon",
  "Delta",
  "Ember",
  "Falcon",
  "Garden",
  "Harbor",
  "Island",
  "Jasmine",
];
const CATEGORIES = ["tools", "books", "garden", "kitchen", "toys"];

/** Deterministic catalogue, so tests can count matches. */
export const CATALOGUE: readonly Item[] = Array.from({ length: 10_000 }, (_, i) => ({
  id: i + 1,
  name: `${ADJECTIVES[i % 10]} ${NOUNS[Math.floor(i / 10) % 10]} ${Math.floor(i / 100)}`,
  category: CATEGORIES[i % CATEGORIES.length],
  price: ((i * 7919) % 10_000) / 100,
}));

const LIMIT = 20;

/** Filters the catalogue as the user types. */
export class Search extends LiveView {
  static override template = `
<section class="search">
  <h1>Search {{ total }} items</h1>
  <input type="search" name="q" value="{{ query }}" placeholder="Type to search…" dj-input="search" autocomplete="off">
  <p class="summary">{% if query %}{{ count }} match{{ count|pluralize:"es" }} for “{{ query }}”{% else %}Showing the first {{ results|length }}{% endif %}</p>
  <ul class="results">
    {% for item in results %}<li dj-key="{{ item.id }}"><span class="name">{{ item.name }}</span> <small>{{ item.category }} · {{ item.price|floatformat:2 }}</small></li>
    {% empty %}<li class="none">Nothing found.</li>{% endfor %}
  </ul>
</section>`;

  query = signal("");
  total = CATALOGUE.length;

  override getContextData(): Record<string, unknown> {
    const q = this.query.value.trim().toLowerCase();
    const matches = q ? CATALOGUE.filter((it) => it.name.toLowerCase().includes(q)) : CATALOGUE;
    return { results: matches.slice(0, LIMIT), count: matches.length };
  }

  @eventHandler()
  search(params: { value?: unknown }): void {
    this.query.value = String(params.value ?? "").slice(0, 200);
  }
}
