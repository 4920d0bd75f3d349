"""Savings pages and API: scoping (anonymous refused, other partner's line 404, own partner's share only),
forms through actions, CSV, and 201/422 from the API."""

import json
from decimal import Decimal

import pytest

from onesource.savings import actions
from onesource.savings.models import SavingsLine, SavingsLineShare

D = Decimal
pytestmark = pytest.mark.django_db


@pytest.fixture
def amounts(shared_line, partnership):
    actions.set_savings_amount(
        shared_line, year=2015, planned=D("1000.01"), delivered=D("500.01"), acting_user=partnership["system"]
    )
    return shared_line


def test_anonymous_is_sent_to_sign_in(client_for, case):
    for path in ("/savings/", "/savings/lines/", "/savings/cases/bc/"):
        response = client_for(None).get(path)
        assert response.status_code == 302 and "/sign-in/" in response["Location"]
    assert client_for(None).get("/api/savings/lines").status_code == 401


def test_another_partners_line_is_404_and_own_partner_sees_only_its_share(
    client_for, make_user, amounts, new_only_line
):
    havering = client_for(make_user("committee_member", "HAV"))
    assert havering.get(f"/savings/lines/{new_only_line.pk}/").status_code == 404
    assert havering.get(f"/api/savings/lines/{new_only_line.pk}").status_code == 404
    page = havering.get(f"/savings/lines/{amounts.pk}/")
    assert page.status_code == 200
    text = page.content.decode()
    assert "HAV planned / delivered" in text and "£500.00 / £250.00" in text
    assert "NEW planned" not in text and "Newham: 50" not in text
    listing = havering.get("/savings/lines/").content.decode()
    assert "aud-01" in listing and "sch-01" not in listing


def test_newham_sees_both_lines_and_its_own_share(client_for, make_user, amounts, new_only_line):
    newham = client_for(make_user("partner_officer", "NEW"))
    assert newham.get(f"/savings/lines/{new_only_line.pk}/").status_code == 200
    text = newham.get(f"/savings/lines/{amounts.pk}/").content.decode()
    # 1,000.01 planned splits 500.01 / 500.00; 500.01 delivered 250.01 / 250.00, the spare penny to Newham.
    assert "£500.01 / £250.01" in text and "HAV planned" not in text


def test_the_dashboard_shows_totals_and_only_the_readers_partners(
    client_for, make_user, amounts, new_only_line
):
    havering = client_for(make_user("committee_member", "HAV"))
    response = havering.get("/savings/")
    assert response.status_code == 200
    text = response.content.decode()
    assert "£40,000,000" in text
    by_partner = text[text.index("By partner") :]
    assert "Havering" in by_partner and "Newham" not in by_partner
    manager = client_for(make_user("shared_service_manager"))
    by_partner = manager.get("/savings/").content.decode().split("By partner")[1]
    assert "Havering" in by_partner and "Newham" in by_partner
    # Havering's attributed share only, never the whole line's 500.01 (Newham's would follow from it).
    assert response.context["summary"].partner_view
    assert response.context["summary"].total.delivered == D("250.00")
    assert "500.01" not in text and "Your share delivered" in text
    whole = manager.get("/savings/").context["summary"]
    assert not whole.partner_view and whole.total.delivered == D("7500.01")  # both lines, whole


def test_csv_of_the_lines_the_reader_may_see(client_for, make_user, amounts, new_only_line):
    response = client_for(make_user("partner_officer", "HAV")).get("/savings/lines/?format=csv")
    body = b"".join(response.streaming_content).decode()
    rows = body.strip().splitlines()
    assert rows[0].startswith("Reference,Saving,Service,Lever,Status")
    assert len(rows) == 2 and rows[1].startswith("aud-01,Audit restructure")


def test_a_partner_user_cannot_open_the_forms(client_for, make_user, shared_line):
    officer = client_for(make_user("finance_officer", "HAV"))
    assert officer.get("/savings/lines/new/").status_code == 403
    assert officer.get(f"/savings/lines/{shared_line.pk}/shares/").status_code == 403


def test_the_shares_form_refuses_a_bad_total_and_saves_a_good_one(client_for, make_user, shared_line):
    manager = client_for(make_user("shared_service_manager"))
    url = f"/savings/lines/{shared_line.pk}/shares/"
    response = manager.post(url, {"partner_NEW": "70", "partner_HAV": "20"})
    assert response.status_code == 200
    assert "The percentages add up to 90%, not 100%." in response.content.decode()
    response = manager.post(url, {"partner_NEW": "70", "partner_HAV": "20", "partner_BEX": "10"})
    assert response.status_code == 302
    assert dict(
        SavingsLineShare.objects.filter(line=shared_line).values_list("partner__code", "percent")
    ) == {
        "NEW": D("70"),
        "HAV": D("20"),
        "BEX": D("10"),
    }


def test_creating_a_line_and_its_amounts_through_the_pages(client_for, make_user, case, partnership):
    manager = client_for(make_user("shared_service_manager"))
    response = manager.post(
        "/savings/lines/new/",
        {
            "business_case": case.pk,
            "reference": "new-01",
            "title": "A new saving",
            "service": partnership["shared"].pk,
            "lever": "procurement",
            "status": "planned",
        },
    )
    line = SavingsLine.objects.get(reference="new-01")
    assert response.status_code == 302 and response["Location"] == line.get_absolute_url()
    response = manager.post(
        f"/savings/lines/{line.pk}/amounts/", {"year": "2016", "planned": "1234.56", "delivered": "-1"}
    )
    assert response.status_code == 200 and "govuk-error-summary" in response.content.decode()
    manager.post(
        f"/savings/lines/{line.pk}/amounts/", {"year": "2016", "planned": "1234.56", "delivered": "12"}
    )
    assert list(line.amounts.values_list("year", "planned", "delivered")) == [(2016, D("1234.56"), D("12"))]


def test_every_page_renders_for_the_manager(client_for, make_user, amounts):
    manager = client_for(make_user("shared_service_manager"))
    for path in (
        "/savings/",
        "/savings/lines/",
        "/savings/cases/new/",
        "/savings/cases/bc/",
        "/savings/cases/bc/edit/",
        "/savings/cases/bc/targets/",
        "/savings/lines/new/",
        f"/savings/lines/{amounts.pk}/",
        f"/savings/lines/{amounts.pk}/edit/",
        f"/savings/lines/{amounts.pk}/amounts/?year=2015",
        f"/savings/lines/{amounts.pk}/shares/",
    ):
        assert manager.get(path).status_code == 200, path


def test_the_dashboard_says_when_there_is_no_business_case(client_for, make_user, partnership):
    response = client_for(make_user("shared_service_manager")).get("/savings/")
    assert "There is no business case yet." in response.content.decode()


# API


def post(client, path, data, method="post"):
    return getattr(client, method)(path, data=json.dumps(data), content_type="application/json")


def test_api_creates_a_line_with_201_and_refuses_bad_input_with_422(
    token_client_for, make_user, case, partnership
):
    api = token_client_for(make_user("shared_service_manager"))
    payload = {
        "business_case": "bc",
        "reference": "api-01",
        "title": "From the API",
        "service": "audit",
        "lever": "deduplication",
    }
    response = post(api, "/api/savings/lines", payload)
    assert response.status_code == 201, response.content
    line_id = response.json()["id"]
    assert response.json()["service"] == "audit"

    response = post(api, "/api/savings/lines", {**payload, "reference": "api-02", "lever": "luck"})
    assert response.status_code == 422 and "lever" in response.json()["errors"]
    response = post(api, "/api/savings/lines", {**payload, "reference": "api-03", "service": "nope"})
    assert response.status_code == 422 and response.json()["errors"]["service"] == [
        "No service with code 'nope'."
    ]

    response = post(
        api, f"/api/savings/lines/{line_id}/shares", {"percentages": {"NEW": "50", "HAV": "49.99"}}, "put"
    )
    assert response.status_code == 422
    assert response.json()["errors"]["percentages"] == ["The percentages add up to 99.99%, not 100%."]
    response = post(
        api, f"/api/savings/lines/{line_id}/shares", {"percentages": {"NEW": "50", "HAV": "50"}}, "put"
    )
    assert response.status_code == 200
    response = post(api, f"/api/savings/lines/{line_id}/amounts", {"year": 2015, "planned": "0.03"}, "put")
    assert response.status_code == 200
    assert SavingsLine.objects.filter(reference__startswith="api-").count() == 1


def test_api_attribution_and_summary_show_only_the_callers_partner(
    token_client_for, client_for, make_user, amounts
):
    reader = make_user("committee_member", "HAV")
    api = token_client_for(reader)
    [year] = api.get(f"/api/savings/lines/{amounts.pk}/attribution").json()
    assert year["how"] == "explicit percentages"
    assert year["partners"] == [{"partner": "HAV", "planned": "500.00", "delivered": "250.00"}]
    summary = api.get("/api/savings/business-cases/bc/summary").json()
    assert [p["name"] for p in summary["by_partner"]] == ["HAV"]
    assert summary["total"]["delivered"] == "250.00" and summary["attributed_to"] == ["HAV"]
    assert year["planned"] == "500.00" and year["delivered"] == "250.00"  # its share, not the line's
    [line] = api.get("/api/savings/lines").json()["items"]
    assert line["amounts"] == [{"year": 2015, "planned": "500.00", "delivered": "250.00"}]
    page = client_for(reader).get(f"/savings/lines/{amounts.pk}/").content.decode()
    assert "Your share delivered" in page and "500.01" not in page and "1,000.01" not in page
    manager = token_client_for(make_user("shared_service_manager"))
    [line] = manager.get("/api/savings/lines").json()["items"]
    assert line["amounts"] == [{"year": 2015, "planned": "1000.01", "delivered": "500.01"}]
    assert manager.get("/api/savings/business-cases/bc/summary").json()["attributed_to"] is None


def test_api_refuses_changes_from_a_partner_user(token_client_for, make_user, shared_line):
    api = token_client_for(make_user("finance_officer", "HAV"))
    response = post(api, f"/api/savings/lines/{shared_line.pk}", {"status": "dropped"}, "patch")
    assert response.status_code == 403
    assert (
        post(
            api, "/api/savings/business-cases", {"code": "x", "name": "x", "first_year": 2020, "target": "1"}
        ).status_code
        == 403
    )


def _queries(client, path):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        assert client.get(path).status_code == 200
    return len(captured)


def test_list_dashboard_and_line_pages_do_not_query_per_row(client_for, make_user, case, partnership):
    u = partnership["system"]
    manager = client_for(make_user("shared_service_manager"))

    def add_lines(start, count):
        for n in range(start, start + count):
            line = actions.create_savings_line(
                business_case=case,
                reference=f"q-{n}",
                title=f"Line {n}",
                service=partnership["shared"],
                lever="other",
                acting_user=u,
            )
            actions.set_line_shares(line, percentages={partnership["NEW"]: D("100")}, acting_user=u)
            actions.set_savings_amount(line, year=2015, planned=D("10"), delivered=D("5"), acting_user=u)

    add_lines(0, 2)
    few = [_queries(manager, path) for path in ("/savings/lines/", "/savings/", "/api/savings/lines")]
    add_lines(2, 8)
    many = [_queries(manager, path) for path in ("/savings/lines/", "/savings/", "/api/savings/lines")]
    assert many == few


def test_the_committee_report_shows_a_partner_reader_its_share_and_no_partnership_total(make_user, amounts):
    import datetime as dt

    from django.template.loader import render_to_string

    from onesource.core.models import Partner
    from onesource.savings.report import savings_section

    havering = Partner.objects.get(code="HAV")

    def rendered(user):
        content = savings_section(havering, dt.date(2015, 4, 1), dt.date(2016, 3, 31), user)
        assert content is not None
        html = render_to_string(content.template, {**content.context, "partner": havering})
        return html, [s.name for s in content.charts[0].series]

    html, series = rendered(make_user("committee_member", "HAV"))
    assert "£250" in html and "£500 has been delivered in all" not in html
    assert "Partnership delivered to date (£m)" not in series
    html, series = rendered(make_user("shared_service_manager"))
    assert "£500 has been delivered in all" in html and "Partnership delivered to date (£m)" in series
