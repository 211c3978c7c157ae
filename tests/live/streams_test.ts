/**
 * Streams through the test toolkit (which applies patches with the browser's own code): first
 * render, inserts at either end, upserts by DOM id, deletes, limit, reset, what survives a
 * reconnect, what the server keeps (nothing), and clear errors.
 */
import assert from "node:assert/strict";
import {
  App,
  eventHandler,
  type EventParams,
  LiveView,
  MemorySessionStore,
  signal,
} from "../../mod.ts";
import { connections } from "../../lib/server/app.ts";
import { liveTest, LiveTestError, type LiveViewTest } from "../../lib/testing/mod.ts";
import { streamsOf } from "../../lib/live/streams.ts";

interface Msg {
  id: number;
  text: string;
}

let lastView: Feed | null = null;

class Feed extends LiveView {
  static override template = `<p id="count">{{ count }}</p>` +
    `<ol id="msgs" dj-update="stream">{% for id, m in streams.msgs %}` +
    `<li id="{{ id }}">{{ m.text }}</li>{% endfor %}</ol>`;
  count = signal(0);
  _next = 4;

  override mount(): void {
    lastView = this;
    this.stream("msgs", [{ id: 1, text: "one" }, { id: 2, text: "two" }, { id: 3, text: "three" }]);
  }

  @eventHandler()
  append(p: EventParams): void {
    this.streamInsert<Msg>("msgs", { id: this._next++, text: String(p.text ?? "new") }, {
      limit: p.limit === undefined ? undefined : Number(p.limit),
    });
  }

  @eventHandler()
  prepend(): void {
    this.streamInsert<Msg>("msgs", { id: this._next++, text: "first" }, { at: 0 });
  }

  @eventHandler()
  edit(p: EventParams): void {
    this.streamInsert<Msg>("msgs", { id: Number(p.id), text: "edited" });
  }

  @eventHandler()
  remove(p: EventParams): void {
    this.streamDelete("msgs", `msgs-${p.id}`);
  }

  @eventHandler()
  replaceAll(): void {
    this.stream("msgs", [{ id: 100, text: "fresh" }], { reset: true });
  }

  @eventHandler()
  tick(): void {
    this.count.value++;
  }
}

function items(view: LiveViewTest): string[] {
  return [...view.element("#msgs").children].map((li) => `${li.id}:${li.textContent}`);
}

async function withFeed(
  fn: (view: LiveViewTest, app: App) => void | Promise<void>,
  options: { verifyStreams?: boolean } = {},
): Promise<void> {
  const app = new App({ logger: () => {}, ...options });
  app.live("/feed", Feed);
  try {
    const view = await liveTest(app, "/feed");
    await fn(view, app);
    await view.close();
  } finally {
    await app.close();
  }
}

Deno.test("streams: the first render shows the items; the server keeps none of them", async () => {
  await withFeed((view) => {
    assert.deepEqual(items(view), ["msgs-1:one", "msgs-2:two", "msgs-3:three"]);
    const stream = streamsOf(lastView!).get("msgs");
    assert.equal(stream.pending, false);
    assert.equal(stream.shown, null, "no copy is kept");
    assert.equal([...stream].length, 0);
  });
});

Deno.test("streams: inserts at the end and at the start, one op each", async () => {
  await withFeed(async (view) => {
    await view.event("append", { text: "four" });
    await view.event("prepend");
    assert.deepEqual(items(view), [
      "msgs-5:first",
      "msgs-1:one",
      "msgs-2:two",
      "msgs-3:three",
      "msgs-4:four",
    ]);
    const ops = view.lastPatch()!.ops;
    assert.deepEqual(ops, [{
      op: "stream",
      id: ops[0].id,
      changes: [["msgs-5", 0, '<li id="msgs-5">first</li>']],
    }]);
  });
});

Deno.test("streams: an item sent again replaces it in place; a delete removes it", async () => {
  await withFeed(async (view) => {
    await view.event("edit", { id: "2" });
    await view.event("remove", { id: "1" });
    assert.deepEqual(items(view), ["msgs-2:edited", "msgs-3:three"]);
  });
});

Deno.test("streams: limit trims the far end in the browser", async () => {
  await withFeed(async (view) => {
    await view.event("append", { text: "four", limit: "-3" });
    assert.deepEqual(items(view), ["msgs-2:two", "msgs-3:three", "msgs-4:four"]);
    await view.event("append", { text: "five", limit: "2" });
    assert.deepEqual(items(view), ["msgs-2:two", "msgs-3:three"]);
  });
});

Deno.test("streams: reset replaces everything the browser shows", async () => {
  await withFeed(async (view) => {
    await view.event("replaceAll");
    assert.deepEqual(items(view), ["msgs-100:fresh"]);
  });
});

Deno.test("streams: other changes to the view do not touch the stream", async () => {
  await withFeed(async (view) => {
    await view.event("tick");
    assert.deepEqual(view.lastPatch()!.ops.map((o) => o.op), ["text"]);
    assert.equal(items(view).length, 3);
  });
});

Deno.test("streams: the items survive a reconnect (the rejoin's render keeps them)", async () => {
  await withFeed(async (view) => {
    await view.event("append", { text: "four" });
    await view.disconnect();
    await view.reconnect();
    assert.equal(view.lastJoin(), "reattached");
    assert.deepEqual(items(view), ["msgs-1:one", "msgs-2:two", "msgs-3:three", "msgs-4:four"]);
    await view.event("append", { text: "five" });
    assert.equal(items(view).at(-1), "msgs-5:five");
  });
});

Deno.test("streams: with verifyStreams, a fresh render shows what the browser shows", async () => {
  await withFeed(async (view, app) => {
    await view.event("append", { text: "four", limit: "-3" });
    await view.event("prepend");
    await view.event("remove", { id: "3" });
    const mounted = [...connections(app)][0].mounted!;
    const fresh = mounted.renderFresh().replace(/ dj="[^"]*"/g, "");
    const shown = view.html().replace(/ dj="[^"]*"/g, "");
    assert.equal(fresh, shown);
  }, { verifyStreams: true });
});

Deno.test("streams: a stream element without an id or with other content is a clear error", async () => {
  for (
    const template of [
      `<ol dj-update="stream">{% for id, m in streams.x %}<li id="{{ id }}">x</li>{% endfor %}</ol>`,
      `<ol id="a" dj-update="stream"><li>static</li>{% for id, m in streams.x %}{% endfor %}</ol>`,
    ]
  ) {
    class Broken extends LiveView {
      static override template = template;
    }
    const app = new App({ logger: () => {} });
    app.live("/x", Broken);
    try {
      const response = await app.fetch(new Request("http://localhost/x"));
      assert.equal(response.status, 500);
      assert.match(await response.text(), /needs a static id and one \{% for id, item in streams/);
    } finally {
      await app.close();
    }
  }
  class NotAStream extends LiveView {
    static override template =
      `<ol id="a" dj-update="stream">{% for id, m in items %}<li id="{{ id }}">x</li>{% endfor %}</ol>`;
    items = signal([["a", 1]]);
  }
  const app = new App({ logger: () => {} });
  app.live("/x", NotAStream);
  try {
    const response = await app.fetch(new Request("http://localhost/x"));
    assert.match(await response.text(), /must iterate a stream \(streams\.NAME\)/);
  } finally {
    await app.close();
  }
  void LiveTestError;
});

Deno.test("streams: after a restart the view's mount streams again; the browser keeps its items", async () => {
  const store = new MemorySessionStore();
  const make = () => {
    const app = new App({ secret: "streams-restart", sessionStore: store, logger: () => {} });
    app.live("/feed", Feed);
    return app;
  };
  const first = make();
  const view = await liveTest(first, "/feed");
  await view.event("append", { text: "four" });
  await view.event("tick");
  await view.disconnect();
  await first.close(); // the process ends
  const second = make();
  await view.reconnect({ app: second });
  assert.equal(view.lastJoin(), "restored");
  assert.equal(view.text("#count"), "1", "the state came back");
  // The mount streamed its three items again (replaced in place); the fourth stayed.
  assert.deepEqual(items(view), ["msgs-1:one", "msgs-2:two", "msgs-3:three", "msgs-4:four"]);
  await view.close();
  await second.close();
});
