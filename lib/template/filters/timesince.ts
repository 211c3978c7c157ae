/**
 * Django 3.2's `timesince`/`timeuntil` arithmetic ("2 days, 3 hours").
 * @module
 */
import { isLeap, type Parts, toParts } from "./date_format.ts";

const CHUNKS: [number, string, string][] = [
  [60 * 60 * 24 * 365, "year", "years"],
  [60 * 60 * 24 * 30, "month", "months"],
  [60 * 60 * 24 * 7, "week", "weeks"],
  [60 * 60 * 24, "day", "days"],
  [60 * 60, "hour", "hours"],
  [60, "minute", "minutes"],
];
const NBSP = "\u00a0";

function leapDays(from: number, to: number): number {
  // Python's calendar.leapdays(y1, y2): leap years in [y1, y2).
  const count = (y: number) => Math.floor(y / 4) - Math.floor(y / 100) + Math.floor(y / 400);
  return count(to - 1) - count(from - 1);
}

/** Seconds since the epoch of a value for timesince; dates count as midnight. */
function timesinceParts(value: unknown, timeZone: string): { p: Parts; seconds: number } | null {
  const p = toParts(value, timeZone);
  if (!p || p.kind === "time") return null;
  // Naive values compare by their wall-clock fields; aware ones by their instant.
  const wall = Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second) / 1000;
  return { p, seconds: p.aware ? p.epoch : wall };
}

/**
 * Django 3.2's `timesince`: "2 days, 3 hours" (non-breaking spaces inside each part), at most two
 * adjacent units, "0 minutes" when `d` is not before `now`.
 *
 * @example
 * ```ts
 * import { timesince } from "./timesince.ts";
 * const a = Temporal.PlainDateTime.from("2024-03-01T10:00");
 * timesince(a, Temporal.PlainDateTime.from("2024-03-03T13:00")); // "2\u00a0days, 3\u00a0hours"
 * ```
 */
export function timesince(d: unknown, now?: unknown, reversed = false, timeZone = "UTC"): string {
  const a = timesinceParts(d, timeZone);
  if (!a) throw new TypeError("timesince needs a date");
  let b = now === undefined || now === null ? null : timesinceParts(now, timeZone);
  if (now !== undefined && now !== null && !b) throw new TypeError("timesince needs a date");
  if (!b) {
    const current = a.p.aware
      ? Temporal.Now.zonedDateTimeISO(timeZone)
      : Temporal.Now.plainDateTimeISO(timeZone);
    b = timesinceParts(current, timeZone)!;
  }
  if (a.p.aware !== b.p.aware && a.p.kind === "datetime" && b.p.kind === "datetime") {
    throw new TypeError("can't compare offset-naive and offset-aware datetimes");
  }
  const [from, to] = reversed ? [b, a] : [a, b];
  let since = to.seconds - from.seconds;
  let leap = leapDays(from.p.year, to.p.year);
  if (leap !== 0) {
    if (isLeap(from.p.year)) leap -= 1;
    else if (isLeap(to.p.year)) leap += 1;
  }
  since -= leap * 86400;
  if (since <= 0) return `0${NBSP}minutes`;
  let i = CHUNKS.findIndex(([seconds]) => Math.floor(since / seconds) !== 0);
  if (i === -1) return `0${NBSP}minutes`;
  const parts: string[] = [];
  for (let depth = 0; i < CHUNKS.length && depth < 2; i++, depth++) {
    const [seconds, one, many] = CHUNKS[i];
    const count = Math.floor(since / seconds);
    if (count === 0) break;
    parts.push(`${count}${NBSP}${count === 1 ? one : many}`);
    since -= seconds * count;
  }
  return parts.join(", ");
}
