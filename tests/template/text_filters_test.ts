/**
 * Tests of the text and HTML filters, called directly. Every expected value was rendered by Django 3.2
 * (tests/conformance/django_oracle.py): text results with autoescaping off, safe results as rendered.
 */
import assert from "node:assert/strict";
import { loremParagraphs, loremWords, textFilters } from "../../lib/template/filters/text.ts";
import { htmlFilters } from "../../lib/template/filters/html.ts";
import type { FilterEnv } from "../../lib/template/filters/registry.ts";
import { SafeString } from "../../lib/template/safe.ts";

const env: FilterEnv = { autoescape: true, inputSafe: false, timeZone: "UTC" };
const safeEnv: FilterEnv = { ...env, inputSafe: true };
const rawEnv: FilterEnv = { ...env, autoescape: false };
const rawSafeEnv: FilterEnv = { ...env, autoescape: false, inputSafe: true };

/** Asserts that a filter returned already-escaped text (a SafeString) with the given content. */
function assertSafe(result: unknown, expected: string): void {
  assert.ok(result instanceof SafeString, `expected a SafeString, got ${typeof result}`);
  assert.equal(result.value, expected);
}

/** Django's flags per filter: is_safe, needs_autoescape, @stringfilter, argument. */
const DJANGO_FLAGS: Record<string, [boolean, boolean, boolean, string]> = {
  addslashes: [true, false, true, "none"],
  capfirst: [true, false, true, "none"],
  center: [true, false, true, "required"],
  cut: [false, false, true, "required"],
  escape: [true, false, true, "none"],
  escapejs: [false, false, true, "none"],
  force_escape: [true, false, true, "none"],
  iriencode: [true, false, true, "none"],
  json_script: [true, false, false, "required"],
  linebreaks: [true, true, true, "none"],
  linebreaksbr: [true, true, true, "none"],
  linenumbers: [true, true, true, "none"],
  ljust: [true, false, true, "required"],
  lower: [true, false, true, "none"],
  make_list: [false, false, true, "none"],
  phone2numeric: [true, false, false, "none"],
  rjust: [true, false, true, "required"],
  slugify: [true, false, true, "none"],
  striptags: [true, false, true, "none"],
  title: [true, false, true, "none"],
  truncatechars: [true, false, true, "required"],
  truncatechars_html: [true, false, true, "required"],
  truncatewords: [true, false, true, "required"],
  truncatewords_html: [true, false, true, "required"],
  unordered_list: [true, true, false, "none"],
  upper: [false, false, true, "none"],
  urlencode: [false, false, true, "optional"],
  urlize: [true, true, true, "none"],
  urlizetrunc: [true, true, true, "required"],
  wordcount: [false, false, true, "none"],
  wordwrap: [true, false, true, "required"],
};

Deno.test("filters have Django's flags and arity", () => {
  const filters = { ...textFilters, ...htmlFilters };
  assert.deepEqual(Object.keys(filters).sort(), Object.keys(DJANGO_FLAGS).sort());
  for (const [name, [isSafe, needsAutoescape, stringFilter, arg]] of Object.entries(DJANGO_FLAGS)) {
    const def = filters[name];
    assert.deepEqual(
      [!!def.isSafe, !!def.needsAutoescape, !!def.stringFilter, def.arg ?? "none"],
      [isSafe, needsAutoescape, stringFilter, arg],
      name,
    );
  }
});

Deno.test("addslashes escapes a single quote", () => {
  assert.equal(textFilters.addslashes.fn("I'm here", undefined, env), "I\\'m here");
});

Deno.test("addslashes escapes double quotes and backslashes", () => {
  assert.equal(
    textFilters.addslashes.fn('He said "hi" \\ bye', undefined, env),
    'He said \\"hi\\" \\\\ bye',
  );
});

Deno.test("addslashes leaves an empty string empty", () => {
  assert.equal(textFilters.addslashes.fn("", undefined, env), "");
});

Deno.test("addslashes keeps non-ASCII text", () => {
  assert.equal(textFilters.addslashes.fn("l'été", undefined, env), "l\\'été");
});

Deno.test("addslashes of safe input stays unescaped text", () => {
  assert.equal(
    textFilters.addslashes.fn('it\'s "quoted"', undefined, safeEnv),
    'it\\\'s \\"quoted\\"',
  );
});

Deno.test("capfirst upper-cases the first letter", () => {
  assert.equal(textFilters.capfirst.fn("hello world", undefined, env), "Hello world");
});

Deno.test("capfirst of an empty string is empty", () => {
  assert.equal(textFilters.capfirst.fn("", undefined, env), "");
});

Deno.test("capfirst upper-cases an accented first letter", () => {
  assert.equal(textFilters.capfirst.fn("élan vital", undefined, env), "Élan vital");
});

Deno.test("capfirst expands sharp s to SS", () => {
  assert.equal(textFilters.capfirst.fn("ßa", undefined, env), "SSa");
});

Deno.test("capfirst leaves a leading tag bracket alone", () => {
  assert.equal(textFilters.capfirst.fn("<b>bold</b>", undefined, env), "<b>bold</b>");
});

Deno.test("capfirst of None prints None", () => {
  assert.equal(textFilters.capfirst.fn("None", undefined, env), "None");
});

Deno.test("capfirst handles an astral first character", () => {
  assert.equal(textFilters.capfirst.fn("😀x", undefined, env), "😀x");
});

Deno.test("center pads evenly", () => {
  assert.equal(textFilters.center.fn("abc", "9", env), "   abc   ");
});

Deno.test("center puts the extra space right for an odd margin and odd width", () => {
  assert.equal(textFilters.center.fn("ab", "7", env), "   ab  ");
});

Deno.test("center puts the extra space right for an odd margin and even width", () => {
  assert.equal(textFilters.center.fn("abc", "8", env), "  abc   ");
});

Deno.test("center never truncates", () => {
  assert.equal(textFilters.center.fn("abcdef", "2", env), "abcdef");
});

Deno.test("center accepts an integer width", () => {
  assert.equal(textFilters.center.fn("x", 6, env), "  x   ");
});

Deno.test("center counts code points, not UTF-16 units", () => {
  assert.equal(textFilters.center.fn("😀b", 7, env), "   😀b  ");
});

Deno.test("center keeps tags as text", () => {
  assert.equal(textFilters.center.fn("<a>", "10", env), "   <a>    ");
});

Deno.test("center with a non-integer width raises ValueError", () => {
  assert.throws(() => textFilters.center.fn("x", "wide", env), { name: "ValueError" });
});

Deno.test("center with a None width raises TypeError", () => {
  assert.throws(() => textFilters.center.fn("x", null, env), { name: "TypeError" });
});

Deno.test("cut removes every space", () => {
  assert.equal(textFilters.cut.fn("a b c d", " ", env), "abcd");
});

Deno.test("cut removes every occurrence of a substring", () => {
  assert.equal(textFilters.cut.fn("banana", "an", env), "ba");
});

Deno.test("cut on unsafe input leaves escaping to autoescape", () => {
  assert.equal(textFilters.cut.fn("<b>x</b>", "b", env), "<>x</>");
});

Deno.test("cut of ; from safe input drops safety", () => {
  assert.equal(textFilters.cut.fn("a&amp;b", ";", safeEnv), "a&ampb");
});

Deno.test("cut of & from safe input keeps it safe", () => {
  assertSafe(textFilters.cut.fn("a&amp;b", "&", safeEnv), "aamp;b");
});

Deno.test("cut with an integer argument raises TypeError", () => {
  assert.throws(() => textFilters.cut.fn("a5", 5, env), { name: "TypeError" });
});

Deno.test("escape escapes the five HTML characters", () => {
  assertSafe(
    textFilters.escape.fn("<a href=\"x\">'&'</a>", undefined, env),
    "&lt;a href=&quot;x&quot;&gt;&#x27;&amp;&#x27;&lt;/a&gt;",
  );
});

Deno.test("escape does not escape safe input again", () => {
  assertSafe(textFilters.escape.fn("<b>x</b>", undefined, safeEnv), "<b>x</b>");
});

Deno.test("escape escapes even with autoescape off", () => {
  assertSafe(textFilters.escape.fn("<i>&", undefined, rawEnv), "&lt;i&gt;&amp;");
});

Deno.test("force_escape escapes the five HTML characters", () => {
  assertSafe(textFilters.force_escape.fn("<p>&</p>", undefined, env), "&lt;p&gt;&amp;&lt;/p&gt;");
});

Deno.test("force_escape escapes safe input too", () => {
  assertSafe(textFilters.force_escape.fn("<b>", undefined, safeEnv), "&lt;b&gt;");
});

Deno.test("force_escape escapes quotes with autoescape off", () => {
  assertSafe(
    textFilters.force_escape.fn("\"quoted\" & 'single'", undefined, rawEnv),
    "&quot;quoted&quot; &amp; &#x27;single&#x27;",
  );
});

Deno.test("escapejs escapes quotes and ampersands", () => {
  assertSafe(
    textFilters.escapejs.fn("He said \"hi\" & 'bye'", undefined, env),
    "He said \\u0022hi\\u0022 \\u0026 \\u0027bye\\u0027",
  );
});

Deno.test("escapejs escapes control characters", () => {
  assertSafe(
    textFilters.escapejs.fn("line1\nline2\tend\r", undefined, env),
    "line1\\u000Aline2\\u0009end\\u000D",
  );
});

Deno.test("escapejs neutralises a closing script tag", () => {
  assertSafe(
    textFilters.escapejs.fn("</script><script>alert(1)</script>", undefined, env),
    "\\u003C/script\\u003E\\u003Cscript\\u003Ealert(1)\\u003C/script\\u003E",
  );
});

Deno.test("escapejs escapes line and paragraph separators", () => {
  assertSafe(textFilters.escapejs.fn("a\u2028b\u2029c", undefined, env), "a\\u2028b\\u2029c");
});

Deno.test("escapejs escapes backslash, equals, hyphen, semicolon and backtick", () => {
  assertSafe(
    textFilters.escapejs.fn("back\\slash = x-y; `tick`", undefined, env),
    "back\\u005Cslash \\u003D x\\u002Dy\\u003B \\u0060tick\\u0060",
  );
});

Deno.test("escapejs escapes NUL and unit separator", () => {
  assertSafe(textFilters.escapejs.fn("\u0000\u001f\u007f", undefined, env), "\\u0000\\u001F\u007f");
});

Deno.test("iriencode quotes spaces", () => {
  assert.equal(
    textFilters.iriencode.fn("http://example.com/?q=a b", undefined, env),
    "http://example.com/?q=a%20b",
  );
});

Deno.test("iriencode encodes non-ASCII as UTF-8", () => {
  assert.equal(
    textFilters.iriencode.fn("/ünïcode/päth", undefined, env),
    "/%C3%BCn%C3%AFcode/p%C3%A4th",
  );
});

Deno.test("iriencode keeps reserved characters", () => {
  assert.equal(textFilters.iriencode.fn("/search?a=1&b=2", undefined, env), "/search?a=1&b=2");
});

Deno.test("iriencode keeps percent signs and quotes brackets", () => {
  assert.equal(
    textFilters.iriencode.fn('100% <sure> "yes"', undefined, env),
    "100%%20%3Csure%3E%20%22yes%22",
  );
});

Deno.test("iriencode quotes braces, pipe and caret", () => {
  assert.equal(
    textFilters.iriencode.fn("/a#frag~x[y]{z}|^", undefined, env),
    "/a#frag~x[y]%7Bz%7D%7C%5E",
  );
});

Deno.test("iriencode encodes astral characters as four bytes", () => {
  assert.equal(textFilters.iriencode.fn("x😀", undefined, env), "x%F0%9F%98%80");
});

Deno.test("linenumbers numbers each line", () => {
  assertSafe(textFilters.linenumbers.fn("a\nb\nc", undefined, env), "1. a\n2. b\n3. c");
});

Deno.test("linenumbers zero-pads to the width of the last number", () => {
  assertSafe(
    textFilters.linenumbers.fn("l1\nl2\nl3\nl4\nl5\nl6\nl7\nl8\nl9\nl10\nl11", undefined, env),
    "01. l1\n02. l2\n03. l3\n04. l4\n05. l5\n06. l6\n07. l7\n08. l8\n09. l9\n10. l10\n11. l11",
  );
});

Deno.test("linenumbers escapes lines under autoescape", () => {
  assertSafe(textFilters.linenumbers.fn("<a>\n&b", undefined, env), "1. &lt;a&gt;\n2. &amp;b");
});

Deno.test("linenumbers leaves lines alone with autoescape off", () => {
  assertSafe(textFilters.linenumbers.fn("<a>\n&b", undefined, rawEnv), "1. <a>\n2. &b");
});

Deno.test("linenumbers leaves safe input unescaped", () => {
  assertSafe(textFilters.linenumbers.fn("<a>\n&b", undefined, safeEnv), "1. <a>\n2. &b");
});

Deno.test("linenumbers numbers empty lines", () => {
  assertSafe(textFilters.linenumbers.fn("x\n\ny\n", undefined, env), "1. x\n2. \n3. y\n4. ");
});

Deno.test("ljust pads on the right", () => {
  assert.equal(textFilters.ljust.fn("ab", "6", env), "ab    ");
});

Deno.test("ljust never truncates", () => {
  assert.equal(textFilters.ljust.fn("abcdef", "2", env), "abcdef");
});

Deno.test("ljust counts an accented letter once", () => {
  assert.equal(textFilters.ljust.fn("é", 4, env), "é   ");
});

Deno.test("ljust truncates a float width", () => {
  assert.equal(textFilters.ljust.fn("a", 2.7, env), "a ");
});

Deno.test("ljust accepts underscores in the width", () => {
  assert.equal(textFilters.ljust.fn("a", "1_0", env), "a         ");
});

Deno.test("ljust with a non-integer width raises ValueError", () => {
  assert.throws(() => textFilters.ljust.fn("a", "x", env), { name: "ValueError" });
});

Deno.test("rjust pads on the left", () => {
  assert.equal(textFilters.rjust.fn("ab", "6", env), "    ab");
});

Deno.test("rjust never truncates", () => {
  assert.equal(textFilters.rjust.fn("abc", "1", env), "abc");
});

Deno.test("rjust counts CJK characters once", () => {
  assert.equal(textFilters.rjust.fn("日本", "4", env), "  日本");
});

Deno.test("rjust accepts Arabic-Indic digits in the width", () => {
  assert.equal(textFilters.rjust.fn("a", "٣", env), "  a");
});

Deno.test("lower lower-cases ASCII", () => {
  assert.equal(textFilters.lower.fn("HeLLo WoRLD", undefined, env), "hello world");
});

Deno.test("lower lower-cases accented capitals", () => {
  assert.equal(textFilters.lower.fn("ÀÉÎÕÜ", undefined, env), "àéîõü");
});

Deno.test("lower of None prints none", () => {
  assert.equal(textFilters.lower.fn("None", undefined, env), "none");
});

Deno.test("lower turns a final capital sigma into final sigma", () => {
  assert.equal(textFilters.lower.fn("ΟΔΟΣ ΣΑΣ", undefined, env), "οδος σας");
});

Deno.test("lower of safe input keeps the tags", () => {
  assert.equal(textFilters.lower.fn("<B>SAFE</B>", undefined, safeEnv), "<b>safe</b>");
});

Deno.test("upper upper-cases ASCII", () => {
  assert.equal(textFilters.upper.fn("hello World", undefined, env), "HELLO WORLD");
});

Deno.test("upper expands sharp s", () => {
  assert.equal(textFilters.upper.fn("straße élan", undefined, env), "STRASSE ÉLAN");
});

Deno.test("upper of None prints NONE", () => {
  assert.equal(textFilters.upper.fn("None", undefined, env), "NONE");
});

Deno.test("upper of the fi ligature gives two letters", () => {
  assert.equal(textFilters.upper.fn("ﬁx", undefined, env), "FIX");
});

Deno.test("make_list splits a string into characters", () => {
  assert.deepEqual(textFilters.make_list.fn("abc", undefined, env), ["a", "b", "c"]);
});

Deno.test("make_list splits digits of a number", () => {
  assert.deepEqual(textFilters.make_list.fn("9081", undefined, env), ["9", "0", "8", "1"]);
});

Deno.test("make_list keeps astral characters whole", () => {
  assert.deepEqual(textFilters.make_list.fn("a😀b", undefined, env), ["a", "😀", "b"]);
});

Deno.test("make_list keeps a decomposed accent as its own character", () => {
  assert.deepEqual(textFilters.make_list.fn("he\u0301y", undefined, env), [
    "h",
    "e",
    "\u0301",
    "y",
  ]);
});

Deno.test("phone2numeric maps letters to keypad digits", () => {
  assert.equal(textFilters.phone2numeric.fn("1-888-TEMPLATE", undefined, env), "1-888-83675283");
});

Deno.test("phone2numeric maps lower-case letters", () => {
  assert.equal(textFilters.phone2numeric.fn("call-me-now", undefined, env), "2255-63-669");
});

Deno.test("phone2numeric maps q and z", () => {
  assert.equal(textFilters.phone2numeric.fn("QZ qz", undefined, env), "79 79");
});

Deno.test("phone2numeric maps letters inside words", () => {
  assert.equal(textFilters.phone2numeric.fn("555-1234 ext. 9", undefined, env), "555-1234 398. 9");
});

Deno.test("phone2numeric leaves brackets alone", () => {
  assert.equal(textFilters.phone2numeric.fn("<ABC>", undefined, env), "<222>");
});

Deno.test("phone2numeric of a number raises AttributeError", () => {
  assert.throws(() => textFilters.phone2numeric.fn(5, undefined, env), { name: "AttributeError" });
});

Deno.test("phone2numeric of None raises AttributeError", () => {
  assert.throws(() => textFilters.phone2numeric.fn(null, undefined, env), {
    name: "AttributeError",
  });
});

Deno.test("slugify lower-cases and hyphenates", () => {
  assert.equal(textFilters.slugify.fn("Hello World!", undefined, env), "hello-world");
});

Deno.test("slugify drops symbols and trims", () => {
  assert.equal(textFilters.slugify.fn("  Salt & Pepper  ", undefined, env), "salt-pepper");
});

Deno.test("slugify strips accents", () => {
  assert.equal(textFilters.slugify.fn("Ünïcödé Çafé", undefined, env), "unicode-cafe");
});

Deno.test("slugify collapses runs of spaces and hyphens", () => {
  assert.equal(textFilters.slugify.fn("a_b-c  d--e", undefined, env), "a_b-c-d-e");
});

Deno.test("slugify trims hyphens and underscores", () => {
  assert.equal(textFilters.slugify.fn("---__x__---", undefined, env), "x");
});

Deno.test("slugify drops characters with no ASCII form", () => {
  assert.equal(textFilters.slugify.fn("日本語", undefined, env), "");
});

Deno.test("slugify decomposes ligatures and fractions", () => {
  assert.equal(textFilters.slugify.fn("ﬁ½ Æble Œuvre", undefined, env), "fi12-ble-uvre");
});

Deno.test("slugify treats the information separators as spaces", () => {
  assert.equal(textFilters.slugify.fn("a\u001cb\u001fc", undefined, env), "a-b-c");
});

Deno.test("title capitalises each word", () => {
  assert.equal(textFilters.title.fn("hello world", undefined, env), "Hello World");
});

Deno.test("title keeps the letter after an apostrophe lower-case", () => {
  assert.equal(
    textFilters.title.fn("they're bob's friends", undefined, env),
    "They're Bob's Friends",
  );
});

Deno.test("title keeps the letter after a digit lower-case", () => {
  assert.equal(textFilters.title.fn("1st place, 2nd row", undefined, env), "1st Place, 2nd Row");
});

Deno.test("title capitalises after a hyphen", () => {
  assert.equal(textFilters.title.fn("élan vital-ish", undefined, env), "Élan Vital-Ish");
});

Deno.test("title capitalises inside tags", () => {
  assert.equal(textFilters.title.fn("<b>tag & text</b>", undefined, env), "<B>Tag & Text</B>");
});

Deno.test("title uses titlecase digraphs and expands sharp s", () => {
  assert.equal(textFilters.title.fn("ǆemal ßa ﬁx", undefined, env), "ǅemal Ssa Fix");
});

Deno.test("title uses final sigma inside a word", () => {
  assert.equal(textFilters.title.fn("ΑΣ ΑΣΑ", undefined, env), "Ας Ασα");
});

Deno.test("title lower-cases after Arabic-Indic digits", () => {
  assert.equal(textFilters.title.fn("٣RD x1y", undefined, env), "٣rd X1y");
});

Deno.test("truncatechars cuts and adds an ellipsis", () => {
  assert.equal(textFilters.truncatechars.fn("Hello world", 8, env), "Hello w…");
});

Deno.test("truncatechars keeps short text", () => {
  assert.equal(textFilters.truncatechars.fn("Hello world", 20, env), "Hello world");
});

Deno.test("truncatechars to one character is just the ellipsis", () => {
  assert.equal(textFilters.truncatechars.fn("Hello", 1, env), "…");
});

Deno.test("truncatechars to zero characters is just the ellipsis", () => {
  assert.equal(textFilters.truncatechars.fn("Hello", 0, env), "…");
});

Deno.test("truncatechars to a negative length is just the ellipsis", () => {
  assert.equal(textFilters.truncatechars.fn("abc", -1, env), "…");
});

Deno.test("truncatechars ignores a non-integer length", () => {
  assert.equal(textFilters.truncatechars.fn("Hello world", "abc", env), "Hello world");
});

Deno.test("truncatechars with a None length raises TypeError", () => {
  assert.throws(() => textFilters.truncatechars.fn("abc", null, env), { name: "TypeError" });
});

Deno.test("truncatechars counts tags as text", () => {
  assert.equal(textFilters.truncatechars.fn("<b>bold text</b>", 5, env), "<b>b…");
});

Deno.test("truncatechars counts accented letters once", () => {
  assert.equal(textFilters.truncatechars.fn("Ünïcödé strings", 6, env), "Ünïcö…");
});

Deno.test("truncatechars does not count combining marks", () => {
  assert.equal(textFilters.truncatechars.fn("e\u0301e\u0301e\u0301e\u0301", 3, env), "éé…");
});

Deno.test("truncatechars adds an ellipsis even after one", () => {
  assert.equal(textFilters.truncatechars.fn("a…bcd", 3, env), "a……");
});

Deno.test("truncatechars counts astral characters once", () => {
  assert.equal(textFilters.truncatechars.fn("😀😀😀😀", 3, env), "😀😀…");
});

Deno.test("truncatewords keeps the first words", () => {
  assert.equal(textFilters.truncatewords.fn("The quick brown fox", 2, env), "The quick …");
});

Deno.test("truncatewords joins words with single spaces", () => {
  assert.equal(textFilters.truncatewords.fn("The   quick\nbrown", 10, env), "The quick brown");
});

Deno.test("truncatewords to zero words leaves the ellipsis", () => {
  assert.equal(textFilters.truncatewords.fn("one two", 0, env), " …");
});

Deno.test("truncatewords ignores a non-integer length", () => {
  assert.equal(textFilters.truncatewords.fn("one two", "x", env), "one two");
});

Deno.test("truncatewords counts tags as words", () => {
  assert.equal(textFilters.truncatewords.fn("<b>bold</b> <i>it</i>", 1, env), "<b>bold</b> …");
});

Deno.test("truncatewords accepts a numeric string", () => {
  assert.equal(textFilters.truncatewords.fn("uno dos tres cuatro", "3", env), "uno dos tres …");
});

Deno.test("truncatewords drops words from the end for a negative length", () => {
  assert.equal(textFilters.truncatewords.fn("a b c d", -1, env), "a b c …");
});

Deno.test("truncatewords splits on Unicode spaces", () => {
  assert.equal(textFilters.truncatewords.fn("a\u00a0b\u3000c", 2, env), "a b …");
});

Deno.test("truncatewords does not repeat an ellipsis word", () => {
  assert.equal(textFilters.truncatewords.fn("a b … c", 3, env), "a b …");
});

Deno.test("urlencode quotes spaces and ampersands", () => {
  assert.equal(textFilters.urlencode.fn("a b&c", undefined, env), "a%20b%26c");
});

Deno.test("urlencode keeps slashes by default", () => {
  assert.equal(textFilters.urlencode.fn("/path/to x", undefined, env), "/path/to%20x");
});

Deno.test("urlencode with an empty safe set quotes slashes", () => {
  assert.equal(textFilters.urlencode.fn("/path/to x", "", env), "%2Fpath%2Fto%20x");
});

Deno.test("urlencode encodes UTF-8", () => {
  assert.equal(textFilters.urlencode.fn("café", undefined, env), "caf%C3%A9");
});

Deno.test("urlencode quotes plus, equals, question mark and hash", () => {
  assert.equal(textFilters.urlencode.fn("a+b=c?d#e", undefined, env), "a%2Bb%3Dc%3Fd%23e");
});

Deno.test("urlencode keeps the given safe characters", () => {
  assert.equal(textFilters.urlencode.fn("http://x.y/a b", "/:", env), "http://x.y/a%20b");
});

Deno.test("urlencode with an integer safe argument raises TypeError", () => {
  assert.throws(() => textFilters.urlencode.fn("a b", 1, env), { name: "TypeError" });
});

Deno.test("wordcount counts words", () => {
  assert.equal(textFilters.wordcount.fn("a b  c", undefined, env), 3);
});

Deno.test("wordcount of an empty string is zero", () => {
  assert.equal(textFilters.wordcount.fn("", undefined, env), 0);
});

Deno.test("wordcount splits on tabs and newlines", () => {
  assert.equal(textFilters.wordcount.fn("  héllo   wörld\n\tnew ", undefined, env), 3);
});

Deno.test("wordcount splits on no-break and ideographic spaces", () => {
  assert.equal(textFilters.wordcount.fn("a\u00a0b\u3000c\u200bd", undefined, env), 3);
});

Deno.test("wordwrap breaks lines at the width", () => {
  assert.equal(
    textFilters.wordwrap.fn("The quick brown fox jumps over", 10, env),
    "The quick\nbrown fox\njumps over",
  );
});

Deno.test("wordwrap keeps long words whole", () => {
  assert.equal(
    textFilters.wordwrap.fn("supercalifragilistic is long", 5, env),
    "supercalifragilistic\nis\nlong",
  );
});

Deno.test("wordwrap keeps existing line breaks", () => {
  assert.equal(
    textFilters.wordwrap.fn("line one\nline two is longer", 8, env),
    "line one\nline two\nis\nlonger",
  );
});

Deno.test("wordwrap drops blank lines and expands tabs", () => {
  assert.equal(
    textFilters.wordwrap.fn("a\n\nb verylongword c\td e", 5, env),
    "a\nb\nverylongword\nc\nd e",
  );
});

Deno.test("wordwrap expands tabs to eight columns", () => {
  assert.equal(textFilters.wordwrap.fn("a\tb\tcc dd\tee", 6, env), "a\nb\ncc dd\nee");
});

Deno.test("wordwrap treats no-break spaces as blank at line edges", () => {
  assert.equal(textFilters.wordwrap.fn("a \u00a0 b c", 3, env), "a \nb c");
});

Deno.test("wordwrap of zero width raises ValueError", () => {
  assert.throws(() => textFilters.wordwrap.fn("abc", 0, env), { name: "ValueError" });
});

Deno.test("wordwrap of empty text accepts any width", () => {
  assert.equal(textFilters.wordwrap.fn("", 0, env), "");
});

Deno.test("json_script writes Python's JSON spacing", () => {
  assertSafe(
    htmlFilters.json_script.fn({ a: 1, b: [true, null] }, "data", env),
    '<script id="data" type="application/json">{"a": 1, "b": [true, null]}</script>',
  );
});

Deno.test("json_script escapes a closing script tag", () => {
  assertSafe(
    htmlFilters.json_script.fn("</script><script>x</script>", "s1", env),
    '<script id="s1" type="application/json">"\\u003C/script\\u003E\\u003Cscript\\u003Ex\\u003C/script\\u003E"</script>',
  );
});

Deno.test("json_script escapes ampersands and angle brackets", () => {
  assertSafe(
    htmlFilters.json_script.fn("a & b > c", "amp", env),
    '<script id="amp" type="application/json">"a \\u0026 b \\u003E c"</script>',
  );
});

Deno.test("json_script escapes non-ASCII", () => {
  assertSafe(
    htmlFilters.json_script.fn("café ☃ 😀", "u", env),
    '<script id="u" type="application/json">"caf\\u00e9 \\u2603 \\ud83d\\ude00"</script>',
  );
});

Deno.test("json_script escapes the element id", () => {
  assertSafe(
    htmlFilters.json_script.fn({ k: "v" }, 'a&b"><script>', env),
    '<script id="a&amp;b&quot;&gt;&lt;script&gt;" type="application/json">{"k": "v"}</script>',
  );
});

Deno.test("json_script writes floats, null and escapes", () => {
  assertSafe(
    htmlFilters.json_script.fn({ f: 1.5, n: null, e: "\n\t\u0000" }, "x", env),
    '<script id="x" type="application/json">{"f": 1.5, "n": null, "e": "\\n\\t\\u0000"}</script>',
  );
});

Deno.test("json_script writes a datetime in milliseconds", () => {
  assertSafe(
    htmlFilters.json_script.fn(Temporal.PlainDateTime.from("2024-03-05T14:07:09.123456"), "d", env),
    '<script id="d" type="application/json">"2024-03-05T14:07:09.123"</script>',
  );
});

Deno.test("json_script writes a date", () => {
  assertSafe(
    htmlFilters.json_script.fn(Temporal.PlainDate.from("2024-03-05"), "d", env),
    '<script id="d" type="application/json">"2024-03-05"</script>',
  );
});

Deno.test("linebreaks turns a single newline into br", () => {
  assertSafe(htmlFilters.linebreaks.fn("a\nb", undefined, env), "<p>a<br>b</p>");
});

Deno.test("linebreaks splits paragraphs on blank lines", () => {
  assertSafe(
    htmlFilters.linebreaks.fn("para one\n\npara two\nline", undefined, env),
    "<p>para one</p>\n\n<p>para two<br>line</p>",
  );
});

Deno.test("linebreaks normalises CR and CRLF", () => {
  assertSafe(htmlFilters.linebreaks.fn("x\r\ny\r\rz", undefined, env), "<p>x<br>y</p>\n\n<p>z</p>");
});

Deno.test("linebreaks escapes each paragraph", () => {
  assertSafe(
    htmlFilters.linebreaks.fn("<b>x</b>\n\n&y", undefined, env),
    "<p>&lt;b&gt;x&lt;/b&gt;</p>\n\n<p>&amp;y</p>",
  );
});

Deno.test("linebreaks of empty text is one empty paragraph", () => {
  assertSafe(htmlFilters.linebreaks.fn("", undefined, env), "<p></p>");
});

Deno.test("linebreaks keeps a trailing empty paragraph", () => {
  assertSafe(
    htmlFilters.linebreaks.fn("a\n\n\n\nb\n\n\n", undefined, env),
    "<p>a</p>\n\n<p>b</p>\n\n<p></p>",
  );
});

Deno.test("linebreaks leaves safe input unescaped", () => {
  assertSafe(
    htmlFilters.linebreaks.fn("<i>a</i>\n\nb", undefined, safeEnv),
    "<p><i>a</i></p>\n\n<p>b</p>",
  );
});

Deno.test("linebreaks does not escape with autoescape off", () => {
  assertSafe(htmlFilters.linebreaks.fn("<x>\n&", undefined, rawEnv), "<p><x><br>&</p>");
});

Deno.test("linebreaksbr turns every newline into br", () => {
  assertSafe(htmlFilters.linebreaksbr.fn("a\nb\r\nc\rd", undefined, env), "a<br>b<br>c<br>d");
});

Deno.test("linebreaksbr escapes unsafe input", () => {
  assertSafe(htmlFilters.linebreaksbr.fn("<x>\n&", undefined, env), "&lt;x&gt;<br>&amp;");
});

Deno.test("linebreaksbr does not escape with autoescape off", () => {
  assertSafe(htmlFilters.linebreaksbr.fn("<x>\n&", undefined, rawEnv), "<x><br>&");
});

Deno.test("linebreaksbr leaves safe input unescaped", () => {
  assertSafe(
    htmlFilters.linebreaksbr.fn("<i>a</i>\n<i>b</i>", undefined, safeEnv),
    "<i>a</i><br><i>b</i>",
  );
});

Deno.test("linebreaksbr of empty text is empty", () => {
  assertSafe(htmlFilters.linebreaksbr.fn("", undefined, env), "");
});

Deno.test("striptags removes tags", () => {
  assert.equal(
    htmlFilters.striptags.fn("<b>Hello</b> <i>World</i>", undefined, env),
    "Hello World",
  );
});

Deno.test("striptags leaves a lone less-than sign", () => {
  assert.equal(htmlFilters.striptags.fn("a < b and c > d", undefined, env), "a < b and c > d");
});

Deno.test("striptags removes self-closing tags", () => {
  assert.equal(htmlFilters.striptags.fn("<p>x<br/>y</p>", undefined, env), "xy");
});

Deno.test("striptags keeps script content as text", () => {
  assert.equal(
    htmlFilters.striptags.fn("<script>alert(1)</script>text", undefined, env),
    "alert(1)text",
  );
});

Deno.test("striptags keeps entities as written", () => {
  assert.equal(htmlFilters.striptags.fn("Tom &amp; Jerry", undefined, env), "Tom &amp; Jerry");
});

Deno.test("striptags removes comments, attributes and an unclosed tag", () => {
  assert.equal(
    htmlFilters.striptags.fn("<p class='x'>a</p><!-- c --><br>b<unclosed", undefined, env),
    "ab<unclosed",
  );
});

Deno.test("striptags strips tags rebuilt from pieces", () => {
  assert.equal(
    htmlFilters.striptags.fn("<scr<script>ipt>alert(1)</script>", undefined, env),
    "ipt>alert(1)",
  );
});

Deno.test("striptags strips nested brackets around a script tag", () => {
  assert.equal(
    htmlFilters.striptags.fn("<<script>script>alert(1)<</script>/script>", undefined, env),
    "alert(1)",
  );
});

Deno.test("striptags drops an unterminated script", () => {
  assert.equal(htmlFilters.striptags.fn("<script>alert(1)", undefined, env), "");
});

Deno.test("striptags keeps style content but drops the tags", () => {
  assert.equal(htmlFilters.striptags.fn("<style>p{}</style>x<b>y</b>", undefined, env), "p{}xy");
});

Deno.test("striptags adds the semicolon of an entity reference", () => {
  assert.equal(
    htmlFilters.striptags.fn("<i>a</i> &amp x &#39 y", undefined, env),
    "a &amp; x &#39; y",
  );
});

Deno.test("striptags drops the ampersand of a final two-character reference", () => {
  assert.equal(htmlFilters.striptags.fn("<i>a</i> &b", undefined, env), "a b");
});

Deno.test("striptags drops CDATA sections and doctypes", () => {
  assert.equal(
    htmlFilters.striptags.fn("<!DOCTYPE html><![CDATA[x]]>y<b>z</b>", undefined, env),
    "yz",
  );
});

Deno.test("striptags keeps a bracket that never closes", () => {
  assert.equal(htmlFilters.striptags.fn("<b>x</b> <a", undefined, env), "x <a");
});

Deno.test("striptags strips a tag with a quoted greater-than", () => {
  assert.equal(htmlFilters.striptags.fn('<a href="x>y">t</a>', undefined, env), "t");
});

Deno.test("striptags of an unknown marked section raises AssertionError", () => {
  assert.throws(() => htmlFilters.striptags.fn("<![foo]> x <b>", undefined, env), {
    name: "AssertionError",
  });
});

Deno.test("truncatechars_html closes open tags", () => {
  assert.equal(
    htmlFilters.truncatechars_html.fn("<p>Hello world</p>", 8, safeEnv),
    "<p>Hello w…</p>",
  );
});

Deno.test("truncatechars_html on unsafe input still returns the tags", () => {
  assert.equal(htmlFilters.truncatechars_html.fn("<p>Hello world</p>", 8, env), "<p>Hello w…</p>");
});

Deno.test("truncatechars_html does not count tags", () => {
  assert.equal(
    htmlFilters.truncatechars_html.fn("<div><b>one</b> <i>two three</i></div>", 9, safeEnv),
    "<div><b>one</b> <i>two …</i></div>",
  );
});

Deno.test("truncatechars_html counts entity characters one by one", () => {
  assert.equal(
    htmlFilters.truncatechars_html.fn("<p>a &amp; b &lt; c</p>", 4, safeEnv),
    "<p>a &…</p>",
  );
});

Deno.test("truncatechars_html keeps short text", () => {
  assert.equal(htmlFilters.truncatechars_html.fn("<p>short</p>", 100, env), "<p>short</p>");
});

Deno.test("truncatechars_html does not close void elements", () => {
  assert.equal(
    htmlFilters.truncatechars_html.fn("line<br>break<br/>more text", 6, safeEnv),
    "line<br>b…",
  );
});

Deno.test("truncatechars_html closes nested tags innermost first", () => {
  assert.equal(
    htmlFilters.truncatechars_html.fn("<a><b><c>abcdef</c></b></a>", 3, safeEnv),
    "<a><b><c>ab…</c></b></a>",
  );
});

Deno.test("truncatechars_html ignores a closing tag that is not the innermost", () => {
  assert.equal(
    htmlFilters.truncatechars_html.fn("<a><b>ab</a>cdef</b>", 3, safeEnv),
    "<a><b>ab…</b></a>",
  );
});

Deno.test("truncatechars_html counts script content", () => {
  assert.equal(
    htmlFilters.truncatechars_html.fn("<p><script>alert(1)</script>abc</p>", 5, safeEnv),
    "<p><script>aler…</script></p>",
  );
});

Deno.test("truncatechars_html lower-cases closing tag names", () => {
  assert.equal(
    htmlFilters.truncatechars_html.fn("<P CLASS=x>abcdef</P>", 3, safeEnv),
    "<P CLASS=x>ab…</p>",
  );
});

Deno.test("truncatechars_html ignores a non-integer length", () => {
  assert.equal(htmlFilters.truncatechars_html.fn("<p>x</p>", "z", env), "<p>x</p>");
});

Deno.test("truncatechars_html to zero is just the ellipsis", () => {
  assert.equal(htmlFilters.truncatechars_html.fn("<p>xyz</p>", 0, env), "…");
});

Deno.test("truncatewords_html closes open tags", () => {
  assert.equal(
    htmlFilters.truncatewords_html.fn("<p>one two three</p>", 2, safeEnv),
    "<p>one two …</p>",
  );
});

Deno.test("truncatewords_html does not escape", () => {
  assert.equal(
    htmlFilters.truncatewords_html.fn("<p>one two three</p>", 2, rawEnv),
    "<p>one two …</p>",
  );
});

Deno.test("truncatewords_html closes nested tags", () => {
  assert.equal(
    htmlFilters.truncatewords_html.fn("<p>one <b>two three four</b> five</p>", 3, safeEnv),
    "<p>one <b>two three …</b></p>",
  );
});

Deno.test("truncatewords_html keeps short text", () => {
  assert.equal(htmlFilters.truncatewords_html.fn("<p>one two</p>", 5, env), "<p>one two</p>");
});

Deno.test("truncatewords_html to zero words is empty", () => {
  assert.equal(htmlFilters.truncatewords_html.fn("<p>one two</p>", 0, env), "");
});

Deno.test("truncatewords_html keeps entities inside words", () => {
  assert.equal(
    htmlFilters.truncatewords_html.fn("<i>caf&eacute; au</i> lait s&#39;il", 2, safeEnv),
    "<i>caf&eacute; au …</i>",
  );
});

Deno.test("truncatewords_html skips void elements", () => {
  assert.equal(
    htmlFilters.truncatewords_html.fn("<p>one <br/>two <b>three</b></p>", 2, safeEnv),
    "<p>one <br/>two …</p>",
  );
});

Deno.test("truncatewords_html counts words after unclosed brackets", () => {
  assert.equal(htmlFilters.truncatewords_html.fn("<<<a b c d", 2, env), "<<<a b …");
});

Deno.test("unordered_list lists items", () => {
  assertSafe(
    htmlFilters.unordered_list.fn(["a", "b"], undefined, env),
    "\t<li>a</li>\n\t<li>b</li>",
  );
});

Deno.test("unordered_list nests sublists", () => {
  assertSafe(
    htmlFilters.unordered_list.fn(["Fruits", ["Apple", ["Gala", "Fuji"], "Pear"]], undefined, env),
    "\t<li>Fruits\n\t<ul>\n\t\t<li>Apple\n\t\t<ul>\n\t\t\t<li>Gala</li>\n\t\t\t<li>Fuji</li>\n\t\t</ul>\n\t\t</li>\n\t\t<li>Pear</li>\n\t</ul>\n\t</li>",
  );
});

Deno.test("unordered_list escapes items", () => {
  assertSafe(
    htmlFilters.unordered_list.fn(["<x>", "&y"], undefined, env),
    "\t<li>&lt;x&gt;</li>\n\t<li>&amp;y</li>",
  );
});

Deno.test("unordered_list does not escape with autoescape off", () => {
  assertSafe(
    htmlFilters.unordered_list.fn(["<x>", "&y"], undefined, rawEnv),
    "\t<li><x></li>\n\t<li>&y</li>",
  );
});

Deno.test("unordered_list prints numbers", () => {
  assertSafe(
    htmlFilters.unordered_list.fn([1, [2, 3], 4], undefined, env),
    "\t<li>1\n\t<ul>\n\t\t<li>2</li>\n\t\t<li>3</li>\n\t</ul>\n\t</li>\n\t<li>4</li>",
  );
});

Deno.test("unordered_list prints a leading list as an item", () => {
  assertSafe(
    htmlFilters.unordered_list.fn([["a"], "b"], undefined, env),
    "\t<li>[&#x27;a&#x27;]</li>\n\t<li>b</li>",
  );
});

Deno.test("unordered_list skips an empty sublist", () => {
  assertSafe(
    htmlFilters.unordered_list.fn(["a", [], "b"], undefined, env),
    "\t<li>a</li>\n\t<li>b</li>",
  );
});

Deno.test("unordered_list of a string lists its characters", () => {
  assertSafe(htmlFilters.unordered_list.fn("ab", undefined, env), "\t<li>a</li>\n\t<li>b</li>");
});

Deno.test("unordered_list of a number raises TypeError", () => {
  assert.throws(() => htmlFilters.unordered_list.fn(5, undefined, env), { name: "TypeError" });
});

Deno.test("urlize links a www address", () => {
  assertSafe(
    htmlFilters.urlize.fn("Visit www.example.com now", undefined, env),
    'Visit <a href="http://www.example.com" rel="nofollow">www.example.com</a> now',
  );
});

Deno.test("urlize leaves a trailing period outside the link", () => {
  assertSafe(
    htmlFilters.urlize.fn("Go to https://example.com/path?x=1&y=2.", undefined, env),
    'Go to <a href="https://example.com/path?x=1&amp;y=2" rel="nofollow">https://example.com/path?x=1&amp;y=2</a>.',
  );
});

Deno.test("urlize links an e-mail address without nofollow", () => {
  assertSafe(
    htmlFilters.urlize.fn("mail me at foo@example.com", undefined, env),
    'mail me at <a href="mailto:foo@example.com">foo@example.com</a>',
  );
});

Deno.test("urlize links only the original gTLDs without a scheme", () => {
  assertSafe(
    htmlFilters.urlize.fn("see example.com or example.io", undefined, env),
    'see <a href="http://example.com" rel="nofollow">example.com</a> or example.io',
  );
});

Deno.test("urlize leaves wrapping parentheses outside", () => {
  assertSafe(
    htmlFilters.urlize.fn("(see http://x.org/a)", undefined, env),
    '(see <a href="http://x.org/a" rel="nofollow">http://x.org/a</a>)',
  );
});

Deno.test("urlize escapes the text around links", () => {
  assertSafe(
    htmlFilters.urlize.fn("<b>http://x.org</b> & co", undefined, env),
    '&lt;b&gt;<a href="http://x.org" rel="nofollow">http://x.org</a>&lt;/b&gt; &amp; co',
  );
});

Deno.test("urlize does not escape with autoescape off", () => {
  assertSafe(
    htmlFilters.urlize.fn("<b> http://x.org </b> & co", undefined, rawEnv),
    '<b> <a href="http://x.org" rel="nofollow">http://x.org</a> </b> & co',
  );
});

Deno.test("urlize keeps balanced parentheses and requotes the query", () => {
  assertSafe(
    htmlFilters.urlize.fn(
      "see http://example.com/a_(b) and [www.x.org]. or https://x.com/?q=a%20b&c=d#frag!",
      undefined,
      env,
    ),
    'see <a href="http://example.com/a_(b)" rel="nofollow">http://example.com/a_(b)</a> and [<a href="http://www.x.org" rel="nofollow">www.x.org</a>]. or <a href="https://x.com/?q=a+b&amp;c=d#frag" rel="nofollow">https://x.com/?q=a%20b&amp;c=d#frag</a>!',
  );
});

Deno.test("urlize leaves safe input unescaped", () => {
  assertSafe(
    htmlFilters.urlize.fn("<i>http://x.org</i> a@b.co", undefined, safeEnv),
    '<i><a href="http://x.org" rel="nofollow">http://x.org</a></i> <a href="mailto:a@b.co">a@b.co</a>',
  );
});

Deno.test("urlize leaves safe input alone with autoescape off", () => {
  assertSafe(
    htmlFilters.urlize.fn("<b>www.x.com</b> &", undefined, rawSafeEnv),
    '<b><a href="http://www.x.com" rel="nofollow">www.x.com</a></b> &',
  );
});

Deno.test("urlize does not link javascript URLs", () => {
  assertSafe(
    htmlFilters.urlize.fn(
      'javascript:alert(1) http://x.org/"onmouseover=alert(1) x@y',
      undefined,
      env,
    ),
    'javascript:alert(1) <a href="http://x.org/" rel="nofollow">http://x.org/</a>&quot;onmouseover=alert(1) x@y',
  );
});

Deno.test("urlize stops a link at a quote", () => {
  assertSafe(
    htmlFilters.urlize.fn("http://x.com/'onclick='alert(1)'", undefined, env),
    '<a href="http://x.com/" rel="nofollow">http://x.com/</a>&#x27;onclick=&#x27;alert(1)&#x27;',
  );
});

Deno.test("urlize escapes script tags next to a link", () => {
  assertSafe(
    htmlFilters.urlize.fn("<script>alert('x')</script> http://x.com/<script>", undefined, env),
    '&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt; <a href="http://x.com/" rel="nofollow">http://x.com/</a>&lt;script&gt;',
  );
});

Deno.test("urlize does not link a data URL", () => {
  assertSafe(
    htmlFilters.urlize.fn("data:text/html,<script>alert(1)</script>", undefined, env),
    "data:text/html,&lt;script&gt;alert(1)&lt;/script&gt;",
  );
});

Deno.test("urlize unescapes legacy entities in the href", () => {
  assertSafe(
    htmlFilters.urlize.fn("http://x.com/?a=1&copy=2&amp;b=3", undefined, env),
    '<a href="http://x.com/?a=1%C2%A9%3D2&amp;b=3" rel="nofollow">http://x.com/?a=1&amp;copy=2&amp;amp;b=3</a>',
  );
});

Deno.test("urlize measures trailing punctuation on unescaped text", () => {
  assertSafe(
    htmlFilters.urlize.fn("x&amp;y.com.", undefined, env),
    '<a href="http://x&amp;y.com" rel="nofollow">x&amp;amp;y.com</a>.com.',
  );
});

Deno.test("urlize encodes an internationalised host with punycode", () => {
  assertSafe(
    htmlFilters.urlize.fn("http://bücher.de/päth?q=ü ü", undefined, env),
    '<a href="http://xn--bcher-kva.de/p%C3%A4th?q=%C3%BC" rel="nofollow">http://bücher.de/päth?q=ü</a> ü',
  );
});

Deno.test("urlize encodes an internationalised e-mail domain", () => {
  assertSafe(
    htmlFilters.urlize.fn("user@bücher.de", undefined, env),
    '<a href="mailto:user@xn--bcher-kva.de">user@bücher.de</a>',
  );
});

Deno.test("urlize quotes a URL whose host has an empty label", () => {
  assertSafe(
    htmlFilters.urlize.fn("http://a..b.com/x", undefined, env),
    '<a href="http://a..b.com/x" rel="nofollow">http://a..b.com/x</a>',
  );
});

Deno.test("urlize keeps a bracketed IPv6 host", () => {
  assertSafe(
    htmlFilters.urlize.fn("http://[2001:db8::1]/x", undefined, env),
    '<a href="http://[2001:db8::1]/x" rel="nofollow">http://[2001:db8::1]/x</a>',
  );
});

Deno.test("urlize quotes a URL with an IPv4 address in brackets", () => {
  assertSafe(
    htmlFilters.urlize.fn("http://[1.2.3.4]/x", undefined, env),
    '<a href="http://[1.2.3.4]/x" rel="nofollow">http://[1.2.3.4]/x</a>',
  );
});

Deno.test("urlize lower-cases the scheme only", () => {
  assertSafe(
    htmlFilters.urlize.fn("HTTP://EXAMPLE.COM/A", undefined, env),
    '<a href="http://EXAMPLE.COM/A" rel="nofollow">HTTP://EXAMPLE.COM/A</a>',
  );
});

Deno.test("urlize matches dotless i in a TLD as Python does", () => {
  assertSafe(
    htmlFilters.urlize.fn("example.ınt", undefined, env),
    '<a href="http://example.xn--nt-gpa" rel="nofollow">example.ınt</a>',
  );
});

Deno.test("urlize does not link two at signs", () => {
  assertSafe(htmlFilters.urlize.fn("a@b@c.com", undefined, env), "a@b@c.com");
});

Deno.test("urlize keeps an e-mail with an unencodable domain unlinked", () => {
  assertSafe(htmlFilters.urlize.fn("x@\u00ad.com", undefined, env), "x@\u00ad.com");
});

Deno.test("urlize drops empty query separators", () => {
  assertSafe(
    htmlFilters.urlize.fn("http://x.com/?a=%ZZ&b=+c+&&d&=e", undefined, env),
    '<a href="http://x.com/?a=%25ZZ&amp;b=+c+&amp;d=&amp;=e" rel="nofollow">http://x.com/?a=%ZZ&amp;b=+c+&amp;&amp;d&amp;=e</a>',
  );
});

Deno.test("urlizetrunc shortens the link text", () => {
  assertSafe(
    htmlFilters.urlizetrunc.fn("http://www.example.com/a/long/path", 15, env),
    '<a href="http://www.example.com/a/long/path" rel="nofollow">http://www.exa…</a>',
  );
});

Deno.test("urlizetrunc keeps short link text", () => {
  assertSafe(
    htmlFilters.urlizetrunc.fn("short http://x.org ok", 30, env),
    'short <a href="http://x.org" rel="nofollow">http://x.org</a> ok',
  );
});

Deno.test("urlizetrunc shortens e-mail link text", () => {
  assertSafe(
    htmlFilters.urlizetrunc.fn("write to someone@example.org", 5, env),
    'write to <a href="mailto:someone@example.org">some…</a>',
  );
});

Deno.test("urlizetrunc shortens www link text", () => {
  assertSafe(
    htmlFilters.urlizetrunc.fn("www.example-site.org", 10, env),
    '<a href="http://www.example-site.org" rel="nofollow">www.examp…</a>',
  );
});

Deno.test("urlizetrunc to one character is just the ellipsis", () => {
  assertSafe(
    htmlFilters.urlizetrunc.fn("http://a.com", 1, env),
    '<a href="http://a.com" rel="nofollow">…</a>',
  );
});

Deno.test("urlizetrunc to zero characters is just the ellipsis", () => {
  assertSafe(
    htmlFilters.urlizetrunc.fn("http://a.com", 0, env),
    '<a href="http://a.com" rel="nofollow">…</a>',
  );
});

Deno.test("urlizetrunc counts astral characters once", () => {
  assertSafe(
    htmlFilters.urlizetrunc.fn("http://a.com/😀😀😀", 14, env),
    '<a href="http://a.com/%F0%9F%98%80%F0%9F%98%80%F0%9F%98%80" rel="nofollow">http://a.com/…</a>',
  );
});

Deno.test("urlizetrunc with a non-integer limit raises ValueError", () => {
  assert.throws(() => htmlFilters.urlizetrunc.fn("http://a.com", "x", env), { name: "ValueError" });
});

Deno.test("loremWords starts with the common words", () => {
  assert.equal(loremWords(3, true), "lorem ipsum dolor");
});

Deno.test("loremWords gives all nineteen common words", () => {
  assert.equal(
    loremWords(19, true),
    "lorem ipsum dolor sit amet consectetur adipisicing elit sed do eiusmod tempor incididunt ut labore et dolore magna aliqua",
  );
});

Deno.test("loremWords with a negative count slices the common words from the end", () => {
  assert.equal(
    loremWords(-1, true),
    "lorem ipsum dolor sit amet consectetur adipisicing elit sed do eiusmod tempor incididunt ut labore et dolore magna",
  );
});

Deno.test("loremWords in random mode gives the requested number of words", () => {
  assert.equal(loremWords(50, false).split(" ").length, 50);
});

Deno.test("loremParagraphs starts with the common paragraph", () => {
  assert.deepEqual(loremParagraphs(1, true), [
    "Lorem ipsum dolor sit amet, consectetur adipisicing elit, sed do eiusmod tempor incididunt ut labore et dolore magna aliqua. Ut enim ad minim veniam, quis nostrud exercitation ullamco laboris nisi ut aliquip ex ea commodo consequat. Duis aute irure dolor in reprehenderit in voluptate velit esse cillum dolore eu fugiat nulla pariatur. Excepteur sint occaecat cupidatat non proident, sunt in culpa qui officia deserunt mollit anim id est laborum.",
  ]);
});

Deno.test("loremParagraphs in random mode gives sentences ending in a period or question mark", () => {
  const [paragraph] = loremParagraphs(1, false);
  assert.match(paragraph, /^[A-Z][a-z ,]+[.?]( [A-Z][a-z ,]+[.?])*$/);
});
