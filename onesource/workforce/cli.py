"""The `import` and `transparency` verbs of `onesource workforce`.

onesource workforce import FILE [--dry-run] [--kind KIND] [--as USERNAME] [--partner CODE]
onesource workforce transparency senior-salaries|org-chart|pay-multiple --partner CODE
    [--date YYYY-MM-DD] [--as USERNAME] [-o FILE.csv] [--json]
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.http import Http404

from onesource.core.cli_support import acting_user, run_with_progress, start_job
from onesource.core.models import Partner
from onesource.workforce import transparency
from onesource.workforce.imports import JOB_KIND, KINDS, store_upload


def run_import(command: BaseCommand, options: dict[str, Any]) -> None:
    path = Path(options["file"])
    if not path.is_file():
        raise CommandError(f"No file {str(path)!r}.")
    user = acting_user(options["username"])
    partner = None
    if options["partner"]:
        partner = Partner.objects.restrict(user).filter(code=options["partner"].upper()).first()
        if partner is None:
            raise CommandError(f"No partner {options['partner']!r} that {user.username} may see.")
    params = {
        "file": store_upload(path.read_bytes(), path.name),
        "filename": path.name,
        "kind": options["kind"],
        "mapping": None,  # headings are matched automatically; use the pages to map them by hand
        "dry_run": options["dry_run"],
    }
    job = start_job(JOB_KIND, params, partner=partner, acting_user=user)
    job = run_with_progress(job, quiet=options.get("verbosity", 1) == 0)
    if job.status != "succeeded":
        for error in job.errors:
            command.stderr.write(str(error))
        raise CommandError(job.message)
    command.stdout.write(command.style.SUCCESS(job.message))


def add_import(sub: Any) -> None:
    parser = sub.add_parser(
        "import",
        help="Import posts, people and assignments from a CSV file or an XLSX workbook (all or nothing).",
    )
    parser.add_argument("file", help="A .csv file (give --kind) or an .xlsx workbook with a sheet per kind.")
    parser.add_argument("--dry-run", action="store_true", help="Check every row and report; change nothing.")
    parser.add_argument("--kind", choices=KINDS, help="What a CSV file holds.")
    parser.add_argument("--as", dest="username", default="", help="The user the import acts for.")
    parser.add_argument("--partner", default="", help="Partner code: only that partner's staff and posts.")
    parser.set_defaults(run=run_import)


def run_transparency(command: BaseCommand, options: dict[str, Any]) -> None:
    user = acting_user(options["username"])
    try:
        day = dt.date.fromisoformat(options["date"]) if options["date"] else transparency.default_date()
    except ValueError as exc:
        raise CommandError(f"{options['date']!r} is not a date like 2019-03-31.") from exc
    try:
        partner = transparency.partner_for(user, options["partner"])
    except Http404 as exc:
        raise CommandError(f"No partner {options['partner']!r} that {user.username} may see.") from exc
    dataset = options["dataset"]
    data = transparency.build_dataset(dataset, user, partner, day)
    if options["json"]:
        payload = {
            "partner": partner.code,
            "date": day.isoformat(),
            "data": transparency.dataset_json(dataset, data),
        }
        text = json.dumps(payload, indent=2) + "\n"
    else:
        text = transparency.dataset_csv(dataset, data)
    if options["output"]:
        Path(options["output"]).write_text(text, encoding="utf-8")
        command.stdout.write(f"Wrote {options['output']}.")
    else:
        command.stdout.write(text, ending="")


def add_transparency(sub: Any) -> None:
    parser = sub.add_parser(
        "transparency", help="A Transparency Code dataset for a partner, as CSV (or JSON)."
    )
    parser.add_argument("dataset", choices=list(transparency.DATASETS))
    parser.add_argument("--partner", required=True, help="Partner code.")
    parser.add_argument("--date", default="", help="YYYY-MM-DD; by default the latest 31 March.")
    parser.add_argument("--as", dest="username", default="", help="Read as this user (their partners only).")
    parser.add_argument("-o", "--output", default="", help="Write to this file instead of printing.")
    parser.add_argument("--json", action="store_true", help="JSON instead of CSV.")
    parser.set_defaults(run=run_transparency)
