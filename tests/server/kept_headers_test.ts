/**
 * What a connection keeps of its socket's request: the visitor's headers (read by name, so the
 * upgrade request Deno keeps for the socket's life builds no header list), and where its pages
 * come from; a view mounted over the socket gets a Request with those headers.
 */
import assert from "node:assert/strict";
import { App, LiveView } from "../../mod.ts";
import { closeConnection, openConnection } from "../../lib/server/app.ts";
import { socketRequest } from "../../lib/server/connection.ts";
import { type HeaderSource, KeptHeaders, VISITOR_HEADERS } from "../../lib/server/kept_headers.ts";
import { SOCKET_PATH } from "../../lib/live/protocol.ts";
import { joinMessage, readCredentials, RecordingTransport } from "../helpers/join.ts";

Deno.test("kept headers: of copies every header; get ignores case; toHeaders gives them back", () => {
  const kept = KeptHeaders.of(new Headers({ "Accept-Language": "de", "X-Custom": "1" }));
  assert.equal(kept.get("accept-language"), "de");
  assert.equal(kept.get("ACCEPT-LANGUAGE"), "de");
  assert.equal(kept.get("x-custom"), "1");
  assert.equal(kept.get("cookie"), null);
  assert.deepEqual([...kept.toHeaders()], [["accept-language", "de"], ["x-custom", "1"]]);
});

Deno.test("kept headers: pick reads only the names asked for, one by one, never iterating", () => {
  const asked: string[] = [];
  const source: HeaderSource = {
    get(name) {
      asked.push(name);
      return name === "cookie" ? "s=1" : name === "upgrade" ? "websocket" : null;
    },
  };
  const kept = KeptHeaders.pick(source, ["cookie", "user-agent"]);
  assert.deepEqual(asked, ["cookie", "user-agent"]);
  assert.equal(kept.get("cookie"), "s=1");
  assert.equal(kept.get("upgrade"), null);
  assert.deepEqual([...kept.toHeaders()], [["cookie", "s=1"]]);
});

Deno.test("kept headers: a socket keeps the visitor's headers and its pages' origin, not the handshake", () => {
  const upgrade = new Request("wss://example.test/_djust/ws", {
    headers: {
      cookie: "s=1",
      "accept-language": "pl",
      "user-agent": "Probe/1",
      "x-forwarded-for": "10.0.0.1",
      "sec-websocket-key": "abc",
      "sec-websocket-version": "13",
      "x-custom": "left out",
    },
  });
  const kept = socketRequest(upgrade);
  assert.equal(kept.origin, "https://example.test");
  assert.deepEqual([...kept.headers.toHeaders()], [
    ["accept-language", "pl"],
    ["cookie", "s=1"],
    ["user-agent", "Probe/1"],
    ["x-forwarded-for", "10.0.0.1"],
  ]);
  assert.equal(socketRequest(new Request("ws://h.test:8000/x")).origin, "http://h.test:8000");
  // App({ socketHeaders }) keeps more.
  assert.equal(socketRequest(upgrade, ["x-custom"]).headers.get("x-custom"), "left out");
  for (const name of VISITOR_HEADERS) assert.equal(name, name.toLowerCase());
});

Deno.test("kept headers: a view mounted over the socket gets the socket's visitor headers", async () => {
  const seen: Record<string, string | null>[] = [];
  class Home extends LiveView {
    static override template = `<p>home</p>`;
  }
  class Other extends LiveView {
    static override template = `<p>other</p>`;
    override mount(request: Request): void {
      const h = request.headers;
      seen.push({
        language: h.get("accept-language"),
        agent: h.get("user-agent"),
        key: h.get("sec-websocket-key"),
        client: h.get("cf-connecting-ip"),
      });
    }
  }
  const app = new App({ secret: "kept-headers-test", socketHeaders: ["CF-Connecting-IP"] });
  app.live("/", Home);
  app.live("/other", Other);
  const credentials = await readCredentials(await app.fetch(new Request("http://t.test/")));
  const transport = new RecordingTransport();
  const connection = openConnection(
    app,
    transport,
    new Request("http://t.test" + SOCKET_PATH, {
      headers: {
        cookie: credentials.cookie,
        "accept-language": "de",
        "user-agent": "Probe/2",
        "sec-websocket-key": "abc",
        "cf-connecting-ip": "203.0.113.9",
      },
    }),
  );
  try {
    await connection.receive(joinMessage(credentials, "http://t.test/"));
    await connection.receive(JSON.stringify({ type: "navigate", ref: 1, url: "/other" }));
    assert.equal(transport.sent.at(-1)?.type, "navigated", JSON.stringify(transport.sent));
    assert.deepEqual(seen, [
      { language: "de", agent: "Probe/2", key: null, client: "203.0.113.9" },
    ]);
  } finally {
    closeConnection(app, connection);
    await app.close();
  }
});
