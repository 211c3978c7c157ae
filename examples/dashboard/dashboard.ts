/** A live dashboard updated by a server timer: counters and a sparkline drawn as inline SVG. */
import { eventHandler, LiveView, signal } from "../../mod.ts";

const POINTS = 30;

/** Every second the server produces a new sample; the page updates without any request. */
export class Dashboard extends LiveView {
  static override template = `
<section class="dashboard">
  <h1>Dashboard</h1>
  <p><span class="requests">{{ requests }}</span> requests · <span class="latency">{{ latency }}</span> ms latency · {% if paused %}<b class="paused">paused</b>{% else %}<b class="live">live</b>{% endif %}</p>
  <svg class="spark" width="300" height="60" viewBox="0 0 300 60"><polyline fill="none" stroke="#3b82f6" stroke-width="2" points="{{ points }}"/></svg>
  <button class="toggle" dj-click="toggle">{% if paused %}Resume{% else %}Pause{% endif %}</button>
</section>`;

  requests = signal(0);
  latency = signal(0);
  paused = signal(false);
  _samples: number[] = [];
  _seed = 7;

  override getContextData(): Record<string, unknown> {
    void this.requests.value; // the sparkline follows each new sample
    const max = Math.max(1, ...this._samples);
    const pts = this._samples.map((v, i) =>
      `${(i * 300) / (POINTS - 1)},${(60 - (v / max) * 56).toFixed(1)}`
    );
    return { points: pts.join(" ") };
  }

  override mount(): void {
    this.setInterval(() => this.tick(), 1000);
  }

  /** One sample (deterministic pseudo-random, so demos and tests are repeatable). */
  tick(): void {
    if (this.paused.value) return;
    this._seed = (this._seed * 1103515245 + 12345) % 2147483648;
    const value = 20 + (this._seed % 80);
    this._samples = [...this._samples, value].slice(-POINTS);
    this.latency.value = value;
    this.requests.value += 1 + (this._seed % 5);
  }

  @eventHandler()
  toggle(): void {
    this.paused.value = !this.paused.value;
  }
}
