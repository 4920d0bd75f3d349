"""Under production-like settings the static files collect with the manifest storage and every page renders.

The manifest storage raises for any `{% static %}` path it did not collect, and collectstatic itself fails
on a stylesheet naming a source map that is not there, so a page that works in development can be a 500
in production. This collects into a temporary STATIC_ROOT and renders every argument-free page.
"""

import pytest
from django.core.management import call_command
from django.test import override_settings
from django.urls import URLPattern, URLResolver, get_resolver

from onesource.core.roles import Role

MANIFEST_STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}


def page_paths() -> list[str]:
    """Every page URL without path arguments, under each app's namespace (not the API or admin)."""
    paths = []

    def walk(patterns, prefix, namespace):
        for pattern in patterns:
            route = str(pattern.pattern)
            if "<" in route:
                continue
            if isinstance(pattern, URLResolver):
                walk(pattern.url_patterns, prefix + route, pattern.namespace or namespace)
            elif isinstance(pattern, URLPattern) and namespace not in {None, "admin", "api"}:
                paths.append("/" + prefix + route)

    walk(get_resolver().url_patterns, "", None)
    return sorted(set(paths))


@pytest.fixture
def collected_static(tmp_path):
    with override_settings(STATIC_ROOT=tmp_path / "static", STORAGES=MANIFEST_STORAGES, DEBUG=False):
        call_command("collectstatic", interactive=False, verbosity=0)
        yield tmp_path / "static"


def test_collectstatic_succeeds_with_the_manifest_storage(collected_static):
    assert (collected_static / "staticfiles.json").exists()
    assert list(collected_static.glob("build/govuk/govuk-frontend.min.*.css"))


def test_every_page_renders_under_production_settings(collected_static, partnership, make_user, client_for):
    client = client_for(make_user(Role.SHARED_SERVICE_MANAGER))
    paths = page_paths()
    assert "/" in paths and len(paths) > 10
    failures = {}
    for path in paths:
        response = client.get(path)
        if response.status_code >= 500:
            failures[path] = response.status_code
    assert failures == {}


def test_pages_send_security_headers(partnership, make_user, client_for):
    response = client_for(make_user(Role.SHARED_SERVICE_MANAGER)).get("/")
    policy = response.headers["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in policy
    assert "script-src 'self' 'nonce-" in policy
    nonce = policy.split("'nonce-")[1].split("'")[0]
    # Every inline script carries this response's nonce, so the policy does not block it.
    html = response.content.decode()
    assert html.count("<script") == html.count('src="/static/') + html.count(f'nonce="{nonce}"')
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["Referrer-Policy"] == "same-origin"
