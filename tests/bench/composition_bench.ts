/**
 * Composition benchmarks, each printed with its ratio against a baseline measured in the same run:
 * 1. one live component's event (a card's vote, sent to it with dj-target) in a page of 1000 cards
 *    vs a page of 10, server side from the frame in to the bytes out (target ≤ 2×), and the bytes
 *    sent for it;
 * 2. server heap per view of such boards (1000 cards vs 10), to show what a component costs;
 * 3. server heap of a view after it streamed 100 000 messages vs one that streamed 10, each message
 *    sent in its own render as a chat does (target ≤ 1.2×: the server keeps no copy of streamed
 *    items).
 *
 * The machine is shared: the event cases run in alternating rounds and keep their best median.
 *
 *   deno run -A --v8-flags=--expose-gc tests/bench/composition_bench.ts
 */
import v8 from "node:v8";
import { App, eventHandler, LiveComponent, LiveView, signal } from "../../mod.ts";
import { closeConnection } from "../../lib/server/app.ts";
import { type InProcessPage, openPage } from "../helpers/join.ts";

interface Item {
  id: number;
  title: string;
}

/** A kanban-style card, as examples/kanban writes one. */
class Card extends LiveComponent {
  static override template = `<article class="card" id="card-{{ id }}"><h3>{{ title }}</h3>
<button class="vote" dj-click="vote" dj-target="{{ myself }}">▲ <span class="votes">{{ votes }}</span></button>
<button dj-click="remove" dj-value-id="{{ id }}">✕</button></article>`;
  title = signal("");
  votes = signal(0);
  @eventHandler()
  vote(): void {
    this.votes.value++;
  }
}

class Board extends LiveView {
  static override components = { card: Card };
  static override template = `<h1>Board ({{ items|length }})</h1>
<ul class="cards">{% for item in items %}<li dj-key="{{ item.id }}">{% live_component "card" id=item.id title=item.title %}</li>{% endfor %}</ul>`;
  items = signal<Item[]>([]);
  override mount(request: Request): void {
    const n = Number(new URL(request.url).searchParams.get("n"));
    this.items.value = Array.from({ length: n }, (_, i) => ({ id: i + 1, title: `Card ${i + 1}` }));
  }
  @eventHandler()
  remove(): void {}
}

interface Message {
  id: number;
  from: string;
  text: string;
}

/** A chat that streams every message it receives, as examples/stream_chat does. */
class StreamedChat extends LiveView {
  static override template = `<h1>{{ count }} messages</h1>
<ol id="history" dj-update="stream">{% for id, m in streams.messages %}<li id="{{ id }}"><b>{{ m.from }}</b>: {{ m.text }}</li>{% endfor %}</ol>`;
  count = signal(0);
  receive(message: Message): void {
    this.count.value++;
    this.streamInsert("messages", message, { limit: -300 });
  }
}

const app = new App({ secret: "bench", logger: () => {}, maxEventsPerSecond: Infinity });
app.live("/board", Board);
app.live("/chat", StreamedChat);

const gc = (globalThis as { gc?: () => void }).gc;
/**
 * The heap after full collections, compiled code left out: the JIT keeps compiling while a bench
 * runs (streaming 100 000 messages makes code hot that 10 never do), and that is not what a view
 * holds.
 */
function heap(): number {
  gc?.();
  gc?.();
  let code = 0;
  for (const space of v8.getHeapSpaceStatistics()) {
    if (/code|trusted/.test(space.space_name)) code += space.space_used_size;
  }
  return Deno.memoryUsage().heapUsed - code;
}

/** The target (`dj-target`) of card `id` in a page. */
function targetOf(page: InProcessPage, id: number): string {
  return new RegExp(`id="card-${id}"[^]*?dj-target="([^"]+)"`).exec(page.page)![1];
}

/** Median µs of `count` votes on card 7 of `page`; the bytes of the last reply. */
async function votes(page: InProcessPage, count: number, from: number): Promise<[number, number]> {
  const target = targetOf(page, 7);
  const times: number[] = [];
  let bytes = 0;
  for (let i = 0; i < count; i++) {
    const t0 = performance.now();
    await page.connection.receive(
      JSON.stringify({ type: "event", ref: from + i, name: "vote", params: {}, target }),
    );
    times.push(performance.now() - t0);
    bytes = page.transport.frames.at(-1)?.length ?? 0;
    page.transport.frames.length = page.transport.sent.length = 0;
  }
  times.sort((a, b) => a - b);
  return [times[count >> 1] * 1000, bytes];
}

let ok = true;
const f = (x: number) => `${x.toFixed(1).padStart(6)} µs`;

// The heap figures first: the boards below leave much garbage behind for the collector.
console.log("composition_bench: server heap of a chat view after streaming N messages");
/** Chat views that stream messages, one render per message, as `handleInfo` and a flush do. */
async function openChats(views: number): Promise<InProcessPage[]> {
  const pages: InProcessPage[] = [];
  for (let v = 0; v < views; v++) {
    const page = await openPage(app, "/chat", "http://bench.test");
    await page.join();
    pages.push(page);
  }
  return pages;
}
function stream(pages: InProcessPage[], from: number, to: number): void {
  for (const page of pages) {
    const view = page.connection.mounted!.view as StreamedChat;
    for (let i = from; i < to; i++) {
      view.receive({ id: i, from: `user${i % 7}`, text: `Message number ${i}` });
      page.connection.mounted!.flush();
      page.transport.frames.length = page.transport.sent.length = 0;
    }
  }
}
/** Heap after what closed views left (saves, timers) has settled. */
async function settledHeap(): Promise<number> {
  await new Promise((resolve) => setTimeout(resolve, 100));
  return heap();
}

/** Heap per view of 30 chat views after 10 messages each, then after 100 000 each. */
async function measureChats(): Promise<[number, number]> {
  const base = await settledHeap();
  const chats = await openChats(30);
  stream(chats, 0, 10);
  const few = (await settledHeap() - base) / chats.length;
  stream(chats, 10, 100_000);
  const many = (await settledHeap() - base) / chats.length;
  for (const page of chats) closeConnection(app, page.connection);
  return [few, many];
}
// The first pass also grows V8's compiled code and caches (process-wide, once): the second shows
// what the views themselves hold.
await measureChats();
const [few, many] = await measureChats();
const heapRatio = many / few;
ok &&= heapRatio <= 1.2;
console.log(
  `  after 10 messages: ${(few / 1024).toFixed(1)} KB per view   after 100 000: ${
    (many / 1024).toFixed(1)
  } KB per view   ratio ${heapRatio.toFixed(2)}× (target ≤ 1.2×)`,
);
if (!gc) console.log("  (run with --v8-flags=--expose-gc for stable heap figures)");

console.log("composition_bench: one live component's event, 1000 vs 10 cards (best median)");
const small = await openPage(app, "/board?n=10", "http://bench.test");
const large = await openPage(app, "/board?n=1000", "http://bench.test");
await small.join();
await large.join();
await votes(small, 300, 1);
await votes(large, 300, 1);
{
  // The reply is a patch of that card only (an error would also be fast).
  const target = targetOf(large, 7);
  const [reply] = await large.send({ type: "event", ref: 1, name: "vote", params: {}, target });
  if (reply.type !== "patch") throw new Error(`the vote failed: ${JSON.stringify(reply)}`);
}
let best = [Infinity, Infinity], bytes = [0, 0];
for (let round = 0; round < 5; round++) {
  const [a, ab] = await votes(small, 500, 1000 + round * 1000);
  const [b, bb] = await votes(large, 500, 1000 + round * 1000);
  best = [Math.min(best[0], a), Math.min(best[1], b)];
  bytes = [ab, bb];
}
const ratio = best[1] / best[0];
ok &&= ratio <= 2;
console.log(
  `  vote with dj-target        10 cards ${f(best[0])}   1000 cards ${f(best[1])}   ratio ${
    ratio.toFixed(2)
  }× (target ≤ 2×); ${bytes[0]} vs ${bytes[1]} bytes on the wire`,
);
closeConnection(app, small.connection);
closeConnection(app, large.connection);

console.log("composition_bench: server heap per board view (20 views each)");
async function boardHeap(n: number): Promise<number> {
  const before = heap();
  const pages: InProcessPage[] = [];
  for (let i = 0; i < 20; i++) {
    const page = await openPage(app, `/board?n=${n}`, "http://bench.test");
    await page.join();
    page.transport.frames.length = page.transport.sent.length = 0;
    pages.push(page);
  }
  const used = (heap() - before) / pages.length;
  for (const page of pages) closeConnection(app, page.connection);
  return used;
}
const heapSmall = await boardHeap(10), heapLarge = await boardHeap(1000);
console.log(
  `  10 cards ${(heapSmall / 1024).toFixed(0)} KB   1000 cards ${
    (heapLarge / 1024).toFixed(0)
  } KB   ≈ ${((heapLarge - heapSmall) / 990).toFixed(0)} B per card (state, regions, renderer)`,
);

await app.close();
if (!ok) console.log("composition_bench: a target was missed");
