"""The committee report's savings, strategy and road map sections for one partner: its figures only."""

import datetime as dt
from decimal import Decimal

import pytest
from django.template.loader import render_to_string

from onesource.core.reporting import REPORT_SECTIONS, SectionContent, report_sections
from onesource.savings import actions as savings_actions
from onesource.strategy import actions

d = dt.date
D = Decimal
pytestmark = pytest.mark.django_db


def build(key, *args) -> SectionContent:
    content = REPORT_SECTIONS[key].build(*args)
    assert content is not None
    return content


def render(content):
    return render_to_string(content.template, content.context)


def test_the_sections_are_registered_in_report_order():
    keys = [s.key for s in report_sections()]
    assert keys.index("savings") < keys.index("strategy") < keys.index("roadmap")
    assert (
        REPORT_SECTIONS["savings"].order,
        REPORT_SECTIONS["strategy"].order,
        REPORT_SECTIONS["roadmap"].order,
    ) == (
        20,
        30,
        80,
    )


@pytest.fixture
def savings(partnership, monkeypatch):
    from onesource.core import shares

    monkeypatch.setattr(shares, "_SHARE_PROVIDERS", [])
    u = partnership["system"]
    case = savings_actions.create_business_case(
        code="bc", name="Business case", first_year=2019, years=3, target=D("3000"), acting_user=u
    )
    savings_actions.set_year_target(case, year=2020, target=D("1000"), acting_user=u)
    shared = savings_actions.create_savings_line(
        business_case=case,
        reference="s1",
        title="Shared saving",
        service=partnership["shared"],
        lever="agency_interim",
        status="delivered",
        acting_user=u,
    )
    savings_actions.set_line_shares(
        shared, percentages={partnership["NEW"]: D("60"), partnership["HAV"]: D("40")}, acting_user=u
    )
    savings_actions.set_savings_amount(
        shared, year=2020, planned=D("1000"), delivered=D("900"), acting_user=u
    )
    own = savings_actions.create_savings_line(
        business_case=case,
        reference="s2",
        title="Newham's own saving",
        service=partnership["own"],
        lever="procurement",
        status="planned",
        acting_user=u,
    )
    savings_actions.set_line_shares(own, percentages={partnership["NEW"]: D("100")}, acting_user=u)
    savings_actions.set_savings_amount(own, year=2020, planned=D("777"), delivered=D("555"), acting_user=u)
    return case


def test_the_savings_section_gives_havering_its_share_and_none_of_newhams(savings, partnership, make_user):
    member = make_user("committee_member", "HAV")
    content = build("savings", partnership["HAV"], d(2020, 4, 1), d(2021, 8, 31), member)
    share = content.context["summary"]
    # Havering's 40% of the shared line: 400 planned, 360 delivered. Newham's own line is not in it.
    assert (share.total.planned, share.total.delivered) == (D("400.00"), D("360.00"))
    assert [label for label, _ in share.by_lever] == ["Agency and interim reduction"]
    assert content.context["whole"].total.delivered == D(
        "900"
    )  # the partnership's, from lines Havering receives
    assert len(content.charts) == 2
    html = render(content)
    assert "£360" in html and "Agency and interim reduction" in html
    assert "£555" not in html and "Procurement" not in html and "Newham" not in html


def test_the_manager_producing_havering_s_report_gets_the_same_havering_figures(
    savings, partnership, make_user
):
    manager = make_user("shared_service_manager")
    content = build("savings", partnership["HAV"], d(2020, 4, 1), d(2021, 8, 31), manager)
    assert content.context["summary"].total.delivered == D("360.00")
    assert [p.code for p, _, _ in content.context["summary"].by_partner] == ["HAV"]


def test_no_business_case_means_no_savings_section(partnership, make_user):
    assert (
        REPORT_SECTIONS["savings"].build(
            partnership["HAV"], d(2020, 4, 1), d(2021, 8, 31), make_user("committee_member", "HAV")
        )
        is None
    )


def test_the_strategy_section_shows_havering_its_deliverables_and_rag(projects, partnership, make_user):
    member = make_user("committee_member", "HAV")
    content = build("strategy", partnership["HAV"], d(2020, 4, 1), d(2021, 8, 31), member)
    names = [p.name for p in content.context["key_deliverables"]]
    assert names == ["Budgetary plan", "Audit review"]
    assert content.context["rag"] == {"red": 0, "amber": 1, "green": 1, "complete": 0}
    assert [m.name for m in content.context["completed_milestones"]] == ["Scoping done"]
    html = render(content)
    assert (
        "Waiting on both boroughs." in html and "Schools finance" not in html and "Supplier late" not in html
    )


def test_the_manager_producing_havering_s_report_leaves_out_newham_only_projects(
    projects, partnership, make_user
):
    content = build(
        "strategy", partnership["HAV"], d(2020, 4, 1), d(2021, 8, 31), make_user("shared_service_manager")
    )
    assert "Schools finance system" not in [p.name for p in content.context["key_deliverables"]]
    newham = build(
        "strategy", partnership["NEW"], d(2020, 4, 1), d(2021, 8, 31), make_user("shared_service_manager")
    )
    assert "Schools finance system" in [p.name for p in newham.context["key_deliverables"]]


def test_the_road_map_section_shows_the_year_of_the_period_end_and_what_comes_next(
    projects, partnership, make_user
):
    member = make_user("committee_member", "HAV")
    content = build("roadmap", partnership["HAV"], d(2020, 4, 1), d(2021, 8, 31), member)
    assert content.context["roadmap"].label == "2021-22"
    assert [p.name for p in content.context["enablers"]] == ["Budgetary plan"]
    assert [m.name for m in content.context["upcoming"]] == ["Draft plan"]
    html = render(content)
    assert "Road map 2021-22" in html and "Audit review" in html and "Schools finance" not in html


def test_no_strategy_for_the_period_means_no_strategy_sections(projects, partnership, make_user):
    member = make_user("committee_member", "HAV")
    assert (
        REPORT_SECTIONS["strategy"].build(partnership["HAV"], d(2015, 4, 1), d(2016, 3, 31), member) is None
    )
    assert REPORT_SECTIONS["roadmap"].build(partnership["HAV"], d(2015, 4, 1), d(2016, 3, 31), member) is None


def test_strategy_links_to_savings_lines_without_importing_savings(savings, projects, partnership, make_user):
    line = savings.lines.get(reference="s1")
    actions.update_project(projects["audit"], savings_lines=[line], acting_user=partnership["system"])
    from django.test import Client

    client = Client()
    client.force_login(make_user("committee_member", "HAV"))
    page = client.get("/strategy/projects/audit-review/").content.decode()
    assert "s1: Shared saving" in page
