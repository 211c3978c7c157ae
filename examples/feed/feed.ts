/** A live dashboard fed by `app.pubsub.broadcast` from a plain HTTP POST endpoint, plus a timer. */
import { type App, LiveView, signal } from "../../mod.ts";

/** One feed entry. */
export interface FeedItem {
  id: string;
  text: string;
  at: string;
}

const TOPIC = "feed";

/** Shows posted items as they arrive and a server clock ticking every second. */
export class Feed extends LiveView {
  static override template = `
<section class="feed">
  <h1>Live feed</h1>
  <p>Post with <code>curl -X POST -d 'text=hello' {{ origin }}/feed/post</code> — every open page updates.</p>
  <p class="clock">Server time: <time>{{ now }}</time> · {{ count }} item{{ count|pluralize }}</p>
  <ul class="items">{% for item in items %}<li dj-key="{{ item.id }}"><time>{{ item.at }}</time> {{ item.text }}</li>{% empty %}<li class="empty">Nothing yet.</li>{% endfor %}</ul>
</section>`;

  items = signal<FeedItem[]>([]);
  count = signal(0);
  now = signal(clock());
  origin = "";

  override mount(request: Request): void {
    this.origin = new URL(request.url).origin;
    this.subscribe(TOPIC);
    this.setInterval(() => (this.now.value = clock()), 1000);
  }

  override handleInfo(message: unknown): void {
    this.items.value = [message as FeedItem, ...this.items.value].slice(0, 20);
    this.count.value++;
  }
}

function clock(): string {
  return new Date().toISOString().slice(11, 19);
}

/**
 * Adds `POST /feed/post` (form or JSON `{text}`), which broadcasts to every Feed view. It is an API
 * for other programs (curl, a webhook), not a form of this site, so it opts out of the CSRF check
 * that plain POST handlers get; a real one would check its own credentials.
 */
export function addFeedEndpoint(app: App): void {
  app.post("/feed/post", async (request) => {
    let text = "";
    const type = request.headers.get("content-type") ?? "";
    try {
      if (type.includes("json")) text = String((await request.json()).text ?? "");
      else text = String((await request.formData()).get("text") ?? "");
    } catch {
      return new Response("Expected a form field or JSON property 'text'\n", { status: 400 });
    }
    text = text.trim().slice(0, 500);
    if (!text) return new Response("Empty text\n", { status: 400 });
    const item: FeedItem = { id: crypto.randomUUID(), text, at: clock() };
    await app.pubsub.broadcast(TOPIC, item);
    return new Response("posted\n", { status: 201 });
  }, { csrf: false });
}
