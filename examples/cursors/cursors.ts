/** Collaborative cursors: every connected user's pointer, shown to the others (throttled). */
import { eventHandler, LiveView, signal } from "../../mod.ts";

/** A pointer position, in percent of the board. */
export interface Cursor {
  x: number;
  y: number;
  color: string;
}

const TOPIC = "cursors";
// Mid-tones: at least 3.5:1 against both the light and the dark board.
const COLORS = ["#e0324f", "#2b8a3e", "#4c6ef5", "#d9480f", "#ae3ec9", "#0c8599", "#d6336c"];

/** Moves are throttled in the browser (dj-throttle) and broadcast to the other views. */
export class Cursors extends LiveView {
  static override template = `
<section class="cursors">
  <h1>Cursors</h1>
  <p>You are <b class="name" style="color: {{ color }}">{{ name }}</b>. Open this page twice and move the mouse over the board.</p>
  <div class="board" dj-mousemove="move" dj-throttle="40" style="position: relative; height: 360px; overflow: hidden">
    {% for who, c in others %}<span dj-key="{{ who }}" class="cursor" data-who="{{ who }}" style="position: absolute; left: {{ c.x }}%; top: {{ c.y }}%; color: {{ c.color }}; pointer-events: none">▲ {{ who }}</span>{% endfor %}
  </div>
</section>`;

  name = signal("");
  color = signal(COLORS[0]);
  others = signal<[string, Cursor][]>([]);
  _positions = new Map<string, Cursor>();

  override mount(request: Request): void {
    const asked = new URL(request.url).searchParams.get("name") ?? "";
    this.name.value = asked.trim().slice(0, 20) || `user-${crypto.randomUUID().slice(0, 4)}`;
    this.color.value = COLORS[Math.abs(hash(this.name.value)) % COLORS.length];
    this.subscribe(TOPIC);
    this.trackPresence(TOPIC, this.name.value, {});
  }

  override handleInfo(message: unknown): void {
    const m = message as { who: string } & Cursor;
    if (m.who === this.name.value) return;
    this._positions.set(m.who, { x: m.x, y: m.y, color: m.color });
    this.#publish();
  }

  override handlePresenceDiff(diff: { leaves: Record<string, unknown> }): void {
    const present = this.listPresence(TOPIC);
    for (const who of Object.keys(diff.leaves)) if (!present[who]) this._positions.delete(who);
    this.#publish();
  }

  #publish(): void {
    this.others.value = [...this._positions].sort(([a], [b]) => a.localeCompare(b));
  }

  @eventHandler()
  move(params: { x?: unknown; y?: unknown }): void {
    const x = clamp(Number(params.x)), y = clamp(Number(params.y));
    void this.broadcast(TOPIC, { who: this.name.value, x, y, color: this.color.value }, {
      exceptSelf: true,
    });
  }
}

function clamp(n: number): number {
  return Number.isFinite(n) ? Math.min(100, Math.max(0, Math.round(n * 10) / 10)) : 0;
}

function hash(text: string): number {
  let h = 0;
  for (const ch of text) h = (h * 31 + ch.charCodeAt(0)) | 0;
  return h;
}
