/** A chat room with an online list: pub/sub for messages, presence for who is here. */
import { eventHandler, LiveView, type PresenceList, signal } from "../../mod.ts";

/** One chat message. */
export interface Message {
  id: string;
  from: string;
  text: string;
}

const TOPIC = "chat:lobby";

/** Joins the lobby under a name; messages and presence reach every process sharing the pub/sub. */
export class Chat extends LiveView {
  static override template = `
<section class="chat">
  <h1>Chat</h1>
  <p class="me">You are <b class="name">{{ name }}</b></p>
  <h2>Online ({{ online|length }})</h2>
  <ul class="online">{% for who, entry in online %}<li dj-key="{{ who }}">{{ who }}{% if entry.metas|length > 1 %} ({{ entry.metas|length }} tabs){% endif %}</li>{% endfor %}</ul>
  <ol class="messages">{% for m in messages %}<li dj-key="{{ m.id }}"><b>{{ m.from }}</b>: {{ m.text }}</li>{% empty %}<li class="empty">No messages yet.</li>{% endfor %}</ol>
  <form class="send" dj-submit="send"><input name="text" placeholder="Say something" autocomplete="off"> <button>Send</button></form>
</section>`;

  name = signal("");
  messages = signal<Message[]>([]);
  online = signal<[string, PresenceList[string]][]>([]);

  override mount(request: Request): void {
    const asked = new URL(request.url).searchParams.get("name") ?? "";
    this.name.value = asked.trim().slice(0, 30) || String(this.session.get("name") ?? "") ||
      `guest-${crypto.randomUUID().slice(0, 4)}`;
    this.session.set("name", this.name.value);
    this.subscribe(TOPIC);
    this.trackPresence(TOPIC, this.name.value, { since: Date.now() });
    this.#refreshOnline();
  }

  override handleInfo(message: unknown): void {
    this.messages.value = [...this.messages.value, message as Message].slice(-50);
  }

  override handlePresenceDiff(): void {
    this.#refreshOnline();
  }

  #refreshOnline(): void {
    this.online.value = Object.entries(this.listPresence(TOPIC)).sort(([a], [b]) =>
      a.localeCompare(b)
    );
  }

  @eventHandler()
  send(params: { text?: unknown }): void {
    const text = String(params.text ?? "").trim().slice(0, 500);
    if (!text) return;
    void this.broadcast(TOPIC, { id: crypto.randomUUID(), from: this.name.value, text });
  }
}
