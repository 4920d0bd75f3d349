"""Production: refuses to start without a secret key; secure cookies; static files collected."""

from django.core.exceptions import ImproperlyConfigured

from onesource.env import env_bool, env_str

from .base import *  # noqa: F403

SECRET_KEY = env_str("ONESOURCE_SECRET_KEY", "")
if not SECRET_KEY or len(SECRET_KEY) < 32:
    raise ImproperlyConfigured(
        "ONESOURCE_SECRET_KEY must be set to a random string of at least 32 characters in production."
    )
DEBUG = False
SESSION_COOKIE_SECURE = env_bool("ONESOURCE_SECURE_COOKIES", True)
CSRF_COOKIE_SECURE = env_bool("ONESOURCE_SECURE_COOKIES", True)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = int(env_str("ONESOURCE_HSTS_SECONDS", "0"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
