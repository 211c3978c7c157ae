/** Steps the task board's browser tests share. */
import type { Page } from "playwright-core";

/** The password every test member signs up with. */
export const PASSWORD = "correct horse battery";

/** Waits until the live view of `page` has joined. */
export async function live(page: Page): Promise<void> {
  await page.waitForSelector("[dj-root].dj-connected", { timeout: 10_000 });
}

/** Signs up a new member through the form, and waits for the home page's live view. */
export async function signUp(page: Page, base: string, name: string, email: string): Promise<void> {
  await page.goto(`${base}/signup`);
  await page.fill("#field-name", name);
  await page.fill("#field-email", email);
  await page.fill("#field-password", PASSWORD);
  await page.fill("#field-confirm", PASSWORD);
  await page.click("#signup button[type=submit]");
  await page.waitForURL(`${base}/`);
  await live(page);
}
