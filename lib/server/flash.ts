/**
 * Flash messages kept in the session until the next page: a view's `putFlash` shows now and again
 * after one navigation or page load.
 * @module
 */
import type { Session } from "../session/session.ts";

/** Session key holding flash messages until the next page. */
const FLASH_KEY = "__djust_flash";

/** Remembers `message` as the flash of `kind` in `session`. */
export function keepFlash(session: Session, kind: string, message: string): void {
  const flash = { ...(session.get(FLASH_KEY) as Record<string, string> | undefined) };
  flash[kind] = message;
  session.set(FLASH_KEY, flash);
}

/** The flash messages kept in `session`, removed from it. */
export function takeFlash(session: Session): Record<string, string> {
  const flash = (session.get(FLASH_KEY) ?? {}) as Record<string, string>;
  if (session.get(FLASH_KEY) !== undefined) session.delete(FLASH_KEY);
  return flash;
}
