/** Temporary static directories, a test server and raw HTTP for the static files tests. */
import assert from "node:assert/strict";
import { dirname, join } from "node:path";
import type { StaticFiles } from "../../lib/server/static.ts";

/** A temporary directory `root` holding the served directory `root/static`; removed on dispose. */
export interface Site extends AsyncDisposable {
  /** The temporary directory (holds files outside the served one). */
  readonly root: string;
  /** The served directory, `root/static`. */
  readonly dir: string;
  /** Writes `content` at `name` under the served directory, creating folders. */
  write(name: string, content: string | Uint8Array): Promise<void>;
}

/** Creates a site whose served directory holds `files` (name under `static/` to content). */
export async function tempSite(files: Record<string, string | Uint8Array>): Promise<Site> {
  const root = await Deno.makeTempDir({ prefix: "djust_static_" });
  const dir = join(root, "static");
  await Deno.mkdir(dir);
  const write = async (name: string, content: string | Uint8Array): Promise<void> => {
    const path = join(dir, name);
    await Deno.mkdir(dirname(path), { recursive: true });
    if (typeof content === "string") await Deno.writeTextFile(path, content);
    else await Deno.writeFile(path, content);
  };
  for (const [name, content] of Object.entries(files)) await write(name, content);
  return {
    root,
    dir,
    write,
    [Symbol.asyncDispose]: () => Deno.remove(root, { recursive: true }),
  };
}

/** Calls `files.handle` for `path` and fails the test when it returns null. */
export async function get(
  files: StaticFiles,
  path: string,
  init: RequestInit = {},
): Promise<Response> {
  const response = await files.handle(new Request(`http://t.test${path}`, init));
  assert.ok(response !== null, `handle() returned null for ${path}`);
  return response;
}

/** A Deno.serve server on 127.0.0.1 that answers with `files`, and 404 where it returns null. */
export interface TestServer extends AsyncDisposable {
  /** `http://127.0.0.1:port`. */
  readonly base: string;
  /** The port. */
  readonly port: number;
}

/** Starts a {@link TestServer}. */
export function serveStatic(files: StaticFiles): TestServer {
  const server = Deno.serve(
    { hostname: "127.0.0.1", port: 0, onListen() {} },
    async (request) => (await files.handle(request)) ?? new Response("no route", { status: 404 }),
  );
  return {
    base: `http://127.0.0.1:${server.addr.port}`,
    port: server.addr.port,
    [Symbol.asyncDispose]: () => server.shutdown(),
  };
}

/** A response read off the socket as text. */
export interface RawResponse {
  /** The status code. */
  readonly status: number;
  /** The body. */
  readonly body: string;
}

/**
 * Sends `GET target` as raw bytes, so the request target reaches the server exactly as written
 * (fetch and Request would normalize `..` and `%2e%2e` away first).
 */
export async function rawGet(port: number, target: string): Promise<RawResponse> {
  const conn = await Deno.connect({ hostname: "127.0.0.1", port });
  await conn.write(
    new TextEncoder().encode(`GET ${target} HTTP/1.1\r\nHost: t.test\r\nConnection: close\r\n\r\n`),
  );
  const text = await new Response(conn.readable).text(); // the stream closes the connection
  const [head, ...body] = text.split("\r\n\r\n");
  return { status: Number(head.split(" ")[1]), body: body.join("\r\n\r\n") };
}

/** Polls `condition` until it holds, failing with `what` after `timeoutMs`. */
export async function waitFor(
  condition: () => boolean,
  what: string,
  timeoutMs = 5000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) assert.fail(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** The body of `response` un-gzipped, as text. */
export async function gunzip(response: Response): Promise<string> {
  const stream = response.body!.pipeThrough(new DecompressionStream("gzip"));
  return await new Response(stream).text();
}

/** Text long and repetitive enough to be gzipped (well above the 1024-byte default threshold). */
export const BIG_CSS: string = "body { color: red; }\n".repeat(200);
