/**
 * Real-browser test harness: Debian's Chromium driven by playwright-core, against an App served on
 * a free loopback port. One browser per test file; each behaviour is a step.
 */
import { type Browser, chromium, type Page } from "playwright-core";
import type { App } from "../../mod.ts";

/** Chromium flags that keep it quiet on a machine with no outside network. */
export const CHROMIUM_ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--no-first-run",
  "--disable-quic",
];

/** Where Debian installs Chromium; override with CHROMIUM_PATH. */
export const CHROMIUM_PATH = Deno.env.get("CHROMIUM_PATH") ?? "/usr/bin/chromium";

/** A served app. */
export interface Served {
  url: string;
  port: number;
  close(): Promise<void>;
}

/** Serves `app` on 127.0.0.1 (a free port unless `port` is given). */
export function serve(app: App, port = 0): Promise<Served> {
  return new Promise((resolve) => {
    const controller = new AbortController();
    const server = Deno.serve(
      {
        port,
        hostname: "127.0.0.1",
        signal: controller.signal,
        onListen: ({ port }) => {
          resolve({
            url: `http://127.0.0.1:${port}`,
            port,
            close: async () => {
              controller.abort();
              await server.finished;
            },
          });
        },
      },
      app.fetch,
    );
  });
}

/** Launches Chromium. */
export function launch(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
}

/** Opens `url` and waits until the view has joined. Collects page errors into `errors`. */
export async function openLive(
  browser: Browser,
  url: string,
  errors: string[] = [],
): Promise<Page> {
  const page = await browser.newPage();
  page.on("pageerror", (e) => errors.push(e.message));
  page.on("console", (m) => {
    if (m.type() === "error" && !m.text().includes("favicon")) errors.push(m.text());
  });
  await page.goto(url);
  await page.waitForSelector("[dj-root].dj-connected", { timeout: 10_000 });
  return page;
}

/** Waits until every pending event of the page has been answered (no element has dj-loading). */
export async function settled(page: Page): Promise<void> {
  // Polled every few ms rather than per animation frame: most calls find it settled at once.
  await page.waitForFunction(() => !document.querySelector(".dj-loading"), undefined, {
    timeout: 10_000,
    polling: 5,
  });
}

/** Test options for browser tests: Playwright keeps pipes and timers open between steps. */
export const BROWSER_TEST = { sanitizeOps: false, sanitizeResources: false } as const;
