"""The employee search is answered from the search indexes (migration 0002) on SQLite and PostgreSQL."""

from __future__ import annotations

import pytest
from django.db import connection

from onesource.workforce.filters import EmployeeFilter
from onesource.workforce.models import Employee


def plan_of(queryset) -> str:
    sql, params = queryset.query.sql_with_params()
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # A handful of test rows would be read whole; ask how it would find them in a big table.
            cursor.execute("SET LOCAL enable_seqscan = off")
            cursor.execute(f"EXPLAIN {sql}", params)
        else:
            cursor.execute(f"EXPLAIN QUERY PLAN {sql}", params)
        return "\n".join(str(row) for row in cursor.fetchall())


@pytest.mark.parametrize("typed", ["exa", "Ann", "e4", "ann exa"])
def test_search_reads_the_indexes_and_finds_the_same_people(workforce, typed):
    found = EmployeeFilter(data={"q": typed}, queryset=Employee.objects.all()).qs
    plan = plan_of(found.values("pk"))
    assert "workforce_employee_last_name_search" in plan or "workforce_employee_first_name_search" in plan
    if " " not in typed:
        assert "workforce_employee_staff_number_search" in plan
    # Case does not matter, as before the indexes.
    same = EmployeeFilter(data={"q": typed.swapcase()}, queryset=Employee.objects.all()).qs
    assert sorted(found.values_list("staff_number", flat=True)) == sorted(
        same.values_list("staff_number", flat=True)
    )
    assert found.exists()
