/**
 * A page written the Django way: the template `{% extends %}` a base with blocks, includes partials
 * (one `with` a value), and shows an edit form in a `{% component %}` with a slot. Each is patched
 * part by part: starring a contact sends one small op, and the edit form keeps its fields while
 * the list changes around it.
 */
import { eventHandler, type EventParams, LiveView, signal } from "../../mod.ts";

/** One contact. */
export interface Contact {
  id: number;
  name: string;
  email: string;
  favorite: boolean;
}

const PEOPLE: Contact[] = [
  { id: 1, name: "Ann Lee", email: "ann@example.com", favorite: true },
  { id: 2, name: "Bo Diaz", email: "bo@example.com", favorite: false },
  { id: 3, name: "Cy Okafor", email: "cy@example.com", favorite: false },
  { id: 4, name: "Dee Novak", email: "dee@example.com", favorite: true },
];

/** Contacts: search, star, edit in a dialog. */
export class Contacts extends LiveView {
  static override template = `{% extends "contacts/base.html" %}
{% block heading %}Contacts <small class="muted">{{ favorites }} starred</small>{% endblock %}
{% block content %}
<ul class="contact-list">{% for c in shown %}<li dj-key="{{ c.id }}" class="contact{% if c.favorite %} favorite{% endif %}">{% with initials=c.name|slice:":1"|upper %}{% include "contacts/row.html" %}{% endwith %}</li>{% empty %}<li class="empty muted">No contact matches “{{ q }}”.</li>{% endfor %}</ul>
{% if editing %}{% component "dialog" title="Edit contact" %}<form id="edit-form" class="stack" dj-submit="save">
  <input type="hidden" name="id" value="{{ editing.id }}">
  <label>Name <input name="name" value="{{ editing.name }}" maxlength="80" required></label>
  <label>Email <input name="email" type="email" value="{{ editing.email }}" maxlength="120"></label>
  <p><button type="submit">Save</button> <button type="button" dj-click="cancel">Cancel</button></p>
</form>{% endcomponent %}{% endif %}
{% endblock %}`;

  contacts = signal<Contact[]>(PEOPLE);
  q = signal("");
  editing = signal<Contact | null>(null);

  override getContextData(): Record<string, unknown> {
    const q = this.q.value.toLowerCase();
    return {
      shown: this.contacts.value.filter((c) =>
        !q || c.name.toLowerCase().includes(q) || c.email.includes(q)
      ),
      favorites: this.contacts.value.filter((c) => c.favorite).length,
    };
  }

  @eventHandler()
  search(params: EventParams): void {
    this.q.value = String(params.q ?? "").slice(0, 80);
  }

  @eventHandler()
  favorite(params: { id?: string }): void {
    const id = Number(params.id);
    this.contacts.value = this.contacts.value.map((c) =>
      c.id === id ? { ...c, favorite: !c.favorite } : c
    );
  }

  @eventHandler()
  edit(params: { id?: string }): void {
    this.editing.value = this.contacts.value.find((c) => c.id === Number(params.id)) ?? null;
  }

  @eventHandler()
  save(params: EventParams): void {
    const id = Number(params.id);
    const name = String(params.name ?? "").trim().slice(0, 80);
    const email = String(params.email ?? "").trim().slice(0, 120);
    if (name) {
      this.contacts.value = this.contacts.value.map((
        c,
      ) => (c.id === id ? { ...c, name, email } : c));
    }
    this.editing.value = null;
  }

  @eventHandler()
  cancel(): void {
    this.editing.value = null;
  }
}
