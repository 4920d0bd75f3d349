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
# Behind a TLS-terminating proxy that sets X-Forwarded-Proto; plain HTTP is redirected to HTTPS.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("ONESOURCE_SSL_REDIRECT", True)
# A year, once the site is known to work over HTTPS; lower it with ONESOURCE_HSTS_SECONDS while trying it out.
SECURE_HSTS_SECONDS = int(env_str("ONESOURCE_HSTS_SECONDS", "31536000"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("ONESOURCE_HSTS_INCLUDE_SUBDOMAINS", True)
SECURE_HSTS_PRELOAD = env_bool("ONESOURCE_HSTS_PRELOAD", False)
if not SECURE_HSTS_PRELOAD:
    # Joining the browsers' preload list binds every subdomain for good: the domain owner's choice.
    SILENCED_SYSTEM_CHECKS = ["security.W021"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
