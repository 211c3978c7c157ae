/** A 1000-row table whose rows can be edited, toggled and deleted. */
import { eventHandler, LiveView, signal } from "../../mod.ts";

/** One row. */
export interface Row {
  id: number;
  label: string;
  done: boolean;
}

/** Builds `n` rows. */
export function makeRows(n: number): Row[] {
  return Array.from(
    { length: n },
    (_, i) => ({ id: i + 1, label: `Task ${i + 1}`, done: i % 3 === 0 }),
  );
}

/** Edits rows in place; each change re-renders and sends one row's worth of bytes. */
export class Table extends LiveView {
  static override template = `
<section class="table">
  <h1>{{ rows|length }} rows, {{ doneCount }} done</h1>
  <form dj-submit="add" class="add"><input name="label" placeholder="New task"> <button>Add</button></form>
  <table>
    <thead><tr><th>#</th><th>Task</th><th>Done</th><th></th></tr></thead>
    <tbody>
      {% for row in rows %}<tr dj-key="{{ row.id }}" class="{% if row.done %}done{% endif %}">
        <td>{{ row.id }}</td>
        <td>{% if editing == row.id %}<input name="label" value="{{ row.label }}" dj-keydown.enter="save" dj-value-id="{{ row.id }}">{% else %}<span dj-click="edit" dj-value-id="{{ row.id }}">{{ row.label }}</span>{% endif %}</td>
        <td><input type="checkbox" dj-click="toggle" dj-value-id="{{ row.id }}" {% if row.done %}checked{% endif %}></td>
        <td><button class="delete" dj-click="remove" dj-value-id="{{ row.id }}">✕</button></td>
      </tr>
      {% endfor %}
    </tbody>
  </table>
</section>`;

  rows = signal<Row[]>([]);
  editing = signal<number | null>(null);
  _nextId = 1;

  override mount(_request: Request, _params: Record<string, string>): void {
    const size = Number(new URL(_request.url).searchParams.get("rows") ?? 1000);
    this.rows.value = makeRows(Math.max(0, Math.min(5000, size || 0)));
    this._nextId = this.rows.value.length + 1;
  }

  override getContextData(): Record<string, unknown> {
    let done = 0;
    for (const r of this.rows.value) if (r.done) done++;
    return { doneCount: done };
  }

  #update(id: unknown, change: (row: Row) => Row): void {
    const n = Number(id);
    this.rows.value = this.rows.value.map((r) => (r.id === n ? change(r) : r));
  }

  @eventHandler()
  toggle(params: { id?: string }): void {
    this.#update(params.id, (r) => ({ ...r, done: !r.done }));
  }

  @eventHandler()
  edit(params: { id?: string }): void {
    this.editing.value = Number(params.id);
  }

  @eventHandler()
  save(params: { id?: string; value?: unknown }): void {
    const label = String(params.value ?? "").trim().slice(0, 200);
    if (label) this.#update(params.id, (r) => ({ ...r, label }));
    this.editing.value = null;
  }

  @eventHandler()
  remove(params: { id?: string }): void {
    const n = Number(params.id);
    this.rows.value = this.rows.value.filter((r) => r.id !== n);
  }

  @eventHandler()
  add(params: { label?: unknown }): void {
    const label = String(params.label ?? "").trim().slice(0, 200);
    if (!label) return;
    this.rows.value = [...this.rows.value, { id: this._nextId++, label, done: false }];
  }
}
