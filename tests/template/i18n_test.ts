/**
 * Translations: catalogs read from .mo and .po files, plural rules read without eval, Django's
 * lookup order (locale, base language, default language), and the language a render uses (the
 * caller's `language` hook, read each time it is needed, and `{% language %}`).
 */
import assert from "node:assert/strict";
import { signal } from "@preact/signals-core";
import { Engine, renderNodes } from "../../lib/template/index.ts";
import {
  parsePluralExpression,
  parsePluralForms,
  PluralFormsError,
} from "../../lib/template/i18n/plural_forms.ts";
import { toLanguage, toLocale, Translations } from "../../lib/template/i18n/translations.ts";

const LOCALE_DIR = new URL("../conformance/locale", import.meta.url).pathname;

Deno.test("plural forms: Polish has three forms, chosen as gettext chooses them", () => {
  const rule = parsePluralForms(
    "nplurals=3; plural=(n==1 ? 0 : n%10>=2 && n%10<=4 && (n%100<10 || n%100>=20) ? 1 : 2);",
  );
  const forms = [0, 1, 2, 4, 5, 12, 14, 21, 22, 25, 104, 112].map(rule);
  assert.deepEqual(forms, [2, 0, 1, 1, 2, 2, 2, 2, 1, 2, 1, 2]);
});

Deno.test("plural forms: operators, precedence and Python's integer division", () => {
  const cases: [string, number, number][] = [
    ["n != 1", 1, 0],
    ["n != 1", 0, 1],
    ["n > 1", 2, 1],
    ["!(n == 0) + 1", 0, 1],
    ["n % 10 == 1 && n % 100 != 11 ? 0 : 1", 111, 1],
    ["n / 2", 7, 3],
    ["-n % 3", 1, 2], // Python's modulo takes the divisor's sign
    ["n==0 ? 0 : n==1 ? 1 : n==2 ? 2 : n%100>=3 && n%100<=10 ? 3 : n%100>=11 ? 4 : 5", 103, 3],
  ];
  for (const [expression, n, form] of cases) {
    assert.equal(parsePluralExpression(expression)(n), form, `${expression} for n=${n}`);
  }
});

Deno.test("plural forms: a header without a rule is Germanic; a malformed rule is an error", () => {
  const germanic = parsePluralForms(undefined);
  assert.deepEqual([0, 1, 2].map(germanic), [1, 0, 1]);
  for (const bad of ["n +", "(n == 1", "n == 1 ? 0", "alert(1)", "n; 1"]) {
    assert.throws(() => parsePluralExpression(bad), PluralFormsError, bad);
  }
});

Deno.test("language codes: Django's to_language and to_locale", () => {
  assert.deepEqual(
    ["DE_at", "en", "pt_BR"].map(toLanguage),
    ["de-at", "en", "pt-br"],
  );
  assert.deepEqual(
    ["en-us", "sr-latn", "de", "zh-hant-tw"].map(toLocale),
    ["en_US", "sr_Latn", "de", "zh_Hant-tw"],
  );
});

Deno.test("catalogs: a .po file is read directly, without fuzzy or untranslated entries", () => {
  const dir = Deno.makeTempDirSync();
  try {
    Deno.mkdirSync(`${dir}/fr/LC_MESSAGES`, { recursive: true });
    Deno.writeTextFileSync(
      `${dir}/fr/LC_MESSAGES/django.po`,
      [
        'msgid ""',
        'msgstr ""',
        '"Plural-Forms: nplurals=2; plural=(n > 1);\\n"',
        "",
        'msgid "Cart"',
        'msgstr "Panier"',
        "",
        "#, fuzzy",
        'msgid "Checkout"',
        'msgstr "Caisse"',
        "",
        'msgid "Empty"',
        'msgstr ""',
        "",
        'msgid "%(n)s item"',
        'msgid_plural "%(n)s items"',
        'msgstr[0] "%(n)s article"',
        'msgstr[1] "%(n)s articles"',
      ].join("\n"),
    );
    const engine = new Engine({ locales: { dir, default: "en" } });
    const source = "{% load i18n %}{% trans 'Cart' %}|{% trans 'Checkout' %}|{% trans 'Empty' %}|" +
      "{% for n in ns %}{% blocktrans count n=n %}{{ n }} item{% plural %}{{ n }} items" +
      "{% endblocktrans %},{% endfor %}";
    assert.equal(
      engine.renderString(source, { ns: [0, 1, 2] }, { language: "fr" }),
      "Panier|Checkout|Empty|0 article,1 article,2 articles,",
    );
    assert.deepEqual(engine.locales, ["fr"]);
  } finally {
    Deno.removeSync(dir, { recursive: true });
  }
});

Deno.test("catalogs: a regional language falls back to its base, then to the default language", () => {
  const translations = new Translations({ dir: LOCALE_DIR, default: "pl" });
  assert.equal(translations.gettext("de-at", "", "Welcome to the shop"), "Willkommen im Laden");
  // Not in any German catalog but in the default (Polish) one.
  assert.equal(translations.gettext("fr", "", "Welcome to the shop"), "Witamy w sklepie");
  assert.equal(translations.gettext(null, "", "Welcome to the shop"), "Welcome to the shop");
  assert.equal(translations.gettext("de", "fruit", "Date of harvest"), "Erntedattel");
});

Deno.test("language: the hook is read on every translation, so a signal switches the language", () => {
  const engine = new Engine({ locales: { dir: LOCALE_DIR } });
  const template = engine.fromString('{% load i18n %}{% trans "Welcome to the shop" %}');
  const language = signal("de");
  const hooks = {
    get language(): string {
      return language.value;
    },
  };
  const seen: string[] = [];
  for (const code of ["de", "pl", "en-us", "de"]) {
    language.value = code;
    seen.push(template.render({}, hooks)); // interpreted, then compiled
  }
  assert.deepEqual(seen, [
    "Willkommen im Laden",
    "Witamy w sklepie",
    "Welcome to the shop",
    "Willkommen im Laden",
  ]);
});

Deno.test("language: a long-lived context (a LiveView's) follows a language getter", () => {
  const engine = new Engine({ locales: { dir: LOCALE_DIR } });
  const nodes = engine.fromString('{% load i18n %}{% trans "Welcome to the shop" %}').nodes;
  const language = signal("de");
  const ctx = engine.newContext({}, {
    get language(): string {
      return language.value;
    },
  });
  const first = renderNodes(nodes, ctx);
  language.value = "pl";
  assert.deepEqual([first, renderNodes(nodes, ctx)], ["Willkommen im Laden", "Witamy w sklepie"]);
});

Deno.test("language: the engine's default applies when the render names none", () => {
  const engine = new Engine({ locales: { dir: LOCALE_DIR, default: "pl" } });
  const source =
    "{% load i18n %}{% get_current_language as l %}{{ l }}:{{ _('Welcome to the shop') }}";
  assert.equal(engine.renderString(source), "pl:Witamy w sklepie");
  assert.equal(engine.renderString(source, {}, { language: "de" }), "de:Willkommen im Laden");
});

Deno.test("language: {% language %} in compiled code restores the outer language", () => {
  const engine = new Engine({ locales: { dir: LOCALE_DIR } });
  const template = engine.fromString(
    "{% load i18n %}{% for x in xs %}{% language x %}{% trans 'Welcome to the shop' %}" +
      "{% endlanguage %}/{% trans 'Welcome to the shop' %};{% endfor %}",
  );
  const expected = "Willkommen im Laden/Welcome to the shop;Witamy w sklepie/Welcome to the shop;";
  for (let i = 0; i < 3; i++) assert.equal(template.render({ xs: ["de", "pl"] }), expected);
});

Deno.test("i18n tags: only {% load i18n %} makes them available, and only those named", () => {
  const engine = new Engine();
  assert.throws(() => engine.fromString("{% trans 'a' %}"), /Invalid block tag/);
  assert.equal(engine.renderString("{% load trans from i18n %}{% trans 'a' %}"), "a");
  assert.throws(
    () => engine.fromString("{% load trans from i18n %}{% blocktrans %}a{% endblocktrans %}"),
    /Invalid block tag/,
  );
  assert.throws(() => engine.fromString("{% load nothing from i18n %}"), /not a valid tag/);
});

Deno.test("language menu: available languages are the default and the catalogs' locales", () => {
  const engine = new Engine({ locales: { dir: LOCALE_DIR, default: "en-us" } });
  const source = "{% load i18n %}{% get_available_languages as langs %}" +
    "{% get_language_info_list for langs as infos %}" +
    "{% for l in infos %}{{ l.code }}={{ l.name }}/{{ l.name_local }}/{{ l.bidi }};{% endfor %}";
  assert.equal(
    engine.renderString(source),
    "en=English/English/False;de=German/Deutsch/False;pl=Polish/polski/False;",
  );
});

Deno.test("language menu: the languages option, codes in a list, and the filters after load", () => {
  const engine = new Engine({ locales: { languages: [["he", "Hebrew"], ["de-at", "Austrian"]] } });
  assert.equal(
    engine.renderString(
      "{% load i18n %}{% get_available_languages as langs %}{{ langs|safe }}|" +
        "{% get_language_info_list for codes as infos %}{% for l in infos %}{{ l.code }}{{ l.bidi }} {% endfor %}|" +
        '{{ "de"|language_name }} {{ "de"|language_name_local }} {{ "he"|language_bidi }}',
      { codes: ["he", "de-at"] },
    ),
    "[['he', 'Hebrew'], ['de-at', 'Austrian']]|heTrue deFalse |German Deutsch True",
  );
  assert.throws(() => engine.fromString('{{ "de"|language_name }}'), /Invalid filter/);
  assert.equal(
    engine.renderString('{% load language_name from i18n %}{{ "pl"|language_name }}'),
    "Polish",
  );
});

Deno.test("language menu: an unknown language code is Django's KeyError", () => {
  const engine = new Engine();
  assert.throws(
    () => engine.renderString("{% load i18n %}{% get_language_info for 'qqq' as l %}"),
    (err: Error) => err.name === "KeyError" && /Unknown language code qqq/.test(err.message),
  );
});
