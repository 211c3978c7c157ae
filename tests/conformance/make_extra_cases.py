"""Our own conformance cases (beyond the shared corpus). Django's answers are filled by the oracle:

    python3 tests/conformance/make_extra_cases.py \
      | /usr/bin/python3 ../shared/conformance/django_oracle.py > tests/conformance/extra_cases.jsonl
"""
import json
import sys
cases = []
def c(id, template, context=None, templates=None, autoescape=None):
    d = {"id": "own-" + id, "template": template, "context": context or {}}
    if templates: d["templates"] = templates
    if autoescape is not None: d["autoescape"] = autoescape
    cases.append(d)
D = lambda s: {"$date": s}
Y = lambda s: {"$day": s}
F = lambda s: {"$float": s}
S = lambda s: {"$safe": s}
# truncation
c("truncatechars-1", "{{ s|truncatechars:5 }}|{{ s|truncatechars:0 }}|{{ s|truncatechars:1 }}|{{ s|truncatechars:'x' }}", {"s": "Hello world"})
c("truncatechars-2", "{{ s|truncatechars:3 }}", {"s": "e\u0301e\u0301e\u0301e\u0301"})
c("truncatewords-1", "{{ s|truncatewords:2 }}|{{ s|truncatewords:10 }}|{{ s|truncatewords:0 }}", {"s": "  one   two three\nfour "})
c("truncatewords_html-1", "{{ s|truncatewords_html:2 }}", {"s": S("<p>one <br/>two <b>three</b></p>")})
c("truncatechars_html-1", "{{ s|truncatechars_html:5 }}", {"s": S("<ul><li>abc</li><li>defgh</li></ul>")})
# stringformat
c("stringformat-1", "[{{ n|stringformat:'+d' }}][{{ n|stringformat:' d' }}][{{ f|stringformat:'10.3f' }}][{{ f|stringformat:'-10.1f' }}]", {"n": 7, "f": 3.14159})
c("stringformat-2", "[{{ f|stringformat:'g' }}][{{ g|stringformat:'g' }}][{{ h|stringformat:'.3g' }}][{{ s|stringformat:'.2s' }}]", {"f": 0.0001234, "g": 123456789.0, "h": 2.5, "s": "abcdef"})
c("stringformat-3", "[{{ l|stringformat:'s' }}][{{ n|stringformat:'s' }}][{{ b|stringformat:'d' }}][{{ x|stringformat:'#x' }}]", {"l": [1, "a"], "n": None, "b": True, "x": 255})
c("stringformat-4", "[{{ f|stringformat:'.0f' }}][{{ g|stringformat:'.0f' }}][{{ h|stringformat:'.1f' }}][{{ n|stringformat:'E' }}]", {"f": 0.5, "g": 1.5, "h": 0.25, "n": 0.000123})
# slugify / title / capfirst
c("slugify-1", "{{ s|slugify }}|{{ t|slugify }}", {"s": " Héllo, Wörld! -- it's _ok_ ", "t": "ﬁ ½ Ω"})
c("title-1", "{{ s|title }}|{{ t|title }}|{{ u|title }}", {"s": "they're 1st and 2nd o'neil", "t": "hello-world foo_bar", "u": "ÉCOLE élève"})
c("capfirst-1", "{{ s|capfirst }}|{{ e|capfirst }}|{{ n|capfirst }}", {"s": "élan", "e": "", "n": 12})
c("center-1", "[{{ s|center:6 }}][{{ s|center:7 }}][{{ t|center:6 }}][{{ s|ljust:'4' }}][{{ s|rjust:2 }}]", {"s": "ab", "t": "abc"})
# numbers
c("floatformat-11", "{{ a|floatformat:3 }} {{ b|floatformat:'-2' }} {{ c|floatformat }} {{ d|floatformat:2 }}", {"a": 0.0005, "b": 1.999, "c": 1e-05, "d": 1e20})
c("floatformat-12", "{{ a|floatformat:'x' }}|{{ b|floatformat:1 }}|{{ c|floatformat }}|{{ n|floatformat }}", {"a": 3.5, "b": "  2.25 ", "c": True, "n": None})
c("floatformat-13", "{{ a|floatformat:1 }} {{ b|floatformat:1 }} {{ c|floatformat:0 }} {{ d|floatformat:-1 }}", {"a": 0.05, "b": 0.15, "c": 0.5, "d": -1.0001})
c("filesizeformat-6", "{{ a|filesizeformat }}|{{ b|filesizeformat }}|{{ c|filesizeformat }}|{{ d|filesizeformat }}", {"a": 1280, "b": 1331, "c": "2048", "d": 1.9})
c("divisibleby-1", "{{ a|divisibleby:3 }} {{ b|divisibleby:'2' }} {{ c|divisibleby:4 }}", {"a": 9, "b": "7", "c": -8})
c("get_digit-1", "{{ a|get_digit:1 }} {{ a|get_digit:3 }} {{ a|get_digit:9 }} {{ a|get_digit:0 }} {{ b|get_digit:1 }}", {"a": 12345, "b": "x"})
c("add-6", "{{ a|add:b }}|{{ c|add:d }}|{{ e|add:f }}|{{ g|add:'2' }}", {"a": 1.5, "b": 2, "c": "x", "d": 3, "e": None, "f": 1, "g": 2.9})
c("widthratio-6", "{% widthratio a b 100 %} {% widthratio c d 10 %} {% widthratio e f 7 as w %}[{{ w }}] {% widthratio g h 100 %}", {"a": 175, "b": 200, "c": 5, "d": 0, "e": 1, "f": 3, "g": "x", "h": 10})
c("pluralize-9", "{{ a|pluralize }}{{ b|pluralize:'y,ies' }}{{ c|pluralize:'es' }}{{ d|pluralize }}{{ e|pluralize:'a,b,c' }}{{ f|pluralize }}", {"a": 1, "b": 2, "c": [1], "d": "1", "e": 2, "f": F("1.0")})
c("yesno-6", "{{ a|yesno:'y,n' }} {{ b|yesno:'y,n' }} {{ c|yesno }} {{ d|yesno:'a,b,c,d' }} {{ e|yesno:'one' }}", {"a": None, "b": [], "c": None, "d": 0, "e": 1})
# sequences
c("dictsort-7", "{% for p in l|dictsort:'a.b' %}{{ p.a.b }}{% endfor %}|{{ m|dictsort:'x' }}|{{ s|dictsort:'x' }}", {"l": [{"a": {"b": 2}}, {"a": {"b": 1}}], "m": [{"x": 1}, {"x": "a"}], "s": "abc"})
c("dictsortreversed-6", "{% for p in l|dictsortreversed:'n' %}{{ p.n }}{{ p.k }} {% endfor %}", {"l": [{"n": 1, "k": "a"}, {"n": 2, "k": "b"}, {"n": 1, "k": "c"}]})
c("slice-7", "{{ l|slice:'::-1' }}|{{ l|slice:'-2:' }}|{{ s|slice:'1:-1' }}|{{ l|slice:'1::2' }}|{{ l|slice:'x' }}|{{ l|slice:'5:1' }}", {"l": [1, 2, 3, 4, 5], "s": "hello"})
c("join-8", "{{ l|join:', ' }}|{{ s|join:'-' }}|{{ n|join:',' }}|{{ m|join:sep }}", {"l": ["<a>", 1, None], "s": "abc", "n": 5, "m": ["x", "y"], "sep": "<&>"})
c("first-last-1", "[{{ l|first }}][{{ l|last }}][{{ e|first }}][{{ s|last }}]", {"l": ["<x>", "y"], "e": [], "s": "abc"})
c("length-6", "{{ a|length }} {{ b|length }} {{ c|length }} {{ d|length }} {{ e|length_is:2 }} {{ f|length_is:'x' }}", {"a": "héllo", "b": {"k": 1}, "c": None, "d": 12, "e": [1, 2], "f": [1]})
c("pprint-6", "{{ d|pprint }}", {"d": {"b": [1, 2], "a": "x", "c": None}})
c("pprint-7", "{% autoescape off %}{{ l|pprint }}{% endautoescape %}", {"l": ["a" * 30, "b" * 30, {"k": "v" * 10}]})
c("make_list-6", "{{ l|make_list }}", {"l": [1, 2]})
c("safeseq-7", "{{ l|safeseq|join:',' }}|{{ l|join:',' }}", {"l": ["<b>", "&"]})
c("default-7", "[{{ a|default:'x' }}][{{ b|default:'x' }}][{{ c|default:'x' }}][{{ d|default:'x' }}][{{ e|default_if_none:'n' }}][{{ f|default_if_none:'n' }}]", {"a": 0, "b": [], "c": {}, "d": "0", "e": False, "f": None})
# text
c("wordwrap-6", "{{ s|wordwrap:5 }}", {"s": "a\n\nb verylongword c\td e"})
c("wordcount-6", "{{ s|wordcount }}", {"s": " one\ttwo\n three  "})
c("linenumbers-6", "{{ s|linenumbers }}", {"s": "\n".join("<l%d>" % i for i in range(11))})
c("addslashes-6", "{{ s|addslashes }}", {"s": "a'b\"c\\d"})
c("escapejs-7", "{{ s|escapejs }}", {"s": "line\nnew\t'q' \"d\" <\\/script> & = - ; ` \u2028 \x01"})
c("urlencode-7", "{{ s|urlencode }}|{{ s|urlencode:'' }}|{{ t|urlencode }}", {"s": "a b/c?d=é&f", "t": "~_.-"})
c("iriencode-6", "{{ s|iriencode }}", {"s": "/a b/é?x=1&y=%20#z"})
c("phone2numeric-6", "{{ s|phone2numeric }}", {"s": "1-800-FLoWeRs"})
c("cut-6", "{{ s|cut:' ' }}|{{ t|cut:'<' }}", {"s": "a b c", "t": S("<b>x</b>")})
c("lower-upper-1", "{{ s|lower }}|{{ s|upper }}", {"s": "ÀbC ß"})
c("striptags-7", "{{ s|striptags }}", {"s": "<p class='x'>a</p><!-- c --><br>b<unclosed"})
c("linebreaksbr-6", "{{ s|linebreaksbr }}|{% autoescape off %}{{ s|linebreaksbr }}{% endautoescape %}", {"s": "<a>\r\nb\rc"})
c("unordered_list-6", "{{ l|unordered_list }}", {"l": ["a", [], "b", ["c", ["d"]]]})
c("json_script-6", "{{ d|json_script:'x' }}", {"d": {"f": 1.5, "n": None, "l": ["\u2603", "\U0001F600"], "e": "\n"}})
c("urlize-8", "{{ s|urlize }}", {"s": "see http://example.com/a_(b) and [www.x.org]. or https://x.com/?q=a%20b&c=d#frag!"})
c("urlize-9", "{{ s|urlize }}", {"s": S("<i>http://x.org</i> a@b.co")})
c("urlize-10", "{{ s|urlize }}", {"s": "javascript:alert(1) http://x.org/\"onmouseover=alert(1) x@y"})
c("urlizetrunc-6", "{{ s|urlizetrunc:3 }}", {"s": "www.example.com"})
# dates
c("date-19", "{{ d|date:'c' }}|{{ d|date:'u' }}|{{ t|date:'c' }}|{{ d|date:'SHORT_DATETIME_FORMAT' }}|{{ d|date:'YEAR_MONTH_FORMAT' }}|{{ d|date:'MONTH_DAY_FORMAT' }}", {"d": D("2024-02-29T23:05:01.000250"), "t": Y("2020-12-31")})
c("date-20", "{% for x in ds %}{{ x|date:'W o' }},{% endfor %}", {"ds": [Y("2020-12-31"), Y("2021-01-01"), Y("2021-01-04"), Y("2018-12-31"), Y("2016-01-03"), Y("2026-12-28")]})
c("date-21", "{{ d|date:'\\\\\\\\ \\\\Y Y' }}|{{ d|date:'jS \\o\\f F' }}", {"d": Y("2023-11-02")})
c("date-22", "{{ d }}|{{ e }}|{{ d|date:'' }}|{{ d|time:'' }}", {"d": D("2024-07-04T00:00:00"), "e": Y("2024-07-04")})
c("time-7", "{% for x in ts %}{{ x|time:'P f g:i A' }}|{% endfor %}", {"ts": [D("2024-01-01T12:30:00"), D("2024-01-01T00:01:00"), D("2024-01-01T23:00:00")]})
c("timesince-7", "{{ a|timesince:b }}|{{ c|timesince:d }}|{{ e|timesince:f }}", {"a": D("2020-02-28T00:00:00"), "b": D("2024-03-01T00:00:00"), "c": Y("2023-01-31"), "d": Y("2023-03-01"), "e": D("2024-01-01T00:00:00"), "f": D("2024-01-01T00:00:59")})
c("timeuntil-6", "{{ a|timeuntil:b }}|{{ c|timeuntil:d }}", {"a": D("2025-03-01T00:00:00"), "b": D("2024-02-28T00:00:00"), "c": D("2024-01-08T00:00:00"), "d": D("2024-01-01T00:00:00")})
# tags
c("if-19", "{% if a and not b or c %}1{% endif %}{% if not a == b %}2{% endif %}{% if a in l and b not in l %}3{% endif %}{% if x is None %}4{% endif %}{% if a is not b %}5{% endif %}", {"a": 1, "b": 0, "c": 0, "l": [1, 2]})
c("if-20", "{% if 'b' in s %}1{% endif %}{% if k in d %}2{% endif %}{% if 1 in n %}3{% endif %}{% if a < b %}4{% endif %}{% if l1 < l2 %}5{% endif %}{% if s > 1 %}6{% endif %}", {"s": "abc", "k": "x", "d": {"x": 1}, "n": 5, "a": "b", "b": "a", "l1": [1, 2], "l2": [1, 3]})
c("if-21", "{% if a %}{% elif b %}B{% elif c %}C{% else %}E{% endif %}|{% if True %}T{% endif %}{% if None %}N{% endif %}", {"a": 0, "b": "", "c": [0]})
c("if-err-1", "{% if a and %}x{% endif %}", {})
c("if-err-2", "{% if a b %}x{% endif %}", {})
c("for-16", "{% for a, b in l %}{{ a }}{{ b }}{{ forloop.revcounter0 }}{% if forloop.first %}F{% endif %}{% if forloop.last %}L{% endif %};{% endfor %}", {"l": [[1, 2], ["x", "y"], "ab"]})
c("for-17", "{% for x in l %}{% for y in x %}{{ forloop.parentloop.counter }}.{{ forloop.counter }}{% endfor %} {% endfor %}", {"l": [[1, 2], [3]]})
c("for-18", "{% for k in d %}{{ k }}{% endfor %}|{% for k, v in d.items %}{{ k }}={{ v }}{% endfor %}|{% for x in none %}x{% empty %}E{% endfor %}|{% for c in 'ab' %}{{ c }}{% endfor %}", {"d": {"b": 1, "a": 2}, "none": None})
c("for-19", "{% for x in l reversed %}{{ x }}{% endfor %}{% for x in l %}{% cycle 'a' 'b' as c silent %}{{ c }}{% endfor %}", {"l": [1, 2, 3]})
c("for-err-1", "{% for x of l %}{% endfor %}", {})
c("with-7", "{% with a=1 b='x'|upper %}{{ a }}{{ b }}{% endwith %}{% with l|length as n %}{{ n }}{% endwith %}", {"l": [1, 2]})
c("firstof-7", "{% firstof a b 'c<' %}|{% firstof a b c as x %}[{{ x }}]|{% firstof a %}", {"a": 0, "b": "", "c": "<z>"})
c("cycle-7", "{% for x in l %}{% cycle 'a' 'b' 'c' as v %}{% resetcycle v %}{% endfor %}|{% for x in l %}{% cycle x 'y' %}{% endfor %}", {"l": [1, 2, 3]})
c("ifchanged-6", "{% for x in l %}{% ifchanged x.k %}[{{ x.k }}]{% else %}-{% endifchanged %}{% endfor %}", {"l": [{"k": 1}, {"k": 1}, {"k": 2}, {"k": 1}]})
c("regroup-6", "{% regroup l by k as g %}{% for grouper, items in g %}{{ grouper }}:{% for i in items %}{{ i.v }}{% endfor %};{% endfor %}", {"l": [{"k": "a", "v": 1}, {"k": "a", "v": 2}, {"k": "b", "v": 3}]})
c("filter-6", "{% filter force_escape|upper %}<b>{{ x }}</b>{% endfilter %}|{% filter truncatewords:2 %}a b c{% endfilter %}", {"x": "&"})
c("spaceless-5", "{% spaceless %}  <p>\n <a> x </a>\n</p>  {% endspaceless %}", {})
c("templatetag-5", "{% templatetag openbrace %}{% templatetag closebrace %}{% templatetag opencomment %}{% templatetag closecomment %}", {})
c("verbatim-4", "{% verbatim x %}{% endverbatim %}{{ y }}{% endverbatim x %}{{ y }}", {"y": 1})
c("comment-5", "a{% comment 'note' %}{{ x }}{% if %}{% endcomment %}b", {})
c("lorem-1", "{% lorem 3 w %}|{% lorem %}|{% lorem 1 p %}|{% lorem 19 w %}", {})
c("autoescape-6", "{% autoescape off %}{{ s }}{% autoescape on %}{{ s }}{% endautoescape %}{% endautoescape %}", {"s": "<&>"})
c("include-8", "{% include t %}|{% include 'a.html' with x=2 only %}|{% include 'a.html' %}", {"t": "a.html", "x": 1, "y": 5}, {"a.html": "[{{ x }}{{ y }}]"})
c("include-9", "{% include 'missing.html' %}", {})
c("extends-9", "{% extends 'b.html' %}{% block a %}C{{ block.super }}{% endblock %}outside", {}, {"b.html": "{% extends 'c.html' %}{% block a %}B{{ block.super }}{% endblock %}", "c.html": "<{% block a %}A{% endblock %}|{% block z %}Z{% endblock %}>"})
c("extends-10", "x{% extends 'b.html' %}", {}, {"b.html": "B"})
c("extends-11", "{% load static %}{% extends 'b.html' %}", {}, {"b.html": "B"})
c("block-1", "{% block a %}1{% block b %}2{% endblock b %}{% endblock a %}", {})
c("var-18", "{{ a.b.c }}|{{ l.-1 }}|{{ d.items }}|{{ s.0 }}|{{ t.upper }}", {"a": {"b": None}, "l": [1, 2], "d": {}, "s": "xyz", "t": "up"})
c("var-err-1", "{{ a._b }}", {})
c("var-err-2", "{{ a|upper:'x'|lower }}", {})
c("var-err-3", "{{ 'unterminated }}", {})
c("xss-1", "<a href=\"{{ u }}\" title='{{ t }}'>{{ s }}</a><script>var x = \"{{ j|escapejs }}\";</script>", {"u": "javascript:alert(1)\" onerror=\"x", "t": "' onmouseover='alert(1)", "s": "<img src=x onerror=alert(1)>", "j": "</script><script>alert(1)</script>"})
c("xss-2", "{{ s|urlize }}|{{ s|linebreaks }}|{{ s|truncatechars:50 }}|{{ s|title }}|{{ s|join:'' }}", {"s": "<script>alert('x')</script> http://x.com/<script>"})
c("xss-3", "{{ l|unordered_list }}|{{ l|join:', ' }}|{{ d|pprint }}|{{ l|slice:':1' }}", {"l": ["<b onclick=x>", "\"q\""], "d": {"<k>": "</v>"}})
# Cases for the compiler and the filters' fast paths (session 2).
c("truncatewords-negative", "{{ s|truncatewords:-1 }}|{{ s|truncatewords:-5 }}|{{ e|truncatewords:-1 }}", {"s": "one two three", "e": ""})
c("truncatewords-single-spaced", "{{ s|truncatewords:3 }}|{{ s|truncatewords:4 }}|{{ s|truncatewords:9 }}|{{ t|truncatewords:1 }}", {"s": "one <two> three & four", "t": "a …"})
c("floatformat-fast", "{{ a|floatformat:2 }} {{ b|floatformat:2 }} {{ c|floatformat }} {{ d|floatformat:0 }} {{ e|floatformat:-2 }} {{ f|floatformat:3 }}", {"a": 1.005, "b": -0.001, "c": 2.25, "d": 9.5, "e": 0.125, "f": 123456.0005})
c("date-fields", "{{ d|date:\"Y-m-d H:i\" }}|{{ d|date:\"j M y, g:i a\" }}|{{ d|date:\"F jS E N h A s\" }}|{{ day|date:\"b n d\" }}", {"d": {"$date": "2024-09-03T00:05:09"}, "day": {"$day": "2024-05-31"}})
c("title-ascii", "{{ a|title }}|{{ b|title }}|{{ c|title }}", {"a": "hello WORLD-foo_bar", "b": "they're 1st o'NEIL", "c": "àb cd"})
c("include-loop-scope", "{% for x in xs %}{% include \"inc.html\" with y=forloop.counter %}{% endfor %}{{ y }}", {"xs": ["a", "b"], "y": "outer"}, templates={"inc.html": "{{ x }}{{ y }}{% firstof x as y %}{{ y }};"})
sys.stdout.write("".join(json.dumps(x, ensure_ascii=False) + "\n" for x in cases))
