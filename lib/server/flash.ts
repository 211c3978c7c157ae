/**
 * Flash messages kept in the session until the next page: a view's `putFlash` shows now and again
 * after one navigation or page load.
 * @module
 */

/** Session key holding flash messages until the next page. */
const FLASH_KEY = "__djust_flash";

/** Remembers `message` as the flash of `kind` in session `data`. */
export function keepFlash(data: Record<string, unknown>, kind: string, message: string): void {
  const flash = (data[FLASH_KEY] ??= {}) as Record<string, string>;
  flash[kind] = message;
}

/** The flash messages kept in session `data`, removed from it. */
export function takeFlash(data: Record<string, unknown>): Record<string, string> {
  const flash = (data[FLASH_KEY] ?? {}) as Record<string, string>;
  delete data[FLASH_KEY];
  return flash;
}
