"""`onesource workforce <verb>`: workforce figures from the command line.

Verbs are argparse subcommands; each is registered in VERBS by a function taking the subparsers,
so other parts of the app (the import) add theirs the same way.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from onesource.core.models import Partner, Service, ServiceArea, User
from onesource.core.scoping import scope_for
from onesource.workforce.cli import add_import, add_transparency
from onesource.workforce.figures import WorkforceFigures
from onesource.workforce.models import ContractType


def parse_date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError as exc:
        raise CommandError(f"{text!r} is not a date like 2014-04-01.") from exc


def add_scope_options(parser: CommandParser) -> None:
    parser.add_argument(
        "--as",
        dest="username",
        default="",
        help="Read as this user (their partners only). By default: the system, seeing every partner.",
    )
    parser.add_argument("--partner", default="", help="Partner code: people employed by or working for it.")
    parser.add_argument("--area", default="", help="Service area code.")
    parser.add_argument("--service", default="", help="Service code.")
    parser.add_argument("--contract-type", default="", choices=["", *ContractType.values])
    parser.add_argument("--json", action="store_true", help="Print JSON instead of a table.")


def figures_from_options(options: dict[str, Any]) -> WorkforceFigures:
    user = None
    if options.get("username"):
        user = User.objects.filter(username=options["username"], is_active=True).first()
        if user is None:
            raise CommandError(f"No active user called {options['username']!r}.")
        if not scope_for(user).has("view"):
            raise CommandError(f"{user.username} may not see workforce figures.")
    partners = Partner.objects.restrict(user) if user else Partner.objects.dangerously_unscoped()
    partner = None
    if options.get("partner"):
        partner = partners.filter(code=options["partner"].upper()).first()
        if partner is None:
            raise CommandError(f"No partner {options['partner']!r}.")
    area = service = None
    if options.get("area"):
        area = ServiceArea.objects.filter(code=options["area"]).first()
        if area is None:
            raise CommandError(f"No service area {options['area']!r}.")
    if options.get("service"):
        service = Service.objects.filter(code=options["service"]).first()
        if service is None:
            raise CommandError(f"No service {options['service']!r}.")
    return WorkforceFigures(
        user, partner=partner, area=area, service=service, contract_type=options.get("contract_type", "")
    )


def _table(rows: list[tuple[str, Any]]) -> str:
    width = max((len(label) for label, _ in rows), default=0)
    return "\n".join(f"{label.ljust(width)}  {value}" for label, value in rows)


def headcount(command: BaseCommand, options: dict[str, Any]) -> None:
    snapshot = figures_from_options(options).snapshot(parse_date(options["date"]))
    data = snapshot.as_dict()
    if options["json"]:
        command.stdout.write(json.dumps(data, indent=2))
        return
    rows: list[tuple[str, Any]] = [
        ("Date", data["date"]),
        ("Headcount", data["headcount"]),
        ("FTE", data["fte"]),
        ("Posts", data["posts"]),
        ("Vacant posts", data["vacancies"]),
        ("Senior management posts", data["senior_management_posts"]),
        ("Agency", data["agency"]),
        ("Interim", data["interim"]),
        ("Furloughed", data["furloughed"]),
    ]
    rows += [(f"Employed by {code}", n) for code, n in data["by_partner"].items()]
    rows += [(f"Working for {code} (FTE)", v["fte"]) for code, v in data["by_partner_served"].items()]
    rows += [(f"Contract: {kind}", n) for kind, n in data["by_contract_type"].items()]
    command.stdout.write(_table(rows))


def figures(command: BaseCommand, options: dict[str, Any]) -> None:
    start, end = parse_date(options["start"]), parse_date(options["end"])
    if end < start:
        raise CommandError("--to must not be before --from.")
    data = figures_from_options(options).period(start, end).as_dict()
    if options["json"]:
        command.stdout.write(json.dumps(data, indent=2))
        return
    keys = [
        "from",
        "to",
        "headcount_at_start",
        "headcount_at_end",
        "fte_at_start",
        "fte_at_end",
        "starters",
        "leavers",
        "turnover_percent",
        "working_days_lost",
        "working_days_lost_per_fte",
        "agency_at_end",
        "interim_at_end",
        "agency_cost",
        "interim_cost",
        "vacancies_at_end",
        "senior_management_posts_at_start",
        "senior_management_posts_at_end",
    ]
    command.stdout.write(_table([(key.replace("_", " ").capitalize(), data[key]) for key in keys]))


def series(command: BaseCommand, options: dict[str, Any]) -> None:
    start, end = parse_date(options["start"]), parse_date(options["end"])
    points = figures_from_options(options).monthly_series(start, end, options["step"])
    rows = [
        {
            "date": p.day.isoformat(),
            "headcount": p.headcount,
            "fte": str(p.fte),
            "agency": p.agency,
            "interim": p.interim,
        }
        for p in points
    ]
    if options["json"]:
        command.stdout.write(json.dumps(rows, indent=2))
        return
    for row in rows:
        command.stdout.write(
            f"{row['date']}  {row['headcount']:>7}  {row['fte']:>10}  {row['agency']:>5}  {row['interim']:>5}"
        )


def add_headcount(sub: Any) -> None:
    parser = sub.add_parser("headcount", help="Headcount and FTE on a date, by partner and contract type.")
    parser.add_argument("--date", required=True, help="YYYY-MM-DD")
    add_scope_options(parser)
    parser.set_defaults(run=headcount)


def add_figures(sub: Any) -> None:
    parser = sub.add_parser(
        "figures", help="Figures for a period: turnover, sickness per FTE, agency cost..."
    )
    parser.add_argument("--from", dest="start", required=True, help="YYYY-MM-DD")
    parser.add_argument("--to", dest="end", required=True, help="YYYY-MM-DD")
    add_scope_options(parser)
    parser.set_defaults(run=figures)


def add_series(sub: Any) -> None:
    parser = sub.add_parser("series", help="Headcount, FTE, agency and interim at each month end.")
    parser.add_argument("--from", dest="start", required=True, help="YYYY-MM-DD")
    parser.add_argument("--to", dest="end", required=True, help="YYYY-MM-DD")
    parser.add_argument("--step", type=int, default=1, help="Months between points (3 for quarters).")
    add_scope_options(parser)
    parser.set_defaults(run=series)


# Each adds one verb: add(subparsers). Other modules of this app append theirs (e.g. the import).
VERBS: list[Callable[[Any], None]] = [add_headcount, add_figures, add_series, add_import, add_transparency]


class Command(BaseCommand):
    help = "Workforce figures: headcount on a date, figures for a period, monthly series."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="verb", required=True)
        for add in VERBS:
            add(sub)

    def handle(self, *args: Any, **options: Any) -> None:
        options["run"](self, options)
