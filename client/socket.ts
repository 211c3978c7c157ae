/**
 * The socket: one WebSocket, reconnecting with jittered exponential backoff after every loss.
 */
import { type ClientMessage, type ServerMessage, SOCKET_PATH } from "../lib/live/protocol.ts";

/** A reconnecting WebSocket to the page's server. */
export class LiveSocket {
  #ws: WebSocket | null = null;
  #attempt = 0;
  #onMessage: (m: ServerMessage) => void;
  #onOpen: () => void;
  #onState: (connected: boolean) => void;

  constructor(
    onOpen: () => void,
    onMessage: (m: ServerMessage) => void,
    onState: (connected: boolean) => void,
  ) {
    this.#onOpen = onOpen;
    this.#onMessage = onMessage;
    this.#onState = onState;
  }

  /** Opens the socket (and re-opens it after every loss). */
  connect(): void {
    // "http://host" → "ws://host", "https://host" → "wss://host".
    const ws = new WebSocket("ws" + location.origin.slice(4) + SOCKET_PATH);
    this.#ws = ws;
    ws.onopen = () => {
      this.#attempt = 0;
      this.#onOpen();
    };
    ws.onmessage = (e) => this.#onMessage(JSON.parse(e.data));
    ws.onclose = () => {
      if (this.#ws !== ws) return;
      this.#onState(false);
      // Jitter keeps a restarted server from being hit by every client at the same instant.
      const delay = Math.min(10_000, 250 * 2 ** this.#attempt++) * (0.5 + Math.random() / 2);
      setTimeout(() => this.connect(), delay);
    };
  }

  /** Sends a message (a Blob as a binary frame) if the socket is open; returns whether it was sent. */
  send(message: ClientMessage | Blob): boolean {
    if (this.#ws?.readyState !== WebSocket.OPEN) return false;
    // A Blob (an upload chunk) has an empty `type`; every message has one.
    this.#ws.send(message.type ? JSON.stringify(message) : message as Blob);
    return true;
  }
}
