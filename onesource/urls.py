from importlib.util import find_spec

from django.apps import apps
from django.urls import include, path

from onesource.api import api

urlpatterns = [
    path("api/", api.urls),
]
# Each business app mounts its pages at its own prefix ("" for core).
for config in apps.get_app_configs():
    if config.name.startswith("onesource.") and find_spec(f"{config.name}.urls"):
        urlpatterns.append(path(getattr(config, "url_prefix", ""), include(f"{config.name}.urls")))
