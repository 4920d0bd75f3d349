import datetime as dt
import re

import pytest
from auditlog.models import LogEntry

from onesource.core.models import Membership, Partner
from onesource.core.roles import Role


@pytest.fixture
def manager(partnership, make_user, client_for):
    return client_for(make_user(Role.SHARED_SERVICE_MANAGER, username="boss"))


def test_home_page_shows_real_figures(manager):
    html = manager.get("/").content.decode()
    assert (
        '<span class="app-figure__value">2</span><span class="app-figure__label">member councils now' in html
    )
    assert "Finance" in html
    assert "3 partners in all" in html


def test_home_page_of_a_partners_user_counts_one_partner_in_the_singular(partnership, make_user, client_for):
    html = client_for(make_user(Role.COMMITTEE_MEMBER, "HAV")).get("/").content.decode()
    assert "1 partner in all" in html


def test_partner_form_shows_error_summary_and_saves_nothing(manager):
    response = manager.post("/partners/new/", {"code": "no", "name": "", "gss_code": "E1", "kind": "member"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "govuk-error-summary" in html
    assert "There is a problem" in html
    assert Partner.objects.count() == 3


def test_partner_form_creates_and_redirects(manager):
    response = manager.post(
        "/partners/new/", {"code": "THU", "name": "Thurrock", "gss_code": "E06000034", "kind": "customer"}
    )
    assert response.status_code == 302
    assert response["Location"] == "/partners/THU/"
    assert Partner.objects.get(code="THU").kind == "customer"


def test_overlapping_membership_from_the_page_is_an_error_on_the_field(manager):
    response = manager.post("/partners/BEX/memberships/new/", {"joined_on": "2019-01-01"})
    assert response.status_code == 200
    assert "overlaps an existing membership" in response.content.decode()
    assert Membership.objects.filter(partner__code="BEX").count() == 1


def test_partner_list_filters_sorts_and_exports_csv(manager):
    html = manager.get("/partners/?member_on=2021-01-01").content.decode()
    assert "Newham" in html and "Bexley" not in html
    html = manager.get("/partners/?sort=-code").content.decode()
    assert html.index("NEW") < html.index("HAV") < html.index("BEX")
    response = manager.get("/partners/?kind=member&format=csv")
    lines = b"".join(response.streaming_content).decode().strip().splitlines()
    assert lines[0].startswith("Code,Name,GSS code")
    assert len(lines) == 4


def test_list_pages_paginate(partnership, manager, system_user):
    from onesource.core import actions

    for i in range(60):
        actions.create_partner(
            code=f"Z{chr(65 + i // 26)}{chr(65 + i % 26)}",
            name=f"Zed {i:02d}",
            gss_code=f"E9900{i:04d}",
            acting_user=system_user,
        )
    html = manager.get("/partners/").content.decode()
    assert "Page 1 of 2" in html
    assert "Page 2 of 2" in manager.get("/partners/?page=2").content.decode()


def test_empty_list_says_so(manager):
    html = manager.get("/partners/?q=nothing-like-this").content.decode()
    assert "Nothing matches these filters." in html


def test_detail_page_shows_history(manager):
    manager.post(
        "/partners/HAV/edit/",
        {"code": "HAV", "name": "LB Havering", "gss_code": "E09000016", "kind": "member", "is_founder": "on"},
    )
    html = manager.get("/partners/HAV/").content.decode()
    assert "History" in html
    assert "Havering → LB Havering" in html
    assert "boss" in html


def test_audit_page_filters_by_type_user_and_date(manager, partnership):
    manager.post(
        "/partners/new/", {"code": "THU", "name": "Thurrock", "gss_code": "E06000034", "kind": "customer"}
    )
    from django.contrib.contenttypes.models import ContentType

    from onesource.core.models import User

    partner_type = ContentType.objects.get_for_model(Partner).pk
    boss = User.objects.get(username="boss").pk
    html = manager.get(f"/audit/?content_type={partner_type}&actor={boss}").content.decode()
    assert "Thurrock" in html
    assert "1 change." in html
    tomorrow = (dt.date.today() + dt.timedelta(days=2)).isoformat()
    assert "0 changes." in manager.get(f"/audit/?since={tomorrow}").content.decode()
    response = manager.get("/audit/?format=csv")
    assert b"Thurrock" in b"".join(response.streaming_content)


def test_page_changes_carry_the_request_id_into_the_audit_trail(manager):
    response = manager.post(
        "/partners/new/",
        {"code": "THU", "name": "Thurrock", "gss_code": "E06000034", "kind": "customer"},
        HTTP_X_REQUEST_ID="page-req-1",
    )
    assert response["X-Request-ID"] == "page-req-1"
    entry = LogEntry.objects.get_for_object(Partner.objects.get(code="THU")).get()
    assert entry.cid == "page-req-1"
    assert entry.actor.username == "boss"


def test_coverage_edit_form_rejects_inverted_dates(manager):
    from onesource.core.models import ServiceCoverage

    coverage = ServiceCoverage.objects.get(partner__code="BEX")
    response = manager.post(
        f"/coverage/{coverage.pk}/edit/",
        {
            "service": coverage.service_id,
            "partner": coverage.partner_id,
            "starts_on": "2016-04-01",
            "ends_on": "2015-01-01",
            "end_reason": "partner_left",
        },
    )
    assert "The end date must be the same as or after the start date." in response.content.decode()
    coverage.refresh_from_db()
    assert coverage.ends_on == dt.date(2020, 7, 31)


def test_sign_in_and_out(partnership, make_user):
    from django.test import Client

    make_user(Role.PARTNER_OFFICER, "HAV", username="hav-officer")
    client = Client()
    response = client.post("/sign-in/", {"username": "hav-officer", "password": "a-long-test-password"})
    assert response.status_code == 302
    assert client.get("/").status_code == 200
    client.post("/sign-out/")
    assert client.get("/").status_code == 302


def test_sign_in_is_throttled_after_repeated_failures(partnership, make_user):
    from django.test import Client

    make_user(Role.PARTNER_OFFICER, "HAV", username="hav-officer")
    client = Client()
    for _ in range(5):
        response = client.post("/sign-in/", {"username": "hav-officer", "password": "wrong"})
    assert response.status_code in {403, 429}
    response = client.post("/sign-in/", {"username": "hav-officer", "password": "a-long-test-password"})
    assert response.status_code in {403, 429}
    assert "Too many attempts" in response.content.decode()


def test_wrong_password_shows_the_error_summary(partnership, make_user):
    from django.test import Client

    make_user(Role.PARTNER_OFFICER, "HAV", username="hav-officer")
    html = Client().post("/sign-in/", {"username": "hav-officer", "password": "wrong"}).content.decode()
    assert "There is a problem" in html


def test_partner_leaves_from_the_page(manager):
    from onesource.core.models import ServiceCoverage

    response = manager.post("/partners/HAV/leave/", {"left_on": "2024-03-31", "end_coverage": "on"})
    assert response.status_code == 302
    assert Membership.objects.get(partner__code="HAV").left_on == dt.date(2024, 3, 31)
    assert ServiceCoverage.objects.get(partner__code="HAV").ends_on == dt.date(2024, 3, 31)
    response = manager.post("/partners/HAV/leave/", {"left_on": "2025-03-31"})
    assert "has no open membership to end" in response.content.decode()


def test_list_pages_do_not_query_per_row(partnership, manager, system_user, django_assert_max_num_queries):
    from onesource.core import actions

    for i in range(30):
        partner = actions.create_partner(
            code=f"Q{chr(65 + i // 26)}{chr(65 + i % 26)}",
            name=f"Q {i:02d}",
            gss_code=f"E9800{i:04d}",
            acting_user=system_user,
        )
        actions.create_coverage(
            service=partnership["shared"],
            partner=partner,
            starts_on=dt.date(2015, 1, 1),
            acting_user=system_user,
        )
    for url in ["/partners/", "/services/", "/coverage/", "/"]:
        with django_assert_max_num_queries(14):
            assert manager.get(url).status_code == 200


def test_history_shows_the_objects_own_fields_not_reverse_relations(manager):
    html = manager.get("/partners/BEX/").content.decode()
    assert "E09000004" in html
    # Dates of the services received stay on one line ("1 Apr 2016", not "1 Apr" then "2016").
    assert re.search(r'app-nowrap">\d{1,2} [A-Z][a-z]{2} \d{4}<', html)
    assert "core.Service.None" not in html and "core.Membership.None" not in html
    audit = manager.get("/audit/").content.decode()
    assert "core.Service.None" not in audit


def test_numbers_in_list_columns_have_thousands_separators():
    from decimal import Decimal

    from onesource.core.templatetags.onesource import thousands

    assert thousands(Decimal("93916868.00")) == "93,916,868.00"
    assert thousands(Decimal("-1234.5")) == "-1,234.5"
    assert thousands(1359) == "1,359"
    assert thousands(Decimal("7")) == "7"
    assert thousands("Reciprocal") == "Reciprocal"
    assert thousands("") == ""
