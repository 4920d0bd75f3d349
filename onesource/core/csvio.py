"""The one way CSV comes in and goes out: every importer reads with `read_csv`, every export writes
with `csv_writer`.

Reading. A file is refused as a whole (`CsvFileError`, with a message for the person who sent it)
when it is larger than `MAX_CSV_BYTES`, empty, binary (NUL or other control bytes: a spreadsheet
saved as .xls or a zip renamed .csv), not text in a known encoding, or not CSV the parser can read.
Encodings: UTF-8, with or without the byte-order mark Excel writes for "CSV UTF-8"; failing that
Windows-1252, what Excel on a UK Windows PC writes for plain "CSV". Windows-1252 decodes almost any
byte, so it is tried strictly and last; anything else (UTF-16, Latin-2...) is refused, not guessed.
The delimiter is sniffed among comma, semicolon, tab (and whatever else the caller allows).

A row whose number of fields differs from the header's is kept with a `problem`: every importer
reports it as a problem row instead of guessing which cell moved (an unquoted `£1,250.00` is two
fields, and reading it as £1 with the rest shifted is silently wrong). Blank rows are skipped.

Writing. `csv_writer` neutralises text cells that a spreadsheet would run as a formula (starting
with `=`, `+`, `-`, `@`, tab or carriage return) by prefixing `'`, as OWASP advises; plain numbers
such as `-12.50` are left alone, since they cannot be formulas and must stay numbers.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

MAX_CSV_BYTES = 10 * 1024 * 1024
MAX_FIELD_CHARS = 100_000
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


class CsvFileError(ValueError):
    """The file cannot be read as CSV at all; the message says why, for the person who sent it."""


@dataclass(frozen=True)
class CsvRow:
    number: int  # as a spreadsheet numbers it: the header is row 1
    cells: list[str]
    problem: str = ""


@dataclass(frozen=True)
class CsvTable:
    header: list[str]
    rows: list[CsvRow]

    def records(self) -> Iterator[tuple[CsvRow, dict[str, str]]]:
        """Each row with its cells by (stripped) heading; a short row's missing cells are blank."""
        for row in self.rows:
            yield row, {h: (row.cells[i] if i < len(row.cells) else "") for i, h in enumerate(self.header)}


def decode_csv_bytes(data: bytes, *, max_bytes: int = MAX_CSV_BYTES) -> str:
    if len(data) > max_bytes:
        raise CsvFileError(f"The file is larger than {max_bytes // (1024 * 1024)} MB: split it.")
    if not data.strip():
        raise CsvFileError("The file is empty: the first row should hold the column headings.")
    if b"\x00" in data:
        raise CsvFileError(
            "The file is not a CSV text file (it holds binary data): save it from the spreadsheet as CSV."
        )
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            text = data.decode("cp1252")
        except UnicodeDecodeError:
            raise CsvFileError(
                "The file's characters cannot be read: save it as CSV UTF-8 (or CSV from Excel)."
            ) from None
    return text


def csv_text(data: bytes | str, *, max_bytes: int = MAX_CSV_BYTES) -> str:
    """The file as text, refused (CsvFileError) when too large, empty, binary or in an unknown encoding."""
    text = decode_csv_bytes(data, max_bytes=max_bytes) if isinstance(data, bytes) else data.lstrip("\ufeff")
    if isinstance(data, str) and len(text.encode()) > max_bytes:
        raise CsvFileError(f"The file is larger than {max_bytes // (1024 * 1024)} MB: split it.")
    if _CONTROL.search(text):
        raise CsvFileError("The file holds control characters, so it is not a CSV text file: save it as CSV.")
    return text


def iter_csv_rows(text: str, *, delimiters: str = ",;\t") -> Iterator[tuple[int, list[str]]]:
    """Every row of the text with its line number (blank rows included), the delimiter sniffed.

    For importers that find the header themselves (a report preamble before it) or stream a large file."""
    try:
        dialect: Any = csv.Sniffer().sniff(text[:4096], delimiters=delimiters)
    except csv.Error:
        dialect = csv.excel
    reader = csv.reader(io.StringIO(text, newline=""), dialect)
    try:
        for cells in reader:
            if any(len(c) > MAX_FIELD_CHARS for c in cells):
                raise CsvFileError(
                    f"Row {reader.line_num} has a cell longer than {MAX_FIELD_CHARS:,} characters."
                )
            yield reader.line_num, cells
    except csv.Error as exc:
        raise CsvFileError(f"The file is not valid CSV near row {reader.line_num}: {exc}.") from None


def read_csv(data: bytes | str, *, delimiters: str = ",;\t") -> CsvTable:
    """The header (stripped) and the non-blank rows after it, each with a problem if its width is wrong."""
    text = csv_text(data)
    header: list[str] | None = None
    rows: list[CsvRow] = []
    for number, cells in iter_csv_rows(text, delimiters=delimiters):
        if not any(c.strip() for c in cells):
            continue
        if header is None:
            header = [c.strip() for c in cells]
            continue
        problem = ""
        if len(cells) != len(header):
            problem = (
                f"the row has {len(cells)} fields but the header has {len(header)}: "
                "a value with a comma (such as £1,250.00) must be in quotes"
            )
        rows.append(CsvRow(number, cells, problem))
    if header is None:
        raise CsvFileError("The file is empty: the first row should hold the column headings.")
    return CsvTable(header, rows)


# Writing

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_PLAIN_NUMBER = re.compile(r"[+-]?(\d[\d,]*)?(\.\d+)?([eE][+-]?\d+)?")


def neutralise(value: Any) -> Any:
    """A text cell a spreadsheet would evaluate, made inert with a leading apostrophe."""
    if isinstance(value, str) and value.startswith(_FORMULA_START) and not _is_plain_number(value):
        return "'" + value
    return value


def _is_plain_number(text: str) -> bool:
    return any(ch.isdigit() for ch in text) and _PLAIN_NUMBER.fullmatch(text) is not None


class SafeCsvWriter:
    """`csv.writer` whose every text cell goes through `neutralise`."""

    def __init__(self, out: Any, **kwargs: Any) -> None:
        self._writer = csv.writer(out, **kwargs)

    def writerow(self, row: Iterable[Any]) -> Any:
        return self._writer.writerow([neutralise(v) for v in row])

    def writerows(self, rows: Iterable[Iterable[Any]]) -> None:
        for row in rows:
            self.writerow(row)


def csv_writer(out: Any, **kwargs: Any) -> SafeCsvWriter:
    return SafeCsvWriter(out, **kwargs)
