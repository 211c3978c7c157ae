/**
 * The filters' fast paths (floatformat from the shortest decimal text, date from calendar fields,
 * truncatewords on single-spaced text, title on ASCII, escaping by native scans) give the same
 * answers as the general paths, which the Django conformance cases check, on thousands of inputs.
 */
import assert from "node:assert/strict";
import { Engine, escapeHtml } from "../../lib/template/index.ts";
import { formatDate } from "../../lib/template/filters/date_format.ts";
import { floatformat } from "../../lib/template/filters/numeric.ts";
import { pySplit } from "../../lib/template/filters/strings.ts";
import {
  printTitle,
  titleAnyText,
  titleAscii,
  titleCase,
} from "../../lib/template/filters/title.ts";
import { escapeFreeFormat } from "../../lib/template/filters/dates.ts";

/** A small deterministic PRNG (mulberry32), so a failure reproduces. */
function random(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** `n` characters (or pieces) drawn from `alphabet`. */
function randomText(rand: () => number, alphabet: string | readonly string[], n: number): string {
  let text = "";
  for (let j = 0; j < n; j++) text += alphabet[Math.floor(rand() * alphabet.length)];
  return text;
}

/** A date and time between the years 1 and 2500. */
function randomDateTime(rand: () => number): Temporal.PlainDateTime {
  return new Temporal.PlainDateTime(
    1 + Math.floor(rand() * 2500),
    1 + Math.floor(rand() * 12),
    1 + Math.floor(rand() * 28),
    Math.floor(rand() * 24),
    Math.floor(rand() * 60),
    Math.floor(rand() * 60),
  );
}

const env = { autoescape: true, inputSafe: false, timeZone: "UTC" };
const filters = new Engine().filters;

Deno.test("floatformat: the fast path (number argument) matches the decimal path (string argument)", () => {
  const rand = random(1);
  const values = [0.5, -0.5, 1.005, -1.005, 2.675, 9.995, 0.05, -0.0001, 123456789.125, 0.1 + 0.2];
  // Carries into a new leading digit, with and without a sign; results that round to zero.
  values.push(-9.995, -0.995, 99.5, -99.5, 999.9996, -0.4, -0.00049, 0.00051, -1.5, 2.5);
  for (let i = 0; i < 20000; i++) {
    const magnitude = 10 ** (Math.floor(rand() * 14) - 6);
    let x = (rand() - 0.5) * magnitude;
    if (i % 3 === 0) x = Math.round(x * 1000) / 1000 + (i % 2 ? 0.005 : -0.0005);
    values.push(x);
  }
  for (const x of values) {
    for (const places of [-3, -1, 0, 1, 2, 3, 6]) {
      const fast = String(floatformat(x, places));
      const general = String(floatformat(x, String(places)));
      assert.equal(fast, general, `floatformat(${x}, ${places})`);
    }
  }
});

Deno.test("date: the field-only fast path matches the general formatter", () => {
  const rand = random(2);
  const date = filters.get("date")!;
  const formats = ["Y-m-d H:i", "j M Y", "d/m/y", "D, j N Y", "g:i A", "h:i a s", "F jS", "E n G"];
  for (let i = 0; i < 2000; i++) {
    const dt = randomDateTime(rand);
    for (const format of formats) {
      assert.equal(date.fn(dt, format, env), formatDate(dt, format), `${dt} ${format}`);
    }
    const day = dt.toPlainDate();
    assert.equal(date.fn(day, "j M Y", env), formatDate(day, "j M Y"), `${day}`);
  }
  // A time character on a date still raises Django's error (the general path's).
  assert.throws(() => date.fn(Temporal.PlainDate.from("2024-01-02"), "H:i", env), TypeError);
});

Deno.test("truncatewords: the single-space fast path matches splitting into words", () => {
  const rand = random(3);
  const pieces = ["a", "bc", "déf", " ", " ", " ", "  ", "\t", "\n", "\u00a0", "…", "x…"];
  const truncatewords = filters.get("truncatewords")!;
  for (let i = 0; i < 20000; i++) {
    const text = randomText(rand, pieces, Math.floor(rand() * 14));
    const length = Math.floor(rand() * 6) - 1;
    const words = pySplit(text);
    let expected = words.join(" ");
    if (words.length > length) {
      // Python's words[:length], negative lengths included.
      const kept = words.slice(0, length).join(" ");
      expected = kept.endsWith(" …") ? kept : kept + " …";
    }
    assert.equal(truncatewords.fn(text, length, env), expected, JSON.stringify([text, length]));
  }
});

Deno.test("title: the ASCII fast path matches title() and Django's two fixes", () => {
  const rand = random(4);
  const alphabet = "aZb Y'09-_.q'1";
  for (let i = 0; i < 50000; i++) {
    const text = randomText(rand, alphabet, Math.floor(rand() * 12));
    assert.equal(titleAscii(text), titleAnyText(text), JSON.stringify(text));
  }
  assert.equal(titleAscii("é"), undefined, "non-ASCII text takes the general path");
  // Texts longer than one String.fromCharCode call are built in pieces.
  const long = "they're 1st o'neil and-so_on ".repeat(2000);
  assert.equal(titleAscii(long), titleAnyText(long), "a 58,000-character text");
});

Deno.test("title: remembered titles of long texts are the computed ones, past the cache's size", () => {
  const rand = random(6);
  const alphabet = "ab Cd'e1 ÉÀ-x";
  const texts: string[] = [];
  // Enough distinct texts of up to 200 characters to fill the cache several times over.
  for (let i = 0; i < 30000; i++) {
    const text = randomText(rand, alphabet, 20 + Math.floor(rand() * 180));
    texts.push(text);
  }
  for (const text of [...texts, ...texts.slice(0, 500)]) {
    assert.equal(titleCase(text), titleAnyText(text), JSON.stringify(text));
  }
});

Deno.test("title: the printed title is the escaped one, remembered or not, whatever the cache admits", () => {
  const rand = random(7);
  const alphabet = "ab Cd'e1&<>\"É-x";
  const text = (): string => randomText(rand, alphabet, Math.floor(rand() * 120));
  // Texts that come back (the cache admits everything), then a feed of new ones (it admits a
  // sample), then the first ones again.
  const repeated = Array.from({ length: 300 }, text);
  const check = (t: string) =>
    assert.equal(printTitle(t), escapeHtml(titleAnyText(t)), JSON.stringify(t));
  for (let round = 0; round < 20; round++) repeated.forEach(check);
  for (let i = 0; i < 20000; i++) check(text());
  for (let round = 0; round < 20; round++) repeated.forEach(check);
  for (const t of repeated) assert.equal(titleCase(t), titleAnyText(t), JSON.stringify(t));
});

Deno.test("date and yesno: an argument said to be escape-free never prints markup", () => {
  const rand = random(8);
  const date = filters.get("date")!, yesno = filters.get("yesno")!;
  const markup = /[&<>"']/;
  const formatAlphabet = "aAbcdDeEfFgGhHiIjlLmMnNoOPrsStTUuwWyYzZ -:/.,\\&<'x";
  let free = 0;
  for (let i = 0; i < 3000; i++) {
    const format = randomText(rand, formatAlphabet, 1 + Math.floor(rand() * 5));
    if (!escapeFreeFormat(format)) continue;
    free++;
    const dt = randomDateTime(rand);
    const out = String(date.fn(dt, format, env));
    assert.ok(!markup.test(out), `${format} printed ${out}`);
    assert.ok(date.escapeFree!(format), format);
  }
  assert.ok(free > 100, `${free} escape-free formats tried`);
  assert.ok(!escapeFreeFormat("DATE_FORMAT") && !escapeFreeFormat("") && !escapeFreeFormat("D"));
  assert.ok(!date.escapeFree!(undefined), "the default format has names");
  const choiceAlphabet = "ab,<&\"' ";
  for (let i = 0; i < 3000; i++) {
    const spec = randomText(rand, choiceAlphabet, Math.floor(rand() * 8));
    if (!yesno.escapeFree!(spec)) continue;
    for (const value of [true, false, null, "<i>", 0]) {
      const out = String(yesno.fn(value, spec, env));
      assert.ok(!markup.test(out), `yesno:${JSON.stringify(spec)} printed ${out}`);
    }
  }
  assert.ok(yesno.escapeFree!(undefined) && !yesno.escapeFree!("one"));
});

Deno.test("truncatechars: the ASCII-prefix fast path matches Django's character count", () => {
  const rand = random(9);
  const truncatechars = filters.get("truncatechars")!;
  // Django's Truncator.chars: NFC, combining marks not counted, "…" takes one character.
  const reference = (text: string, length: number): string => {
    text = text.normalize("NFC");
    const chars = [...text];
    let count = 0, end: number | null = null;
    for (let i = 0; i < chars.length; i++) {
      if (/\p{Mn}/u.test(chars[i])) continue;
      count++;
      if (end === null && count > length - 1) end = i;
      if (count > length) return chars.slice(0, end ?? 0).join("") + "…";
    }
    return text;
  };
  const pieces = ["a", "b", " ", "e", "\u0301", "é", "x\u0308", "😀", "…"];
  for (let i = 0; i < 20000; i++) {
    const text = randomText(rand, pieces, Math.floor(rand() * 12));
    const length = Math.floor(rand() * 14) - 2;
    assert.equal(
      truncatechars.fn(text, length, env),
      reference(text, length),
      JSON.stringify([text, length]),
    );
  }
});

Deno.test("escapeHtml: the native scan matches replacing each character", () => {
  const rand = random(5);
  const alphabet = `ab&<>"' é\n`;
  const reference = (text: string): string =>
    text.replaceAll("&", "&amp;").replaceAll("<", "&lt;").replaceAll(">", "&gt;")
      .replaceAll('"', "&quot;").replaceAll("'", "&#x27;");
  for (let i = 0; i < 20000; i++) {
    const text = randomText(rand, alphabet, Math.floor(rand() * 40));
    assert.equal(escapeHtml(text), reference(text), JSON.stringify(text));
  }
});
