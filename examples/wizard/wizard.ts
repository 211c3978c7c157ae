/** A three-step wizard that keeps its answers when the user goes back. */
import { eventHandler, type EventParams, LiveView, signal } from "../../mod.ts";

/** The answers, kept across steps. */
export interface Answers {
  name: string;
  plan: string;
  extras: string[];
}

/** Step through three forms; the step is in the URL (?step=2), so back/forward and links work. */
export class Wizard extends LiveView {
  static override template = `
<section class="wizard">
  <h1>Setup — step {{ step }} of 3</h1>
  <ol class="steps">{% for s in steps %}<li class="{% if s == step %}current{% endif %}">{{ s }}</li>{% endfor %}</ol>
  {% if step == 1 %}
  <form id="step1" dj-submit="next">
    <label>Your name <input name="name" value="{{ answers.name }}"></label>
    <button class="next">Next</button>
  </form>
  {% elif step == 2 %}
  <form id="step2" dj-submit="next">
    <label><input type="radio" name="plan" value="free" {% if answers.plan == "free" %}checked{% endif %}> Free</label>
    <label><input type="radio" name="plan" value="pro" {% if answers.plan == "pro" %}checked{% endif %}> Pro</label>
    <button type="button" class="back" dj-click="back">Back</button> <button class="next">Next</button>
  </form>
  {% else %}
  <form id="step3" dj-submit="finish">
    <label><input type="checkbox" name="extras" value="backup" {% if "backup" in answers.extras %}checked{% endif %}> Backups</label>
    <label><input type="checkbox" name="extras" value="support" {% if "support" in answers.extras %}checked{% endif %}> Support</label>
    <button type="button" class="back" dj-click="back">Back</button> <button class="finish">Finish</button>
  </form>
  {% endif %}
  {% if summary %}<p class="summary">{{ summary }}</p>{% endif %}
</section>`;

  step = signal(1);
  steps = [1, 2, 3];
  answers = signal<Answers>({ name: "", plan: "free", extras: [] });
  summary = signal("");

  #take(params: EventParams): void {
    const a = { ...this.answers.value };
    if (typeof params.name === "string") a.name = params.name.slice(0, 100);
    if (typeof params.plan === "string") a.plan = params.plan === "pro" ? "pro" : "free";
    if ("extras" in params) {
      a.extras = Array.isArray(params.extras) ? params.extras.map(String) : [];
    }
    this.answers.value = a;
  }

  override handleParams(params: Record<string, string>): void {
    const step = Number.parseInt(params.step ?? "1", 10);
    this.step.value = step >= 1 && step <= 3 ? step : 1;
    this.pageTitle.value = `Setup · step ${this.step.value}`;
  }

  @eventHandler()
  next(params: EventParams): void {
    this.#take(params);
    this.pushPatch({ step: String(Math.min(3, this.step.value + 1)) });
  }

  @eventHandler()
  back(): void {
    this.pushPatch({ step: String(Math.max(1, this.step.value - 1)) });
  }

  @eventHandler()
  finish(params: EventParams): void {
    this.#take(params);
    const a = this.answers.value;
    this.summary.value = `${a.name || "Someone"} chose ${a.plan}${
      a.extras.length ? " with " + a.extras.join(", ") : ""
    }.`;
  }
}
