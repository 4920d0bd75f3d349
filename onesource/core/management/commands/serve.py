import signal
import subprocess
import sys

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser


class Command(BaseCommand):
    help = "Serve the web pages with a background job worker beside them (the embedded default)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--host", default="127.0.0.1")

    def handle(self, *args, port: int, host: str, **options) -> None:
        worker = subprocess.Popen(
            [sys.executable, "-m", "onesource", "worker"],
        )
        # Stopped with SIGTERM (kill, a service manager), Python would exit without running `finally`
        # and leave the worker running on its own: exit normally instead, so the worker is stopped.
        signal.signal(signal.SIGTERM, lambda signum, frame: sys.exit(0))
        try:
            call_command("runserver", f"{host}:{port}", use_reloader=False)
        finally:
            worker.terminate()
            worker.wait(timeout=10)
