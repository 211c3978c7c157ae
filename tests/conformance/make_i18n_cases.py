"""Conformance cases for the i18n tags. Django renders them with USE_I18N=True and the test catalogs
in tests/conformance/locale/ (German, Polish), through the oracle's --i18n mode:

    python3 tests/conformance/make_i18n_cases.py \
      | /usr/bin/python3 tests/conformance/django_oracle.py --i18n > tests/conformance/i18n_cases.jsonl

The compiled catalogs (django.mo) are committed beside their .po files, so CI needs no gettext
tools; after editing a .po, recompile it (Debian's `gettext` package has msgfmt):

    for l in de pl; do msgfmt -o tests/conformance/locale/$l/LC_MESSAGES/django.mo \
      tests/conformance/locale/$l/LC_MESSAGES/django.po; done
"""
import json
import sys
cases = []
def c(id, template, context=None, language=None, templates=None, autoescape=None):
    d = {"id": "i18n-" + id, "template": template, "context": context or {}}
    if language: d["language"] = language
    if templates: d["templates"] = templates
    if autoescape is not None: d["autoescape"] = autoescape
    cases.append(d)
S = lambda s: {"$safe": s}
L = "{% load i18n %}"
# Without a catalog entry (and in English), output is the source text.
for lang in [None, "de", "pl"]:
    tag = lang or "en"
    c("trans-" + tag, L + '{% trans "Welcome to the shop" %}|{% translate "Not in any catalog" %}|{% trans "a<b & c" %}', {}, lang)
    c("trans-var-" + tag, L + '{% trans s %}|{% trans t %}|{% trans missing %}|{% trans s|upper %}', {"s": "Welcome to the shop", "t": "x<y"}, lang)
    c("blocktrans-count-" + tag, L + "{% for n in ns %}{% blocktrans count counter=n %}There is {{ counter }} crate.{% plural %}There are {{ counter }} crates.{% endblocktrans %} {% endfor %}", {"ns": [0, 1, 2, 3, 4, 5, 11, 12, 21, 22, 25, 102, 112]}, lang)
    c("underscore-" + tag, L + '{{ _("Welcome to the shop") }}|{% with g=_("Good morning, friend") %}{{ g }}{% endwith %}|{{ x|default:_("Welcome to the shop") }}|{% if _("Welcome to the shop") == "Willkommen im Laden" %}de{% endif %}', {"x": ""}, lang)
c("trans-percent", L + '{% trans "100% organic" %}|{{ _("100% organic") }}|{% trans "50%" %}', {}, "de")
c("trans-safe", L + '{% trans "<b>Bold</b> offer" %}|{% trans s %}|{% trans t %}', {"s": "<b>Bold</b> offer", "t": S("<b>Bold</b> offer")}, "de")
c("trans-noop", L + '{% trans "Welcome to the shop" noop %}|{% trans s noop %}', {"s": "Welcome to the shop"}, "de")
c("trans-as", L + '{% trans "Welcome to the shop" as w %}[{{ w }}]|{% trans "<b>Bold</b> offer" as b %}{{ b }}|{% trans s as v %}{{ v }}', {"s": "a<b"}, "de")
c("trans-context", L + '{% trans "Date of harvest" context "fruit" %}|{% trans "Date of harvest" context "calendar" %}|{% trans "Date of harvest" context ctx %}|{% trans "Date of harvest" %}|{% trans "Date of harvest" context "none" %}', {"ctx": "calendar"}, "de")
c("trans-errors-1", L + '{% trans %}', {}, "de")
c("trans-errors-2", L + '{% trans "a" noop noop %}', {}, "de")
c("trans-errors-3", L + '{% trans "a" context %}', {}, "de")
c("trans-errors-4", L + '{% trans "a" as %}', {}, "de")
c("trans-errors-5", L + '{% trans "a" bogus %}', {}, "de")
c("trans-errors-6", L + '{% trans "a" context as %}', {}, "de")
c("trans-unloaded", '{% trans "Welcome to the shop" %}', {}, "de")
c("trans-fuzzy", L + '{% trans "Fuzzy entry" %}|{% trans "Untranslated entry" %}', {}, "de")
c("trans-newline", L + '{% blocktrans %}Line one\nline two{% endblocktrans %}|{{ _("Line one\nline two") }}', {}, "de")
c("blocktrans-with", L + '{% blocktrans with name=user.name total=pts %}Hello {{ name }}, you have {{ total }} points.{% endblocktrans %}', {"user": {"name": "<Ann>"}, "pts": 1250}, "de")
c("blocktrans-with-en", L + '{% blocktrans with name=user.name total=pts %}Hello {{ name }}, you have {{ total }} points.{% endblocktrans %}', {"user": {"name": "<Ann>"}, "pts": 1.5}, None)
c("blocktrans-legacy-with", L + '{% blocktrans with user.name as name and pts as total %}Hello {{ name }}, you have {{ total }} points.{% endblocktrans %}', {"user": {"name": "Bo"}, "pts": 3}, "de")
c("blocktrans-context", L + '{% for n in ns %}{% blocktrans count n=n context "shipping" %}{{ n }} parcel{% plural %}{{ n }} parcels{% endblocktrans %};{% endfor %}|{% blocktrans count n=2 context ctx %}{{ n }} parcel{% plural %}{{ n }} parcels{% endblocktrans %}', {"ns": [1, 2], "ctx": "other"}, "de")
c("blocktrans-trimmed", L + '{% blocktrans trimmed %}\n  Trimmed text\n   across lines\n{% endblocktrans %}|{% blocktrans %}\n  Trimmed text\n{% endblocktrans %}', {}, "de")
c("blocktrans-asvar", L + '{% blocktrans asvar msg with name="<x>" %}Shown to {{ name }} only{% endblocktrans %}[{{ msg }}]|{% blocktrans asvar m2 %}<b>{% endblocktrans %}{{ m2 }}|{% blocktrans %}<b>{% endblocktrans %}', {}, "de")
c("blocktrans-vars", L + '{% blocktrans %}Shown to {{ user }} only{% endblocktrans %}|{% blocktrans %}{{ missing }}-{{ a.b }}-{{ n|add:1 }}{% endblocktrans %}', {"user": "<Zoe>", "a": {"b": 1}, "n": 1}, "de")
c("blocktrans-percent", L + '{% blocktrans %}100% organic{% endblocktrans %}|{% blocktrans with p=5 %}{{ p }}% off{% endblocktrans %}|{% blocktrans %}%s and %(x)s{% endblocktrans %}', {}, "de")
c("blocktrans-broken", L + '{% blocktrans with name="N" %}Broken {{ name }} placeholder{% endblocktrans %}', {}, "de")
c("blocktrans-count-float", L + '{% blocktrans count c=f %}There is {{ c }} crate.{% plural %}There are {{ c }} crates.{% endblocktrans %}|{% blocktrans count c=t %}There is {{ c }} crate.{% plural %}There are {{ c }} crates.{% endblocktrans %}', {"f": 2.5, "t": True}, "de")
c("blocktrans-count-error", L + '{% blocktrans count c=s %}one{% plural %}many{% endblocktrans %}', {"s": "3"}, "de")
c("blocktrans-count-legacy", L + '{% blocktrans count l|length as counter %}There is {{ counter }} crate.{% plural %}There are {{ counter }} crates.{% endblocktrans %}', {"l": [1, 2, 3]}, "pl")
c("blocktrans-scope", L + '{% blocktrans with x="in" count c=2 %}{{ x }}{% plural %}{{ x }}{{ c }}{% endblocktrans %}[{{ x }}{{ c }}]', {"x": "out"}, "de")
c("blocktranslate-tag", L + '{% blocktranslate %}Welcome to the shop{% endblocktranslate %}|{% blocktrans %}Welcome to the shop{% endblocktrans %}', {}, "pl")
c("blocktrans-autoescape-off", L + '{% autoescape off %}{% blocktrans with n=name %}Shown to {{ n }} only{% endblocktrans %}|{% trans s %}{% endautoescape %}', {"name": "<i>", "s": "<i>"}, "de")
c("blocktrans-errors-1", L + '{% blocktrans %}a{% if x %}b{% endif %}{% endblocktrans %}', {}, "de")
c("blocktrans-errors-2", L + '{% blocktrans count c=1 %}a{% endblocktrans %}', {}, "de")
c("blocktrans-errors-3", L + '{% blocktrans with %}a{% endblocktrans %}', {}, "de")
c("blocktrans-errors-4", L + '{% blocktrans count a=1 b=2 %}a{% plural %}b{% endblocktrans %}', {}, "de")
c("blocktrans-errors-5", L + '{% blocktrans trimmed trimmed %}a{% endblocktrans %}', {}, "de")
c("blocktrans-errors-6", L + '{% blocktrans bogus %}a{% endblocktrans %}', {}, "de")
c("blocktrans-errors-7", L + '{% blocktrans %}a{% endblocktranslate %}', {}, "de")
c("blocktrans-errors-8", L + '{% blocktrans asvar %}a{% endblocktrans %}', {}, "de")
c("blocktrans-errors-9", L + '{% blocktrans %}a{# note #}b{% endblocktrans %}', {}, "de")
c("language-tag", L + '{% trans "Welcome to the shop" %}|{% language "pl" %}{% trans "Welcome to the shop" %}{% get_current_language as l %}{{ l }}{% endlanguage %}|{% trans "Welcome to the shop" %}|{% language code %}{% trans "Welcome to the shop" %}{% endlanguage %}', {"code": "de"}, None)
c("language-nested", L + '{% language "de" %}{% language "pl" %}{% blocktrans count counter=5 %}There is {{ counter }} crate.{% plural %}There are {{ counter }} crates.{% endblocktrans %}{% endlanguage %}|{% trans "Welcome to the shop" %}{% endlanguage %}', {}, None)
c("language-codes", L + '{% language "DE_de" %}{% get_current_language as a %}{{ a }}|{% trans "Welcome to the shop" %}{% endlanguage %}|{% language "pl-PL" %}{% get_current_language as b %}{{ b }}|{% trans "Welcome to the shop" %}{% endlanguage %}|{% language "xx" %}{% get_current_language as c %}{{ c }}{% endlanguage %}', {}, None)
c("language-include", L + '{% language "de" %}{% include "t.html" %}{% endlanguage %}', {}, None, {"t.html": '{% load i18n %}{% trans "Welcome to the shop" %}'})
c("language-errors", L + '{% language %}x{% endlanguage %}', {}, None)
c("current-language", L + '{% get_current_language as l %}{{ l }}|{% get_current_language_bidi as b %}{{ b }}|{% language "he" %}{% get_current_language_bidi as b2 %}{{ b2 }}{% endlanguage %}|{% language "ar-dz" %}{% get_current_language_bidi as b3 %}{{ b3 }}{% endlanguage %}', {}, None)
c("current-language-de", L + '{% get_current_language as l %}{{ l }}', {}, "de")
c("current-language-errors", L + '{% get_current_language l %}', {}, None)
c("underscore-args", L + '{{ "x"|add:_("Welcome to the shop") }}|{% firstof missing _("Welcome to the shop") %}|{% cycle _("Welcome to the shop") "b" %}', {}, "de")
c("underscore-safe", L + '{{ _("<b>Bold</b> offer") }}|{{ _("a<b") }}|{{ _("a<b")|escape }}', {}, "de")
c("trans-underscore", L + '{% trans _("Welcome to the shop") %}|{% trans _("100% organic") %}|{% trans "Welcome to the shop"|upper as u %}{{ u }}', {}, "de")
c("underscore-without-load", '{{ _("Welcome to the shop") }}', {}, "de")
sys.stdout.write("".join(json.dumps(x, ensure_ascii=False) + "\n" for x in cases))
