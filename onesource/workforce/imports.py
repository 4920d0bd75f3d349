"""Import of an HR/payroll extract: posts, people and assignments, from CSV or XLSX.

The extract is either one CSV file per kind (the person says which kind it holds) or one XLSX
workbook with a sheet per kind, named `posts`, `people` and `assignments` (any sheets with other
names are ignored; a workbook with a single sheet is read as the chosen kind). The person maps
their column headings to our fields; headings that look like ours are matched automatically.

Reading and checking rows needs no database: `read_extract` gives the tables, `auto_map` the
mapping, `parse_row` one row's values or its problems. `run_import` then applies every row
through the workforce actions inside one transaction, collecting each row's problems; if any row
has a problem, or it is a dry run, the transaction is rolled back, so a failed import changes
nothing. Row numbers are the spreadsheet's own (the heading row is row 1).
"""

from __future__ import annotations

import datetime as dt
import io
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from onesource.core.csvio import CsvFileError, read_csv
from onesource.core.jobs import JobContext, JobFailed, job_kind

KINDS = ("posts", "people", "assignments")  # applied in this order: people and assignments refer back
KIND_LABELS = {"posts": "Posts", "people": "People", "assignments": "Assignments"}
MAX_ERRORS = 500  # enough to fix a file; more would only hide the pattern
PREVIEW_ROWS = 10


class ExtractError(Exception):
    """The file itself cannot be read (not a row's problem)."""


@dataclass(frozen=True)
class ImportField:
    name: str
    label: str
    type: str = "text"  # text, date, decimal, bool, code
    required: bool = False
    aliases: tuple[str, ...] = ()
    help: str = ""


# Our fields per kind. Aliases are common payroll headings, matched case- and punctuation-blind.
FIELDS: dict[str, list[ImportField]] = {
    "posts": [
        ImportField(
            "post_number",
            "Post number",
            required=True,
            aliases=("post", "post id", "post ref", "post reference", "reference", "position"),
        ),
        ImportField("title", "Job title", required=True, aliases=("post title", "job", "position title")),
        ImportField(
            "service", "Service code", "code", required=True, aliases=("service", "team", "department")
        ),
        ImportField("grade", "Grade", required=True, aliases=("pay grade", "band", "scale")),
        ImportField(
            "fte",
            "FTE",
            "decimal",
            required=True,
            aliases=("full time equivalent", "hours fte", "establishment fte"),
        ),
        ImportField(
            "budgeted_cost",
            "Budgeted annual cost",
            "decimal",
            required=True,
            help="Salary plus on-costs for the post's FTE, per year, in pounds.",
            aliases=("budgeted cost", "budget", "cost", "annual cost", "salary budget"),
        ),
        ImportField(
            "is_senior_management",
            "Senior management",
            "bool",
            help="Yes or no.",
            aliases=("senior", "smt", "senior management post", "senior manager"),
        ),
        ImportField(
            "funded_by",
            "Funded by",
            "code",
            aliases=("funding", "funder", "funding partner"),
            help="SHARED (or blank) for the shared budget, or the code of the one partner funding the post.",
        ),
        ImportField(
            "reports_to",
            "Reports to (post number)",
            help="The post number of the line manager's post; it may be later in the file.",
            aliases=("reports to", "line manager post", "manager post", "parent post"),
        ),
        ImportField(
            "responsibilities", "Responsibilities", aliases=("duties", "role summary", "description")
        ),
        ImportField(
            "starts_on", "Established on", "date", required=True, aliases=("created", "start date", "from")
        ),
        ImportField("ends_on", "Deleted on", "date", aliases=("end date", "deleted", "to")),
    ],
    "people": [
        ImportField(
            "staff_number",
            "Staff number",
            required=True,
            aliases=("employee number", "payroll number", "employee id", "emp no", "staff id"),
        ),
        ImportField(
            "first_name", "First name", required=True, aliases=("forename", "given name", "first names")
        ),
        ImportField("last_name", "Last name", required=True, aliases=("surname", "family name")),
        ImportField(
            "employer",
            "Employing partner",
            "code",
            required=True,
            aliases=("employer code", "employing council", "employing partner code", "council"),
        ),
        ImportField(
            "started_on",
            "Start date",
            "date",
            required=True,
            aliases=("start", "date started", "continuous service date", "hire date", "started"),
        ),
        ImportField(
            "left_on", "Leaving date", "date", aliases=("leave date", "left", "termination date", "end date")
        ),
        ImportField(
            "leaving_reason",
            "Leaving reason",
            aliases=("reason for leaving", "termination reason"),
            help="With a leaving date: Resignation, Retirement, Redundancy, Dismissal, End of contract...",
        ),
        ImportField(
            "contract_type",
            "Contract type",
            aliases=("contract", "employment type", "worker type"),
            help="For new people: Permanent, Fixed-term, Agency, Interim, Secondee or Casual.",
        ),
    ],
    "assignments": [
        ImportField(
            "staff_number", "Staff number", required=True, aliases=("employee number", "payroll number")
        ),
        ImportField("post_number", "Post number", required=True, aliases=("post", "post id", "post ref")),
        ImportField(
            "starts_on", "From", "date", required=True, aliases=("start date", "start", "assignment start")
        ),
        ImportField("ends_on", "To", "date", aliases=("end date", "end", "assignment end")),
        ImportField(
            "fte",
            "FTE",
            "decimal",
            aliases=("full time equivalent", "hours fte", "assignment fte"),
            help="Blank means the post's FTE.",
        ),
        ImportField(
            "salary",
            "Salary",
            "decimal",
            aliases=("annual salary", "basic salary", "fte salary", "pay"),
            help="Full-time-equivalent yearly salary, for the Transparency Code datasets.",
        ),
    ],
}


@dataclass
class Table:
    """One sheet (or CSV file): its headings and the rows beneath, with their spreadsheet row numbers."""

    kind: str
    headings: list[str]
    rows: list[tuple[int, list[Any]]] = field(default_factory=list)
    # Row number -> why it cannot be read as the headings say (a CSV row of the wrong width).
    misread: dict[int, str] = field(default_factory=dict)

    def records(self) -> Iterable[tuple[int, dict[str, Any]]]:
        for number, cells in self.rows:
            yield (
                number,
                {h: (cells[i] if i < len(cells) else None) for i, h in enumerate(self.headings) if h},
            )


def _heading_row(rows: Iterable[tuple[int, list[Any]]]) -> tuple[list[str], list[tuple[int, list[Any]]]]:
    headings: list[str] | None = None
    body: list[tuple[int, list[Any]]] = []
    for number, cells in rows:
        if not any(c not in (None, "") and str(c).strip() for c in cells):
            continue  # blank rows are not data and not errors
        if headings is None:
            headings = [str(c).strip() if c is not None else "" for c in cells]
            continue
        body.append((number, list(cells)))
    if headings is None:
        return [], []
    return headings, body


def read_extract(data: bytes, filename: str, kind: str | None = None) -> list[Table]:
    """The tables in an uploaded extract. CSV needs `kind`; XLSX sheets are named after the kinds."""
    suffix = Path(filename).suffix.lower()
    if suffix in {".xlsx", ".xlsm"}:
        return _read_xlsx(data, kind)
    if suffix in {".csv", ".txt"}:
        if kind not in KINDS:
            raise ExtractError("Say what the CSV file holds: posts, people or assignments.")
        return [_read_csv(data, kind)]
    raise ExtractError("Upload a CSV file (.csv) or an Excel workbook (.xlsx).")


def _read_csv(data: bytes, kind: str) -> Table:
    try:
        read = read_csv(data, delimiters=",;\t|")
    except CsvFileError as exc:
        raise ExtractError(str(exc)) from None
    rows = [(r.number, list(r.cells)) for r in read.rows]
    misread = {r.number: r.problem for r in read.rows if r.problem}
    return Table(kind, read.header, rows, misread)


def _read_xlsx(data: bytes, kind: str | None) -> list[Table]:
    import zipfile

    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, OSError, KeyError, ValueError) as exc:
        raise ExtractError("The file is not an Excel workbook (.xlsx) that can be read.") from exc
    try:
        sheets = {ws.title.strip().lower(): ws for ws in workbook.worksheets}
        chosen = [(k, sheets[k]) for k in KINDS if k in sheets]
        if not chosen:
            if len(workbook.worksheets) == 1 and kind in KINDS:
                chosen = [(kind, workbook.worksheets[0])]
            else:
                raise ExtractError(
                    "Name the workbook's sheets posts, people and assignments "
                    "(or upload one sheet and say what it holds)."
                )
        elif kind in KINDS:
            chosen = [(k, ws) for k, ws in chosen if k == kind] or chosen
        tables = []
        for table_kind, ws in chosen:
            rows = ((n, list(r)) for n, r in enumerate(ws.iter_rows(values_only=True), start=1))
            headings, body = _heading_row(rows)
            tables.append(Table(table_kind, headings, body))
        return tables
    finally:
        workbook.close()


def _lower_first(label: str) -> str:
    """'Job title' -> 'job title', but 'FTE' stays 'FTE'."""
    return label if label[1:2].isupper() else label[:1].lower() + label[1:]


def _normal(text: str) -> str:
    return re.sub(r"[^a-z0-9]", "", text.lower())


def auto_map(kind: str, headings: list[str]) -> dict[str, str]:
    """Our field name -> their heading, for headings that are our field's name, label or a known alias."""
    by_normal = {_normal(h): h for h in headings if h}
    mapping: dict[str, str] = {}
    used: set[str] = set()
    for f in FIELDS[kind]:
        for candidate in (f.name, f.label, *f.aliases):
            heading = by_normal.get(_normal(candidate))
            if heading and heading not in used:
                mapping[f.name] = heading
                used.add(heading)
                break
    return mapping


def check_mapping(kind: str, headings: list[str], mapping: dict[str, str]) -> dict[str, str]:
    """Problems with a mapping, by our field name: a required field unmapped, a heading not in the file."""
    problems: dict[str, str] = {}
    for f in FIELDS[kind]:
        heading = mapping.get(f.name) or ""
        if heading and heading not in headings:
            problems[f.name] = f"The file has no column headed {heading!r}."
        elif f.required and not heading:
            problems[f.name] = f"Choose the column that holds {_lower_first(f.label)}."
    unknown = set(mapping) - {f.name for f in FIELDS[kind]}
    for name in sorted(unknown):
        problems[name] = f"{name!r} is not one of our fields for {kind}."
    return problems


# Converting cells


TRUE_WORDS = {"y", "yes", "true", "t", "1", "senior", "x"}
FALSE_WORDS = {"n", "no", "false", "f", "0", ""}
DATE_FORMATS = ("%Y-%m-%d", "%d/%m/%Y", "%d/%m/%y", "%d-%m-%Y", "%d.%m.%Y", "%d %b %Y", "%d %B %Y")


def to_date(value: Any) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = str(value).strip()
    # Spreadsheets exported to CSV may keep a time part ("2014-04-01 00:00:00").
    text = re.sub(r"[ T]00:00(:00)?$", "", text)
    for fmt in DATE_FORMATS:
        try:
            return dt.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    raise ValueError(f"{text!r} is not a date: write it like 2014-04-01 or 01/04/2014")


def to_decimal(value: Any) -> Decimal:
    if isinstance(value, Decimal):
        return value
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, float):
        return Decimal(repr(value))  # the float's shortest form, not its binary expansion
    text = str(value).strip().replace(",", "").replace("£", "").replace(" ", "")
    try:
        number = Decimal(text)
    except InvalidOperation:
        raise ValueError(f"{str(value).strip()!r} is not a number") from None
    if not number.is_finite():
        raise ValueError(f"{str(value).strip()!r} is not a number")
    return number


def to_bool(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in TRUE_WORDS:
        return True
    if text in FALSE_WORDS:
        return False
    raise ValueError(f"{str(value).strip()!r} is not yes or no")


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def parse_row(kind: str, record: dict[str, Any], mapping: dict[str, str]) -> tuple[dict[str, Any], list[str]]:
    """One row's values by our field names (mapped fields only; None for an empty cell), and its problems."""
    values: dict[str, Any] = {}
    problems: list[str] = []
    for f in FIELDS[kind]:
        heading = mapping.get(f.name)
        raw = record.get(heading) if heading else None
        if _blank(raw):
            if f.required:
                problems.append(f"{f.label} is missing")
            elif heading:
                values[f.name] = None  # mapped but empty: clear it (an unmapped field is left alone)
            continue
        try:
            if f.type == "date":
                values[f.name] = to_date(raw)
            elif f.type == "decimal":
                values[f.name] = to_decimal(raw)
            elif f.type == "bool":
                values[f.name] = to_bool(raw)
            elif f.type == "code":
                values[f.name] = str(raw).strip()
            else:
                text = str(raw).strip()
                # Spreadsheets turn staff numbers like 00123 into 123.0; keep whole numbers whole.
                if isinstance(raw, float) and raw.is_integer():
                    text = str(int(raw))
                values[f.name] = text
        except ValueError as exc:
            problems.append(f"{f.label}: {exc}")
    return values, problems


@dataclass
class RowError:
    kind: str
    row: int
    message: str

    def __str__(self) -> str:
        return f"{KIND_LABELS[self.kind]}, row {self.row}: {self.message}"


@dataclass
class ImportOutcome:
    """What an import did (or, for a dry run, would do)."""

    dry_run: bool
    counts: dict[str, dict[str, int]] = field(default_factory=dict)
    preview: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    errors: list[RowError] = field(default_factory=list)
    rows: int = 0

    def count(self, kind: str, what: str) -> None:
        per_kind = self.counts.setdefault(kind, {"created": 0, "updated": 0, "unchanged": 0})
        per_kind[what] += 1

    def add_preview(self, kind: str, row: int, what: str, values: dict[str, Any]) -> None:
        shown = self.preview.setdefault(kind, [])
        if len(shown) < PREVIEW_ROWS:
            shown.append(
                {"row": row, "outcome": what, "values": {k: _jsonable(v) for k, v in values.items()}}
            )

    @property
    def ok(self) -> bool:
        return not self.errors

    def summary(self) -> str:
        if self.errors:
            rows = len({(e.kind, e.row) for e in self.errors})
            more = " (checking stopped there)" if len(self.errors) >= MAX_ERRORS else ""
            found = "1 row has problems" if rows == 1 else f"{rows} rows have problems"
            return f"{found}{more}: nothing was changed."
        parts = [
            f"{KIND_LABELS[k]}: {c['created']} new, {c['updated']} changed, {c['unchanged']} unchanged"
            for k, c in self.counts.items()
        ]
        verb = "Dry run, nothing changed. Would import" if self.dry_run else "Imported"
        how_many = "1 row" if self.rows == 1 else f"{self.rows} rows"
        return f"{verb} {how_many}. " + "; ".join(parts) + "."

    def as_dict(self) -> dict[str, Any]:
        return {
            "message": self.summary(),
            "dry_run": self.dry_run,
            "ok": self.ok,
            "rows": self.rows,
            "counts": self.counts,
            "preview": self.preview,
            "errors": [str(e) for e in self.errors],
        }


def _jsonable(value: Any) -> Any:
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


Progress = Callable[[int, int, str], None]


# Applying the rows through the workforce actions


# The model's field names in action errors, as the person knows them from the mapping page.
ERROR_FIELD_LABELS = {
    "reference": "Post number",
    "budgeted_annual_cost": "Budgeted annual cost",
    "employing_partner": "Employing partner",
    "post": "Post number",
    "started_on": "Start date",
    "left_on": "Leaving date",
    "starts_on": "From",
    "ends_on": "To",
    "__all__": "",
}


def _messages(exc: Exception) -> list[str]:
    from django.core.exceptions import ValidationError

    if isinstance(exc, ValidationError) and hasattr(exc, "error_dict"):
        out: list[str] = []
        for name, messages in exc.message_dict.items():
            label = ERROR_FIELD_LABELS.get(name, name.replace("_", " ").capitalize())
            out.extend(f"{label}: {m}" if label else m for m in messages)
        return out
    if isinstance(exc, ValidationError):
        return list(exc.messages)
    return [str(exc)]


def _choice(value: str, choices: list[tuple[str, str]], what: str) -> str:
    """A choice by its stored value or its label, ignoring case, spaces, hyphens and underscores."""
    wanted = _normal(value)
    for stored, label in choices:
        if wanted in {_normal(stored), _normal(str(label))}:
            return stored
    known = ", ".join(str(label) for stored, label in choices if stored)
    raise ValueError(f"{value!r} is not a {what}: use one of {known}")


class _Importer:
    """Applies parsed rows for one acting user, remembering lookups (partners, services, posts)."""

    def __init__(self, acting_user: Any, partner_id: int | None, outcome: ImportOutcome):
        from onesource.core.models import Partner, Service
        from onesource.core.roles import Capability
        from onesource.core.scoping import scope_for

        self.user = acting_user
        self.outcome = outcome
        managed = scope_for(acting_user).partners_with(Capability.MANAGE_WORKFORCE)
        # The partners whose staff and posts this import may change: the user's, narrowed to the job's.
        if partner_id is not None:
            managed = frozenset({partner_id}) if managed is None or partner_id in managed else frozenset()
        self.managed: frozenset[int] | None = managed
        self.partners = {p.code: p for p in Partner.objects.all()}
        self.services = {
            s.code: s for s in Service.objects.restrict(acting_user, Capability.MANAGE_WORKFORCE)
        }
        self.pending_reports: list[tuple[int, Any, str, bool]] = []

    def may_manage(self, partner_id: int | None) -> bool:
        if partner_id is None:
            return self.managed is None
        return self.managed is None or partner_id in self.managed

    def may_manage_shared(self, service: Any) -> bool:
        """A shared post: any manager of a partner that receives the service (the post's scope rule)."""
        if self.managed is None:
            return True
        return service.coverage.filter(partner_id__in=self.managed).exists()

    def partner(self, code: str, label: str) -> Any:
        partner = self.partners.get(code.upper())
        if partner is None:
            raise ValueError(f"{label}: there is no partner with code {code!r}")
        return partner

    # Posts

    def post(self, row: int, values: dict[str, Any]) -> str:
        from onesource.workforce import actions
        from onesource.workforce.models import Grade, Post

        reference = values["post_number"].upper()
        service = self.services.get(values["service"].lower()) or self.services.get(values["service"])
        if service is None:
            raise ValueError(f"Service code: there is no service {values['service']!r} that you manage")
        fields: dict[str, Any] = {
            "reference": reference,
            "title": values["title"],
            "service": service,
            "grade": _choice(values["grade"], list(Grade.choices), "grade"),
            "fte": values["fte"],
            "budgeted_annual_cost": values["budgeted_cost"],
            "starts_on": values["starts_on"],
        }
        if "funded_by" in values:
            funded = values["funded_by"] or ""
            funded_by = (
                None if not funded or funded.upper() == "SHARED" else self.partner(funded, "Funded by")
            )
            if funded_by is not None and not self.may_manage(funded_by.pk):
                raise ValueError(f"Funded by: you do not manage {funded_by.code}'s posts")
            fields["funded_by"] = funded_by
        if "ends_on" in values:
            fields["ends_on"] = values["ends_on"]
        if "responsibilities" in values:
            fields["responsibilities"] = values["responsibilities"] or ""
        if "is_senior_management" in values:
            fields["is_senior_management"] = bool(values["is_senior_management"])
        existing = Post.objects.filter(reference=reference).first()
        funded_by_id = fields["funded_by"].pk if fields.get("funded_by") else None
        if "funded_by" not in fields and existing is not None:
            funded_by_id = existing.funded_by_id
        if funded_by_id is None and not self.may_manage_shared(service):
            raise ValueError("Funded by: a shared post needs a service that a partner you manage receives")
        if existing is None:
            post = actions.create_post(acting_user=self.user, **fields)
            what = "created"
        else:
            if not Post.objects.restrict(self.user, "manage_workforce").filter(pk=existing.pk).exists() or (
                existing.funded_by_id is not None and not self.may_manage(existing.funded_by_id)
            ):
                raise ValueError(f"Post number: post {reference} belongs to a partner you do not manage")
            changes = {k: v for k, v in fields.items() if getattr(existing, k) != v}
            post = actions.update_post(existing, acting_user=self.user, **changes) if changes else existing
            what = "updated" if changes else "unchanged"
        if values.get("reports_to"):
            self.pending_reports.append((row, post, values["reports_to"].upper(), what == "created"))
        elif "reports_to" in values and post.reports_to_id is not None:
            actions.update_post(post, reports_to=None, acting_user=self.user)
            what = "updated" if what == "unchanged" else what
        return what

    def reporting_lines(self) -> None:
        """Second pass: a post may report to one that comes later in the file."""
        from onesource.workforce import actions
        from onesource.workforce.models import Post

        for row, post, manager_ref, created in self.pending_reports:
            manager = Post.objects.filter(reference=manager_ref).first()
            if manager is None:
                self.outcome.errors.append(
                    RowError(
                        "posts", row, f"Reports to: there is no post {manager_ref} in the file or already"
                    )
                )
                continue
            if post.reports_to_id == manager.pk:
                continue
            try:
                actions.update_post(post, reports_to=manager, acting_user=self.user)
            except Exception as exc:  # ValidationError, or the database refusing
                self.outcome.errors.extend(RowError("posts", row, m) for m in _messages(exc))
                continue
            if not created:
                counts = self.outcome.counts["posts"]
                if counts["unchanged"]:
                    counts["unchanged"] -= 1
                    counts["updated"] += 1

    # People

    def person(self, row: int, values: dict[str, Any]) -> str:
        from onesource.workforce import actions
        from onesource.workforce.models import ContractType, Employee, LeavingReason

        staff_number = values["staff_number"].upper()
        employer = self.partner(values["employer"], "Employing partner")
        if not self.may_manage(employer.pk):
            raise ValueError(f"Employing partner: you do not manage {employer.code}'s staff")
        reason = values.get("leaving_reason")
        if reason:
            reason = _choice(reason, list(LeavingReason.choices), "leaving reason")
        contract_type = values.get("contract_type")
        if contract_type:
            contract_type = _choice(contract_type, list(ContractType.choices), "contract type")
        fields = {
            "staff_number": staff_number,
            "first_name": values["first_name"],
            "last_name": values["last_name"],
            "employing_partner": employer,
            "started_on": values["started_on"],
        }
        existing = Employee.objects.filter(staff_number=staff_number).first()
        if existing is None:
            employee = actions.create_employee(
                acting_user=self.user,
                left_on=values.get("left_on"),
                leaving_reason=reason or "",
                **fields,
            )
            if contract_type:
                actions.add_contract_period(
                    employee,
                    contract_type=contract_type,
                    starts_on=employee.started_on,
                    ends_on=employee.left_on,
                    acting_user=self.user,
                )
            return "created"
        if not self.may_manage(existing.employing_partner_id):
            raise ValueError(f"Staff number: {staff_number} is employed by a partner you do not manage")
        changes = {k: v for k, v in fields.items() if getattr(existing, k) != v}
        what = "unchanged"
        if changes:
            existing = actions.update_employee(existing, acting_user=self.user, **changes)
            what = "updated"
        left_on = values.get("left_on")
        if left_on and existing.left_on is None:
            actions.record_leaver(
                existing, left_on=left_on, leaving_reason=reason or "", acting_user=self.user
            )
            what = "updated"
        elif left_on and existing.left_on != left_on:
            raise ValueError(
                f"Leaving date: {existing.full_name} already left on {existing.left_on}; "
                "change it on their page"
            )
        return what

    # Assignments

    def assignment(self, row: int, values: dict[str, Any]) -> str:
        from onesource.workforce import actions
        from onesource.workforce.models import Assignment, Employee, Post

        staff_number = values["staff_number"].upper()
        employee = Employee.objects.filter(staff_number=staff_number).first()
        if employee is None:
            raise ValueError(f"Staff number: there is nobody with staff number {staff_number}")
        if not self.may_manage(employee.employing_partner_id):
            raise ValueError(f"Staff number: {staff_number} is employed by a partner you do not manage")
        reference = values["post_number"].upper()
        post = Post.objects.restrict(self.user, "manage_workforce").filter(reference=reference).first()
        if post is None:
            raise ValueError(f"Post number: there is no post {reference} that you manage")
        fields: dict[str, Any] = {"fte": values.get("fte") or post.fte}
        for optional in ("ends_on", "salary"):
            if optional in values:
                fields[optional] = values[optional]
        existing = Assignment.objects.filter(
            employee=employee, post=post, starts_on=values["starts_on"]
        ).first()
        if existing is None:
            actions.add_assignment(
                employee, post=post, starts_on=values["starts_on"], acting_user=self.user, **fields
            )
            return "created"
        changes = {k: v for k, v in fields.items() if getattr(existing, k) != v}
        if not changes:
            return "unchanged"
        actions.update_assignment(existing, acting_user=self.user, **changes)
        return "updated"


def run_import(
    tables: list[Table],
    mappings: dict[str, dict[str, str]],
    *,
    acting_user: Any,
    dry_run: bool,
    partner_id: int | None = None,
    progress: Progress | None = None,
) -> ImportOutcome:
    """Apply every row in one transaction; roll it all back on any row's problem, or for a dry run."""
    from django.core.exceptions import ValidationError
    from django.db import DatabaseError, transaction

    outcome = ImportOutcome(dry_run=dry_run)
    total = sum(len(t.rows) for t in tables)
    done = 0
    with transaction.atomic():
        importer = _Importer(acting_user, partner_id, outcome)
        apply = {"posts": importer.post, "people": importer.person, "assignments": importer.assignment}
        for table in sorted(tables, key=lambda t: KINDS.index(t.kind)):
            mapping = mappings.get(table.kind, {})
            outcome.counts.setdefault(table.kind, {"created": 0, "updated": 0, "unchanged": 0})
            for number, record in table.records():
                done += 1
                outcome.rows += 1
                if progress:
                    progress(done, total, f"{KIND_LABELS[table.kind]}: row {number}")
                if len(outcome.errors) >= MAX_ERRORS:
                    continue
                if number in table.misread:
                    outcome.errors.append(RowError(table.kind, number, _sentence(table.misread[number])))
                    continue
                values, problems = parse_row(table.kind, record, mapping)
                if problems:
                    outcome.errors.extend(RowError(table.kind, number, p) for p in problems)
                    continue
                try:
                    # A savepoint per row: a refused row is undone and the rest still checked.
                    with transaction.atomic():
                        what = apply[table.kind](number, values)
                except ValueError as exc:
                    outcome.errors.append(RowError(table.kind, number, _sentence(str(exc))))
                    continue
                except (ValidationError, DatabaseError) as exc:
                    outcome.errors.extend(RowError(table.kind, number, m) for m in _messages(exc))
                    continue
                outcome.count(table.kind, what)
                outcome.add_preview(table.kind, number, what, values)
            if table.kind == "posts":
                importer.reporting_lines()
        if dry_run or outcome.errors:
            transaction.set_rollback(True)
    if progress:
        progress(total, total, "Finished")
    return outcome


def _sentence(text: str) -> str:
    return text[:1].upper() + text[1:]


# Uploaded files and the import job


UPLOAD_DIR = "imports"
MAX_UPLOAD_BYTES = 50 * 1024 * 1024


def store_upload(data: bytes, filename: str) -> str:
    """Keep the uploaded extract for the mapping, preview and apply steps; returns its storage name."""
    import uuid

    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage

    suffix = Path(filename).suffix.lower()[:6]
    return default_storage.save(f"{UPLOAD_DIR}/{uuid.uuid4().hex}{suffix}", ContentFile(data))


def load_upload(name: str) -> bytes:
    from django.core.files.storage import default_storage

    if not name.startswith(f"{UPLOAD_DIR}/") or ".." in name:
        raise ExtractError("That uploaded file is not one of ours.")
    try:
        with default_storage.open(name, "rb") as handle:
            return handle.read()
    except (FileNotFoundError, OSError) as exc:
        raise ExtractError("The uploaded file has gone: upload it again.") from exc


def resolve_mappings(
    tables: list[Table], given: dict[str, dict[str, str]] | None
) -> dict[str, dict[str, str]]:
    """The mapping per kind: what the person chose, or else the automatic match."""
    given = given or {}
    return {
        t.kind: {k: v for k, v in (given.get(t.kind) or auto_map(t.kind, t.headings)).items() if v}
        for t in tables
    }


def mapping_problems(tables: list[Table], mappings: dict[str, dict[str, str]]) -> list[str]:
    problems = []
    for table in tables:
        if not table.rows:
            problems.append(f"{KIND_LABELS[table.kind]}: there are no rows under the headings.")
        for name, problem in check_mapping(table.kind, table.headings, mappings.get(table.kind, {})).items():
            problems.append(f"{KIND_LABELS[table.kind]}, {_field_label(table.kind, name)}: {problem}")
    return problems


def _field_label(kind: str, name: str) -> str:
    return next((f.label for f in FIELDS[kind] if f.name == name), name)


def import_extract(
    data: bytes,
    filename: str,
    *,
    acting_user: Any,
    kind: str | None = None,
    mappings: dict[str, dict[str, str]] | None = None,
    dry_run: bool = True,
    partner_id: int | None = None,
    progress: Progress | None = None,
) -> ImportOutcome:
    """Read, map and import (or dry-run) an extract. ExtractError if the file or mapping is unusable."""
    tables = read_extract(data, filename, kind)
    resolved = resolve_mappings(tables, mappings)
    problems = mapping_problems(tables, resolved)
    if problems:
        raise ExtractError(" ".join(problems))
    return run_import(
        tables, resolved, acting_user=acting_user, dry_run=dry_run, partner_id=partner_id, progress=progress
    )


JOB_KIND = "workforce.import"


@job_kind(
    JOB_KIND,
    label="Workforce import (posts, people, assignments)",
    is_import=True,
    capability="manage_workforce",
    parameters={
        "file": None,
        "filename": "File",
        "kind": "Kind of rows",
        "mapping": None,
        "dry_run": "Check only",
    },
)
def import_job(
    ctx: JobContext,
    file: str,
    filename: str,
    kind: str | None = None,
    mapping: dict[str, dict[str, str]] | None = None,
    dry_run: bool = True,
) -> dict[str, Any]:
    """Params: the stored upload, its original name, the kind (for CSV), the mapping per kind, dry_run."""
    try:
        outcome = import_extract(
            load_upload(file),
            filename,
            acting_user=ctx.acting_user,
            kind=kind,
            mappings=mapping,
            dry_run=dry_run,
            partner_id=ctx.job.partner_id,
            progress=ctx.progress,
        )
    except ExtractError as exc:
        raise JobFailed(f"The file cannot be imported: nothing was changed. {exc}") from exc
    if not outcome.ok:
        raise JobFailed(outcome.summary(), [str(e) for e in outcome.errors])
    return outcome.as_dict()
