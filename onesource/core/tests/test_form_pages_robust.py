"""Every form page, posted with missing, wrong and oversized values, answers with the GOV.UK error
summary (or, for a form with nothing required, does its job), never a server error.

The form pages are discovered from the URL conf (every FormView); their concrete URLs (with a real
partner code, staff number or id) are found by following links from the home page of the demo, as an
admin, so a new form page is covered without this file changing.
"""

from __future__ import annotations

import re
from collections import deque
from html.parser import HTMLParser

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, resolve
from django.urls.exceptions import Resolver404
from django.views.generic.edit import ProcessFormView

from onesource.core.demo import build_demo
from onesource.core.models import User

# Pages that do not present a form to a signed-in user, or whose form is the import wizard's second
# step (reached only through an upload, which `test_uploads_*` covers).
SKIP = {"core:login", "workforce:import-columns"}
MAX_PAGES = 400


def form_url_names() -> set[str]:
    names: set[str] = set()

    def walk(patterns, namespace: str) -> None:
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                walk(pattern.url_patterns, pattern.namespace or namespace)
            elif isinstance(pattern, URLPattern):
                view_class = getattr(pattern.callback, "view_class", None)
                if view_class and issubclass(view_class, ProcessFormView) and pattern.name:
                    names.add(f"{namespace}:{pattern.name}" if namespace else pattern.name)

    walk(get_resolver().url_patterns, "")
    return names - SKIP


class FormFields(HTMLParser):
    """The names of the main form's fields (not the sign-out form or filters), with their kind."""

    def __init__(self) -> None:
        super().__init__()
        self.in_post_form = False
        self.fields: dict[str, str] = {}
        self.links: list[str] = []

    def handle_starttag(self, tag: str, attrs) -> None:
        a = dict(attrs)
        if tag == "a" and a.get("href", "").startswith("/"):
            self.links.append(a["href"].split("#")[0])
        if (
            tag == "form"
            and (a.get("method") or "").lower() == "post"
            and "/sign-out" not in (a.get("action") or "")
        ):
            self.in_post_form = True
        elif self.in_post_form and tag in {"input", "select", "textarea"}:
            name = a.get("name")
            kind = a.get("type", tag)
            if name and name != "csrfmiddlewaretoken" and kind not in {"submit", "hidden"}:
                self.fields[name] = kind

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self.in_post_form = False


def parse(html: str) -> FormFields:
    parser = FormFields()
    parser.feed(html)
    return parser


def discover_form_urls(client, wanted: set[str]) -> dict[str, str]:
    """One concrete URL per form page, found by following links breadth-first (one page per URL name)."""
    found: dict[str, str] = {}
    visited_names: set[str] = set()
    queue = deque(["/"])
    pages = 0
    while queue and pages < MAX_PAGES and not wanted <= set(found):
        url = queue.popleft()
        try:
            match = resolve(url.split("?")[0])
        except Resolver404:
            continue
        name = match.view_name
        if name in wanted:
            found.setdefault(name, url.split("?")[0])
            continue
        if name in visited_names or "sign-out" in url or "format=csv" in url:
            continue
        visited_names.add(name)
        response = client.get(url)
        pages += 1
        if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
            continue
        queue.extend(parse(response.content.decode()).links)
    return found


def wrong_value(kind: str) -> str:
    return {"date": "2023-02-30", "number": "not a number", "checkbox": "maybe"}.get(
        kind, "no-such-choice\x00"
    )


@pytest.fixture
def demo_admin(db, client):
    build_demo(log=lambda _: None)
    client.force_login(User.objects.get(username="admin"))
    return client


def test_every_form_page_refuses_bad_input_with_the_error_summary(demo_admin):
    wanted = form_url_names()
    urls = discover_form_urls(demo_admin, wanted)
    # Nearly every form page must be reachable by links; a few need a state the demo may not have.
    assert len(urls) >= len(wanted) * 0.8, sorted(wanted - set(urls))
    for name, url in sorted(urls.items()):
        page = demo_admin.get(url)
        assert page.status_code == 200, (name, url, page.status_code)
        fields = parse(page.content.decode()).fields
        cases = {
            "missing": {},
            "wrong": {f: wrong_value(k) for f, k in fields.items() if k != "file"},
            "oversized": {f: "x" * 100_000 for f, k in fields.items() if k != "file"},
        }
        for case, data in cases.items():
            response = demo_admin.post(url, data)
            assert response.status_code in {200, 302, 404}, (name, url, case, response.status_code)
            if response.status_code == 200:
                body = response.content.decode()
                assert "govuk-error-summary" in body, (name, url, case)
                assert not re.search(r"Traceback|None</", body), (name, url, case)


BAD_FILES = {
    "empty": b"",
    "binary": b"PK\x03\x04\x14\x00\x06\x00\x08\x00\x00\x00!\x00\xb4\x12\x9c\xff",
    "wrong encoding": "kind,service,year,amount\nbudget,audit,2017,£5\n".encode("utf-16"),
    "20 MB": b"kind,service,year,amount\n" + b"budget,audit,2017,5.00\n" * (20 * 1024 * 1024 // 23),
}
UPLOAD_PAGES = {
    "/workforce/import/": {"kind": "people"},
    "/costing/ledger/import/": {"kind": "budget"},
    "/performance/kpis/import/": {},
}
REFUSAL = r"empty|binary|control characters|cannot be read|larger than|smaller than"
UPLOAD_ENDPOINTS = {"/api/workforce/imports": {"kind": "people"}, "/api/costing/ledger-imports": {}}


def written_rows() -> dict[str, int]:
    """How many rows every table holds, but the session, audit and job bookkeeping."""
    from django.apps import apps

    skip = {"sessions", "auditlog", "axes"}
    return {
        m._meta.label: m._default_manager.count()
        for m in apps.get_models()
        if m._meta.app_label not in skip and m._meta.label not in {"core.Job", "core.Event"}
    }


@pytest.fixture
def admin_client(partnership, make_user, client_for):
    from onesource.core.roles import Role

    return client_for(make_user(Role.PLATFORM_ADMIN))


@pytest.mark.parametrize("page", UPLOAD_PAGES)
@pytest.mark.parametrize("bad", BAD_FILES)
def test_uploads_of_bad_files_on_pages_are_refused_with_a_message_and_write_nothing(admin_client, page, bad):
    from django.core.files.uploadedfile import SimpleUploadedFile

    before = written_rows()
    upload = SimpleUploadedFile("upload.csv", BAD_FILES[bad], content_type="text/csv")
    response = admin_client.post(page, {"file": upload, **UPLOAD_PAGES[page]})
    assert response.status_code == 200
    body = response.content.decode()
    assert "govuk-error-summary" in body
    assert re.search(REFUSAL, body)
    assert written_rows() == before


@pytest.mark.parametrize("endpoint", UPLOAD_ENDPOINTS)
@pytest.mark.parametrize("bad", BAD_FILES)
def test_uploads_of_bad_files_to_the_api_are_422_with_a_message_and_write_nothing(
    admin_client, endpoint, bad
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    before = written_rows()
    upload = SimpleUploadedFile("upload.csv", BAD_FILES[bad], content_type="text/csv")
    response = admin_client.post(endpoint, {"file": upload, **UPLOAD_ENDPOINTS[endpoint]})
    assert response.status_code == 422, response.content
    messages = " ".join(m for ms in response.json()["errors"].values() for m in ms)
    assert re.search(REFUSAL, messages)
    assert written_rows() == before
