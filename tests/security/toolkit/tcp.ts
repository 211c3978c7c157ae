/**
 * A WebSocket client on a bare TCP socket, for what Deno's WebSocket cannot do: never reading
 * (a client that does not drain) and sending frames of any size without buffering them.
 * @module
 */
import { type FixtureServer, within } from "./process.ts";
import type { ServerFrame } from "./ws.ts";

const encoder = new TextEncoder();

/**
 * A WebSocket client on a bare TCP socket: it reads nothing unless asked (a client that never
 * drains), and writes frames of any size itself (Deno's WebSocket would buffer them).
 */
export class TcpWsClient {
  #conn: Deno.TcpConn;
  /** Received bytes not yet parsed: `#buffer[#start, #end)` (grown by doubling). */
  #buffer = new Uint8Array(1024 * 1024);
  #start = 0;
  #end = 0;
  /** The read in flight, if any (reads happen only while a caller waits for a frame). */
  #reading: Promise<void> | null = null;
  #eof = false;
  #closed = false;

  private constructor(conn: Deno.TcpConn, leftover: Uint8Array) {
    this.#conn = conn;
    this.#append(leftover);
  }

  /** Connects and upgrades (reads only the handshake response). */
  static async connect(
    server: FixtureServer,
    options: { cookie?: string; origin?: string } = {},
  ): Promise<TcpWsClient> {
    const conn = await Deno.connect({ hostname: "127.0.0.1", port: server.port });
    const key = btoa(String.fromCharCode(...crypto.getRandomValues(new Uint8Array(16))));
    const lines = [
      "GET /_djust/ws HTTP/1.1",
      `Host: 127.0.0.1:${server.port}`,
      "Upgrade: websocket",
      "Connection: Upgrade",
      `Sec-WebSocket-Key: ${key}`,
      "Sec-WebSocket-Version: 13",
      `Origin: ${options.origin ?? server.origin}`,
    ];
    if (options.cookie) lines.push(`Cookie: ${options.cookie}`);
    await writeAll(conn, encoder.encode(lines.join("\r\n") + "\r\n\r\n"));
    let head: Uint8Array<ArrayBuffer> = new Uint8Array(0);
    const chunk = new Uint8Array(4096);
    for (;;) {
      const end = indexOfHeadEnd(head);
      if (end >= 0) {
        const status = new TextDecoder().decode(head.subarray(0, end));
        if (!status.startsWith("HTTP/1.1 101")) {
          conn.close();
          throw new Error(`the upgrade was refused: ${status.split("\r\n")[0]}`);
        }
        return new TcpWsClient(conn, head.slice(end + 4));
      }
      const n = await conn.read(chunk);
      if (n === null) {
        conn.close();
        throw new Error("the server closed the connection during the upgrade");
      }
      head = concat(head, chunk.subarray(0, n));
    }
  }

  /** Sends one masked text frame (any size). */
  async sendText(text: string | Uint8Array): Promise<void> {
    const payload = typeof text === "string" ? encoder.encode(text) : text;
    await writeAll(this.#conn, maskedFrame(0x1, payload));
  }

  /** Sends `message` as JSON in one text frame. */
  send(message: unknown): Promise<void> {
    return this.sendText(JSON.stringify(message));
  }

  #append(bytes: Uint8Array): void {
    if (this.#end + bytes.length > this.#buffer.length) {
      const live = this.#end - this.#start;
      if (live + bytes.length > this.#buffer.length) {
        const next = new Uint8Array((live + bytes.length) * 2);
        next.set(this.#buffer.subarray(this.#start, this.#end));
        this.#buffer = next;
      } else this.#buffer.copyWithin(0, this.#start, this.#end);
      this.#start = 0;
      this.#end = live;
    }
    this.#buffer.set(bytes, this.#end);
    this.#end += bytes.length;
  }

  /** Reads one chunk from the socket (joining the read in flight, if any). */
  #readMore(): Promise<void> {
    this.#reading ??= (async () => {
      const chunk = new Uint8Array(256 * 1024);
      try {
        const n = await this.#conn.read(chunk);
        if (n === null) this.#eof = true;
        else this.#append(chunk.subarray(0, n));
      } catch {
        this.#eof = true; // closed locally or reset by the server: both end the stream
      }
      this.#reading = null;
    })();
    return this.#reading;
  }

  /**
   * The next complete frame, or null at end of stream / after `ms`. The payload is a view into
   * the receive buffer, valid until the next read.
   */
  async readFrame(ms: number): Promise<{ opcode: number; payload: Uint8Array } | null> {
    const deadline = Date.now() + ms;
    for (;;) {
      const frame = parseFrame(this.#buffer.subarray(this.#start, this.#end));
      if (frame) {
        this.#start += frame.size;
        return frame;
      }
      const left = deadline - Date.now();
      if (this.#eof || left <= 0) return null;
      await within(this.#readMore(), left);
    }
  }

  /** Reads frames until one satisfies `match` (parsed JSON); null after `ms`. */
  async readUntil(match: (frame: ServerFrame) => boolean, ms: number): Promise<ServerFrame | null> {
    const deadline = Date.now() + ms;
    for (;;) {
      const frame = await this.readFrame(deadline - Date.now());
      if (!frame) return null;
      if (frame.opcode !== 0x1) continue;
      try {
        const parsed = JSON.parse(new TextDecoder().decode(frame.payload));
        if (match(parsed)) return parsed;
      } catch {
        // not JSON
      }
    }
  }

  /**
   * Reads (and discards) everything until the server ends the connection: "close" for a close
   * frame, "eof" for a closed stream, "timeout" if it is still open after `ms`.
   */
  async drainUntilClosed(ms: number): Promise<"close" | "eof" | "timeout"> {
    const deadline = Date.now() + ms;
    for (;;) {
      const frame = await this.readFrame(deadline - Date.now());
      if (frame?.opcode === 0x8) return "close";
      if (!frame) return this.#eof ? "eof" : "timeout";
    }
  }

  /** Closes the TCP connection. */
  async close(): Promise<void> {
    if (!this.#closed) {
      this.#closed = true;
      try {
        this.#conn.close();
      } catch {
        // already closed
      }
    }
    await this.#reading;
  }
}

function indexOfHeadEnd(bytes: Uint8Array): number {
  for (let i = 0; i + 3 < bytes.length; i++) {
    if (bytes[i] === 13 && bytes[i + 1] === 10 && bytes[i + 2] === 13 && bytes[i + 3] === 10) {
      return i;
    }
  }
  return -1;
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array<ArrayBuffer> {
  const out = new Uint8Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}

async function writeAll(conn: Deno.Conn, bytes: Uint8Array): Promise<void> {
  for (let off = 0; off < bytes.length;) off += await conn.write(bytes.subarray(off));
}

/** A client frame: FIN, `opcode`, masked payload (RFC 6455 §5.2). */
function maskedFrame(opcode: number, payload: Uint8Array): Uint8Array {
  const len = payload.length;
  const headLen = len < 126 ? 2 : len < 65536 ? 4 : 10;
  const frame = new Uint8Array(headLen + 4 + len);
  frame[0] = 0x80 | opcode;
  if (len < 126) frame[1] = 0x80 | len;
  else if (len < 65536) {
    frame[1] = 0x80 | 126;
    new DataView(frame.buffer).setUint16(2, len);
  } else {
    frame[1] = 0x80 | 127;
    new DataView(frame.buffer).setBigUint64(2, BigInt(len));
  }
  const mask = crypto.getRandomValues(new Uint8Array(4));
  frame.set(mask, headLen);
  const body = headLen + 4;
  for (let i = 0; i < len; i++) frame[body + i] = payload[i] ^ mask[i & 3];
  return frame;
}

/** Parses one unmasked server frame at the start of `bytes`, or null if incomplete. */
function parseFrame(
  bytes: Uint8Array,
): { opcode: number; payload: Uint8Array; size: number } | null {
  if (bytes.length < 2) return null;
  const opcode = bytes[0] & 0x0f;
  let len = bytes[1] & 0x7f;
  let off = 2;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (len === 126) {
    if (bytes.length < 4) return null;
    len = view.getUint16(2);
    off = 4;
  } else if (len === 127) {
    if (bytes.length < 10) return null;
    len = Number(view.getBigUint64(2));
    off = 10;
  }
  if (bytes[1] & 0x80) off += 4; // a server never masks, but skip a mask if one is there
  if (bytes.length < off + len) return null;
  return { opcode, payload: bytes.subarray(off, off + len), size: off + len };
}
