/**
 * What a connection sends, with the memory it may take bounded. Deno's WebSocket queues whatever
 * is sent to a client that does not read (`bufferedAmount` grows without limit and there is no
 * drain event), so the outbox watches it:
 * - past the soft mark, server pushes wait and coalesce (the caller polls `behind`);
 * - past the hard mark, or behind for longer than the slow-client deadline, the client is cut off.
 * @module
 */
import type { Clock } from "./rate_limit.ts";

/** Where a connection sends its messages. */
export interface Transport {
  send(text: string): void;
  close(code?: number, reason?: string): void;
  /** Bytes queued but not yet sent (for backpressure). */
  readonly bufferedAmount: number;
}

/** The outbox's bounds. */
export interface OutboxLimits {
  /** Queued bytes past which server pushes wait (and coalesce). */
  readonly softBufferBytes: number;
  /** Queued bytes past which the client is cut off at once. */
  readonly hardBufferBytes: number;
  /** How long a client may stay past the soft mark before it is cut off. */
  readonly slowClientTimeoutMs: number;
}

/** WebSocket close code for a policy violation (too slow, never joined). */
export const CLOSE_POLICY = 1008;
/** WebSocket close code for a message too big to process. */
export const CLOSE_TOO_BIG = 1009;

/**
 * The sending side of a connection.
 *
 * @example
 * ```ts ignore
 * const outbox = new Outbox(socket, limits, performance.now, (why) => connection.cutOff(why));
 * if (!outbox.behind) outbox.send(JSON.stringify(patch));
 * ```
 */
export class Outbox {
  #transport: Transport;
  #limits: OutboxLimits;
  #clock: Clock;
  #onCutOff: (reason: string) => void;
  #behindSince = -1;
  #open = true;

  /** `onCutOff` is told once when the outbox closes the transport because the client is too slow. */
  constructor(
    transport: Transport,
    limits: OutboxLimits,
    clock: Clock,
    onCutOff: (reason: string) => void,
  ) {
    this.#transport = transport;
    this.#limits = limits;
    this.#clock = clock;
    this.#onCutOff = onCutOff;
  }

  /** True while the transport is usable. */
  get open(): boolean {
    return this.#open;
  }

  /**
   * True when the client is behind (server pushes should wait). Checks the slow-client deadline:
   * a client behind for too long is cut off.
   */
  get behind(): boolean {
    const buffered = this.#transport.bufferedAmount;
    if (buffered <= this.#limits.softBufferBytes) {
      this.#behindSince = -1;
      return false;
    }
    const now = this.#clock();
    if (this.#behindSince < 0) this.#behindSince = now;
    if (
      buffered > this.#limits.hardBufferBytes ||
      now - this.#behindSince > this.#limits.slowClientTimeoutMs
    ) {
      this.cutOff(`the client stopped reading (${buffered} bytes queued)`);
    }
    return true;
  }

  /** Sends `text` unless the client is past the hard mark (then it is cut off). */
  send(text: string): boolean {
    if (!this.#open) return false;
    if (this.#transport.bufferedAmount > this.#limits.hardBufferBytes) {
      this.cutOff(`the client stopped reading (${this.#transport.bufferedAmount} bytes queued)`);
      return false;
    }
    try {
      this.#transport.send(text);
      return true;
    } catch {
      this.cutOff("sending failed");
      return false;
    }
  }

  /** Closes the transport for a policy reason and tells the connection. */
  cutOff(reason: string, code = CLOSE_POLICY): void {
    if (!this.#open) return;
    this.#open = false;
    try {
      this.#transport.close(code, reason.slice(0, 120));
    } catch {
      // already closed
    }
    this.#onCutOff(reason);
  }

  /** Closes the transport (if it is not already) without telling the connection. */
  closed(): void {
    if (!this.#open) return;
    this.#open = false;
    try {
      this.#transport.close(1000);
    } catch {
      // already closed by the other side
    }
  }
}
