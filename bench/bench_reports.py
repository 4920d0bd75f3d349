"""How long the committee report takes: gathering the sections, the HTML page and the PDF.

At demo size (`onesource demo`) and at `onesource demo --scale N` (N partners; default 30, or
BENCH_REPORT_SCALE). Prints figures; asserts nothing about time.
"""

from __future__ import annotations

import datetime as dt
import os
import time

from bench.support import report, setup_django, time_it

START, END = dt.date(2020, 4, 1), dt.date(2021, 8, 31)


def build(scale: int) -> float:
    from django.core.management import call_command

    from onesource.core.demo import build_demo

    began = time.perf_counter()
    call_command("migrate", interactive=False, verbosity=0)
    call_command("flush", interactive=False, verbosity=0)
    build_demo(scale=scale, log=lambda message: None)
    return time.perf_counter() - began


def measure(label: str) -> None:
    from django.db import connection, reset_queries
    from django.template.loader import render_to_string

    from onesource.core.models import Partner, User
    from onesource.reports.committee import build_committee_report, render_pdf

    user = User.objects.get(username="hav-member")
    partner = Partner.objects.get(code="HAV")
    gather, built = time_it(lambda: build_committee_report(partner, START, END, user))
    page, _ = time_it(lambda: render_to_string("reports/committee.html", {"report": built, "pdf_url": "#"}))
    printable = build_committee_report(partner, START, END, user, for_print=True)
    pdf_time, pdf = time_it(lambda: render_pdf(printable), repeat=2)
    total, _ = time_it(
        lambda: render_pdf(build_committee_report(partner, START, END, user, for_print=True)), repeat=2
    )
    cpu_start = time.process_time()
    render_pdf(build_committee_report(partner, START, END, user, for_print=True))
    cpu = time.process_time() - cpu_start
    from django.conf import settings

    settings.DEBUG = True
    reset_queries()
    build_committee_report(partner, START, END, user)
    queries = len(connection.queries)
    settings.DEBUG = False
    report(f"{label}: gather and render sections (HAV, Apr 2020-Aug 2021)", gather)
    report(f"{label}: page HTML around the sections", page)
    report(f"{label}: PDF from rendered sections (WeasyPrint)", pdf_time)
    report(f"{label}: whole PDF, end to end", total)
    report(f"{label}: whole PDF, CPU time of this process (less other load)", cpu)
    slowest = sorted(built.timings.items(), key=lambda kv: -kv[1])
    print(
        f"    {len(built.sections)} sections, {queries} queries, PDF {len(pdf):,} bytes; "
        + ", ".join(f"{k} {v * 1000:.0f} ms" for k, v in slowest),
        flush=True,
    )


def main() -> None:
    setup_django("reports")
    scale = int(os.environ.get("BENCH_REPORT_SCALE", "30"))
    for size in (1, scale):
        seconds = build(size)
        label = "demo" if size == 1 else f"scale {size}"
        print(f"Built the {label} partnership in {seconds:.1f} s", flush=True)
        measure(label)


if __name__ == "__main__":
    main()
