"""`onesource allocate FILE`: the allocation engine's JSON in (`-` reads standard input), its JSON out."""

import json
import sys

from django.core.management.base import BaseCommand, CommandError, CommandParser

from onesource.costing.api_engine import parse_json_body
from onesource.costing.engine import AllocationError, allocate_json


class Command(BaseCommand):
    requires_system_checks: list[str] = []  # pure computation: no database or settings to check
    help = (
        "Allocate support cost pools to receivers by direct, step_down or reciprocal allocation, "
        "to the penny. Reads JSON from FILE ('-' for standard input) and prints JSON."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="The input JSON file, or '-' to read standard input.")
        parser.add_argument("--indent", type=int, default=2, help="Indent the output (0 for one line).")

    def handle(self, *args, file: str, indent: int, **options) -> None:
        try:
            if file == "-":
                raw = sys.stdin.buffer.read()
            else:
                with open(file, "rb") as handle:
                    raw = handle.read()
        except OSError as exc:
            raise CommandError(f"Cannot read {file}: {exc.strerror}.") from exc
        try:
            result = allocate_json(parse_json_body(raw))
        except AllocationError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(json.dumps(result, indent=indent or None))
