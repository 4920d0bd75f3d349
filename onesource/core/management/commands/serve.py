import os
import signal
import subprocess
import sys

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser

# More gunicorn workers than this only adds memory use: the pages wait on the database, not the CPU.
MAX_WEB_WORKERS = 12


def web_worker_count() -> int:
    """ONESOURCE_WEB_WORKERS if set, else gunicorn's usual 2 x cores + 1, capped."""
    configured = os.environ.get("ONESOURCE_WEB_WORKERS", "").strip()
    if configured:
        return max(1, int(configured))
    return min(2 * (os.cpu_count() or 1) + 1, MAX_WEB_WORKERS)


def gunicorn_command(host: str, port: int, workers: int) -> list[str]:
    return [
        sys.executable,
        "-m",
        "gunicorn",
        "onesource.wsgi:application",
        "--bind",
        f"{host}:{port}",
        "--workers",
        str(workers),
        "--access-logfile",
        "-",
        # Behind a proxy on the same host; it sets X-Forwarded-Proto, which Django trusts for HTTPS.
        "--forwarded-allow-ips",
        os.environ.get("ONESOURCE_FORWARDED_ALLOW_IPS", "127.0.0.1"),
    ]


class Command(BaseCommand):
    help = (
        "Serve the web pages with gunicorn and a background job worker beside them (the embedded default); "
        "--dev uses Django's development server instead."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--dev", action="store_true", help="Django's runserver instead of gunicorn.")
        parser.add_argument(
            "--no-worker", action="store_true", help="Web only; run `onesource worker` apart."
        )

    def handle(
        self, *args, port: int, host: str, dev: bool = False, no_worker: bool = False, **options
    ) -> None:
        worker = None if no_worker else subprocess.Popen([sys.executable, "-m", "onesource", "worker"])
        # Stopped with SIGTERM (kill, a service manager), Python would exit without running `finally`
        # and leave the worker running on its own: exit normally instead, so the worker is stopped.
        signal.signal(signal.SIGTERM, lambda signum, frame: sys.exit(0))
        web = None
        try:
            if dev:
                call_command("runserver", f"{host}:{port}", use_reloader=False)
            else:
                # The command is built here from our own settings, not from outside input.
                web = subprocess.Popen(gunicorn_command(host, port, web_worker_count()))  # noqa: S603
                sys.exit(web.wait())
        finally:
            for process in (web, worker):
                if process is not None and process.poll() is None:
                    process.terminate()
                    process.wait(timeout=30)
