#!/usr/bin/python3
"""Times Django 3.2 rendering the benchmark templates. Reads a JSON spec on stdin, prints JSON timings.

Spec: {"cases": [{"name", "template", "templates", "context", "iterations"}]}. Context values may use
{"$date": iso} for naive datetimes. Each case is compiled once and rendered `iterations` times; the
median per-render time is reported in microseconds.
"""
import datetime
import json
import sys
import time

import django
from django.conf import settings

settings.configure(DEBUG=False, USE_TZ=False, USE_I18N=False, USE_L10N=False, TIME_ZONE="UTC",
                   TEMPLATES=[{"BACKEND": "django.template.backends.django.DjangoTemplates"}])
django.setup()
from django.template import Context, Engine  # noqa: E402


def decode(v):
    if isinstance(v, dict):
        if len(v) == 1 and "$date" in v:
            return datetime.datetime.fromisoformat(v["$date"])
        return {k: decode(x) for k, x in v.items()}
    if isinstance(v, list):
        return [decode(x) for x in v]
    return v


def main():
    spec = json.load(sys.stdin)
    out = {}
    for case in spec["cases"]:
        engine = Engine(loaders=[("django.template.loaders.locmem.Loader", case.get("templates", {}))])
        template = engine.from_string(case["template"])
        context = decode(case["context"])
        output = template.render(Context(context))
        times = []
        for _ in range(case["iterations"]):
            t0 = time.perf_counter()
            template.render(Context(context))
            times.append(time.perf_counter() - t0)
        times.sort()
        out[case["name"]] = {"micros": times[len(times) // 2] * 1e6, "length": len(output)}
    json.dump(out, sys.stdout)


main()
