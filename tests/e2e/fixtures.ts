/** Views used only by the browser tests. */
import { App, eventHandler, LiveView, signal } from "../../mod.ts";

/** Records the last event it received, for asserting what the client sent. */
export class Bindings extends LiveView {
  static override template = `
<main>
  <button id="click" dj-click="record" dj-value-id="7" dj-value-user-id="u1"><span id="inner">Click</span></button>
  <input id="typing" name="typing" dj-input="type" value="{{ typed }}" autocomplete="off">
  <p id="echo">{{ typed }}</p>
  <select id="choice" name="choice" dj-change="record"><option value="a">A</option><option value="b">B</option></select>
  <input id="check" type="checkbox" dj-change="record">
  <form id="form" dj-submit="record">
    <input name="email" value="">
    <input type="checkbox" name="agree">
    <input type="checkbox" name="tags" value="x" checked><input type="checkbox" name="tags" value="y" checked>
    <select name="multi" multiple><option value="1" selected>1</option><option value="2" selected>2</option></select>
    <input type="radio" name="size" value="s"><input type="radio" name="size" value="m" checked>
    <textarea name="note">n</textarea>
    <button id="submit">Go</button>
  </form>
  <form id="live-form" dj-change="record"><input name="a" value="1"><input name="b" value="2"></form>
  <input id="keys" dj-keydown="record" dj-keyup.enter="enter">
  <input id="focus" dj-focus="record" dj-blur="blurred">
  <pre id="log">{{ log }}</pre>
  <p id="count">{{ count }}</p>
</main>`;
  typed = signal("");
  log = signal("");
  count = signal(0);

  @eventHandler()
  record(params: Record<string, unknown>): void {
    this.count.value++;
    this.log.value = JSON.stringify(params);
  }
  @eventHandler()
  enter(params: Record<string, unknown>): void {
    this.count.value++;
    this.log.value = "enter:" + JSON.stringify(params);
  }
  @eventHandler()
  blurred(params: Record<string, unknown>): void {
    this.count.value++;
    this.log.value = "blur:" + JSON.stringify(params);
  }
  @eventHandler()
  type(params: { value?: string }): void {
    this.typed.value = String(params.value ?? "");
  }
}

/** An app with the test views and the gallery examples. */
export function e2eApp(secret = "e2e-secret"): App {
  const app = new App({ secret, logger: () => {} });
  app.live("/bindings", Bindings);
  app.live("/interactions", Interactions);
  app.live("/widgets", Widgets);
  app.live("/rate-limits", RateLimits);
  return app;
}

/** Bindings of the interaction toolkit: loading states, window keys, click-away, ignore, debounce. */
export class Interactions extends LiveView {
  static override template = `
<main>
  <button id="slow" dj-click="slow" dj-disable-with="Saving…">Save</button>
  <span id="spinner" dj-loading="slow" class="spinner">…</span>
  <span id="any" dj-loading dj-loading-class="busy">busy?</span>
  <div id="menu" dj-click-away="away" dj-window-keydown="key" dj-window-key="Escape">menu</div>
  <input id="search" dj-input="typed" dj-debounce="200">
  <input id="plain" dj-input="typed">
  <section>{% if flag %}<p class="on">{% else %}<p class="off">{% endif %}state {{ n }}</p>
    <div id="widget" dj-update="ignore">server {{ n }}</div>
  </section>
  <button id="flip" dj-click="flip">flip</button>
  <p id="log">{{ log }}</p>
  <p id="events">{{ events }}</p>
</main>`;
  log = signal("");
  events = signal(0);
  n = signal(0);
  flag = signal(true);

  @eventHandler()
  async slow(): Promise<void> {
    await new Promise((r) => setTimeout(r, 400));
    this.log.value = "saved";
    this.events.value++;
  }
  @eventHandler()
  away(): void {
    this.log.value = "away";
    this.events.value++;
  }
  @eventHandler()
  key(params: { key?: string }): void {
    this.log.value = "key " + params.key;
    this.events.value++;
  }
  @eventHandler()
  typed(params: { value?: string }): void {
    this.log.value = "typed " + params.value;
    this.events.value++;
  }
  @eventHandler()
  flip(): void {
    this.flag.value = !this.flag.value;
    this.n.value++;
    this.events.value++;
  }
}

/** dj-model, JS commands and hooks. */
export class Widgets extends LiveView {
  static override bindable = ["name", "city", "age"];
  static override template = `
<main>
  <input id="name" dj-model="name" value="{{ name }}">
  <input id="lazy" dj-model.lazy="city" value="{{ city }}">
  <input id="age" dj-model.debounce-200="age" value="{{ age }}">
  <p id="state">{{ name }}|{{ city }}|{{ age }}|{{ n }}</p>
  <button id="toggle-menu" dj-click="js:toggle('#menu'); toggle_class('#menu', 'open')">menu</button>
  <nav id="menu" class="menu {{ tone }}">items {{ n }}</nav>
  <button id="bump" dj-click="bump">bump</button>
  {% if showHook %}<div id="hooked" dj-hook="Counter">hook {{ n }}</div>{% endif %}
  <button id="hide-hook" dj-click="hideHook">hide hook</button>
  <p id="pushed">{{ pushed }}</p>
</main>`;
  name = signal("");
  city = signal("");
  age = signal(0);
  n = signal(0);
  tone = signal("light");
  showHook = signal(true);
  pushed = signal("");

  @eventHandler()
  bump(): void {
    this.n.value++;
    this.tone.value = this.tone.value === "light" ? "dark" : "light";
    this.pushEvent("bumped", { n: this.n.value });
  }
  @eventHandler()
  hideHook(): void {
    this.showHook.value = false;
  }
  @eventHandler()
  fromHook(params: { text?: string }): void {
    this.pushed.value = String(params.text);
  }
}

/** Fields with client-side rate limits, each recording what reached the server. */
export class RateLimits extends LiveView {
  static override template = `
<main>
  <input id="search" dj-input="typed" dj-debounce="200">
  <input id="plain" dj-input="typed">
  <input id="both" dj-input="typed" dj-model.debounce-300="city">
  <input id="onblur" dj-input="typed" dj-debounce="blur">
  <input id="other">
  <p id="log">{{ log }}</p>
  <p id="events">{{ events }}</p>
  <p id="city">{{ city }}</p>
</main>`;
  static override bindable = ["city"];
  log = signal("");
  events = signal(0);
  city = signal("");

  @eventHandler()
  typed(params: { value?: string }): void {
    this.log.value = "typed " + params.value;
    this.events.value++;
  }
}
