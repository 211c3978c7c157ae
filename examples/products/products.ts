/** A paginated, sortable, filterable product list whose state lives in the URL (shareable; back works). */
import { eventHandler, type EventParams, LiveView, signal } from "../../mod.ts";
import { CATALOGUE, type Item } from "../search/search.ts";

const PER_PAGE = 10;
const SORTS = ["name", "price", "category"] as const;

/** Reads its state from the URL in handleParams; changes go through pushPatch. */
export class Products extends LiveView {
  static override template = `
<section class="products">
  <h1>Products</h1>
  <form id="filters" dj-change="filter">
    <input name="q" value="{{ q }}" placeholder="Filter by name" autocomplete="off" dj-debounce="200">
    <select name="category"><option value="">All categories</option>{% for c in categories %}<option value="{{ c }}" {% if c == category %}selected{% endif %}>{{ c }}</option>{% endfor %}</select>
    <button type="button" class="reset" dj-click="reset">Reset</button>
  </form>
  <p class="count">{{ total }} product{{ total|pluralize }}, sorted by {{ sort }} ({{ dir }})</p>
  <table>
    <thead><tr>{% for col in columns %}<th><a class="sort-{{ col.name }}" dj-patch href="{{ col.href }}">{{ col.name|capfirst }}{% if col.name == sort %} {% if dir == "asc" %}▲{% else %}▼{% endif %}{% endif %}</a></th>{% endfor %}</tr></thead>
    <tbody>{% for p in rows %}<tr dj-key="{{ p.id }}"><td class="name">{{ p.name }}</td><td>{{ p.price|floatformat:2 }}</td><td>{{ p.category }}</td></tr>{% empty %}<tr><td colspan="3">No products match.</td></tr>{% endfor %}</tbody>
  </table>
  <nav class="pager">{% if prev %}<a class="prev" dj-patch href="{{ prev }}">← Previous</a>{% endif %} <span class="page">Page {{ page }} of {{ pages }}</span> {% if next %}<a class="next" dj-patch href="{{ next }}">Next →</a>{% endif %}</nav>
  <p><a class="to-counter" dj-navigate href="/counter">Open the counter (live navigation, no page load)</a></p>
</section>`;

  q = signal("");
  category = signal("");
  sort = signal<string>("name");
  dir = signal<"asc" | "desc">("asc");
  page = signal(1);
  categories = [...new Set(CATALOGUE.map((p) => p.category))].sort();

  override handleParams(params: Record<string, string>): void {
    this.q.value = (params.q ?? "").slice(0, 100);
    this.category.value = this.categories.includes(params.category ?? "") ? params.category : "";
    this.sort.value = (SORTS as readonly string[]).includes(params.sort ?? "")
      ? params.sort
      : "name";
    this.dir.value = params.dir === "desc" ? "desc" : "asc";
    this.page.value = Math.max(1, Number.parseInt(params.page ?? "1", 10) || 1);
    this.pageTitle.value = `Products · page ${this.page.value}`;
  }

  override getContextData(): Record<string, unknown> {
    const q = this.q.value.trim().toLowerCase(), category = this.category.value;
    const sort = this.sort.value as keyof Item, dir = this.dir.value;
    const matches = CATALOGUE.filter((p) =>
      (!q || p.name.toLowerCase().includes(q)) && (!category || p.category === category)
    );
    const sorted = [...matches].sort((a, b) => {
      const c = a[sort] < b[sort] ? -1 : a[sort] > b[sort] ? 1 : a.id - b.id;
      return dir === "asc" ? c : -c;
    });
    const pages = Math.max(1, Math.ceil(sorted.length / PER_PAGE));
    const page = Math.min(this.page.value, pages);
    const link = (changes: Record<string, string | number>) => {
      const params = new URLSearchParams();
      const state: Record<string, string> = {
        q: this.q.value,
        category,
        sort,
        dir,
        page: String(page),
      };
      for (const [k, v] of Object.entries({ ...state, ...changes })) {
        if (v !== "" && v !== undefined) params.set(k, String(v));
      }
      return `/products?${params}`;
    };
    return {
      rows: sorted.slice((page - 1) * PER_PAGE, page * PER_PAGE),
      total: sorted.length,
      pages,
      page,
      prev: page > 1 ? link({ page: page - 1 }) : "",
      next: page < pages ? link({ page: page + 1 }) : "",
      columns: SORTS.map((name) => ({
        name,
        href: link({ sort: name, dir: name === sort && dir === "asc" ? "desc" : "asc", page: 1 }),
      })),
    };
  }

  @eventHandler()
  filter(params: EventParams): void {
    this.pushPatch({
      q: String(params.q ?? "").trim() || null,
      category: String(params.category ?? "") || null,
      page: null,
    });
  }

  @eventHandler()
  reset(): void {
    this.putFlash("info", "Filters cleared");
    this.pushPatch("/products");
  }
}
