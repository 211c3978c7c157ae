/** The templates and data the render benchmark uses, in Django and nunjucks syntax. */

/** One row of the big table. */
export interface BenchRow {
  id: number;
  name: string;
  price: number;
  created: string; // ISO datetime; converted per engine
  active: boolean;
  description: string;
}

/** 1000 deterministic rows. */
export function benchRows(n = 1000): BenchRow[] {
  return Array.from({ length: n }, (_, i) => ({
    id: i + 1,
    name: `Product <${i + 1}> & "friends"`,
    price: ((i * 7919) % 100_000) / 100 + 0.005,
    created: `2024-${String(1 + (i % 12)).padStart(2, "0")}-${
      String(1 + (i % 28)).padStart(2, "0")
    }T${String(i % 24).padStart(2, "0")}:${String(i % 60).padStart(2, "0")}:00`,
    active: i % 3 !== 0,
    description: "A fairly long description that will certainly need to be truncated for display " +
      i,
  }));
}

/** Django: a 1000-row table with filters, forloop, if and cycle. */
export const DJANGO_TABLE = `<table class="products">
<thead><tr><th>#</th><th>Name</th><th>Price</th><th>Created</th><th>Active</th><th>About</th></tr></thead>
<tbody>
{% for row in rows %}<tr class="{% cycle 'odd' 'even' %}{% if not row.active %} inactive{% endif %}">
<td>{{ forloop.counter }}</td><td>{{ row.name }}</td><td>{{ row.price|floatformat:2 }}</td>
<td>{{ row.created|date:"Y-m-d H:i" }}</td><td>{{ row.active|yesno:"yes,no" }}</td>
<td>{{ row.description|truncatechars:30 }}</td></tr>
{% endfor %}</tbody>
</table>`;

/** nunjucks: the same table (with equivalent custom filters registered by the benchmark). */
export const NUNJUCKS_TABLE = `<table class="products">
<thead><tr><th>#</th><th>Name</th><th>Price</th><th>Created</th><th>Active</th><th>About</th></tr></thead>
<tbody>
{% for row in rows %}<tr class="{% if loop.index0 % 2 == 0 %}odd{% else %}even{% endif %}{% if not row.active %} inactive{% endif %}">
<td>{{ loop.index }}</td><td>{{ row.name }}</td><td>{{ row.price | floatformat(2) }}</td>
<td>{{ row.created | djdate("Y-m-d H:i") }}</td><td>{{ row.active | yesno("yes,no") }}</td>
<td>{{ row.description | truncatechars(30) }}</td></tr>
{% endfor %}</tbody>
</table>`;

/** Django: three levels of extends, with includes. */
export const DJANGO_PAGES: Record<string, string> = {
  "base.html": `<!DOCTYPE html><html><head><title>{% block title %}Site{% endblock %}</title></head>
<body>{% include "nav.html" %}<main>{% block content %}{% endblock %}</main>{% include "footer.html" %}</body></html>`,
  "section.html":
    `{% extends "base.html" %}{% block title %}{{ section }} · {{ block.super }}{% endblock %}
{% block content %}<h1>{{ section }}</h1>{% block body %}{% endblock %}{% endblock %}`,
  "page.html":
    `{% extends "section.html" %}{% block body %}{% for item in items %}{% include "card.html" with item=item %}{% endfor %}{% endblock %}`,
  "nav.html":
    `<nav>{% for link in links %}<a href="{{ link.url }}">{{ link.title|title }}</a>{% endfor %}</nav>`,
  "footer.html": `<footer>&copy; {{ year }} {{ owner|upper }}</footer>`,
  "card.html":
    `<div class="card"><h2>{{ item.title }}</h2><p>{{ item.body|truncatewords:8 }}</p></div>`,
};

/** nunjucks: the same pages. */
export const NUNJUCKS_PAGES: Record<string, string> = {
  "base.html": `<!DOCTYPE html><html><head><title>{% block title %}Site{% endblock %}</title></head>
<body>{% include "nav.html" %}<main>{% block content %}{% endblock %}</main>{% include "footer.html" %}</body></html>`,
  "section.html":
    `{% extends "base.html" %}{% block title %}{{ section }} · {{ super() }}{% endblock %}
{% block content %}<h1>{{ section }}</h1>{% block body %}{% endblock %}{% endblock %}`,
  "page.html":
    `{% extends "section.html" %}{% block body %}{% for item in items %}{% include "card.html" %}{% endfor %}{% endblock %}`,
  "nav.html":
    `<nav>{% for link in links %}<a href="{{ link.url }}">{{ link.title | title }}</a>{% endfor %}</nav>`,
  "footer.html": `<footer>&copy; {{ year }} {{ owner | upper }}</footer>`,
  "card.html":
    `<div class="card"><h2>{{ item.title }}</h2><p>{{ item.body | truncatewords(8) }}</p></div>`,
};

/** Data for the pages benchmark. */
export function pageContext(): Record<string, unknown> {
  return {
    section: "News",
    year: 2026,
    owner: "djust & co",
    links: ["home", "news", "about us", "contact"].map((t) => ({
      url: "/" + t.replace(" ", "-"),
      title: t,
    })),
    items: Array.from({ length: 20 }, (_, i) => ({
      title: `Story ${i}`,
      body: `Something <happened> today in place number ${i} and it was rather interesting to all`,
    })),
  };
}

/** Django and nunjucks: a counter-sized template. */
export const SMALL =
  `<section><h1>Counter</h1><p class="value">{{ count }}</p><button dj-click="inc">+</button>{% if count > 9 %}<p>big</p>{% endif %}</section>`;

/** One item of the text-heavy list. */
export interface BenchNote {
  title: string;
  body: string;
}

// Mostly lower-case prose, with the odd character to escape.
const WORDS = (
  "the quick brown fox jumps over lazy dog while river stones glimmer under autumn light and " +
  'curious travellers share bread & stories about distant harbours, old maps, "hidden" ' +
  "gardens and the long road home to a village of 1200 souls where nobody's door is locked"
).split(" ");

/** `n` deterministic notes (one set per `seed`) whose titles and bodies are 50–150 characters. */
export function benchNotes(n = 1000, seed = 7): BenchNote[] {
  // mulberry32: every note differs (a plain LCG in doubles loses bits and repeats itself).
  const next = () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const text = (length: number): string => {
    let out = "";
    while (out.length < length) out += (out ? " " : "") + WORDS[Math.floor(next() * WORDS.length)];
    return out;
  };
  return Array.from({ length: n }, () => ({
    title: text(50 + Math.floor(next() * 100)),
    body: text(50 + Math.floor(next() * 100)),
  }));
}

/** Django: a 1000-item list of text through title, upper and length. */
export const DJANGO_TEXT = `<ul class="notes">
{% for note in notes %}<li><h3>{{ note.title|title }}</h3><p>{{ note.body|upper }}</p><small>{{ note.body|length }} characters</small></li>
{% endfor %}</ul>`;

/** nunjucks: the same list. */
export const NUNJUCKS_TEXT = `<ul class="notes">
{% for note in notes %}<li><h3>{{ note.title | title }}</h3><p>{{ note.body | upper }}</p><small>{{ note.body | length }} characters</small></li>
{% endfor %}</ul>`;
