"""The one CSV reader and writer: what they refuse, how rows of the wrong width come out, formula cells."""

from __future__ import annotations

import io

import pytest

from onesource.core.csvio import MAX_CSV_BYTES, CsvFileError, csv_writer, neutralise, read_csv


def test_reads_utf8_with_a_byte_order_mark_and_sniffs_semicolons():
    table = read_csv("\ufeffname;amount\nCafé;1,50\n".encode())
    assert table.header == ["name", "amount"]
    assert table.rows[0].cells == ["Café", "1,50"]
    assert table.rows[0].number == 2


def test_falls_back_to_windows_1252_as_excel_writes_it():
    table = read_csv("name,amount\nCafé,£5\n".encode("cp1252"))
    assert table.rows[0].cells == ["Café", "£5"]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "empty"),
        (b"  \r\n\r\n", "empty"),
        (b"PK\x03\x04\x00\x00binary", "binary"),
        (b"a,b\n\x81\x8d\x8f,x\n", "cannot be read"),
        (b"a,b\n\x01\x02,x\n", "control characters"),
        (b"a,b\n" + b"x" * 110_000 + b",y\n", "longer than"),
        (b'a,b\n"unterminated,' + b"x" * 200_000 + b"\n", "not valid CSV near row 2"),
    ],
)
def test_refuses_what_is_not_csv_text_with_a_message(data, message):
    with pytest.raises(CsvFileError, match=message):
        read_csv(data)


def test_refuses_a_file_over_the_size_limit():
    with pytest.raises(CsvFileError, match="larger than 10 MB"):
        read_csv(b"a,b\n" + b"1,2\n" * (MAX_CSV_BYTES // 4 + 1))


def test_a_row_of_the_wrong_width_carries_a_problem_and_blank_rows_are_skipped():
    table = read_csv(b"kind,amount,cost_centre\nbudget,\xc2\xa31,250.00,LG1\n\nbudget,5\nbudget,5,X\n")
    assert [r.number for r in table.rows] == [2, 4, 5]
    assert "4 fields but the header has 3" in table.rows[0].problem
    assert "2 fields but the header has 3" in table.rows[1].problem
    assert table.rows[2].problem == ""


@pytest.mark.parametrize(
    ("cell", "written"),
    [
        ('=HYPERLINK("http://x")', '\'=HYPERLINK("http://x")'),
        ("@SUM(1+1)", "'@SUM(1+1)"),
        ("+44 20 7946 0000", "'+44 20 7946 0000"),
        ("-2+3", "'-2+3"),
        ("\tx", "'\tx"),
        ("-12.50", "-12.50"),
        ("+1,250.00", "+1,250.00"),
        ("plain", "plain"),
        (-3, -3),
    ],
)
def test_formula_cells_are_neutralised_and_numbers_left_alone(cell, written):
    assert neutralise(cell) == written


def test_the_writer_neutralises_every_text_cell():
    out = io.StringIO()
    csv_writer(out, lineterminator="\n").writerow(["=1+1", "ok", 5])
    assert out.getvalue() == "'=1+1,ok,5\n"


def test_list_page_csv_export_neutralises_formula_cells(partnership, make_user, client_for):
    from onesource.core import actions
    from onesource.core.roles import Role

    actions.update_partner(
        partnership["HAV"], name='=HYPERLINK("http://x")', acting_user=partnership["system"]
    )
    manager = client_for(make_user(Role.SHARED_SERVICE_MANAGER))
    body = b"".join(manager.get("/partners/?format=csv").streaming_content).decode()
    assert "'=HYPERLINK" in body
    assert "\n=HYPERLINK" not in body and ",=HYPERLINK" not in body
