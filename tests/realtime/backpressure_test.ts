import assert from "node:assert/strict";
import { App, LiveView, signal } from "../../mod.ts";
import { closeConnection } from "../../lib/server/app.ts";
import { openPage } from "../helpers/join.ts";
import { pause, waitFor } from "../helpers/wait.ts";

class Pushy extends LiveView {
  static override template = `<p id="n">{{ n }}</p>`;
  n = signal(0);
  override mount(): void {
    this.subscribe("bump");
  }
  override handleInfo(): void {
    this.n.value++;
  }
}

async function setup() {
  const app = new App({
    secret: "bp",
    logger: () => {},
    softBufferBytes: 1000,
    hardBufferBytes: 5000,
  });
  app.live("/", Pushy);
  const page = await openPage(app, "/");
  await page.join();
  page.transport.sent.length = 0;
  return { app, connection: page.connection, transport: page.transport };
}

Deno.test("backpressure: pushes to a client that is behind are held, then sent as one patch", async () => {
  const { app, connection, transport } = await setup();
  transport.bufferedAmount = 2000; // over the soft mark
  for (let i = 0; i < 5; i++) await app.pubsub.broadcast("bump", i);
  await pause(30);
  assert.equal(transport.sent.length, 0, "nothing sent while the client is behind");
  transport.bufferedAmount = 0;
  await waitFor(() => transport.sent.length > 0, "the held patch");
  await pause(60); // time for a second (wrong) patch to show up
  assert.equal(transport.sent.length, 1, "one coalesced patch");
  assert.deepEqual(transport.sent[0], { type: "patch", ops: [{ op: "text", id: "1", text: "5" }] });
  closeConnection(app, connection);
  await app.close();
});

Deno.test("backpressure: a client past the high-water mark is disconnected", async () => {
  const { app, connection, transport } = await setup();
  transport.bufferedAmount = 10_000; // over the hard mark
  await app.pubsub.broadcast("bump", 1);
  await waitFor(() => transport.closed !== null, "the slow client to be closed");
  assert.equal(transport.closed, 1008);
  assert.equal(connection.mounted, null, "the view was released");
  assert.equal(transport.sent.length, 0);
  await app.close();
});
