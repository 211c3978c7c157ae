/**
 * Keeping what did not change identical (`===`). A board reloads its cards from the database after
 * every change anyone makes; giving the template back the same objects for the cards that did not
 * change means their components see the same props and are not updated, and regions that read
 * them are not re-rendered.
 */

/**
 * `next`, except that each item equal (as JSON) to the item of `previous` with the same `id` is
 * that previous item, and the array itself is `previous` when every item is.
 *
 * @example
 * ```ts ignore
 * const a = [{ id: 1, t: "x" }];
 * reuseItems(a, [{ id: 1, t: "x" }]) === a; // true
 * ```
 */
export function reuseItems<T extends { id: number }>(previous: readonly T[], next: T[]): T[] {
  const byId = new Map(previous.map((item) => [item.id, item]));
  let same = previous.length === next.length;
  const result = next.map((item, i) => {
    const old = byId.get(item.id);
    const kept = old !== undefined && JSON.stringify(old) === JSON.stringify(item) ? old : item;
    if (kept !== previous[i]) same = false;
    return kept;
  });
  return same ? previous as T[] : result;
}

/** `next`, or `previous` when both hold the same items in the same order. */
export function reuseArray<T>(previous: readonly T[] | undefined, next: T[]): T[] {
  if (!previous || previous.length !== next.length) return next;
  for (let i = 0; i < next.length; i++) if (previous[i] !== next[i]) return next;
  return previous as T[];
}
