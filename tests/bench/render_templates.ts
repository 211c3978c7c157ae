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
