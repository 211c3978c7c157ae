/**
 * The one way tests get a page's join credentials and join it: over HTTP + WebSocket for separate
 * processes, or in-process over a recording transport.
 */
import { CSRF_META, PROTOCOL_VERSION, SOCKET_PATH, TOKEN_ATTR } from "../../lib/live/protocol.ts";
import { type App, openConnection } from "../../lib/server/app.ts";
import type { Connection, Transport } from "../../lib/server/connection.ts";

/** What a page gives its client for the join. */
export interface PageCredentials {
  /** The whole page. */
  page: string;
  token: string;
  csrf: string;
  /** `name=value` of the cookies the response set, joined for a Cookie header. */
  cookie: string;
}

/** Reads the join token, CSRF token and cookies from a page response. */
export async function readCredentials(response: Response): Promise<PageCredentials> {
  const page = await response.text();
  const token = new RegExp(`${TOKEN_ATTR}="([^"]+)"`).exec(page)?.[1];
  const csrf = new RegExp(`name="${CSRF_META}" content="([^"]+)"`).exec(page)?.[1];
  if (!token || !csrf) {
    throw new Error(`not a live page (${response.status}): ${page.slice(0, 200)}`);
  }
  const cookie = response.headers.getSetCookie().map((c) => c.split(";")[0]).join("; ");
  return { page, token, csrf, cookie };
}

/** The join message for `credentials` on `url`. */
export function joinMessage(credentials: PageCredentials, url: string): string {
  const { token, csrf } = credentials;
  return JSON.stringify({ type: "join", token, csrf, url, v: PROTOCOL_VERSION });
}

/** A transport that records what the server sends. */
export class RecordingTransport implements Transport {
  sent: Record<string, unknown>[] = [];
  /** Raw frames as sent. */
  frames: string[] = [];
  bufferedAmount = 0;
  closed: number | null = null;
  send(text: string): void {
    this.frames.push(text);
    this.sent.push(JSON.parse(text));
  }
  close(code?: number): void {
    this.closed = code ?? 1000;
  }
}

/** An in-process connection to a page of `app`. */
export interface InProcessPage extends PageCredentials {
  connection: Connection;
  transport: RecordingTransport;
  /** Sends a message (object or raw text) and returns what the server answered to it. */
  send(message: unknown): Promise<Record<string, unknown>[]>;
  /** Sends the page's join and returns the answer. */
  join(): Promise<Record<string, unknown>[]>;
}

/** Renders `path` through `app.fetch` and opens an in-process connection with its cookie. */
export async function openPage(
  app: App,
  path: string,
  origin = "http://t.test",
): Promise<InProcessPage> {
  const credentials = await readCredentials(await app.fetch(new Request(origin + path)));
  const transport = new RecordingTransport();
  const connection = openConnection(
    app,
    transport,
    new Request(origin + SOCKET_PATH, { headers: { cookie: credentials.cookie } }),
  );
  const send = async (message: unknown) => {
    transport.sent.length = 0;
    await connection.receive(typeof message === "string" ? message : JSON.stringify(message));
    return [...transport.sent];
  };
  return {
    ...credentials,
    connection,
    transport,
    send,
    join: () => send(joinMessage(credentials, origin + path)),
  };
}
