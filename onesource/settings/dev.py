"""Local development and the demo: DEBUG on, a fixed development secret."""

from onesource.env import env_str

from .base import *  # noqa: F403

DEBUG = True
SECRET_KEY = env_str("ONESOURCE_SECRET_KEY", "dev-only-insecure-key-do-not-use-in-production")
ALLOWED_HOSTS = ["*"]
ONESOURCE_SHOW_DEMO_BANNER = True
