"""`onesource procurement <verb>`: the spend import and, in later verbs, exports.

onesource procurement import-spend FILE --partner CODE [--dry-run] [--json] [--as USERNAME]
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from onesource.core.cli_support import acting_user, run_with_progress, start_job
from onesource.core.models import Partner, User
from onesource.core.roles import Capability
from onesource.procurement.jobs import SPEND_IMPORT, store_upload


def partner_for(user: User, code: str, capability: Capability = Capability.VIEW) -> Partner:
    partner = Partner.objects.restrict(user, capability).filter(code=code.upper()).first()
    if partner is None:
        raise CommandError(f"No partner {code!r} that {user.username} may work on.")
    return partner


def write(command: BaseCommand, text: str, output: str = "") -> None:
    if output:
        Path(output).write_text(text, encoding="utf-8")
        command.stderr.write(f"Wrote {output}.")
    else:
        command.stdout.write(text, ending="" if text.endswith("\n") else "\n")


def run_import_spend(command: BaseCommand, options: dict[str, Any]) -> None:
    path = Path(options["file"])
    if not path.is_file():
        raise CommandError(f"No file {str(path)!r}.")
    user = acting_user(options["username"])
    partner = partner_for(user, options["partner"], Capability.IMPORT_SPEND)
    data = path.read_bytes()
    params = {
        "file": store_upload(data, path.name),
        "filename": path.name,
        "mapping": None,
        "dry_run": options["dry_run"],
    }
    job = start_job(SPEND_IMPORT, params, partner=partner, acting_user=user)
    job = run_with_progress(job, quiet=options.get("verbosity", 1) == 0 or options["json"])
    if job.status != "succeeded":
        if options["json"]:
            command.stdout.write(json.dumps({"error": job.message, "details": job.errors}, indent=2))
        raise CommandError(job.message)
    result = {k: v for k, v in job.result.items() if k not in {"url", "url_label"}}
    if options["json"]:
        command.stdout.write(json.dumps(result, indent=2, ensure_ascii=False))
        return
    command.stdout.write(command.style.SUCCESS(result["message"]))
    for problem in result["problems"]:
        where = f"Row {problem['row']}: " if problem["row"] else ""
        command.stdout.write(f"  {where}{problem['message']}")
    if result["problems_not_listed"]:
        command.stdout.write(f"  …and {result['problems_not_listed']:,} more problems.")


def add_import_spend(sub: Any) -> None:
    parser = sub.add_parser(
        "import-spend", help="Import a council's spend file (CSV or XLSX) for one partner."
    )
    parser.add_argument("file")
    parser.add_argument("--partner", required=True, help="Partner code: whose payments the file lists.")
    parser.add_argument("--dry-run", action="store_true", help="Read and check the file; change nothing.")
    parser.add_argument("--json", action="store_true", help="Print the outcome as JSON.")
    parser.add_argument("--as", dest="username", default="", help="The user the import acts for.")
    parser.set_defaults(run=run_import_spend)


def run_transparency(command: BaseCommand, options: dict[str, Any]) -> None:
    from onesource.procurement import transparency

    user = acting_user(options["username"])
    partner = partner_for(user, options["partner"])
    try:
        quarter = transparency.Quarter.parse(options["quarter"])
    except ValueError as exc:
        raise CommandError(str(exc)) from exc
    header, rows = transparency.build_dataset(options["dataset"], user, partner, quarter)
    write(command, transparency.dataset_csv(header, rows), options["output"])


def add_transparency(sub: Any) -> None:
    from onesource.procurement.transparency import DATASETS

    parser = sub.add_parser("transparency", help="A partner's Transparency Code file for a quarter, as CSV.")
    parser.add_argument("dataset", choices=list(DATASETS))
    parser.add_argument("--partner", required=True, help="Partner code.")
    parser.add_argument(
        "--quarter", required=True, help="Financial-year quarter: 2025-Q1 is April to June 2025."
    )
    parser.add_argument("--as", dest="username", default="", help="Read as this user (their partners only).")
    parser.add_argument("-o", "--output", default="", help="Write to this file instead of printing.")
    parser.set_defaults(run=run_transparency)


def run_ocds(command: BaseCommand, options: dict[str, Any]) -> None:
    from onesource.procurement.ocds import release_package, validation_errors

    user = acting_user(options["username"])
    partner = partner_for(user, options["partner"])
    package = release_package(user, partner)
    errors = validation_errors(package)
    if errors:
        raise CommandError("The package does not validate against OCDS 1.1.5: " + "; ".join(errors))
    write(command, json.dumps(package, indent=2, ensure_ascii=False) + "\n", options["output"])


def add_ocds(sub: Any) -> None:
    parser = sub.add_parser("ocds", help="A partner's contracting processes as an OCDS 1.1 release package.")
    parser.add_argument("--partner", required=True, help="Partner code.")
    parser.add_argument("--as", dest="username", default="", help="Read as this user (their partners only).")
    parser.add_argument("-o", "--output", default="", help="Write to this file instead of printing.")
    parser.set_defaults(run=run_ocds)


def run_import_ocds(command: BaseCommand, options: dict[str, Any]) -> None:
    from onesource.procurement.ocds import OcdsFileError, import_package

    path = Path(options["file"])
    if not path.is_file():
        raise CommandError(f"No file {str(path)!r}.")
    user = acting_user(options["username"])
    partner = partner_for(user, options["partner"], Capability.MANAGE_PROCUREMENT)
    try:
        outcome = import_package(
            path.read_bytes(), partner=partner, acting_user=user, dry_run=options["dry_run"]
        )
    except OcdsFileError as exc:
        raise CommandError(str(exc)) from exc
    result = outcome.as_dict()
    if options["json"]:
        command.stdout.write(json.dumps(result, indent=2, ensure_ascii=False))
        return
    command.stdout.write(command.style.SUCCESS(result["message"]))
    for process in result["processes"]:
        note = f": {process['message']}" if process["message"] else ""
        command.stdout.write(f"  {process['ocid']} {process['what']}{note}")


def add_import_ocds(sub: Any) -> None:
    parser = sub.add_parser("import-ocds", help="Read OCDS release packages into the contract register.")
    parser.add_argument(
        "file", help="A release package (JSON), as Contracts Finder or Find a Tender publish them."
    )
    parser.add_argument(
        "--partner", required=True, help="Partner code: the council that leads these contracts."
    )
    parser.add_argument("--dry-run", action="store_true", help="Read and check the package; change nothing.")
    parser.add_argument("--json", action="store_true", help="Print the outcome as JSON.")
    parser.add_argument("--as", dest="username", default="", help="The user the import acts for.")
    parser.set_defaults(run=run_import_ocds)


VERBS = [add_import_spend, add_transparency, add_ocds, add_import_ocds]
