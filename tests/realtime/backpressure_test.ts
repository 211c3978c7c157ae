import assert from "node:assert/strict";
import { App, LiveView, signal } from "../../mod.ts";

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

const wait = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function setup() {
  const app = new App({
    secret: "bp",
    logger: () => {},
    softBufferBytes: 1000,
    hardBufferBytes: 5000,
  });
  app.live("/", Pushy);
  const res = await app.fetch(new Request("http://t.test/"));
  const page = await res.text();
  const token = /data-dj-token="([^"]+)"/.exec(page)![1];
  const csrf = /name="dj-csrf" content="([^"]+)"/.exec(page)![1];
  const cookie = res.headers.get("set-cookie")!.split(";")[0];
  const transport = {
    sent: [] as Record<string, unknown>[],
    bufferedAmount: 0,
    closed: null as null | number,
    send(text: string) {
      this.sent.push(JSON.parse(text));
    },
    close(code?: number) {
      this.closed = code ?? 1000;
    },
  };
  const session = app.connect(
    transport,
    new Request("http://t.test/_djust/ws", { headers: { cookie } }),
  );
  await session.receive(JSON.stringify({ type: "join", token, csrf, url: "/", v: 1 }));
  transport.sent.length = 0;
  return { app, session, transport };
}

Deno.test("backpressure: pushes to a client that is behind are held, then sent as one patch", async () => {
  const { app, session, transport } = await setup();
  transport.bufferedAmount = 2000; // over the soft mark
  for (let i = 0; i < 5; i++) await app.pubsub.broadcast("bump", i);
  await wait(30);
  assert.equal(transport.sent.length, 0, "nothing sent while the client is behind");
  transport.bufferedAmount = 0;
  await wait(120);
  assert.equal(transport.sent.length, 1, "one coalesced patch");
  assert.deepEqual(transport.sent[0], { type: "patch", ops: [{ op: "text", id: "1", text: "5" }] });
  app.disconnect(session);
  await app.close();
});

Deno.test("backpressure: a client past the high-water mark is disconnected", async () => {
  const { app, session, transport } = await setup();
  transport.bufferedAmount = 10_000; // over the hard mark
  await app.pubsub.broadcast("bump", 1);
  await wait(30);
  assert.equal(transport.closed, 1008);
  assert.equal(session.mounted, null, "the view was released");
  assert.equal(transport.sent.length, 0);
  await app.close();
});
