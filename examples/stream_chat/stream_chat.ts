/**
 * A chat whose history is a stream: the server sends the last messages and forgets them; scrolling
 * up loads older ones; new messages from any tab arrive at the bottom, and the browser keeps at most
 * the newest 300 (`limit`). However long the history, the view holds no copy of it.
 *
 * The list is newest first in the DOM and shown bottom-up (`flex-direction: column-reverse` in the
 * stylesheet): the browser then opens it scrolled to the newest message and keeps the reader's place
 * as older pages arrive above, with no script. So new messages go in at 0, older pages at the end,
 * and the "top" the reader scrolls to is the list's last child (`dj-viewport-bottom`).
 */
import { eventHandler, type EventParams, LiveView, signal } from "../../mod.ts";

/** One message of the history. */
export interface HistoryMessage {
  id: number;
  from: string;
  text: string;
  at: string;
}

const TOPIC = "stream-chat:lobby";
/** Messages sent per page (first load and each older page). */
export const PAGE = 30;
/** Messages the browser keeps when new ones arrive. */
export const KEEP = 300;

/** The room's history (one per process; a real app keeps it in a database). */
class History {
  readonly messages: HistoryMessage[] = [];

  constructor() {
    const names = ["ann", "bo", "cy", "dee"];
    for (let i = 0; i < 5000; i++) {
      this.add(names[i % names.length], `Message number ${i + 1}`);
    }
  }

  add(from: string, text: string): HistoryMessage {
    const id = this.messages.length + 1;
    const minutes = String(id % 60).padStart(2, "0");
    const message = { id, from, text, at: `${String(8 + (id % 10)).padStart(2, "0")}:${minutes}` };
    this.messages.push(message);
    return message;
  }

  /** Up to `count` messages before the message with id `before` (oldest first). */
  before(before: number, count: number): HistoryMessage[] {
    const end = Math.max(0, before - 1);
    return this.messages.slice(Math.max(0, end - count), end);
  }
}

const history = new History();

/** The streamed chat room. */
export class StreamChat extends LiveView {
  static override template = `
<section class="stream-chat">
  <h1>Streamed chat</h1>
  <p class="hint">{{ total }} messages in the history; scroll up for older ones.{% if atStart %} <b class="start">That is the beginning.</b>{% endif %}</p>
  <ol id="history" class="history" dj-update="stream" dj-viewport-bottom="older">{% for id, m in streams.messages %}<li id="{{ id }}"><span class="when">{{ m.at }}</span><b>{{ m.from }}</b>: {{ m.text }}</li>{% endfor %}</ol>
  <form class="send" dj-submit="send"><input name="text" placeholder="Say something" autocomplete="off" maxlength="500"> <button>Send</button></form>
</section>`;

  /** The id of the oldest message sent (older pages start before it). */
  oldest = signal(0);
  atStart = signal(false);
  total = signal(history.messages.length);

  override mount(): void {
    this.subscribe(TOPIC);
    const last = history.messages.slice(-PAGE);
    this.oldest.value = last[0]?.id ?? 0;
    this.atStart.value = this.oldest.value <= 1;
    this.stream("messages", last.reverse(), { reset: true });
  }

  /** The oldest message shown came into view: send the page before it (shown above it). */
  @eventHandler()
  older(): void {
    if (this.atStart.value) return;
    const page = history.before(this.oldest.value, PAGE);
    if (!page.length) return;
    this.oldest.value = page[0].id;
    this.atStart.value = this.oldest.value <= 1;
    this.stream("messages", page.reverse());
  }

  @eventHandler()
  send(params: EventParams): void {
    const text = String(params.text ?? "").trim().slice(0, 500);
    if (!text) return;
    const name = String(this.session.get("name") ?? "") || "guest";
    void this.broadcast(TOPIC, history.add(name, text));
  }

  /** A new message from any tab: shown at the bottom; beyond KEEP the oldest go. */
  override handleInfo(message: unknown): void {
    this.total.value = history.messages.length;
    this.streamInsert("messages", message as HistoryMessage, { at: 0, limit: KEEP });
  }
}
