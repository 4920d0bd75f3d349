"""The ledger import: budget and actual lines per service per period from a CSV or Excel extract.

One row per line, with a header row (column names are case-insensitive; `cost centre` = `cost_centre`):

    kind,service,year,month,partner,amount,cost_centre,description
    budget,legal,2017/18,,,1250000.00,LG100,Legal services budget
    actual,legal,2017,April,,101234.56,LG100,
    actual,schools-capital,2017,3,NEW,"(2,500.00)",SC200,Newham's own: a credit

- kind: `budget` or `actual` (may be left out when the importer says which the whole file is);
- service: code or name; year: 2017, 2017/18 or 2017-18 (the year it starts in);
- month: blank for the whole year, financial month 1 (April) to 12 (March), or a month's name;
- partner: blank for a shared line, or the partner's code for its own (non-shared) line;
- amount: pounds and pence; `£`, thousands commas and (brackets) for negatives are understood.

Driver counts (caseload and transactions per partner per period) import the same way: a file with a
`quantity` column instead of `amount`, kind `caseload` or `transactions`, a `partner` on every row and an
optional `measure` (what was counted, like "benefit claims"):

    kind,service,year,month,partner,quantity,measure
    caseload,benefits,2017,,NEW,112000,benefit claims

All or nothing: every row is checked first and every problem is reported with its row number (as the
spreadsheet numbers it: the header is row 1); if any row has a problem nothing is written. Lines are
written through the costing actions (audited like a line entered on a page) in one transaction. A dry
run does every check, including the actions' own, then rolls back.
"""

from __future__ import annotations

import io
import re
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any, NamedTuple

from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from onesource.core.audit import record_event
from onesource.core.csvio import CsvFileError, read_csv
from onesource.core.jobs import JobContext, JobFailed, job_kind
from onesource.core.models import Partner, Service
from onesource.core.roles import Capability
from onesource.core.scoping import scope_for
from onesource.costing import actions
from onesource.costing.models.common import MONTH_NAMES, month_label, year_label

LEDGER_KINDS = ("budget", "actual")
DRIVER_KINDS = ("caseload", "transactions")
KINDS = LEDGER_KINDS + DRIVER_KINDS
REQUIRED = ("service", "year", "amount")
OPTIONAL = ("kind", "month", "partner", "cost_centre", "description")
DRIVER_REQUIRED = ("service", "year", "partner", "quantity")
DRIVER_OPTIONAL = ("kind", "month", "measure")
MAX_ROWS = 100_000
MAX_BYTES = 20 * 1024 * 1024
PREVIEW_ROWS = 25
Progress = Callable[[int, int, str], None]


class LedgerFileError(ValueError):
    """The file as a whole cannot be read (wrong format, no header, missing columns…)."""


@dataclass
class RowError:
    row: int
    problems: list[str]

    def __str__(self) -> str:
        return f"Row {self.row}: {'; '.join(self.problems)}"

    def as_dict(self) -> dict[str, Any]:
        return {"row": self.row, "problems": self.problems}


@dataclass
class LedgerRow:
    row: int
    kind: str
    service: Service
    year: int
    month: int | None
    partner: Partner | None
    amount: Decimal
    cost_centre: str = ""
    description: str = ""
    measure: str = ""

    @property
    def is_driver(self) -> bool:
        return self.kind in DRIVER_KINDS

    @property
    def sharing(self) -> str:
        if self.is_driver:
            return self.partner.code if self.partner else ""
        return "Shared" if self.partner is None else f"Non-shared ({self.partner.code})"

    def as_dict(self) -> dict[str, Any]:
        return {
            "row": self.row,
            "kind": self.kind,
            "service": self.service.code,
            "service_name": self.service.name,
            "year": year_label(self.year),
            "month": month_label(self.month),
            "partner": self.partner.code if self.partner else "",
            "sharing": self.sharing,
            "amount": f"{self.amount:.2f}",
            "is_money": not self.is_driver,
            "cost_centre": self.cost_centre or self.measure,
            "description": self.description,
        }


@dataclass
class LedgerImport:
    """What an import found (or did): the lines, their totals, and every row's problems."""

    rows: list[LedgerRow] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    applied: bool = False

    @property
    def ok(self) -> bool:
        return not self.errors

    def summary(self) -> list[dict[str, Any]]:
        """Lines and totals per kind, year and sharing: what the preview shows before applying."""
        groups: dict[tuple[str, int, str], list[Decimal]] = defaultdict(list)
        for row in self.rows:
            groups[(row.kind, row.year, row.sharing)].append(row.amount)
        return [
            {
                "kind": kind,
                "year": year_label(year),
                "sharing": sharing,
                "lines": len(amounts),
                "total": f"{sum(amounts, Decimal(0)):.2f}",
                "is_money": kind in LEDGER_KINDS,
            }
            for (kind, year, sharing), amounts in sorted(groups.items())
        ]

    def as_dict(self) -> dict[str, Any]:
        return {
            "applied": self.applied,
            "lines": len(self.rows),
            "summary": self.summary(),
            "preview": [row.as_dict() for row in self.rows[:PREVIEW_ROWS]],
            "errors": [e.as_dict() for e in self.errors],
        }


# Reading the file


def _header_key(name: Any) -> str:
    return re.sub(r"[\s\-]+", "_", str(name or "").strip().lower())


class TableRow(NamedTuple):
    number: int  # as the spreadsheet shows it
    values: dict[str, str]
    problem: str = ""  # the row cannot be read as the header says (wrong number of fields)


def read_table(content: bytes, filename: str) -> list[TableRow]:
    """Each non-blank row after the header, with its values by column."""
    if len(content) > MAX_BYTES:
        raise LedgerFileError(f"The file is larger than {MAX_BYTES // (1024 * 1024)} MB: split it.")
    if filename.lower().endswith(".xlsx"):
        table = [(n, cells, "") for n, cells in enumerate(_xlsx_rows(content), start=1)]
    elif filename.lower().endswith((".csv", ".txt")) or not filename:
        table = _csv_rows(content)
    else:
        raise LedgerFileError("Upload a CSV (.csv) or Excel (.xlsx) file.")
    if not table:
        raise LedgerFileError("The file is empty: it needs a header row and at least one line.")
    header = [_header_key(h) for h in table[0][1]]
    # A `quantity` column makes it a file of driver counts; otherwise budget and actual lines.
    required, optional = (DRIVER_REQUIRED, DRIVER_OPTIONAL) if "quantity" in header else (REQUIRED, OPTIONAL)
    known = set(required) | set(optional)
    unknown = [h for h in header if h and h not in known]
    if unknown:
        raise LedgerFileError(
            f"Unknown column(s): {', '.join(unknown)}. Columns are: {', '.join(required + optional)}."
        )
    missing = [c for c in required if c not in header]
    if missing:
        raise LedgerFileError(f"Missing column(s): {', '.join(missing)}.")
    repeated = sorted({h for h in header if h and header.count(h) > 1})
    if repeated:
        raise LedgerFileError(f"Column(s) given more than once: {', '.join(repeated)}.")
    rows = []
    for number, cells, problem in table[1:]:
        # Every column present (blank when an Excel row is short), so a row's columns say what file it is.
        padded = list(cells) + [""] * (len(header) - len(cells))
        values = {h: ("" if v is None else str(v).strip()) for h, v in zip(header, padded, strict=False) if h}
        if any(values.values()) or problem:
            rows.append(TableRow(number, values, problem))
    if not rows:
        raise LedgerFileError("The file has a header row but no lines.")
    if len(rows) > MAX_ROWS:
        raise LedgerFileError(f"The file has {len(rows):,} lines; import at most {MAX_ROWS:,} at a time.")
    return rows


def _csv_rows(content: bytes) -> list[tuple[int, list[str], str]]:
    """(row number, cells, problem) for the header and each row, read by core's one CSV reader."""
    try:
        table = read_csv(content)
    except CsvFileError as exc:
        raise LedgerFileError(str(exc)) from None
    return [(1, table.header, "")] + [(r.number, r.cells, r.problem) for r in table.rows]


def _xlsx_rows(content: bytes) -> list[list[Any]]:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises several kinds for a file that is not a workbook
        raise LedgerFileError(f"The Excel file cannot be read: {exc}") from None
    sheet = workbook.worksheets[0]
    rows = []
    for cells in sheet.iter_rows(values_only=True):
        rows.append(["" if c is None else _excel_text(c) for c in cells])
    workbook.close()
    return rows


def _excel_text(value: Any) -> str:
    if isinstance(value, float):
        # Excel holds amounts as binary floats: the shortest repr is what the cell showed.
        return repr(value)
    return str(value)


# Checking rows


_MONTHS = {name.lower(): i for i, name in enumerate(MONTH_NAMES, start=1)}
_MONTHS.update({name[:3].lower(): i for i, name in enumerate(MONTH_NAMES, start=1)})


def parse_year(text: str) -> int | None:
    match = re.fullmatch(r"(\d{4})(?:\s*[/-]\s*(\d{2}|\d{4}))?", text)
    if not match:
        return None
    year = int(match.group(1))
    if match.group(2):
        end = int(match.group(2))
        if end % 100 != (year + 1) % 100:
            return None
    return year if 2000 <= year <= 2100 else None


def parse_month(text: str) -> tuple[bool, int | None]:
    if not text:
        return True, None
    if text.isdigit():
        month = int(text)
        return (1 <= month <= 12), month
    named = _MONTHS.get(text.lower())
    return named is not None, named


def parse_amount(text: str) -> Decimal | None:
    cleaned = text.replace("£", "").replace(",", "").replace(" ", "")
    negative = cleaned.startswith("(") and cleaned.endswith(")")
    if negative:
        cleaned = cleaned[1:-1]
    try:
        amount = Decimal(cleaned)
    except InvalidOperation:
        return None
    if not amount.is_finite() or amount != amount.quantize(Decimal("0.01")):
        return None
    return -amount if negative else amount


def check_rows(table: Iterable[TableRow], *, acting_user: Any, default_kind: str = "") -> LedgerImport:
    """Every row checked against the services and partners this user may import for."""
    scope = scope_for(acting_user)
    outcome = LedgerImport()
    if not scope.has(Capability.MANAGE_FINANCE):
        raise ValidationError({"__all__": "Only a finance officer or the shared-service manager can import."})
    own_partners = scope.partners_with(Capability.MANAGE_FINANCE)  # None: every partner
    services: dict[str, Service] = {}
    for service in Service.objects.restrict(acting_user):
        services[service.code.lower()] = service
        services[service.name.lower()] = service
    partners = {p.code.upper(): p for p in Partner.objects.all()}
    for number, values, read_problem in table:
        if read_problem:
            # The cells are misaligned, so messages about them would mislead: say only this.
            outcome.errors.append(RowError(number, [read_problem]))
            continue
        problems: list[str] = []
        drivers = "quantity" in values
        allowed = DRIVER_KINDS if drivers else LEDGER_KINDS
        kind = (values.get("kind") or (default_kind if default_kind in allowed else "")).lower()
        if kind not in allowed:
            problems.append(
                f"kind {values.get('kind')!r} is not {' or '.join(allowed)}"
                if values.get("kind")
                else f"kind is blank: say {' or '.join(allowed)}"
            )
        service = services.get(values.get("service", "").lower())
        if service is None:
            problems.append(
                f"service {values.get('service')!r} is not a service you may import for"
                if values.get("service")
                else "service is blank"
            )
        year = parse_year(values.get("year", ""))
        if year is None:
            problems.append(f"year {values.get('year', '')!r} is not a financial year like 2017 or 2017/18")
        month_ok, month = parse_month(values.get("month", ""))
        if not month_ok:
            problems.append(f"month {values.get('month')!r} is not 1 (April) to 12 (March) or a month's name")
        partner = None
        code = values.get("partner", "").upper()
        if code:
            partner = partners.get(code)
            if partner is None or (own_partners is not None and partner.pk not in own_partners):
                problems.append(f"partner {values.get('partner')!r} is not a partner you may import for")
                partner = None
        elif drivers:
            problems.append("partner is blank: a count is always for one partner")
        if drivers:
            amount = parse_amount(values.get("quantity", ""))
            if amount is None or amount < 0:
                problems.append(
                    f"quantity {values.get('quantity', '')!r} is not a count of zero or more "
                    "(at most two decimal places)"
                )
        else:
            amount = parse_amount(values.get("amount", ""))
            if amount is None:
                problems.append(f"amount {values.get('amount', '')!r} is not an amount in pounds and pence")
        for name, limit in (("cost_centre", 40), ("description", 300), ("measure", 100)):
            if len(values.get(name, "")) > limit:
                problems.append(f"{name.replace('_', ' ')} is longer than {limit} characters")
        if problems:
            outcome.errors.append(RowError(number, problems))
            continue
        assert service is not None and year is not None and amount is not None
        outcome.rows.append(
            LedgerRow(
                row=number,
                kind=kind,
                service=service,
                year=year,
                month=month,
                partner=partner,
                amount=amount,
                cost_centre=values.get("cost_centre", ""),
                description=values.get("description", ""),
                measure=values.get("measure", ""),
            )
        )
    return outcome


# Applying


def import_ledger(
    content: bytes,
    filename: str,
    *,
    acting_user: Any,
    dry_run: bool = False,
    default_kind: str = "",
    progress: Progress | None = None,
) -> LedgerImport:
    """Check every row, then (unless dry_run, and only if no row has a problem) write them all.

    Raises LedgerFileError when the file as a whole cannot be read; row problems are in `.errors`."""
    report = progress or (lambda done, total, message: None)
    if default_kind and default_kind not in KINDS:
        raise LedgerFileError(f"Say which kind of figures the file holds: {', '.join(KINDS)}.")
    table = read_table(content, filename)
    report(0, len(table), "Checking rows")
    outcome = check_rows(table, acting_user=acting_user, default_kind=default_kind)
    if outcome.errors:
        return outcome
    source = f"Ledger import {filename or 'upload'} {timezone.now():%Y-%m-%d %H:%M}"[:200]
    creators = {"budget": actions.create_budget_line, "actual": actions.create_actual_line}
    with transaction.atomic():
        for done, row in enumerate(outcome.rows, start=1):
            try:
                if row.is_driver:
                    actions.create_driver_quantity(
                        kind=row.kind,
                        service=row.service,
                        partner=row.partner,
                        year=row.year,
                        month=row.month,
                        measure=row.measure,
                        quantity=row.amount,
                        source=source,
                        acting_user=acting_user,
                    )
                else:
                    creators[row.kind](
                        service=row.service,
                        year=row.year,
                        month=row.month,
                        owner_partner=row.partner,
                        amount=row.amount,
                        cost_centre=row.cost_centre,
                        description=row.description,
                        source=source,
                        acting_user=acting_user,
                    )
            except ValidationError as exc:
                outcome.errors.append(RowError(row.row, exc.messages))
            if done % 100 == 0 or done == len(outcome.rows):
                report(done, len(outcome.rows), f"{'Trying' if dry_run else 'Writing'} line {done:,}")
        if outcome.errors or dry_run:
            transaction.set_rollback(True)
            return outcome
        record_event(
            "ledger.imported",
            None,
            acting_user=acting_user,
            data={"file": filename, "lines": len(outcome.rows), "summary": outcome.summary()},
        )
    outcome.applied = True
    return outcome


# As a job


JOB_KIND = "costing.import_ledger"


def _upload_folder(user: Any) -> str:
    return f"imports/ledger/{user.pk}/"


def store_upload(content: bytes, filename: str, *, user: Any) -> str:
    """Keep the uploaded file (the source of the lines) in the uploader's folder; return where."""
    safe = re.sub(r"[^A-Za-z0-9._-]+", "-", filename)[-80:] or "ledger.csv"
    name = f"{_upload_folder(user)}{timezone.now():%Y%m%d-%H%M%S}-{safe}"
    return default_storage.save(name, io.BytesIO(content))


@job_kind(
    JOB_KIND,
    label="Ledger import (budgets, actuals, driver counts)",
    is_import=True,
    capability=Capability.MANAGE_FINANCE,
    parameters={"path": None, "filename": "File", "dry_run": "Check only", "default_kind": "Kind of lines"},
)
def import_ledger_job(
    ctx: JobContext, path: str, filename: str, dry_run: bool = True, default_kind: str = ""
) -> dict[str, Any]:
    # A job reads only a file its own user uploaded: its parameters could otherwise name any stored file.
    if not path.startswith(_upload_folder(ctx.acting_user)) or ".." in path:
        raise JobFailed("That file was not uploaded by you: upload it again.")
    try:
        with default_storage.open(path, "rb") as handle:
            content = handle.read()
    except OSError:
        raise JobFailed("The uploaded file is no longer available: upload it again.") from None
    try:
        outcome = import_ledger(
            content,
            filename,
            acting_user=ctx.acting_user,
            dry_run=dry_run,
            default_kind=default_kind,
            progress=ctx.progress,
        )
    except LedgerFileError as exc:
        raise JobFailed(f"{exc} Nothing was imported.") from None
    if outcome.errors:
        raise JobFailed(
            f"{len(outcome.errors)} row(s) have problems, so nothing was imported. Correct the file and "
            "upload it again.",
            [str(e) for e in outcome.errors],
        )
    lines = len(outcome.rows)
    return {
        **outcome.as_dict(),
        "dry_run": dry_run,
        "path": path,
        "filename": filename,
        "default_kind": default_kind,
        # The job's own page (core) links here: the preview, with the button that applies it.
        "url": reverse("costing:ledger-import", args=[ctx.job.pk]),
        "url_label": "See the preview and apply it" if dry_run else "See what was imported",
        "message": (
            f"{lines:,} lines checked: nothing has been written yet. Apply the import to write them."
            if dry_run
            else f"{lines:,} lines imported."
        ),
    }


# From the command line: `onesource costing import-ledger FILE [--dry-run] [--kind K] --as USER`


def add_cli_arguments(sub: Any) -> None:
    parser = sub.add_parser(
        "import-ledger",
        help="Import budget and actual lines, or caseload and transaction counts, from a CSV or .xlsx file "
        "(all or nothing).",
    )
    parser.add_argument("file", help="The ledger file (CSV or .xlsx); '-' reads CSV from standard input.")
    parser.add_argument("--dry-run", action="store_true", help="Check every row and write nothing.")
    parser.add_argument("--kind", choices=KINDS, default="", help="The kind of every row without one.")
    parser.add_argument("--as", dest="username", required=True, help="The finance officer importing it.")


def run_from_cli(command: Any, user: Any, options: dict[str, Any]) -> None:
    """Run the import as a job in this process with a progress bar; row problems go to stderr."""
    import sys

    from django.core.management.base import CommandError
    from tqdm import tqdm

    from onesource.core.jobs import create_job, run_job_now

    name = options["file"]
    try:
        if name == "-":
            content, filename = sys.stdin.buffer.read(), "stdin.csv"
        else:
            with open(name, "rb") as handle:
                content, filename = handle.read(), name.rsplit("/", 1)[-1]
    except OSError as exc:
        raise CommandError(f"Cannot read {name}: {exc.strerror}.") from exc
    params = {
        "path": store_upload(content, filename, user=user),
        "filename": filename,
        "dry_run": bool(options["dry_run"]),
        "default_kind": options["kind"],
    }
    try:
        job = create_job(JOB_KIND, params, acting_user=user)
    except ValidationError as exc:
        raise CommandError(" ".join(exc.messages)) from exc
    bar = tqdm(total=0, unit="line", file=sys.stderr, disable=None)

    def show(done: int, total: int, message: str) -> None:
        bar.total, bar.n = total, done
        bar.set_description(message[:40])
        bar.refresh()

    job = run_job_now(job, show)
    bar.close()
    if job.status != "succeeded":
        for error in job.errors:
            command.stderr.write(str(error))
        raise CommandError(job.message)
    for line in job.result.get("summary", []):
        command.stdout.write(
            f"{line['kind']}\t{line['year']}\t{line['sharing']}\t{line['lines']}\t{line['total']}"
        )
    command.stdout.write(command.style.SUCCESS(job.message))
