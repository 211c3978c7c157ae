/**
 * Listening for a session's end: every listener of the session hears of it once, a listener that
 * stopped hears nothing, other sessions' listeners hear nothing.
 */
import assert from "node:assert/strict";
import { type SessionEndListener, Sessions } from "../../lib/server/sessions.ts";
import { Signer } from "../../lib/server/tokens.ts";
import { PubSub } from "../../lib/pubsub/pubsub.ts";
import { MemoryPubSub } from "../../lib/pubsub/memory.ts";
import { MemorySessionStore } from "../../lib/session/memory_store.ts";

/** A listener that counts what it heard. */
function counting(): SessionEndListener & { heard: number } {
  return {
    heard: 0,
    sessionEnded() {
      this.heard++;
    },
  };
}

/** Announces the end of the session with `binding`, as a logout does, and lets it arrive. */
async function announce(pubsub: PubSub, binding: string): Promise<void> {
  await pubsub.broadcast("djust:session-ended", binding);
  await new Promise((resolve) => setTimeout(resolve, 0));
}

Deno.test("sessions: listeners of a session hear of its end until they stop listening", async () => {
  const pubsub = new PubSub(new MemoryPubSub());
  const signer = Signer.create("session-end-test");
  const sessions = new Sessions({
    store: new MemorySessionStore(),
    signer: () => signer,
    pubsub,
    cookieName: "sid",
    trustProxy: false,
  });
  try {
    const [a, b, other] = [counting(), counting(), counting()];
    sessions.listen("one", a);
    sessions.listen("one", a); // twice: still told once
    sessions.listen("one", b);
    sessions.listen("two", other);
    await announce(pubsub, "one");
    assert.deepEqual([a.heard, b.heard, other.heard], [1, 1, 0]);

    sessions.unlisten("one", b);
    await announce(pubsub, "one");
    assert.deepEqual([a.heard, b.heard], [2, 1]);

    sessions.unlisten("one", a);
    sessions.unlisten("one", a); // no longer listening: nothing to undo
    await announce(pubsub, "one");
    assert.deepEqual([a.heard, b.heard, other.heard], [2, 1, 0]);

    await announce(pubsub, "two");
    assert.equal(other.heard, 1);
  } finally {
    sessions.close();
  }
});
