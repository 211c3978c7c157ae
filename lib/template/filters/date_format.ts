/**
 * Django's date formatting (`date`, `time`, `{% now %}`, and how `{{ value }}` prints dates),
 * `timesince`/`timeuntil`, over Temporal values and JS Dates.
 *
 * Value mapping: `Temporal.PlainDate` is Python's `date`, `Temporal.PlainDateTime` a naive `datetime`
 * (shown as if in the engine's time zone, like Django with USE_TZ off), `Temporal.PlainTime` a `time`,
 * and `Temporal.ZonedDateTime`, `Temporal.Instant` and `Date` aware datetimes, converted to the engine's
 * time zone before formatting.
 * @module
 */
import { pythonError } from "./python.ts";
import { pyTypeName } from "../values.ts";

// #region Names

const MONTHS = [
  "January",
  "February",
  "March",
  "April",
  "May",
  "June",
  "July",
  "August",
  "September",
  "October",
  "November",
  "December",
];
const MONTHS_AP = [
  "Jan.",
  "Feb.",
  "March",
  "April",
  "May",
  "June",
  "July",
  "Aug.",
  "Sept.",
  "Oct.",
  "Nov.",
  "Dec.",
];
const WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"];

/** Django's named formats (global_settings, en-us, USE_L10N off). */
const NAMED_FORMATS: Record<string, string> = {
  DATE_FORMAT: "N j, Y",
  DATETIME_FORMAT: "N j, Y, P",
  TIME_FORMAT: "P",
  YEAR_MONTH_FORMAT: "F Y",
  MONTH_DAY_FORMAT: "F j",
  SHORT_DATE_FORMAT: "m/d/Y",
  SHORT_DATETIME_FORMAT: "m/d/Y P",
};

// #endregion
// #region Normalised date parts

/** The fields formatting needs, with what kind of Python object they stand for. */
/** A date-like value broken into the fields the formats read. */
export interface Parts {
  kind: "date" | "datetime" | "time";
  readonly year: number;
  readonly month: number;
  readonly day: number;
  readonly hour: number;
  readonly minute: number;
  readonly second: number;
  readonly microsecond: number;
  /** Offset from UTC in seconds, or null for dates and times (no time zone). */
  readonly offset: number | null;
  /** Time zone abbreviation for `T`/`e`, or "" when naive. */
  readonly zoneName: string;
  aware: boolean;
  /** Whether DST is in effect (aware values only). */
  readonly dst: boolean;
  /** Seconds since the epoch. */
  readonly epoch: number;
  /** The calendar date, for weekday, ISO week and day of year. */
  readonly date: Temporal.PlainDate;
}

function zoneAbbreviation(zdt: Temporal.ZonedDateTime): string {
  if (zdt.timeZoneId === "UTC" || zdt.timeZoneId === "Etc/UTC") return "UTC";
  const part = new Intl.DateTimeFormat("en-US", { timeZone: zdt.timeZoneId, timeZoneName: "short" })
    .formatToParts(zdt.epochMilliseconds).find((p) => p.type === "timeZoneName");
  return part?.value ?? zdt.offset;
}

/**
 * Date parts whose zone-dependent fields (offset, DST, epoch, zone name) are computed only when a
 * format asks for them: most formats do not, and zone arithmetic is the expensive part.
 */
class DateParts implements Parts {
  kind: "date" | "datetime" | "time";
  aware: boolean;
  /** Where the calendar and clock fields are read from, only when a format asks for them. */
  #src: Temporal.PlainDate | Temporal.PlainDateTime | Temporal.ZonedDateTime;
  #time: { hour: number; minute: number; second: number; microsecond: number } | null = null;
  #zoned: () => Temporal.ZonedDateTime | null;
  #zdt: Temporal.ZonedDateTime | null | undefined = undefined;
  #date: Temporal.PlainDate | undefined;

  constructor(
    kind: "date" | "datetime" | "time",
    fields: Temporal.PlainDate | Temporal.PlainDateTime | Temporal.ZonedDateTime,
    aware: boolean,
    zoned: () => Temporal.ZonedDateTime | null,
  ) {
    this.kind = kind;
    this.#src = fields;
    this.aware = aware;
    this.#zoned = zoned;
  }
  get year(): number {
    return this.#src.year;
  }
  get month(): number {
    return this.#src.month;
  }
  get day(): number {
    return this.#src.day;
  }
  get hour(): number {
    return this.#time
      ? this.#time.hour
      : this.#src instanceof Temporal.PlainDate
      ? 0
      : this.#src.hour;
  }
  get minute(): number {
    return this.#time
      ? this.#time.minute
      : this.#src instanceof Temporal.PlainDate
      ? 0
      : this.#src.minute;
  }
  get second(): number {
    return this.#time
      ? this.#time.second
      : this.#src instanceof Temporal.PlainDate
      ? 0
      : this.#src.second;
  }
  get microsecond(): number {
    if (this.#time) return this.#time.microsecond;
    const s = this.#src;
    return s instanceof Temporal.PlainDate ? 0 : s.millisecond * 1000 + s.microsecond;
  }
  /** For `PlainTime` values, whose clock fields do not come from the date. */
  setTime(t: Temporal.PlainTime): void {
    this.#time = {
      hour: t.hour,
      minute: t.minute,
      second: t.second,
      microsecond: t.millisecond * 1000 + t.microsecond,
    };
  }
  #z(): Temporal.ZonedDateTime | null {
    if (this.#zdt === undefined) this.#zdt = this.#zoned();
    return this.#zdt;
  }
  get date(): Temporal.PlainDate {
    return this.#date ??= new Temporal.PlainDate(this.year, this.month, this.day);
  }
  get offset(): number | null {
    const z = this.#z();
    return z ? z.offsetNanoseconds / 1e9 : null;
  }
  get zoneName(): string {
    const z = this.#z();
    return z && this.aware ? zoneAbbreviation(z) : "";
  }
  get dst(): boolean {
    const z = this.#z();
    if (!z || !this.aware) return false;
    const jan = z.with({ month: 1, day: 1 }).offsetNanoseconds;
    const jul = z.with({ month: 7, day: 1 }).offsetNanoseconds;
    return z.offsetNanoseconds > Math.min(jan, jul);
  }
  get epoch(): number {
    const z = this.#z();
    if (z) return Math.floor(z.epochMilliseconds / 1000);
    return Math.floor(Date.UTC(this.year, this.month - 1, this.day) / 1000);
  }
}

/** Converts a date-like value to Parts, or returns null for anything else. */
export function toParts(value: unknown, timeZone = "UTC"): Parts | null {
  if (value instanceof Temporal.PlainDate) return new DateParts("date", value, false, () => null);
  if (value instanceof Temporal.PlainDateTime) {
    // Naive: shown as is; zone-dependent characters use the engine's zone (Django's default zone).
    return new DateParts("datetime", value, false, () => value.toZonedDateTime(timeZone));
  }
  if (value instanceof Temporal.PlainTime) {
    const p = new DateParts("time", new Temporal.PlainDate(1900, 1, 1), false, () => null);
    p.setTime(value);
    return p;
  }
  let zdt: Temporal.ZonedDateTime | null = null;
  if (value instanceof Temporal.ZonedDateTime) zdt = value.withTimeZone(timeZone);
  else if (value instanceof Temporal.Instant) zdt = value.toZonedDateTimeISO(timeZone);
  else if (value instanceof Date && !Number.isNaN(value.getTime())) {
    zdt = Temporal.Instant.fromEpochMilliseconds(value.getTime()).toZonedDateTimeISO(timeZone);
  }
  if (!zdt) return null;
  const z = zdt;
  return new DateParts("datetime", z, true, () => z);
}

// #endregion
// #region Formatting

const pad2 = (n: number): string => (n < 10 ? "0" + n : String(n));
const pad = (n: number, w: number): string => String(n).padStart(w, "0");

/** Python's `calendar.isleap`. */
export function isLeap(y: number): boolean {
  return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
}

function daysInMonth(y: number, m: number): number {
  return [31, isLeap(y) ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][m - 1];
}

/** Python weekday(): Monday 0 .. Sunday 6. */
function weekday(p: Parts): number {
  return p.date.dayOfWeek - 1;
}

function isoWeek(p: Parts): { year: number; week: number } {
  const d = p.date;
  return { year: d.yearOfWeek ?? d.year, week: d.weekOfYear ?? 1 };
}

function offsetText(seconds: number): string {
  const sign = seconds < 0 ? "-" : "+";
  const abs = Math.abs(seconds);
  return `${sign}${pad2(Math.floor(abs / 3600))}${pad2(Math.floor(abs / 60) % 60)}`;
}

/** Characters that need a time of day (invalid on `date` values, like Django's TimeFormat methods). */
const TIME_CHARS = new Set("aAefgGhHiOPsTuZ");
/** Characters the `time` filter understands (Django's TimeFormat); others make it return "". */
const TIME_FILTER_CHARS = TIME_CHARS;
const FORMAT_CHARS = new Set("aAbcdDeEfFgGhHiIjlLmMnNoOPrsStTUuwWyYzZ");

/** A format string compiled to literal text and format characters. */
type CompiledFormat = (string | { char: string })[];
const compiledFormats = new Map<string, CompiledFormat>();

function compileFormat(format: string): CompiledFormat {
  let compiled = compiledFormats.get(format);
  if (compiled) return compiled;
  compiled = [];
  let literal = "";
  for (let i = 0; i < format.length; i++) {
    const ch = format[i];
    if (ch === "\\" && i + 1 < format.length) {
      literal += format[++i];
    } else if (FORMAT_CHARS.has(ch)) {
      if (literal) compiled.push(literal);
      literal = "";
      compiled.push({ char: ch });
    } else literal += ch;
  }
  if (literal) compiled.push(literal);
  if (compiledFormats.size > 1000) compiledFormats.clear();
  compiledFormats.set(format, compiled);
  return compiled;
}

// #endregion
// #region Fast path for naive values

/**
 * A format that needs only calendar and clock fields (`Y-m-d H:i`, `j M`…, the common case), so a
 * PlainDate or PlainDateTime formats from six field reads, without building Parts.
 */
interface FieldFormat {
  /** Formats a PlainDate or PlainDateTime (a PlainDateTime when `needsTime`). */
  readonly render: (value: Temporal.PlainDateTime) => string;
  readonly needsTime: boolean;
}
const FIELD_CHARS = new Set("aAbdEFgGhHijmMnNsyY");
/** What each field character prints, as JS over the fields read once (`P` pads to 2 digits). */
const FIELD_CODE: Record<string, string> = {
  Y: "year",
  y: "P(year % 100)",
  m: "P(month)",
  n: "month",
  d: "P(day)",
  j: "day",
  H: "P(hour)",
  G: "hour",
  i: "P(minute)",
  s: "P(v.second)",
  h: "P(hour % 12 || 12)",
  g: "(hour % 12 || 12)",
  A: '(hour > 11 ? "PM" : "AM")',
  a: '(hour > 11 ? "p.m." : "a.m.")',
  b: "MONTHS[month - 1].slice(0, 3).toLowerCase()",
  M: "MONTHS[month - 1].slice(0, 3)",
  E: "MONTHS[month - 1]",
  F: "MONTHS[month - 1]",
  N: "AP[month - 1]",
};
/** The fields a piece of generated code reads. */
const FIELDS = ["year", "month", "day", "hour", "minute"];
const fieldFormats = new Map<string, FieldFormat | null>();

function fieldFormat(format: string): FieldFormat | null {
  let f = fieldFormats.get(format);
  if (f !== undefined) return f;
  const pieces = compileFormat(format);
  const chars = pieces.flatMap((piece) => typeof piece === "string" ? [] : [piece.char]);
  f = chars.every((c) => FIELD_CHARS.has(c))
    ? { render: fieldRenderer(pieces), needsTime: chars.some((c) => TIME_CHARS.has(c)) }
    : null;
  if (fieldFormats.size > 1000) fieldFormats.clear();
  fieldFormats.set(format, f);
  return f;
}

/**
 * One function per format, printing it as one concatenation of the fields it reads (each read
 * once: a Temporal getter costs ~10 ns). Literal text enters the source only via JSON.stringify.
 */
function fieldRenderer(pieces: CompiledFormat): (value: Temporal.PlainDateTime) => string {
  const parts = pieces.map((piece) =>
    typeof piece === "string" ? JSON.stringify(piece) : FIELD_CODE[piece.char]
  );
  const code = parts.join(" + ");
  const reads = FIELDS.filter((name) => new RegExp(`\\b${name}\\b`).test(code));
  const declare = reads.length ? `const ${reads.map((r) => `${r} = v.${r}`).join(", ")};\n` : "";
  return new Function(
    "P",
    "MONTHS",
    "AP",
    `return function (v) {\n${declare}return "" + ${code || '""'};\n};`,
  )(pad2, MONTHS, MONTHS_AP);
}

/**
 * Formats a PlainDate or PlainDateTime when the format needs fields only; `undefined` otherwise
 * (the caller then takes the general path, which also raises Django's errors).
 */
export function formatFields(value: unknown, format: string): string | undefined {
  const isDateTime = value instanceof Temporal.PlainDateTime;
  if (!isDateTime && !(value instanceof Temporal.PlainDate)) return undefined;
  const f = fieldFormat(resolveFormat(format));
  if (f === null || (f.needsTime && !isDateTime)) return undefined;
  return f.render(value as Temporal.PlainDateTime);
}

// #endregion
// #region Formatting errors

/** Raised for a time-related character applied to a date (Django raises TypeError). */
export class DateFormatError extends TypeError {
  override name = "TypeError";
}

function twelveHour(p: Parts): number {
  return p.hour % 12 || 12;
}

function fChar(p: Parts): string {
  return p.minute === 0 ? String(twelveHour(p)) : `${twelveHour(p)}:${pad2(p.minute)}`;
}

function formatChar(ch: string, p: Parts): string {
  switch (ch) {
    case "a":
      return p.hour > 11 ? "p.m." : "a.m.";
    case "A":
      return p.hour > 11 ? "PM" : "AM";
    case "b":
      return MONTHS[p.month - 1].slice(0, 3).toLowerCase();
    case "c":
      return isoFormat(p);
    case "d":
      return pad2(p.day);
    case "D":
      return WEEKDAYS[weekday(p)].slice(0, 3);
    case "e":
      return p.aware ? p.zoneName : "";
    case "E":
    case "F":
      return MONTHS[p.month - 1];
    case "f":
      return fChar(p);
    case "g":
      return String(twelveHour(p));
    case "G":
      return String(p.hour);
    case "h":
      return pad2(twelveHour(p));
    case "H":
      return pad2(p.hour);
    case "i":
      return pad2(p.minute);
    case "I":
      return p.offset === null ? "" : p.dst ? "1" : "0";
    case "j":
      return String(p.day);
    case "l":
      return WEEKDAYS[weekday(p)];
    case "L":
      return isLeap(p.year) ? "True" : "False";
    case "m":
      return pad2(p.month);
    case "M":
      return MONTHS[p.month - 1].slice(0, 3);
    case "n":
      return String(p.month);
    case "N":
      return MONTHS_AP[p.month - 1];
    case "o":
      return String(isoWeek(p).year);
    case "O":
      return p.offset === null ? "" : offsetText(p.offset);
    case "P":
      if (p.minute === 0 && p.hour === 0) return "midnight";
      if (p.minute === 0 && p.hour === 12) return "noon";
      return `${fChar(p)} ${p.hour > 11 ? "p.m." : "a.m."}`;
    case "r":
      if (p.kind === "date") {
        throw new DateFormatError(
          "The format for date objects may not contain time-related format specifiers (found 'r').",
        );
      }
      return `${WEEKDAYS[weekday(p)].slice(0, 3)}, ${pad2(p.day)} ${
        MONTHS[p.month - 1].slice(0, 3)
      } ${pad(p.year, 4)} ` +
        `${pad2(p.hour)}:${pad2(p.minute)}:${pad2(p.second)} ${offsetText(p.offset ?? 0)}`;
    case "s":
      return pad2(p.second);
    case "S":
      if (p.day >= 11 && p.day <= 13) return "th";
      return ["th", "st", "nd", "rd"][p.day % 10] ?? "th";
    case "t":
      return pad2(daysInMonth(p.year, p.month));
    case "T":
      return p.offset === null ? "" : p.aware ? p.zoneName : (p.zoneName || "UTC");
    case "u":
      return pad(p.microsecond, 6);
    case "U":
      return String(p.epoch);
    case "w":
      return String((weekday(p) + 1) % 7);
    case "W":
      return String(isoWeek(p).week);
    case "y":
      return pad2(p.year % 100);
    case "Y":
      return String(p.year);
    case "z":
      return String(p.date.dayOfYear);
    case "Z":
      return p.offset === null ? "" : String(p.offset);
  }
  return ch;
}

function isoFormat(p: Parts): string {
  const date = `${pad(p.year, 4)}-${pad2(p.month)}-${pad2(p.day)}`;
  if (p.kind === "date") return date;
  let out = `${date}T${pad2(p.hour)}:${pad2(p.minute)}:${pad2(p.second)}`;
  if (p.microsecond) out += "." + pad(p.microsecond, 6);
  if (p.aware && p.offset !== null) {
    const o = offsetText(p.offset);
    out += o.slice(0, 3) + ":" + o.slice(3);
  }
  return out;
}

/** Resolves a named format (`"DATE_FORMAT"`) to its format string, as Django's `get_format` does. */
export function resolveFormat(format: string): string {
  return NAMED_FORMATS[format] ?? format;
}

/**
 * Formats a date-like value with a Django date format string. Throws DateFormatError for a
 * time-related character on a `PlainDate`, and TypeError for a value that is not date-like.
 *
 * @example
 * ```ts
 * import { formatDate } from "./date_format.ts";
 * formatDate(Temporal.PlainDate.from("2024-03-05"), "D d.M.Y"); // "Tue 05.Mar.2024"
 * ```
 */
export function formatDate(value: unknown, format: string, timeZone = "UTC"): string {
  const p = toParts(value, timeZone);
  if (!p) throw pythonError("TypeError", `'${pyTypeName(value)}' is not a date or a time`);
  return formatParts(p, format);
}

/** Formats already-converted parts (see {@link formatDate}). */
export function formatParts(p: Parts, format: string): string {
  let out = "";
  for (const piece of compileFormat(resolveFormat(format))) {
    if (typeof piece === "string") out += piece;
    else {
      if (p.kind === "date" && TIME_CHARS.has(piece.char)) {
        throw new DateFormatError(
          `The format for date objects may not contain time-related format specifiers (found '${piece.char}').`,
        );
      }
      if (p.kind === "time" && !TIME_FILTER_CHARS.has(piece.char)) {
        throw new TypeError("not a date");
      }
      out += formatChar(piece.char, p);
    }
  }
  return out;
}

/**
 * Formats with Django's TimeFormat: only time characters are allowed; a date-only character or a
 * value without a time of day returns "" (what the `time` filter shows).
 */
export function formatTime(value: unknown, format: string, timeZone = "UTC"): string {
  const p = toParts(value, timeZone);
  if (!p || p.kind === "date") return "";
  let out = "";
  for (const piece of compileFormat(resolveFormat(format))) {
    if (typeof piece === "string") out += piece;
    else if (!TIME_FILTER_CHARS.has(piece.char)) return "";
    else out += formatChar(piece.char, p);
  }
  return out;
}

/**
 * What `{{ value }}` prints for a date-like value (Django's `localize` with USE_L10N off), or
 * `undefined` when the value is not date-like.
 */
export function localizeDateLike(value: unknown, timeZone: string): string | undefined {
  if (value instanceof Temporal.PlainDate) return formatDate(value, "DATE_FORMAT", timeZone);
  if (value instanceof Temporal.PlainTime) return formatTime(value, "TIME_FORMAT", timeZone);
  if (toParts(value, timeZone)) return formatDate(value, "DATETIME_FORMAT", timeZone);
  return undefined;
}

// #endregion
