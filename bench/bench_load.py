"""Load check: 50 concurrent clients for 60 s against representative pages and API endpoints, served
by gunicorn with the production settings (DEBUG off, collected static files served by WhiteNoise;
see `bench/load_settings.py`), on the demo database.

Prints, per target and in total: requests, requests per second, p50, p95 and errors (any answer that
is not 2xx, or no answer within the time-out). Goal on a 2-core machine: 0 errors, p95 under 2 s.

The demo is built once into `var/bench-load.sqlite3` (or BENCH_DATABASE_URL) and reused. Settings:
BENCH_LOAD_CLIENTS (50), BENCH_LOAD_SECONDS (60), BENCH_LOAD_PORT (8150), BENCH_LOAD_WORKERS (3),
BENCH_LOAD_THREADS (4). Run it alone: `python -m bench load`.
"""

from __future__ import annotations

import http.client
import os
import secrets
import statistics
import subprocess
import sys
import threading
import time
from collections import defaultdict
from pathlib import Path

from bench.support import PROJECT_DIR, setup_django

CLIENTS = int(os.environ.get("BENCH_LOAD_CLIENTS", "50"))
SECONDS = float(os.environ.get("BENCH_LOAD_SECONDS", "60"))
PORT = int(os.environ.get("BENCH_LOAD_PORT", "8150"))
WORKERS = int(os.environ.get("BENCH_LOAD_WORKERS", "3"))
THREADS = int(os.environ.get("BENCH_LOAD_THREADS", "4"))
TIMEOUT = 30.0

# What people and integrations use most: the home page, lists, the workforce dashboard, a partner's
# page, the costing runs, and the API's lists and figures.
PAGES = [
    "/",
    "/partners/",
    "/partners/HAV/",
    "/services/",
    "/workforce/",
    "/workforce/employees/?page=3",
    "/costing/",
    "/savings/",
    "/performance/kpis/",
]
ENDPOINTS = [
    "/api/partners",
    "/api/workforce/employees?page=2",
    "/api/workforce/figures/headcount?date=2019-03-31",
    "/api/costing/runs",
    "/api/performance/kpis",
]


def ensure_demo() -> None:
    from django.core.management import call_command

    from onesource.core.models import Partner

    call_command("migrate", verbosity=0, interactive=False)
    if not Partner.objects.exists():
        print("Building the demo partnership (once)...", flush=True)
        call_command("demo", verbosity=0)


def credentials() -> tuple[str, str]:
    """A session cookie (for pages) and a bearer token (for the API), both for the demo admin."""
    from django.conf import settings
    from django.test import Client

    from onesource.core import actions
    from onesource.core.models import User

    admin = User.objects.get(username="admin")
    client = Client()
    client.force_login(admin)
    cookie = f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"
    _, token = actions.create_api_token(admin, acting_user=admin)
    return cookie, token


def start_server(env: dict[str, str]) -> subprocess.Popen:
    command = [
        str(Path(sys.executable).with_name("gunicorn")),
        "onesource.wsgi",
        f"--bind=127.0.0.1:{PORT}",
        f"--workers={WORKERS}",
        f"--threads={THREADS}",
        "--worker-class=gthread",
        f"--timeout={int(TIMEOUT * 2)}",
        "--log-level=warning",
    ]
    server = subprocess.Popen(command, cwd=PROJECT_DIR, env=env)  # noqa: S603 - our own command line
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            conn = http.client.HTTPConnection("127.0.0.1", PORT, timeout=5)
            conn.request("GET", "/sign-in/")
            if conn.getresponse().status == 200:
                return server
        except OSError:
            time.sleep(0.5)
    server.terminate()
    raise SystemExit("gunicorn did not start")


def client_loop(
    index: int,
    cookie: str,
    token: str,
    stop_at: float,
    results: dict[str, list[float]],
    errors: dict[str, int],
) -> None:
    targets = PAGES + ENDPOINTS
    conn = http.client.HTTPConnection("127.0.0.1", PORT, timeout=TIMEOUT)
    n = index  # each client starts at a different target, so all are loaded at once
    while time.monotonic() < stop_at:
        target = targets[n % len(targets)]
        n += 1
        headers = {"Authorization": f"Bearer {token}"} if target.startswith("/api/") else {"Cookie": cookie}
        start = time.perf_counter()
        try:
            conn.request("GET", target, headers=headers)
            response = conn.getresponse()
            response.read()
            ok = 200 <= response.status < 300
            if response.getheader("Connection", "").lower() == "close":
                conn.close()
        except (OSError, http.client.HTTPException):
            ok = False
            conn.close()
            conn = http.client.HTTPConnection("127.0.0.1", PORT, timeout=TIMEOUT)
        elapsed = time.perf_counter() - start
        results[target].append(elapsed)
        if not ok:
            errors[target] += 1


def percentile(values: list[float], fraction: float) -> float:
    if len(values) < 2:
        return values[0] if values else 0.0
    return statistics.quantiles(values, n=100, method="inclusive")[int(fraction * 100) - 1]


def line(label: str, times: list[float], errors: int, seconds: float) -> str:
    return (
        f"{label:<52} {len(times):7d} {len(times) / seconds:8.1f} "
        f"{percentile(times, 0.50) * 1000:9.0f} {percentile(times, 0.95) * 1000:9.0f} {errors:7d}"
    )


def main() -> None:
    # The same settings (and secret key) here, where the session is made, as in the server.
    os.environ.update(
        DJANGO_SETTINGS_MODULE="bench.load_settings",
        ONESOURCE_SECRET_KEY=secrets.token_urlsafe(48),
        ONESOURCE_SECURE_COOKIES="0",
        ONESOURCE_ALLOWED_HOSTS="127.0.0.1,localhost,testserver",
    )
    setup_django("load")
    ensure_demo()
    cookie, token = credentials()
    env = dict(os.environ)
    subprocess.run(
        [sys.executable, "-m", "onesource", "collectstatic", "--noinput", "-v0"], env=env, check=True
    )
    server = start_server(env)
    try:
        results: dict[str, list[float]] = defaultdict(list)
        errors: dict[str, int] = defaultdict(int)
        stop_at = time.monotonic() + SECONDS
        started = time.monotonic()
        threads = [
            threading.Thread(target=client_loop, args=(i, cookie, token, stop_at, results, errors))
            for i in range(CLIENTS)
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        seconds = time.monotonic() - started
    finally:
        server.terminate()
        server.wait(timeout=30)
    print(
        f"{CLIENTS} clients for {SECONDS:.0f} s against gunicorn "
        f"({WORKERS} workers x {THREADS} threads, production settings)"
    )
    print(f"{'target':<52} {'requests':>7} {'req/s':>8} {'p50 ms':>9} {'p95 ms':>9} {'errors':>7}")
    for target in PAGES + ENDPOINTS:
        print(line(target, results[target], errors[target], seconds))
    everything = [t for times in results.values() for t in times]
    print(line("all", everything, sum(errors.values()), seconds))


if __name__ == "__main__":
    main()
