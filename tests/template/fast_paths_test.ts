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
import { titleAnyText, titleAscii, titleCase } from "../../lib/template/filters/title.ts";

/** A small deterministic PRNG (mulberry32), so a failure reproduces. */
function random(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const env = { autoescape: true, inputSafe: false, timeZone: "UTC" };
const filters = new Engine().filters;

Deno.test("floatformat: the fast path (number argument) matches the decimal path (string argument)", () => {
  const rand = random(1);
  const values = [0.5, -0.5, 1.005, -1.005, 2.675, 9.995, 0.05, -0.0001, 123456789.125, 0.1 + 0.2];
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
    const dt = new Temporal.PlainDateTime(
      1 + Math.floor(rand() * 2500),
      1 + Math.floor(rand() * 12),
      1 + Math.floor(rand() * 28),
      Math.floor(rand() * 24),
      Math.floor(rand() * 60),
      Math.floor(rand() * 60),
    );
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
    let text = "";
    const n = Math.floor(rand() * 14);
    for (let j = 0; j < n; j++) text += pieces[Math.floor(rand() * pieces.length)];
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
    let text = "";
    const n = Math.floor(rand() * 12);
    for (let j = 0; j < n; j++) text += alphabet[Math.floor(rand() * alphabet.length)];
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
    let text = "";
    const n = 20 + Math.floor(rand() * 180);
    for (let j = 0; j < n; j++) text += alphabet[Math.floor(rand() * alphabet.length)];
    texts.push(text);
  }
  for (const text of [...texts, ...texts.slice(0, 500)]) {
    assert.equal(titleCase(text), titleAnyText(text), JSON.stringify(text));
  }
});

Deno.test("escapeHtml: the native scan matches replacing each character", () => {
  const rand = random(5);
  const alphabet = `ab&<>"' é\n`;
  const reference = (text: string): string =>
    text.replaceAll("&", "&amp;").replaceAll("<", "&lt;").replaceAll(">", "&gt;")
      .replaceAll('"', "&quot;").replaceAll("'", "&#x27;");
  for (let i = 0; i < 20000; i++) {
    let text = "";
    const n = Math.floor(rand() * 40);
    for (let j = 0; j < n; j++) text += alphabet[Math.floor(rand() * alphabet.length)];
    assert.equal(escapeHtml(text), reference(text), JSON.stringify(text));
  }
});
