/** Waiting for conditions instead of for fixed times, so loaded machines do not make tests flaky. */

/** Resolves once `predicate` holds (checked every few ms); throws with `what` after `ms`. */
export async function waitFor(
  predicate: () => boolean | Promise<boolean>,
  what: string,
  ms = 10_000,
): Promise<void> {
  const end = Date.now() + ms;
  while (!(await predicate())) {
    if (Date.now() > end) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

/** Resolves after `ms` (only for asserting that something does NOT happen within a window). */
export function pause(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}
