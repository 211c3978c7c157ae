/**
 * The date filters: date, time, timesince, timeuntil.
 * @module
 */
import { formatFields, formatParts, formatTime, toParts } from "./date_format.ts";
import type { FilterDefinition } from "./registry.ts";
import { pyStr } from "../values.ts";
import { timesince } from "./timesince.ts";

function isEmpty(value: unknown): boolean {
  return value === null || value === undefined || value === "";
}

export const dateFilters: Record<string, FilterDefinition> = {
  date: {
    arg: "optional",
    fn(value, arg, env) {
      if (isEmpty(value)) return "";
      // An empty format means the default, as Django's `get_format(format or "DATE_FORMAT")`.
      const format = formatArgument(arg) || "DATE_FORMAT";
      const fast = formatFields(value, format);
      if (fast !== undefined) return fast;
      const parts = toParts(value, env.timeZone);
      return parts ? formatParts(parts, format) : "";
    },
    escapeFree: (arg) => arg !== undefined && escapeFreeFormat(formatArgument(arg)),
  },
  time: {
    arg: "optional",
    fn(value, arg, env) {
      if (isEmpty(value)) return "";
      return formatTime(
        value,
        formatArgument(arg) || "TIME_FORMAT",
        env.timeZone,
      );
    },
  },
  timesince: {
    arg: "optional",
    fn(value, arg, env) {
      if (!value) return "";
      try {
        return timesince(value, arg || undefined, false, env.timeZone);
      } catch (err) {
        if (err instanceof TypeError) return "";
        throw err;
      }
    },
  },
  timeuntil: {
    arg: "optional",
    fn(value, arg, env) {
      if (!value) return "";
      try {
        return timesince(value, arg || undefined, true, env.timeZone);
      } catch (err) {
        if (err instanceof TypeError) return "";
        throw err;
      }
    },
  },
};

/** The format argument as text ("" without one); a quoted format is a SafeString, read directly. */
// Format characters whose output is digits and ASCII signs in every language (no names, no
// time zone abbreviations): `Y-m-d H:i` prints nothing escaping would change.
const PLAIN_FORMAT_CHARACTERS = /^(?:[cdfgGhHiIjLmnoOstuUwWyYzZ]|[^a-zA-Z&<>"'\\])+$/;

/** True when a date format's output never needs escaping (see FilterDefinition.escapeFree). */
export function escapeFreeFormat(format: string): boolean {
  return PLAIN_FORMAT_CHARACTERS.test(format);
}

function formatArgument(arg: unknown): string {
  return arg === undefined ? "" : typeof arg === "string" ? arg : pyStr(arg);
}
