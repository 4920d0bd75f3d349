"""The business case list: totals over the lines the reader may see, filters, sorting, CSV, navigation."""

import csv
import io
from decimal import Decimal

import pytest

from onesource.savings import actions

pytestmark = pytest.mark.django_db


@pytest.fixture
def cases(case, shared_line, new_only_line, partnership):
    u = partnership["system"]
    actions.set_savings_amount(
        shared_line, year=2014, planned=Decimal("1000.01"), delivered=Decimal("500.01"), acting_user=u
    )
    actions.set_savings_amount(
        shared_line, year=2015, planned=Decimal("2000.00"), delivered=Decimal("0"), acting_user=u
    )
    later = actions.create_business_case(
        code="later", name="Later plan", first_year=2020, years=3, target=Decimal("900000"), acting_user=u
    )
    return {"bc": case, "later": later}


def rows_of(response):
    text = b"".join(response.streaming_content).decode()
    return list(csv.DictReader(io.StringIO(text)))


def test_newham_sees_its_own_share_over_both_its_lines(client_for, make_user, cases):
    newham = client_for(make_user("partner_officer", "NEW"))
    response = newham.get("/savings/cases/?format=csv")
    rows = {row["Code"]: row for row in rows_of(response)}
    # Its own line (7,000 planned and delivered) and its share of the shared line, never the whole line:
    # the shared line's total beside Newham's share would give Havering's away.
    assert "Planned (£)" not in rows["bc"]
    assert rows["bc"]["Your share: planned (£)"] == "8500.01"  # 7,000 + its split of 3,000.01
    assert rows["bc"]["Your share: delivered (£)"] == "7250.01"  # 7,000 + its split of 500.01
    assert rows["bc"]["Savings lines"] == "2"
    assert rows["bc"]["Years"] == "2014/15 to 2018/19"
    assert rows["later"]["Savings lines"] == "0" and rows["later"]["Your share: planned (£)"] == ""


def test_a_shared_service_reader_sees_the_whole_lines(client_for, make_user, cases):
    manager = client_for(make_user("shared_service_manager"))
    rows = {row["Code"]: row for row in rows_of(manager.get("/savings/cases/?format=csv"))}
    assert rows["bc"]["Planned (£)"] == "10000.01"  # money to the penny, on SQLite as on PostgreSQL
    assert rows["bc"]["Delivered (£)"] == "7500.01"


def test_havering_shares_leave_out_newhams_own_line(client_for, make_user, cases):
    havering = client_for(make_user("committee_member", "HAV"))
    rows = {row["Code"]: row for row in rows_of(havering.get("/savings/cases/?format=csv"))}
    assert rows["bc"]["Your share: planned (£)"] == "1500.00"
    assert rows["bc"]["Your share: delivered (£)"] == "250.00"
    assert rows["bc"]["Savings lines"] == "1"
    newham = rows_of(client_for(make_user("partner_officer", "NEW")).get("/savings/cases/?format=csv"))
    # The two shares of the shared line add up to it, to the penny.
    assert Decimal(rows["bc"]["Your share: delivered (£)"]) + Decimal(
        newham[0]["Your share: delivered (£)"]
    ) - Decimal("7000") == Decimal("500.01")


def test_list_page_filters_sorts_and_links(client_for, make_user, cases):
    manager = client_for(make_user("shared_service_manager"))
    page = manager.get("/savings/cases/")
    assert page.status_code == 200
    text = page.content.decode()
    assert 'href="/savings/cases/bc/"' in text and 'href="/savings/cases/later/"' in text
    assert "/savings/cases/new/" in text  # a manager may add one
    assert [c.code for c in page.context["page"].object_list] == ["bc", "later"]
    newest_first = manager.get("/savings/cases/?sort=-first_year").context["page"].object_list
    assert [c.code for c in newest_first] == ["later", "bc"]
    assert [c.code for c in manager.get("/savings/cases/?q=later").context["page"].object_list] == ["later"]
    assert [c.code for c in manager.get("/savings/cases/?first_year=2014").context["page"].object_list] == [
        "bc"
    ]
    empty = manager.get("/savings/cases/?q=nothing-like-this").content.decode()
    assert "No business cases match these filters." in empty
    officer = client_for(make_user("committee_member", "HAV")).get("/savings/cases/").content.decode()
    assert "/savings/cases/new/" not in officer


def test_anonymous_is_sent_to_sign_in(client_for, cases):
    response = client_for(None).get("/savings/cases/")
    assert response.status_code == 302 and "/sign-in/" in response["Location"]


def test_dashboard_and_header_link_to_the_list(client_for, make_user, cases):
    manager = client_for(make_user("shared_service_manager"))
    dashboard = manager.get("/savings/").content.decode()
    assert dashboard.count('href="/savings/cases/"') >= 2  # the dashboard's button and the sub-navigation
    listing = manager.get("/savings/cases/").content.decode()
    assert "Savings lines" in listing and 'href="/savings/lines/"' in listing
