/** Sign-up form with live validation (zod schema), errors as the user types, submit blocked while invalid. */
import { z } from "zod";
import { eventHandler, type EventParams, LiveForm, LiveView, signal } from "../../mod.ts";

const schema = z.object({
  name: z.string().trim().min(2, "At least 2 characters"),
  email: z.email("Enter a valid email address"),
  age: z.coerce.number("Enter a number").int().min(18, "You must be 18 or older"),
  password: z.string().min(8, "At least 8 characters"),
});

/** Validates on every change of the form, shows errors for touched fields. */
export class Signup extends LiveView {
  static override template = `
<section class="signup">
  <h1>Sign up</h1>
  {% if done %}<p class="welcome">Welcome, {{ done }}!</p>{% endif %}
  <form id="signup" dj-change="validate" dj-submit="save" novalidate>
    <label>Name <input name="name" value="{{ form.values.name }}" autocomplete="off" dj-debounce="150"></label>
    {% if form.errors.name %}<p class="error" data-for="name">{{ form.errors.name }}</p>{% endif %}
    <label>Email <input name="email" value="{{ form.values.email }}" autocomplete="off" dj-debounce="150"></label>
    {% if form.errors.email %}<p class="error" data-for="email">{{ form.errors.email }}</p>{% endif %}
    <label>Age <input name="age" value="{{ form.values.age }}" autocomplete="off" dj-debounce="150"></label>
    {% if form.errors.age %}<p class="error" data-for="age">{{ form.errors.age }}</p>{% endif %}
    <label>Password <input name="password" type="password" value="{{ form.values.password }}" dj-debounce="150"></label>
    {% if form.errors.password %}<p class="error" data-for="password">{{ form.errors.password }}</p>{% endif %}
    <button dj-disable-with="Saving…">Sign up</button>
  </form>
</section>`;

  form = new LiveForm(schema, { name: "", email: "", age: "", password: "" });
  done = signal("");

  @eventHandler()
  validate(params: EventParams): void {
    this.form.change(params);
  }

  @eventHandler()
  save(params: EventParams): void {
    if (!this.form.submit(params)) return;
    this.done.value = this.form.data!.name;
    this.form.reset();
  }
}
