"""The header's service navigation, assembled from each app's `navigation` declaration."""

from typing import Any

from django.apps import apps
from django.conf import settings
from django.http import HttpRequest
from django.urls import reverse

from onesource.core.scoping import scope_for


def navigation(request: HttpRequest) -> dict[str, Any]:
    if not getattr(request, "user", None) or not request.user.is_authenticated:
        return {"nav_items": [], "show_demo_banner": settings.ONESOURCE_SHOW_DEMO_BANNER}
    scope = scope_for(request.user)
    items = []
    configs = sorted(apps.get_app_configs(), key=lambda c: getattr(c, "navigation_order", 100))
    for config in configs:
        for label, url_name, capability in getattr(config, "navigation", []):
            if scope.has(capability):
                url = reverse(url_name)
                items.append({"label": label, "url": url, "current": request.path.startswith(url)})
    # Only the most specific match is current (/workforce/transparency/ is not also /workforce/).
    current = [item for item in items if item["current"]]
    for item in current:
        item["current"] = item["url"] == max((i["url"] for i in current), key=len)
    return {"nav_items": items, "show_demo_banner": settings.ONESOURCE_SHOW_DEMO_BANNER, "user_scope": scope}
