/**
 * The visitor's language: chosen as Django's LocaleMiddleware chooses (session pick, cookie,
 * Accept-Language, default), used by the page and the live view, and switchable live, re-rendering
 * only what was translated.
 */
import assert from "node:assert/strict";
import { App, Engine, eventHandler, LiveView, signal } from "../../mod.ts";
import { liveTest } from "../../lib/testing/mod.ts";
import {
  acceptedLanguages,
  LANGUAGE_SESSION_KEY,
  negotiateLanguage,
  supportedVariant,
} from "../../lib/server/language.ts";
import { Translations } from "../../lib/template/i18n/translations.ts";

const LOCALE_DIR = new URL("../conformance/locale", import.meta.url).pathname;

Deno.test("language: Accept-Language ranges are ordered by q, ties by position, q=0 dropped", () => {
  assert.deepEqual(acceptedLanguages("fr;q=0.5, de-AT, en;q=0.8, *;q=0.1, it;q=0"), [
    "de-AT",
    "en",
    "fr",
  ]);
  assert.deepEqual(acceptedLanguages(""), []);
  assert.deepEqual(acceptedLanguages("x".repeat(10_000)), []); // not a language range
  assert.equal(acceptedLanguages(Array(100).fill("de").join(",")).length, 16); // bounded
});

Deno.test("language: a code maps to itself, its generic language, or a supported variant", () => {
  const supported = ["en-us", "de", "pt-br"];
  assert.equal(supportedVariant("DE-at", supported), "de");
  assert.equal(supportedVariant("pt", supported), "pt-br");
  assert.equal(supportedVariant("en-US", supported), "en-us");
  assert.equal(supportedVariant("fr", supported), null);
  assert.equal(supportedVariant("<script>", supported), null);
});

Deno.test("language: session pick, then cookie, then Accept-Language, then the default", () => {
  const translations = new Translations({ dir: LOCALE_DIR, default: "en" });
  const headers = (h: Record<string, string>) => new Headers(h);
  const session = (language?: string) => ({
    get: (key: string) => (key === LANGUAGE_SESSION_KEY ? language : undefined),
  });
  assert.equal(negotiateLanguage(translations, null, headers({})), "en");
  assert.equal(
    negotiateLanguage(translations, null, headers({ "accept-language": "fr, pl;q=0.9, de;q=0.8" })),
    "pl",
  );
  assert.equal(
    negotiateLanguage(
      translations,
      null,
      headers({ "accept-language": "pl", cookie: "a=1; django_language=de" }),
    ),
    "de",
  );
  assert.equal(
    negotiateLanguage(
      translations,
      session("pl"),
      headers({ "accept-language": "de", cookie: "django_language=de" }),
    ),
    "pl",
  );
  // An unsupported pick is passed over, not trusted.
  assert.equal(
    negotiateLanguage(translations, session("xx"), headers({ "accept-language": "de" })),
    "de",
  );
});

class Shop extends LiveView {
  static override template =
    `{% load i18n %}<h1 id="welcome">{% translate "Welcome to the shop" %}</h1>` +
    `<p id="lang">{% get_current_language as LANG %}{{ LANG }}</p>` +
    `<button id="inc" dj-click="inc">{{ count }}</button>` +
    `<button id="pl" dj-click="polish">pl</button>`;
  count = signal(0);

  @eventHandler()
  inc(): void {
    this.count.value++;
  }

  @eventHandler()
  polish(): void {
    this.language.value = "pl";
    this.session.set(LANGUAGE_SESSION_KEY, "pl");
  }
}

function shopApp(): App {
  const engine = new Engine({ locales: { dir: LOCALE_DIR, default: "en" } });
  const app = new App({ engine, templates: {} });
  app.live("/shop", Shop);
  return app;
}

Deno.test("language: the page and the live view render in the browser's language", async () => {
  const app = shopApp();
  try {
    const response = await app.fetch(
      new Request("http://localhost/shop", { headers: { "accept-language": "de-DE,de;q=0.9" } }),
    );
    const page = await response.text();
    assert.match(page, /<html lang="de">/);
    assert.match(page, /Willkommen im Laden/);
    const view = await liveTest(app, "/shop", { headers: { "accept-language": "de" } });
    assert.equal(view.text("#welcome"), "Willkommen im Laden");
    assert.equal(view.text("#lang"), "de");
    await view.close();
  } finally {
    await app.close();
  }
});

Deno.test("language: switching live re-renders only the translated parts", async () => {
  const app = shopApp();
  try {
    // A session first, so the pick can be seen on the next page load.
    const first = await app.fetch(new Request("http://localhost/shop"));
    const cookie = first.headers.getSetCookie()[0].split(";")[0];
    await first.body?.cancel();
    const view = await liveTest(app, "/shop", { headers: { "accept-language": "de", cookie } });
    await view.click("#inc");
    const counted = JSON.stringify(view.lastPatch()?.ops);
    assert.doesNotMatch(counted, /Willkommen/, "a count change does not re-render translations");
    await view.click("#pl");
    assert.equal(view.text("#welcome"), "Witamy w sklepie");
    assert.equal(view.text("#lang"), "pl");
    assert.equal(view.text("#inc"), "1");
    const switched = JSON.stringify(view.lastPatch()?.ops);
    assert.doesNotMatch(switched, /id=\\"inc\\"/, "the counter is not re-rendered");
    await view.close();
    // The pick is in the session: the next page load renders in Polish despite the header.
    const again = await liveTest(app, "/shop", {
      headers: { "accept-language": "de", cookie },
    });
    assert.equal(again.text("#welcome"), "Witamy w sklepie");
    await again.close();
  } finally {
    await app.close();
  }
});

Deno.test("language: app.render gives a plain page csrf, url, flash and language", async () => {
  const engine = new Engine({
    locales: { dir: LOCALE_DIR, default: "en" },
    templates: {
      "about.html": `{% load i18n %}<form>{% csrf_token %}</form><a href="{% url 'shop' %}">` +
        `{% translate "Welcome to the shop" %}</a> {{ language }} {{ name }}` +
        `{% for kind, text in flash.items %}<p>{{ kind }}:{{ text }}</p>{% endfor %}`,
    },
  });
  const app = new App({ engine });
  app.live("/shop", Shop, { name: "shop" });
  app.get("/about", (request) => app.render(request, "about.html", { name: "djust" }));
  app.get("/flash", async (request) => {
    await app.putFlash(request, "info", "saved");
    return new Response("ok");
  });
  try {
    const first = await app.fetch(new Request("http://localhost/flash"));
    const cookie = first.headers.getSetCookie()[0].split(";")[0];
    await first.body?.cancel();
    const response = await app.fetch(
      new Request("http://localhost/about", { headers: { "accept-language": "pl", cookie } }),
    );
    assert.equal(response.headers.get("content-type"), "text/html; charset=utf-8");
    const html = await response.text();
    assert.match(html, /name="csrfmiddlewaretoken" value="[^"]+"/);
    assert.match(html, /<a href="\/shop">Witamy w sklepie<\/a> pl djust/);
    assert.match(html, /<p>info:saved<\/p>/);
  } finally {
    await app.close();
  }
});

Deno.test("language: the view's language hook keeps the page's other hooks (csrf_token, url)", async () => {
  class Form extends LiveView {
    static override template = `<form>{% csrf_token %}</form><a href="{% url 'form' %}">x</a>`;
  }
  const app = new App({ logger: () => {} });
  app.live("/form", Form, { name: "form" });
  try {
    const view = await liveTest(app, "/form");
    assert.match(view.html(), /name="csrfmiddlewaretoken" value="[^"]{20,}"/);
    assert.match(view.html(), /<a dj="\d+" href="\/form">/);
    await view.close();
  } finally {
    await app.close();
  }
});
