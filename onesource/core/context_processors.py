"""The header's service navigation, assembled from each app's `navigation` declaration."""

from typing import Any

from django.apps import apps
from django.conf import settings
from django.http import HttpRequest
from django.urls import reverse

from onesource.core.scoping import scope_for


def navigation(request: HttpRequest) -> dict[str, Any]:
    """Header links and, inside a business app with several pages, that app's sub-navigation.

    Core lists each of its pages in the header; every other app gets one header link (its
    `navigation_label`, default the first item's label, pointing at the first item) and shows all
    its items as a sub-navigation on its own pages, so the header stays one line as apps are added.
    """
    if not getattr(request, "user", None) or not request.user.is_authenticated:
        return {"nav_items": [], "show_demo_banner": settings.ONESOURCE_SHOW_DEMO_BANNER}
    scope = scope_for(request.user)
    header: list[dict[str, Any]] = []
    sub_items: list[dict[str, Any]] = []
    sub_label = ""
    configs = sorted(apps.get_app_configs(), key=lambda c: getattr(c, "navigation_order", 100))
    for config in configs:
        items = [
            {"label": label, "url": reverse(url_name)}
            for label, url_name, capability in getattr(config, "navigation", [])
            if scope.has(capability)
        ]
        if not items:
            continue
        prefix = "/" + getattr(config, "url_prefix", "")
        if prefix == "/":
            header.extend({**item, "current": request.path.startswith(item["url"])} for item in items)
            continue
        in_app = request.path.startswith(prefix)
        label = getattr(config, "navigation_label", items[0]["label"])
        header.append({"label": label, "url": items[0]["url"], "current": in_app, "section": True})
        if in_app and len(items) > 1:
            sub_label = label
            sub_items = [{**item, "current": request.path.startswith(item["url"])} for item in items]
    _keep_most_specific(header)
    _keep_most_specific(sub_items)
    return {
        "nav_items": header,
        "sub_nav_items": sub_items,
        "sub_nav_label": sub_label,
        "show_demo_banner": settings.ONESOURCE_SHOW_DEMO_BANNER,
        "user_scope": scope,
    }


def _keep_most_specific(items: list[dict[str, Any]]) -> None:
    """Only the most specific match is current (/workforce/posts/ is not also /workforce/)."""
    current = [item for item in items if item["current"]]
    if current:
        longest = max((i["url"] for i in current), key=len)
        for item in current:
            item["current"] = item["url"] == longest
