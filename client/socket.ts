/**
 * The socket: one WebSocket, reconnecting with jittered exponential backoff after every loss.
 */
import { type ClientMessage, type ServerMessage, SOCKET_PATH } from "../lib/live/protocol.ts";

/** A reconnecting WebSocket to the page's server. */
export interface LiveSocket {
  /** Opens the socket (and re-opens it after every loss). */
  connect(): void;
  /** Sends a message (a Blob as a binary frame) if the socket is open; returns whether it was sent. */
  send(message: ClientMessage | Blob): boolean;
}

/** A {@link LiveSocket} calling `onOpen` on each connection, `onState(false)` on each loss. */
export function liveSocket(
  onOpen: () => void,
  onMessage: (m: ServerMessage) => void,
  onState: (connected: boolean) => void,
): LiveSocket {
  let ws: WebSocket | null = null;
  let attempt = 0;
  const connect = () => {
    // "http://host" → "ws://host", "https://host" → "wss://host".
    const s = ws = new WebSocket("ws" + location.origin.slice(4) + SOCKET_PATH);
    s.onopen = () => {
      attempt = 0;
      onOpen();
    };
    s.onmessage = (e) => onMessage(JSON.parse(e.data));
    s.onclose = () => {
      if (ws !== s) return;
      onState(false);
      // Jitter keeps a restarted server from being hit by every client at the same instant.
      setTimeout(connect, Math.min(10_000, 250 * 2 ** attempt++) * (0.5 + Math.random() / 2));
    };
  };
  return {
    connect,
    send(message) {
      if (ws?.readyState !== WebSocket.OPEN) return false;
      // A Blob (an upload chunk) has an empty `type`; every message has one.
      ws.send(message.type ? JSON.stringify(message) : message as Blob);
      return true;
    },
  };
}
