"""Import of a council's published spend (payments over £500), as the file really is.

Councils publish these files in many shapes; this module reads them without guessing:
- CSV (UTF-8 with or without the byte-order mark, or Windows-1252, through `core.csvio`) or XLSX;
- a report preamble above the header: the header is the first row naming at least two of our columns;
- headings matched to our fields by their common names (`auto_map`), changeable by the person;
- blank rows skipped; a "Total" row at the foot is not a payment, but is checked against the sum;
- dates as dd/mm/yyyy, dd/mm/yy, dd-Mon-yyyy or ISO (with or without a time); never mm/dd;
- amounts with commas, spaces, £, a minus sign or brackets for credits; a real third decimal place is
  not read (the float noise a spreadsheet writes, 1136.8400000000001, is rounded away);
- a redacted or personal beneficiary ("REDACTED", "Redacted", "MR B J JONES") kept but marked personal.
A row whose date or amount cannot be read is not guessed: it is kept as a `QuarantinedRow` with its
row number and what was wrong, and listed among the problems. A file without payment dates or amounts
(a summary of totals by supplier) is refused as a whole, as is a file already imported for the partner.

`read_spend_file` and `parse_rows` need no database. `import_spend` writes in bulk: suppliers first
(matched by exact name or alias, new ones created), then the payments by PostgreSQL COPY (or
`executemany` on SQLite), all in one transaction with the `SpendImport` record and an audit event.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from onesource.core.csvio import CsvFileError, csv_text, iter_csv_rows
from onesource.procurement.normalise import is_redacted, looks_like_a_person, same_name, supplier_key

MAX_SPEND_BYTES = 400 * 1024 * 1024  # a year of a large council's spend, a million rows and more
HEADER_SEARCH_ROWS = 30
MAX_PROBLEMS_LISTED = 500
PREVIEW_ROWS = 10
PENNY = Decimal("0.01")
FLOAT_NOISE = Decimal("0.000001")
REDACTED_NAME = "Redacted personal data"

Progress = Callable[[int, int, str], None]


class SpendFileError(Exception):
    """The file as a whole cannot be imported; the message says why, for the person who sent it."""


@dataclass(frozen=True)
class SpendField:
    name: str
    label: str
    aliases: tuple[str, ...] = ()
    required: bool = False
    help: str = ""


def _norm(text: str) -> str:
    return re.sub(r"[^a-z0-9]", "", str(text).lower())


# Our fields and the headings councils use for them (the LGA spend schema's, Devon's, data.gov.uk's, ...).
FIELDS: list[SpendField] = [
    SpendField(
        "paid_on",
        "Payment date",
        (
            "paymentdate",
            "date",
            "datepaid",
            "transactiondate",
            "paiddate",
            "paymentdatedate",
            "invoicepaiddate",
        ),
        required=True,
    ),
    SpendField(
        "amount",
        "Amount",
        (
            "amount",
            "netamount",
            "amountexcludingvat",
            "amountexvat",
            "value",
            "amountgbp",
            "netvalue",
            "total",
        ),
        required=True,
        help="Net of VAT; a credit is negative or in brackets.",
    ),
    SpendField(
        "beneficiary",
        "Supplier",
        (
            "beneficiaryname",
            "suppliername",
            "supplier",
            "beneficiary",
            "payee",
            "vendorname",
            "vendor",
            "merchantname",
        ),
        required=True,
    ),
    SpendField(
        "department",
        "Department",
        (
            "organisationalunit",
            "expensearea",
            "department",
            "service",
            "directorate",
            "servicearea",
            "costcentre",
        ),
    ),
    SpendField("purpose", "Purpose", ("purpose", "description", "narrative", "details", "purposeofspend")),
    SpendField(
        "expense_type",
        "Expense type",
        ("expensetype", "expenditurecategory", "subjectivedescription", "expensedescription"),
    ),
    SpendField(
        "category", "ProClass category", ("proclasslabel", "proclass", "proclassdescription", "category")
    ),
    SpendField("merchant_category", "Merchant category", ("merchantcategory", "merchantcategorycode", "mcc")),
    SpendField(
        "irrecoverable_vat",
        "Irrecoverable VAT",
        ("irrecoverablevatamount", "irrecoverablevat", "nonrecoverablevat"),
    ),
    SpendField(
        "transaction_number",
        "Transaction number",
        ("transactionnumber", "transactionno", "transactionid", "transactionref", "documentnumber"),
    ),
    SpendField(
        "invoice_number", "Invoice number", ("invoicenumber", "invoiceno", "invoiceref", "invoicereference")
    ),
    SpendField(
        "invoice_received_on",
        "Invoice date",
        ("invoicedate", "invoicereceiveddate", "datereceived", "invoicereceived"),
        help="When the invoice arrived: for the payment times the Procurement Act asks about.",
    ),
    SpendField(
        "supplier_reference",
        "Supplier ID",
        ("beneficiaryotherid", "supplierid", "suppliernumber", "vendorid", "supplierref"),
    ),
    SpendField(
        "vat_number",
        "Supplier VAT number",
        ("vatregistrationnumber", "vatregno", "vatnumber", "vatregistration"),
    ),
    SpendField(
        "payment_method",
        "Payment method",
        ("paymentmethod", "paymenttype", "transactiontype", "cardtransaction"),
        help="A value with 'card' in it marks a procurement card transaction.",
    ),
]
FIELD_LABELS = {f.name: f.label for f in FIELDS}
_ALIASES = {alias: f.name for f in FIELDS for alias in f.aliases}


def auto_map(headings: list[str]) -> dict[str, str]:
    """Our field -> the file's heading, for each heading we recognise (the first one wins)."""
    mapping: dict[str, str] = {}
    for heading in headings:
        name = _ALIASES.get(_norm(heading))
        if name and name not in mapping:
            mapping[name] = heading
    return mapping


@dataclass
class SpendFile:
    """The file's headings (the row they are on) and a way to walk the rows below them."""

    headings: list[str]
    header_row: int
    _rows: Callable[[], Iterator[tuple[int, list[Any]]]]
    row_estimate: int = 0

    def rows(self) -> Iterator[tuple[int, list[Any]]]:
        """(spreadsheet row number, cells) for every non-blank row under the header."""
        for number, cells in self._rows():
            if number <= self.header_row:
                continue
            if any(c is not None and str(c).strip() for c in cells):
                yield number, cells


def _is_header(cells: list[Any]) -> bool:
    names = {_ALIASES.get(_norm(c)) for c in cells if isinstance(c, str)}
    names.discard(None)
    return len(names) >= 2


def _find_header(rows: Iterator[tuple[int, list[Any]]]) -> tuple[int, list[str]]:
    first: tuple[int, list[str]] | None = None
    for seen, (number, cells) in enumerate(rows):
        if seen >= HEADER_SEARCH_ROWS:
            break
        if not any(c is not None and str(c).strip() for c in cells):
            continue
        texts = ["" if c is None else str(c).strip() for c in cells]
        if first is None:
            first = (number, texts)
        if _is_header(cells):
            return number, texts
    if first is None:
        raise SpendFileError("The file is empty: it has no rows.")
    return first  # no heading we know: the person maps the first row's headings by hand


def read_spend_file(data: bytes, filename: str) -> SpendFile:
    """The file's headings and rows, whatever its encoding and preamble; SpendFileError if unreadable."""
    suffix = Path(filename).suffix.lower()
    if suffix in {".xlsx", ".xlsm"}:
        return _read_xlsx(data)
    if suffix in {".csv", ".txt", ""}:
        try:
            text = csv_text(data, max_bytes=MAX_SPEND_BYTES)
        except CsvFileError as exc:
            raise SpendFileError(str(exc)) from None

        def rows() -> Iterator[tuple[int, list[Any]]]:
            try:
                yield from iter_csv_rows(text, delimiters=",;\t|")
            except CsvFileError as exc:
                raise SpendFileError(str(exc)) from None

        header_row, headings = _find_header(rows())
        return SpendFile(headings, header_row, rows, row_estimate=text.count("\n"))
    raise SpendFileError("Upload the spend file as CSV (.csv) or an Excel workbook (.xlsx).")


def _read_xlsx(data: bytes) -> SpendFile:
    import zipfile

    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, OSError, KeyError, ValueError) as exc:
        raise SpendFileError("The file is not an Excel workbook (.xlsx) that can be read.") from exc
    # The sheet with the most rows: a workbook may lead with a notes sheet.
    sheet = max(workbook.worksheets, key=lambda ws: ws.max_row or 0)
    loaded = [
        (number, list(cells)) for number, cells in enumerate(sheet.iter_rows(values_only=True), start=1)
    ]
    workbook.close()
    header_row, headings = _find_header(iter(loaded))
    return SpendFile(headings, header_row, lambda: iter(loaded), row_estimate=len(loaded))


# Reading one value

_MONTHS = {
    m: i
    for i, m in enumerate(
        ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"), 1
    )
}
_DMY = re.compile(r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{2}|\d{4})$")
_D_MON_Y = re.compile(r"^(\d{1,2})[ -]([A-Za-z]{3})[A-Za-z]*[ -](\d{2}|\d{4})$")
_ISO = re.compile(
    r"^(\d{4})-(\d{2})-(\d{2})(?:[ T]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?(?:Z|[+-]\d{2}:?\d{2})?$"
)


def _year(text: str) -> int:
    year = int(text)
    # Two-digit years: spend data is this century's.
    return 2000 + year if len(text) == 2 else year


def parse_date(value: Any) -> dt.date:
    """A payment date as councils write it; ValueError (with words) if it is not one."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = str(value or "").strip()
    if not text:
        raise ValueError("the date is blank")
    if match := _ISO.match(text):
        year, month, day = (int(g) for g in match.groups())
    elif match := _DMY.match(text):
        day, month, year = int(match[1]), int(match[2]), _year(match[3])
    elif match := _D_MON_Y.match(text):
        month = _MONTHS.get(match[2].lower(), 0)
        day, year = int(match[1]), _year(match[3])
    else:
        raise ValueError(f"{text!r} is not a date like 31/03/2025 or 2025-03-31")
    try:
        return dt.date(year, month, day)
    except ValueError:
        raise ValueError(f"{text!r} is not a real date (day/month/year)") from None


_AMOUNT_NOISE = str.maketrans("", "", "£, \u00a0")


def parse_amount(value: Any) -> Decimal:
    """An amount in pounds to the penny; brackets or a minus for a credit; ValueError if not one."""
    if isinstance(value, bool):
        raise ValueError("the amount is not a number")
    if isinstance(value, int):
        return Decimal(value).quantize(PENNY)
    if isinstance(value, float):
        # A spreadsheet's number: its shortest text is what the cell shows.
        value = repr(value)
    text = str(value or "").strip()
    if not text:
        raise ValueError("the amount is blank")
    negative = False
    if text.startswith("(") and text.endswith(")"):
        negative, text = True, text[1:-1]
    text = text.translate(_AMOUNT_NOISE)
    if text.endswith("-"):  # 123.45- as some ledgers print credits
        negative, text = not negative, text[:-1]
    try:
        amount = Decimal(text)
    except InvalidOperation:
        raise ValueError(f"{str(value).strip()!r} is not an amount like 1,250.00") from None
    if not amount.is_finite():
        raise ValueError(f"{str(value).strip()!r} is not an amount like 1,250.00")
    if abs(amount) >= Decimal("1e12"):
        raise ValueError(f"{str(value).strip()!r} is too large to be one payment")
    pennies = amount.quantize(PENNY)
    # 1136.8400000000001 is a spreadsheet's binary rounding of 1136.84, not a fraction of a penny;
    # 638.875 is a real third decimal place, and which penny it meant is not ours to guess.
    if abs(amount - pennies) > FLOAT_NOISE:
        raise ValueError(
            f"{str(value).strip()!r} has more than two decimal places: it is not pounds and pence"
        )
    amount = pennies
    return -amount if negative else amount


_TOTAL = re.compile(r"^\s*(grand\s+)?totals?\b", re.IGNORECASE)


def _text(value: Any, limit: int) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)  # an id a spreadsheet stored as a number: 20654, not 20654.0
    return " ".join(str(value).split())[:limit]


@dataclass
class ParsedPayment:
    row: int
    paid_on: dt.date
    amount: Decimal
    beneficiary: str
    is_personal: bool
    values: dict[str, Any]


@dataclass
class Problem:
    row: int
    message: str
    cells: dict[str, Any] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        return {"row": self.row, "message": self.message}


@dataclass
class ParseOutcome:
    payments: list[ParsedPayment] = field(default_factory=list)
    quarantined: list[Problem] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    footer_total: Decimal | None = None
    total: Decimal = Decimal("0")


def check_mapping(headings: list[str], mapping: dict[str, str]) -> dict[str, str]:
    """Problems with a mapping, by our field name; a file without dates or amounts is refused."""
    problems: dict[str, str] = {}
    for f in FIELDS:
        chosen = mapping.get(f.name)
        if chosen and chosen not in headings:
            problems[f.name] = f"The file has no column {chosen!r}."
    missing = [f for f in ("paid_on", "amount") if not mapping.get(f)]
    if missing:
        what = " or ".join(FIELD_LABELS[f].lower() + "s" for f in missing)
        message = (
            f"The file has no {what}: it looks like a summary (totals by supplier), not the payments. "
            "Import the file that lists each payment with its date and amount."
        )
        for name in missing:
            problems[name] = message
    if not mapping.get("beneficiary"):
        problems["beneficiary"] = "Choose the column with the supplier's name."
    used = [h for h in mapping.values() if h]
    for heading in {h for h in used if used.count(h) > 1}:
        for name, chosen in mapping.items():
            if chosen == heading:
                problems.setdefault(name, f"The column {heading!r} is chosen for more than one field.")
    return problems


def mapping_error(headings: list[str], mapping: dict[str, str]) -> str:
    problems = check_mapping(headings, mapping)
    return " ".join(dict.fromkeys(problems.values()))


OPTIONAL_TEXT = {
    "department": 200,
    "purpose": 300,
    "expense_type": 200,
    "category": 200,
    "merchant_category": 200,
    "transaction_number": 60,
    "invoice_number": 60,
    "supplier_reference": 60,
    "vat_number": 20,
    "payment_method": 60,
}


def parse_rows(
    spend_file: SpendFile, mapping: dict[str, str], progress: Progress | None = None
) -> ParseOutcome:
    """Each row read as a payment, a quarantined row, or the file's total; nothing is guessed."""
    index = {h: i for i, h in enumerate(spend_file.headings) if h}
    columns = {name: index[heading] for name, heading in mapping.items() if heading in index}
    width = len(spend_file.headings)
    date_col, amount_col, name_col = columns["paid_on"], columns["amount"], columns["beneficiary"]
    optional = [(name, columns[name], limit) for name, limit in OPTIONAL_TEXT.items() if name in columns]
    vat_col = columns.get("irrecoverable_vat")
    invoice_date_col = columns.get("invoice_received_on")
    dates: dict[Any, dt.date] = {}  # a file holds few distinct dates: read each once
    outcome = ParseOutcome()
    total = Decimal("0")
    estimate = spend_file.row_estimate
    for count, (number, cells) in enumerate(spend_file.rows(), start=1):
        if progress and count % 20000 == 0:
            progress(count, max(estimate, count), f"Read {count:,} rows")
        cells = list(cells) + [None] * (width - len(cells)) if len(cells) < width else cells
        raw_date, raw_amount = cells[date_col], cells[amount_col]
        try:
            paid_on = (
                dates[raw_date] if raw_date in dates else dates.setdefault(raw_date, parse_date(raw_date))
            )
        except (ValueError, TypeError) as exc:
            if any(_TOTAL.match(str(c)) for c in cells if isinstance(c, str)):
                try:
                    outcome.footer_total = parse_amount(raw_amount)
                    continue
                except ValueError:
                    pass
            outcome.quarantined.append(Problem(number, f"Payment date: {exc}", _cells(spend_file, cells)))
            continue
        try:
            amount = parse_amount(raw_amount)
        except ValueError as exc:
            outcome.quarantined.append(Problem(number, f"Amount: {exc}", _cells(spend_file, cells)))
            continue
        if len(cells) > width and any(c not in (None, "") for c in cells[width:]):
            outcome.quarantined.append(
                Problem(
                    number,
                    f"The row has {len(cells)} fields but the header has {width}: "
                    "a value with a comma (such as £1,250.00) must be in quotes",
                    _cells(spend_file, cells),
                )
            )
            continue
        values: dict[str, Any] = {name: _text(cells[col], limit) for name, col, limit in optional}
        if vat_col is not None and cells[vat_col] not in (None, ""):
            try:
                values["irrecoverable_vat"] = parse_amount(cells[vat_col])
            except ValueError as exc:
                outcome.quarantined.append(
                    Problem(number, f"Irrecoverable VAT: {exc}", _cells(spend_file, cells))
                )
                continue
        if invoice_date_col is not None and cells[invoice_date_col] not in (None, ""):
            try:
                values["invoice_received_on"] = parse_date(cells[invoice_date_col])
            except ValueError as exc:
                outcome.quarantined.append(Problem(number, f"Invoice date: {exc}", _cells(spend_file, cells)))
                continue
        name = _text(cells[name_col], 300)
        personal = is_redacted(name) or looks_like_a_person(name)
        outcome.payments.append(
            ParsedPayment(number, paid_on, amount, REDACTED_NAME if personal else name, personal, values)
        )
        total += amount
    outcome.total = total
    outcome.problems = list(outcome.quarantined)
    if outcome.footer_total is not None and outcome.footer_total != total:
        outcome.problems.append(
            Problem(
                0,
                f"The file's total row says £{outcome.footer_total:,.2f} but its payments add up to "
                f"£{total:,.2f} (a difference of £{outcome.footer_total - total:,.2f}): "
                "check for rows left out or kept aside",
            )
        )
    return outcome


def _cells(spend_file: SpendFile, cells: list[Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for i, heading in enumerate(spend_file.headings):
        if heading and i < len(cells) and cells[i] not in (None, ""):
            value = cells[i]
            out[heading] = value.isoformat() if isinstance(value, dt.date) else str(value)[:300]
    return out


# Writing


@dataclass
class SpendOutcome:
    """What an import did (or, for a dry run, would do): the JSON the CLI, the API and the job print."""

    dry_run: bool
    filename: str
    partner: str
    mapping: dict[str, str]
    parsed: ParseOutcome
    new_suppliers: int = 0
    spend_import_id: int | None = None

    @property
    def message(self) -> str:
        p = self.parsed
        verb = "Checked, nothing changed: would import" if self.dry_run else "Imported"
        rows = "1 row" if len(p.quarantined) == 1 else f"{len(p.quarantined):,} rows"
        kept = f"; {rows} kept aside to fix" if p.quarantined else ""
        return f"{verb} {len(p.payments):,} payments totalling £{p.total:,.2f}{kept}."

    def as_dict(self) -> dict[str, Any]:
        p = self.parsed
        dates = [x.paid_on for x in p.payments]
        problems = [x.as_dict() for x in p.problems]
        return {
            "message": self.message,
            "dry_run": self.dry_run,
            "partner": self.partner,
            "filename": self.filename,
            "payments": len(p.payments),
            "total": f"{p.total:.2f}",
            "footer_total": None if p.footer_total is None else f"{p.footer_total:.2f}",
            "first_paid_on": min(dates).isoformat() if dates else None,
            "last_paid_on": max(dates).isoformat() if dates else None,
            "quarantined": len(p.quarantined),
            "new_suppliers": self.new_suppliers,
            "mapping": self.mapping,
            "problems": problems[:MAX_PROBLEMS_LISTED],
            "problems_not_listed": max(0, len(problems) - MAX_PROBLEMS_LISTED),
            "preview": [
                {
                    "row": x.row,
                    "paid_on": x.paid_on.isoformat(),
                    "beneficiary": x.beneficiary,
                    "amount": f"{x.amount:.2f}",
                    "department": x.values.get("department", ""),
                    "purpose": x.values.get("purpose") or x.values.get("expense_type", ""),
                }
                for x in p.payments[:PREVIEW_ROWS]
            ],
            "spend_import": self.spend_import_id,
        }


def file_digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _supplier_ids(payments: list[ParsedPayment], *, create: bool) -> tuple[dict[str, int], int]:
    """Exact name (or alias) -> supplier id for every named beneficiary, creating the new ones in bulk."""
    from onesource.procurement.models import Supplier, SupplierAlias

    known: dict[str, int] = {}
    for supplier_id, name in Supplier.objects.values_list("pk", "name"):
        known.setdefault(same_name(name), supplier_id)
    for supplier_id, name in SupplierAlias.objects.values_list("supplier_id", "name"):
        known.setdefault(same_name(name), supplier_id)
    new: dict[str, tuple[str, str]] = {}
    for payment in payments:
        if payment.is_personal:
            continue
        exact = same_name(payment.beneficiary)
        if exact not in known and exact not in new:
            vat = re.sub(r"[^0-9A-Z]", "", payment.values.get("vat_number", "").upper())
            new[exact] = (payment.beneficiary, vat if re.fullmatch(r"(GB)?[0-9]{9}([0-9]{3})?", vat) else "")
    if create and new:
        created = Supplier.objects.bulk_create(
            [Supplier(name=name, key=supplier_key(name), vat_number=vat) for name, vat in new.values()],
            batch_size=2000,
        )
        for supplier in created:
            known[same_name(supplier.name)] = supplier.pk
    return known, len(new)


PAYMENT_COLUMNS = [
    "partner_id",
    "spend_import_id",
    "row_number",
    "paid_on",
    "amount",
    "irrecoverable_vat",
    "beneficiary",
    "supplier_id",
    "department",
    "purpose",
    "expense_type",
    "category",
    "merchant_category",
    "transaction_number",
    "invoice_number",
    "invoice_received_on",
    "is_card",
    "is_personal",
]


def _payment_rows(
    payments: list[ParsedPayment],
    *,
    partner_id: int,
    import_id: int,
    suppliers: dict[str, int],
    categories: dict[str, str],
) -> Iterator[tuple[Any, ...]]:
    zero = Decimal("0")
    for p in payments:
        v = p.values
        expense_type = v.get("expense_type", "")
        category = v.get("category") or categories.get(expense_type.upper(), "")
        yield (
            partner_id,
            import_id,
            p.row,
            p.paid_on,
            p.amount,
            v.get("irrecoverable_vat", zero),
            p.beneficiary,
            None if p.is_personal else suppliers.get(same_name(p.beneficiary)),
            v.get("department", ""),
            v.get("purpose", ""),
            expense_type,
            category,
            v.get("merchant_category", ""),
            v.get("transaction_number", ""),
            v.get("invoice_number", ""),
            v.get("invoice_received_on"),
            "card" in v.get("payment_method", "").lower(),
            p.is_personal,
        )


def write_payments(rows: Iterator[tuple[Any, ...]], progress: Progress | None = None, total: int = 0) -> int:
    """Insert payment rows as fast as the database takes them: COPY on PostgreSQL, executemany on SQLite."""
    from django.db import connection

    from onesource.procurement.models import Payment

    table = connection.ops.quote_name(Payment._meta.db_table)
    columns = ", ".join(connection.ops.quote_name(c) for c in PAYMENT_COLUMNS)
    written = 0
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            raw = cursor.cursor  # psycopg 3's own cursor, for COPY
            with raw.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
                    written += 1
                    if progress and written % 50000 == 0:
                        progress(written, total, f"Saved {written:,} payments")
            return written
        sql = f"INSERT INTO {table} ({columns}) VALUES ({', '.join(['%s'] * len(PAYMENT_COLUMNS))})"  # noqa: S608
        batch: list[tuple[Any, ...]] = []
        for row in rows:
            batch.append(row)
            if len(batch) >= 20000:
                cursor.executemany(sql, batch)
                written += len(batch)
                batch.clear()
                if progress:
                    progress(written, total, f"Saved {written:,} payments")
        if batch:
            cursor.executemany(sql, batch)
            written += len(batch)
    return written


def import_spend(
    data: bytes,
    filename: str,
    *,
    partner: Any,
    acting_user: Any,
    mapping: dict[str, str] | None = None,
    dry_run: bool = True,
    progress: Progress | None = None,
) -> SpendOutcome:
    """Read, check and (unless a dry run) save a spend file for one partner. SpendFileError if refused."""
    from django.db import transaction

    from onesource.core.audit import action, record_event
    from onesource.procurement.models import ExpenseTypeCategory, QuarantinedRow, SpendImport

    spend_file = read_spend_file(data, filename)
    chosen = {k: v for k, v in (mapping or auto_map(spend_file.headings)).items() if v}
    if error := mapping_error(spend_file.headings, chosen):
        raise SpendFileError(error)
    digest = file_digest(data)
    earlier = SpendImport.objects.filter(partner=partner, sha256=digest).select_related("imported_by").first()
    if earlier is not None:
        raise SpendFileError(
            f"This file was already imported for {partner.code} on {earlier.imported_at:%d/%m/%Y} "
            f"(as {earlier.filename}): importing it again would count every payment twice."
        )
    parsed = parse_rows(spend_file, chosen, progress)
    outcome = SpendOutcome(dry_run, filename, partner.code, chosen, parsed)
    if not parsed.payments and not parsed.quarantined:
        raise SpendFileError("The file has no payments under its headings.")
    if dry_run:
        outcome.new_suppliers = _supplier_ids(parsed.payments, create=False)[1]
        return outcome

    @action
    def save(*, acting_user: Any) -> None:
        suppliers, outcome.new_suppliers = _supplier_ids(parsed.payments, create=True)
        dates = [p.paid_on for p in parsed.payments]
        record = SpendImport.objects.create(
            partner=partner,
            filename=filename[:255],
            sha256=digest,
            imported_by=acting_user if getattr(acting_user, "pk", None) else None,
            mapping=chosen,
            payments=len(parsed.payments),
            total=parsed.total,
            footer_total=parsed.footer_total,
            first_paid_on=min(dates) if dates else None,
            last_paid_on=max(dates) if dates else None,
            problems=[p.as_dict() for p in parsed.problems[:MAX_PROBLEMS_LISTED]],
        )
        categories = {
            e.upper(): c
            for e, c in ExpenseTypeCategory.objects.filter(partner=partner).values_list(
                "expense_type", "category"
            )
        }
        rows = _payment_rows(
            parsed.payments,
            partner_id=partner.pk,
            import_id=record.pk,
            suppliers=suppliers,
            categories=categories,
        )
        write_payments(rows, progress, len(parsed.payments))
        QuarantinedRow.objects.bulk_create(
            [
                QuarantinedRow(spend_import=record, row_number=q.row, cells=q.cells, message=q.message[:500])
                for q in parsed.quarantined
            ],
            batch_size=2000,
        )
        outcome.spend_import_id = record.pk
        record_event(
            "procurement.spend_imported",
            record,
            acting_user=acting_user,
            partner=partner,
            data={
                "filename": filename,
                "payments": len(parsed.payments),
                "total": f"{parsed.total:.2f}",
                "quarantined": len(parsed.quarantined),
            },
        )

    with transaction.atomic():
        save(acting_user=acting_user)
    if progress:
        progress(len(parsed.payments), len(parsed.payments), "Finished")
    return outcome
