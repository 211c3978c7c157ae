/**
 * The HTML page around a live view: layout, join token, CSRF token and client script.
 * @module
 */
import type { Engine } from "../template/engine.ts";
import type { TemplateHooks } from "../template/hooks.ts";
import { isBidi } from "../template/i18n/translations.ts";
import { escapeHtml, markSafe } from "../template/safe.ts";

/** The built-in layout: a minimal HTML5 document. */
export const DEFAULT_LAYOUT = `<!DOCTYPE html>
<html lang="{{ language|default:'en' }}"{% if language_bidi %} dir="rtl"{% endif %}>
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="icon" href="data:,">
<title>{{ title }}</title>
{{ head }}
</head>
<body>
<div dj-flash>{% for kind, text in flash.items %}<p class="dj-flash dj-flash-{{ kind }}" data-kind="{{ kind }}" role="alert">{{ text }}</p>{% endfor %}</div>
{{ body }}
</body>
</html>
`;

/** What goes into a page. */
export interface PageParts {
  title: string;
  /** The view's rendered HTML (root content). */
  html: string;
  token: string;
  csrf: string;
  scriptUrl: string;
  /** The development entry (template overlay), in development only. */
  devScriptUrl?: string;
  /** Name of the layout template, or undefined for the built-in one. */
  layout?: string;
  /** Extra context for the layout template. */
  context?: Record<string, unknown>;
  /** Flash messages to show, by kind. */
  flash?: Record<string, string>;
  /** The page's language (`language` and `language_bidi` in the layout; `{% translate %}`). */
  language?: string;
  /** Hooks for the layout's tags (`{% url %}`, `{% csrf_token %}`). */
  hooks?: TemplateHooks;
}

/** Renders the full page for a live view. */
export function renderPage(engine: Engine, parts: PageParts): string {
  const head = `<meta name="dj-csrf" content="${escapeHtml(parts.csrf)}">\n` +
    `<script type="module" src="${escapeHtml(parts.scriptUrl)}"></script>` +
    (parts.devScriptUrl
      ? `\n<script type="module" src="${escapeHtml(parts.devScriptUrl)}"></script>`
      : "");
  const body = `<div dj-root data-dj-token="${escapeHtml(parts.token)}">${parts.html}</div>`;
  const context = {
    ...parts.context,
    title: parts.title,
    flash: parts.flash ?? {},
    head: markSafe(head),
    body: markSafe(body),
    language: parts.language,
    language_bidi: parts.language ? isBidi(parts.language) : false,
  };
  const hooks = { ...parts.hooks, language: parts.language };
  if (parts.layout) return engine.render(parts.layout, context, hooks);
  return engine.renderString(DEFAULT_LAYOUT, context, hooks);
}
