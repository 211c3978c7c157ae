/** The classic: a counter whose state lives on the server. */
import { eventHandler, LiveView, signal } from "../../mod.ts";

/** Increments, decrements and resets a number. */
export class Counter extends LiveView {
  static override template = `
<section class="counter">
  <h1>Counter</h1>
  <p class="value">{{ count }}</p>
  <button class="dec" dj-click="decrement">−</button>
  <button class="inc" dj-click="increment">+</button>
  <button class="add" dj-click="add" dj-value-amount="10">+10</button>
  <button class="reset" dj-click="reset" {% if count == 0 %}disabled{% endif %}>Reset</button>
  {% if count > 9 %}<p class="big">That is a big number.</p>{% endif %}
</section>`;

  count = signal(0);

  @eventHandler()
  increment(): void {
    this.count.value++;
  }

  @eventHandler()
  decrement(): void {
    this.count.value--;
  }

  @eventHandler()
  add(params: { amount?: string }): void {
    this.count.value += Number(params.amount ?? 1);
  }

  @eventHandler()
  reset(): void {
    this.count.value = 0;
  }
}
