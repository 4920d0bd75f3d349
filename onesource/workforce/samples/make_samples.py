"""Write the sample HR/payroll extract: `python -m onesource.workforce.samples.make_samples`.

A small legal team in the demo's shared Legal Services: posts, people and assignments, as one
XLSX workbook (a sheet per kind) and as three CSV files with the same rows. Deterministic.
"""

from __future__ import annotations

import csv
import io
import random
from pathlib import Path

from openpyxl import Workbook

HERE = Path(__file__).resolve().parent

POST_HEADINGS = [
    "Post number",
    "Job title",
    "Service code",
    "Grade",
    "FTE",
    "Budgeted annual cost",
    "Senior management",
    "Funded by",
    "Reports to (post number)",
    "Responsibilities",
    "Established on",
]
PEOPLE_HEADINGS = [
    "Staff number",
    "First name",
    "Last name",
    "Employing partner",
    "Start date",
    "Leaving date",
    "Leaving reason",
    "Contract type",
]
ASSIGNMENT_HEADINGS = ["Staff number", "Post number", "From", "To", "FTE", "Salary"]

# (post number, title, grade, salary, reports to, senior)
TEAM = [
    ("LGL-001", "Director of Legal and Governance", "Director", 118000, "", True),
    ("LGL-002", "Head of Litigation", "Senior 2", 84000, "LGL-001", True),
    ("LGL-003", "Head of Property and Contracts Law", "Senior 2", 82000, "LGL-001", True),
    ("LGL-004", "Principal Litigation Lawyer", "PO8", 61000, "LGL-002", False),
    ("LGL-005", "Senior Litigation Lawyer", "PO6", 52000, "LGL-002", False),
    ("LGL-006", "Litigation Lawyer", "PO4", 45000, "LGL-004", False),
    ("LGL-007", "Principal Property Lawyer", "PO8", 60500, "LGL-003", False),
    ("LGL-008", "Contracts Lawyer", "PO4", 44500, "LGL-007", False),
    ("LGL-009", "Paralegal", "SO2", 33000, "LGL-004", False),
    ("LGL-010", "Legal Assistant", "Scale 6", 29000, "LGL-007", False),
]
FIRST = ["Amara", "Ben", "Chloe", "Dev", "Elif", "Femi", "Grace", "Hugo", "Isla", "Jamal", "Kofi", "Lena"]
LAST = ["Achebe", "Brennan", "Chowdhury", "Doyle", "Eze", "Fraser", "Gupta", "Hart", "Iqbal", "Jones"]


def rows() -> dict[str, list[list[str]]]:
    rng = random.Random(20140401)
    posts, people, assignments = [], [], []
    for index, (number, title, grade, salary, reports_to, senior) in enumerate(TEAM, start=1):
        fte = "0.5" if number == "LGL-010" else "1"
        cost = round(salary * float(fte) * 1.3)  # salary plus about 30% on-costs
        posts.append(
            [
                number,
                title,
                "legal",
                grade,
                fte,
                f"{cost:.2f}",
                "Yes" if senior else "No",
                "SHARED",
                reports_to,
                f"{title}: legal advice and casework for the partners",
                "01/04/2014",
            ]
        )
        staff = f"LGL{index:04d}"
        employer = "NEW" if index % 2 else "HAV"
        started = f"2014-{rng.randint(4, 9):02d}-{rng.randint(1, 28):02d}"
        people.append(
            [
                staff,
                FIRST[index],
                LAST[index - 1],
                employer,
                started,
                "",
                "",
                "interim" if index == 6 else "permanent",
            ]
        )
        assignments.append([staff, number, started, "", fte, f"{salary:.2f}"])
    # One person who left: their assignment ends on their last day.
    people.append(
        ["LGL0011", "Lena", "Jones", "HAV", "2014-04-01", "2017-08-31", "Resignation", "fixed_term"]
    )
    assignments.append(["LGL0011", "LGL-009", "2014-04-01", "2017-08-31", "1", "31000.00"])
    return {"posts": posts, "people": people, "assignments": assignments}


HEADINGS = {"posts": POST_HEADINGS, "people": PEOPLE_HEADINGS, "assignments": ASSIGNMENT_HEADINGS}


def csv_text(kind: str, data: dict[str, list[list[str]]]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(HEADINGS[kind])
    writer.writerows(data[kind])
    return out.getvalue()


def workbook_bytes(data: dict[str, list[list[str]]]) -> bytes:
    book = Workbook()
    book.remove(book.active)
    for kind in ("posts", "people", "assignments"):
        sheet = book.create_sheet(kind)
        sheet.append(HEADINGS[kind])
        for row in data[kind]:
            sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def main() -> None:
    data = rows()
    for kind in HEADINGS:
        (HERE / f"{kind}.csv").write_text(csv_text(kind, data), encoding="utf-8")
    (HERE / "extract.xlsx").write_bytes(workbook_bytes(data))
    print(f"Wrote {', '.join(f'{k}.csv' for k in HEADINGS)} and extract.xlsx to {HERE}")


if __name__ == "__main__":
    main()
