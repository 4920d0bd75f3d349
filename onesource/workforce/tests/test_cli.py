"""`onesource workforce headcount|figures|series` read through scoping and print JSON or a table."""

from __future__ import annotations

import json
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from onesource.core.roles import Role


def run(*args: str) -> str:
    out = StringIO()
    call_command("workforce", *args, stdout=out)
    return out.getvalue()


def test_headcount_json(workforce):
    data = json.loads(run("headcount", "--date", "2014-04-01", "--json"))
    assert data["date"] == "2014-04-01"
    assert data["headcount"] == 3
    assert data["fte"] == "2.50"
    assert data["by_partner"] == {"HAV": 1, "NEW": 2}
    assert data["by_contract_type"] == {"agency": 1, "permanent": 2}


def test_headcount_for_one_partner_and_as_a_user(workforce, make_user):
    assert (
        json.loads(run("headcount", "--date", "2014-04-01", "--partner", "hav", "--json"))["headcount"] == 1
    )
    officer = make_user(Role.PARTNER_OFFICER, "BEX")
    assert (
        json.loads(run("headcount", "--date", "2014-04-01", "--as", officer.username, "--json"))["headcount"]
        == 0
    )
    table = run("headcount", "--date", "2014-04-01")
    assert "Headcount" in table and "Employed by NEW" in table


def test_figures_and_series(workforce):
    data = json.loads(run("figures", "--from", "2014-04-01", "--to", "2015-03-31", "--json"))
    assert data["leavers"] == 2 and data["agency_cost"] == "36500.00"
    rows = json.loads(run("series", "--from", "2014-04-01", "--to", "2014-06-30", "--json"))
    assert [r["headcount"] for r in rows] == [3, 3, 3]


def test_bad_input_is_a_clear_error(workforce):
    with pytest.raises(CommandError, match="not a date"):
        run("headcount", "--date", "31/03/2019")
    with pytest.raises(CommandError, match="No partner"):
        run("headcount", "--date", "2019-03-31", "--partner", "ZZZ")
    with pytest.raises(CommandError, match="must not be before"):
        run("figures", "--from", "2019-03-31", "--to", "2018-03-31")
