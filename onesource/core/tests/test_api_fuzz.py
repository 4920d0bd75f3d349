"""Schemathesis over every operation of the published API, as a platform admin and as a partner officer.

Checks: no server error, and every response (status code, content type, body) is one the OpenAPI
document describes. Seeded and bounded so the whole file stays within a few minutes on a 2-core machine.
"""

from __future__ import annotations

import pytest
import schemathesis
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from onesource.core import actions
from onesource.core.roles import Role

pytestmark = [pytest.mark.fuzz, pytest.mark.django_db]


class CsrfExemptHandler(WSGIHandler):
    """The WSGI app as Django's test client runs it: no CSRF check (bearer tokens are not CSRF-prone)."""

    def get_response(self, request):
        request._dont_enforce_csrf_checks = True
        return super().get_response(request)


# The document exactly as published at /api/openapi.json; requests go to the app in-process.
schema = schemathesis.openapi.from_wsgi("/api/openapi.json", CsrfExemptHandler())

CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]
FUZZ_SETTINGS = settings(
    max_examples=6,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=list(HealthCheck),
)


@pytest.fixture(autouse=True)
def keep_the_test_connection():
    """Requests reach the app through plain WSGI, whose end-of-request signal closes old database
    connections, and that would close the test's transaction (PostgreSQL); the test client avoids it
    the same way."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture(params=["admin", "officer"])
def bearer(request, partnership, make_user) -> dict[str, str]:
    if request.param == "admin":
        user = make_user(Role.PLATFORM_ADMIN)
    else:
        user = make_user(Role.PARTNER_OFFICER, "HAV")
    _, raw = actions.create_api_token(user, acting_user=partnership["system"])
    return {"Authorization": f"Bearer {raw}"}


@schema.parametrize()
@FUZZ_SETTINGS
def test_operation_never_errors_and_matches_its_schema(case, bearer):
    case.call_and_validate(headers=bearer, checks=CHECKS)
