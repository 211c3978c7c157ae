/**
 * A TCP proxy for browser tests that need a real network drop: Playwright's offline mode does not
 * close a loopback WebSocket in this Chromium, so the browser talks to the server through this
 * proxy, which can cut every connection, refuse new ones for a while, and switch to another
 * backend port (another server process).
 */

/** A running proxy. */
export class TcpProxy {
  #listener: Deno.TcpListener;
  #backend: number;
  #refusing = false;
  #pairs = new Set<[Deno.TcpConn, Deno.TcpConn]>();
  #accepting: Promise<void>;

  private constructor(listener: Deno.TcpListener, backend: number) {
    this.#listener = listener;
    this.#backend = backend;
    this.#accepting = this.#accept();
  }

  /** Listens on a free loopback port and forwards to `backend`. */
  static start(backend: number): TcpProxy {
    return new TcpProxy(Deno.listen({ hostname: "127.0.0.1", port: 0 }), backend);
  }

  /** The proxy's own port. */
  get port(): number {
    return (this.#listener.addr as Deno.NetAddr).port;
  }

  /** The URL of the proxy. */
  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** Forwards new connections to `backend` from now on. */
  switchTo(backend: number): void {
    this.#backend = backend;
  }

  /** Closes every open connection and refuses new ones for `ms`. */
  async cut(ms: number): Promise<void> {
    this.#refusing = true;
    for (const [a, b] of this.#pairs) {
      for (const c of [a, b]) {
        try {
          c.close();
        } catch {
          // already closed
        }
      }
    }
    this.#pairs.clear();
    await new Promise((r) => setTimeout(r, ms));
    this.#refusing = false;
  }

  /** Stops the proxy and closes its connections. */
  async close(): Promise<void> {
    this.#listener.close();
    for (const [a, b] of this.#pairs) {
      for (const c of [a, b]) {
        try {
          c.close();
        } catch {
          // already closed
        }
      }
    }
    await this.#accepting;
  }

  async #accept(): Promise<void> {
    try {
      for await (const client of this.#listener) {
        if (this.#refusing) {
          client.close();
          continue;
        }
        void this.#pipe(client);
      }
    } catch {
      // the listener closed
    }
  }

  async #pipe(client: Deno.TcpConn): Promise<void> {
    let server: Deno.TcpConn;
    try {
      server = await Deno.connect({ hostname: "127.0.0.1", port: this.#backend });
    } catch {
      client.close();
      return;
    }
    const pair: [Deno.TcpConn, Deno.TcpConn] = [client, server];
    this.#pairs.add(pair);
    const copy = async (from: Deno.TcpConn, to: Deno.TcpConn) => {
      try {
        await from.readable.pipeTo(to.writable, { preventClose: true });
      } catch {
        // cut
      }
      for (const c of pair) {
        try {
          c.close();
        } catch {
          // already closed
        }
      }
    };
    await Promise.all([copy(client, server), copy(server, client)]);
    this.#pairs.delete(pair);
  }
}
