/** A to-do list with optimistic toggles: the checkbox and strike-through change before the reply. */
import { eventHandler, type EventParams, LiveView, signal } from "../../mod.ts";

/** One to-do. */
export interface Todo {
  id: number;
  text: string;
  done: boolean;
}

/** Items marked "locked" refuse to toggle: the optimistic change is rolled back. */
export class TodoList extends LiveView {
  static override template = `
<section class="todo">
  <h1>To do ({{ remaining }} left)</h1>
  <form id="add" dj-submit="add"><input name="text" placeholder="What needs doing?" autocomplete="off"> <button>Add</button></form>
  <ul class="items">{% for t in todos %}<li dj-key="{{ t.id }}" class="item{% if t.done %} done{% endif %}" dj-click="toggle" dj-value-id="{{ t.id }}" dj-optimistic="toggle_class:done">{{ t.text }}</li>{% endfor %}</ul>
  <button class="clear" dj-click="clear">Clear done</button>
</section>`;

  todos = signal<Todo[]>([
    { id: 1, text: "Write the view", done: true },
    { id: 2, text: "Write the template", done: false },
    { id: 3, text: "Ship it (locked)", done: false },
  ]);
  _next = 4;

  override getContextData(): Record<string, unknown> {
    return { remaining: this.todos.value.filter((t) => !t.done).length };
  }

  @eventHandler()
  async toggle(params: { id?: string }): Promise<void> {
    const id = Number(params.id);
    // A little latency, so the optimistic change is visible before the reply.
    await new Promise((r) => setTimeout(r, 150));
    const todo = this.todos.value.find((t) => t.id === id);
    if (todo?.text.includes("(locked)")) throw new Error("This item is locked");
    this.todos.value = this.todos.value.map((t) => (t.id === id ? { ...t, done: !t.done } : t));
  }

  @eventHandler()
  add(params: EventParams): void {
    const text = String(params.text ?? "").trim().slice(0, 200);
    if (text) this.todos.value = [...this.todos.value, { id: this._next++, text, done: false }];
  }

  @eventHandler()
  clear(): void {
    this.todos.value = this.todos.value.filter((t) => !t.done);
  }
}
