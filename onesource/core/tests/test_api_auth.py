"""Writes over the API: a bearer token needs no CSRF token; a browser session still does."""

import json
import urllib.request

import pytest
from django.middleware.csrf import _get_new_csrf_string
from django.test import Client

from onesource.core import actions
from onesource.core.models import Job, Partner
from onesource.core.roles import Role

NEW_PARTNER = {"code": "RED", "name": "Redbridge", "gss_code": "E09000026"}


def post_json(client, url, body, **headers):
    return client.post(url, json.dumps(body), content_type="application/json", **headers)


@pytest.fixture
def manager(partnership, make_user):
    return make_user(Role.SHARED_SERVICE_MANAGER)


def test_token_write_needs_no_csrf_token(manager, system_user):
    _, raw = actions.create_api_token(manager, acting_user=system_user)
    client = Client(enforce_csrf_checks=True, HTTP_AUTHORIZATION=f"Bearer {raw}")
    response = post_json(client, "/api/partners", NEW_PARTNER)
    assert response.status_code == 201, response.content
    assert Partner.objects.filter(code="RED").exists()


def test_session_write_without_csrf_token_is_refused(manager):
    client = Client(enforce_csrf_checks=True)
    client.force_login(manager)
    response = post_json(client, "/api/partners", NEW_PARTNER)
    assert response.status_code == 403
    assert not Partner.objects.filter(code="RED").exists()


def test_session_write_with_csrf_token_is_accepted(manager):
    client = Client(enforce_csrf_checks=True)
    client.force_login(manager)
    secret = _get_new_csrf_string()
    client.cookies["csrftoken"] = secret
    response = post_json(client, "/api/partners", NEW_PARTNER, HTTP_X_CSRFTOKEN=secret)
    assert response.status_code == 201, response.content
    assert Partner.objects.filter(code="RED").exists()


def test_invalid_token_write_is_refused(manager):
    client = Client(enforce_csrf_checks=True, HTTP_AUTHORIZATION="Bearer not-a-token")
    assert post_json(client, "/api/partners", NEW_PARTNER).status_code in {401, 403}
    assert not Partner.objects.filter(code="RED").exists()


def http(live_server, method, path, token, body=None):
    # The live server URL is always http://localhost:<port>.
    request = urllib.request.Request(  # noqa: S310
        live_server.url + path,
        method=method,
        data=None if body is None else json.dumps(body).encode(),
        headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
    )
    with urllib.request.urlopen(request) as response:  # noqa: S310
        return response.status, json.loads(response.read() or b"null")


@pytest.mark.django_db(transaction=True)
def test_readme_api_writes_over_real_http_with_a_token(live_server, manager, system_user):
    _, token = actions.create_api_token(manager, acting_user=system_user)

    # The README's example: start a coverage report job.
    status, job = http(
        live_server,
        "POST",
        "/api/jobs",
        token,
        {"kind": "core.coverage_report", "params": {"first_year": 2014, "last_year": 2022}},
    )
    assert status == 202
    assert Job.objects.filter(pk=job["id"], created_by=manager).exists()

    # The other writes the README's table lists: add a partner, change it, add a membership.
    status, _ = http(live_server, "POST", "/api/partners", token, NEW_PARTNER)
    assert status == 201
    status, changed = http(live_server, "PATCH", "/api/partners/RED", token, {"name": "LB Redbridge"})
    assert status == 200 and changed["name"] == "LB Redbridge"
    status, _ = http(live_server, "POST", "/api/partners/RED/memberships", token, {"joined_on": "2024-04-01"})
    assert status in {200, 201}
    assert Partner.objects.get(code="RED").memberships.count() == 1
