"""The JSON API: one NinjaAPI, a router per business app (core's at the root, others at /api/<label>/)."""

from importlib import import_module
from importlib.util import find_spec

from django.apps import apps

from onesource.core.api_base import build_api

api = build_api()
for config in apps.get_app_configs():
    if config.name.startswith("onesource.") and find_spec(f"{config.name}.api"):
        module = import_module(f"{config.name}.api")
        api.add_router(getattr(config, "api_prefix", f"/{config.label}/"), module.router)
