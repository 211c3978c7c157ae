/**
 * `streams` and `uploads` in a view's templates: their registries are made when a template reads
 * them (or the view streams or allows an upload), and a read tracks them as a signal's would.
 */
import assert from "node:assert/strict";
import { effect, type Signal, signal } from "@preact/signals-core";
import { App, eventHandler, LiveView } from "../../mod.ts";
import { DeferredSignal } from "../../lib/live/deferred_signal.ts";
import { isSignal } from "../../lib/template/values.ts";
import { existingUploadsOf } from "../../lib/live/uploads/index.ts";
import { liveTest } from "../../lib/testing/mod.ts";
import { connections } from "../../lib/server/app.ts";

Deno.test("deferred signal: made on first read, read as a signal, tracked by effects", () => {
  const made: Signal<number>[] = [];
  const owner = {};
  const lazy = new DeferredSignal(owner, () => made[0] ??= signal(1));
  assert.equal(made.length, 0);
  assert.ok(isSignal(lazy));
  const seen: number[] = [];
  const stop = effect(() => {
    seen.push(lazy.value);
  });
  assert.equal(made.length, 1);
  made[0].value = 2;
  assert.equal(lazy.peek(), 2);
  assert.deepEqual(seen, [1, 2]);
  stop();
});

class Plain extends LiveView {
  static override template = `<p>{{ n }}</p>`;
  n = signal(0);
}

class Streaming extends LiveView {
  static override template =
    `<ol id="items" dj-update="stream">{% for id, item in streams.items %}` +
    `<li id="{{ id }}">{{ item.text }}</li>{% endfor %}</ol>`;

  override mount(): void {
    this.stream("items", [{ id: 1, text: "first" }]);
  }

  @eventHandler()
  add(): void {
    this.streamInsert("items", { id: 2, text: "second" });
  }
}

Deno.test("deferred signal: a view whose template reads no uploads gets no upload registry", async () => {
  const app = new App({ secret: "deferred-test" });
  app.live("/", Plain);
  const view = await liveTest(app, "/");
  try {
    const [connection] = connections(app);
    const mounted = connection.mounted!;
    assert.equal(existingUploadsOf(mounted.view), undefined);
  } finally {
    await view.close();
  }
});

Deno.test("deferred signal: a view that streams shows its stream through the deferred `streams`", async () => {
  const app = new App({ secret: "deferred-test" });
  app.live("/", Streaming);
  const view = await liveTest(app, "/");
  try {
    assert.equal(view.text("#items"), "first");
    await view.event("add");
    assert.equal(view.text("#items"), "firstsecond");
  } finally {
    await view.close();
  }
});
