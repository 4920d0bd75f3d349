"""`onesource procurement <verb>`: see onesource.procurement.cli."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from onesource.procurement.cli import VERBS


class Command(BaseCommand):
    help = "Procurement: import spend files; export Transparency Code files and OCDS; import OCDS."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="verb", required=True)
        for add in VERBS:
            add(sub)

    def handle(self, *args: Any, **options: Any) -> None:
        options["run"](self, options)
