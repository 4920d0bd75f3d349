from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser
from django.db import connection

from onesource.core.demo import DEMO_PASSWORD, build_demo


class Command(BaseCommand):
    help = "Build (or rebuild from scratch) the demo partnership in the configured database."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--scale",
            type=int,
            default=1,
            help="Build a larger synthetic partnership of N partners (benchmarks).",
        )

    def handle(self, *args, scale: int, **options) -> None:
        if scale < 1:
            self.stderr.write("--scale must be 1 or more.")
            raise SystemExit(2)
        call_command("migrate", interactive=False, verbosity=0)
        self.stdout.write(f"Clearing the database ({connection.vendor})…")
        call_command("flush", interactive=False, verbosity=0)
        build_demo(scale=scale, log=self.stdout.write)
        self.stdout.write(
            self.style.SUCCESS(f"Demo partnership ready. Sign in as 'manager' / '{DEMO_PASSWORD}'.")
        )
