"""Transparency Code datasets from the database: by partner, on a date, as pages, CSV, API and CLI."""

import datetime as dt
import json
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command

from onesource.core.roles import Role
from onesource.workforce import actions

D = dt.date
ON = "2019-03-31"


@pytest.fixture
def establishment(partnership):
    """A shared audit service: a chief, a director, a head, two team posts, a vacancy; NEW and HAV staff.

    NEW employs (salaries): chief 160,000; director 120,000; head 54,999.99; auditor 30,000; clerk 25,000;
    and a former officer who left in 2018 on 200,000. HAV employs one manager on 155,000.
    """
    u = partnership["system"]
    audit = partnership["shared"]

    def post(ref, title, reports_to=None, grade="PO3"):
        return actions.create_post(
            service=audit,
            reference=ref,
            title=title,
            grade=grade,
            fte=Decimal("1"),
            budgeted_annual_cost=Decimal("50000"),
            responsibilities=f"{title} duties",
            reports_to=reports_to,
            starts_on=D(2014, 4, 1),
            acting_user=u,
        )

    chief = post("P-CEO", "Managing Director", grade="Chief")
    director = post("P-DIR", "Director of Audit", chief, grade="Director")
    post("P-VAC", "Director of Risk", chief, grade="Director")
    head = post("P-HEAD", "Head of Audit", director)
    hav_post = post("P-HAV", "Audit Manager (Havering)", director)
    auditor = post("P-AUD", "Auditor", head)
    clerk = post("P-CLK", "Audit Clerk", head)
    old = post("P-OLD", "Former Adviser", chief)
    # A head of risk post deleted in 2016; its analyst still reports to it on paper.
    gone = post("P-GONE", "Head of Risk", director)
    post("P-ORPH", "Risk Analyst", gone)
    actions.update_post(gone, ends_on=D(2016, 3, 31), acting_user=u)

    def person(number, name, employer, post_, salary, left_on=None):
        first, last = name.split()
        employee = actions.create_employee(
            staff_number=number,
            first_name=first,
            last_name=last,
            employing_partner=partnership[employer],
            started_on=D(2014, 4, 1),
            acting_user=u,
        )
        actions.add_assignment(
            employee,
            post=post_,
            fte=Decimal("1"),
            salary=Decimal(salary),
            starts_on=D(2014, 4, 1),
            acting_user=u,
        )
        actions.add_contract_period(
            employee, contract_type="permanent", starts_on=D(2014, 4, 1), acting_user=u
        )
        if left_on:
            actions.record_leaver(employee, left_on=left_on, leaving_reason="retirement", acting_user=u)
        return employee

    person("N1", "Nia Chief", "NEW", chief, "160000")
    person("N2", "Dev Director", "NEW", director, "120000")
    person("N3", "Hal Head", "NEW", head, "54999.99")
    person("N4", "Ada Auditor", "NEW", auditor, "30000")
    person("N5", "Cal Clerk", "NEW", clerk, "25000")
    person("N6", "Old Timer", "NEW", old, "200000", left_on=D(2018, 6, 30))
    person("H1", "Hana Manager", "HAV", hav_post, "155000")
    return partnership


def test_senior_salaries_bands_names_and_partner(establishment):
    from onesource.workforce.transparency import senior_salaries

    system = establishment["system"]
    rows = senior_salaries(system, establishment["NEW"], D(2019, 3, 31))
    assert [(r.post_number, r.band.lower, r.name) for r in rows] == [
        ("P-CEO", Decimal("160000"), "Nia Chief"),  # £150,000 and over: named
        ("P-DIR", Decimal("120000"), ""),
        ("P-HEAD", Decimal("50000"), ""),  # 54,999.99 is in the £50,000 band
    ]
    assert rows[0].responsibilities == "Managing Director duties"
    assert rows[0].contract_type == "Permanent"
    # Before the former adviser left, their £200,000 post was listed, with the name.
    earlier = senior_salaries(system, establishment["NEW"], D(2018, 3, 31))
    assert earlier[0].post_number == "P-OLD" and earlier[0].name == "Old Timer"
    # HAV's dataset holds HAV's employee only.
    hav = senior_salaries(system, establishment["HAV"], D(2019, 3, 31))
    assert [(r.post_number, r.name) for r in hav] == [("P-HAV", "Hana Manager")]


def test_pay_multiple_hand_computed(establishment):
    from onesource.workforce.transparency import pay_multiple

    # NEW on 31 March 2019: 25,000 30,000 54,999.99 120,000 160,000 -> median 54,999.99;
    # 160,000 / 54,999.99 = 2.90909... -> 2.91
    result = pay_multiple(establishment["system"], establishment["NEW"], D(2019, 3, 31))
    assert result == {
        "date": "2019-03-31",
        "highest_salary": "160000.00",
        "median_salary": "54999.99",
        "pay_multiple": "2.91",
        "ratio": "1:2.91",
        "employees": 5,
    }


def test_org_chart_top_three_levels(establishment):
    from onesource.workforce.transparency import flatten, org_chart

    chart = org_chart(establishment["system"], establishment["NEW"], D(2019, 3, 31))
    flat = [
        (n.level, n.post.post_number, n.post.reports_to, n.post.holder, n.post.vacant) for n in flatten(chart)
    ]
    assert flat == [
        (1, "P-CEO", "", "Nia Chief", False),
        (2, "P-DIR", "P-CEO", "", False),
        (3, "P-HAV", "P-DIR", "Hana Manager", False),
        (3, "P-HEAD", "P-DIR", "", False),
        (3, "P-ORPH", "P-DIR", "", True),  # its deleted manager's line goes on to the director
        (2, "P-VAC", "P-CEO", "", True),
        (2, "P-OLD", "P-CEO", "", True),  # the holder left in 2018: vacant now
    ]
    # Auditor and clerk are at level 4: not in the chart.
    assert not {"P-AUD", "P-CLK"} & {n.post.post_number for n in flatten(chart)}


@pytest.fixture
def officers(establishment, make_user):
    return {
        "new": make_user(Role.PARTNER_OFFICER, "NEW"),
        "hav": make_user(Role.PARTNER_OFFICER, "HAV"),
        "manager": make_user(Role.SHARED_SERVICE_MANAGER),
    }


@pytest.mark.parametrize("dataset", ["senior-salaries", "org-chart", "pay-multiple"])
def test_pages_and_api_are_scoped_to_the_partner(officers, client_for, dataset):
    new_client, hav_client = client_for(officers["new"]), client_for(officers["hav"])
    page = f"/workforce/transparency/NEW/{dataset}/?date={ON}"
    api = f"/api/workforce/transparency/NEW/{dataset}?date={ON}"
    assert client_for(None).get(page).status_code == 302  # to sign in
    assert client_for(None).get(api).status_code == 401
    assert new_client.get(page).status_code == 200
    assert new_client.get(api).status_code == 200
    assert hav_client.get(page).status_code == 404
    assert hav_client.get(api).status_code == 404
    assert hav_client.get(f"/workforce/transparency/HAV/{dataset}/?date={ON}").status_code == 200
    assert client_for(officers["manager"]).get(api).status_code == 200


def test_senior_salaries_page_csv_and_api_agree(officers, client_for):
    client = client_for(officers["new"])
    page = client.get(f"/workforce/transparency/NEW/senior-salaries/?date={ON}").content.decode()
    assert "Nia Chief" in page and "£160,000 to £164,999" in page
    # A band and a post number each stay on one line.
    assert 'app-nowrap">£160,000 to £164,999<' in page and 'app-nowrap">P-CEO<' in page
    assert "Dev Director" not in page  # below £150,000: not named
    csv_text = client.get(
        f"/workforce/transparency/NEW/senior-salaries/?date={ON}&format=csv"
    ).content.decode()
    lines = csv_text.strip().splitlines()
    assert lines[0].startswith("Post number,Job title,Service,Responsibilities,Salary band from")
    assert lines[1].startswith(
        "P-CEO,Managing Director,Internal Audit,Managing Director duties,160000,164999.99"
    )
    assert len(lines) == 4
    body = client.get(f"/api/workforce/transparency/NEW/senior-salaries?date={ON}").json()
    assert body["partner"] == "NEW" and body["date"] == ON
    assert [(r["post_number"], r["salary_band_from"], r["name"]) for r in body["data"]] == [
        ("P-CEO", "160000", "Nia Chief"),
        ("P-DIR", "120000", ""),
        ("P-HEAD", "50000", ""),
    ]


def test_org_chart_page_draws_the_tree_and_api_nests_it(officers, client_for):
    client = client_for(officers["new"])
    page = client.get(f"/workforce/transparency/NEW/org-chart/?date={ON}").content.decode()
    assert 'class="app-org' in page and "Director of Audit" in page and "Audit Clerk" not in page
    body = client.get(f"/api/workforce/transparency/NEW/org-chart?date={ON}").json()
    [top] = body["data"]
    assert top["post_number"] == "P-CEO"
    assert [r["post_number"] for r in top["reports"]] == ["P-DIR", "P-VAC", "P-OLD"]
    assert [r["post_number"] for r in top["reports"][0]["reports"]] == ["P-HAV", "P-HEAD", "P-ORPH"]


def test_pay_multiple_page_shows_both_figures(officers, client_for):
    page = (
        client_for(officers["new"])
        .get(f"/workforce/transparency/NEW/pay-multiple/?date={ON}")
        .content.decode()
    )
    assert "£160,000.00" in page and "£54,999.99" in page and "1:2.91" in page
    index = client_for(officers["new"]).get("/workforce/transparency/").content.decode()
    assert "/workforce/transparency/NEW/pay-multiple/" in index
    assert "/workforce/transparency/HAV/" not in index


def test_a_bad_date_is_explained_and_the_default_used(officers, client_for):
    response = client_for(officers["new"]).get("/workforce/transparency/NEW/pay-multiple/?date=31-13-2019")
    assert response.status_code == 200
    assert "govuk-error-summary" in response.content.decode()
    api = client_for(officers["new"]).get("/api/workforce/transparency/NEW/pay-multiple?date=nope")
    assert api.status_code == 422


def test_cli_writes_the_csv_and_refuses_another_partner(officers, tmp_path):
    out = tmp_path / "pay.csv"
    call_command(
        "workforce", "transparency", "pay-multiple", "--partner", "NEW", "--date", ON, "-o", str(out)
    )
    assert out.read_text().splitlines() == [
        "Date,Employees,Highest salary (£),Median salary (£),Pay multiple",
        "2019-03-31,5,160000.00,54999.99,2.91",
    ]
    printed = StringIO()
    call_command(
        "workforce",
        "transparency",
        "senior-salaries",
        "--partner",
        "new",
        "--date",
        ON,
        "--json",
        stdout=printed,
    )
    assert [r["name"] for r in json.loads(printed.getvalue())["data"]] == ["Nia Chief", "", ""]
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="No partner 'NEW'"):
        call_command(
            "workforce", "transparency", "org-chart", "--partner", "NEW", "--as", officers["hav"].username
        )


def test_only_the_transparency_link_is_current_in_the_header(officers, client_for):
    page = client_for(officers["new"]).get("/workforce/transparency/").content.decode()
    assert page.count('aria-current="page"') == 1
    assert 'href="/workforce/transparency/" aria-current="page"' in page
