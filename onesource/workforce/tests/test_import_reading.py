"""Reading an extract and mapping its columns, before anything touches the database."""

import datetime as dt
import io
from decimal import Decimal

import pytest
from openpyxl import Workbook

from onesource.workforce.imports import ExtractError, auto_map, check_mapping, parse_row, read_extract


def xlsx(sheets: dict[str, list[list[object]]]) -> bytes:
    book = Workbook()
    book.remove(book.active)
    for name, rows in sheets.items():
        sheet = book.create_sheet(name)
        for r in rows:
            sheet.append(r)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_csv_rows_keep_their_spreadsheet_numbers_and_skip_blank_lines():
    data = b"Employee Number,Forename,Surname\n1001,Ada,Lovelace\n\n1002,Alan,Turing\n"
    [table] = read_extract(data, "people.csv", "people")
    assert table.headings == ["Employee Number", "Forename", "Surname"]
    assert [n for n, _ in table.rows] == [2, 4]


def test_csv_needs_to_say_what_it_holds():
    with pytest.raises(ExtractError, match="posts, people or assignments"):
        read_extract(b"a,b\n1,2\n", "x.csv", None)
    with pytest.raises(ExtractError, match="CSV file"):
        read_extract(b"anything", "x.pdf", "people")


def test_semicolon_csv_and_excel_bom_are_read():
    data = "\ufeffStaff number;First name\n7;Grace\n".encode()
    [table] = read_extract(data, "p.csv", "people")
    assert table.headings == ["Staff number", "First name"]
    assert list(table.records()) == [(2, {"Staff number": "7", "First name": "Grace"})]


def test_workbook_sheets_are_read_in_dependency_order():
    data = xlsx(
        {
            "Assignments": [["Staff number", "Post number", "From"], ["1", "P1", dt.datetime(2014, 4, 1)]],
            "Notes": [["anything"]],
            "posts": [["Post number", "Job title", "Service"], ["P1", "Director", "legal"]],
        }
    )
    tables = read_extract(data, "extract.xlsx")
    assert [t.kind for t in tables] == ["posts", "assignments"]
    assert tables[1].rows[0][1][2] == dt.datetime(2014, 4, 1)


def test_a_single_unnamed_sheet_is_the_chosen_kind_and_rubbish_is_refused():
    data = xlsx({"Sheet1": [["Post number"], ["P1"]]})
    assert [t.kind for t in read_extract(data, "x.xlsx", "posts")] == ["posts"]
    with pytest.raises(ExtractError, match="sheets"):
        read_extract(data, "x.xlsx", None)
    with pytest.raises(ExtractError, match="not an Excel workbook"):
        read_extract(b"not a zip", "x.xlsx", "posts")


def test_headings_are_matched_by_name_label_or_common_alias():
    mapping = auto_map(
        "people", ["Employee Number", "FORENAME", "Surname", "Employer code", "Start", "Notes"]
    )
    assert mapping == {
        "staff_number": "Employee Number",
        "first_name": "FORENAME",
        "last_name": "Surname",
        "employer": "Employer code",
        "started_on": "Start",
    }
    assert check_mapping("people", ["Employee Number"], {"staff_number": "Employee Number"}) == {
        "first_name": "Choose the column that holds first name.",
        "last_name": "Choose the column that holds last name.",
        "employer": "Choose the column that holds employing partner.",
        "started_on": "Choose the column that holds start date.",
    }
    problems = check_mapping(
        "posts",
        ["A", "Grade", "FTE"],
        {"post_number": "Missing", "title": "A", "service": "A", "grade": "Grade", "fte": "FTE"},
    )
    assert problems == {
        "post_number": "The file has no column headed 'Missing'.",
        "budgeted_cost": "Choose the column that holds budgeted annual cost.",
        "starts_on": "Choose the column that holds established on.",
    }


def test_cells_are_converted_and_bad_ones_named():
    mapping = {
        "post_number": "Post",
        "title": "Title",
        "service": "Svc",
        "fte": "FTE",
        "budgeted_cost": "Pay",
        "grade": "Grade",
        "responsibilities": "Duties",
        "is_senior_management": "SMT",
        "starts_on": "From",
    }
    values, problems = parse_row(
        "posts",
        {
            "Post": 123.0,
            "Title": " Head of Legal ",
            "Svc": "legal",
            "FTE": "0.5",
            "Pay": "£82,500",
            "Grade": "PO3",
            "Duties": "",
            "SMT": "Yes",
            "From": "01/04/2014",
        },
        mapping,
    )
    assert problems == []
    assert values == {
        "post_number": "123",
        "title": "Head of Legal",
        "service": "legal",
        "fte": Decimal("0.5"),
        "budgeted_cost": Decimal("82500"),
        "grade": "PO3",
        "responsibilities": None,  # mapped but empty: cleared
        "is_senior_management": True,
        "starts_on": dt.date(2014, 4, 1),
    }
    _, problems = parse_row(
        "posts",
        {
            "Post": "",
            "Title": "T",
            "Svc": "x",
            "FTE": "half",
            "Pay": "12,5OO",
            "Grade": "G",
            "SMT": "maybe",
            "From": "31/02/2014",
        },
        mapping,
    )
    assert problems == [
        "Post number is missing",
        "FTE: 'half' is not a number",
        "Budgeted annual cost: '12,5OO' is not a number",
        "Senior management: 'maybe' is not yes or no",
        "Established on: '31/02/2014' is not a date: write it like 2014-04-01 or 01/04/2014",
    ]
