/**
 * A live dashboard updated by a server timer: counters and a latency chart drawn as inline SVG,
 * and report panels that load on their own (`assignAsync`) while the rest of the page is live.
 */
import { asyncResult, eventHandler, LiveView, signal } from "../../mod.ts";

/** How long each report takes (a stand-in for slow queries); the flaky one fails. */
export const REPORT_DELAYS = { pages: 300, slow: 1500, flaky: 600 };

/** Waits `ms`, or rejects when `signal` aborts (the view ended, or the panel reloads). */
function delay(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener("abort", () => {
      clearTimeout(timer);
      reject(signal.reason);
    }, { once: true });
  });
}

const POINTS = 30;

// The chart's drawing area in viewBox units (the SVG scales to its container's width): latency
// from 0 to 100 ms upwards, the last POINTS seconds from left to right, the newest at the right.
const LEFT = 44, RIGHT = 628, TOP = 12, BOTTOM = 188;
const MAX_MS = 100;

/** Every second the server produces a new sample; the page updates without any request. */
export class Dashboard extends LiveView {
  // Inside the <svg> only attributes change, so each sample patches a few attributes in place (a
  // dynamic part in the SVG's content would make every change replace the whole <svg>).
  static override template = `
<section class="dashboard">
  <h1>Dashboard</h1>
  <div class="stats">
    <p class="stat"><span class="stat-label">Requests</span> <span class="stat-value requests">{{ requests }}</span></p>
    <p class="stat"><span class="stat-label">Latency</span> <span class="stat-value"><span class="latency">{{ latency }}</span> ms</span></p>
    <p class="stat"><span class="stat-label">Status</span> <span class="stat-value">{% if paused %}<b class="paused">paused</b>{% else %}<b class="live">live</b>{% endif %}</span></p>
  </div>
  <figure class="chart">
    <figcaption>Latency in ms, last ${POINTS} seconds <span class="range">{% if high %}min {{ low }} · avg {{ avg }} · max {{ high }} ms{% else %}waiting for samples…{% endif %}</span></figcaption>
    <svg class="spark" viewBox="0 0 640 220" role="img" aria-label="Latency in milliseconds over the last ${POINTS} seconds">
      <g class="grid" stroke="#d9dee5">
        <line x1="${LEFT}" x2="${RIGHT}" y1="12" y2="12"/><line x1="${LEFT}" x2="${RIGHT}" y1="56" y2="56"/><line x1="${LEFT}" x2="${RIGHT}" y1="100" y2="100"/><line x1="${LEFT}" x2="${RIGHT}" y1="144" y2="144"/><line x1="${LEFT}" x2="${RIGHT}" y1="188" y2="188"/>
      </g>
      <g class="axis" fill="#566272" font-size="12" text-anchor="end">
        <text x="36" y="16">100</text><text x="36" y="60">75</text><text x="36" y="104">50</text><text x="36" y="148">25</text><text x="36" y="192">0</text>
      </g>
      <g class="axis" fill="#566272" font-size="12">
        <text x="${LEFT}" y="212">${POINTS} s ago</text><text x="${RIGHT}" y="212" text-anchor="end">now</text>
      </g>
      <path class="area" fill="#2f5fd0" fill-opacity="0.15" d="{{ area }}"/>
      <polyline class="line" fill="none" stroke="#2f5fd0" stroke-width="2.5" stroke-linejoin="round" stroke-linecap="round" points="{{ points }}"/>
      <circle class="last" fill="#2f5fd0" r="{% if high %}4.5{% else %}0{% endif %}" cx="{{ lastX }}" cy="{{ lastY }}"/>
    </svg>
  </figure>
  <button class="toggle" dj-click="toggle">{% if paused %}Resume{% else %}Pause{% endif %}</button>
  <div class="panels">
    <section class="panel-box pages"><h2>Top pages</h2>{% if pages.loading %}<p class="loading">Loading…</p>{% elif pages.ok %}<ol>{% for p in pages.result %}<li>{{ p.path }} <span class="muted">{{ p.views }}</span></li>{% endfor %}</ol>{% endif %}</section>
    <section class="panel-box slow"><h2>Weekly report</h2>{% if slow.loading %}<p class="loading">Crunching numbers…</p>{% elif slow.ok %}<p>{{ slow.result.visits }} visits, {{ slow.result.signups }} sign-ups</p>{% endif %}</section>
    <section class="panel-box flaky"><h2>Partner API</h2>{% if flaky.loading %}<p class="loading">Asking the partner…</p>{% elif flaky.failed %}<p class="failed">Could not load: {{ flaky.failed }}</p>{% endif %}</section>
  </div>
  <button class="reload secondary" dj-click="reload">Reload panels</button>
</section>`;

  requests = signal(0);
  latency = signal(0);
  paused = signal(false);
  pages = asyncResult<{ path: string; views: number }[]>();
  slow = asyncResult<{ visits: number; signups: number }>();
  flaky = asyncResult<never>();
  _samples: number[] = [];
  _seed = 7;

  override getContextData(): Record<string, unknown> {
    void this.requests.value; // the chart follows each new sample
    const samples = this._samples, n = samples.length;
    const step = (RIGHT - LEFT) / (POINTS - 1);
    const xs = samples.map((_, i) => RIGHT - (n - 1 - i) * step);
    const ys = samples.map((v) => BOTTOM - (Math.min(v, MAX_MS) / MAX_MS) * (BOTTOM - TOP));
    const pts = xs.map((x, i) => `${x.toFixed(1)},${ys[i].toFixed(1)}`);
    return {
      points: pts.join(" "),
      // The area under the line, closed along the bottom axis ("M x y" alone draws nothing).
      area: n ? `M${xs[0].toFixed(1)},${BOTTOM} L${pts.join(" L")} L${RIGHT},${BOTTOM} Z` : "M0,0",
      lastX: n ? RIGHT : 0,
      lastY: n ? ys[n - 1].toFixed(1) : 0,
      low: n ? Math.min(...samples) : 0,
      high: n ? Math.max(...samples) : 0,
      avg: n ? Math.round(samples.reduce((a, b) => a + b, 0) / n) : 0,
    };
  }

  override mount(): void {
    this.setInterval(() => this.tick(), 1000);
    this.loadPanels();
  }

  /** Each panel loads on its own; the chart keeps updating meanwhile. */
  loadPanels(): void {
    this.assignAsync("pages", async (signal) => {
      await delay(REPORT_DELAYS.pages, signal);
      return [
        { path: "/", views: 1280 },
        { path: "/pricing", views: 640 },
        { path: "/docs", views: 512 },
      ];
    });
    this.assignAsync("slow", async (signal) => {
      await delay(REPORT_DELAYS.slow, signal);
      return { visits: 8211, signups: 97 };
    });
    this.assignAsync("flaky", async (signal) => {
      await delay(REPORT_DELAYS.flaky, signal);
      throw new Error("partner API timed out");
    });
  }

  @eventHandler()
  reload(): void {
    this.loadPanels();
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
