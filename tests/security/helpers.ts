/**
 * The hostile client's toolkit, one entry for the tests:
 * - `toolkit/process.ts`: start the fixture server (`server.ts`) in its own process, check it is
 *   alive, read its memory and counters from `/__stats`, share one server among a test's steps;
 * - `toolkit/http.ts`: fetch a page and scrape its join token, CSRF tokens and session cookie; sign
 *   in; ask who a cookie belongs to;
 * - `toolkit/ws.ts`: a WebSocket client that records raw frames and waits for them with deadlines,
 *   and the assertions made on frames;
 * - `toolkit/tcp.ts`: a WebSocket client on a bare TCP socket (never reads; sends any frame size).
 *
 * Nothing here imports djust: the suite sees the server only through HTTP and WebSocket frames.
 * @module
 */
export {
  type FixtureConfig,
  FixtureServer,
  serverSuite,
  sleep,
  type Stats,
  type Step,
  within,
  withServer,
} from "./toolkit/process.ts";
export {
  fromBase64url,
  getPage,
  login,
  type Page,
  SESSION_COOKIE,
  sessionCookieOf,
  sessionSetCookie,
  whoami,
} from "./toolkit/http.ts";
export {
  assertNoMarkers,
  assertOthersServed,
  closeAll,
  foreignNav,
  isError,
  type Joined,
  joinPage,
  leavesOrigin,
  SECRET_MARKERS,
  type ServerFrame,
  WsClient,
} from "./toolkit/ws.ts";
export { TcpWsClient } from "./toolkit/tcp.ts";
