/** Two browser contexts in the chat see each other's messages and presence; closing one leaves. */
import { createGalleryApp } from "../../examples/app.ts";
import { BROWSER_TEST, launch, serve } from "./harness.ts";

Deno.test({
  name: "e2e: chat between two browsers",
  ...BROWSER_TEST,
  async fn(t) {
    const app = createGalleryApp({
      secret: "chat-e2e",
      logger: () => {},
      presenceHeartbeatMs: 200,
    });
    const server = await serve(app);
    const browser = await launch();
    try {
      const annContext = await browser.newContext();
      const bobContext = await browser.newContext();
      const ann = await annContext.newPage();
      const bob = await bobContext.newPage();
      await ann.goto(`${server.url}/chat?name=ann`);
      await ann.waitForSelector("[dj-root].dj-connected");
      await bob.goto(`${server.url}/chat?name=bob`);
      await bob.waitForSelector("[dj-root].dj-connected");

      await t.step("each sees the other online", async () => {
        await ann.waitForFunction(() =>
          document.querySelector("ul.online")?.textContent?.includes("bob")
        );
        await bob.waitForFunction(() =>
          document.querySelector("ul.online")?.textContent?.includes("ann")
        );
      });

      await t.step("a message from one appears for both", async () => {
        await ann.fill("form.send input[name=text]", "hi bob");
        await ann.press("form.send input[name=text]", "Enter");
        for (const page of [ann, bob]) {
          await page.waitForFunction(() =>
            document.querySelector("ol.messages")?.textContent?.includes("ann: hi bob")
          );
        }
      });

      await t.step("closing one browser shows it leaving for the other", async () => {
        await bobContext.close();
        await ann.waitForFunction(
          () => !document.querySelector("ul.online")?.textContent?.includes("bob"),
          undefined,
          {
            timeout: 10_000,
          },
        );
      });
      await annContext.close();
    } finally {
      await browser.close();
      await server.close();
      await app.close();
    }
  },
});
