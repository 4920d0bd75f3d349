"""How long the committee report takes: gathering the sections, the HTML page and the PDF; and the
pages that read the same cached figures (savings dashboard and business case, a statement PDF).

At demo size (`onesource demo`) and at `onesource demo --scale N` (N partners; default 30, or
BENCH_REPORT_SCALE). "Cold" is the first time after the data changed (every data version new, so the
drivers and cost shares are worked out again); "cached" is every time after that. The command line
report is timed end to end in a process of its own, with an empty cache and then with the cache the
first run left. Prints figures; asserts nothing about time.
"""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
import tempfile
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
    from django.core.cache import cache
    from django.db import connection, reset_queries
    from django.template.loader import render_to_string

    from onesource.core.models import Partner, User
    from onesource.reports.committee import (
        build_committee_report,
        pdf_cache_key,
        render_pdf,
        render_print_html,
    )

    user = User.objects.get(username="hav-member")
    partner = Partner.objects.get(code="HAV")
    gather, built = time_it(lambda: build_committee_report(partner, START, END, user))
    page, _ = time_it(lambda: render_to_string("reports/committee.html", {"report": built, "pdf_url": "#"}))
    printable = build_committee_report(partner, START, END, user, for_print=True)

    def drawn(make):  # type: ignore[no-untyped-def]
        # PDFs are cached by their page's content: without its entry WeasyPrint draws it again.
        made = make()
        cache.delete(pdf_cache_key(render_print_html(made)))
        return render_pdf(made)

    pdf_time, pdf = time_it(lambda: drawn(lambda: printable), repeat=2)
    whole = lambda: build_committee_report(partner, START, END, user, for_print=True)  # noqa: E731
    total, _ = time_it(lambda: drawn(whole), repeat=2)
    cached, _ = time_it(lambda: render_pdf(whole()), repeat=2)
    cpu_start = time.process_time()
    drawn(whole)
    cpu = time.process_time() - cpu_start
    from django.conf import settings

    settings.DEBUG = True
    reset_queries()
    build_committee_report(partner, START, END, user)
    queries = len(connection.queries)
    settings.DEBUG = False
    report(f"{label}: gather and render sections (HAV, Apr 2020-Aug 2021)", gather)
    report(f"{label}: page HTML around the sections", page)
    report(f"{label}: PDF from rendered sections (WeasyPrint drawing it)", pdf_time)
    report(f"{label}: whole PDF, end to end, drawn", total)
    report(f"{label}: whole PDF, end to end, the same page again (cached)", cached)
    report(f"{label}: whole PDF drawn, CPU time of this process (less other load)", cpu)
    slowest = sorted(built.timings.items(), key=lambda kv: -kv[1])
    print(
        f"    {len(built.sections)} sections, {queries} queries, PDF {len(pdf):,} bytes; "
        + ", ".join(f"{k} {v * 1000:.0f} ms" for k, v in slowest),
        flush=True,
    )


def cold_and_cached(label: str, work) -> None:  # type: ignore[no-untyped-def]
    from onesource.core.versions import forget_data_versions

    forget_data_versions()
    cold, _ = time_it(work, repeat=1)
    cached, _ = time_it(work, repeat=3)
    report(f"{label}, cold", cold)
    report(f"{label}, cached", cached)


def measure_savings(label: str) -> None:
    from onesource.core.models import Partner, User
    from onesource.core.reporting import REPORT_SECTIONS

    user = User.objects.get(username="hav-member")
    partner = Partner.objects.get(code="HAV")
    section = REPORT_SECTIONS["savings"]
    cold_and_cached(f"{label}: savings section", lambda: section.build(partner, START, END, user))


def measure_pages(label: str) -> None:
    """The savings pages and a statement PDF through the whole Django stack (test client)."""
    import warnings

    from django.test import Client

    # The benchmark serves no static files; WhiteNoise would warn that none were collected.
    warnings.filterwarnings("ignore", message="No directory at")

    from onesource.core.models import User
    from onesource.costing.models import RechargeRun, RunStatus
    from onesource.savings.models import BusinessCase

    client = Client()
    client.force_login(User.objects.get(username="manager"))
    case = BusinessCase.objects.dangerously_unscoped().first()
    pages = [("savings dashboard", "/savings/")]
    if case is not None:
        pages.append(("business-case page", f"/savings/cases/{case.code}/"))
    for name, url in pages:
        client.get(url)  # templates and charts drawn once, as in any running server

        def get(url: str = url) -> None:
            assert client.get(url).status_code == 200

        cold_and_cached(f"{label}: {name}", get)
    run = RechargeRun.objects.dangerously_unscoped().filter(status=RunStatus.APPROVED).first()
    if run is None:
        return
    url = f"/costing/runs/{run.pk}/statements/HAV/pdf/"
    from django.core.cache import cache

    cache.clear()
    first, _ = time_it(lambda: client.get(url), repeat=1)
    cached, _ = time_it(lambda: client.get(url), repeat=3)
    report(f"{label}: statement PDF of an approved run, first download", first)
    report(f"{label}: statement PDF of an approved run, cached", cached)


def measure_command_line(label: str) -> None:
    """`onesource report committee ... -o file.pdf` from a new process, as a person runs it."""
    from django.conf import settings

    database = settings.DATABASES["default"]
    url = os.environ["DATABASE_URL"] if "DATABASE_URL" in os.environ else f"sqlite:///{database['NAME']}"
    with tempfile.TemporaryDirectory() as data_dir:
        env = {**os.environ, "DATABASE_URL": url, "ONESOURCE_DATA_DIR": data_dir}
        command = [
            sys.executable,
            "-m",
            "onesource",
            "report",
            "committee",
            "--partner",
            "HAV",
            "--from",
            START.isoformat(),
            "--to",
            END.isoformat(),
            "-o",
            os.path.join(data_dir, "report.pdf"),
        ]

        def run() -> None:
            subprocess.run(command, env=env, check=True, capture_output=True)  # noqa: S603 - our own CLI

        first, _ = time_it(run, repeat=1)
        again, _ = time_it(run, repeat=2)
    report(f"{label}: committee report PDF from the command line, empty cache", first)
    report(f"{label}: committee report PDF from the command line, run again", again)


def main() -> None:
    setup_django("reports")
    scale = int(os.environ.get("BENCH_REPORT_SCALE", "30"))
    for size in (1, scale):
        seconds = build(size)
        label = "demo" if size == 1 else f"scale {size}"
        print(f"Built the {label} partnership in {seconds:.1f} s", flush=True)
        measure(label)
        measure_savings(label)
        if size == 1:
            measure_pages(label)
        measure_command_line(label)


if __name__ == "__main__":
    main()
